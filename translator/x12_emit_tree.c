/*
 * x12_emit_tree - the map's record fields walked backwards over one
 * record, into the tree of segment and loop instances (x12_emit_int.h).
 *
 * The forward direction (map_exec) reads a path from the first segment
 * with its tag in the scope, nested loops included; so a value is placed
 * in the first instance that the forward reading would find: a segment
 * directly in the scope's loop, else the first instance of the child loop
 * the segment starts, else of the child loop holding it (created when
 * missing).  A `where` clause picks the instance whose qualifier matches
 * (or an empty one) and writes the qualifier; without one, a new instance
 * is made.  Segments of the HL loop reached from outside any `each: hl`
 * go to the first HL (the shipment), made on first use.
 */
#include <stdio.h>
#include <string.h>

#include "map_tree.h"
#include "x12_emit_int.h"

static size_t path_push(struct x12_emit_set *s, const char *name, long index)
{
	size_t mark = strlen(s->path);
	size_t room = sizeof(s->path) - mark;

	if (index >= 0)
		snprintf(s->path + mark, room, "[%ld]", index);
	else if (name)
		snprintf(s->path + mark, room, "%s%s", mark ? "." : "", name);
	return mark;
}

static void path_pop(struct x12_emit_set *s, size_t mark)
{
	s->path[mark] = '\0';
}

static bool is_loop(const struct guide_node *n)
{
	return n->kind == GUIDE_LOOP;
}

static struct emit_seg *new_seg(struct x12_emit_set *s, struct emit_loop *l,
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
	if (n->nchildren && !is_loop(&n->children[0]) && !new_seg(s, inst, 0))
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

static void where_set(struct x12_emit_set *s, struct emit_seg *seg,
		      const struct map_path *p)
{
	if (p->where_element && p->nwhere &&
	    !*emit_get_el(seg, p->where_element))
		emit_set_el(s, seg, p->where_element, 0, p->where_values[0]);
}

/* The first HL of the set (made with the top level when missing). */
static struct emit_loop *top_hl(struct x12_emit_set *s)
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
static struct emit_loop *new_hl(struct x12_emit_set *s,
				struct emit_loop *parent, const char *level)
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
		return new_seg(s, l, i);
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
			inst = top_hl(s);
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
		where_set(s, seg, p);
	return seg;
}

static void place(struct x12_emit_set *s, const struct emit_scope *scope,
		  const struct map_path *p, const char *text)
{
	struct emit_seg *seg = emit_locate(s, scope, p);

	if (!seg)
		return;
	if (p->pair_qualifier) {
		for (unsigned k = p->pair_from; k + 1 <= p->pair_to; k += 2)
			if (!strcmp(emit_get_el(seg, k), p->pair_qualifier)) {
				emit_set_el(s, seg, k + 1, 0, text);
				return;
			}
		for (unsigned k = p->pair_from; k + 1 <= p->pair_to; k += 2)
			if (!*emit_get_el(seg, k) &&
			    !*emit_get_el(seg, k + 1)) {
				emit_set_el(s, seg, k, 0, p->pair_qualifier);
				emit_set_el(s, seg, k + 1, 0, text);
				return;
			}
		emit_error(s, s->path, "no free pair left in %s%02u..%02u",
			   p->tag, p->pair_from, p->pair_to);
		return;
	}
	if (p->repetition > 1) {
		emit_error(s, s->path,
			   "repetition %u of %s%02u cannot be written",
			   p->repetition, p->tag, p->element);
		return;
	}
	emit_set_el(s, seg, p->element, p->component, text);
}

static void walk(struct x12_emit_set *s, const struct emit_scope *scope,
		 const struct map_field *f, const json_t *v);

static void walk_object(struct x12_emit_set *s, const struct emit_scope *scope,
			const struct map_field *f, const json_t *v)
{
	if (!json_is_object(v)) {
		emit_error(s, s->path, "an object is expected here");
		return;
	}
	for (size_t i = 0; i < f->nchildren; i++) {
		const struct map_field *c = &f->children[i];
		const json_t *cv = json_object_get(v, c->name);
		size_t mark;
		if (!cv || json_is_null(cv))
			continue;
		mark = path_push(s, c->name, -1);
		walk(s, scope, c, cv);
		path_pop(s, mark);
	}
}

