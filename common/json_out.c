/*
 * json_out - JSON writer; see json_out.h.
 */
#include "json_out.h"

#include <inttypes.h>
#include <stdio.h>

void json_out_init(struct json_out *j, struct buf *out)
{
	j->out = out;
	j->rc = EDI_OK;
	j->depth = 0;
	j->need_comma[0] = false;
	j->after_key = false;
}

enum edi_code json_out_result(const struct json_out *j)
{
	return j->rc;
}

static void put(struct json_out *j, const char *p, size_t n)
{
	if (j->rc == EDI_OK)
		j->rc = buf_add(j->out, p, n);
}

/* Separator before a value (or a key) at the current depth. */
static void before_value(struct json_out *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		put(j, ",", 1);
	j->need_comma[j->depth] = true;
}

static void open(struct json_out *j, char c)
{
	before_value(j);
	put(j, &c, 1);
	if (j->depth >= JSON_MAX_DEPTH) {
		if (j->rc == EDI_OK)
			j->rc = EDI_ELIMIT;
		return;
	}
	j->depth++;
	j->need_comma[j->depth] = false;
}

static void close(struct json_out *j, char c)
{
	put(j, &c, 1);
	if (j->depth)
		j->depth--;
}

void json_obj_begin(struct json_out *j)
{
	open(j, '{');
}

void json_obj_end(struct json_out *j)
{
	close(j, '}');
}

void json_arr_begin(struct json_out *j)
{
	open(j, '[');
}

void json_arr_end(struct json_out *j)
{
	close(j, ']');
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len, i;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

enum edi_code json_escape(struct buf *b, struct strview v)
{
	const unsigned char *p = (const unsigned char *)v.ptr;
	size_t i = 0, start = 0;
	enum edi_code rc = buf_addc(b, '"');
	char esc[8];

	while (!rc && i < v.len) {
		unsigned c = p[i];
		size_t n;

		if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0x80 && (n = utf8_len(p + i, v.len - i)) > 0) {
			i += n;
			continue;
		}
		rc = buf_add(b, v.ptr + start, i - start);
		if (rc)
			break;
		switch (c) {
		case '"':
			rc = buf_add(b, "\\\"", 2);
			break;
		case '\\':
			rc = buf_add(b, "\\\\", 2);
			break;
		case '\n':
			rc = buf_add(b, "\\n", 2);
			break;
		case '\r':
			rc = buf_add(b, "\\r", 2);
			break;
		case '\t':
			rc = buf_add(b, "\\t", 2);
			break;
		default:
			if (c < 0x20) {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				rc = buf_add(b, esc, 6);
			} else {
				rc = buf_add(b, "\\ufffd", 6);
			}
			break;
		}
		i++;
		start = i;
	}
	if (!rc)
		rc = buf_add(b, v.ptr + start, i - start);
	if (!rc)
		rc = buf_addc(b, '"');
	return rc;
}

void json_key(struct json_out *j, const char *key)
{
	before_value(j);
	if (j->rc == EDI_OK)
		j->rc = json_escape(j->out, sv_cstr(key));
	put(j, ":", 1);
	j->after_key = true;
}

void json_strv(struct json_out *j, struct strview v)
{
	before_value(j);
	if (j->rc == EDI_OK)
		j->rc = json_escape(j->out, v);
}

void json_str(struct json_out *j, const char *s)
{
	json_strv(j, sv_cstr(s));
}

void json_u64(struct json_out *j, uint64_t n)
{
	char tmp[24];
	int len = snprintf(tmp, sizeof(tmp), "%" PRIu64, n);

	before_value(j);
	put(j, tmp, (size_t)len);
}

void json_i64(struct json_out *j, int64_t n)
{
	char tmp[24];
	int len = snprintf(tmp, sizeof(tmp), "%" PRId64, n);

	before_value(j);
	put(j, tmp, (size_t)len);
}

void json_bool(struct json_out *j, bool b)
{
	before_value(j);
	put(j, b ? "true" : "false", b ? 4 : 5);
}

void json_out_null(struct json_out *j)
{
	before_value(j);
	put(j, "null", 4);
}

void json_raw(struct json_out *j, struct strview json)
{
	before_value(j);
	put(j, json.ptr, json.len);
}
