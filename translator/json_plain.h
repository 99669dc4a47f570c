/*
 * json_plain - copy bytes and tell whether a JSON string holds them as
 * they are.
 *
 * "Plain" is ASCII from 0x20 up (DEL too) other than '"' and '\\': what
 * json_escape() copies as it is, and nearly every byte of EDI data.
 * json_plain_copy() copies n bytes and checks them in the same pass: 1-3
 * bytes by a table, more 16 at a time with SSE2 (every x86-64 has it) or
 * 8 at a time with word arithmetic elsewhere, with overlapping loads and
 * stores for the ragged end, so it touches exactly p[0..n) and dst[0..n).
 * When the answer is false dst holds a copy to throw away and the caller
 * escapes the string the long way (json_escape()).  Header-only: it is on
 * the hot path of rec_json.
 */
#ifndef EDI_JSON_PLAIN_H
#define EDI_JSON_PLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define JSON_PLAIN_ONES 0x0101010101010101ULL
#define JSON_PLAIN_HIGH 0x8080808080808080ULL

/* Non-zero when one of the 8 bytes of x is not plain: a byte below 0x20
 * is found exactly by the bithacks "has less than" test, one of 0x80 and
 * above by its high bit. */
static inline uint64_t json_special8(uint64_t x)
{
	uint64_t q = x ^ (JSON_PLAIN_ONES * '"');
	uint64_t s = x ^ (JSON_PLAIN_ONES * '\\');

	return (((x - JSON_PLAIN_ONES * 0x20) & ~x) |
		((q - JSON_PLAIN_ONES) & ~q) | ((s - JSON_PLAIN_ONES) & ~s) |
		x) &
	       JSON_PLAIN_HIGH;
}

#ifdef __SSE2__
/* A byte mask of what is not plain in v: the signed comparison with 0x20
 * catches the control bytes and every byte of 0x80 and above at once. */
static inline __m128i json_special16(__m128i v)
{
	return _mm_or_si128(
		_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
			     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
}
#endif

/* 1 for a plain byte, by value: 3 lookups decide a string of 1-3 bytes */
/* clang-format off */
static const unsigned char json_plain_byte[256] = {
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, /* 00 */
	1,1,0,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, /* 20 */
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,0,1,1,1, /* 40 */
	1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1, /* 60 */
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, /* 80 */
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, /* a0 */
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, /* c0 */
	0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, /* e0 */
};
/* clang-format on */

/* Copy the 1-3 bytes of a short string (bytes 0, n/2 and n-1 are every
 * byte) and tell whether they are plain. */
static inline bool json_plain_tiny(char *dst, const char *p, size_t n)
{
	unsigned char a = (unsigned char)p[0], b = (unsigned char)p[n >> 1],
		      c = (unsigned char)p[n - 1];

	dst[0] = (char)a;
	dst[n >> 1] = (char)b;
	dst[n - 1] = (char)c;
	return json_plain_byte[a] & json_plain_byte[b] & json_plain_byte[c];
}

/* The 4-7 bytes of a short string as one word of two overlapping 4-byte
 * ones, copied to dst on the way. */
static inline uint64_t json_plain_short(char *dst, const char *p, size_t n)
{
	uint32_t lo, hi;

	memcpy(&lo, p, 4);
	memcpy(&hi, p + n - 4, 4);
	memcpy(dst, &lo, 4);
	memcpy(dst + n - 4, &hi, 4);
	return lo | (uint64_t)hi << 32;
}

static inline __attribute__((always_inline)) bool json_plain_copy(char *dst,
								  const char *p,
								  size_t n)
{
	uint64_t lo, hi;

	/* the short ones first: most values are codes of 1-3 bytes */
	if (n < 4)
		return !n || json_plain_tiny(dst, p, n);
#ifdef __SSE2__
	if (n < 8)
		return !(_mm_movemask_epi8(json_special16(_mm_cvtsi64_si128(
				 (long long)json_plain_short(dst, p, n)))) &
			 0xff);
	if (n < 16) {
		memcpy(&lo, p, 8);
		memcpy(&hi, p + n - 8, 8);
		memcpy(dst, &lo, 8);
		memcpy(dst + n - 8, &hi, 8);
		return !_mm_movemask_epi8(json_special16(
			_mm_set_epi64x((long long)hi, (long long)lo)));
	}
	{
		__m128i v, bad = _mm_setzero_si128();
		size_t i;

		for (i = 0; i + 16 < n; i += 16) {
			v = _mm_loadu_si128((const __m128i *)(p + i));
			bad = _mm_or_si128(bad, json_special16(v));
			_mm_storeu_si128((__m128i *)(dst + i), v);
		}
		/* the last 16 bytes, overlapping the ones before */
		v = _mm_loadu_si128((const __m128i *)(p + n - 16));
		bad = _mm_or_si128(bad, json_special16(v));
		_mm_storeu_si128((__m128i *)(dst + n - 16), v);
		return !_mm_movemask_epi8(bad);
	}
#else
	if (n < 8)
		return !json_special8(json_plain_short(dst, p, n));
	lo = 0;
	for (size_t i = 0; i + 8 < n; i += 8) {
		memcpy(&hi, p + i, 8);
		lo |= json_special8(hi);
		memcpy(dst + i, &hi, 8);
	}
	memcpy(&hi, p + n - 8, 8);
	memcpy(dst + n - 8, &hi, 8);
	return !(lo | json_special8(hi));
#endif
}

#endif
