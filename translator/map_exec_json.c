/*
 * map_exec_json - a map's fields written as JSON from the plan; see
 * map_exec_json.h.
 *
 * Each function here is its namesake in map_exec_eval.c with the node
 * making replaced by writing: keep the two in step (suite exec_json
 * compares their records on every shipped map).
 */
#include "map_exec_json.h"

#include <stdint.h>
#include <stdlib.h>

#include "map_exec_find.h"
#include "map_xform.h"

/* The end of the room: up to, not including, the buf's last byte (the
 * NUL's), and never past its maximum. */
static char *room_end(const struct buf *b)
{
	size_t lim = b->cap - 1 < b->max ? b->cap - 1 : b->max;

	return b->ptr + lim;
}

void map_exec_out_init(struct map_exec_out *o, struct buf *b)
{
	o->b = b;
	o->start = b->len;
	o->rc = EDI_OK;
	if (buf_reserve(b, 2 * MAP_EXEC_ROOM) != EDI_OK)
		abort(); /* map_exec_json_ready() said it has room */
	o->w = b->ptr + b->len;
	o->end = room_end(b);
}

void map_exec_out_grow(struct map_exec_out *o, size_t need)
{
	struct buf *b = o->b;

	b->len = (size_t)(o->w - b->ptr);
	/* map_exec_json_ready() took only a buf that memory runs out
	 * before (xrealloc aborts then): its maximum is never met */
	if (buf_reserve(b, need) != EDI_OK)
		abort();
	o->w = b->ptr + b->len;
	o->end = room_end(b);
}

enum edi_code map_exec_out_end(struct map_exec_out *o, bool drop)
{
	struct buf *b = o->b;

	b->len = (size_t)(o->w - b->ptr);
	if (drop || o->rc != EDI_OK)
		b->len = o->start;
	b->ptr[b->len] = '\0';
	return o->rc;
}

char *map_exec_out_name(struct map_exec_out *o, char *w, const char *name,
			size_t need)
{
	struct buf *b = o->b;
	enum edi_code rc;

	if (!name) {
		o->rc = EDI_EINTERNAL; /* the tree writer refuses it too */
		return w;
	}
	b->len = (size_t)(w - b->ptr);
	rc = rec_json_put_string(b, sv_cstr(name), true);
	if (rc != EDI_OK)
		o->rc = rc;
	o->w = b->ptr + b->len;
	o->end = room_end(b);
	return map_exec_out_room(o, need);
}

void map_exec_out_escaped(struct map_exec_out *o, char *w, struct strview v)
{
	struct buf *b = o->b;
	enum edi_code rc;

	b->len = (size_t)(w - b->ptr);
	rc = rec_json_put_string(b, v, false);
	if (rc != EDI_OK)
		o->rc = rc;
	o->w = b->ptr + b->len;
	o->end = room_end(b);
}

void map_exec_out_str_slow(struct map_exec_out *o, struct map_exec_cont *c,
			   const char *name,
			   const struct rec_json_name *name_json,
			   struct strview v)
{
	size_t need = v.len + MAP_EXEC_ROOM;
	char *w = map_exec_out_room(o, need);

	w = map_exec_out_key(o, c, w, name, name_json, need);
	c->sep = 1;
	*w = '"';
	if (!json_plain_copy(w + 1, v.ptr, v.len)) {
		map_exec_out_escaped(o, w, v);
		return;
	}
	w[v.len + 1] = '"';
	o->w = w + v.len + 2;
}

/* map_exec_eval.c's eval_path() */
static void json_path(struct map_exec_ctx *x, struct map_exec_out *o,
		      struct scope *s, const struct map_exec_step *st,
		      struct map_exec_cont *c)
{
	const struct map_field *f = st->field;
	struct strview v = NO_TEXT;
	const struct x12_seg *seg =
		find(x->set, s->loop, &f->path, st->key, &v);
	bool found = v.len > 0, number = false;
	struct edi_error err;

	if (map_exec_xforms(f, &v, &found, &number, x->arena, &err) != EDI_OK) {
		map_exec_value_error(x, seg, &f->path, &err);
		return;
	}
	if (found && number)
		map_exec_out_num(o, c, st->name, st->name_json, v);
	else if (found)
		map_exec_out_str(o, c, st->name, st->name_json, v);
}

static void json_steps(struct map_exec_ctx *x, struct map_exec_out *o,
		       struct scope *s, const struct map_exec_step *st,
		       size_t n, struct map_exec_cont *c);

static const struct rec_json_name pair_qualifier = REC_JSON_NAME("qualifier"),
				  pair_value_name = REC_JSON_NAME("value");

/* {"qualifier":q,"value":v} into the array c */
static void json_pair(struct map_exec_out *o, struct map_exec_cont *c,
		      struct strview q, struct strview v)
{
	struct map_exec_cont in = {0, true};
	char *w = map_exec_out_room(o, 3 * MAP_EXEC_ROOM + q.len + v.len);
	char *at = w;
	size_t mark;

