/*
 * rec_json - record tree to JSON; see rec_json.h.
 *
 * Two writers give the same bytes.  The fast one (write_tree) walks the
 * tree with an explicit stack and keeps its write position in a local
 * pointer: before each member it asks once for room for the most that
 * member can take short of escapes (FAST_ROOM plus its text), then writes
 * the comma, the member name (rendered as the bytes `"name":` once, by
 * the record's builder (key_json) or in the name table of
 * rec_json_names.c, and copied as one fixed 32-byte block), and the
 * value, whose bytes are copied and checked in one pass (json_plain.h).
 * Containers take a way of their own, and an object of two strings
 * named ahead (a qualifier and value pair) is written in one go.
 * The exact one (write_value and the put_* helpers) checks room for every
 * piece it writes; the fast writer hands it whatever is unusual: a string
 * that needs escapes or UTF-8 checks (json_escape()), a name not rendered
 * yet or too long to render, and a member that fits only without the fast
 * writer's slack, near the buf's maximum, so that the maximum is found
 * exactly where it always was.  The buf's terminating NUL is put back
 * once at the end.
 */
#include "rec_json.h"

#include <stdint.h>
#include <string.h>

#include "json_out.h"
#include "json_plain.h"
#include "rec_json_int.h"

/* Room for n more bytes and the NUL. */
static inline enum edi_code room(struct buf *b, size_t n)
{
	if (n < b->cap - b->len && n <= b->max - b->len)
		return EDI_OK;
	return buf_reserve(b, n);
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
		if (json_plain_copy(w, p, n)) {
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

/* A member name and ':' after sep, the exact way; remembered for the
 * fast writer when it can be. */
static enum edi_code put_key(struct buf *b, char sep, const char *key,
			     struct key_memo *memo)
{
	size_t n = strlen(key);

	rec_json_memo_add(memo, key, n);
	return put_str(b, sep, key, n, true);
}

/* The exact writer: v and everything under it, room checked piece by
 * piece. */
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
			if ((rc = put_key(b, sep, c->key, memo)) != EDI_OK)
				return rc;
			sep = 0;
		}
		if ((rc = write_value(b, c, sep, depth + 1, memo)) != EDI_OK)
			return rc;
		sep = ',';
	}
	return put_char(b, 0, object ? '}' : ']');
}

/*
 * The most a member takes in the fast writer besides its text: a comma,
 * a name block, the quotes, or "false", or a bracket.
 */
#define FAST_ROOM (1 + KEY_BYTES + 8)

/* The end of the fast writer's room: it may write up to, not including,
 * the buf's last byte (the NUL's) and never past its maximum. */
static inline char *fast_end(const struct buf *b)
{
	size_t lim = b->cap - 1 < b->max ? b->cap - 1 : b->max;

	return b->ptr + lim;
}

/* Room for need bytes at *w for the fast writer: false, with b->len at
 * *w, when the buf's maximum is closer (the exact writer goes on). */
static bool fast_room(struct buf *b, char **w, char **end, size_t need)
{
	b->len = (size_t)(*w - b->ptr);
	if (buf_reserve(b, need) != EDI_OK)
		return false;
	*w = b->ptr + b->len;
	*end = fast_end(b);
	return true;
}

/* The rendered name of member c at w, the comma before it written: the
 * new w, or NULL when its name is not rendered yet (or NULL).  *prev is
 * the slot of the name before. */
static inline char *fast_name(char *w, const struct rec_value *c,
			      struct key_memo *memo, struct name_slot **prev)
{
	const char *key = c->key;
	struct name_slot *s;

	if (c->key_json) {
		memcpy(w, c->key_json->text, KEY_BYTES);
		return w + c->key_json->len;
	}
	s = (*prev)->follow;

	if (s->key != key) {
		if (!key || !(s = memo_find(memo, key)))
			return NULL;
		(*prev)->follow = s;
	}
	*prev = s;
	memcpy(w, s->text, KEY_BYTES);
	return w + s->len;
}

