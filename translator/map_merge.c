/*
 * map_merge - merging map trees; see map_merge.h.
 *
 * The merge walks both trees together and knows where it is only as far
 * as the special rules need: the top level (rules append), the segments
 * mapping, one segment definition (element positions).  Everything below
 * merges generically.
 */
#include "map_merge.h"

#include <stdio.h>
#include <string.h>

enum level { LV_ANY, LV_TOP, LV_SEGMENTS, LV_SEGDEF };

static const struct ynode *merge_node(struct map_ctx *ctx,
				      const struct ynode *base,
				      const struct ynode *child,
				      enum level level);

static struct ynode *new_map(struct map_ctx *ctx, const struct ynode *mark,
			     size_t cap)
{
	struct ynode *m = ynode_new(ctx->arena, YNODE_MAP, mark);

	m->items = arena_array(ctx->arena, cap ? cap : 1, sizeof(*m->items));
	return m;
}

static void add_pair(struct ynode *m, struct ynode *k, const struct ynode *v)
{
	m->items[m->n++] = k;
	m->items[m->n++] = (struct ynode *)v;
}

/* A segment written as a bare list, as {elements: LIST}. */
static const struct ynode *as_segdef_map(struct map_ctx *ctx,
					 const struct ynode *seg)
{
	struct ynode *m;

	if (seg->kind != YNODE_SEQ)
		return seg;
	m = new_map(ctx, seg, 2);
	add_pair(m, ynode_new_scalar(ctx->arena, "elements", seg), seg);
	return m;
}

static const struct ynode *concat(struct map_ctx *ctx, const struct ynode *a,
				  const struct ynode *b)
{
	struct ynode *s = ynode_new(ctx->arena, YNODE_SEQ, b);

	s->n = a->n + b->n;
	s->items = arena_array(ctx->arena, s->n ? s->n : 1, sizeof(*s->items));
	if (a->n)
		memcpy(s->items, a->items, a->n * sizeof(*s->items));
	if (b->n)
		memcpy(s->items + a->n, b->items, b->n * sizeof(*s->items));
	return s;
}

static const struct ynode *merge_value(struct map_ctx *ctx, const char *key,
				       const struct ynode *bv,
				       const struct ynode *cv, enum level level)
{
	switch (level) {
	case LV_TOP:
		if (!strcmp(key, "rules") && bv->kind == YNODE_SEQ &&
		    cv->kind == YNODE_SEQ)
			return concat(ctx, bv, cv);
		if (!strcmp(key, "segments"))
			return merge_node(ctx, bv, cv, LV_SEGMENTS);
		return merge_node(ctx, bv, cv, LV_ANY);
	case LV_SEGMENTS:
		return merge_node(ctx, bv, cv, LV_SEGDEF);
	case LV_SEGDEF:
		if (!strcmp(key, "elements") && cv->kind == YNODE_MAP &&
		    bv->kind != YNODE_SCALAR)
			return map_merge_elements(ctx, bv, cv);
		return merge_node(ctx, bv, cv, LV_ANY);
	case LV_ANY:
		break;
	}
	return merge_node(ctx, bv, cv, LV_ANY);
}

static const struct ynode *merge_maps(struct map_ctx *ctx,
				      const struct ynode *base,
				      const struct ynode *child,
				      enum level level)
{
	struct ynode *out = new_map(ctx, child, base->n + child->n);

	for (size_t i = 0; i + 1 < base->n; i += 2) {
		struct ynode *k = base->items[i];
		struct ynode *ck = ynode_get_key(child, k->value);
		const struct ynode *cv;

		if (!ck) {
			add_pair(out, k, base->items[i + 1]);
			continue;
		}
		cv = ynode_get(child, k->value);
		if (ynode_is_null(cv))
			continue; /* null removes the key */
		add_pair(out, ck,
			 merge_value(ctx, k->value, base->items[i + 1], cv,
				     level));
	}
	for (size_t i = 0; i + 1 < child->n; i += 2) {
		struct ynode *k = child->items[i];

		if (ynode_get_key(base, k->value) ||
		    ynode_is_null(child->items[i + 1]))
			continue;
		add_pair(out, k, child->items[i + 1]);
	}
	return out;
}

static const struct ynode *merge_node(struct map_ctx *ctx,
				      const struct ynode *base,
				      const struct ynode *child,
				      enum level level)
{
	if (level == LV_SEGDEF && child->kind == YNODE_MAP)
		base = as_segdef_map(ctx, base);
	if (base->kind == YNODE_MAP && child->kind == YNODE_MAP)
		return merge_maps(ctx, base, child, level);
	return child; /* lists and values replace */
}

