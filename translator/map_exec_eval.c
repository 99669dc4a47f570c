/*
 * map_exec_eval - evaluating a map's fields; see map_exec_eval.h.
 *
 * Scopes and finding values are map_exec_find.h's, shared with
 * map_exec_json.c, which writes the same record as JSON without the tree:
 * a change to the evaluation here must be made there too (suite
 * exec_json compares the two).  Fields append to their parent as they go (rec_append: one
 * allocation and link per member); an object or array is linked to its
 * parent only once something went into it.  The order of evaluation is
 * the order of the fields, depth first, which is also the order of the
 * diagnostics.
 */
#include "map_exec_eval.h"

#include <string.h>

#include "map_exec.h"
#include "map_exec_find.h"
#include "map_xform.h"

void map_exec_refill(struct map_exec_ctx *x)
{
	x->spare = arena_alloc(x->arena, MAP_EXEC_BATCH * sizeof(*x->spare));
	x->spare_end = x->spare + MAP_EXEC_BATCH;
}

void map_exec_keys(struct map_exec_ctx *x)
{
	const struct x12_set *set = x->set;
	uint32_t *keys = arena_array(x->arena, set->nsegs ? set->nsegs : 1,
				     sizeof(*keys));

	for (size_t i = 0; i < set->nsegs; i++)
		keys[i] = set->segs[i].key;
	x->keys = keys;
}

/* pick() the long way: seg holds separators, or p asks for a later part */
struct strview map_exec_pick_part(const struct x12_set *set,
				  const struct x12_seg *seg, struct strview v,
				  const struct map_path *p)
{
	/* repetition 0 is the first, not the whole element */
	if (set->delims.repetition && seg->has_repetition)
		v = x12_part(v, set->delims.repetition,
			     p->repetition ? p->repetition - 1 : 0);
	else if (p->repetition > 1)
		v = sv_make(v.ptr + v.len, 0);
	if (p->component && seg->has_component)
		v = x12_part(v, set->delims.component, p->component - 1);
	else if (p->component > 1)
		v = sv_make(v.ptr + v.len, 0);
	return v;
}

struct strview map_exec_path(const struct x12_set *set,
			     const struct x12_loop *scope,
			     const struct map_path *p, bool *found,
			     const struct x12_seg **seg_out)
{
	struct strview v = {"", 0};
	const struct x12_seg *seg = find(set, scope, p, path_key(p), &v);

	if (seg && seg_out)
		*seg_out = seg;
	*found = v.len > 0;
	return v;
}

void map_exec_value_error(struct map_exec_ctx *x, const struct x12_seg *seg,
			  const struct map_path *p, const struct edi_error *e)
{
	unsigned el = p->element;
	struct edi_loc loc;

	/* "PO1 pair VP": the value element after the qualifier */
	for (unsigned k = p->pair_from; seg && k + 1 <= p->pair_to; k += 2)
		if (p->pair_qualifier &&
		    sv_eq_cstr(x12_seg_el(seg, k), p->pair_qualifier)) {
			el = k + 1;
			break;
		}
	loc = seg ? x12_seg_loc(seg, el, p->component) : edi_loc_none();
	edi_diag_addf(x->diag, X12_MAP_VALUE, &loc, "%s%02u: %s (map %s:%u)",
		      p->tag, el, e->msg,
		      p->mark.file ? p->mark.file : x->map->id, p->mark.line);
}

/* The scope an `each ... within` looks in, or NULL; *hl follows it. */
const struct x12_loop *map_exec_within(struct map_exec_ctx *x,
				       const struct x12_loop *scope,
				       const struct x12_loop **hl,
				       const struct map_field *f)
{
	const struct x12_loop *in;

	if (f->within.kind == MAP_SCOPE_HL) {
		for (in = *hl ? (*hl)->hl_first_child : x->set->hl_first;
		     in && !hl_level_is(in, f->within.id);
		     in = *hl ? in->hl_next : in->hl_next_in_set)
			;
		if (in)
			*hl = in;
		return in;
	}
	for (in = scope->first_child;
	     in && !(in->def && !strcmp(in->def->loop_id, f->within.id));
	     in = in->next)
		;
	return in;
}

