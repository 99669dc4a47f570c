/*
 * map_gs1 - GS1 check digits; see map_gs1.h.
 *
 * A number is valid when its digits, weighted 1, 3, 1, 3, ... from the
 * rightmost (the check digit) leftwards, sum to a multiple of ten.  The
 * digits are tested and summed a word at a time: words are taken from
 * the right end, so in every word the weight-3 digits are the even bytes
 * (little-endian lanes 0, 2, 4, 6); the leftover digits at the start are
 * loaded as the first eight and shifted up, which clears the bytes that
 * are not theirs.
 */
#include "map_gs1.h"

#include <stdint.h>
#include <string.h>

#define ONES 0x0101010101010101ULL

static inline uint64_t le64(const char *p)
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
static inline bool digits_word(uint64_t w)
{
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0ULL;

	return ((w & hi) | ((w + ONES * 6) & hi) >> 4) == ONES * 0x33;
}

/* The weighted sum of the digit values in the bytes of x. */
static inline unsigned weighted(uint64_t x)
{
	uint64_t all = x * ONES >> 56;
	uint64_t threes = (x & 0x00FF00FF00FF00FFULL) * ONES >> 56;

	return (unsigned)(all + 2 * threes);
}

/* n (8 to 24) bytes at p are digits whose weighted sum ends in 0. */
static bool digits_check(const char *p, size_t n)
{
	size_t head = n % 8;
	unsigned sum = 0;

	for (size_t end = n; end >= 8; end -= 8) {
		uint64_t w = le64(p + end - 8);

		if (!digits_word(w))
			return false;
		sum += weighted(w - ONES * '0');
		if (end < 16)
			break;
	}
	if (head) {
		uint64_t w = le64(p);

		if (!digits_word(w))
			return false;
		sum += weighted((w - ONES * '0') << 8 * (8 - head));
	}
	return sum % 10 == 0;
}

bool map_gs1_gtin_ok(struct strview v)
{
	if (v.len != 8 && v.len != 12 && v.len != 13 && v.len != 14)
		return false;
	return digits_check(v.ptr, v.len);
}

bool map_gs1_sscc_ok(struct strview v)
{
	if (v.len == 20 && v.ptr[0] == '0' && v.ptr[1] == '0')
		v = sv_make(v.ptr + 2, 18);
	return v.len == 18 && digits_check(v.ptr, v.len);
}
