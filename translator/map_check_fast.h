/*
 * map_check_fast - the table-driven element checks of map_check.c,
 * inline, so that the guide walk (map_guide.c) checks each segment it
 * places without a call; see map_check.h for what is checked.
 *
 * A prepared definition (map_check_prep.c) carries one struct ck_elem per
 * position: what the element is (a kind that folds type, code list and
 * composite together) and its length bounds, and for text one unsigned
 * length test.  The segment's bytes are tested for control characters
 * once (sixteen at a time); in a clean segment a text element of a
 * fitting length needs nothing more, and any other present element one
 * switch and one pass over the value, eight bytes at a time where that is
 * exact.  Each fast test answers "the long way has nothing to say" or "ask
 * the long way"; it never words a message itself: whatever is to be
 * reported goes to the functions of map_check.c and map_check_slow.c.
 */
#ifndef EDI_MAP_CHECK_FAST_H
#define EDI_MAP_CHECK_FAST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "map_check_int.h"

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL
/* non-zero when a byte of x is below n (n <= 128), exactly (bithacks) */
#define HAS_LESS(x, n) (((x)-ONES * (n)) & ~(x)&HIGH)

static inline uint64_t le64(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/*
 * The bytes of p (1 to 8 of them) in one word, with fill in the bytes
 * beyond.  Bytes 4-7 of a 5-7 byte value repeat some earlier ones, and
 * 1-3 bytes are placed as 0, n/2 and n-1: fine for a test every byte
 * must pass, never read past p + n.
 */
static inline uint64_t word_of(const char *p, size_t n, uint64_t fill)
{
	if (n >= 8)
		return le64(p);
	if (n >= 4)
		return ck_le32(p) | (uint64_t)ck_le32(p + n - 4) << 32;
	return (unsigned char)p[0] | (uint64_t)(unsigned char)p[n / 2] << 8 |
	       (uint64_t)(unsigned char)p[n - 1] << 16 |
	       (fill & ~(uint64_t)0xffffff);
}

/* No byte of the (non-empty) value is a control character. */
static inline bool text_ok(const char *p, size_t n)
{
	uint64_t w, bad = 0;
	size_t i;

	if (n <= 8) {
		w = word_of(p, n, ONES * 'A');
		return !(HAS_LESS(w, 0x20) | HAS_LESS(w ^ (ONES * 0x7f), 1));
	}
	for (i = 0; i + 8 <= n; i += 8) {
		w = le64(p + i);
		bad |= HAS_LESS(w, 0x20) | HAS_LESS(w ^ (ONES * 0x7f), 1);
	}
	w = le64(p + n - 8);
	bad |= HAS_LESS(w, 0x20) | HAS_LESS(w ^ (ONES * 0x7f), 1);
	return !bad;
}

/*
 * Bytes of a segment that may be control characters: bytes below 0x20
 * and 0x7f, and also 0x80-0x9f and 0xff (their low seven bits are one of
 * those): fewer steps than text_ok()'s exact test, and a false alarm only
 * sends the segment's elements to text_ok() one by one.
 */
static inline uint64_t maybe_ctrl(uint64_t w)
{
	const uint64_t low7 = ONES * 0x7f;
	uint64_t y = ((w & low7) + ONES) & low7; /* 0x7f -> 0, c -> c + 1 */

	return HAS_LESS(y, 0x21);
}

/* No byte of the n (at least 8) bytes at p is a control character, as
 * far as maybe_ctrl() can tell; with SSE2 sixteen at a time, exactly. */
static inline bool span_clean(const char *p, size_t n)
{
	uint64_t bad = 0;
	size_t i;

#ifdef __SSE2__
	if (n >= 16) {
		const __m128i max_ctrl = _mm_set1_epi8(0x1f);
		const __m128i del = _mm_set1_epi8(0x7f);
		__m128i x, hit = _mm_setzero_si128();

		/* x <= 0x1f (unsigned) or x == 0x7f */
		for (i = 0; i + 16 <= n; i += 16) {
			x = _mm_loadu_si128(
				(const __m128i *)(const void *)(p + i));
			hit = _mm_or_si128(
				hit,
				_mm_or_si128(
					_mm_cmpeq_epi8(
						_mm_min_epu8(x, max_ctrl), x),
					_mm_cmpeq_epi8(x, del)));
		}
		x = _mm_loadu_si128(
			(const __m128i *)(const void *)(p + n - 16));
		hit = _mm_or_si128(
			hit, _mm_or_si128(_mm_cmpeq_epi8(
						  _mm_min_epu8(x, max_ctrl), x),
					  _mm_cmpeq_epi8(x, del)));
		return !_mm_movemask_epi8(hit);
	}
#endif
	for (i = 0; i + 8 <= n; i += 8)
		bad |= maybe_ctrl(le64(p + i));
	return !(bad | maybe_ctrl(le64(p + n - 8)));
}

/* The n (1 to 8) bytes at p in lanes 0 to n-1, fill in the others. */
static inline uint64_t exact_word(const char *p, size_t n, uint64_t fill)
{
	uint64_t w;

	if (n >= 4)
		w = ck_le32(p) | ((uint64_t)ck_le32(p + n - 4) >> 8 * (8 - n))
					 << 32;
	else
		w = (unsigned char)p[0] |
		    (n > 1 ? (uint64_t)(unsigned char)p[1] << 8 : 0) |
		    (n > 2 ? (uint64_t)(unsigned char)p[2] << 16 : 0);
	return n == 8 ? w : w | (fill & ~(uint64_t)0 << 8 * n);
}

/*
 * Bit 4 of each lane of w that is not '0'..'9' (and maybe of the lane
 * after a byte of 0xfa or more, which is flagged itself).
 */
static inline uint64_t nondigit_lanes(uint64_t w)
{
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0ULL;
	uint64_t t = ((w & hi) ^ ONES * 0x30) |
		     (((w + ONES * 6) & hi) ^ ONES * 0x30);

	return ((t >> 4) + ONES * 0x0F) & ONES * 0x10;
}

/* Every byte of w is '0'..'9' (a byte of 0xfa or more carries into the
 * next one, but fails itself). */
static inline bool digits_word(uint64_t w)
{
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0ULL;

	return ((w & hi) | ((w + ONES * 6) & hi) >> 4) == ONES * 0x33;
}

static inline bool code_listed(const struct ck_elem *c, const uint64_t *codes,
			       struct strview v)
{
	uint64_t key;
	size_t h;

	if (v.len > 7)
		return false; /* no code is that long */
	key = pack_code(v.ptr, v.len);
	for (h = (size_t)(key * CK_GOLDEN >> c->shift);;
	     h = (h + 1) & c->mask) {
		if (codes[h] == key)
			return true;
		if (!codes[h])
			return false;
	}
}

static inline bool len_ok(const struct ck_elem *c, size_t n)
{
	return n >= c->min_len && n <= c->max_len;
}

/* The long way's numeric_ok() and x12_length(): an optional minus,
 * digits, for R at most one point; the length counts the digits. */
static inline bool number_ok(const struct ck_elem *c, struct strview v)
{
	const char *p = v.ptr;
	size_t n = v.len, digits = 0;
	bool point = false;

	if (*p == '-') {
		p++;
		n--;
	}
	if (n && n <= 8) {
		uint64_t w = exact_word(p, n, ONES * '0');
		uint64_t flags = nondigit_lanes(w);

		if (!flags)
			return len_ok(c, n);
		/* one lane that is not a digit, and it is the point */
		if (c->kind == CK_R && !(flags & (flags - 1)) &&
		    (w >> (__builtin_ctzll(flags) & ~7) & 0xff) == '.')
			return n > 1 && len_ok(c, n - 1);
	}
	for (size_t i = 0; i < n; i++) {
		if (p[i] >= '0' && p[i] <= '9')
			digits++;
		else if (p[i] == '.' && c->kind == CK_R && !point)
			point = true;
		else
			return false;
	}
	return digits && len_ok(c, digits);
}

static inline unsigned num2(const char *p)
{
	return (unsigned)(p[0] - '0') * 10 + (unsigned)(p[1] - '0');
}

/* x12_date_valid() and the long way's test of an 8/8 date. */
static inline bool date_ok(const struct ck_elem *c, struct strview v)
{
	static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30,
						31, 31, 30, 31, 30, 31};
	unsigned year, month, day;
	const char *p = v.ptr;

	if (v.len == 8) {
		if (!digits_word(le64(p)))
			return false;
		year = num2(p) * 100 + num2(p + 2);
		p += 4;
	} else if (v.len == 6) {
		if (!digits_word(word_of(p, 6, 0)))
			return false;
		year = 2000 + num2(p);
		p += 2;
	} else {
		return false;
	}
	if (c->min_len == 8 && c->max_len == 8 && v.len != 8)
		return false;
	month = num2(p);
	day = num2(p + 2);
	if (month < 1 || month > 12 || day < 1 || day > mdays[month - 1])
		return false;
	if (month == 2 && day == 29 &&
	    !((year % 4 == 0 && year % 100 != 0) || year % 400 == 0))
		return false;
	return len_ok(c, v.len);
}

