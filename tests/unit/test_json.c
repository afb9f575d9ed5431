// SPDX-License-Identifier: GPL-2.0
/* The JSON writer: escaping, structure, pretty printing. */
#include <stdlib.h>

#include "json.h"
#include "unit.h"

static char *text;
static size_t len;

static FILE *start(void)
{
	free(text);
	text = NULL;
	return open_memstream(&text, &len);
}

static void quote_case(const char *name, const char *in, const char *out)
{
	FILE *f = start();

	unit_begin("json quote: %s", name);
	json_quote(f, in);
	fclose(f);
	CHECK_STR(text, out);
	unit_end();
}

static void quote_cases(void)
{
	quote_case("plain", "cgn0", "\"cgn0\"");
	quote_case("empty", "", "\"\"");
	quote_case("quote and backslash", "a\"b\\c", "\"a\\\"b\\\\c\"");
	quote_case("short escapes", "\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
	quote_case("other controls", "\x01\x1f\x7f", "\"\\u0001\\u001f\\u007f\"");
	quote_case("slash kept", "a/b", "\"a/b\"");
	quote_case("utf-8 kept", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		   "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	quote_case("lone continuation byte", "a\x80z", "\"a\\ufffdz\"");
	quote_case("overlong encoding", "\xc0\xaf", "\"\\ufffd\\ufffd\"");
	quote_case("surrogate", "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
	quote_case("truncated sequence", "\xe2\x82", "\"\\ufffd\\ufffd\"");
	quote_case("above U+10FFFF", "\xf4\x90\x80\x80",
		   "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
}

static void write_doc(FILE *f, bool pretty)
{
	struct json js;

	json_init(&js, f, pretty);
	json_arr_open(&js, NULL);
	json_obj_open(&js, NULL);
	json_str(&js, "instance", "cgn0");
	json_uint(&js, "max_sessions", 18446744073709551615ull);
	json_arr_open(&js, "pools");
	json_obj_open(&js, NULL);
	json_str(&js, "prefix", "198.51.100.0/24");
	json_uint(&js, "port_min", 1024);
	json_obj_close(&js);
	json_arr_close(&js);
	json_arr_open(&js, "insides");
	json_arr_close(&js);
	json_obj_open(&js, "empty");
	json_obj_close(&js);
	json_obj_close(&js);
	json_obj_open(&js, NULL);
	json_str(&js, "k\"ey", "v");
	json_obj_close(&js);
	json_arr_close(&js);
}

static void doc_cases(void)
{
	FILE *f;

	unit_begin("json compact document");
	f = start();
	write_doc(f, false);
	fclose(f);
	CHECK_STR(text, "[{\"instance\":\"cgn0\",\"max_sessions\":18446744073709551615,"
		  "\"pools\":[{\"prefix\":\"198.51.100.0/24\",\"port_min\":1024}],"
		  "\"insides\":[],\"empty\":{}},{\"k\\\"ey\":\"v\"}]\n");
	unit_end();

	unit_begin("json pretty document");
	f = start();
	write_doc(f, true);
	fclose(f);
	CHECK_STR(text,
		  "[\n"
		  "  {\n"
		  "    \"instance\": \"cgn0\",\n"
		  "    \"max_sessions\": 18446744073709551615,\n"
		  "    \"pools\": [\n"
		  "      {\n"
		  "        \"prefix\": \"198.51.100.0/24\",\n"
		  "        \"port_min\": 1024\n"
		  "      }\n"
		  "    ],\n"
		  "    \"insides\": [],\n"
		  "    \"empty\": {}\n"
		  "  },\n"
		  "  {\n"
		  "    \"k\\\"ey\": \"v\"\n"
		  "  }\n"
		  "]\n");
	unit_end();

	unit_begin("json empty array");
	f = start();
	{
		struct json js;

		json_init(&js, f, true);
		json_arr_open(&js, NULL);
		json_arr_close(&js);
	}
	fclose(f);
	CHECK_STR(text, "[]\n");
	unit_end();
}

static void value_cases(void)
{
	static const struct {
		uint64_t val;
		unsigned int places;
		const char *out;
	} decimals[] = {
		{ 0, 2, "0.00" }, { 10, 2, "0.10" }, { 3333, 2, "33.33" },
		{ 10000, 2, "100.00" }, { 7, 0, "7" }, { 5, 1, "0.5" },
		{ 18446744073709551615ull, 2, "184467440737095516.15" },
	};
	struct json js;
	unsigned int i;
	FILE *f;

	unit_begin("json booleans");
	f = start();
	json_init(&js, f, false);
	json_obj_open(&js, NULL);
	json_bool(&js, "hairpin", true);
	json_bool(&js, "icmp_unreach", false);
	json_arr_open(&js, "a");
	json_bool(&js, NULL, true);
	json_arr_close(&js);
	json_obj_close(&js);
	fclose(f);
	CHECK_STR(text, "{\"hairpin\":true,\"icmp_unreach\":false,\"a\":[true]}\n");
	unit_end();

	for (i = 0; i < sizeof(decimals) / sizeof(decimals[0]); i++) {
		unit_begin("json decimal %s", decimals[i].out);
		f = start();
		json_init(&js, f, false);
		json_arr_open(&js, NULL);
		json_decimal(&js, NULL, decimals[i].val, decimals[i].places);
		json_arr_close(&js);
		fclose(f);
		CHECK(text && !strncmp(text, "[", 1));
		if (text && strlen(text) > 3) {
			text[strlen(text) - 2] = '\0';
			CHECK_STR(text + 1, decimals[i].out);
		}
		unit_end();
	}
}

void test_json(void)
{
	quote_cases();
	doc_cases();
	value_cases();
	free(text);
	text = NULL;
}