/* A plain path through `decimal` or `date`; false after an error. */
bool map_exec_xform_plain(struct map_exec_ctx *x, const struct x12_seg *seg,
			  const struct map_exec_step *st, struct strview *v)
{
	struct edi_error err;
	enum edi_code rc = st->op == EXEC_DECIMAL
				   ? map_xform_decimal(x->arena, *v, v, &err)
				   : map_xform_date(x->arena, *v, v, &err);

	if (rc == EDI_OK)
		return true;
	map_exec_value_error(x, seg, &st->field->path, &err);
	return false;
}

/* Any PATH field: found the general way, through all its transforms
 * (and its default or constant), appended to parent unless absent. */
static void eval_path(struct map_exec_ctx *x, struct scope *s,
		      const struct map_exec_step *st, struct rec_value *parent)
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
	if (found)
		map_exec_add(x, parent, st->name, st->name_json,
			     number ? REC_NUMBER : REC_STRING, v);
}

static void eval_steps(struct map_exec_ctx *x, struct scope *s,
		       const struct map_exec_step *st, size_t n,
		       struct rec_value *parent);

static const struct map_exec_name pair_qualifier = MAP_EXEC_NAME("qualifier"),
				  pair_value_name = MAP_EXEC_NAME("value");

static __attribute__((noinline)) struct rec_value *eval_pairs(
	struct map_exec_ctx *x, const struct scope *s,
	const struct map_exec_step *st)
{
	const struct map_field *f = st->field;
	struct x12_tag_match tag = {st->key, st->taglen, f->pairs_tag};

	for (size_t i = s->loop->first; i < s->loop->end; i++) {
		const struct x12_seg *seg = &x->set->segs[i];
		struct rec_value *arr;
		unsigned to = f->pairs_to;

		if (!x12_seg_matches(seg, &tag))
			continue;
		/* the first such segment of the scope; a pair past its last
		 * element has no value */
		arr = map_exec_node(x, REC_ARRAY, NO_TEXT);
		if (to > seg->nel)
			to = seg->nel;
		for (unsigned k = f->pairs_from; k + 1 <= to; k += 2) {
			struct strview q = seg->el[k], v = seg->el[k + 1];
			struct rec_value *pair;

			if (!q.len || !v.len)
				continue;
			/* the object and its two members in one step */
			pair = map_exec_nodes(x, 3);
			pair[1] = (struct rec_value){
				.kind = REC_STRING,
				.text = q,
				.key = pair_qualifier.key,
				.key_json = &pair_qualifier.json,
				.next = &pair[2]};
			pair[2] = (struct rec_value){
				.kind = REC_STRING,
				.text = v,
				.key = pair_value_name.key,
				.key_json = &pair_value_name.json};
			pair[0] = (struct rec_value){.kind = REC_OBJECT,
						     .text = NO_TEXT,
						     .first = &pair[1],
						     .last = &pair[2],
						     .nchildren = 2};
			rec_link(arr, NULL, pair);
		}
		return arr;
	}
	return NULL;
}

/* One element of an `each` array: the fields of st in a new scope. */
static void each_instance(struct map_exec_ctx *x, struct rec_value *arr,
			  const struct x12_loop *loop,
			  const struct x12_loop *hl,
			  const struct map_exec_step *st)
{
	struct rec_value *obj = map_exec_node(x, REC_OBJECT, NO_TEXT);
	struct scope s = scope_of(loop, hl);

	eval_steps(x, &s, st->children, st->nchildren, obj);
	if (obj->nchildren)
		rec_link(arr, NULL, obj);
}

/* Descendants of hl (or the whole set) at a level, in order. */
static void each_hl_desc(struct map_exec_ctx *x, struct rec_value *arr,
			 const struct x12_loop *under,
			 const struct map_exec_step *st)
{
	const struct map_scope *scope = &st->field->scope;

	for (const struct x12_loop *c = under->hl_first_child; c;
	     c = c->hl_next) {
		if (hl_level_is(c, scope->id))
			each_instance(x, arr, c, c, st);
		else if (!scope->direct)
			each_hl_desc(x, arr, c, st);
	}
}