/*
 * An object of two strings, both named ahead (map_exec's pairs, a tenth
 * of all members), as member c of the container being written, sep and
 * name first, in one go with one room check: the new w, or NULL when it
 * is something else, too near end or needs escapes (nothing is taken
 * then; the general way writes it over).
 */
static inline char *fast_pair(char *w, const char *end, size_t sep, bool object,
			      const struct rec_value *c, struct key_memo *memo,
			      struct name_slot **prev)
{
	const struct rec_value *f = c->first, *l = f ? f->next : NULL;
	size_t n, m;

	if (!l || l->next || f->kind != REC_STRING || l->kind != REC_STRING ||
	    !f->key_json || !l->key_json)
		return NULL;
	n = f->text.len;
	m = l->text.len;
	if ((size_t)(end - w) < 3 * FAST_ROOM + n + m)
		return NULL;
	*w = ',';
	w += sep;
	if (object && !(w = fast_name(w, c, memo, prev)))
		return NULL;
	*w++ = '{';
	memcpy(w, f->key_json->text, KEY_BYTES);
	w += f->key_json->len;
	*w = '"';
	if (!json_plain_copy(w + 1, f->text.ptr, n))
		return NULL;
	w[n + 1] = '"';
	w[n + 2] = ',';
	w += n + 3;
	memcpy(w, l->key_json->text, KEY_BYTES);
	w += l->key_json->len;
	*w = '"';
	if (!json_plain_copy(w + 1, l->text.ptr, m))
		return NULL;
	w[m + 1] = '"';
	w[m + 2] = '}';
	return w + m + 3;
}

/* The fast writer: the container v and everything in it. */
static enum edi_code write_tree(struct buf *b, const struct rec_value *v,
				struct key_memo *memo)
{
	/* the containers open around cur, innermost last */
	const struct rec_value *stack[REC_JSON_MAX_DEPTH];
	unsigned depth = 0; /* of cur, the container being written; v is 0 */
	const struct rec_value *cur = v, *c = v->first;
	bool object = v->kind == REC_OBJECT;
	size_t sep = 0, need, n; /* sep: 1 after the first member */
	enum edi_code rc;
	char *w, *end, *next, vsep;
	struct name_slot *prev = &memo->start;