/* x12_time_valid(): HHMM, HHMMSS, HHMMSSd, HHMMSSdd. */
static inline bool time_ok(const struct ck_elem *c, struct strview v)
{
	if (v.len != 4 && v.len != 6 && v.len != 7 && v.len != 8)
		return false;
	if (!digits_word(word_of(v.ptr, v.len, ONES * '0')))
		return false;
	if (num2(v.ptr) > 23 || num2(v.ptr + 2) > 59)
		return false;
	if (v.len > 4 && num2(v.ptr + 4) > 59)
		return false;
	return len_ok(c, v.len);
}

/* True when check_value() would say nothing about the simple value v of
 * element e (not text: map_check_segment() tests that first).  e is only
 * read for long codes: its address alone needs def loaded. */
static inline bool value_ok(const struct ck_elem *c,
			    const struct map_segdef *def, unsigned i,
			    const uint64_t *codes, struct strview v, bool clean)
{
	switch ((enum ck_kind)c->kind) {
	case CK_AN:
	case CK_ID:
		return len_ok(c, v.len) && (clean || text_ok(v.ptr, v.len));
	case CK_CODES:
		return len_ok(c, v.len) && code_listed(c, codes, v) &&
		       (clean || text_ok(v.ptr, v.len));
	case CK_CODES_CMP:
		return check_code_allowed(&def->elems[i], v) &&
		       text_ok(v.ptr, v.len) && len_ok(c, v.len);
	case CK_N:
	case CK_R:
		return number_ok(c, v);
	case CK_DT:
		return date_ok(c, v);
	case CK_TM:
		return time_ok(c, v);
	case CK_COMPOSITE:
		return false;
	}
	return false;
}

