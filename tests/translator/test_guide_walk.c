/*
 * test_guide_walk - map_guide_apply() against a plain reference walk.
 *
 * The walk keeps one use count per level (of the entry at its position)
 * and lists the loops HL segments start while it places them; the
 * reference here is the walk as it was before: a count per entry of
 * every open loop, entries found by scanning, the HL loops found by a
 * pass over the set.  Both run over many random sets (segments of the
 * guide in and out of order, repeated, missing, unknown) and must agree
 * on every diagnostic, every segment's place and loop, every loop
 * instance and the HL chain.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "map_check.h"
#include "map_check_int.h"
#include "map_guide.h"
#include "map_load.h"
#include "suites.h"
#include "x12_fixture.h"
#include "x12_hl_index.h"
#include "x12_set.h"
#include "x12_types.h"

static const struct x12_delims delims = {
	.element = '*', .component = '>', .repetition = '^', .terminator = '~'};

static const char guide_map[] = "map: t-walk\n"
				"document: \"856\"\n"
				"segments:\n"
				"  BEG: [M ID 2/2, O AN 1/22]\n"
				"  HL: [M AN 1/12, O AN 1/12, M ID 1/2]\n"
				"guide:\n"
				"  - ST M 1\n"
				"  - BEG M 1\n"
				"  - DTM O 2\n"
				"  - REF O >1\n"
				"  - loop N9 O 1:\n"
				"      - N9 M 1\n"
				"      - MSG M 1\n"
				"  - loop N1 O 2:\n"
				"      - N1 M 1\n"
				"      - N3 O 2\n"
				"      - REF O 1\n"
				"      - N4 M 1\n"
				"  - loop HL M 5:\n"
				"      - HL M 1\n"
				"      - LIN O 1\n"
				"      - loop PID O 2:\n"
				"          - PID M 1\n"
				"          - MEA O 1\n"
				"          - REF M 1\n"
				"      - PO4 O 1\n"
				"  - loop CTT O 1:\n"
				"      - CTT M 1\n"
				"  - SE M 1\n";

/* --- the reference walk --- */

struct ref_level {
	const struct guide_node *node;
	struct x12_loop *inst;
	size_t pos;
	unsigned count[16]; /* every loop of guide_map has fewer entries */
};

struct ref_walk {
	const struct map *m;
	struct x12_set *set;
	struct edi_diag *diag;
	struct ref_level stack[MAP_GUIDE_MAX_DEPTH];
	size_t depth;
};

static void ref_missing(struct ref_walk *w, struct ref_level *lv, size_t from,
			size_t to, const struct x12_seg *at)
{
	for (size_t i = from; i < to && i < lv->node->nchildren; i++) {
		const struct guide_node *e = &lv->node->children[i];
		struct edi_loc loc;

		if (e->req != MAP_REQ_M || lv->count[i])
			continue;
		loc = x12_seg_loc(at, 0, 0);
		snprintf(loc.tag, sizeof(loc.tag), "%s", e->tag);
		if (e->kind == GUIDE_LOOP)
			edi_diag_addf(w->diag, X12_SEG_MISSING, &loc,
				      "mandatory loop %s is missing (before "
				      "segment %zu %.*s)",
				      e->loop_id, at->index, (int)at->tag.len,
				      at->tag.ptr);
		else
			edi_diag_addf(w->diag, X12_SEG_MISSING, &loc,
				      "mandatory segment %s is missing (before "
				      "segment %zu %.*s)",
				      e->tag, at->index, (int)at->tag.len,
				      at->tag.ptr);
	}
}

static void ref_push(struct ref_walk *w, const struct guide_node *node,
		     struct x12_loop *inst)
{
	struct ref_level *lv = &w->stack[w->depth++];

	ck_assert_uint_le(node->nchildren, 16);
	memset(lv, 0, sizeof(*lv));
	lv->node = node;
	lv->inst = inst;
}

static void ref_pop(struct ref_walk *w, size_t end, const struct x12_seg *at)
{
	struct ref_level *lv = &w->stack[w->depth - 1];

	ref_missing(w, lv, lv->pos + 1, lv->node->nchildren, at);
	lv->inst->end = end;
	w->depth--;
}

static bool ref_in_guide(const struct guide_node *n, struct strview tag)
{
	if (n->kind == GUIDE_SEGMENT)
		return sv_eq_cstr(tag, n->tag);
	for (size_t i = 0; i < n->nchildren; i++)
		if (ref_in_guide(&n->children[i], tag))
			return true;
	return false;
}