	if ((rc = put_char(b, 0, object ? '{' : '[')) != EDI_OK)
		return rc;
	w = b->ptr + b->len;
	end = fast_end(b);
	for (;;) {
		if (!c) {
			/* the container is done */
			if (w == end && !fast_room(b, &w, &end, 1)) {
				rc = put_char(b, 0, object ? '}' : ']');
				if (rc)
					return rc;
				w = b->ptr + b->len;
				end = fast_end(b);
			} else {
				*w++ = object ? '}' : ']';
			}
			if (!depth)
				break;
			c = cur->next;
			cur = stack[--depth];
			object = cur->kind == REC_OBJECT;
			sep = 1;
			continue;
		}
		/* strings, most members, take the shortest way */
		if (c->kind != REC_STRING)
			goto other;
		n = c->text.len;
		need = n + FAST_ROOM;
		if ((size_t)(end - w) < need && !fast_room(b, &w, &end, need))
			goto exact_member;
		*w = ',';
		w += sep;
		if (object) {
			if (!(next = fast_name(w, c, memo, &prev)))
				goto new_name;
			w = next;
		}
	string:
		*w = '"';
		if (!json_plain_copy(w + 1, c->text.ptr, n))
			goto escaped;
		w[n + 1] = '"';
		w += n + 2;
		c = c->next;
		sep = 1;
		continue;
	other:
		if (c->kind == REC_OBJECT || c->kind == REC_ARRAY)
			goto open;
		n = c->kind == REC_NUMBER ? c->text.len : 0;
		need = n + FAST_ROOM;
		if ((size_t)(end - w) < need && !fast_room(b, &w, &end, need))
			goto exact_member;
		*w = ',';
		w += sep;
		if (object) {
			if (!(next = fast_name(w, c, memo, &prev)))
				goto new_name;
			w = next;
		}
	value:
		switch (c->kind) {
		case REC_STRING:
			goto string;
		case REC_NUMBER:
			if (!json_number(c->text))
				return EDI_EINTERNAL;
			json_plain_copy(w, c->text.ptr, n);
			w += n;
			break;
		case REC_BOOL:
			if (c->boolean) {
				memcpy(w, "true", 4);
				w += 4;
			} else {
				memcpy(w, "false", 5);
				w += 5;
			}
			break;
		case REC_OBJECT:
		case REC_ARRAY:
			goto open_value;
		}
		c = c->next;
		sep = 1;
		continue;
	open:
		/* a container: no text of its own, straight in */
		n = 0;
		need = FAST_ROOM;
		if ((size_t)(end - w) < need && !fast_room(b, &w, &end, need))
			goto exact_member;
		if (c->kind == REC_OBJECT && depth + 1 < REC_JSON_MAX_DEPTH &&
		    (next = fast_pair(w, end, sep, object, c, memo, &prev))) {
			w = next;
			c = c->next;
			sep = 1;
			continue;
		}
		*w = ',';
		w += sep;
		if (object) {
			if (!(next = fast_name(w, c, memo, &prev)))
				goto new_name;
			w = next;
		}
	open_value:
		if (depth + 1 >= REC_JSON_MAX_DEPTH)
			return EDI_ELIMIT;
		stack[depth++] = cur;
		cur = c;
		object = c->kind == REC_OBJECT;
		*w++ = object ? '{' : '[';
		c = c->first;
		sep = 0;
		continue;
	new_name:
		if (!c->key)
			return EDI_EINTERNAL;
		b->len = (size_t)(w - b->ptr);
		if ((rc = put_key(b, 0, c->key, memo)) != EDI_OK)
			return rc;
		w = b->ptr + b->len;
		end = fast_end(b);
		vsep = 0;
		if ((size_t)(end - w) >= need || fast_room(b, &w, &end, need))
			goto value;
		goto exact_value;
	escaped:
		b->len = (size_t)(w - b->ptr);
		if ((rc = put_str(b, 0, c->text.ptr, n, false)) != EDI_OK)
			return rc;
		w = b->ptr + b->len;
		end = fast_end(b);
		c = c->next;
		sep = 1;
		continue;
	exact_member:
		/* near the maximum: b->len is at w */
		vsep = sep ? ',' : 0;
		if (object) {
			if (!c->key)
				return EDI_EINTERNAL;
			if ((rc = put_key(b, vsep, c->key, memo)) != EDI_OK)
				return rc;
			vsep = 0;
		}
	exact_value:
		if ((rc = write_value(b, c, vsep, depth + 1, memo)) != EDI_OK)
			return rc;
		w = b->ptr + b->len;
		end = fast_end(b);
		c = c->next;
		sep = 1;
	}
	b->len = (size_t)(w - b->ptr);
	return EDI_OK;
}

enum edi_code rec_json_put_string(struct buf *b, struct strview s, bool key)
{
	return put_str(b, 0, s.ptr, s.len, key);
}

bool rec_json_number_ok(struct strview text)
{
	return json_number(text);
}

static enum edi_code write_record(struct buf *out, const struct rec_value *v,
				  struct key_memo *memo)
{
	size_t start = out->len;
	enum edi_code rc;

	if (v->kind == REC_OBJECT || v->kind == REC_ARRAY)
		rc = write_tree(out, v, memo);
	else
		rc = write_value(out, v, 0, 0, memo);
	if (rc) {
		out->len = start;
		if (out->ptr)
			out->ptr[start] = '\0';
		return rc;
	}
	out->ptr[out->len] = '\0';
	return EDI_OK;
}

enum edi_code rec_json_write(struct buf *out, const struct rec_value *v)
{
	struct key_memo memo;

	rec_json_memo_init(&memo);
	return write_record(out, v, &memo);
}

enum edi_code rec_json_write_names(struct buf *out, const struct rec_value *v,
				   struct rec_json_names *names)
{
	return write_record(out, v, &names->memo);
}
