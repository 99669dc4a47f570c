/*
 * as2_mime - MIME entities as AS2 needs them; see as2_mime.h.
 */
#include "as2_mime.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The end of the line starting at i (index of '\n', or len). */
static size_t line_end(struct strview v, size_t i)
{
	const char *nl = memchr(v.ptr + i, '\n', v.len - i);
	return nl ? (size_t)(nl - v.ptr) : v.len;
}

enum edi_code as2_mime_parse(struct strview raw, struct as2_entity *e,
			     struct edi_error *err)
{
	size_t i = 0;

	memset(e, 0, sizeof(*e));
	e->raw = raw;
	for (;;) {
		size_t end, stop, colon;
		struct as2_header *h;

		if (i >= raw.len || i > AS2_MIME_MAX_HEADER_BYTES)
			return edi_fail(err, EDI_EDATA, NULL,
					"mime entity has no blank line after "
					"its headers");
		end = line_end(raw, i);
		if (end == raw.len)
			return edi_fail(err, EDI_EDATA, NULL,
					"mime entity has no blank line after "
					"its headers");
		stop = end > i && raw.ptr[end - 1] == '\r' ? end - 1 : end;
		if (stop == i) { /* the blank line */
			e->body = sv_make(raw.ptr + end + 1, raw.len - end - 1);
			return EDI_OK;
		}
		if (raw.ptr[i] == ' ' || raw.ptr[i] == '\t') {
			if (!e->nheaders)
				return edi_fail(err, EDI_EDATA, NULL,
						"mime entity starts with a "
						"continuation line");
			h = &e->headers[e->nheaders - 1];
			h->value.len = (size_t)(raw.ptr + stop - h->value.ptr);
			i = end + 1;
			continue;
		}
		for (colon = i; colon < stop && raw.ptr[colon] != ':'; colon++)
			if (raw.ptr[colon] == ' ' || raw.ptr[colon] == '\t' ||
			    (unsigned char)raw.ptr[colon] < 32 ||
			    (unsigned char)raw.ptr[colon] > 126)
				return edi_fail(err, EDI_EDATA, NULL,
						"mime header line %zu is not "
						"'Name: value'",
						e->nheaders + 1);
		if (colon == stop || colon == i)
			return edi_fail(err, EDI_EDATA, NULL,
					"mime header line %zu is not 'Name: "
					"value'",
					e->nheaders + 1);
		if (e->nheaders == AS2_MIME_MAX_HEADERS)
			return edi_fail(err, EDI_EDATA, NULL,
					"mime entity has more than %d headers",
					AS2_MIME_MAX_HEADERS);
		h = &e->headers[e->nheaders++];
		h->name = sv_make(raw.ptr + i, colon - i);
		colon++;
		while (colon < stop &&
		       (raw.ptr[colon] == ' ' || raw.ptr[colon] == '\t'))
			colon++;
		h->value = sv_make(raw.ptr + colon, stop - colon);
		i = end + 1;
	}
}

bool as2_mime_header(const struct as2_entity *e, const char *name,
		     struct strview *value)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < e->nheaders; i++)
		if (e->headers[i].name.len == n &&
		    !strncasecmp(e->headers[i].name.ptr, name, n)) {
			*value = e->headers[i].value;
			return true;
		}
	return false;
}

bool as2_mime_type(struct strview value, char *out, size_t size)
{
	size_t i = 0, n = 0;

	while (i < value.len && is_space(value.ptr[i]))
		i++;
	for (; i < value.len && value.ptr[i] != ';' && !is_space(value.ptr[i]);
	     i++) {
		char c = value.ptr[i];
		if (n + 1 >= size) {
			out[0] = '\0';
			return false;
		}
		out[n++] = c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
	}
	out[n] = '\0';
	return n > 0;
}