static void walk_pairs(struct x12_emit_set *s, const struct emit_scope *scope,
		       const struct map_field *f, const json_t *v)
{
	struct map_path p;
	struct emit_seg *seg;
	unsigned k = f->pairs_from;
	size_t i;
	const json_t *item;

	memset(&p, 0, sizeof(p));
	memcpy(p.tag, f->pairs_tag, sizeof(p.tag));
	seg = emit_locate(s, scope, &p);
	if (!seg)
		return;
	json_array_foreach(v, i, item)
	{
		const char *q = NULL, *val = NULL;
		struct edi_error err;
		size_t mark = path_push(s, NULL, (long)i);

		if (!json_is_object(item) ||
		    emit_plain(s->arena, json_object_get(item, "qualifier"), &q,
			       &err) ||
		    emit_plain(s->arena, json_object_get(item, "value"), &val,
			       &err) ||
		    !q || !val) {
			emit_error(s, s->path,
				   "an object with a qualifier and a value is "
				   "expected");
			path_pop(s, mark);
			continue;
		}
		while (k + 1 <= f->pairs_to &&
		       (*emit_get_el(seg, k) || *emit_get_el(seg, k + 1)))
			k += 2;
		if (k + 1 > f->pairs_to) {
			emit_error(
				s, s->path,
				"more ids than %s%02u..%s%02u hold (%u pairs)",
				f->pairs_tag, f->pairs_from, f->pairs_tag,
				f->pairs_to,
				(f->pairs_to - f->pairs_from + 1) / 2);
			path_pop(s, mark);
			return;
		}
		emit_set_el(s, seg, k, 0, q);
		emit_set_el(s, seg, k + 1, 0, val);
		path_pop(s, mark);
	}
}

static size_t child_loop(const struct guide_node *n, const char *loop_id)
{
	for (size_t i = 0; i < n->nchildren; i++)
		if (is_loop(&n->children[i]) &&
		    !strcmp(n->children[i].loop_id, loop_id))
			return i;
	return SIZE_MAX;
}

static size_t child_seg(const struct guide_node *n, const char *tag)
{
	for (size_t i = 0; i < n->nchildren; i++)
		if (!is_loop(&n->children[i]) &&
		    !strcmp(n->children[i].tag, tag))
			return i;
	return SIZE_MAX;
}

/* The first HL at level under h (NULL: anywhere), pre-order. */
static struct emit_loop *find_hl(struct emit_loop *h, const char *level)
{
	for (; h; h = h->hl_next) {
		struct emit_loop *f;
		if (!strcmp(h->hl_level, level))
			return h;
		if ((f = find_hl(h->hl_first, level)) != NULL)
			return f;
	}
	return NULL;
}

/* The scope of `within`: the first such loop or HL (made if missing). */
static bool within(struct x12_emit_set *s, const struct map_field *f,
		   struct emit_scope *sc)
{
	if (f->within.kind == MAP_SCOPE_HL) {
		struct emit_loop *h;
		if (!s->hl_node)
			goto bad;
		h = find_hl(sc->hl ? sc->hl->hl_first : s->hl_roots,
			    f->within.id);
		if (!h)
			h = !sc->hl && !strcmp(f->within.id, s->top_level)
				    ? top_hl(s)
				    : new_hl(s, sc->hl ? sc->hl : top_hl(s),
					     f->within.id);
		if (!h)
			return false;
		sc->hl = sc->loop = h;
		sc->seg = NULL;
		return true;
	}
	if (f->within.kind == MAP_SCOPE_LOOP && sc->loop && !sc->seg) {
		size_t i = child_loop(sc->loop->node, f->within.id);
		struct emit_loop *l;
		if (i == SIZE_MAX)
			goto bad;
		l = sc->loop->slots[i].loops ? sc->loop->slots[i].loops
					     : emit_new_loop(s, sc->loop, i);
		if (!l)
			return false;
		sc->loop = l;
		return true;
	}
bad:
	emit_error(s, s->path, "the map's `within: %s` cannot be written",
		   f->within.id);
	return false;
}

