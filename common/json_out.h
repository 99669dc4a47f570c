/*
 * json_out - a small, fast JSON writer into a struct buf.
 *
 * The writer tracks nesting and commas; the caller opens and closes
 * objects and arrays in order and names every member with json_key()
 * before its value.  Strings are escaped per RFC 8259; bytes that are not
 * valid UTF-8 are written as U+FFFD so the output is always valid JSON.
 * Errors (the buf's maximum, nesting deeper than JSON_MAX_DEPTH) are
 * sticky: json_out_result() reports the first.
 */
#ifndef EDI_JSON_OUT_H
#define EDI_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "strview.h"

#define JSON_MAX_DEPTH 32

struct json_out {
	struct buf *out;
	enum edi_code rc;
	unsigned depth;
	bool need_comma[JSON_MAX_DEPTH + 1];
	bool after_key;
};

void json_out_init(struct json_out *j, struct buf *out);
enum edi_code json_out_result(const struct json_out *j);

void json_obj_begin(struct json_out *j);
void json_obj_end(struct json_out *j);
void json_arr_begin(struct json_out *j);
void json_arr_end(struct json_out *j);
void json_key(struct json_out *j, const char *key);
void json_str(struct json_out *j, const char *s);
void json_strv(struct json_out *j, struct strview v);
void json_u64(struct json_out *j, uint64_t n);
void json_i64(struct json_out *j, int64_t n);
void json_bool(struct json_out *j, bool b);
void json_out_null(struct json_out *j);
/* A value the caller already has as JSON text (it must be valid JSON). */
void json_raw(struct json_out *j, struct strview json);
/* Append v as an escaped JSON string (with quotes) to b. */
enum edi_code json_escape(struct buf *b, struct strview v);

#endif
