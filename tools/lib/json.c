// SPDX-License-Identifier: GPL-2.0
/* A tiny streaming JSON writer. */
#include <inttypes.h>

#include "json.h"

/* Length of the valid UTF-8 sequence at @s, 0 if it is not one. */
static int utf8_len(const unsigned char *s)
{
	uint32_t cp, min;
	int i, n;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2, cp = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, cp = s[0] & 0x0f, min = 0x800;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4, cp = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

void json_quote(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	int n;

	fputc('"', f);
	while (*s) {
		switch (*s) {
		case '"':  fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\b': fputs("\\b", f); break;
		case '\f': fputs("\\f", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*s < 0x20 || *s == 0x7f) {
				fprintf(f, "\\u%04x", *s);
			} else if (!(n = utf8_len(s))) {
				fputs("\\ufffd", f);
			} else {
				fwrite(s, 1, n, f);
				s += n - 1;
			}
		}
		s++;
	}
	fputc('"', f);
}

static void indent(struct json *j)
{
	if (j->pretty)
		fprintf(j->f, "\n%*s", 2 * j->depth, "");
}

/* Separator, indentation and key before a new member. */
static void member(struct json *j, const char *key)
{
	if (j->depth) {
		if (!j->empty[j->depth])
			fputc(',', j->f);
		j->empty[j->depth] = false;
		indent(j);
	}
	if (key) {
		json_quote(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void begin(struct json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->f);
	if (j->depth < JSON_MAX_DEPTH)
		j->empty[++j->depth] = true;
}

static void end(struct json *j, char c)
{
	bool empty = j->empty[j->depth];

	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->f);
	if (!j->depth)
		fputc('\n', j->f);
}

void json_init(struct json *j, FILE *f, bool pretty)
{
	j->f = f;
	j->pretty = pretty;
	j->depth = 0;
	j->empty[0] = true;
}

void json_obj_open(struct json *j, const char *key)
{
	begin(j, key, '{');
}

void json_obj_close(struct json *j)
{
	end(j, '}');
}

void json_arr_open(struct json *j, const char *key)
{
	begin(j, key, '[');
}

void json_arr_close(struct json *j)
{
	end(j, ']');
}

void json_str(struct json *j, const char *key, const char *val)
{
	member(j, key);
	json_quote(j->f, val);
}

void json_uint(struct json *j, const char *key, uint64_t val)
{
	member(j, key);
	fprintf(j->f, "%" PRIu64, val);
}

void json_bool(struct json *j, const char *key, bool val)
{
	member(j, key);
	fputs(val ? "true" : "false", j->f);
}

void json_decimal(struct json *j, const char *key, uint64_t val,
		  unsigned int places)
{
	uint64_t scale = 1;
	unsigned int i;

	for (i = 0; i < places; i++)
		scale *= 10;
	member(j, key);
	if (places)
		fprintf(j->f, "%" PRIu64 ".%0*" PRIu64, val / scale, (int)places,
			val % scale);
	else
		fprintf(j->f, "%" PRIu64, val);
}