static void ref_place(struct ref_walk *w, size_t si)
{
	struct x12_seg *seg = &w->set->segs[si];
	struct ref_level *lv = NULL;
	const struct guide_node *e;
	struct x12_loop *l;
	struct edi_loc loc;
	size_t d, i = 0;

	for (d = w->depth; d-- > 0;) {
		lv = &w->stack[d];
		for (i = lv->pos ? lv->pos : d > 0; i < lv->node->nchildren;
		     i++)
			if (sv_eq_cstr(seg->tag, lv->node->children[i].tag))
				break;
		if (i < lv->node->nchildren)
			break;
	}
	if (d == (size_t)-1) {
		seg->loop = w->stack[w->depth - 1].inst;
		loc = x12_seg_loc(seg, 0, 0);
		if (ref_in_guide(&w->m->guide, seg->tag))
			edi_diag_addf(w->diag, X12_SEG_ORDER, &loc,
				      "segment %.*s is not in its proper place "
				      "here",
				      (int)seg->tag.len, seg->tag.ptr);
		else if (x12_tag_valid(seg->tag))
			edi_diag_addf(w->diag, X12_SEG_UNDEFINED, &loc,
				      "segment %.*s is not part of a %s",
				      (int)seg->tag.len, seg->tag.ptr,
				      w->m->document);
		return;
	}
	while (w->depth > d + 1)
		ref_pop(w, si, seg);
	e = &lv->node->children[i];
	if (i != lv->pos || (i == 0 && lv->count[0] == 0))
		ref_missing(w, lv, lv->count[lv->pos] ? lv->pos + 1 : lv->pos,
			    i, seg);
	lv->pos = i;
	lv->count[i]++;
	if (e->kind == GUIDE_SEGMENT) {
		seg->node = e;
		seg->loop = lv->inst;
		if (e->max && lv->count[i] > e->max) {
			loc = x12_seg_loc(seg, 0, 0);
			edi_diag_addf(w->diag, X12_SEG_MAX, &loc,
				      "segment %s is used %u times here, at "
				      "most %u are allowed",
				      e->tag, lv->count[i], e->max);
		}
		return;
	}
	if (e->max && lv->count[i] > e->max) {
		loc = x12_seg_loc(seg, 0, 0);
		edi_diag_addf(
			w->diag, X12_LOOP_MAX, &loc,
			"loop %s repeats %u times, at most %u are allowed",
			e->loop_id, lv->count[i], e->max);
	}
	l = arena_zalloc(w->set->arena, sizeof(*l));
	l->def = e;
	l->first = l->end = si;
	l->parent = lv->inst;
	if (lv->inst->last_child)
		lv->inst->last_child->next = l;
	else
		lv->inst->first_child = l;
	lv->inst->last_child = l;
	ref_push(w, e, l);
	w->stack[w->depth - 1].count[0] = 1;
	seg->node = &e->children[0];
	seg->loop = l;
}

/* The HL tree as it was built: two passes over the set. */
static void ref_hl_tree(struct ref_walk *w)
{
	struct x12_set *set = w->set;
	struct x12_loop *prev = NULL;
	size_t n = 0;
	struct x12_tag_match hl = x12_tag_match_init("HL");
	struct x12_hl_index by_id;

	for (size_t si = 0; si < set->nsegs; si++)
		n += x12_seg_matches(&set->segs[si], &hl);
	if (!n)
		return;
	x12_hl_index_init(&by_id, set->arena, n);
	for (size_t si = 0; si < set->nsegs; si++) {
		struct x12_seg *seg = &set->segs[si];
		struct x12_loop *l = seg->loop, *parent = NULL;
		struct edi_loc loc;
		bool dup;

		if (!x12_seg_matches(seg, &hl) || !l || l->first != si)
			continue;
		l->hl_id = x12_seg_el(seg, 1);
		l->hl_parent_id = x12_seg_el(seg, 2);
		l->hl_level = x12_seg_el(seg, 3);
		/* an earlier HL with this id; the latest with the parent's */
		dup = x12_hl_index_find(&by_id, l->hl_id) != NULL;
		if (l->hl_parent_id.len)
			parent = x12_hl_index_find(&by_id, l->hl_parent_id);
		if (dup) {
			loc = x12_seg_loc(seg, 1, 0);
			edi_diag_addf(w->diag, X12_HL_DUPLICATE, &loc,
				      "HL01 '%.*s' is used twice",
				      (int)l->hl_id.len, l->hl_id.ptr);
		}
		if (l->hl_parent_id.len && !parent) {
			loc = x12_seg_loc(seg, 2, 0);
			edi_diag_addf(w->diag, X12_HL_PARENT, &loc,
				      "HL02 '%.*s' names no earlier HL01",
				      (int)l->hl_parent_id.len,
				      l->hl_parent_id.ptr);
		}
		if (parent) {
			l->hl_parent = parent;
			if (parent->hl_last_child)
				parent->hl_last_child->hl_next = l;
			else
				parent->hl_first_child = l;
			parent->hl_last_child = l;
		}
		if (prev)
			prev->hl_next_in_set = l;
		else
			set->hl_first = l;
		prev = l;
		set->has_hl = true;
		x12_hl_index_add(&by_id, l);
	}
}

