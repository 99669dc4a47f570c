/*
 * x12_set - split a transaction set into segments; see x12_set.h.
 */
#include "x12_set.h"

#include <string.h>

/* Elements, and whether component or repetition separators occur: one
 * pass, so that the checks after it can skip looking for them. */
static unsigned count_elements(struct strview raw, const struct x12_delims *d,
			       struct x12_seg *s)
{
	unsigned n = 0;
	bool comp = false, rep = false;
	char rsep = d->repetition ? d->repetition : d->element;

	for (size_t i = 0; i < raw.len; i++) {
		char c = raw.ptr[i];
		n += c == d->element;
		comp |= c == d->component;
		rep |= c == rsep && c != d->element;
	}
	s->has_component = comp;
	s->has_repetition = rep;
	return n;
}

/* Byte classes for split_fast(): which delimiter a byte is. */
enum { CL_ELEMENT = 1, CL_COMPONENT = 2, CL_REPETITION = 4 };
#define FAST_ELEMENTS 64 /* more go the two-pass way */

#define ONES 0x0101010101010101ULL
#define LOW7 0x7f7f7f7f7f7f7f7fULL

/* What split_fast() looks for: byte classes for the bytes one at a time,
 * each delimiter in every byte of a word for eight at a time. */
struct split_tab {
	unsigned char cls[256];
	uint64_t element, component, repetition;
	bool repeats; /* a repetition separator other than the element's */
};

static void classes(const struct x12_delims *d, struct split_tab *t)
{
	unsigned char *cls = t->cls;

	memset(cls, 0, 256);
	t->repeats = d->repetition && d->repetition != d->element;
	if (t->repeats)
		cls[(unsigned char)d->repetition] |= CL_REPETITION;
	cls[(unsigned char)d->component] |= CL_COMPONENT;
	cls[(unsigned char)d->element] =
		CL_ELEMENT | (cls[(unsigned char)d->element] & CL_COMPONENT);
	t->element = ONES * (unsigned char)d->element;
	t->component = ONES * (unsigned char)d->component;
	t->repetition = ONES * (unsigned char)d->repetition;
}

/* 0x80 in exactly the bytes of x that are 0 (no borrow between bytes) */
static inline uint64_t zero_bytes(uint64_t x)
{
	return ~(((x & LOW7) + LOW7) | x | LOW7);
}

/*
 * One pass over raw: the element views into s->el (in the arena) and the
 * separator flags, as count_elements() and x12_split() give them; false
 * (nothing done) when raw has more than FAST_ELEMENTS - 1 elements or
 * more than the limit allows, which the two-pass way reports.
 */
static bool split_fast(struct x12_set *set, struct strview raw,
		       const struct split_tab *t, struct x12_seg *s)
{
	struct strview el[FAST_ELEMENTS];
	const char *p = raw.ptr, *start = p, *end = p + raw.len;
	unsigned n = 0, flags = 0;
	const unsigned char *cls = t->cls;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	/* eight bytes at a time; byte i of the word is p[i] */
	for (; end - p >= 8; p += 8) {
		uint64_t w, hits;

		memcpy(&w, p, 8);
		if (zero_bytes(w ^ t->component))
			flags |= CL_COMPONENT;
		if (t->repeats && zero_bytes(w ^ t->repetition))
			flags |= CL_REPETITION;
		for (hits = zero_bytes(w ^ t->element); hits;
		     hits &= hits - 1) {
			const char *at = p + (__builtin_ctzll(hits) >> 3);

			if (n == FAST_ELEMENTS - 1)
				return false;
			el[n++] = sv_make(start, (size_t)(at - start));
			start = at + 1;
		}
	}
#endif
	for (; p < end; p++) {
		unsigned k = cls[(unsigned char)*p];

		if (!k)
			continue;
		flags |= k;
		if (!(k & CL_ELEMENT))
			continue;
		if (n == FAST_ELEMENTS - 1)
			return false;
		el[n++] = sv_make(start, (size_t)(p - start));
		start = p + 1;
	}
	if (n > set->limits->max_elements)
		return false;
	el[n] = sv_make(start, (size_t)(end - start));
	s->el = arena_alloc(set->arena, (n + 1) * sizeof(*s->el));
	memcpy(s->el, el, (n + 1) * sizeof(*s->el));
	s->nel = n;
	s->has_component = (flags & CL_COMPONENT) != 0;
	s->has_repetition = (flags & CL_REPETITION) != 0;
	return true;
}

