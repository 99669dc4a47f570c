/*
 * x12_scan_simd - the byte masks the reader's scans are made of; internal
 * to x12_scan_fast.c and x12_scan_batch.c.
 *
 * A block of bytes gives three bit masks, one bit per byte: terminators,
 * element separators, and "special" bytes (component or repetition
 * separator, CR, LF and the other control bytes).  A block is 16 bytes
 * with SSE2 (every x86-64 has it), 32 with AVX2 (compiled for it alone,
 * in a function taken only when the processor has it), 8 in a word
 * elsewhere; WIDE bytes' masks fold into one 64-bit word each.  Special
 * bytes are rare, so classify() tells them apart byte by byte.
 */
#ifndef EDI_X12_SCAN_SIMD_H
#define EDI_X12_SCAN_SIMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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

#include "x12_scan_fast.h"

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
	__m128i ctl = _mm_or_si128(
		_mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v),
		_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
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
	__m256i ctl = _mm256_or_si256(
		_mm256_cmpeq_epi8(_mm256_min_epu8(v, _mm256_set1_epi8(0x1f)),
				  v),
		_mm256_cmpeq_epi8(v, _mm256_set1_epi8(0x7f)));
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
	/* bytes <= 0x1f: no bit above the low five, high bit clear;
	 * and DEL */
	ctl = zero_bytes(w & (ONES * 0xe0)) | zero_bytes(w ^ (ONES * 0x7f));
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
					c == (unsigned char)q->r || c < 0x20 ||
					c == 0x7f)
			     << i;
	}
	return m;
}
#endif

/* Which special bytes p[0..len) holds. */
static inline void classify(const struct x12_fast_delims *f, const char *p,
			    size_t len, struct x12_fast_seg *out)
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

#endif
