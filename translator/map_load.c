/*
 * map_load - the map set: loading, resolving `extends`, lookups; see
 * map_load.h and map.h.
 *
 * set->pending holds a struct map_loader: every document ever loaded (its
 * tree, id and base) and the compiled regexes.  Documents are kept after
 * compiling so that a later batch can extend them and a duplicate id is
 * caught across batches.
 */
#include "map_load.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "map_compile.h"
#include "map_guide.h"
#include "map_merge.h"
#include "map_pipe.h"
#include "map_yaml.h"
#include "x12_scan.h"
#include "xalloc.h"
#include "yaml_doc.h"

enum doc_state { DOC_PENDING, DOC_VISITING, DOC_MERGED, DOC_FAILED };

struct map_doc {
	const char *id;
	const struct ynode *root;    /* as written */
	const struct ynode *id_node; /* the value of map: */
	const struct ynode *extends; /* the value of extends:, or NULL */
	const struct ynode *merged;  /* DOC_MERGED: over its base */
	enum doc_state state;
	bool bad; /* merging it (or its base) found a mistake */
	bool compiled;
};

struct map_loader {
	struct map_doc *docs;
	size_t n, cap;
	struct map_regexes regexes;
};

#define NO_DOC SIZE_MAX

void map_set_init(struct map_set *set)
{
	memset(set, 0, sizeof(*set));
	arena_init(&set->arena, 0);
}

void map_set_release(struct map_set *set)
{
	struct map_loader *ld = set->pending;

	if (ld) {
		map_regexes_release(&ld->regexes);
		free(ld->docs);
		free(ld);
	}
	free(set->maps);
	arena_release(&set->arena);
	memset(set, 0, sizeof(*set));
}

static struct map_loader *loader_of(struct map_set *set)
{
	if (!set->pending)
		set->pending = xcalloc(1, sizeof(struct map_loader));
	return set->pending;
}

static struct map_ctx ctx_for(struct map_set *set, struct edi_diag *errors)
{
	struct map_ctx ctx = {&set->arena, errors, &loader_of(set)->regexes, 0};
	return ctx;
}

static size_t find_doc(const struct map_loader *ld, const char *id)
{
	for (size_t i = 0; i < ld->n; i++)
		if (!strcmp(ld->docs[i].id, id))
			return i;
	return NO_DOC;
}

/* The value of key, a valid id, or NULL after reporting. */
static const struct ynode *id_at(struct map_ctx *ctx, const struct ynode *root,
				 const char *key)
{
	const struct ynode *v = map_yget(root, key);

	if (!v || !map_ctx_scalar(ctx, v, key))
		return NULL;
	if (!map_id_valid(v->value)) {
		map_ctx_error(ctx, v,
			      "%s '%s' may only hold letters, digits, '.', "
			      "'_' and '-'",
			      key, v->value);
		return NULL;
	}
	return v;
}

enum edi_code map_load_text(struct map_set *set, const char *file,
			    struct strview text, struct edi_diag *errors)
{
	struct ynode *root;
	struct edi_error e;

	if (ydoc_parse(&set->arena, file, text, &root, NULL, &e)) {
		e.code = EDI_ECONFIG;
		edi_diag_add(errors, &e);
		return EDI_ECONFIG;
	}
	return map_load_tree(set, file, root, errors);
}

enum edi_code map_load_tree(struct map_set *set, const char *file,
			    struct ynode *root, struct edi_diag *errors)
{
	struct map_loader *ld = loader_of(set);
	struct map_ctx ctx = ctx_for(set, errors);
	struct ynode top = {.file = file, .line = 1, .col = 1};
	const struct ynode *id, *ext = NULL;
	struct map_doc *d;
	size_t other;

	if (!root || root->kind != YNODE_MAP) {
		map_ctx_error(&ctx, root ? root : &top,
			      "a map file is a mapping that starts with 'map: "
			      "ID'");
		return EDI_ECONFIG;
	}
	id = id_at(&ctx, root, "map");
	if (!id && !ctx.nerrors) {
		const struct ynode *typo = map_misspelt(root, "map");

		if (typo)
			map_ctx_error(&ctx, typo,
				      "unknown key '%s' in map; did you mean "
				      "'map'?",
				      typo->value);
		else
			map_ctx_error(&ctx, root, "missing 'map: ID'");
	}
	if (ynode_get_key(root, "extends"))
		ext = id_at(&ctx, root, "extends");
	if (id && (other = find_doc(ld, id->value)) != NO_DOC) {
		const struct ynode *o = ld->docs[other].id_node;

		map_ctx_error(&ctx, id,
			      "duplicate map id '%s' (also in %s:%u:%u)",
			      id->value, o->file, o->line, o->col);
	}
	if (ctx.nerrors)
		return EDI_ECONFIG;
	if (ld->n == ld->cap) {
		ld->cap = ld->cap ? ld->cap * 2 : 16;
		ld->docs = xreallocarray(ld->docs, ld->cap, sizeof(*ld->docs));
	}
	d = &ld->docs[ld->n++];
	memset(d, 0, sizeof(*d));
	d->id = id->value;
	d->root = root;
	d->id_node = id;
	d->extends = ext;
	return EDI_OK;
}