static void begin(struct x12_set *set, struct arena *arena, struct strview span,
		  const struct x12_delims *d, size_t offset,
		  const struct x12_limits *limits, size_t cap)
{
	memset(set, 0, sizeof(*set));
	set->arena = arena;
	set->limits = limits;
	set->delims = *d;
	set->bytes = span;
	set->offset = offset;
	/* not zeroed: add() sets every member of a segment it adds */
	set->segs = arena_alloc(arena, (cap ? cap : 1) * sizeof(*set->segs));
}

/* Double the segment array. */
static void grow(struct x12_set *set, size_t *cap)
{
	struct x12_seg *bigger =
		arena_alloc(set->arena, *cap * 2 * sizeof(*bigger));

	memcpy(bigger, set->segs, *cap * sizeof(*bigger));
	set->segs = bigger;
	*cap *= 2;
}

/* Add one segment (raw must outlive the set); *cap grows the array. */
static void add(struct x12_set *set, size_t *cap, struct strview raw,
		size_t offset, size_t index, bool cleaned,
		const struct split_tab *tab, struct edi_diag *diag)
{
	const struct x12_delims *d = &set->delims;
	struct x12_seg *s;
	unsigned n;

	if (set->nsegs == *cap)
		grow(set, cap);
	s = &set->segs[set->nsegs++];
	s->offset = offset;
	s->index = index;
	s->set_pos = (unsigned)set->nsegs;
	s->cleaned = cleaned;
	s->ctl_free = false; /* not known: the checks look */
	s->node = NULL;	     /* map_guide places it */
	s->loop = NULL;
	if (split_fast(set, raw, tab, s)) {
		s->tag = s->el[0];
		s->key = x12_tag_key_sv(s->tag);
		return;
	}
	n = count_elements(raw, d, s);
	if (n > set->limits->max_elements) {
		struct edi_loc loc = edi_loc_none();
		loc.segment = index;
		loc.set_position = s->set_pos;
		loc.offset = offset;
		edi_diag_addf(diag, X12_EL_TOO_MANY, &loc,
			      "segment has %u elements, more than the limit "
			      "of %zu",
			      n, set->limits->max_elements);
		n = (unsigned)set->limits->max_elements;
	}
	s->el = arena_alloc(set->arena, (n + 1) * sizeof(*s->el));
	s->nel = (unsigned)x12_split(raw, d->element, s->el, n + 1);
	if (s->nel > n + 1)
		s->nel = n + 1;
	s->nel--; /* el[0] is the tag */
	s->tag = s->el[0];
	s->key = x12_tag_key_sv(s->tag);
}

/* The members of a segment the reader split (el: its elements, tag
 * first), as add() sets them. */
static inline void put_split(struct x12_set *set, struct x12_seg *s,
			     struct strview *el, unsigned nel, size_t offset,
			     size_t index, bool has_component,
			     bool has_repetition)
{
	s->tag = el[0];
	s->key = x12_tag_key_sv(el[0]);
	s->el = el;
	s->nel = nel;
	s->offset = offset;
	s->index = index;
	s->set_pos = (unsigned)set->nsegs;
	s->cleaned = false;
	s->has_component = has_component;
	s->has_repetition = has_repetition;
	s->ctl_free = false; /* not known: the checks look */
	s->node = NULL;	     /* map_guide places it */
	s->loop = NULL;
}

static void finish(struct x12_set *set)
{
	set->root.first = 0;
	set->root.end = set->nsegs;
}

enum edi_code x12_set_split(struct x12_set *set, struct arena *arena,
			    struct strview span, const struct x12_delims *d,
			    size_t offset, size_t first_index,
			    const struct x12_limits *limits,
			    struct edi_diag *diag, struct edi_error *err)
{
	struct x12_reader r;
	struct x12_segment seg;
	size_t cap = 64;
	enum x12_next next;
	struct split_tab tab;