const struct ynode *map_merge_elements(struct map_ctx *ctx,
				       const struct ynode *base,
				       const struct ynode *positions)
{
	const struct ynode *slots[MAP_MAX_ELEMENTS] = {NULL};
	bool given[MAP_MAX_ELEMENTS] = {false};
	size_t nbase = 0, top, before = ctx->nerrors;
	struct ynode *out;

	if (base && base->kind == YNODE_MAP)
		base = map_merge_elements(ctx, NULL, base);
	if (base && base->kind == YNODE_SEQ) {
		nbase = base->n;
		if (nbase > MAP_MAX_ELEMENTS) {
			map_ctx_error(ctx, base, "more than %d elements",
				      MAP_MAX_ELEMENTS);
			return base;
		}
		for (size_t i = 0; i < nbase; i++)
			slots[i] = base->items[i];
	}
	top = nbase;
	for (size_t i = 0; i + 1 < positions->n; i += 2) {
		const struct ynode *k = positions->items[i];
		const struct ynode *v = positions->items[i + 1];
		unsigned pos;

		if (!map_sv_uint(sv_cstr(k->value), 1, MAP_MAX_ELEMENTS,
				 &pos)) {
			map_ctx_error(ctx, k,
				      "element position must be a number from "
				      "1 to %d, not '%s'",
				      MAP_MAX_ELEMENTS, k->value);
			continue;
		}
		if (ynode_is_null(v)) {
			map_ctx_error(ctx, v,
				      "element %02u cannot be removed; give "
				      "the whole element list instead",
				      pos);
			continue;
		}
		if (given[pos - 1]) {
			map_ctx_error(ctx, k, "element %02u is given twice",
				      pos);
			continue;
		}
		given[pos - 1] = true;
		slots[pos - 1] = v;
		if (pos > top)
			top = pos;
	}
	for (size_t i = 0; i < top; i++) {
		if (slots[i])
			continue;
		map_ctx_error(ctx, positions,
			      "element %02zu is not defined: positions past "
			      "the last element must follow on without a gap",
			      i + 1);
		break;
	}
	if (ctx->nerrors != before)
		return base ? base : positions;
	out = ynode_new(ctx->arena, YNODE_SEQ, positions);
	out->n = top;
	out->items =
		arena_array(ctx->arena, top ? top : 1, sizeof(*out->items));
	for (size_t i = 0; i < top; i++)
		out->items[i] = (struct ynode *)slots[i];
	return out;
}

/* --- guide_overrides --- */

/* The first word of a scalar guide entry, or of a loop entry's key. */
static struct strview entry_word(struct map_ctx *ctx, const struct ynode *e,
				 size_t i)
{
	struct strview *w;
	size_t n;

	if (e->kind == YNODE_MAP && e->n == 2)
		e = e->items[0];
	if (e->kind != YNODE_SCALAR)
		return sv_make("", 0);
	n = map_split(ctx->arena, e->value, NULL, &w);
	return i < n ? w[i] : sv_make("", 0);
}

static bool entry_is_loop(struct map_ctx *ctx, const struct ynode *e,
			  struct strview id)
{
	return e->kind == YNODE_MAP && e->n == 2 &&
	       e->items[1]->kind == YNODE_SEQ &&
	       sv_eq_cstr(entry_word(ctx, e, 0), "loop") &&
	       sv_eq(entry_word(ctx, e, 1), id);
}

struct override {
	const struct ynode *key, *value;
	struct strview *comps;
	size_t ncomps;
	const char *reqmax; /* "M >1" */
};

