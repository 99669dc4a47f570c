/*
 * map_tree - the guide of a map; see map_tree.h.
 */
#include "map_tree.h"
#include "x12_scan.h"

#include <ctype.h>
#include <string.h>

static bool parse_req(struct strview w, enum map_req *req)
{
	if (sv_eq_cstr(w, "M"))
		*req = MAP_REQ_M;
	else if (sv_eq_cstr(w, "O"))
		*req = MAP_REQ_O;
	else
		return false;
	return true;
}

static bool parse_max(struct strview w, unsigned *max)
{
	if (sv_eq_cstr(w, ">1")) {
		*max = 0;
		return true;
	}
	return map_sv_uint(w, 1, ~0u, max);
}

static bool loop_id_valid(struct strview id)
{
	if (!id.len || id.len > 7)
		return false;
	for (size_t i = 0; i < id.len; i++)
		if (!isalnum((unsigned char)id.ptr[i]))
			return false;
	return true;
}

static void guide_list(struct map_ctx *ctx, const struct map *m,
		       const struct ynode *seq, struct guide_node *loop);

/* "TAG REQ MAX" or the key "loop ID REQ MAX"; w[0] is TAG or "loop". */
static bool entry_words(struct map_ctx *ctx, const struct ynode *at,
			struct guide_node *g, struct strview *w, size_t n)
{
	bool loop = g->kind == GUIDE_LOOP;
	size_t base = loop ? 1 : 0;
	const char *s = at->value;

	/* named even when the rest is wrong: paths and scopes still find
	 * it, so one mistake is reported once */
	if (loop && n >= 2 && sv_eq_cstr(w[0], "loop") && loop_id_valid(w[1]))
		sv_to_cbuf(w[1], g->loop_id, sizeof(g->loop_id));
	else if (!loop && n >= 1 && map_tag_valid(w[0]))
		sv_to_cbuf(w[0], g->tag, sizeof(g->tag));
	if (n != base + 3 || (loop && !sv_eq_cstr(w[0], "loop"))) {
		map_ctx_error(ctx, at,
			      loop ? "guide loop '%s' must be 'loop ID REQ "
				     "MAX:', e.g. 'loop N1 O 200:'"
				   : "guide entry '%s' must be 'TAG REQ MAX', "
				     "e.g. 'REF O >1'",
			      s);
		return false;
	}
	if (loop ? !loop_id_valid(w[1]) : !map_tag_valid(w[0])) {
		map_ctx_error(ctx, at,
			      loop ? "guide loop '%s': the ID must be 1 to 7 "
				     "letters or digits"
				   : "guide entry '%s': the tag must be 2 or 3 "
				     "capital letters or digits",
			      s);
		return false;
	}
	if (!parse_req(w[base + 1], &g->req)) {
		map_ctx_error(ctx, at,
			      "guide entry '%s': REQ must be M or O, not "
			      "'%.*s'",
			      s, (int)w[base + 1].len, w[base + 1].ptr);
		return false;
	}
	if (!parse_max(w[base + 2], &g->max)) {
		map_ctx_error(ctx, at,
			      "guide entry '%s': MAX must be a number or >1, "
			      "not '%.*s'",
			      s, (int)w[base + 2].len, w[base + 2].ptr);
		return false;
	}
	return true;
}

