/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny streaming JSON writer. Members take a key inside objects and NULL
 * inside arrays; the caller keeps opens and closes balanced.
 */
#ifndef CGN_JSON_H
#define CGN_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH	32

struct json {
	FILE *f;
	bool pretty;
	int depth;
	bool empty[JSON_MAX_DEPTH + 1];	/* nothing written yet at this depth */
};

void json_init(struct json *j, FILE *f, bool pretty);
void json_obj_open(struct json *j, const char *key);
void json_obj_close(struct json *j);
void json_arr_open(struct json *j, const char *key);
void json_arr_close(struct json *j);
void json_str(struct json *j, const char *key, const char *val);
void json_uint(struct json *j, const char *key, uint64_t val);
void json_bool(struct json *j, const char *key, bool val);
/* @val / 10^@places, with @places (<= 19) decimals: (1234, 2) is 12.34. */
void json_decimal(struct json *j, const char *key, uint64_t val,
		  unsigned int places);

/* Write @s as a quoted JSON string; invalid UTF-8 becomes U+FFFD. */
void json_quote(FILE *f, const char *s);

#endif /* CGN_JSON_H */
