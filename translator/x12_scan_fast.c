/*
 * x12_scan_fast - one-pass scan of one segment; see x12_scan_fast.h.
 * The masks are x12_scan_simd.h's, the reader's batched scan of many
 * segments is in x12_scan_batch.c.
 *
 * The separators below the first terminator are the segment's elements;
 * when a special byte occurs the segment is looked at again byte by byte
 * to tell which it was.  A block that would run past the end of the
 * bytes is copied into a local one first: the caller's buffer is never
 * read beyond its end.
 */
#include "x12_scan_fast.h"

#include <string.h>

#include "x12_scan_simd.h"

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