	*w = ',';
	w += c->sep;
	*w++ = '{';
	memcpy(w, pair_qualifier.text, REC_JSON_NAME_BYTES);
	w += pair_qualifier.len;
	*w = '"';
	if (json_plain_copy(w + 1, q.ptr, q.len)) {
		w[q.len + 1] = '"';
		w[q.len + 2] = ',';
		w += q.len + 3;
		memcpy(w, pair_value_name.text, REC_JSON_NAME_BYTES);
		w += pair_value_name.len;
		*w = '"';
		if (json_plain_copy(w + 1, v.ptr, v.len)) {
			w[v.len + 1] = '"';
			w[v.len + 2] = '}';
			o->w = w + v.len + 3;
			c->sep = 1;
			return;
		}
	}
	/* escapes: member by member, over what was copied */
	o->w = at;
	mark = map_exec_out_open(o, c, NULL, NULL, '{');
	map_exec_out_str(o, &in, "qualifier", &pair_qualifier, q);
	map_exec_out_str(o, &in, "value", &pair_value_name, v);
	map_exec_out_close(o, c, mark, &in, '}');
}

static inline __attribute__((always_inline)) void json_pairs(
	struct map_exec_ctx *x, struct map_exec_out *o, const struct scope *s,
	const struct map_exec_step *st, struct map_exec_cont *c)
{
	const struct map_field *f = st->field;
	struct x12_tag_match tag = {st->key, st->taglen, f->pairs_tag};

	for (size_t i = s->loop->first; i < s->loop->end; i++) {
		const struct x12_seg *seg = &x->set->segs[i];
		struct map_exec_cont arr = {0, false};
		unsigned to = f->pairs_to;
		size_t mark;

		/* the key first: 4 bytes a segment (map_exec_find.h) */
		if ((tag.key && x->keys[i] != tag.key) ||
		    !x12_seg_matches(seg, &tag))
			continue;
		mark = map_exec_out_open(o, c, st->name, st->name_json, '[');
		if (to > seg->nel)
			to = seg->nel;
		for (unsigned k = f->pairs_from; k + 1 <= to; k += 2) {
			struct strview q = seg->el[k], v = seg->el[k + 1];

			if (q.len && v.len)
				json_pair(o, &arr, q, v);
		}
		map_exec_out_close(o, c, mark, &arr, ']');
		return;
	}
}

/* One element of an `each` array: the fields of st in a new scope.
 * Inline in the loops of json_each(): a call per instance cost more than
 * the few fields of a short loop. */
static inline __attribute__((always_inline)) void json_instance(
	struct map_exec_ctx *x, struct map_exec_out *o,
	struct map_exec_cont *arr, const struct x12_loop *loop,
	const struct x12_loop *hl, const struct map_exec_step *st)
{
	struct map_exec_cont obj = {0, true};
	struct scope s = scope_of(loop, hl);
	size_t mark = map_exec_out_open(o, arr, NULL, NULL, '{');

	json_steps(x, o, &s, st->children, st->nchildren, &obj);
	map_exec_out_close(o, arr, mark, &obj, '}');
}

static void json_hl_desc(struct map_exec_ctx *x, struct map_exec_out *o,
			 struct map_exec_cont *arr,
			 const struct x12_loop *under,
			 const struct map_exec_step *st)
{
	const struct map_scope *scope = &st->field->scope;

	for (const struct x12_loop *c = under->hl_first_child; c;
	     c = c->hl_next) {
		if (hl_level_is(c, scope->id))
			json_instance(x, o, arr, c, c, st);
		else if (!scope->direct)
			json_hl_desc(x, o, arr, c, st);
	}
}

static inline __attribute__((always_inline)) void json_each(
	struct map_exec_ctx *x, struct map_exec_out *o,
	const struct scope *outer, const struct map_exec_step *st,
	struct map_exec_cont *c)
{
	const struct map_field *f = st->field;
	const struct map_scope *s = &f->scope;
	const struct x12_loop *scope = outer->loop, *hl = outer->hl;
	const struct guide_node *same = NULL, *other = NULL;
	const struct x12_loop *child;
	struct map_exec_cont arr = {0, false};
	struct x12_tag_match tag;
	struct x12_loop one;
	size_t mark;

