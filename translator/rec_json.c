/*
 * rec_json - record tree to JSON; see rec_json.h.
 *
 * Every write first makes room with an inline comparison against the
 * buf's capacity and maximum (buf_reserve() only when it must grow), then
 * copies straight into b->ptr; the buf's terminating NUL is put back once
 * at the end.  Strings of plain printable ASCII, nearly all of EDI data,
 * are copied and checked in one pass, eight bytes at a time; anything else
 * goes through json_escape(), which also checks UTF-8.
 */
#include "rec_json.h"

#include <stdint.h>
#include <string.h>

#include "json_out.h"

/* Room for n more bytes and the NUL. */
static inline enum edi_code room(struct buf *b, size_t n)
{
	if (n < b->cap - b->len && n <= b->max - b->len)
		return EDI_OK;
	return buf_reserve(b, n);
}

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL
/* non-zero when a byte of x is below n (n <= 128), exactly (bithacks) */
#define HAS_LESS(x, n) (((x)-ONES * (n)) & ~(x)&HIGH)

/* Non-zero when one of the 8 bytes in w is not plain (see copy_plain). */
static inline uint64_t special8(uint64_t w)
{
	return HAS_LESS(w, 0x20) | HAS_LESS(w ^ (ONES * '"'), 1) |
	       HAS_LESS(w ^ (ONES * '\\'), 1) | (w & HIGH);
}

/*
 * Copy n bytes from p to dst and tell whether they were all plain:
 * printable ASCII other than '"' and '\\', what a JSON string holds as it
 * is.  Eight bytes at a time; the last word overlaps the one before it,
 * so nothing outside p[0..n) and dst[0..n) is touched.  When the answer
 * is false dst holds a copy to throw away.
 */
static inline __attribute__((always_inline)) bool copy_plain(char *dst,
							     const char *p,
							     size_t n)
{
	uint64_t w, bad = 0;
	size_t i = 0;

	if (n < 8) {
		uint32_t lo, hi;

		if (n >= 4) {
			/* two 4-byte words that overlap, as one 8-byte one */
			memcpy(&lo, p, 4);
			memcpy(&hi, p + n - 4, 4);
			memcpy(dst, &lo, 4);
			memcpy(dst + n - 4, &hi, 4);
			return !special8(lo | (uint64_t)hi << 32);
		}
		if (!n)
			return true;
		/* bytes 0, n/2 and n-1 are every byte; 'a' fills the rest */
		w = (uint64_t)(unsigned char)p[0] |
		    (uint64_t)(unsigned char)p[n >> 1] << 8 |
		    (uint64_t)(unsigned char)p[n - 1] << 16 |
		    (ONES * 'a' & ~(uint64_t)0xffffff);
		dst[0] = p[0];
		dst[n >> 1] = p[n >> 1];
		dst[n - 1] = p[n - 1];
		return !special8(w);
	}
	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		bad |= special8(w);
		memcpy(dst + i, &w, 8);
	}
	if (i < n) {
		memcpy(&w, p + n - 8, 8);
		bad |= special8(w);
		memcpy(dst + n - 8, &w, 8);
	}
	return !bad;
}

/* A JSON string; sep (0: none) goes before it, ':' after when key. */
static enum edi_code put_str(struct buf *b, char sep, const char *p, size_t n,
			     bool key)
{
	enum edi_code rc;
	char *w;

	/* the common case: copy into place, checking on the way */
	if (room(b, n + 2 + (sep != 0) + key) == EDI_OK) {
		w = b->ptr + b->len;
		if (sep)
			*w++ = sep;
		*w++ = '"';
		if (copy_plain(w, p, n)) {
			w += n;
			*w++ = '"';
			if (key)
				*w++ = ':';
			b->len = (size_t)(w - b->ptr);
			return EDI_OK;
		}
	}
	/* escapes, UTF-8 to check, or the buf's maximum to find exactly */
	if (sep && (rc = room(b, 1)) != EDI_OK)
		return rc;
	if (sep)
		b->ptr[b->len++] = sep;
	rc = json_escape(b, sv_make(p, n));
	if (rc == EDI_OK && key && (rc = room(b, 1)) == EDI_OK)
		b->ptr[b->len++] = ':';
	return rc;
}