/* One instance of an `each` for item. */
static void each_item(struct x12_emit_set *s, const struct emit_scope *in,
		      const struct map_field *f, const json_t *item)
{
	const struct map_scope *sc = &f->scope;
	struct emit_scope inst = *in;
	size_t i;

	switch (sc->kind) {
	case MAP_SCOPE_LOOP:
		i = in->seg ? SIZE_MAX : child_loop(in->loop->node, sc->id);
		if (i == SIZE_MAX)
			break;
		inst.loop = emit_new_loop(s, in->loop, i);
		if (!inst.loop)
			return;
		inst.seg = NULL;
		where_set(s, inst.loop->slots[0].segs, &sc->where);
		walk_object(s, &inst, f, item);
		return;
	case MAP_SCOPE_SEGMENT:
		i = in->seg ? SIZE_MAX : child_seg(in->loop->node, sc->id);
		if (i == SIZE_MAX)
			break;
		inst.seg = new_seg(s, in->loop, i);
		if (!inst.seg)
			return;
		where_set(s, inst.seg, &sc->where);
		walk_object(s, &inst, f, item);
		return;
	case MAP_SCOPE_HL:
		if (!s->hl_node)
			break;
		inst.hl = new_hl(s,
				 in->hl				? in->hl
				 : strcmp(sc->id, s->top_level) ? top_hl(s)
								: NULL,
				 sc->id);
		if (!inst.hl)
			return;
		inst.loop = inst.hl;
		inst.seg = NULL;
		walk_object(s, &inst, f, item);
		return;
	case MAP_SCOPE_ROW:
		break;
	}
	emit_error(s, s->path, "the map's `each: %s` cannot be written here",
		   sc->id);
}

static void walk(struct x12_emit_set *s, const struct emit_scope *scope,
		 const struct map_field *f, const json_t *v)
{
	struct emit_scope sc = *scope;
	const char *text;
	struct edi_error err;
	bool absent;
	size_t i;
	const json_t *item;

	switch (f->kind) {
	case MAP_FIELD_PATH:
		if (emit_value(s->arena, f, v, &text, &absent, &err) !=
		    EDI_OK) {
			emit_error(s, s->path, "%s%02u: %s", f->path.tag,
				   f->path.element, err.msg);
			return;
		}
		if (!absent)
			place(s, scope, &f->path, text);
		return;
	case MAP_FIELD_CONST:
		return; /* the map's own value: nothing to write */
	case MAP_FIELD_OBJECT:
		walk_object(s, scope, f, v);
		return;
	case MAP_FIELD_LIST:
		if (!json_is_array(v)) {
			emit_error(s, s->path, "an array is expected here");
			return;
		}
		if (json_array_size(v) > f->nchildren) {
			emit_error(s, s->path,
				   "%zu items, but the map has room for %zu",
				   json_array_size(v), f->nchildren);
			return;
		}
		json_array_foreach(v, i, item)
		{
			size_t mark = path_push(s, NULL, (long)i);
			if (!json_is_null(item))
				walk(s, scope, &f->children[i], item);
			path_pop(s, mark);
		}
		return;
	case MAP_FIELD_EACH:
		if (!json_is_array(v)) {
			emit_error(s, s->path, "an array is expected here");
			return;
		}
		if (!json_array_size(v))
			return;
		if (f->has_within && !within(s, f, &sc))
			return;
		json_array_foreach(v, i, item)
		{
			size_t mark = path_push(s, NULL, (long)i);
			each_item(s, &sc, f, item);
			path_pop(s, mark);
		}
		return;
	case MAP_FIELD_PAIRS:
		if (!json_is_array(v)) {
			emit_error(s, s->path, "an array is expected here");
			return;
		}
		if (json_array_size(v))
			walk_pairs(s, scope, f, v);
		return;
	}
}

/* The level of the first HL: the first `within: hl X` of the top. */
static const char *find_top_level(const struct map_field *f)
{
	for (size_t i = 0; i < f->nchildren; i++) {
		const struct map_field *c = &f->children[i];
		if (c->kind == MAP_FIELD_EACH && c->has_within &&
		    c->within.kind == MAP_SCOPE_HL)
			return c->within.id;
	}
	return "S";
}

void emit_tree(struct x12_emit_set *s, const json_t *rec)
{
	const struct guide_node *g = &s->map->guide;
	struct emit_scope scope = {&s->root, NULL, NULL};

	s->root.node = g;
	s->root.slots = arena_array(s->arena, g->nchildren ? g->nchildren : 1,
				    sizeof(*s->root.slots));
	memset(s->root.slots, 0,
	       (g->nchildren ? g->nchildren : 1) * sizeof(*s->root.slots));
	s->hl_slot = child_loop(g, "HL");
	s->hl_node = s->hl_slot == SIZE_MAX ? NULL : &g->children[s->hl_slot];
	s->top_level = find_top_level(&s->map->record);
	s->path[0] = '\0';
	walk_object(s, &scope, &s->map->record, rec);
}