	classes(d, &tab);
	begin(set, arena, span, d, offset, limits, cap);
	x12_reader_init_span(&r, span, d, offset, first_index, limits, diag);
	while ((next = x12_reader_next(&r, &seg, err)) == X12_NEXT_SEGMENT) {
		if (seg.el && seg.nel <= limits->max_elements) {
			/* the views into the reader die with it: copy them */
			size_t n = (seg.nel + 1) * sizeof(*seg.el);
			struct strview *el =
				memcpy(arena_alloc(arena, n), seg.el, n);
			if (set->nsegs == cap)
				grow(set, &cap);
			set->nsegs++;
			put_split(set, &set->segs[set->nsegs - 1], el, seg.nel,
				  seg.offset, seg.index, seg.has_component,
				  seg.has_repetition);
			continue;
		}
		if (seg.cleaned) /* the reader's scratch dies on next() */
			seg.raw = sv_make(arena_svdup(arena, seg.raw),
					  seg.raw.len);
		add(set, &cap, seg.raw, seg.offset, seg.index, seg.cleaned,
		    &tab, diag);
	}
	x12_reader_release(&r);
	if (next == X12_NEXT_ERROR)
		return err->code;
	finish(set);
	return EDI_OK;
}

/* raw without CR and LF, in the arena */
static struct strview unwrap(struct arena *a, struct strview raw)
{
	char *out = arena_alloc(a, raw.len + 1);
	size_t o = 0;

	for (size_t i = 0; i < raw.len; i++)
		if (raw.ptr[i] != '\r' && raw.ptr[i] != '\n')
			out[o++] = raw.ptr[i];
	out[o] = '\0';
	return sv_make(out, o);
}

void x12_set_from_segs(struct x12_set *set, struct arena *arena,
		       struct strview span, const struct x12_delims *d,
		       size_t offset, const struct x12_span_seg *segs,
		       size_t nsegs, struct strview *els, size_t nels,
		       const struct x12_limits *limits, struct edi_diag *diag)
{
	size_t cap = nsegs, max_elements = limits->max_elements;
	struct strview *el = els, *el_end = els + nels;
	struct split_tab tab;
	bool have_tab = false;
	struct x12_seg *s;

	begin(set, arena, span, d, offset, limits, cap);
	s = set->segs;
	for (size_t i = 0; i < nsegs; i++, s++) {
		const struct x12_span_seg *g = &segs[i];
		struct strview raw;
		size_t nel = g->nel;

		if (g->split && nel < (size_t)(el_end - el)) {
			struct strview *e = el;

			el += nel + 1;
			if (nel <= max_elements) {
				/* one segment each: cap is never reached; the
				 * reader packed the tag */
				s->tag = e[0];
				s->key = g->key;
				s->el = e;
				s->nel = (unsigned)nel;
				s->offset = g->offset;
				s->index = g->index;
				s->set_pos = (unsigned)(i + 1);
				s->cleaned = false;
				s->has_component = g->has_component;
				s->has_repetition = g->has_repetition;
				s->ctl_free = g->ctl_free;
				s->node = NULL; /* map_guide places it */
				s->loop = NULL;
				continue;
			}
		}
		if (!have_tab) {
			classes(d, &tab);
			have_tab = true;
		}
		raw = sv_make(span.ptr + (g->offset - offset), g->len);
		if (g->cleaned)
			raw = unwrap(arena, raw);
		set->nsegs = i; /* add() puts it at set->segs[i] */
		add(set, &cap, raw, g->offset, g->index, g->cleaned, &tab,
		    diag);
	}
	set->nsegs = nsegs;
	finish(set);
}

struct edi_loc x12_seg_loc(const struct x12_seg *seg, unsigned el,
			   unsigned comp)
{
	struct edi_loc loc = edi_loc_none();
	size_t n = seg->tag.len < 3 ? seg->tag.len : 3;

	loc.segment = seg->index;
	loc.set_position = seg->set_pos;
	for (size_t i = 0; i < n; i++) {
		char c = seg->tag.ptr[i];
		loc.tag[i] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	loc.tag[n] = '\0';
	loc.element = el;
	loc.component = comp;
	loc.offset = seg->offset;
	if (el && el <= seg->nel && !seg->cleaned)
		loc.offset = seg->offset +
			     (size_t)(seg->el[el].ptr - seg->el[0].ptr);
	return loc;
}
