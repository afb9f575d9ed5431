// SPDX-License-Identifier: GPL-2.0
/* Numbers, addresses, prefixes, port ranges, names and named values. */
#include "fake.h"
#include "msg.h"
#include "parse.h"
#include "unit.h"

static void u32_cases(void)
{
	static const struct { const char *s; uint32_t v; } good[] = {
		{ "0", 0 }, { "7", 7 }, { "007", 7 }, { "65535", 65535 },
		{ "4294967295", 4294967295u },
	};
	static const char *const bad[] = {
		"", "4294967296", "99999999999999999999", "-1", "+1", " 1",
		"1 ", "0x10", "1e3", "12a",
	};
	unsigned int i;
	uint32_t v;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		unit_begin("parse u32 \"%s\"", good[i].s);
		v = 1;
		CHECK_INT(cgn_parse_u32(good[i].s, &v), 0);
		CHECK_U64(v, good[i].v);
		unit_end();
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_begin("parse u32 rejects \"%s\"", bad[i]);
		v = 12345;
		CHECK(cgn_parse_u32(bad[i], &v) < 0);
		CHECK_U64(v, 12345);
		unit_end();
	}
}

static void addr_cases(void)
{
	static const char *const bad[] = {
		"", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.4 ", "1.2.3.-4",
		"a.b.c.d", "1.2.3.4/24", "::1",
	};
	unsigned int i;
	uint32_t a;

	unit_begin("parse addr 0.0.0.0 and 255.255.255.255");
	CHECK_INT(cgn_parse_addr("0.0.0.0", &a), 0);
	CHECK_U64(a, 0);
	CHECK_INT(cgn_parse_addr("255.255.255.255", &a), 0);
	CHECK_U64(a, 0xffffffff);
	unit_end();

	unit_begin("parse addr is network order");
	CHECK_INT(cgn_parse_addr("10.1.2.3", &a), 0);
	CHECK(!memcmp(&a, "\x0a\x01\x02\x03", 4));
	unit_end();

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_begin("parse addr rejects \"%s\"", bad[i]);
		CHECK(cgn_parse_addr(bad[i], &a) < 0);
		unit_end();
	}
}

static void prefix_cases(void)
{
	static const struct { const char *s; const char *addr; int len; } good[] = {
		{ "0.0.0.0/0", "0.0.0.0", 0 },
		{ "10.0.0.0/8", "10.0.0.0", 8 },
		{ "100.64.0.0/10", "100.64.0.0", 10 },
		{ "192.0.2.1/32", "192.0.2.1", 32 },
		{ "255.255.255.255/32", "255.255.255.255", 32 },
		{ "192.0.2.1", "192.0.2.1", 32 },
		{ "10.0.0.1/8", "10.0.0.1", 8 },	/* host bits: the kernel's call */
	};
	static const char *const bad[] = {
		"", "/24", "1.2.3/24", "1.2.3", "10.0.0.300/24", "1.2.3.4/33",
		"1.2.3.4/", "1.2.3.4/-1", "1.2.3.4/+8", "1.2.3.4/a", "1.2.3.4/8/8",
		"1.2.3.4/4294967296", "1.2.3.4/4294967304", "1111.2.3.4444/8",
		"1.2.3.4 /8",
	};
	struct cgn_prefix p;
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		unit_begin("parse prefix \"%s\"", good[i].s);
		CHECK_INT(cgn_parse_prefix(good[i].s, &p), 0);
		CHECK_U64(p.addr, ip(good[i].addr));
		CHECK_INT(p.len, good[i].len);
		unit_end();
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_begin("parse prefix rejects \"%s\"", bad[i]);
		CHECK(cgn_parse_prefix(bad[i], &p) < 0);
		unit_end();
	}
}