bool as2_mime_param(struct strview value, const char *param, char *out,
		    size_t size)
{
	size_t plen = strlen(param), i = 0;

	while (i < value.len) {
		size_t name_at, name_len, n = 0;
		bool quoted;

		while (i < value.len && value.ptr[i] != ';') {
			if (value.ptr[i] == '"') { /* skip quoted text */
				i++;
				while (i < value.len && value.ptr[i] != '"')
					i += value.ptr[i] == '\\' ? 2 : 1;
			}
			i++;
		}
		if (i >= value.len)
			return false;
		i++;
		while (i < value.len && is_space(value.ptr[i]))
			i++;
		name_at = i;
		while (i < value.len && value.ptr[i] != '=' &&
		       value.ptr[i] != ';' && !is_space(value.ptr[i]))
			i++;
		name_len = i - name_at;
		while (i < value.len && is_space(value.ptr[i]))
			i++;
		if (i >= value.len || value.ptr[i] != '=')
			continue;
		i++;
		while (i < value.len && is_space(value.ptr[i]))
			i++;
		quoted = i < value.len && value.ptr[i] == '"';
		if (quoted)
			i++;
		if (name_len != plen ||
		    strncasecmp(value.ptr + name_at, param, plen)) {
			if (quoted) {
				while (i < value.len && value.ptr[i] != '"')
					i += value.ptr[i] == '\\' ? 2 : 1;
				i++;
			}
			continue;
		}
		while (i < value.len) {
			char c = value.ptr[i];
			if (quoted && c == '"')
				break;
			if (!quoted && (c == ';' || is_space(c)))
				break;
			if (quoted && c == '\\' && i + 1 < value.len)
				c = value.ptr[++i];
			if (n + 1 >= size)
				return false;
			out[n++] = c;
			i++;
		}
		out[n] = '\0';
		return true;
	}
	return false;
}

/*
 * Does a boundary line "--boundary" start at i (a line start)?  Only
 * "--", spaces or the line end may follow: "--b12" is not boundary "b1".
 */
static bool boundary_at(struct strview body, size_t i, const char *b,
			size_t blen)
{
	size_t k = i + 2 + blen;

	if (k > body.len || body.ptr[i] != '-' || body.ptr[i + 1] != '-' ||
	    memcmp(body.ptr + i + 2, b, blen))
		return false;
	return k == body.len || body.ptr[k] == '\r' || body.ptr[k] == '\n' ||
	       body.ptr[k] == ' ' || body.ptr[k] == '\t' ||
	       (k + 1 < body.len && body.ptr[k] == '-' &&
		body.ptr[k + 1] == '-');
}

/* The next line start >= i holding a boundary line, or body.len. */
static size_t next_boundary(struct strview body, size_t i, const char *b,
			    size_t blen)
{
	while (i < body.len) {
		if (boundary_at(body, i, b, blen))
			return i;
		i = line_end(body, i);
		if (i < body.len)
			i++;
	}
	return body.len;
}

enum edi_code as2_mime_parts(struct strview body, const char *boundary,
			     struct strview *parts, size_t max, size_t *nparts,
			     struct edi_error *err)
{
	size_t blen = strlen(boundary), at;

	*nparts = 0;
	if (!blen || blen >= AS2_MIME_BOUNDARY_MAX)
		return edi_fail(err, EDI_EDATA, NULL,
				"multipart boundary is empty or too long");
	at = next_boundary(body, 0, boundary, blen);
	if (at == body.len)
		return edi_fail(err, EDI_EDATA, NULL,
				"multipart body has no boundary '%s'",
				boundary);
	for (;;) {
		size_t start, next, stop;

		if (at + 2 + blen + 2 <= body.len &&
		    !memcmp(body.ptr + at + 2 + blen, "--", 2))
			return *nparts ? EDI_OK
				       : edi_fail(err, EDI_EDATA, NULL,
						  "multipart body has no "
						  "parts");
		start = line_end(body, at);
		if (start == body.len)
			break;
		start++;
		next = next_boundary(body, start, boundary, blen);
		if (next == body.len)
			break;
		/* the line break before the boundary belongs to it */
		stop = next;
		if (stop > start && body.ptr[stop - 1] == '\n')
			stop--;
		if (stop > start && body.ptr[stop - 1] == '\r')
			stop--;
		if (*nparts == max)
			return edi_fail(err, EDI_EDATA, NULL,
					"multipart body has more than %zu "
					"parts",
					max);
		parts[(*nparts)++] = sv_make(body.ptr + start, stop - start);
		at = next;
	}
	return edi_fail(err, EDI_EDATA, NULL,
			"multipart body has no closing boundary '--%s--'",
			boundary);
}