static const struct ynode *replace_in(struct map_ctx *ctx,
				      const struct override *ov,
				      const struct ynode *seq, size_t depth)
{
	struct strview comp = ov->comps[depth], id = comp;
	bool last = depth + 1 == ov->ncomps, loop = !last;
	struct ynode *copy, *entry = NULL;
	size_t j;

	if (comp.len > 5 && !memcmp(comp.ptr, "loop ", 5)) {
		loop = true;
		id = sv_trim(sv_make(comp.ptr + 5, comp.len - 5));
	}
	for (j = 0; j < seq->n; j++) {
		const struct ynode *e = seq->items[j];

		if (loop ? entry_is_loop(ctx, e, id)
			 : e->kind == YNODE_SCALAR &&
				    sv_eq(entry_word(ctx, e, 0), id))
			break;
	}
	if (j == seq->n) {
		char where[64];

		if (depth)
			snprintf(where, sizeof(where), "in loop '%.*s'",
				 (int)ov->comps[depth - 1].len,
				 ov->comps[depth - 1].ptr);
		else
			snprintf(where, sizeof(where), "at the top level");
		map_ctx_error(ctx, ov->key,
			      "guide_overrides: no %s '%.*s' %s of the guide",
			      loop ? "loop" : "segment", (int)id.len, id.ptr,
			      where);
		return NULL;
	}
	if (last && !loop) {
		entry = ynode_new_scalar(ctx->arena,
					 arena_printf(ctx->arena, "%.*s %s",
						      (int)id.len, id.ptr,
						      ov->reqmax),
					 ov->value);
	} else {
		const struct ynode *e = seq->items[j], *sub = e->items[1];

		if (!last) {
			sub = replace_in(ctx, ov, sub, depth + 1);
			if (!sub)
				return NULL;
		}
		entry = new_map(ctx, e, 2);
		add_pair(entry,
			 last ? ynode_new_scalar(
					ctx->arena,
					arena_printf(ctx->arena, "loop %.*s %s",
						     (int)id.len, id.ptr,
						     ov->reqmax),
					ov->value)
			      : e->items[0],
			 sub);
	}
	copy = ynode_new(ctx->arena, YNODE_SEQ, seq);
	copy->n = seq->n;
	copy->items = arena_array(ctx->arena, seq->n, sizeof(*copy->items));
	memcpy(copy->items, seq->items, seq->n * sizeof(*copy->items));
	copy->items[j] = entry;
	return copy;
}

static bool reqmax_valid(struct map_ctx *ctx, const struct ynode *v)
{
	struct strview *w;
	size_t n = map_split(ctx->arena, v->value, NULL, &w);
	unsigned max;

	if (n == 2 && (sv_eq_cstr(w[0], "M") || sv_eq_cstr(w[0], "O")) &&
	    (sv_eq_cstr(w[1], ">1") || map_sv_uint(w[1], 1, ~0u, &max)))
		return true;
	map_ctx_error(ctx, v,
		      "guide override '%s' must be 'REQ MAX' with REQ M or O "
		      "and MAX a number or >1, e.g. 'M >1'",
		      v->value);
	return false;
}

static const struct ynode *override_one(struct map_ctx *ctx,
					const struct ynode *guide,
					const struct ynode *key,
					const struct ynode *value)
{
	struct override ov = {.key = key, .value = value};
	const struct ynode *out;
	size_t n = 0;

	if (!map_ctx_scalar(ctx, value, "a guide override") ||
	    !reqmax_valid(ctx, value))
		return guide;
	ov.reqmax = value->value;
	/* "N1/N4", "PO1/loop PID": loop ids, then the entry */
	ov.comps = arena_array(ctx->arena, key->len + 1, sizeof(*ov.comps));
	for (const char *p = key->value;;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);

		ov.comps[n] = sv_trim(sv_make(p, len));
		if (!ov.comps[n++].len) {
			map_ctx_error(ctx, key,
				      "guide override '%s' must name an "
				      "entry: TAG, loop ID, or a path like "
				      "N1/N4",
				      key->value);
			return guide;
		}
		if (!slash)
			break;
		p = slash + 1;
	}
	ov.ncomps = n;
	out = replace_in(ctx, &ov, guide, 0);
	return out ? out : guide;
}

const struct ynode *map_merge(struct map_ctx *ctx, const struct ynode *base,
			      const struct ynode *child)
{
	const struct ynode *merged = child, *ov, *guide;
	struct ynode *out;

	if (base && base->kind == YNODE_MAP && child->kind == YNODE_MAP)
		merged = merge_maps(ctx, base, child, LV_TOP);
	if (!ynode_get_key(merged, "guide_overrides"))
		return merged;
	ov = ynode_get(merged, "guide_overrides");
	guide = ynode_get(merged, "guide");
	if (ynode_is_null(guide))
		guide = NULL;
	if (!ynode_is_null(ov) &&
	    map_ctx_want(ctx, ov, YNODE_MAP, "guide_overrides")) {
		if (!guide || guide->kind != YNODE_SEQ)
			map_ctx_error(ctx, ov,
				      "guide_overrides needs a guide to "
				      "change");
		else
			for (size_t i = 0; i + 1 < ov->n; i += 2)
				guide = override_one(ctx, guide, ov->items[i],
						     ov->items[i + 1]);
	}
	out = new_map(ctx, merged, merged->n);
	for (size_t i = 0; i + 1 < merged->n; i += 2) {
		const char *k = merged->items[i]->value;

		if (!strcmp(k, "guide_overrides"))
			continue;
		add_pair(out, merged->items[i],
			 !strcmp(k, "guide") && guide ? guide
						      : merged->items[i + 1]);
	}
	return out;
}