static void report_cycle(struct map_ctx *ctx, const struct map_loader *ld,
			 const size_t *stack, size_t depth, size_t target)
{
	const struct map_doc *d = &ld->docs[stack[depth]];
	struct buf chain;
	size_t from = 0;

	while (stack[from] != target)
		from++;
	buf_init(&chain, EDI_MSG_MAX);
	for (size_t i = from; i <= depth; i++)
		buf_addf(&chain, "%s -> ", ld->docs[stack[i]].id);
	buf_adds(&chain, ld->docs[target].id);
	map_ctx_error(ctx, d->extends, "extends cycle: %s", buf_cstr(&chain));
	buf_release(&chain);
}

static const char *base_hint(struct map_ctx *ctx, const struct map_loader *ld,
			     const char *id)
{
	const char **ids = arena_array(ctx->arena, ld->n + 1, sizeof(*ids));

	for (size_t i = 0; i < ld->n; i++)
		ids[i] = ld->docs[i].id;
	return map_suggest_n(id, ids, ld->n);
}

/* Merge docs[i] over its base chain; NULL when it cannot be resolved. */
static const struct ynode *resolve_doc(struct map_ctx *ctx,
				       struct map_loader *ld, size_t i,
				       size_t *stack, size_t depth)
{
	struct map_doc *d = &ld->docs[i];
	const struct ynode *base = NULL;
	const char *hint;
	size_t b = NO_DOC, before;

	switch (d->state) {
	case DOC_MERGED:
		return d->merged;
	case DOC_FAILED:
	case DOC_VISITING:
		return NULL;
	case DOC_PENDING:
		break;
	}
	d->state = DOC_VISITING;
	stack[depth] = i;
	if (d->extends) {
		const char *bid = d->extends->value;

		b = find_doc(ld, bid);
		if (b == NO_DOC) {
			hint = base_hint(ctx, ld, bid);
			map_ctx_error(ctx, d->extends,
				      "extends unknown map '%s'%s%s%s", bid,
				      hint ? "; did you mean '" : "",
				      hint ? hint : "", hint ? "'?" : "");
		} else if (ld->docs[b].state == DOC_VISITING) {
			report_cycle(ctx, ld, stack, depth, b);
		} else if (depth + 1 >= MAP_MAX_EXTENDS) {
			map_ctx_error(ctx, d->extends,
				      "extends chain longer than %d maps",
				      MAP_MAX_EXTENDS);
		} else if (!(base = resolve_doc(ctx, ld, b, stack,
						depth + 1))) {
			map_ctx_error(ctx, d->extends,
				      "map '%s' cannot extend '%s', which "
				      "cannot be resolved",
				      d->id, bid);
		}
		if (!base) {
			d = &ld->docs[i];
			d->state = DOC_FAILED;
			return NULL;
		}
	}
	before = ctx->nerrors;
	d->merged = map_merge(ctx, base, d->root);
	d->state = DOC_MERGED;
	d->bad = ctx->nerrors != before || (b != NO_DOC && ld->docs[b].bad);
	return d->merged;
}

static void add_map(struct map_set *set, struct map *m)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->maps =
			xreallocarray(set->maps, set->cap, sizeof(*set->maps));
	}
	set->maps[set->n++] = m;
}

/*
 * What map_set_select() needs of an X12 map, worked out once instead of
 * for every set: the document as a packed key (0: longer than 3 bytes,
 * compare the text) and its length, and the depth of its extends chain.
 */
struct map_pick {
	const struct map *m;
	uint32_t key;
	size_t len;
	size_t depth;
};

static size_t extends_depth(const struct map_set *set, const struct map *m);

static void make_picks(struct map_set *set)
{
	set->picks = arena_array(&set->arena, set->n ? set->n : 1,
				 sizeof(*set->picks));
	set->npicks = 0;
	for (size_t i = 0; i < set->n; i++) {
		const struct map *m = set->maps[i];
		struct map_pick *p;

		if (m->format != MAP_FORMAT_X12)
			continue;
		p = &set->picks[set->npicks++];
		p->m = m;
		p->key = x12_tag_key(m->document);
		p->len = strlen(m->document);
		p->depth = extends_depth(set, m);
	}
	set->picks_of = set->n;
}

