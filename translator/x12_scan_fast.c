/*
 * x12_scan_fast - one-pass segment scan; see x12_scan_fast.h.
 *
 * A block of bytes gives three bit masks, one bit per byte: terminators,
 * element separators, and "special" bytes (component or repetition
 * separator, CR, LF).  The separators below the first terminator are the
 * segment's elements; special bytes are rare, so when one occurs the
 * segment is looked at again byte by byte to tell which it was.  A block
 * that would run past the end of the bytes is copied into a local one
 * first: the caller's buffer is never read beyond its end.
 */
#include "x12_scan_fast.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
/* AVX2 is not baseline: its scan is compiled for it alone and taken only
 * when the processor says it has it */
#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_AVX2_SCAN 1
#include <immintrin.h>
#endif

#include "xalloc.h"

#define NONE	SIZE_MAX
#define KEY_IEA ((uint32_t)'I' | (uint32_t)'E' << 8 | (uint32_t)'A' << 16)

static bool is_newline(char c)
{
	return c == '\r' || c == '\n';
}

void x12_fast_delims_init(struct x12_fast_delims *f, const struct x12_delims *d,
			  const struct x12_limits *l)
{
	/* without a repetition separator the component one stands in, so
	 * that the vector matches nothing new */
	f->repeats = d->repetition && d->repetition != d->element;
	memset(f->term, d->terminator, 16);
	memset(f->element, d->element, 16);
	memset(f->component, d->component, 16);
	memset(f->repetition, f->repeats ? d->repetition : d->component, 16);
	/* element counts are 32-bit */
	f->on = d->strip_newlines && !d->tail_len && !is_newline(d->element) &&
		!is_newline(d->component) && !is_newline(d->terminator) &&
		!(f->repeats && is_newline(d->repetition)) &&
		l->max_segment < UINT32_MAX;
}

struct masks {
	unsigned term, element, special;
};

/*
 * The delimiters as the block size wants them, held in locals (in
 * registers) for one scan: the separator offsets the scan stores could
 * otherwise alias the bytes of struct x12_fast_delims.
 */
#if defined(__SSE2__)
struct probe_sse2 {
	__m128i t, e, c, r;
};

static inline struct probe_sse2 probe_sse2(const struct x12_fast_delims *f)
{
	struct probe_sse2 q = {
		_mm_loadu_si128((const __m128i *)(const void *)f->term),
		_mm_loadu_si128((const __m128i *)(const void *)f->element),
		_mm_loadu_si128((const __m128i *)(const void *)f->component),
		_mm_loadu_si128((const __m128i *)(const void *)f->repetition)};

	return q;
}

static inline struct masks masks_sse2(const void *probe, const char *p)
{
	const struct probe_sse2 *q = probe;
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* CR, LF and the other control bytes: v <= 0x1f */
	__m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
	__m128i s = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(v, q->c), _mm_cmpeq_epi8(v, q->r)),
		ctl);
	struct masks m = {(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q->t)),
			  (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q->e)),
			  (unsigned)_mm_movemask_epi8(s)};

	return m;
}
#endif

#if defined(HAVE_AVX2_SCAN)
struct probe_avx2 {
	__m256i t, e, c, r;
};

static inline __attribute__((target("avx2"))) struct masks masks_avx2(
	const void *probe, const char *p)
{
	const struct probe_avx2 *q = probe;
	__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i ctl = _mm256_cmpeq_epi8(
		_mm256_min_epu8(v, _mm256_set1_epi8(0x1f)), v);
	__m256i s = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, q->c),
						    _mm256_cmpeq_epi8(v, q->r)),
				    ctl);
	struct masks m = {
		(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, q->t)),
		(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, q->e)),
		(unsigned)_mm256_movemask_epi8(s)};

	return m;
}
#endif

struct probe_word {
	uint64_t t, e, c, r;
};

#define ONES 0x0101010101010101ULL

static inline struct probe_word probe_word(const struct x12_fast_delims *f)
{
	struct probe_word q = {ONES * f->term[0], ONES * f->element[0],
			       ONES * f->component[0], ONES * f->repetition[0]};

	return q;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LOW7 0x7f7f7f7f7f7f7f7fULL

/* 0x80 in the bytes of x that are 0 (exact: no borrow between bytes) */
static inline uint64_t zero_bytes(uint64_t x)
{
	return ~(((x & LOW7) + LOW7) | x | LOW7);
}

/* bit i for byte i of a zero_bytes() result */
static inline unsigned byte_bits(uint64_t z)
{
	return (unsigned)(((z >> 7) * 0x0102040810204080ULL) >> 56);
}

static inline struct masks masks_word(const void *probe, const char *p)
{
	const struct probe_word *q = probe;
	uint64_t w, ctl;
	struct masks m;

	memcpy(&w, p, 8);
	/* bytes <= 0x1f: no bit above the low five, high bit clear */
	ctl = zero_bytes(w & (ONES * 0xe0));
	m.term = byte_bits(zero_bytes(w ^ q->t));
	m.element = byte_bits(zero_bytes(w ^ q->e));
	m.special =
		byte_bits(zero_bytes(w ^ q->c) | zero_bytes(w ^ q->r) | ctl);
	return m;
}
#else
static inline struct masks masks_word(const void *probe, const char *p)
{
	const struct probe_word *q = probe;
	struct masks m = {0, 0, 0};

	for (unsigned i = 0; i < 8; i++) {
		unsigned char c = (unsigned char)p[i];
		m.term |= (unsigned)(c == (unsigned char)q->t) << i;
		m.element |= (unsigned)(c == (unsigned char)q->e) << i;
		m.special |= (unsigned)(c == (unsigned char)q->c ||
					c == (unsigned char)q->r || c < 0x20)
			     << i;
	}
	return m;
}
#endif

/* Which special bytes p[0..len) holds. */
static void classify(const struct x12_fast_delims *f, const char *p, size_t len,
		     struct x12_fast_seg *out)
{
	bool comp = false, rep = false, nl = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		comp |= c == f->component[0];
		rep |= f->repeats && c == f->repetition[0];
		nl |= c == '\r' || c == '\n';
	}
	out->has_component = comp;
	out->has_repetition = rep;
	out->has_newline = nl;
}

