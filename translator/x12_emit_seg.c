/*
 * x12_emit_seg - the instances of segments and loops a record makes, and
 * where a value goes; see x12_emit_int.h.
 *
 * The forward direction (map_exec) reads a path from the first segment
 * with its tag in the scope, nested loops included; so a value is placed
 * in the first instance that the forward reading would find: a segment
 * directly in the scope's loop, else the first instance of the child loop
 * the segment starts, else of the child loop holding it (created when
 * missing).  A `where` clause picks the instance whose qualifier matches
 * (or an empty one) and writes the qualifier.  Segments of the HL loop
 * reached from outside any `each: hl` go to the first HL (the shipment),
 * made on first use.
 */
#include <stdio.h>
#include <string.h>

#include "map_tree.h"
#include "x12_emit_int.h"

static bool is_loop(const struct guide_node *n)
{
	return n->kind == GUIDE_LOOP;
}

struct emit_seg *emit_new_seg(struct x12_emit_set *s, struct emit_loop *l,
			      size_t idx)
{
	const struct guide_node *n = &l->node->children[idx];
	struct emit_slot *slot = &l->slots[idx];
	struct emit_seg *seg;

	if (n->max && slot->n >= n->max) {
		emit_error(s, s->path,
			   "a segment %s more than the %u the guide allows",
			   n->tag, n->max);
		return NULL;
	}
	seg = arena_zalloc(s->arena, sizeof(*seg));
	seg->node = n;
	seg->nel = n->def && n->def->nelems ? (unsigned)n->def->nelems
					    : X12_WRITE_MAX_ELEMENTS;
	seg->el = arena_array(s->arena, seg->nel + 1, sizeof(*seg->el));
	memset(seg->el, 0, (seg->nel + 1) * sizeof(*seg->el));
	if (slot->segs_last)
		slot->segs_last->next = seg;
	else
		slot->segs = seg;
	slot->segs_last = seg;
	slot->n++;
	return seg;
}

struct emit_loop *emit_new_loop(struct x12_emit_set *s, struct emit_loop *l,
				size_t idx)
{
	const struct guide_node *n = &l->node->children[idx];
	struct emit_slot *slot = &l->slots[idx];
	struct emit_loop *inst;

	if (n->max && slot->n >= n->max) {
		emit_error(s, s->path,
			   "a loop %s more than the %u the guide allows",
			   n->loop_id, n->max);
		return NULL;
	}
	inst = arena_zalloc(s->arena, sizeof(*inst));
	inst->node = n;
	inst->slots = arena_array(s->arena, n->nchildren ? n->nchildren : 1,
				  sizeof(*inst->slots));
	memset(inst->slots, 0,
	       (n->nchildren ? n->nchildren : 1) * sizeof(*inst->slots));
	if (slot->loops_last)
		slot->loops_last->next = inst;
	else
		slot->loops = inst;
	slot->loops_last = inst;
	slot->n++;
	if (n->nchildren && !is_loop(&n->children[0]) &&
	    !emit_new_seg(s, inst, 0))
		return NULL;
	return inst;
}

const struct map_elem *emit_elem_def(const struct emit_seg *seg, unsigned el,
				     unsigned comp)
{
	const struct map_segdef *d = seg->node->def;
	const struct map_elem *e;

	if (!d || !el || el > d->nelems)
		return NULL;
	e = &d->elems[el - 1];
	if (comp && e->ncomponents)
		return comp <= e->ncomponents ? &e->components[comp - 1] : NULL;
	return e;
}

const char *emit_get_el(const struct emit_seg *seg, unsigned el)
{
	if (!el || el > seg->nel || !seg->el[el].ncomps ||
	    !seg->el[el].comps[0])
		return "";
	return seg->el[el].comps[0];
}

void emit_set_el(struct x12_emit_set *s, struct emit_seg *seg, unsigned el,
		 unsigned comp, const char *text)
{
	struct emit_el *e;
	unsigned ci = comp ? comp - 1 : 0;
	struct edi_error err;
	const char *old;

	if (!el || el > seg->nel) {
		emit_error(s, s->path, "%s has no element %u", seg->node->tag,
			   el);
		return;
	}
	if (emit_fit(s->arena, emit_elem_def(seg, el, comp), s->delims, &text,
		     &err) != EDI_OK) {
		if (comp)
			emit_error(s, s->path, "%s%02u-%u: %s", seg->node->tag,
				   el, comp, err.msg);
		else
			emit_error(s, s->path, "%s%02u: %s", seg->node->tag, el,
				   err.msg);
		seg->el[el].bad = true;
		return;
	}
	e = &seg->el[el];
	if (ci >= e->ncomps) {
		const char **c = arena_array(s->arena, ci + 1, sizeof(*c));
		memset(c, 0, (ci + 1) * sizeof(*c));
		if (e->ncomps)
			memcpy(c, e->comps, e->ncomps * sizeof(*c));
		e->comps = c;
		e->ncomps = ci + 1;
	}
	old = e->comps[ci];
	if (old && strcmp(old, text)) {
		emit_error(s, s->path,
			   "%s%02u is '%s' already (from %s), cannot also be "
			   "'%s'",
			   seg->node->tag, el, old,
			   e->field && *e->field ? e->field : "the map", text);
		return;
	}
	e->comps[ci] = text;
	if (!e->field)
		e->field = arena_strdup(s->arena, s->path);
}

