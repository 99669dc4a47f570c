/*
 * x12_scan_batch - the reader scanning ordinary segments ahead in
 * batches, and handing them out; see x12_scan_fast.h.
 *
 * One pass over the bytes, 64 at a time (x12_scan_simd.h), finds the
 * terminators and element separators in order: each segment gets a
 * record (struct x12_span_seg) and its element views, where they belong
 * when the set is marked, and the segments the envelope only counts are
 * marked so that x12_reader_skip_plain() passes a run of them in one
 * step.  A batch stops before anything the general code must see and
 * after a segment the envelope acts on.
 */
#include "x12_scan_fast.h"

#include <string.h>

#include "x12_scan_simd.h"
#include "xalloc.h"

#define NONE	SIZE_MAX
#define KEY_IEA ((uint32_t)'I' | (uint32_t)'E' << 8 | (uint32_t)'A' << 16)

static void grow_els(struct x12_reader *r)
{
	r->cap_els = r->cap_els ? r->cap_els * 2 : 1024;
	r->els = xreallocarray(r->els, r->cap_els, sizeof(*r->els));
}

/* x12_tag_key_sv() of the tag of taglen bytes at p, when 4 can be read */
static inline uint32_t tag_key4(const char *p, size_t taglen)
{
	static const uint32_t keep[4] = {0, 0xff, 0xffff, 0xffffff};
	uint32_t w;

	if (taglen > 3)
		return 0;
	memcpy(&w, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap32(w);
#endif
	return w & keep[taglen];
}

#define KEY2(a, b) ((uint32_t)(a) | (uint32_t)(b) << 8)

/* A segment the envelope acts on: the caller may mark or unmark after
 * it, so scanning ahead stops there (and after IEA, the end of the
 * interchange). */
static inline bool envelope_key(uint32_t k)
{
	switch (k & 0xff) {
	case 'S':
		return k == KEY2('S', 'T') || k == KEY2('S', 'E');
	case 'G':
		return k == KEY2('G', 'S') || k == KEY2('G', 'E');
	case 'I':
		return k == KEY_IEA;
	default:
		return false;
	}
}

/*
 * Bytes of a tag, for x12_envelope_tag_sound(): bit 0 for a first one
 * (upper case), bit 1 for a second one (upper case or digit), bit 2 for
 * a third one (the same, or the 0 that tag_key4() gives a 2-byte tag),
 * bit 3 for G, I and S, which every envelope tag starts with; the rest
 * are 0.
 */
static const unsigned char tag_class[256] = {
	4, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0,  0, 0,  0, 0, 0, 0, 0, 0,
	0, 0, 0, 0,  0, 0, 0, 0, 0, 0, 0, 0,  0, 0,  0, 0, 0, 0, 0, 0,
	0, 0, 0, 0,  0, 0, 0, 0, 6, 6, 6, 6,  6, 6,  6, 6, 6, 6, 0, 0,
	0, 0, 0, 0,  0, 7, 7, 7, 7, 7, 7, 15, 7, 15, 7, 7, 7, 7, 7, 7,
	7, 7, 7, 15, 7, 7, 7, 7, 7, 7, 7, 0,  0, 0,  0, 0,
};

/*
 * x12_envelope_tag_sound() of a tag packed by tag_key4() (0 when longer
 * than 3 bytes), but for a 3-byte tag ending in a NUL byte, which the
 * caller tells apart.  With !envelope_key() it is x12_envelope_plain()
 * (an ISA never gets here: a batch stops before one).
 */
static inline unsigned sound_key(uint32_t k)
{
	return tag_class[k & 0xff] & tag_class[(k >> 8) & 0xff] >> 1 &
	       tag_class[k >> 16] >> 2 & 1;
}

/* Can an ordinary segment start at p?  Moves p past the line end after
 * a terminator, as skip_space() would. */
static inline bool segment_starts(const char **pp, const char *end)
{
	const char *p = *pp;
	unsigned char c;

	if (end - p >= 6) {
		/* the common case: no bounds to check */
		c = (unsigned char)*p;
		if (c == '\r')
			c = (unsigned char)*++p;
		if (c == '\n')
			c = (unsigned char)*++p;
		*pp = p;
		if (c > ' ' && c != 'I')
			return true;
		return c > ' ' && !(p[1] == 'S' && p[2] == 'A');
	}
	if (p < end && *p == '\r')
		p++;
	if (p < end && *p == '\n')
		p++;
	*pp = p;
	if (end - p < 4)
		return false;
	c = (unsigned char)p[0];
	/* white space, NUL, ^Z: skip_space(); "ISA": a new interchange */
	return c > ' ' && !(c == 'I' && p[1] == 'S' && p[2] == 'A');
}

static void grow_mseg(struct x12_reader *r, size_t want)
{
	while (r->cap_mseg < want)
		r->cap_mseg = r->cap_mseg ? r->cap_mseg * 2 : 256;
	r->mseg = xreallocarray(r->mseg, r->cap_mseg, sizeof(*r->mseg));
}

/* Fill in the record of a segment scanned from seg to at (its elements
 * o_seg..o, its tag packed in key); the flags are set.  Returns the next
 * record. */
static inline struct x12_span_seg *finish_rec(struct x12_span_seg *rec,
					      const char *seg, const char *at,
					      uintptr_t delta, size_t index,
					      const struct strview *o_seg,
					      const struct strview *o,
					      uint32_t key)
{
	rec->offset = (size_t)((uintptr_t)seg + delta);
	rec->len = (size_t)(at - seg);
	rec->index = index;
	rec->nel = (uint32_t)(o - o_seg - 1);
	rec->key = key;
	return rec + 1;
}

/*
 * Scan ordinary segments ahead from r->pos: their records go to
 * r->mseg from r->nmseg on and their element views to r->els from
 * r->nels on, where they belong when the set is marked.  One pass over
 * the bytes, 64 bytes at a time (the masks of four or eight blocks in
 * one word each), the separators and terminators in order.  Stops before a segment the general code must read,
 * and after one the envelope acts on.  Returns the number scanned.
 */
static inline __attribute__((always_inline)) size_t refill_with(
	struct x12_reader *r, const void *probe, masks_fn get, size_t block)
{
	const char *data = r->data, *end = data + r->len;
	const char *p = data + r->pos, *q, *seg, *start;
	size_t max = r->limits->max_segment, index = r->nsegments;
	size_t first = r->nmseg;
	/* input offset = pointer + delta (modulo 2^64) */
	uintptr_t delta = (uintptr_t)r->base - (uintptr_t)data;
	struct x12_span_seg *rec, *rec_end;
	struct strview *o, *o_seg, *full;
	uint64_t drop = 0, carry = 0;

	/* (few locals live through the loop: they would not all fit in
	 * registers, and a spilled one costs a load per segment) */
	r->bnext = r->bend = r->bfirst = first;
	r->bel = r->nels;
	r->bstop = 0;
	if (!segment_starts(&p, end))
		return 0;
	if (r->cap_mseg < first + X12_FAST_BATCH)
		grow_mseg(r, first + X12_FAST_BATCH);
	if (r->cap_els - r->nels < 2 * WIDE + 2)
		grow_els(r);
	rec = r->mseg + first;
	rec_end = rec + X12_FAST_BATCH;
	o = o_seg = r->els + r->nels;
	full = r->els + (r->cap_els - WIDE - 1);
	seg = start = q = p;
	for (;;) {
		struct masks64 m;

		if (q >= end)
			break; /* no terminator: the general code reads on */
		if ((size_t)(end - q) >= WIDE)
			m = get_wide(probe, get, block, q);
		else
			m = tail_wide(probe, get, block, q, (size_t)(end - q));
		if (o > full) {
			size_t io = (size_t)(o - r->els);
			size_t iseg = (size_t)(o_seg - r->els);

			grow_els(r);
			o = r->els + io;
			o_seg = r->els + iseg;
			full = r->els + (r->cap_els - WIDE - 1);
		}
		/* bit 0 stands for the special bytes of the segment in the
		 * blocks before; the bits of the last one are dropped */
		m.special = (m.special & ~drop) | carry;
		drop = 0;
		for (;;) {
			/* the separators below the next terminator, then it */
			uint64_t tb = m.term & -m.term;
			uint64_t eb = m.element & (tb - 1);
			const char *at;
			size_t d;
			uint32_t key;

			m.element ^= eb;
			for (; eb; eb &= eb - 1) {
				at = q + (unsigned)__builtin_ctzll(eb);
				o->ptr = start;
				o->len = (size_t)(at - start);
				o++;
				start = at + 1;
			}
			if (!tb)
				break;
			m.term ^= tb;
			at = q + (unsigned)__builtin_ctzll(tb);
			o->ptr = start;
			o->len = (size_t)(at - start);
			o++;
			/* a segment ends at `at` */
			if ((size_t)(at - seg) > max)
				goto stop;
			/* (a segment starts with 4 bytes in the window) */
			key = tag_key4(seg, o_seg->len);
			rec->cleaned = false;
			rec->split = true;
			rec->has_component = rec->has_repetition = false;
			rec->ctl_free = true;
			/* (bit 0 too when the terminator is there: it may
			 * stand for the blocks before) */
			if (m.special & ((tb - 1) | 1)) {
				struct x12_fast_seg fs;

				/* a control byte or DEL, maybe only as
				 * separator: not known */
				rec->ctl_free = false;
				classify(&r->fast, seg, (size_t)(at - seg),
					 &fs);
				if (fs.has_newline)
					goto stop; /* line wrapping */
				rec->has_component = fs.has_component;
				rec->has_repetition = fs.has_repetition;
				/* a NUL (a special byte) ends "AB\0" */
				if (o_seg->len == 3 && !(key >> 16))
					goto odd;
			}
			if (!sound_key(key) || ((tag_class[key & 0xff] & 8) &&
						envelope_key(key))) {
				size_t k;
			odd:
				/* where x12_reader_skip_plain() stops */
				k = (size_t)(rec - r->mseg) - first;
				r->bstop |= (uint64_t)1 << k;
				r->bel_at[k] = (size_t)(o_seg - r->els);
				if (envelope_key(key)) {
					rec = finish_rec(rec, seg, at, delta,
							 ++index, o_seg, o,
							 key);
					goto done;
				}
			}
			rec = finish_rec(rec, seg, at, delta, ++index, o_seg, o,
					 key);
			p = at + 1;
			if (rec == rec_end || !segment_starts(&p, end))
				goto done;
			seg = start = p;
			o_seg = o;
			/* the bits before p are done with */
			d = (size_t)(p - q);
			if (d >= WIDE) {
				m.special = 0;
				drop = ((uint64_t)1 << (d - WIDE)) - 1;
				break;
			}
			m.special &= ~(((uint64_t)1 << d) - 1);
		}
		/* (no pointer past the end, not even to compare) */
		if ((size_t)(end - q) <= WIDE || (size_t)(q - seg) + WIDE > max)
			break;
		q += WIDE;
		carry = m.special != 0;
	}
stop:
	o = o_seg; /* past the elements of the last segment scanned */
done:
	r->bend = (size_t)(rec - r->mseg);
	r->bel_at[r->bend - first] = (size_t)(o - r->els);
	return r->bend - first;
}

#if defined(HAVE_AVX2_SCAN)
static __attribute__((target("avx2"), noinline)) size_t refill_avx2(
	struct x12_reader *r)
{
	const struct x12_fast_delims *f = &r->fast;
	struct probe_avx2 q = {_mm256_set1_epi8((char)f->term[0]),
			       _mm256_set1_epi8((char)f->element[0]),
			       _mm256_set1_epi8((char)f->component[0]),
			       _mm256_set1_epi8((char)f->repetition[0])};

	return refill_with(r, &q, masks_avx2, 32);
}
#endif

static size_t refill(struct x12_reader *r)
{
#if defined(HAVE_AVX2_SCAN)
	if (r->fast_mode == X12_FAST_BEST && __builtin_cpu_supports("avx2"))
		return refill_avx2(r);
#endif
	if (r->fast_mode == X12_FAST_PORTABLE) {
		struct probe_word q = probe_word(&r->fast);

		return refill_with(r, &q, masks_word, 8);
	}
#if defined(__SSE2__)
	{
		struct probe_sse2 q = probe_sse2(&r->fast);

		return refill_with(r, &q, masks_sse2, 16);
	}
#else
	{
		struct probe_word q = probe_word(&r->fast);

		return refill_with(r, &q, masks_word, 8);
	}
#endif
}

/* Move the reader past the next segment scanned ahead, as the general
 * code would; its record and its elements. */
static inline const struct x12_span_seg *advance(struct x12_reader *r,
						 struct strview **elp)
{
	size_t k = r->bnext++;
	struct x12_span_seg *s = &r->mseg[k];
	struct strview *el = r->els + r->bel;

	r->bel += s->nel + 1;
	if (r->mark != NONE) {
		/* kept for the set, after what was kept so far (where it
		 * already is unless the mark moved since the scan) */
		if (k != r->nmseg) {
			r->mseg[r->nmseg] = *s;
			s = &r->mseg[r->nmseg];
		}
		if (el != r->els + r->nels) {
			memmove(r->els + r->nels, el,
				(s->nel + 1) * sizeof(*el));
			el = r->els + r->nels;
		}
		r->last_at = r->nmseg++;
		r->nels += s->nel + 1;
	} else {
		r->last_at = k;
	}
	r->last_el = (size_t)(el - r->els);
	r->last = s->offset - r->base;
	r->pos = r->last + s->len + 1;
	r->nsegments = s->index;
	*elp = el;
	return s;
}

/* Hand out the next segment scanned ahead. */
static inline void pop(struct x12_reader *r, struct x12_segment *seg)
{
	struct strview *el;
	const struct x12_span_seg *s = advance(r, &el);

	seg->raw = sv_make(r->data + r->last, s->len);
	seg->tag = el[0];
	seg->offset = s->offset;
	seg->index = s->index;
	seg->cleaned = false;
	seg->delims = &r->delims;
	seg->key = s->key;
	seg->el = el;
	seg->nel = s->nel;
	seg->has_component = s->has_component;
	seg->has_repetition = s->has_repetition;
	seg->ctl_free = s->ctl_free;
	if (seg->key == KEY_IEA)
		r->in_interchange = false; /* next comes an ISA or nothing */
}

void x12_reader_skip(struct x12_reader *r, const struct x12_ahead *to)
{
	const struct x12_span_seg *s;
	struct strview *el;

	if (to->rec <= r->bnext)
		return;
	if (r->mark != NONE && (r->bnext != r->nmseg || r->bel != r->nels)) {
		/* the mark moved since the scan: one by one */
		while (r->bnext < to->rec)
			advance(r, &el);
	} else {
		/* the records and elements are where they belong */
		size_t k = to->rec - 1;

		s = &r->mseg[k];
		if (r->mark != NONE) {
			r->nmseg = to->rec;
			r->nels = to->el;
		}
		r->last_at = k;
		r->last_el = to->el - (s->nel + 1);
		r->last = s->offset - r->base;
		r->pos = r->last + s->len + 1;
		r->nsegments = s->index;
		r->bnext = to->rec;
		r->bel = to->el;
	}
	/* an IEA ends a batch: it can only be the last */
	el = &r->els[r->last_el];
	if (el->len == 3 && !memcmp(el->ptr, "IEA", 3))
		r->in_interchange = false;
}

size_t x12_reader_skip_plain(struct x12_reader *r)
{
	size_t from = r->bnext, n;
	uint64_t stop;
	struct x12_ahead to;

	if (from >= r->bend)
		return 0;
	/* from - bfirst < X12_FAST_BATCH: a batch is no longer */
	stop = r->bstop >> (from - r->bfirst);
	n = stop ? (size_t)__builtin_ctzll(stop) : r->bend - from;
	if (!n)
		return 0;
	to.rec = from + n;
	to.el = r->bel_at[to.rec - r->bfirst];
	x12_reader_skip(r, &to);
	return n;
}

/* x12_reader_next() when nothing was scanned ahead */
static __attribute__((noinline)) enum x12_next next_slow(
	struct x12_reader *r, struct x12_segment *seg, struct edi_error *err)
{
	/* in_interchange implies started */
	if (r->in_interchange && r->fast.on && refill(r)) {
		pop(r, seg);
		return X12_NEXT_SEGMENT;
	}
	return x12_reader_next_general(r, seg, err);
}

enum x12_next x12_reader_next(struct x12_reader *r, struct x12_segment *seg,
			      struct edi_error *err)
{
	if (r->bnext < r->bend) {
		pop(r, seg);
		return X12_NEXT_SEGMENT;
	}
	return next_slow(r, seg, err);
}
