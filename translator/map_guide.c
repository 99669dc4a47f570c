/*
 * map_guide - guide placement and element checks; see map_guide.h.
 *
 * Placement keeps a stack of open loop instances, each with its position
 * in its guide loop and the number of uses of the entry there.  A segment is
 * looked for from the current position forward, first in the innermost
 * loop, then outwards; the first level that knows it wins and the loops
 * above it are closed.  In a loop the first entry (the loop's trigger) is
 * never matched again: its tag starts a new repetition one level up.  A
 * segment no level knows stays where it is, reported, and the stack is
 * left alone so that the segments after it are still placed well.
 */
#include "map_guide.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "map_check.h"
#include "map_check_fast.h"
#include "map_guide_hl.h"
#include "x12_types.h"

#define GUIDE_GOLDEN 0x9E3779B1u

/*
 * A loop's entries by tag key: a hash table without collisions (the
 * multiplier is chosen so, when the map set is prepared), so a lookup is
 * one slot of 8 bytes; and for each entry the next one with the same tag
 * (a tag can come back in a loop).
 */
struct guide_slot {
	uint32_t key;	/* UINT32_MAX (no tag's key): empty */
	uint16_t first; /* the first entry with the key */
	uint16_t last;	/* the last entry with the key */
};

struct guide_index {
	struct guide_slot *slots;
	uint32_t *next; /* [entry]: the next with its key; nchildren: none */
	uint32_t mult;	/* key * mult >> shift is the key's slot */
	unsigned shift; /* 32 - log2(slots) */
	/* one past the last mandatory entry (0: none); most loops have none
	 * after their trigger, and this line is at hand while the level is
	 * searched, next_mandatory[] not */
	size_t end_mandatory;
};

struct level {
	const struct guide_node *node;
	const struct guide_index *ix; /* node->index */
	struct x12_loop *inst;
	size_t pos;   /* entry last matched */
	unsigned run; /* uses of entry pos in this instance */
};

struct walk {
	const struct map *map;
	struct x12_set *set;
	struct edi_diag *diag;
	struct level stack[MAP_GUIDE_MAX_DEPTH];
	size_t depth; /* levels in use (root = 1) */
	/* the loops an HL segment starts, in order, linked by
	 * hl_next_in_set as map_guide_hl_tree() will leave them */
	struct x12_loop *hl_first, *hl_last;
	size_t nhl;
	struct map_check_memo memo; /* of the element checks, for this set */
};

/*
 * A level's position only moves forward (an entry is looked for from it
 * on), so the entries before it are done with and those after it were
 * never used: one count, of the entry at the position, says all that
 * per-entry counts did, and a new instance needs no array zeroed.
 */

static bool tag_eq(struct strview tag, const char *t)
{
	return sv_eq_cstr(tag, t);
}

/*
 * One store per field: an initializer of the whole struct (or a memset)
 * becomes "rep stos", which takes tens of cycles to start (callgrind
 * counts it as one instruction; perf showed a quarter of placement
 * there).  A field added to struct x12_loop must be set here too.
 */
static void loop_init(struct x12_loop *l, const struct guide_node *def,
		      size_t first, struct x12_loop *parent)
{
	struct strview none = {NULL, 0};

	_Static_assert(sizeof(struct x12_loop) ==
			       7 * sizeof(void *) + 3 * sizeof(struct strview) +
				       5 * sizeof(void *),
		       "set every field of struct x12_loop in loop_init()");
	l->def = def;
	l->first = first;
	l->end = first;
	l->parent = parent;
	l->first_child = NULL;
	l->last_child = NULL;
	l->next = NULL;
	l->hl_id = none;
	l->hl_parent_id = none;
	l->hl_level = none;
	l->hl_parent = NULL;
	l->hl_first_child = NULL;
	l->hl_last_child = NULL;
	l->hl_next = NULL;
	l->hl_next_in_set = NULL;
}