	if (f->has_within && !(scope = map_exec_within(x, scope, &hl, f)))
		return;
	child = scope->first_child;
	mark = map_exec_out_open(o, c, st->name, st->name_json, '[');
	switch (s->kind) {
	case MAP_SCOPE_LOOP:
		for (const struct x12_loop *l = scope->first_child; l;
		     l = l->next) {
			const struct guide_node *d = l->def;

			/* instances of one loop follow each other: its guide
			 * entry answers for the id once, yes or no */
			if (!d || d == other)
				continue;
			if (d != same && (d->loop_id[0] != s->id[0] ||
					  strcmp(d->loop_id, s->id))) {
				other = d;
				continue;
			}
			same = d;
			if (loop_where(x, l, s))
				json_instance(x, o, &arr, l, hl, st);
		}
		break;
	case MAP_SCOPE_SEGMENT:
		tag = x12_tag_match_init(s->id);
		memset(&one, 0, sizeof(one));
		for (size_t i = scope->first; i < scope->end; i++) {
			const struct x12_seg *seg = &x->set->segs[i];

			while (child && child->end <= i)
				child = child->next;
			if (child && child->first <= i) {
				i = child->end - 1;
				continue;
			}
			if ((tag.key && x->keys[i] != tag.key) ||
			    seg->loop != scope || !x12_seg_matches(seg, &tag))
				continue;
			if (s->where.element && !where_matches(seg, &s->where))
				continue;
			one.first = i;
			one.end = i + 1;
			json_instance(x, o, &arr, &one, hl, st);
		}
		break;
	case MAP_SCOPE_HL:
		if (!hl) {
			for (const struct x12_loop *l = x->set->hl_first; l;
			     l = l->hl_next_in_set)
				if (hl_level_is(l, s->id))
					json_instance(x, o, &arr, l, l, st);
		} else {
			json_hl_desc(x, o, &arr, hl, st);
		}
		break;
	case MAP_SCOPE_ROW:
		break; /* flat maps only */
	}
	map_exec_out_close(o, c, mark, &arr, ']');
}

/* A step that is not a plain value: out of line, so that json_steps()'
 * loop over the common kinds keeps its registers and a small frame (the
 * general path's error and the containers' state live here). */
static __attribute__((noinline)) void json_other(struct map_exec_ctx *x,
						 struct map_exec_out *o,
						 struct scope *s,
						 const struct map_exec_step *st,
						 struct map_exec_cont *c)
{
	struct map_exec_cont in;
	size_t mark;

	switch (st->op) {
	case EXEC_PATH:
		json_path(x, o, s, st, c);
		return;
	case EXEC_OBJECT:
	case EXEC_LIST:
		in.sep = 0;
		in.object = st->op == EXEC_OBJECT;
		mark = map_exec_out_open(o, c, st->name, st->name_json,
					 in.object ? '{' : '[');
		json_steps(x, o, s, st->children, st->nchildren, &in);
		map_exec_out_close(o, c, mark, &in, in.object ? '}' : ']');
		return;
	case EXEC_EACH:
		json_each(x, o, s, st, c);
		return;
	case EXEC_PAIRS:
		json_pairs(x, o, s, st, c);
		return;
	case EXEC_VALUE:
	case EXEC_DECIMAL:
	case EXEC_DATE:
	case EXEC_CONST:
		return; /* json_steps()' own */
	}
}

/* The steps st[0..n) in scope s, written into c, whose c->object is
 * object (a constant where it is inlined).  Most steps of a map are
 * plain values: they are tested for first, one predictable branch,
 * instead of a jump through the switch's table. */
static inline __attribute__((always_inline)) void json_steps_in(
	struct map_exec_ctx *x, struct map_exec_out *o, struct scope *s,
	const struct map_exec_step *st, size_t n, struct map_exec_cont *c,
	bool object)
{
	for (const struct map_exec_step *end = st + n; st < end; st++) {
		const struct x12_seg *seg;
		struct strview val;

		if (st->op == EXEC_VALUE) {
			val = plain_value(x, s, st, &seg);
			if (val.len)
				map_exec_out_str_as(o, c, object, st->name,
						    st->name_json, val);
		} else if (st->op == EXEC_DECIMAL || st->op == EXEC_DATE) {
			val = plain_value(x, s, st, &seg);
			if (!val.len)
				continue;
			if ((st->op == EXEC_DATE ||
			     !map_xform_decimal_kept(val)) &&
			    !map_exec_xform_plain(x, seg, st, &val))
				continue;
			map_exec_out_str_as(o, c, object, st->name,
					    st->name_json, val);
		} else if (st->op == EXEC_CONST) {
			map_exec_out_str_as(o, c, object, st->name,
					    st->name_json, st->text);
		} else {
			json_other(x, o, s, st, c);
		}
	}
}

/* The steps st[0..n) in scope s, written into c: the members of an
 * object (nearly all) and of a list each get their own loop. */
static void json_steps(struct map_exec_ctx *x, struct map_exec_out *o,
		       struct scope *s, const struct map_exec_step *st,
		       size_t n, struct map_exec_cont *c)
{
	if (c->object)
		json_steps_in(x, o, s, st, n, c, true);
	else
		json_steps_in(x, o, s, st, n, c, false);
}

void map_exec_json_fields(struct map_exec_ctx *x, struct map_exec_out *o,
			  const struct map_exec_plan *plan,
			  struct map_exec_cont *c)
{
	struct scope s = scope_of(&x->set->root, NULL);

	map_exec_keys(x);

	json_steps(x, o, &s, plan->steps, plan->nsteps, c);
}
