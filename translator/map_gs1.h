/*
 * map_gs1 - GS1 check digits (GTIN, SSCC-18) eight digits at a time, for
 * the rules of map_rules; inline, as they run for every item id.
 *
 * map_gs1_gtin_ok() and map_gs1_sscc_ok() answer exactly as gtin_valid()
 * and sscc_valid() of map_xform do (tests/translator/test_map_check.c
 * compares them); they read nothing outside the view and cannot fail.
 *
 * A number is valid when its digits, weighted 1, 3, 1, 3, ... from the
 * rightmost (the check digit) leftwards, sum to a multiple of ten.  The
 * digits are tested and summed a word at a time: words are taken from
 * the right end, so in every word the weight-3 digits are the even bytes
 * (little-endian lanes 0, 2, 4, 6); the leftover digits at the start are
 * loaded as the first eight and shifted up, which clears the bytes that
 * are not theirs.
 */
#ifndef EDI_MAP_GS1_H
#define EDI_MAP_GS1_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "strview.h"

#define GS1_ONES 0x0101010101010101ULL

static inline uint64_t gs1_le64(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* Every byte of w is '0'..'9' (a byte of 0xfa or more carries into the
 * next one, but fails itself). */
static inline bool gs1_digits_word(uint64_t w)
{
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0ULL;

	return ((w & hi) | ((w + GS1_ONES * 6) & hi) >> 4) == GS1_ONES * 0x33;
}

/* The weighted sum of the digit values in the bytes of x. */
static inline unsigned gs1_weighted(uint64_t x)
{
	uint64_t all = x * GS1_ONES >> 56;
	uint64_t threes = (x & 0x00FF00FF00FF00FFULL) * GS1_ONES >> 56;

	return (unsigned)(all + 2 * threes);
}

/* n (8 to 24) bytes at p are digits whose weighted sum ends in 0. */
static inline bool gs1_digits_check(const char *p, size_t n)
{
	size_t head = n % 8;
	unsigned sum = 0;

	for (size_t end = n; end >= 8; end -= 8) {
		uint64_t w = gs1_le64(p + end - 8);

		if (!gs1_digits_word(w))
			return false;
		sum += gs1_weighted(w - GS1_ONES * '0');
		if (end < 16)
			break;
	}
	if (head) {
		uint64_t w = gs1_le64(p);

		if (!gs1_digits_word(w))
			return false;
		sum += gs1_weighted((w - GS1_ONES * '0') << 8 * (8 - head));
	}
	return sum % 10 == 0;
}

/* v is a GTIN-8, -12, -13 or -14: all digits, the last the check digit. */
static inline bool map_gs1_gtin_ok(struct strview v)
{
	if (v.len != 8 && v.len != 12 && v.len != 13 && v.len != 14)
		return false;
	return gs1_digits_check(v.ptr, v.len);
}

/* v is an SSCC-18 (or 20 digits starting "00"), check digit included. */
static inline bool map_gs1_sscc_ok(struct strview v)
{
	if (v.len == 20 && v.ptr[0] == '0' && v.ptr[1] == '0')
		v = sv_make(v.ptr + 2, 18);
	return v.len == 18 && gs1_digits_check(v.ptr, v.len);
}

#endif