static struct x12_loop *new_loop(struct walk *w, struct x12_loop *parent,
				 const struct guide_node *def, size_t first)
{
	struct x12_loop *l = arena_alloc(w->set->arena, sizeof(*l));

	loop_init(l, def, first, parent);
	if (parent->last_child)
		parent->last_child->next = l;
	else
		parent->first_child = l;
	parent->last_child = l;
	return l;
}

static void push(struct walk *w, const struct guide_node *node,
		 struct x12_loop *inst)
{
	struct level *lv = &w->stack[w->depth++];

	lv->node = node;
	lv->ix = node->index;
	lv->inst = inst;
	lv->pos = 0;
	lv->run = 0;
}

/* The next mandatory entry of lv at or after i (i <= nchildren). */
static inline size_t next_mandatory(const struct level *lv, size_t i)
{
	const struct guide_node *n = lv->node;

	if (n->next_mandatory)
		return n->next_mandatory[i];
	while (i < n->nchildren && n->children[i].req != MAP_REQ_M)
		i++;
	return i;
}

/* report_missing() from the first mandatory entry i on. */
static void report_missing_from(struct walk *w, struct level *lv, size_t i,
				size_t to, const struct x12_seg *at)
{
	size_t n = lv->node->nchildren;

	for (; i < to && i < n; i = next_mandatory(lv, i + 1)) {
		const struct guide_node *e = &lv->node->children[i];
		struct edi_loc loc;

		if (i == lv->pos && lv->run)
			continue; /* used; the entries after pos never were */
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

/* Mandatory entries in [from, to) of a level that were never used. */
static inline void report_missing(struct walk *w, struct level *lv, size_t from,
				  size_t to, const struct x12_seg *at)
{
	size_t n = lv->node->nchildren, i;

	if (lv->ix && from >= lv->ix->end_mandatory)
		return;
	i = next_mandatory(lv, from < n ? from : n);
	if (i < to && i < n) /* usually there is no mandatory entry */
		report_missing_from(w, lv, i, to, at);
}

/* Close the innermost level: its instance ends before segment `end`. */
static void pop(struct walk *w, size_t end, const struct x12_seg *at)
{
	struct level *lv = &w->stack[w->depth - 1];

	report_missing(w, lv, lv->pos + 1, lv->node->nchildren, at);
	lv->inst->end = end;
	w->depth--;
}

/*
 * The first entry from the level's position on that the tag starts.
 *
 * "Found at this level" is the one branch that the order of the segments
 * decides (perf: most of placement's mispredictions), so an indexed level
 * answers it with one test, from the key's slot alone: the key is there
 * and its last entry is not before the position.  The entry itself is
 * then the first of the key's chain not before the position, nearly
 * always the first.
 */
static inline bool find_in_level(const struct level *lv, bool is_root,
				 uint32_t key, size_t *index)
{
	const struct guide_index *ix = lv->ix;
	size_t from = lv->pos, i;

	/* the trigger of a loop starts a new repetition above: its index
	 * leaves entry 0 out (index_loop()) */
	if (ix) {
		const struct guide_slot *sl =
			&ix->slots[(uint32_t)(key * ix->mult) >> ix->shift];

		/* "&", not "&&": one branch */
		if (!((sl->key == key) & (sl->last >= from)))
			return false;
		for (i = sl->first; i < from; i = ix->next[i])
			;
		*index = i;
		return true;
	}
	if (!is_root && from == 0)
		from = 1;
	for (i = from; i < lv->node->nchildren; i++)
		if (key == lv->node->children[i].key) {
			*index = i;
			return true;
		}
	return false;
}

static bool in_guide(const struct guide_node *n, struct strview tag)
{
	if (n->kind == GUIDE_SEGMENT)
		return tag_eq(tag, n->tag);
	for (size_t i = 0; i < n->nchildren; i++)
		if (in_guide(&n->children[i], tag))
			return true;
	return false;
}

/* Place segment si (seg); its guide entry when it has a definition to
 * check (NULL: none). */
static const struct guide_node *place(struct walk *w, struct x12_seg *seg,
				      size_t si)
{
	struct level *lv;
	const struct guide_node *e;
	struct edi_loc loc;
	size_t d, i = 0;
	bool found = false;

	for (d = w->depth; d-- > 0;)
		if (find_in_level(&w->stack[d], d == 0, seg->key, &i)) {
			found = true;
			break;
		}
	if (!found) {
		lv = &w->stack[w->depth - 1];
		seg->loop = lv->inst;
		loc = x12_seg_loc(seg, 0, 0);
		if (in_guide(&w->map->guide, seg->tag))
			edi_diag_addf(w->diag, X12_SEG_ORDER, &loc,
				      "segment %.*s is not in its proper place "
				      "here",
				      (int)seg->tag.len, seg->tag.ptr);
		else if (x12_tag_valid(seg->tag))
			edi_diag_addf(w->diag, X12_SEG_UNDEFINED, &loc,
				      "segment %.*s is not part of a %s",
				      (int)seg->tag.len, seg->tag.ptr,
				      w->map->document);
		/* an invalid tag was reported by the envelope check */
		return NULL;
	}
	while (w->depth > d + 1)
		pop(w, si, seg);
	lv = &w->stack[d];
	e = &lv->node->children[i];
	/* the same entry again leaves nothing between to be missing */
	if (i != lv->pos) {
		report_missing(w, lv, lv->pos + (lv->run != 0), i, seg);
		lv->run = 0;
		lv->pos = i;
	}
	lv->run++;
	if (e->kind == GUIDE_SEGMENT) {
		seg->node = e;
		seg->loop = lv->inst;
		if (e->max && lv->run > e->max) {
			loc = x12_seg_loc(seg, 0, 0);
			edi_diag_addf(w->diag, X12_SEG_MAX, &loc,
				      "segment %s is used %u times here, at "
				      "most %u are allowed",
				      e->tag, lv->run, e->max);
		}
		return e->def ? e : NULL;
	}
	/* a new repetition of loop e */
	if (e->max && lv->run > e->max) {
		loc = x12_seg_loc(seg, 0, 0);
		edi_diag_addf(
			w->diag, X12_LOOP_MAX, &loc,
			"loop %s repeats %u times, at most %u are allowed",
			e->loop_id, lv->run, e->max);
	}
	if (w->depth >= MAP_GUIDE_MAX_DEPTH)
		return NULL; /* map_load refuses deeper guides */
	push(w, e, new_loop(w, lv->inst, e, si));
	lv = &w->stack[w->depth - 1];
	lv->run = 1;
	seg->node = &e->children[0];
	seg->loop = lv->inst;
	if (seg->key == x12_tag_key("HL") && seg->tag.len == 2) {
		if (w->hl_last)
			w->hl_last->hl_next_in_set = lv->inst;
		else
			w->hl_first = lv->inst;
		w->hl_last = lv->inst;
		w->nhl++;
	}
	return seg->node->def ? seg->node : NULL;
}

void map_guide_apply(const struct map *m, struct x12_set *set,
		     struct edi_diag *diag)
{
	struct walk w; /* not an initializer: its stack needs no zeroing */
	struct x12_seg *segs = set->segs;
	size_t nsegs = set->nsegs;

	if (!set->nsegs)
		return;
	w.map = m;
	w.set = set;
	w.diag = diag;
	w.depth = 0;
	w.hl_first = NULL;
	w.hl_last = NULL;
	w.nhl = 0;
	map_check_memo_init(&w.memo);
	loop_init(&set->root, NULL, 0, NULL);
	set->root.end = set->nsegs;
	push(&w, &m->guide, &set->root);
	w.stack[0].pos = 0;
	for (size_t si = 0; si < nsegs; si++) {
		const struct guide_node *e = place(&w, &segs[si], si);

		if (e)
			map_check_segment_fast(e->def, e->check, &segs[si],
					       &set->delims, &w.memo, diag);
	}
	while (w.depth > 1)
		pop(&w, set->nsegs, &set->segs[set->nsegs - 1]);
	report_missing(&w, &w.stack[0],
		       w.stack[0].run ? w.stack[0].pos + 1 : w.stack[0].pos,
		       m->guide.nchildren, &set->segs[set->nsegs - 1]);
	map_guide_hl_tree(set, w.hl_first, w.nhl, diag);
}

/* --- preparing --- */

/* Place the distinct keys of n's entries from first on in slots (of
 * 2^bits) by mult, or false when two collide. */
static bool index_fill(struct guide_index *ix, const struct guide_node *n,
		       size_t first, size_t nslots)
{
	for (size_t h = 0; h < nslots; h++)
		ix->slots[h] = (struct guide_slot){UINT32_MAX, 0, 0};
	/* backwards, so that each key's chain runs forwards */
	for (size_t i = n->nchildren; i-- > first;) {
		uint32_t key = n->children[i].key;
		struct guide_slot *sl =
			&ix->slots[(uint32_t)(key * ix->mult) >> ix->shift];
		bool used = sl->key != UINT32_MAX;

		if (used && sl->key != key)
			return false;
		ix->next[i] = used ? sl->first : (uint32_t)n->nchildren;
		if (!used)
			sl->last = (uint16_t)i;
		sl->key = key;
		sl->first = (uint16_t)i;
	}
	return true;
}

/*
 * The entries of loop n by tag key, or NULL when a key does not pack.
 * A loop's trigger (entry 0, not of the root) is left out: its tag starts
 * a new repetition one level up, so that find_in_level() need not start
 * after it.
 */
static const struct guide_index *index_loop(const struct guide_node *n,
					    bool is_root, struct arena *a)
{
	size_t first = is_root ? 0 : 1;
	struct guide_index *ix;
	size_t nslots = 4;
	unsigned bits = 2;
	uint32_t mult = GUIDE_GOLDEN;

	if (n->nchildren >= UINT16_MAX) /* slots hold entries in 16 bits */
		return NULL;
	for (size_t i = 0; i < n->nchildren; i++)
		if (!n->children[i].key)
			return NULL;
	while (nslots < 4 * n->nchildren) {
		nslots *= 2;
		bits++;
	}
	ix = arena_alloc(a, sizeof(*ix));
	ix->end_mandatory = 0;
	for (size_t i = n->nchildren; i-- > 0;)
		if (n->children[i].req == MAP_REQ_M) {
			ix->end_mandatory = i + 1;
			break;
		}
	ix->next = arena_array(a, n->nchildren + 1, sizeof(*ix->next));
	ix->next[0] = (uint32_t)n->nchildren; /* when first is 1 */
	/* try multipliers, then twice the slots, until no key collides */
	for (;;) {
		ix->slots = arena_array(a, nslots, sizeof(*ix->slots));
		ix->shift = 32 - bits;
		for (int t = 0; t < 64; t++) {
			ix->mult = mult | 1;
			if (index_fill(ix, n, first, nslots))
				return ix;
			mult = mult * 1103515245u + 12345u;
		}
		if (bits >= 20)
			return NULL; /* the scan will do */
		nslots *= 2;
		bits++;
	}
}

static void prepare_loop(struct guide_node *n, bool is_root, struct arena *a)
{
	size_t *next;

	if (n->kind != GUIDE_LOOP) {
		n->check = n->def ? n->def->check : NULL;
		return;
	}
	next = arena_array(a, n->nchildren + 1, sizeof(*next));
	next[n->nchildren] = n->nchildren;
	for (size_t i = n->nchildren; i-- > 0;) {
		struct guide_node *c = &n->children[i];

		next[i] = c->req == MAP_REQ_M ? i : next[i + 1];
		prepare_loop(c, false, a);
	}
	n->next_mandatory = next;
	n->index = index_loop(n, is_root, a);
}

void map_guide_prepare(struct map *m, struct arena *a)
{
	/* the tables first: prepare_loop() copies their addresses */
	for (size_t i = 0; i < m->nsegs; i++)
		map_check_prepare(&m->segs[i], i, a);
	prepare_loop(&m->guide, true, a);
}
