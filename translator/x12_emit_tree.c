/*
 * x12_emit_tree - the map's record fields walked backwards over one
 * record, into the tree of segment and loop instances (x12_emit_int.h):
 * objects and lists member by member, `each` one instance per array item
 * (loop, segment or HL), pairs into the free qualifier/value pairs.  Where
 * a value goes is x12_emit_seg.c.
 */
#include <stdio.h>
#include <string.h>

#include "x12_emit_int.h"

static bool is_loop(const struct guide_node *n)
{
	return n->kind == GUIDE_LOOP;
}

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
				    ? emit_top_hl(s)
				    : emit_new_hl(s,
						  sc->hl ? sc->hl
							 : emit_top_hl(s),
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
		emit_where_set(s, inst.loop->slots[0].segs, &sc->where);
		walk_object(s, &inst, f, item);
		return;
	case MAP_SCOPE_SEGMENT:
		i = in->seg ? SIZE_MAX : child_seg(in->loop->node, sc->id);
		if (i == SIZE_MAX)
			break;
		inst.seg = emit_new_seg(s, in->loop, i);
		if (!inst.seg)
			return;
		emit_where_set(s, inst.seg, &sc->where);
		walk_object(s, &inst, f, item);
		return;
	case MAP_SCOPE_HL:
		if (!s->hl_node)
			break;
		inst.hl = emit_new_hl(s,
				      in->hl ? in->hl
				      : strcmp(sc->id, s->top_level)
					      ? emit_top_hl(s)
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