static bool where_ok(const struct emit_seg *seg, const struct map_path *p)
{
	const char *v;

	if (!p->where_element)
		return true;
	v = emit_get_el(seg, p->where_element);
	if (!*v)
		return true; /* free: the qualifier will be written */
	for (size_t i = 0; i < p->nwhere; i++)
		if (!strcmp(v, p->where_values[i]))
			return true;
	return false;
}

void emit_where_set(struct x12_emit_set *s, struct emit_seg *seg,
		    const struct map_path *p)
{
	if (p->where_element && p->nwhere &&
	    !*emit_get_el(seg, p->where_element))
		emit_set_el(s, seg, p->where_element, 0, p->where_values[0]);
}

/* The first HL of the set (made with the top level when missing). */
struct emit_loop *emit_top_hl(struct x12_emit_set *s)
{
	struct emit_loop *h;

	if (s->hl_roots)
		return s->hl_roots;
	h = emit_new_loop(s, &s->root, s->hl_slot);
	if (!h)
		return NULL;
	h->hl_level = s->top_level;
	s->hl_roots = s->hl_roots_last = h;
	return h;
}

/* A new HL instance at level under parent (NULL: a root). */
struct emit_loop *emit_new_hl(struct x12_emit_set *s, struct emit_loop *parent,
			      const char *level)
{
	struct emit_loop *h = emit_new_loop(s, &s->root, s->hl_slot);

	if (!h)
		return NULL;
	h->hl_level = level;
	h->hl_parent = parent;
	if (parent) {
		if (parent->hl_last)
			parent->hl_last->hl_next = h;
		else
			parent->hl_first = h;
		parent->hl_last = h;
	} else {
		if (s->hl_roots_last)
			s->hl_roots_last->hl_next = h;
		else
			s->hl_roots = h;
		s->hl_roots_last = h;
	}
	return h;
}

static struct emit_seg *locate_in(struct x12_emit_set *s, struct emit_loop *l,
				  const struct map_path *p, unsigned depth)
{
	const struct guide_node *n = l->node;

	if (depth > 16)
		return NULL;
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct guide_node *c = &n->children[i];
		if (is_loop(c) || strcmp(c->tag, p->tag))
			continue;
		for (struct emit_seg *seg = l->slots[i].segs; seg;
		     seg = seg->next)
			if (where_ok(seg, p))
				return seg;
		return emit_new_seg(s, l, i);
	}
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct guide_node *c = &n->children[i];
		struct emit_loop *inst;
		if (!is_loop(c) || strcmp(c->tag, p->tag))
			continue;
		for (inst = l->slots[i].loops; inst; inst = inst->next)
			if (where_ok(inst->slots[0].segs, p))
				return inst->slots[0].segs;
		inst = emit_new_loop(s, l, i);
		return inst ? inst->slots[0].segs : NULL;
	}
	for (size_t i = 0; i < n->nchildren; i++) {
		const struct guide_node *c = &n->children[i];
		struct emit_loop *inst;
		if (!is_loop(c) || !map_tree_has_tag(c, p->tag))
			continue;
		if (c == s->hl_node && l == &s->root)
			inst = emit_top_hl(s);
		else
			inst = l->slots[i].loops ? l->slots[i].loops
						 : emit_new_loop(s, l, i);
		return inst ? locate_in(s, inst, p, depth + 1) : NULL;
	}
	emit_error(s, s->path, "the guide has no segment %s where %s maps it",
		   p->tag, s->path);
	return NULL;
}

struct emit_seg *emit_locate(struct x12_emit_set *s,
			     const struct emit_scope *scope,
			     const struct map_path *p)
{
	struct emit_seg *seg;

	if (scope->seg) {
		if (strcmp(scope->seg->node->tag, p->tag)) {
			emit_error(s, s->path,
				   "%s cannot be written from inside a %s "
				   "(each) scope",
				   p->tag, scope->seg->node->tag);
			return NULL;
		}
		seg = scope->seg;
	} else {
		seg = locate_in(s, scope->loop, p, 0);
	}
	if (seg && !where_ok(seg, p)) {
		emit_error(s, s->path, "%s%02u is '%s' here, not %s", p->tag,
			   p->where_element, emit_get_el(seg, p->where_element),
			   p->where_values[0]);
		return NULL;
	}
	if (seg)
		emit_where_set(s, seg, p);
	return seg;
}
