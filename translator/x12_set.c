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

	memset(set, 0, sizeof(*set));
	set->arena = arena;
	set->limits = limits;
	set->delims = *d;
	set->bytes = span;
	set->offset = offset;
	set->segs = arena_array(arena, cap, sizeof(*set->segs));
	x12_reader_init_span(&r, span, d, offset, first_index, limits, diag);
	while ((next = x12_reader_next(&r, &seg, err)) == X12_NEXT_SEGMENT) {
		struct x12_seg *s;
		unsigned n;

		if (set->nsegs == cap) {
			struct x12_seg *bigger =
				arena_array(arena, cap * 2, sizeof(*bigger));
			memcpy(bigger, set->segs, cap * sizeof(*bigger));
			set->segs = bigger;
			cap *= 2;
		}
		s = &set->segs[set->nsegs++];
		n = count_elements(seg.raw, d, s);
		if (n > limits->max_elements) {
			struct edi_loc loc = x12_loc(&seg, 0);
			edi_diag_addf(diag, X12_EL_TOO_MANY, &loc,
				      "%.3s has %u elements, more than the "
				      "limit of %zu",
				      seg.tag.ptr, n, limits->max_elements);
			n = (unsigned)limits->max_elements;
		}
		if (seg.cleaned) /* the reader's scratch dies on next() */
			seg.raw = sv_make(arena_svdup(arena, seg.raw),
					  seg.raw.len);
		s->el = arena_alloc(arena, (n + 1) * sizeof(*s->el));
		s->nel = (unsigned)x12_split(seg.raw, d->element, s->el, n + 1);
		if (s->nel > n + 1)
			s->nel = n + 1;
		s->nel--; /* el[0] is the tag */
		s->tag = s->el[0];
		s->key = x12_tag_key_sv(s->tag);
		s->offset = seg.offset;
		s->index = seg.index;
		s->set_pos = (unsigned)set->nsegs;
		s->cleaned = seg.cleaned;
	}
	x12_reader_release(&r);
	if (next == X12_NEXT_ERROR)
		return err->code;
	set->root.first = 0;
	set->root.end = set->nsegs;
	return EDI_OK;
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