typedef struct masks (*masks_fn)(const void *probe, const char *p);

/* A block that would run past p + n, copied where it may be read whole
 * (no call: that would cost the probe its registers). */
static inline struct masks tail_masks(const void *probe, masks_fn get,
				      const char *p, size_t left)
{
	char tmp[16] = {0};
	unsigned valid = (1u << left) - 1;
	struct masks m;

	for (size_t i = 0; i < left; i++)
		tmp[i] = p[i];
	m = get(probe, tmp);
	m.term &= valid;
	m.element &= valid;
	m.special &= valid;
	return m;
}

/*
 * The scan, for blocks of `block` bytes read by get with probe (all
 * constants or locals where it is inlined).  Special bytes (separators
 * of components or repetitions, control bytes) are told apart only when
 * the segment has one.
 */
static inline __attribute__((always_inline)) enum x12_fast_result scan(
	const struct x12_fast_delims *f, const void *probe, masks_fn get,
	size_t block, const char *p, size_t n, size_t max, struct strview *el,
	size_t room, struct x12_fast_seg *out)
{
	const char *q = p, *end = p + n, *start = p;
	struct strview *o = el, *full;
	unsigned special = 0;

	if (room <= block)
		return X12_FAST_ROOM;
	full = el + (room - block - 1); /* past it a block may not fit */
	for (;;) {
		struct masks m;

		if ((size_t)(end - q) >= block) {
			m = get(probe, q);
		} else {
			if (q == end)
				return X12_FAST_NOT_HERE;
			m = tail_masks(probe, get, q, (size_t)(end - q));
		}
		if (o > full)
			return X12_FAST_ROOM;
		if (m.term) {
			unsigned below = (m.term & -m.term) - 1;
			m.element &= below;
			m.special &= below;
		}
		special |= m.special;
		for (; m.element; m.element &= m.element - 1) {
			const char *at = q + __builtin_ctz(m.element);

			o->ptr = start;
			o->len = (size_t)(at - start);
			o++;
			start = at + 1;
		}
		if (m.term) {
			const char *at = q + __builtin_ctz(m.term);

			if ((size_t)(at - p) > max)
				return X12_FAST_NOT_HERE;
			o->ptr = start;
			o->len = (size_t)(at - start);
			out->len = (size_t)(at - p);
			out->nel = (unsigned)(o - el);
			out->has_component = out->has_repetition =
				out->has_newline = false;
			if (special)
				classify(f, p, out->len, out);
			return X12_FAST_FOUND;
		}
		/* (no pointer past the end, not even to compare) */
		if ((size_t)(end - q) <= block || (size_t)(q - p) + block > max)
			return X12_FAST_NOT_HERE;
		q += block;
	}
}

enum x12_fast_result x12_fast_scan_portable(const struct x12_fast_delims *f,
					    const char *p, size_t n, size_t max,
					    struct strview *el, size_t room,
					    struct x12_fast_seg *out)
{
	struct probe_word q = probe_word(f);

	return scan(f, &q, masks_word, 8, p, n, max, el, room, out);
}

/* The best scan this machine has, inline. */
static inline __attribute__((always_inline)) enum x12_fast_result scan_best(
	const struct x12_fast_delims *f, const char *p, size_t n, size_t max,
	struct strview *el, size_t room, struct x12_fast_seg *out)
{
#if defined(__SSE2__)
	struct probe_sse2 q = probe_sse2(f);

	return scan(f, &q, masks_sse2, 16, p, n, max, el, room, out);
#else
	struct probe_word q = probe_word(f);

	return scan(f, &q, masks_word, 8, p, n, max, el, room, out);
#endif
}

enum x12_fast_result x12_fast_scan(const struct x12_fast_delims *f,
				   const char *p, size_t n, size_t max,
				   struct strview *el, size_t room,
				   struct x12_fast_seg *out)
{
	return scan_best(f, p, n, max, el, room, out);
}

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

#define WIDE 64 /* bytes whose masks fill a word */

struct masks64 {
	uint64_t term, element, special;
};

/* The masks of WIDE bytes from those of blocks of `block`. */
static inline __attribute__((always_inline)) struct masks64 get_wide(
	const void *probe, masks_fn get, size_t block, const char *p)
{
	struct masks64 w = {0, 0, 0};

	for (size_t i = 0; i < WIDE; i += block) {
		struct masks m = get(probe, p + i);

		w.term |= (uint64_t)m.term << i;
		w.element |= (uint64_t)m.element << i;
		w.special |= (uint64_t)m.special << i;
	}
	return w;
}

/* The same for the last left (< WIDE) bytes, copied first. */
static inline struct masks64 tail_wide(const void *probe, masks_fn get,
				       size_t block, const char *p, size_t left)
{
	char tmp[WIDE] = {0};
	uint64_t valid = ((uint64_t)1 << left) - 1;
	struct masks64 w;

	memcpy(tmp, p, left);
	w = get_wide(probe, get, block, tmp);
	w.term &= valid;
	w.element &= valid;
	w.special &= valid;
	return w;
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
			/* (bit 0 too when the terminator is there: it may
			 * stand for the blocks before) */
			if (m.special & ((tb - 1) | 1)) {
				struct x12_fast_seg fs;

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