static void guide_entry(struct map_ctx *ctx, const struct map *m,
			const struct ynode *e, struct guide_node *g)
{
	const struct ynode *at = e, *body;
	struct strview *w;
	size_t n;

	g->mark = map_mark_of(e);
	if (e->kind == YNODE_MAP) {
		if (e->n != 2) {
			map_ctx_error(ctx, e,
				      "a guide loop is a mapping with one "
				      "key, 'loop ID REQ MAX', not %zu (a "
				      "missing '-'?)",
				      e->n / 2);
			return;
		}
		g->kind = GUIDE_LOOP;
		at = e->items[0];
	} else if (e->kind != YNODE_SCALAR) {
		map_ctx_error(ctx, e,
			      "a guide entry must be 'TAG REQ MAX' or 'loop "
			      "ID REQ MAX:' with its segments");
		return;
	}
	n = map_split(ctx->arena, at->value, NULL, &w);
	/* a loop with a bad REQ or MAX still gets its segments: paths in
	 * the record must not fail for that mistake too */
	if (!entry_words(ctx, at, g, w, n) && g->kind == GUIDE_SEGMENT)
		return;
	if (g->kind == GUIDE_SEGMENT) {
		g->def = map_segdef_find(m, sv_cstr(g->tag));
		return;
	}
	body = e->items[1];
	if (body->kind != YNODE_SEQ || !body->n) {
		map_ctx_error(ctx, body, "loop %s needs a list of its segments",
			      g->loop_id);
		return;
	}
	guide_list(ctx, m, body, g);
	if (g->children[0].kind == GUIDE_LOOP)
		map_ctx_error(ctx, body->items[0],
			      "loop %s must start with a segment, not a loop",
			      g->loop_id);
}

static void guide_list(struct map_ctx *ctx, const struct map *m,
		       const struct ynode *seq, struct guide_node *loop)
{
	loop->nchildren = seq->n;
	loop->children = arena_array(ctx->arena, seq->n ? seq->n : 1,
				     sizeof(*loop->children));
	for (size_t i = 0; i < seq->n; i++) {
		loop->children[i].parent = loop;
		guide_entry(ctx, m, seq->items[i], &loop->children[i]);
		loop->children[i].key = x12_tag_key(loop->children[i].tag);
	}
	if (seq->n)
		memcpy(loop->tag, loop->children[0].tag, sizeof(loop->tag));
	loop->key = x12_tag_key(loop->tag);
}

void map_tree_guide(struct map_ctx *ctx, struct map *m,
		    const struct ynode *guide)
{
	struct guide_node *root = &m->guide;

	memset(root, 0, sizeof(*root));
	root->kind = GUIDE_LOOP;
	root->req = MAP_REQ_M;
	root->max = 1;
	root->mark = map_mark_of(guide);
	if (!map_ctx_want(ctx, guide, YNODE_SEQ, "guide"))
		return;
	if (!guide->n) {
		map_ctx_error(ctx, guide, "the guide is empty");
		return;
	}
	guide_list(ctx, m, guide, root);
}

bool map_tree_has_tag(const struct guide_node *g, const char *tag)
{
	if (g->kind == GUIDE_SEGMENT)
		return !strcmp(g->tag, tag);
	for (size_t i = 0; i < g->nchildren; i++)
		if (map_tree_has_tag(&g->children[i], tag))
			return true;
	return false;
}

const struct guide_node *map_tree_find_loop(const struct guide_node *g,
					    const char *id)
{
	const struct guide_node *found;

	if (g->kind != GUIDE_LOOP)
		return NULL;
	if (g->parent && !strcmp(g->loop_id, id))
		return g;
	for (size_t i = 0; i < g->nchildren; i++)
		if ((found = map_tree_find_loop(&g->children[i], id)))
			return found;
	return NULL;
}

static void collect(const struct guide_node *g, bool loops, const char **names,
		    size_t *n)
{
	const char *name = loops ? g->loop_id : g->tag;
	size_t i;

	if ((g->kind == GUIDE_LOOP) == loops && g->parent && *name) {
		for (i = 0; names && i < *n; i++)
			if (!strcmp(names[i], name))
				break;
		if (!names || i == *n) {
			if (names)
				names[i] = name;
			++*n;
		}
	}
	for (i = 0; i < g->nchildren; i++)
		collect(&g->children[i], loops, names, n);
}

size_t map_tree_names(struct arena *a, const struct guide_node *root,
		      bool loops, const char ***names)
{
	size_t n = 0, total = 0;

	/* the first pass counts every entry, duplicates too */
	collect(root, loops, NULL, &total);
	*names = arena_array(a, total ? total : 1, sizeof(**names));
	collect(root, loops, *names, &n);
	return n;
}
