/*
 * map_guide - guide placement and element checks; see map_guide.h.
 *
 * Placement keeps a stack of open loop instances, each with its position
 * in its guide loop and the number of uses of every entry.  A segment is
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

#include "x12_hl_index.h"
#include "x12_types.h"

struct level {
	const struct guide_node *node;
	struct x12_loop *inst;
	size_t pos;	 /* entry last matched */
	unsigned *count; /* uses per entry in this instance */
};

struct walk {
	const struct map *map;
	struct x12_set *set;
	struct edi_diag *diag;
	struct level stack[MAP_GUIDE_MAX_DEPTH];
	size_t depth; /* levels in use (root = 1) */
};

static bool tag_eq(struct strview tag, const char *t)
{
	return sv_eq_cstr(tag, t);
}

static struct x12_loop *new_loop(struct walk *w, struct x12_loop *parent,
				 const struct guide_node *def, size_t first)
{
	struct x12_loop *l = arena_alloc(w->set->arena, sizeof(*l));

	/* stores instead of a memset call: one loop per loop instance */
	*l = (struct x12_loop){
		.def = def, .first = first, .end = first, .parent = parent};
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
	lv->inst = inst;
	lv->pos = 0;
	lv->count = arena_array(w->set->arena,
				node->nchildren ? node->nchildren : 1,
				sizeof(unsigned));
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

/* Mandatory entries in [from, to) of a level that were never used. */
static void report_missing(struct walk *w, struct level *lv, size_t from,
			   size_t to, const struct x12_seg *at)
{
	size_t n = lv->node->nchildren;

	for (size_t i = next_mandatory(lv, from < n ? from : n);
	     i < to && i < n; i = next_mandatory(lv, i + 1)) {
		const struct guide_node *e = &lv->node->children[i];
		struct edi_loc loc;

		if (lv->count[i])
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

/* Close the innermost level: its instance ends before segment `end`. */
static void pop(struct walk *w, size_t end, const struct x12_seg *at)
{
	struct level *lv = &w->stack[w->depth - 1];

	report_missing(w, lv, lv->pos + 1, lv->node->nchildren, at);
	lv->inst->end = end;
	w->depth--;
}

/* The first entry from the level's position on that the tag starts. */
static bool find_in_level(const struct level *lv, bool is_root, uint32_t key,
			  size_t *index)
{
	size_t from = lv->pos;

	if (!is_root && from == 0)
		from = 1; /* the trigger starts a new repetition above */
	for (size_t i = from; i < lv->node->nchildren; i++)
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

static void place(struct walk *w, size_t si)
{
	struct x12_seg *seg = &w->set->segs[si];
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
		return;
	}
	while (w->depth > d + 1)
		pop(w, si, seg);
	lv = &w->stack[d];
	e = &lv->node->children[i];
	if (i != lv->pos || (i == 0 && lv->count[0] == 0))
		report_missing(w, lv,
			       lv->count[lv->pos] ? lv->pos + 1 : lv->pos, i,
			       seg);
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
	/* a new repetition of loop e */
	if (e->max && lv->count[i] > e->max) {
		loc = x12_seg_loc(seg, 0, 0);
		edi_diag_addf(
			w->diag, X12_LOOP_MAX, &loc,
			"loop %s repeats %u times, at most %u are allowed",
			e->loop_id, lv->count[i], e->max);
	}
	if (w->depth >= MAP_GUIDE_MAX_DEPTH)
		return; /* map_load refuses deeper guides */
	push(w, e, new_loop(w, lv->inst, e, si));
	lv = &w->stack[w->depth - 1];
	lv->count[0] = 1;
	seg->node = &e->children[0];
	seg->loop = lv->inst;
}

/* --- the HL tree --- */

static void build_hl_tree(struct walk *w)
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

void map_guide_apply(const struct map *m, struct x12_set *set,
		     struct edi_diag *diag)
{
	struct walk w = {.map = m, .set = set, .diag = diag};

	if (!set->nsegs)
		return;
	memset(&set->root, 0, sizeof(set->root));
	set->root.end = set->nsegs;
	push(&w, &m->guide, &set->root);
	w.stack[0].pos = 0;
	for (size_t si = 0; si < set->nsegs; si++) {
		place(&w, si);
		if (set->segs[si].node && set->segs[si].node->def)
			map_guide_check_segment(set->segs[si].node->def,
						&set->segs[si], &set->delims,
						diag);
	}
	while (w.depth > 1)
		pop(&w, set->nsegs, &set->segs[set->nsegs - 1]);
	report_missing(&w, &w.stack[0],
		       w.stack[0].count[w.stack[0].pos] ? w.stack[0].pos + 1
							: w.stack[0].pos,
		       m->guide.nchildren, &set->segs[set->nsegs - 1]);
	build_hl_tree(&w);
}

/* --- elements --- */

/* strcmp order of v against the NUL-terminated code c, without strlen. */
static int code_cmp(struct strview v, const char *c)
{
	for (size_t i = 0; i < v.len; i++) {
		if (!c[i])
			return 1;
		if (v.ptr[i] != c[i])
			return (unsigned char)v.ptr[i] < (unsigned char)c[i]
				       ? -1
				       : 1;
	}
	return c[v.len] ? -1 : 0;
}

static bool code_allowed(const struct map_elem *e, struct strview v)
{
	size_t lo = 0, hi = e->ncodes;

	if (!e->codes)
		return true;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = code_cmp(v, e->codes[mid]);
		if (!cmp)
			return true;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Length as X12 counts it: sign and decimal point do not count for
 * numbers. */
static size_t x12_length(const struct map_elem *e, struct strview v)
{
	size_t n = v.len;

	if (e->type != MAP_T_N && e->type != MAP_T_R)
		return n;
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] == '-' || v.ptr[i] == '.' || v.ptr[i] == '+')
			n--;
	return n;
}

static bool numeric_ok(struct strview v, bool decimal_point)
{
	size_t i = 0, digits = 0;
	bool point = false;

	if (v.len && v.ptr[0] == '-')
		i++;
	for (; i < v.len; i++) {
		if (v.ptr[i] >= '0' && v.ptr[i] <= '9')
			digits++;
		else if (v.ptr[i] == '.' && decimal_point && !point)
			point = true;
		else
			return false;
	}
	return digits > 0;
}

static bool chars_ok(struct strview v)
{
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.ptr[i];
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

/* An element error: the location and the element's name ("PO104-2") are
 * only worked out here, off the hot path. */
static void value_error(const struct x12_seg *seg, unsigned el, unsigned comp,
			enum edi_code code, struct edi_diag *diag,
			const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void value_error(const struct x12_seg *seg, unsigned el, unsigned comp,
			enum edi_code code, struct edi_diag *diag,
			const char *fmt, ...)
{
	struct edi_loc loc = x12_seg_loc(seg, el, comp);
	char name[24], msg[EDI_MSG_MAX];
	va_list ap;

	if (comp)
		snprintf(name, sizeof(name), "%.*s%02u-%u", (int)seg->tag.len,
			 seg->tag.ptr, el, comp);
	else
		snprintf(name, sizeof(name), "%.*s%02u", (int)seg->tag.len,
			 seg->tag.ptr, el);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	edi_diag_addf(diag, code, &loc, "%s%s", name, msg);
}

static void check_value(const struct map_elem *e, struct strview v,
			const struct x12_seg *seg, unsigned el, unsigned comp,
			struct edi_diag *diag)
{
	size_t len;

	switch (e->type) {
	case MAP_T_N:
		if (!numeric_ok(v, false)) {
			value_error(seg, el, comp, X12_EL_CHAR, diag,
				    " '%.*s' is not a whole number", (int)v.len,
				    v.ptr);
			return;
		}
		break;
	case MAP_T_R:
		if (!numeric_ok(v, true)) {
			value_error(seg, el, comp, X12_EL_CHAR, diag,
				    " '%.*s' is not a decimal number",
				    (int)v.len, v.ptr);
			return;
		}
		break;
	case MAP_T_DT:
		if (!x12_date_valid(v) ||
		    (e->min_len == 8 && v.len != 8 && e->max_len == 8)) {
			value_error(seg, el, comp, X12_EL_DATE, diag,
				    " '%.*s' is not a date %s", (int)v.len,
				    v.ptr,
				    e->max_len == 6 ? "YYMMDD" : "CCYYMMDD");
			return;
		}
		break;
	case MAP_T_TM:
		if (!x12_time_valid(v)) {
			value_error(seg, el, comp, X12_EL_TIME, diag,
				    " '%.*s' is not a time HHMM[SS]",
				    (int)v.len, v.ptr);
			return;
		}
		break;
	case MAP_T_ID:
		if (!code_allowed(e, v)) {
			value_error(seg, el, comp, X12_EL_CODE, diag,
				    " '%.*s' is not one of the codes allowed",
				    (int)v.len, v.ptr);
			return;
		}
		/* an ID is also text */
		/* FALLTHROUGH */
	case MAP_T_AN:
		if (!chars_ok(v)) {
			value_error(seg, el, comp, X12_EL_CHAR, diag,
				    " has a control character");
			return;
		}
		break;
	}
	len = x12_length(e, v);
	if (len < e->min_len)
		value_error(seg, el, comp, X12_EL_TOO_SHORT, diag,
			    " '%.*s' is %zu characters, at least %u are "
			    "required",
			    (int)v.len, v.ptr, len, e->min_len);
	else if (e->max_len && len > e->max_len)
		value_error(seg, el, comp, X12_EL_TOO_LONG, diag,
			    " is %zu characters, at most %u are allowed", len,
			    e->max_len);
}

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL
/* non-zero when a byte of x is below n (n <= 128), exactly (bithacks) */
#define HAS_LESS(x, n) (((x)-ONES * (n)) & ~(x)&HIGH)

/* chars_ok() eight bytes at a time (words that overlap at the end, so
 * nothing outside v is read); shorter values byte by byte. */
static inline bool chars_ok_fast(struct strview v)
{
	uint64_t w, bad = 0;
	size_t i;

	if (v.len < 8)
		return chars_ok(v);
	for (i = 0; i + 8 <= v.len; i += 8) {
		memcpy(&w, v.ptr + i, 8);
		bad |= HAS_LESS(w, 0x20) | HAS_LESS(w ^ (ONES * 0x7f), 1);
	}
	if (i < v.len) {
		memcpy(&w, v.ptr + v.len - 8, 8);
		bad |= HAS_LESS(w, 0x20) | HAS_LESS(w ^ (ONES * 0x7f), 1);
	}
	return !bad;
}

/*
 * True when check_value() would find nothing wrong with v, for the
 * types where that is quick to see (false: let check_value() look).
 */
static inline bool value_ok(const struct map_elem *e, struct strview v)
{
	size_t len = v.len, i = 0, digits = 0;
	bool point = false;

	switch (e->type) {
	case MAP_T_ID:
		if (!code_allowed(e, v))
			return false;
		/* FALLTHROUGH */
	case MAP_T_AN:
		if (!chars_ok_fast(v))
			return false;
		break;
	case MAP_T_N:
	case MAP_T_R:
		/* numeric_ok(); its digits are the x12_length() */
		if (v.len && v.ptr[0] == '-')
			i++;
		for (; i < v.len; i++) {
			char c = v.ptr[i];
			if (c >= '0' && c <= '9')
				digits++;
			else if (c == '.' && e->type == MAP_T_R && !point)
				point = true;
			else
				return false;
		}
		if (!digits)
			return false;
		len = digits;
		break;
	case MAP_T_DT:
	case MAP_T_TM:
		return false;
	}
	return len >= e->min_len && (!e->max_len || len <= e->max_len);
}

static void check_element(const struct map_elem *e, struct strview v,
			  const struct x12_seg *seg, unsigned el,
			  const struct x12_delims *d, struct edi_diag *diag)
{
	struct strview reps[2], parts[2];
	size_t nrep = 1, ncomp;
	struct edi_loc loc;

	if (seg->has_repetition && memchr(v.ptr, d->repetition, v.len)) {
		nrep = x12_split(v, d->repetition, reps, 2);
		if (nrep > e->max_repeat) {
			loc = x12_seg_loc(seg, el, 0);
			edi_diag_addf(diag, X12_EL_REPEAT, &loc,
				      "%.*s%02u repeats %zu times, at most %u "
				      "are allowed",
				      (int)seg->tag.len, seg->tag.ptr, el, nrep,
				      e->max_repeat);
			return;
		}
	}
	for (size_t r = 0; r < nrep; r++) {
		struct strview one =
			nrep == 1 ? v : x12_part(v, d->repetition, r);
		if (!e->ncomponents) {
			ncomp = seg->has_component &&
						memchr(one.ptr, d->component,
						       one.len)
					? x12_split(one, d->component, parts, 2)
					: 1;
			if (ncomp > 1) {
				loc = x12_seg_loc(seg, el, 0);
				edi_diag_addf(
					diag, X12_EL_COMPONENTS, &loc,
					"%.*s%02u is a simple element but "
					"has components",
					(int)seg->tag.len, seg->tag.ptr, el);
				continue;
			}
			check_value(e, one, seg, el, 0, diag);
			continue;
		}
		ncomp = x12_split(one, d->component, parts, 0);
		if (ncomp > e->ncomponents) {
			loc = x12_seg_loc(seg, el,
					  (unsigned)e->ncomponents + 1);
			edi_diag_addf(
				diag, X12_EL_COMPONENTS, &loc,
				"%.*s%02u has %zu components, at most %zu "
				"are allowed",
				(int)seg->tag.len, seg->tag.ptr, el, ncomp,
				e->ncomponents);
		}
		for (size_t c = 0; c < e->ncomponents; c++) {
			struct strview cv = x12_part(one, d->component, c);
			const struct map_elem *ce = &e->components[c];
			if (!cv.len) {
				if (ce->req == MAP_REQ_M) {
					loc = x12_seg_loc(seg, el,
							  (unsigned)c + 1);
					edi_diag_addf(diag, X12_EL_MISSING,
						      &loc,
						      "%.*s%02u-%zu is "
						      "mandatory",
						      (int)seg->tag.len,
						      seg->tag.ptr, el, c + 1);
				}
				continue;
			}
			check_value(ce, cv, seg, el, (unsigned)c + 1, diag);
		}
	}
}

static bool present(const struct x12_seg *seg, unsigned pos)
{
	return x12_seg_el(seg, pos).len > 0;
}

static void check_syntax(const struct map_syntax *s, const struct x12_seg *seg,
			 struct edi_diag *diag)
{
	unsigned n = 0, first_missing = 0, second_present = 0;
	struct edi_loc loc;
	char note[2 + 2 * MAP_SYNTAX_MAX];
	size_t o = 0;

	for (unsigned i = 0; i < s->npos; i++) {
		if (present(seg, s->pos[i])) {
			n++;
			if (n == 2)
				second_present = s->pos[i];
		} else if (!first_missing) {
			first_missing = s->pos[i];
		}
	}
	if (!((s->kind == MAP_SYN_P && n && n < s->npos) ||
	      (s->kind == MAP_SYN_R && !n) || (s->kind == MAP_SYN_E && n > 1) ||
	      (s->kind == MAP_SYN_C && present(seg, s->pos[0]) &&
	       n < s->npos) ||
	      (s->kind == MAP_SYN_L && present(seg, s->pos[0]) && n < 2)))
		return; /* the usual case: nothing to say */
	note[o++] = "PRECL"[s->kind];
	for (unsigned i = 0; i < s->npos && i < MAP_SYNTAX_MAX; i++) {
		note[o++] = (char)('0' + s->pos[i] / 10 % 10);
		note[o++] = (char)('0' + s->pos[i] % 10);
	}
	note[o] = '\0';
	switch (s->kind) {
	case MAP_SYN_P:
		if (n && n < s->npos) {
			loc = x12_seg_loc(seg, first_missing, 0);
			edi_diag_addf(diag, X12_EL_CONDITIONAL, &loc,
				      "%.*s%02u is required with the others of "
				      "syntax note %s",
				      (int)seg->tag.len, seg->tag.ptr,
				      first_missing, note);
		}
		break;
	case MAP_SYN_R:
		if (!n) {
			loc = x12_seg_loc(seg, s->pos[0], 0);
			edi_diag_addf(diag, X12_EL_CONDITIONAL, &loc,
				      "%.*s needs at least one of the elements "
				      "of syntax note %s",
				      (int)seg->tag.len, seg->tag.ptr, note);
		}
		break;
	case MAP_SYN_E:
		if (n > 1) {
			loc = x12_seg_loc(seg, second_present, 0);
			edi_diag_addf(diag, X12_EL_EXCLUSION, &loc,
				      "%.*s%02u may not be used with the "
				      "others of syntax note %s",
				      (int)seg->tag.len, seg->tag.ptr,
				      second_present, note);
		}
		break;
	case MAP_SYN_C:
		if (present(seg, s->pos[0]))
			for (unsigned i = 1; i < s->npos; i++)
				if (!present(seg, s->pos[i])) {
					loc = x12_seg_loc(seg, s->pos[i], 0);
					edi_diag_addf(
						diag, X12_EL_CONDITIONAL, &loc,
						"%.*s%02u is required when "
						"%.*s%02u is present (%s)",
						(int)seg->tag.len, seg->tag.ptr,
						s->pos[i], (int)seg->tag.len,
						seg->tag.ptr, s->pos[0], note);
				}
		break;
	case MAP_SYN_L:
		if (present(seg, s->pos[0]) && n < 2) {
			loc = x12_seg_loc(seg, s->pos[0], 0);
			edi_diag_addf(diag, X12_EL_CONDITIONAL, &loc,
				      "%.*s%02u needs at least one of the "
				      "others of syntax note %s",
				      (int)seg->tag.len, seg->tag.ptr,
				      s->pos[0], note);
		}
		break;
	}
}

static void prepare_loop(struct guide_node *n, struct arena *a)
{
	size_t *next;

	if (n->kind != GUIDE_LOOP)
		return;
	next = arena_array(a, n->nchildren + 1, sizeof(*next));
	next[n->nchildren] = n->nchildren;
	for (size_t i = n->nchildren; i-- > 0;) {
		next[i] = n->children[i].req == MAP_REQ_M ? i : next[i + 1];
		prepare_loop(&n->children[i], a);
	}
	n->next_mandatory = next;
}

void map_guide_prepare(struct map *m, struct arena *a)
{
	prepare_loop(&m->guide, a);
	for (size_t i = 0; i < m->nsegs; i++) {
		struct map_segdef *def = &m->segs[i];

		def->mandatory_bits = 0;
		def->has_bits = def->nelems < 64;
		for (size_t k = 0; def->has_bits && k < def->nelems; k++)
			if (def->elems[k].req == MAP_REQ_M)
				def->mandatory_bits |= (uint64_t)1 << (k + 1);
		for (size_t k = 0; k < def->nsyntax; k++) {
			struct map_syntax *s = &def->syntax[k];

			s->bits = 0;
			for (unsigned j = 0; j < s->npos; j++) {
				if (s->pos[j] >= 64 || !s->pos[j] ||
				    (s->bits >> s->pos[j] & 1))
					def->has_bits = false;
				else
					s->bits |= (uint64_t)1 << s->pos[j];
			}
		}
	}
}

/* Whether check_syntax() has something to say, from the positions of
 * the segment's non-empty elements as bits. */
static bool syntax_complains(const struct map_syntax *s, uint64_t present)
{
	/* the positions present, n of them; the note's are all distinct */
	uint64_t hit = present & s->bits;
	uint64_t first = hit & (uint64_t)1 << s->pos[0];

	switch (s->kind) {
	case MAP_SYN_P: /* n && n < npos */
		return hit && hit != s->bits;
	case MAP_SYN_R: /* !n */
		return !hit;
	case MAP_SYN_E: /* n > 1 */
		return (hit & (hit - 1)) != 0;
	case MAP_SYN_C: /* first && n < npos */
		return first && hit != s->bits;
	case MAP_SYN_L: /* first && n < 2 */
		return first && hit == first;
	}
	return true;
}

/*
 * map_guide_check_segment() for a prepared definition: the same checks
 * and diagnostics in the same order, but only the positions that hold a
 * value or are mandatory are visited, and the syntax notes are decided
 * from bit masks (check_syntax() words the rare complaint).
 */
static void check_segment_bits(const struct map_segdef *def,
			       const struct x12_seg *seg,
			       const struct x12_delims *d,
			       struct edi_diag *diag)
{
	struct edi_loc loc;
	uint64_t present = 0, visit;
	unsigned nel;

	for (unsigned i = 1; i <= seg->nel; i++)
		present |= (uint64_t)(seg->el[i].len != 0) << i;
	/* trailing empty elements are no elements */
	nel = present ? 63u - (unsigned)__builtin_clzll(present) : 0;
	if (nel > def->nelems) {
		loc = x12_seg_loc(seg, (unsigned)def->nelems + 1, 0);
		edi_diag_addf(diag, X12_EL_TOO_MANY, &loc,
			      "%.*s has %u elements, at most %zu are defined",
			      (int)seg->tag.len, seg->tag.ptr, nel,
			      def->nelems);
	}
	visit = (present | def->mandatory_bits) &
		~(~(uint64_t)1 << def->nelems); /* positions 1..nelems */
	while (visit) {
		unsigned i = (unsigned)__builtin_ctzll(visit);

		visit &= visit - 1;
		if (present >> i & 1) {
			const struct map_elem *e = &def->elems[i - 1];

			/* a simple element without separators: check_element()
			 * comes down to check_value() */
			if (e->ncomponents || seg->has_repetition ||
			    seg->has_component)
				check_element(e, seg->el[i], seg, i, d, diag);
			else if (!value_ok(e, seg->el[i]))
				check_value(e, seg->el[i], seg, i, 0, diag);
			continue;
		}
		loc = x12_seg_loc(seg, i, 0);
		edi_diag_addf(diag, X12_EL_MISSING, &loc,
			      "%.*s%02u is mandatory", (int)seg->tag.len,
			      seg->tag.ptr, i);
	}
	for (size_t i = 0; i < def->nsyntax; i++)
		if (syntax_complains(&def->syntax[i], present))
			check_syntax(&def->syntax[i], seg, diag);
}

void map_guide_check_segment(const struct map_segdef *def,
			     const struct x12_seg *seg,
			     const struct x12_delims *d, struct edi_diag *diag)
{
	struct edi_loc loc;
	unsigned nel = seg->nel;

	if (def->has_bits && seg->nel < 64) {
		check_segment_bits(def, seg, d, diag);
		return;
	}

	/* trailing empty elements are no elements */
	while (nel && !seg->el[nel].len)
		nel--;
	if (nel > def->nelems) {
		loc = x12_seg_loc(seg, (unsigned)def->nelems + 1, 0);
		edi_diag_addf(diag, X12_EL_TOO_MANY, &loc,
			      "%.*s has %u elements, at most %zu are defined",
			      (int)seg->tag.len, seg->tag.ptr, nel,
			      def->nelems);
	}
	for (size_t i = 0; i < def->nelems; i++) {
		const struct map_elem *e = &def->elems[i];
		struct strview v = x12_seg_el(seg, (unsigned)i + 1);

		if (!v.len) {
			if (e->req == MAP_REQ_M) {
				loc = x12_seg_loc(seg, (unsigned)i + 1, 0);
				edi_diag_addf(diag, X12_EL_MISSING, &loc,
					      "%.*s%02zu is mandatory",
					      (int)seg->tag.len, seg->tag.ptr,
					      i + 1);
			}
			continue;
		}
		check_element(e, v, seg, (unsigned)i + 1, d, diag);
	}
	for (size_t i = 0; i < def->nsyntax; i++)
		check_syntax(&def->syntax[i], seg, diag);
}