enum edi_code map_set_resolve(struct map_set *set, struct edi_diag *errors)
{
	struct map_loader *ld = loader_of(set);
	struct map_ctx ctx = ctx_for(set, errors);
	size_t *stack = xcalloc(ld->n ? ld->n : 1, sizeof(*stack));

	for (size_t i = 0; i < ld->n; i++)
		resolve_doc(&ctx, ld, i, stack, 0);
	free(stack);
	for (size_t i = 0; i < ld->n; i++) {
		struct map_doc *d = &ld->docs[i];
		struct map *m;

		if (d->state != DOC_MERGED || d->compiled)
			continue;
		d->compiled = true;
		m = arena_zalloc(&set->arena, sizeof(*m));
		if (map_compile(&ctx, d->merged, m) && !d->bad) {
			map_guide_prepare(m, &set->arena); /* fast checks */
			add_map(set, m);
		}
	}
	make_picks(set);
	return ctx.nerrors ? EDI_ECONFIG : EDI_OK;
}

/* --- lookups --- */

const struct map *map_set_find(const struct map_set *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->maps[i]->id, id))
			return set->maps[i];
	return NULL;
}

/* How well entry serves version: 0 not, 1 "*", else longer is better. */
static size_t version_score(const char *entry, struct strview version)
{
	size_t len = strlen(entry);

	if (!strcmp(entry, "*"))
		return 1;
	if (len > version.len || memcmp(entry, version.ptr, len))
		return 0;
	return len == version.len ? 1000 : 10 + len;
}

static size_t extends_depth(const struct map_set *set, const struct map *m)
{
	size_t depth = 0;

	while (m && m->extends && depth < MAP_MAX_EXTENDS) {
		m = map_set_find(set, m->extends);
		depth++;
	}
	return depth;
}

/* The best so far of map_set_select(). */
struct pick_best {
	const struct map *m;
	size_t score, depth;
};

/* Weigh m (serving the document) for version; depth: its extends chain's,
 * worked out only when needed when SIZE_MAX. */
static void weigh(const struct map_set *set, const struct map *m, size_t depth,
		  struct strview version, struct pick_best *best)
{
	size_t score = 0;

	for (size_t j = 0; j < m->nversions; j++) {
		size_t s = version_score(m->versions[j], version);

		if (s > score)
			score = s;
	}
	if (!score || score < best->score)
		return;
	if (depth == SIZE_MAX)
		depth = extends_depth(set, m);
	/* equally specific: the most general map (partners pick theirs by
	 * id) */
	if (score == best->score && depth >= best->depth)
		return;
	best->m = m;
	best->score = score;
	best->depth = depth;
}

const struct map *map_set_select(const struct map_set *set,
				 struct strview document,
				 struct strview version)
{
	struct pick_best best = {NULL, 0, 0};

	if (set->picks && set->picks_of == set->n) {
		uint32_t key = x12_tag_key_sv(document);

		for (size_t i = 0; i < set->npicks; i++) {
			const struct map_pick *p = &set->picks[i];

			if (p->key ? p->key != key || p->len != document.len
				   : !sv_eq_cstr(document, p->m->document))
				continue;
			weigh(set, p->m, p->depth, version, &best);
		}
		return best.m;
	}
	for (size_t i = 0; i < set->n; i++) {
		const struct map *m = set->maps[i];

		if (m->format != MAP_FORMAT_X12 ||
		    !sv_eq_cstr(document, m->document))
			continue;
		weigh(set, m, SIZE_MAX, version, &best);
	}
	return best.m;
}

static int segdef_key_cmp(const void *key, const void *elem)
{
	const struct strview *tag = key;
	const char *t = ((const struct map_segdef *)elem)->tag;
	size_t tl = strlen(t), n = tag->len < tl ? tag->len : tl;
	int c = n ? memcmp(tag->ptr, t, n) : 0;

	if (c)
		return c;
	return tag->len < tl ? -1 : tag->len > tl;
}

const struct map_segdef *map_segdef_find(const struct map *m,
					 struct strview tag)
{
	if (!m->nsegs)
		return NULL;
	return bsearch(&tag, m->segs, m->nsegs, sizeof(*m->segs),
		       segdef_key_cmp);
}

static int table_key_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct map_table *)elem)->name);
}

const struct map_table *map_table_find(const struct map *m, const char *name)
{
	if (!m->ntables)
		return NULL;
	return bsearch(name, m->tables, m->ntables, sizeof(*m->tables),
		       table_key_cmp);
}
