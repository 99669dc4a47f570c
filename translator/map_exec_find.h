/*
 * map_exec_find - finding a field's value in a placed set: the helpers the
 * record builder's two outputs share (map_exec_eval.c builds the tree,
 * map_exec_json.c writes JSON straight from the plan); not for use
 * outside map_exec.
 *
 * A scope is a loop instance: the whole set at the top, one repetition
 * inside `each`.  A path finds the first segment with its tag among the
 * scope's segments (nested loops included, since a loop instance's
 * segments are contiguous), comparing the packed tag map_path_parse()
 * stored.  Inline here because they are the inner loops of both.
 */
#ifndef EDI_MAP_EXEC_FIND_H
#define EDI_MAP_EXEC_FIND_H

#include <stdint.h>

#include "map_exec_eval.h"

/* pick() the long way: seg holds separators, or p asks for a later part */
struct strview map_exec_pick_part(const struct x12_set *set,
				  const struct x12_seg *seg, struct strview v,
				  const struct map_path *p);

/* sv_eq_cstr() without the strlen(): short map constants against values */
static inline bool eq_cstr(struct strview v, const char *c)
{
	for (size_t i = 0; i < v.len; i++)
		if (!c[i] || c[i] != v.ptr[i])
			return false;
	return !c[v.len];
}

static inline bool where_matches(const struct x12_seg *seg,
				 const struct map_path *p)
{
	struct strview v;

	if (!p->where_element)
		return true;
	v = x12_seg_el(seg, p->where_element);
	for (size_t i = 0; i < p->nwhere; i++)
		if (eq_cstr(v, p->where_values[i]))
			return true;
	return false;
}

/* The tag key of p; a path not made by map_path_parse() has none. */
static inline uint32_t path_key(const struct map_path *p)
{
	return p->key ? p->key : x12_tag_key(p->tag);
}

/* The value inside p's element of seg: repetition, then component.  When
 * seg holds no separator, part 1 is the element and any later part is
 * empty, which is what x12_part() would say, without looking. */
static inline struct strview pick(const struct x12_set *set,
				  const struct x12_seg *seg,
				  const struct map_path *p)
{
	struct strview v = x12_seg_el(seg, p->element);

	if (!(seg->has_repetition | seg->has_component) &&
	    (p->repetition | p->component) <= 1)
		return v;
	return map_exec_pick_part(set, seg, v, p);
}

/* "PO1 pair VP": the element after the first qualifier VP of seg */
static inline bool pair_value(const struct x12_seg *seg,
			      const struct map_path *p, struct strview *v)
{
	for (unsigned k = p->pair_from; k + 1 <= p->pair_to; k += 2)
		if (eq_cstr(x12_seg_el(seg, k), p->pair_qualifier)) {
			*v = x12_seg_el(seg, k + 1);
			return true;
		}
	return false;
}

/* The segment of scope that holds p's value, and the value; NULL when
 * there is none (*v is left alone then). */
static inline __attribute__((always_inline)) const struct x12_seg *find(
	const struct x12_set *set, const struct x12_loop *scope,
	const struct map_path *p, uint32_t key, struct strview *v)
{
	const struct x12_seg *segs = set->segs;

	for (size_t i = scope->first; i < scope->end; i++) {
		const struct x12_seg *seg = &segs[i];

		if (seg->key != key ||
		    (p->where_element && !where_matches(seg, p)))
			continue;
		if (!p->pair_qualifier) {
			*v = pick(set, seg, p);
			return seg;
		}
		if (pair_value(seg, p, v))
			return seg;
	}
	return NULL;
}

/* Where the fields of one loop instance are evaluated. */
struct scope {
	const struct x12_loop *loop; /* the instance */
	const struct x12_loop *hl;   /* the HL loop around it, or NULL */
	/* the last tag key looked for, and the first segment with it: the
	 * fields of a scope mostly come from a few segments in turn */
	uint32_t key;
	const struct x12_seg *seg;
};

#define NO_KEY UINT32_MAX /* no tag packs to it */

static inline struct scope scope_of(const struct x12_loop *loop,
				    const struct x12_loop *hl)
{
	struct scope s = {loop, hl, NO_KEY, NULL};

	return s;
}

/* The first segment of the scope with tag key, or NULL: found in x->keys,
 * 4 bytes a segment, where a scan of the segments would touch a cache
 * line every other one. */
static inline const struct x12_seg *first_with(const struct map_exec_ctx *x,
					       struct scope *s, uint32_t key)
{
	if (key != s->key) {
		const uint32_t *keys = x->keys;

		s->key = key;
		s->seg = NULL;
		for (size_t i = s->loop->first; i < s->loop->end; i++)
			if (keys[i] == key) {
				s->seg = &x->set->segs[i];
				break;
			}
	}
	return s->seg;
}

/* The value of a plain path step in the scope; empty when none. */
static inline struct strview plain_value(const struct map_exec_ctx *x,
					 struct scope *s,
					 const struct map_exec_step *st,
					 const struct x12_seg **seg_out)
{
	const struct x12_seg *seg = first_with(x, s, st->key);
	struct strview v;

	*seg_out = seg;
	if (!seg)
		return NO_TEXT;
	/* x12_seg_el(): a plain path's element is 1 or more */
	v = st->element <= seg->nel ? seg->el[st->element] : NO_TEXT;
	if (seg->has_repetition | seg->has_component)
		v = map_exec_pick_part(x->set, seg, v, &st->field->path);
	return v;
}

static inline bool hl_level_is(const struct x12_loop *l, const char *level)
{
	return eq_cstr(l->hl_level, level);
}

static inline bool loop_where(struct map_exec_ctx *x, const struct x12_loop *l,
			      const struct map_scope *s)
{
	if (!s->where.element)
		return true;
	return l->first < x->set->nsegs &&
	       where_matches(&x->set->segs[l->first], &s->where);
}

/* x->keys filled: the tag key of each segment of the set, in the arena. */
void map_exec_keys(struct map_exec_ctx *x);

/* An X12_MAP_VALUE error for p's value in seg (NULL: none) into x->diag. */
void map_exec_value_error(struct map_exec_ctx *x, const struct x12_seg *seg,
			  const struct map_path *p, const struct edi_error *e);

/* The scope an `each ... within` looks in, or NULL; *hl follows it. */
const struct x12_loop *map_exec_within(struct map_exec_ctx *x,
				       const struct x12_loop *scope,
				       const struct x12_loop **hl,
				       const struct map_field *f);

/* A plain path through `decimal` or `date`; false after an error. */
bool map_exec_xform_plain(struct map_exec_ctx *x, const struct x12_seg *seg,
			  const struct map_exec_step *st, struct strview *v);

#endif