/* The walk as before. */
static void ref_apply(const struct map *m, struct x12_set *set,
		      struct edi_diag *diag)
{
	struct ref_walk w = {.m = m, .set = set, .diag = diag};

	memset(&set->root, 0, sizeof(set->root));
	set->root.end = set->nsegs;
	ref_push(&w, &m->guide, &set->root);
	for (size_t si = 0; si < set->nsegs; si++) {
		ref_place(&w, si);
		if (set->segs[si].node && set->segs[si].node->def)
			map_check_segment(set->segs[si].node->def,
					  &set->segs[si], &set->delims, diag);
	}
	while (w.depth > 1)
		ref_pop(&w, set->nsegs, &set->segs[set->nsegs - 1]);
	ref_missing(&w, &w.stack[0],
		    w.stack[0].count[w.stack[0].pos] ? w.stack[0].pos + 1
						     : w.stack[0].pos,
		    m->guide.nchildren, &set->segs[set->nsegs - 1]);
	ref_hl_tree(&w);
}

/* --- random sets --- */

static const char *const tags[] = {
	"ST",  "BEG", "DTM", "REF", "N9",  "MSG", "N1", "N3", "N4",  "HL",
	"LIN", "PID", "MEA", "PO4", "CTT", "SE",  "ZZ", "HL", "REF", "PID"};

static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* A set of about n segments: mostly the guide's order, now and then a
 * random tag, a repeat or a skip. */
static void random_set(char *text, size_t size, uint32_t seed, unsigned n)
{
	static const char *const order[] = {"BEG", "DTM", "REF", "N9",	"MSG",
					    "N1",  "N3",  "REF", "N4",	"HL",
					    "LIN", "PID", "MEA", "REF", "PO4",
					    "HL",  "PID", "REF", "CTT"};
	const size_t norder = sizeof(order) / sizeof(order[0]);
	uint32_t st = seed;
	size_t used = 0, k = 0;

	used += (size_t)snprintf(text, size, "ST*856*0001~");
	for (unsigned s = 0; s < n && used + 40 < size; s++) {
		uint32_t r = next_random(&st) % 16;
		const char *tag;

		if (r == 0)
			tag = tags[next_random(&st) %
				   (sizeof(tags) / sizeof(tags[0]))];
		else if (r == 1 && k)
			tag = order[(k - 1) % norder]; /* a repeat */
		else
			tag = order[(k += 1 + (r == 2)) % norder];
		if (!strcmp(tag, "HL"))
			used += (size_t)snprintf(
				text + used, size - used, "HL*%u*%u*S~",
				next_random(&st) % 6 + 1, next_random(&st) % 7);
		else
			used += (size_t)snprintf(text + used, size - used,
						 "%s*AB~", tag);
	}
	snprintf(text + used, size - used, "SE*%u*0001~", n + 2);
}

static void same_diags(const struct edi_diag *a, const struct edi_diag *b,
		       const char *text)
{
	ck_assert_msg(a->n == b->n, "%zu vs %zu diagnostics for %s", a->n, b->n,
		      text);
	for (size_t i = 0; i < a->n; i++) {
		ck_assert_msg(a->items[i].code == b->items[i].code, "%s", text);
		ck_assert_str_eq(a->items[i].msg, b->items[i].msg);
		ck_assert_str_eq(a->items[i].loc.tag, b->items[i].loc.tag);
		ck_assert_uint_eq(a->items[i].loc.segment,
				  b->items[i].loc.segment);
		ck_assert_uint_eq(a->items[i].loc.element,
				  b->items[i].loc.element);
	}
}

static void same_loops(const struct x12_loop *a, const struct x12_loop *b)
{
	for (; a && b; a = a->next, b = b->next) {
		ck_assert_ptr_eq(a->def, b->def);
		ck_assert_uint_eq(a->first, b->first);
		ck_assert_uint_eq(a->end, b->end);
		same_loops(a->first_child, b->first_child);
	}
	ck_assert_ptr_eq(a, b); /* both NULL */
}

