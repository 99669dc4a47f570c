/*
 * map_exec_json - a record written as its JSON line straight from the
 * compiled plan, without the rec_value tree: the inside of
 * map_exec_json() (map_exec.h); not for use outside map_exec.
 *
 * The fields are evaluated exactly as map_exec_eval.c does (the same
 * helpers, map_exec_find.h, in the same order, so the same diagnostics),
 * but each member is written where the tree writer (rec_json.c) would
 * write it, with the same bytes: a comma, the name rendered ahead (the
 * plan's name_json, copied as one 32-byte block), the value copied and
 * checked in one pass (json_plain.h).  An object, list or `each` is
 * opened as it starts and taken back when nothing went into it, as the
 * tree leaves out an empty one.  Anything unusual (a string that needs
 * escapes, a name not rendered ahead) is written by rec_json's exact
 * code; a value the tree writer would refuse (a number that is not a
 * JSON number, a member without a name) makes the whole record fail,
 * as it does there.  The buf's room is asked for per member with some
 * slack, which is why map_exec_json() only takes a buf that no record
 * can fill (then the tree writer could never meet its maximum either).
 */
#ifndef EDI_MAP_EXEC_JSON_H
#define EDI_MAP_EXEC_JSON_H

#include <string.h>

#include "buf.h"
#include "json_plain.h"
#include "map_exec_eval.h"
#include "rec_json.h"

/* The line being written into b. */
struct map_exec_out {
	struct buf *b;
	char *w, *end;	  /* where the next byte goes; the end of the room */
	size_t start;	  /* b->len when the record began */
	enum edi_code rc; /* EDI_OK, or why the record is dropped */
};

/* A container being written: sep is 1 once a member went into it. */
struct map_exec_cont {
	size_t sep;
	bool object;
};

/* The most a member takes besides its text: a comma, a name block, the
 * quotes or a bracket, as rec_json's fast writer counts it. */
#define MAP_EXEC_ROOM (1 + REC_JSON_NAME_BYTES + 8)

/* Start a record at the end of b (a buf map_exec_json() accepted). */
void map_exec_out_init(struct map_exec_out *o, struct buf *b);
/* Room for need bytes at o->w, the buffer grown when it must be. */
void map_exec_out_grow(struct map_exec_out *o, size_t need);
/* The record done: b holds it, or, when drop or o->rc, what it held
 * before; o->rc, or EDI_OK. */
enum edi_code map_exec_out_end(struct map_exec_out *o, bool drop);
/* A name the plan did not render, written the exact way at w, with
 * need bytes of room after it: the new w. */
char *map_exec_out_name(struct map_exec_out *o, char *w, const char *name,
			size_t need);
/* A string that needs escapes (or UTF-8 checks) at w, the exact way. */
void map_exec_out_escaped(struct map_exec_out *o, char *w, struct strview v);

static inline char *map_exec_out_room(struct map_exec_out *o, size_t need)
{
	if ((size_t)(o->end - o->w) < need)
		map_exec_out_grow(o, need);
	return o->w;
}

/* The comma and, in an object, the name of the next member of c at w,
 * need bytes of room after them: the new w. */
static inline char *map_exec_out_key(struct map_exec_out *o,
				     const struct map_exec_cont *c, char *w,
				     const char *name,
				     const struct rec_json_name *name_json,
				     size_t need)
{
	*w = ',';
	w += c->sep;
	if (!c->object)
		return w;
	if (name_json) {
		memcpy(w, name_json->text, REC_JSON_NAME_BYTES);
		return w + name_json->len;
	}
	return map_exec_out_name(o, w, name, need);
}

/* map_exec_out_str() when the name was not rendered ahead or the room
 * is short: out of line, so that the common case saves no registers. */
void map_exec_out_str_slow(struct map_exec_out *o, struct map_exec_cont *c,
			   const char *name,
			   const struct rec_json_name *name_json,
			   struct strview v);

/* A string member of c, whose c->object is object: a caller that knows
 * it (a constant in the loop of json_steps()) saves loading and testing
 * it for every member. */
static inline __attribute__((always_inline)) void map_exec_out_str_as(
	struct map_exec_out *o, struct map_exec_cont *c, bool object,
	const char *name, const struct rec_json_name *name_json,
	struct strview v)
{
	char *w = o->w;

	if ((object && !name_json) ||
	    (size_t)(o->end - w) < v.len + MAP_EXEC_ROOM) {
		map_exec_out_str_slow(o, c, name, name_json, v);
		return;
	}
	*w = ',';
	w += c->sep;
	c->sep = 1;
	if (object) {
		memcpy(w, name_json->text, REC_JSON_NAME_BYTES);
		w += name_json->len;
	}
	*w = '"';
	if (!json_plain_copy(w + 1, v.ptr, v.len)) {
		map_exec_out_escaped(o, w, v);
		return;
	}
	w[v.len + 1] = '"';
	o->w = w + v.len + 2;
}

/* A string member of c. */
static inline __attribute__((always_inline)) void map_exec_out_str(
	struct map_exec_out *o, struct map_exec_cont *c, const char *name,
	const struct rec_json_name *name_json, struct strview v)
{
	map_exec_out_str_as(o, c, c->object, name, name_json, v);
}

/* A number member of c; a text that is not a JSON number drops the
 * record, as the tree writer refuses it. */
static inline void map_exec_out_num(struct map_exec_out *o,
				    struct map_exec_cont *c, const char *name,
				    const struct rec_json_name *name_json,
				    struct strview v)
{
	size_t need = v.len + MAP_EXEC_ROOM;
	char *w = map_exec_out_room(o, need);

	if (!rec_json_number_ok(v))
		o->rc = EDI_EINTERNAL;
	w = map_exec_out_key(o, c, w, name, name_json, need);
	c->sep = 1;
	if (v.len)
		memcpy(w, v.ptr, v.len);
	o->w = w + v.len;
}

/* Open a container member of c with bracket: where the member began, for
 * map_exec_out_close(). */
static inline size_t map_exec_out_open(struct map_exec_out *o,
				       const struct map_exec_cont *c,
				       const char *name,
				       const struct rec_json_name *name_json,
				       char bracket)
{
	char *w = map_exec_out_room(o, MAP_EXEC_ROOM);
	size_t mark = (size_t)(w - o->b->ptr);

	w = map_exec_out_key(o, c, w, name, name_json, MAP_EXEC_ROOM);
	*w = bracket;
	o->w = w + 1;
	return mark;
}

/* Close the container in (opened at mark) with bracket, or take it back
 * when it is empty. */
static inline void map_exec_out_close(struct map_exec_out *o,
				      struct map_exec_cont *c, size_t mark,
				      const struct map_exec_cont *in,
				      char bracket)
{
	char *w;

	if (!in->sep) {
		o->w = o->b->ptr + mark;
		return;
	}
	w = map_exec_out_room(o, 1);
	*w = bracket;
	o->w = w + 1;
	c->sep = 1;
}

/* The fields of plan over the whole set, written into c. */
void map_exec_json_fields(struct map_exec_ctx *x, struct map_exec_out *o,
			  const struct map_exec_plan *plan,
			  struct map_exec_cont *c);

#endif