enum edi_code as2_mime_decode(const struct as2_entity *e, struct buf *out,
			      struct edi_error *err)
{
	struct strview cte;
	char enc[32];

	if (!as2_mime_header(e, "Content-Transfer-Encoding", &cte) ||
	    !as2_mime_type(cte, enc, sizeof(enc)) || !strcmp(enc, "binary") ||
	    !strcmp(enc, "8bit") || !strcmp(enc, "7bit")) {
		if (buf_add(out, e->body.ptr, e->body.len))
			return edi_fail(err, EDI_ELIMIT, NULL,
					"mime body larger than %zu bytes",
					out->max);
		return EDI_OK;
	}
	if (!strcmp(enc, "base64"))
		return as2_base64_decode(e->body, out, err);
	return edi_fail(err, EDI_EDATA, NULL,
			"content-transfer-encoding '%s' is not supported "
			"(base64 or binary)",
			enc);
}

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

enum edi_code as2_base64_encode(struct buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t col = 0;
	enum edi_code rc;

	rc = buf_reserve(out, len / 3 * 4 + len / 57 * 2 + 8);
	if (rc)
		return rc;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		char q[4];
		if (i + 1 < len)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		q[0] = b64[(v >> 18) & 63];
		q[1] = b64[(v >> 12) & 63];
		q[2] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		q[3] = i + 2 < len ? b64[v & 63] : '=';
		if ((rc = buf_add(out, q, 4)))
			return rc;
		col += 4;
		if (col == 76 && i + 3 < len) {
			if ((rc = buf_add(out, "\r\n", 2)))
				return rc;
			col = 0;
		}
	}
	return buf_add(out, "\r\n", 2);
}

enum edi_code as2_base64_decode(struct strview text, struct buf *out,
				struct edi_error *err)
{
	unsigned v = 0;
	int nbits = 0;
	bool pad = false;

	if (buf_reserve(out, text.len / 4 * 3 + 3))
		return edi_fail(err, EDI_ELIMIT, NULL,
				"decoded base64 larger than %zu bytes",
				out->max);
	for (size_t i = 0; i < text.len; i++) {
		char c = text.ptr[i];
		const char *at;
		if (is_space(c))
			continue;
		if (c == '=') {
			pad = true;
			continue;
		}
		at = c ? strchr(b64, c) : NULL;
		if (!at || pad)
			return edi_fail(err, EDI_EDATA, NULL,
					"bad base64 at byte %zu", i);
		v = (v << 6) | (unsigned)(at - b64);
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			if (buf_addc(out, (char)((v >> nbits) & 0xff)))
				return edi_fail(err, EDI_ELIMIT, NULL,
						"decoded base64 larger than "
						"%zu bytes",
						out->max);
		}
	}
	return EDI_OK;
}

void as2_mime_random(char out[33])
{
	unsigned char r[16];

	if (RAND_bytes(r, sizeof(r)) != 1)
		memset(r, 0, sizeof(r)); /* cannot happen with OpenSSL 3 */
	for (int i = 0; i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
}

bool as2_mime_filename(struct strview disposition, char *out, size_t size)
{
	char name[AS2_MIME_VALUE_MAX];
	const char *base, *slash;
	size_t n = 0;

	if (!as2_mime_param(disposition, "filename", name, sizeof(name)))
		return false;
	base = name;
	while ((slash = strpbrk(base, "/\\")))
		base = slash + 1;
	while (*base == '.')
		base++;
	for (; *base && n + 1 < size; base++)
		if (*base > 32 && *base < 127)
			out[n++] = *base;
	out[n] = '\0';
	return n > 0;
}