static void ports_cases(void)
{
	static const struct { const char *s; int min, max; } good[] = {
		{ "1-65535", 1, 65535 }, { "1024-1024", 1024, 1024 },
		{ "1024-2047", 1024, 2047 },
	};
	static const char *const bad[] = {
		"", "0-10", "10-5", "1-65536", "65536-65536", "10", "-5", "5-",
		"-", "a-b", "1--2", "1-2-3", "4294967297-1", "1-4294967297",
		" 1-2", "1-2 ",
	};
	uint16_t min, max;
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		unit_begin("parse ports \"%s\"", good[i].s);
		CHECK_INT(cgn_parse_ports(good[i].s, &min, &max), 0);
		CHECK_INT(min, good[i].min);
		CHECK_INT(max, good[i].max);
		unit_end();
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_begin("parse ports rejects \"%s\"", bad[i]);
		CHECK(cgn_parse_ports(bad[i], &min, &max) < 0);
		unit_end();
	}
}

static void name_cases(void)
{
	static const char *const good[] = {
		"a", "cgn0", "A-b_c.9", "123456789012345",
	};
	static const char *const bad[] = {
		"", "1234567890123456", "a b", "a/b", "a:b", "caf\xc3\xa9", "a*",
	};
	char name[CGN_NAME_LEN];
	unsigned int i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		unit_begin("parse name \"%s\"", good[i]);
		CHECK_INT(cgn_parse_name(good[i], name), 0);
		CHECK_STR(name, good[i]);
		unit_end();
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_begin("parse name rejects \"%s\"", bad[i]);
		CHECK(cgn_parse_name(bad[i], name) < 0);
		unit_end();
	}
}

static void fmt_cases(void)
{
	struct cgn_prefix p = { .addr = ip("255.255.255.255"), .len = 32 };
	char buf[CGN_PREFIX_STRLEN];

	unit_begin("format prefixes and addresses");
	CHECK_STR(cgn_fmt_prefix(&p, buf), "255.255.255.255/32");
	p.addr = 0;
	p.len = 0;
	CHECK_STR(cgn_fmt_prefix(&p, buf), "0.0.0.0/0");
	CHECK_STR(cgn_fmt_addr(ip("198.51.100.7"), buf), "198.51.100.7");
	unit_end();
}

static void value_name_cases(void)
{
	static const char *const filterings[] = { "eif", "adf", "apdf" };
	static const char *const bad[] = {
		"", "EIF", "foo", "eif ", "on", "1", "apd",
	};
	unsigned int i;
	uint32_t v;

	unit_begin("filtering names match enum cgn_filtering");
	CHECK_STR(cgn_filtering_name(CGN_FILTER_EIF), "eif");
	CHECK_STR(cgn_filtering_name(CGN_FILTER_ADF), "adf");
	CHECK_STR(cgn_filtering_name(CGN_FILTER_APDF), "apdf");
	CHECK(!cgn_filtering_name(CGN_FILTER_APDF + 1));
	CHECK(!cgn_filtering_name(UINT32_MAX));
	for (i = 0; i < 3; i++) {
		v = 99;
		CHECK_INT(cgn_filtering_parse(filterings[i], &v), 0);
		CHECK_U64(v, i);
	}
	unit_end();

	unit_begin("on and off");
	CHECK_INT(cgn_bool_parse("on", &v), 0);
	CHECK_U64(v, 1);
	CHECK_INT(cgn_bool_parse("off", &v), 0);
	CHECK_U64(v, 0);
	unit_end();

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unit_begin("filtering and on/off reject \"%s\"", bad[i]);
		v = 12345;
		CHECK(cgn_filtering_parse(bad[i], &v) < 0);
		if (strcmp(bad[i], "on"))
			CHECK(cgn_bool_parse(bad[i], &v) < 0);
		CHECK_U64(v, 12345);
		unit_end();
	}
	unit_begin("on/off rejects maybe, yes, 1, ON");
	v = 7;
	CHECK(cgn_bool_parse("maybe", &v) < 0);
	CHECK(cgn_bool_parse("yes", &v) < 0);
	CHECK(cgn_bool_parse("1", &v) < 0);
	CHECK(cgn_bool_parse("ON", &v) < 0);
	CHECK_U64(v, 7);
	unit_end();
}

void test_parse(void)
{
	u32_cases();
	addr_cases();
	prefix_cases();
	ports_cases();
	name_cases();
	fmt_cases();
	value_name_cases();
}