static __attribute__((noinline)) struct rec_value *eval_each(
	struct map_exec_ctx *x, const struct scope *outer,
	const struct map_exec_step *st)
{
	const struct map_field *f = st->field;
	const struct map_scope *s = &f->scope;
	const struct x12_loop *scope = outer->loop, *hl = outer->hl;
	const struct guide_node *same = NULL;
	const struct x12_loop *child;
	struct rec_value *arr;
	struct x12_tag_match tag;
	struct x12_loop one;

	if (f->has_within && !(scope = map_exec_within(x, scope, &hl, f)))
		return NULL;
	child = scope->first_child;
	arr = map_exec_node(x, REC_ARRAY, NO_TEXT);
	switch (s->kind) {
	case MAP_SCOPE_LOOP:
		for (const struct x12_loop *l = scope->first_child; l;
		     l = l->next) {
			/* instances of one loop follow each other: its guide
			 * entry answers for the id once */
			if (!l->def || (l->def != same &&
					(l->def->loop_id[0] != s->id[0] ||
					 strcmp(l->def->loop_id, s->id))))
				continue;
			same = l->def;
			if (loop_where(x, l, s))
				each_instance(x, arr, l, hl, st);
		}
		break;
	case MAP_SCOPE_SEGMENT:
		tag = x12_tag_match_init(s->id);
		/* zeroed once: the instances only read it (scopes are const) */
		memset(&one, 0, sizeof(one));
		for (size_t i = scope->first; i < scope->end; i++) {
			const struct x12_seg *seg = &x->set->segs[i];

			/* the segments of child loops, passed over at once */
			while (child && child->end <= i)
				child = child->next;
			if (child && child->first <= i) {
				i = child->end - 1;
				continue;
			}
			if (seg->loop != scope || !x12_seg_matches(seg, &tag))
				continue;
			if (s->where.element && !where_matches(seg, &s->where))
				continue;
			one.first = i;
			one.end = i + 1;
			each_instance(x, arr, &one, hl, st);
		}
		break;
	case MAP_SCOPE_HL:
		if (!hl) {
			/* the whole set: every HL at that level, in order */
			for (const struct x12_loop *l = x->set->hl_first; l;
			     l = l->hl_next_in_set)
				if (hl_level_is(l, s->id))
					each_instance(x, arr, l, l, st);
		} else {
			each_hl_desc(x, arr, hl, st);
		}
		break;
	case MAP_SCOPE_ROW:
		break; /* flat maps only */
	}
	return arr;
}

/* The steps st[0..n) in scope s, appended to parent. */
static void eval_steps(struct map_exec_ctx *x, struct scope *s,
		       const struct map_exec_step *st, size_t n,
		       struct rec_value *parent)
{
	for (const struct map_exec_step *end = st + n; st < end; st++) {
		const struct x12_seg *seg;
		struct rec_value *v = NULL;
		struct strview val;

		switch (st->op) {
		case EXEC_VALUE:
			val = plain_value(x, s, st, &seg);
			if (val.len)
				map_exec_add(x, parent, st->name, st->name_json,
					     REC_STRING, val);
			continue;
		case EXEC_DECIMAL:
		case EXEC_DATE:
			/* both give text that is never empty */
			val = plain_value(x, s, st, &seg);
			if (!val.len)
				continue;
			if ((st->op == EXEC_DATE ||
			     !map_xform_decimal_kept(val)) &&
			    !map_exec_xform_plain(x, seg, st, &val))
				continue;
			map_exec_add(x, parent, st->name, st->name_json,
				     REC_STRING, val);
			continue;
		case EXEC_PATH:
			eval_path(x, s, st, parent);
			continue;
		case EXEC_CONST:
			map_exec_add(x, parent, st->name, st->name_json,
				     REC_STRING, st->text);
			continue;
		case EXEC_OBJECT:
			v = map_exec_node(x, REC_OBJECT, NO_TEXT);
			eval_steps(x, s, st->children, st->nchildren, v);
			break;
		case EXEC_LIST:
			v = map_exec_node(x, REC_ARRAY, NO_TEXT);
			eval_steps(x, s, st->children, st->nchildren, v);
			break;
		case EXEC_EACH:
			v = eval_each(x, s, st);
			break;
		case EXEC_PAIRS:
			v = eval_pairs(x, s, st);
			break;
		}
		if (v && v->nchildren) {
			rec_link(parent, st->name, v);
			v->key_json = st->name_json;
		}
	}
}

void map_exec_fields(struct map_exec_ctx *x, const struct map_exec_plan *plan,
		     struct rec_value *obj)
{
	struct scope s = scope_of(&x->set->root, NULL);

	map_exec_keys(x);

	eval_steps(x, &s, plan->steps, plan->nsteps, obj);
}