START_TEST(test_walk_matches_reference)
{
	struct map_set maps;
	struct edi_diag errs;
	const struct map *m;
	char text[4096];

	map_set_init(&maps);
	edi_diag_init(&errs, 20);
	map_load_text(&maps, "w.yaml", sv_cstr(guide_map), &errs);
	map_set_resolve(&maps, &errs);
	ck_assert_msg(errs.n == 0, "map: %s", errs.n ? errs.items[0].msg : "");
	edi_diag_release(&errs);
	m = maps.maps[0];
	for (uint32_t seed = 1; seed <= 2000; seed++) {
		struct x12_set fast, slow;
		struct edi_diag fast_diag, slow_diag;
		struct x12_limits limits;
		struct arena arena;
		struct edi_error err;
		const struct x12_loop *hl;

		random_set(text, sizeof(text), seed, 5 + seed % 60);
		arena_init(&arena, 0);
		x12_limits_default(&limits);
		edi_diag_init(&fast_diag, 1000);
		edi_diag_init(&slow_diag, 1000);
		ck_assert_int_eq(x12_set_split(&fast, &arena, sv_cstr(text),
					       &delims, 0, 1, &limits,
					       &fast_diag, &err),
				 EDI_OK);
		ck_assert_int_eq(x12_set_split(&slow, &arena, sv_cstr(text),
					       &delims, 0, 1, &limits,
					       &slow_diag, &err),
				 EDI_OK);
		map_guide_apply(m, &fast, &fast_diag);
		ref_apply(m, &slow, &slow_diag);
		same_diags(&fast_diag, &slow_diag, text);
		ck_assert_uint_eq(fast.nsegs, slow.nsegs);
		for (size_t i = 0; i < fast.nsegs; i++) {
			ck_assert_ptr_eq(fast.segs[i].node, slow.segs[i].node);
			ck_assert_int_eq(fast.segs[i].loop == &fast.root,
					 slow.segs[i].loop == &slow.root);
			if (fast.segs[i].loop != &fast.root)
				ck_assert_uint_eq(fast.segs[i].loop->first,
						  slow.segs[i].loop->first);
		}
		same_loops(fast.root.first_child, slow.root.first_child);
		/* the HL chain and tree */
		ck_assert_int_eq(fast.has_hl, slow.has_hl);
		hl = fast.hl_first;
		for (const struct x12_loop *l = slow.hl_first; l;
		     l = l->hl_next_in_set, hl = hl->hl_next_in_set) {
			ck_assert_ptr_nonnull(hl);
			ck_assert_uint_eq(hl->first, l->first);
			ck_assert_int_eq(hl->hl_parent == NULL,
					 l->hl_parent == NULL);
			if (l->hl_parent)
				ck_assert_uint_eq(hl->hl_parent->first,
						  l->hl_parent->first);
		}
		ck_assert_ptr_null(hl);
		edi_diag_release(&fast_diag);
		edi_diag_release(&slow_diag);
		arena_release(&arena);
	}
	map_set_release(&maps);
}
END_TEST

/* A segment entry's table is its definition's, in one block, with what
 * the checks read of the definition copied right. */
static unsigned check_entry_tables(const struct guide_node *n)
{
	const struct map_check_def *ck = n->check;
	unsigned tables = 0;

	if (n->kind == GUIDE_LOOP) {
		ck_assert_ptr_null(ck);
		for (size_t i = 0; i < n->nchildren; i++)
			tables += check_entry_tables(&n->children[i]);
		return tables;
	}
	ck_assert_ptr_eq(ck, n->def ? n->def->check : NULL);
	if (!ck)
		return 0;
	ck_assert_uint_eq(ck->nelems, n->def->nelems);
	ck_assert_uint_eq(ck->mandatory_bits, n->def->mandatory_bits);
	ck_assert_int_eq(ck->has_syntax, n->def->nsyntax != 0);
	ck_assert_ptr_eq(ck->text, (const void *)(ck + 1));
	ck_assert_ptr_eq(
		ck->elems,
		(const void *)(ck->text + (ck->nelems ? ck->nelems : 1)));
	ck_assert_ptr_eq(
		ck->codes,
		(const void *)(ck->elems + (ck->nelems ? ck->nelems : 1)));
	return 1;
}

START_TEST(test_entry_tables)
{
	struct map_set maps;
	unsigned tables = 0;

	fx_load_maps(&maps, FX_SHIPPED_MAPS, FX_NSHIPPED_MAPS);
	for (size_t m = 0; m < maps.n; m++)
		tables += check_entry_tables(&maps.maps[m]->guide);
	ck_assert_uint_gt(tables, 100);
	map_set_release(&maps);
}
END_TEST

Suite *guide_walk_suite(void)
{
	Suite *s = suite_create("guide_walk");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_walk_matches_reference);
	tcase_add_test(tc, test_entry_tables);
	suite_add_tcase(s, tc);
	return s;
}