/*
 * A prepared definition (ck = def->check), a segment of fewer than 64
 * elements.  The loop only tests: positions with something to report (a
 * value the fast tests do not pass, a mandatory element missing) are
 * reported after it, in position order, as the long way would.
 */
static inline __attribute__((always_inline)) void map_check_table(
	const struct map_segdef *def, const struct map_check_def *ck,
	const struct x12_seg *seg, const struct x12_delims *d,
	struct map_check_memo *memo, struct edi_diag *diag)
{
	unsigned n = seg->nel < ck->nelems ? seg->nel : ck->nelems;
	uint64_t present = 0, slow = 0, todo, bit = 2;
	bool split = seg->has_repetition || seg->has_component;
	bool clean = false;
	const struct strview *el = seg->el;
	const struct ck_text *text;

	/* the segment's bytes in one go: the elements lie in order between
	 * the tag and the end of the last one (not so when cleaned) */
	if (seg->ctl_free) {
		/* the reader saw no control byte in the tag or the values
		 * (only ever set for uncleaned segments) */
		clean = true;
	} else if (!seg->cleaned && n) {
		const char *from = seg->el[0].ptr;
		const char *to = seg->el[n].ptr + seg->el[n].len;

		clean = to - from >= 8 && span_clean(from, (size_t)(to - from));
	}
	clean = clean && !split; /* separators: the long way for all */
	text = clean ? ck->text : ck_no_text;

	/* e, text and bit walk together: element i, its text test, bit i */
	for (const struct strview *e = el + 1, *end = el + n + 1; e != end;
	     e++, text++, bit <<= 1) {
		size_t len = e->len;
		unsigned i;

		if (!len)
			continue;
		present |= bit;
		/* text, the usual element, in one test */
		if (len - text->min <= text->range)
			continue;
		i = (unsigned)(e - el);
		if (!split && value_ok(&ck->elems[i - 1], def, i - 1,
				       ck->codes[i - 1], *e, clean))
			continue;
		slow |= bit;
	}
	/* (mandatory positions past the last element are missing too) */
	todo = slow | (ck->mandatory_bits & ~present);
	if (seg->nel > ck->nelems)
		present |= ck_check_extra(def, seg, diag);
	if (todo)
		ck_report(def, seg, d, present, todo, split, diag);
	/* the notes only when these positions did not pass just before */
	if (ck->has_syntax &&
	    !(memo && memo->def[ck->memo_slot] == def &&
	      memo->present[ck->memo_slot] == (present & ck->syntax_bits)))
		ck_check_notes(def, ck, seg, present, memo, diag);
}

/* map_check_segment_memo(), inline, with ck def->check. */
static inline __attribute__((always_inline)) void map_check_segment_fast(
	const struct map_segdef *def, const struct map_check_def *ck,
	const struct x12_seg *seg, const struct x12_delims *d,
	struct map_check_memo *memo, struct edi_diag *diag)
{
	/* a table is made only when has_bits */
	if (ck && seg->nel < 64)
		map_check_table(def, ck, seg, d, memo, diag);
	else
		check_segment_long(def, seg, d, diag);
}

#endif