/* Bytes that need no escaping (numbers, true, false), after sep. */
static enum edi_code put(struct buf *b, char sep, const char *p, size_t n)
{
	enum edi_code rc = room(b, n + (sep != 0));
	char *w;

	if (rc)
		return rc;
	w = b->ptr + b->len;
	if (sep)
		*w++ = sep;
	if (n)
		memcpy(w, p, n);
	b->len = (size_t)(w + n - b->ptr);
	return EDI_OK;
}

/* One character c, after sep. */
static inline enum edi_code put_char(struct buf *b, char sep, char c)
{
	enum edi_code rc = room(b, 2);

	if (rc)
		return put(b, sep, &c, 1); /* exact, near the maximum */
	if (sep)
		b->ptr[b->len++] = sep;
	b->ptr[b->len++] = c;
	return EDI_OK;
}

static bool digits(const char *p, size_t n, size_t *i)
{
	size_t start = *i;

	while (*i < n && p[*i] >= '0' && p[*i] <= '9')
		(*i)++;
	return *i > start;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? (RFC 8259) */
static bool json_number(struct strview v)
{
	size_t i = 0;

	if (i < v.len && v.ptr[i] == '-')
		i++;
	if (i < v.len && v.ptr[i] == '0')
		i++;
	else if (!(i < v.len && v.ptr[i] >= '1' && v.ptr[i] <= '9') ||
		 !digits(v.ptr, v.len, &i))
		return false;
	if (i < v.len && v.ptr[i] == '.' && (++i, !digits(v.ptr, v.len, &i)))
		return false;
	if (i < v.len && (v.ptr[i] == 'e' || v.ptr[i] == 'E')) {
		i++;
		if (i < v.len && (v.ptr[i] == '+' || v.ptr[i] == '-'))
			i++;
		if (!digits(v.ptr, v.len, &i))
			return false;
	}
	return i == v.len;
}

/* memcpy() for the few bytes of a member name, without the call */
static inline void copy_short(char *dst, const char *p, size_t n)
{
	uint64_t w8;
	uint32_t lo, hi;

	if (n >= 8) {
		for (size_t i = 0; i + 8 <= n; i += 8) {
			memcpy(&w8, p + i, 8);
			memcpy(dst + i, &w8, 8);
		}
		memcpy(&w8, p + n - 8, 8);
		memcpy(dst + n - 8, &w8, 8);
	} else if (n >= 4) {
		memcpy(&lo, p, 4);
		memcpy(&hi, p + n - 4, 4);
		memcpy(dst, &lo, 4);
		memcpy(dst + n - 4, &hi, 4);
	} else if (n) {
		dst[0] = p[0];
		dst[n >> 1] = p[n >> 1];
		dst[n - 1] = p[n - 1];
	}
}

/*
 * Member names are few and repeat in every record (they are the map's
 * field names): their length and that they need no escaping are noted by
 * address for the rest of one rec_json_write() call.
 */
#define KEY_MEMO_BITS 8
#define KEY_MEMO_SIZE (1u << KEY_MEMO_BITS)

/* the memo slot of a name's address (Fibonacci hashing) */
static inline size_t memo_slot(const char *key)
{
	return (size_t)(((uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ULL) >>
			(64 - KEY_MEMO_BITS));
}

struct key_memo {
	const char *key[KEY_MEMO_SIZE];
	size_t len[KEY_MEMO_SIZE];
};

static enum edi_code put_key(struct buf *b, char sep, const char *key,
			     struct key_memo *memo)
{
	size_t h = memo_slot(key);
	size_t n;
	char *w;

	if (memo->key[h] == key) {
		n = memo->len[h];
		if (room(b, n + 4) == EDI_OK) {
			w = b->ptr + b->len;
			if (sep)
				*w++ = sep;
			*w++ = '"';
			copy_short(w, key, n);
			w += n;
			*w++ = '"';
			*w++ = ':';
			b->len = (size_t)(w - b->ptr);
			return EDI_OK;
		}
	}
	n = strlen(key);
	if (room(b, n + 4) == EDI_OK && copy_plain(b->ptr + b->len, key, n)) {
		memo->key[h] = key; /* plain: the fast way next time */
		memo->len[h] = n;
	}
	return put_str(b, sep, key, n, true);
}

/*
 * The usual member, a remembered name with a string value, written with
 * one check for room: true when done.  A value that needs escaping goes
 * through put_str() after the name; false (nothing written) when the
 * name is not remembered yet or the buf must grow.
 */
static inline bool put_member_str(struct buf *b, char sep,
				  const struct rec_value *c,
				  const struct key_memo *memo,
				  enum edi_code *rc)
{
	size_t h = memo_slot(c->key);
	size_t n, len = c->text.len;
	char *w;

	if (memo->key[h] != c->key)
		return false;
	n = memo->len[h];
	if (room(b, n + len + 6) != EDI_OK)
		return false;
	w = b->ptr + b->len;
	if (sep)
		*w++ = sep;
	*w++ = '"';
	copy_short(w, c->key, n);
	w += n;
	*w++ = '"';
	*w++ = ':';
	if (copy_plain(w + 1, c->text.ptr, len)) {
		*w = '"';
		w += len + 1;
		*w++ = '"';
		b->len = (size_t)(w - b->ptr);
		*rc = EDI_OK;
		return true;
	}
	b->len = (size_t)(w - b->ptr); /* the name; the value escaped */
	*rc = put_str(b, 0, c->text.ptr, len, false);
	return true;
}

static enum edi_code write_value(struct buf *b, const struct rec_value *v,
				 char sep, unsigned depth,
				 struct key_memo *memo)
{
	const struct rec_value *c;
	enum edi_code rc;
	bool object;

	switch (v->kind) {
	case REC_STRING:
		return put_str(b, sep, v->text.ptr, v->text.len, false);
	case REC_NUMBER:
		if (!json_number(v->text))
			return EDI_EINTERNAL;
		return put(b, sep, v->text.ptr, v->text.len);
	case REC_BOOL:
		return v->boolean ? put(b, sep, "true", 4)
				  : put(b, sep, "false", 5);
	case REC_OBJECT:
	case REC_ARRAY:
		break;
	}
	if (depth >= REC_JSON_MAX_DEPTH)
		return EDI_ELIMIT;
	object = v->kind == REC_OBJECT;
	if ((rc = put_char(b, sep, object ? '{' : '[')) != EDI_OK)
		return rc;
	sep = 0;
	for (c = v->first; c; c = c->next) {
		if (object) {
			if (!c->key)
				return EDI_EINTERNAL;
			if (c->kind == REC_STRING &&
			    put_member_str(b, sep, c, memo, &rc)) {
				if (rc)
					return rc;
				sep = ',';
				continue;
			}
			rc = put_key(b, sep, c->key, memo);
			if (rc)
				return rc;
			sep = 0;
		}
		if ((rc = write_value(b, c, sep, depth + 1, memo)) != EDI_OK)
			return rc;
		sep = ',';
	}
	return put_char(b, 0, object ? '}' : ']');
}

enum edi_code rec_json_write(struct buf *out, const struct rec_value *v)
{
	size_t start = out->len;
	struct key_memo memo;
	enum edi_code rc;

	memset(memo.key, 0, sizeof(memo.key));
	rc = write_value(out, v, 0, 0, &memo);

	if (rc) {
		out->len = start;
		if (out->ptr)
			out->ptr[start] = '\0';
		return rc;
	}
	out->ptr[out->len] = '\0';
	return EDI_OK;
}
