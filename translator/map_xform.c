/*
 * map_xform - value transforms and check digits; see map_xform.h.  The
 * numeric transforms (decimal, implied, integer) are map_xform_num.c.
 */
#include "map_xform.h"

#include <string.h>

#include "map_gs1.h"

/* longest input echoed in a message */
#define QUOTE_MAX 40
#define QUOTE(v)                                                 \
	(v).len > QUOTE_MAX ? QUOTE_MAX : (int)(v).len, (v).ptr, \
		(v).len > QUOTE_MAX ? "..." : ""

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Blanks only: what fixed-width files pad with. */
static inline struct strview unpad(struct strview v)
{
	while (v.len && (v.ptr[0] == ' ' || v.ptr[0] == '\t')) {
		v.ptr++;
		v.len--;
	}
	while (v.len && (v.ptr[v.len - 1] == ' ' || v.ptr[v.len - 1] == '\t'))
		v.len--;
	return v;
}

/* The value of n digits at p (the caller checked they are digits). */
static unsigned num(const char *p, size_t n)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++)
		v = v * 10 + (unsigned)(p[i] - '0');
	return v;
}

static bool all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(p[i]))
			return false;
	return true;
}

/* YY to a year: a fixed window, 00-49 -> 20xx, 50-99 -> 19xx. */
static unsigned century(unsigned yy)
{
	return yy < 50 ? 2000 + yy : 1900 + yy;
}

static inline bool day_exists(unsigned year, unsigned month, unsigned day)
{
	static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30,
						31, 31, 30, 31, 30, 31};
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

	if (month < 1 || month > 12 || day < 1 || day > mdays[month - 1])
		return false;
	return !(month == 2 && day == 29 && !leap);
}

static void put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

static struct strview iso_date(struct arena *a, unsigned y, unsigned m,
			       unsigned d)
{
	char *p = arena_alloc(a, 10);

	put2(p, y / 100);
	put2(p + 2, y % 100);
	p[4] = '-';
	put2(p + 5, m);
	p[7] = '-';
	put2(p + 8, d);
	return sv_make(p, 10);
}

/* Two digits at p into *v; false when they are not digits. */
static inline bool two_digits(const char *p, unsigned *v)
{
	unsigned hi = (unsigned)(unsigned char)p[0] - '0',
		 lo = (unsigned)(unsigned char)p[1] - '0';

	*v = hi * 10 + lo;
	return hi <= 9 && lo <= 9;
}

/*
 * CCYYMMDD or YYMMDD without blanks and with a day that exists, read two
 * digits at a time: the common case.  False for anything else, which the
 * long way then words the error for.
 */
static inline bool plain_date(struct strview v, unsigned *y, unsigned *m,
			      unsigned *d)
{
	unsigned cc = 0, yy;
	bool ok;

	if (v.len != 8 && v.len != 6)
		return false;
	ok = two_digits(v.ptr, v.len == 8 ? &cc : &yy);
	if (v.len == 8)
		ok &= two_digits(v.ptr + 2, &yy);
	ok &= two_digits(v.ptr + v.len - 4, m);
	ok &= two_digits(v.ptr + v.len - 2, d);
	*y = v.len == 8 ? cc * 100 + yy : century(yy);
	return ok && day_exists(*y, *m, *d);
}

/*
 * The first 8 bytes of the ISO date of CCYYMMDD at s ("CCYY-MM-"; the
 * day follows as s[6], s[7]), when all 8 bytes are digits and the day
 * exists: one load and a digit test of the word.  false: anything else,
 * for the general way.
 */
static inline bool ccyymmdd(const char *s, uint64_t *iso)
{
	static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30,
						31, 31, 30, 31, 30, 31};
	uint64_t w = gs1_le64(s), dig = w - GS1_ONES * '0';
	unsigned m, d, y;

	if (!gs1_digits_word(w))
		return false;
	m = (unsigned)(dig >> 32 & 0xff) * 10 + (unsigned)(dig >> 40 & 0xff);
	d = (unsigned)(dig >> 48 & 0xff) * 10 + (unsigned)(dig >> 56);
	if (m - 1 > 11 || d - 1 >= mdays[m - 1])
		return false;
	if (m == 2 && d == 29) {
		y = (unsigned)(dig & 0xff) * 1000 +
		    (unsigned)(dig >> 8 & 0xff) * 100 +
		    (unsigned)(dig >> 16 & 0xff) * 10 +
		    (unsigned)(dig >> 24 & 0xff);
		if (!day_exists(y, m, d))
			return false;
	}
	*iso = (w & 0xffffffffULL) | (uint64_t)'-' << 32 |
	       (w >> 32 & 0xffff) << 40 | (uint64_t)'-' << 56;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	*iso = __builtin_bswap64(*iso);
#endif
	return true;
}

static enum edi_code date_general(struct arena *a, struct strview in,
				  struct strview *out, struct edi_error *err);

enum edi_code map_xform_date(struct arena *a, struct strview in,
			     struct strview *out, struct edi_error *err)
{
	uint64_t iso;

	if (in.len == 8 && ccyymmdd(in.ptr, &iso)) {
		char *p = arena_alloc(a, 10);

		memcpy(p, &iso, 8);
		memcpy(p + 8, in.ptr + 6, 2);
		*out = sv_make(p, 10);
		return EDI_OK;
	}
	return date_general(a, in, out, err);
}

/* map_xform_date() for every input: blanks, YYMMDD, the errors. */
static __attribute__((noinline)) enum edi_code date_general(
	struct arena *a, struct strview in, struct strview *out,
	struct edi_error *err)
{
	struct strview v = in;
	unsigned y, m, d;
	char *p;

	if (!plain_date(in, &y, &m, &d)) {
		v = unpad(in);
		if ((v.len != 8 && v.len != 6) || !all_digits(v.ptr, v.len))
			return edi_fail(
				err, EDI_EDATA, NULL,
				"'%.*s%s' is not a date CCYYMMDD or YYMMDD",
				QUOTE(in));
		if (v.len == 8) {
			y = num(v.ptr, 4);
			m = num(v.ptr + 4, 2);
			d = num(v.ptr + 6, 2);
		} else {
			y = century(num(v.ptr, 2));
			m = num(v.ptr + 2, 2);
			d = num(v.ptr + 4, 2);
		}
		if (!day_exists(y, m, d))
			return edi_fail(err, EDI_EDATA, NULL,
					"'%.*s' is not a date %s", (int)v.len,
					v.ptr,
					v.len == 8 ? "CCYYMMDD" : "YYMMDD");
	}
	/* iso_date(a, y, m, d), from the digits as they are */
	p = arena_alloc(a, 10);
	if (v.len == 8) {
		memcpy(p, v.ptr, 4);
		v.ptr += 4;
	} else {
		memcpy(p, y < 2000 ? "19" : "20", 2);
		memcpy(p + 2, v.ptr, 2);
		v.ptr += 2;
	}
	p[4] = '-';
	memcpy(p + 5, v.ptr, 2);
	p[7] = '-';
	memcpy(p + 8, v.ptr + 2, 2);
	*out = sv_make(p, 10);
	return EDI_OK;
}

enum date_token {
	TOK_LITERAL,
	TOK_YEAR4, /* YYYY, CCYY */
	TOK_YEAR2, /* YY */
	TOK_MONTH2,
	TOK_MONTH, /* M: one or two digits */
	TOK_DAY2,
	TOK_DAY,
	TOK_BAD /* a lone Y or C */
};

/* The token at p and its length in the pattern. */
static enum date_token next_token(const char *p, size_t *len)
{
	*len = 4;
	if (!strncmp(p, "YYYY", 4) || !strncmp(p, "CCYY", 4))
		return TOK_YEAR4;
	*len = 2;
	if (!strncmp(p, "YY", 2))
		return TOK_YEAR2;
	if (!strncmp(p, "MM", 2))
		return TOK_MONTH2;
	if (!strncmp(p, "DD", 2))
		return TOK_DAY2;
	*len = 1;
	switch (*p) {
	case 'M':
		return TOK_MONTH;
	case 'D':
		return TOK_DAY;
	case 'Y':
	case 'C':
		return TOK_BAD;
	default:
		return TOK_LITERAL;
	}
}

enum edi_code map_xform_pattern_check(const char *pattern,
				      struct edi_error *err)
{
	unsigned years = 0, months = 0, days = 0;
	size_t len;

	for (const char *p = pattern; *p; p += len) {
		switch (next_token(p, &len)) {
		case TOK_LITERAL:
			break;
		case TOK_YEAR4:
		case TOK_YEAR2:
			years++;
			break;
		case TOK_MONTH2:
		case TOK_MONTH:
			months++;
			break;
		case TOK_DAY2:
		case TOK_DAY:
			days++;
			break;
		case TOK_BAD:
			return edi_fail(err, EDI_ECONFIG, NULL,
					"date pattern '%s': '%c' is not a "
					"token, use YYYY, CCYY or YY",
					pattern, *p);
		}
	}
	if (years != 1 || months != 1 || days != 1)
		return edi_fail(
			err, EDI_ECONFIG, NULL,
			"date pattern '%s' needs one year (YYYY or YY), "
			"one month (MM or M) and one day (DD or D)",
			pattern);
	return EDI_OK;
}

/*
 * Read exactly n digits (min == max) or min..max digits, greedily, at
 * v[*pos]; false when they are not there.
 */
static bool take(struct strview v, size_t *pos, size_t min, size_t max,
		 unsigned *value)
{
	size_t n = 0;

	while (n < max && *pos + n < v.len && is_digit(v.ptr[*pos + n]))
		n++;
	if (n < min)
		return false;
	*value = num(v.ptr + *pos, n);
	*pos += n;
	return true;
}

enum edi_code map_xform_date_pattern(struct arena *a, struct strview in,
				     const char *pattern, struct strview *out,
				     struct edi_error *err)
{
	struct strview v = unpad(in);
	unsigned y = 0, m = 0, d = 0;
	size_t pos = 0, len;
	bool ok = true;
	enum edi_code rc = map_xform_pattern_check(pattern, err);

	if (rc)
		return rc;
	for (const char *p = pattern; *p && ok; p += len) {
		switch (next_token(p, &len)) {
		case TOK_LITERAL:
			ok = pos < v.len && v.ptr[pos] == *p;
			pos++;
			break;
		case TOK_YEAR4:
			ok = take(v, &pos, 4, 4, &y);
			break;
		case TOK_YEAR2:
			ok = take(v, &pos, 2, 2, &y);
			y = century(y);
			break;
		case TOK_MONTH2:
			ok = take(v, &pos, 2, 2, &m);
			break;
		case TOK_MONTH:
			ok = take(v, &pos, 1, 2, &m);
			break;
		case TOK_DAY2:
			ok = take(v, &pos, 2, 2, &d);
			break;
		case TOK_DAY:
			ok = take(v, &pos, 1, 2, &d);
			break;
		case TOK_BAD:
			ok = false; /* the check above refused it */
			break;
		}
	}
	if (!ok || pos != v.len || !day_exists(y, m, d))
		return edi_fail(err, EDI_EDATA, NULL,
				"'%.*s%s' is not a date %s", QUOTE(in),
				pattern);
	*out = iso_date(a, y, m, d);
	return EDI_OK;
}

enum edi_code map_xform_time(struct arena *a, struct strview in,
			     struct strview *out, struct edi_error *err)
{
	struct strview v = unpad(in);
	unsigned h, m, s = 0;
	bool secs = v.len >= 6;
	char *p;

	if (v.len != 4 && v.len != 6 && v.len != 7 && v.len != 8)
		goto bad;
	if (!all_digits(v.ptr, v.len))
		goto bad;
	h = num(v.ptr, 2);
	m = num(v.ptr + 2, 2);
	if (secs)
		s = num(v.ptr + 4, 2);
	if (h > 23 || m > 59 || s > 59)
		goto bad;
	p = arena_alloc(a, secs ? 8 : 5);
	put2(p, h);
	p[2] = ':';
	put2(p + 3, m);
	if (secs) {
		p[5] = ':';
		put2(p + 6, s);
	}
	*out = sv_make(p, secs ? 8 : 5);
	return EDI_OK;
bad:
	return edi_fail(err, EDI_EDATA, NULL,
			"'%.*s%s' is not a time HHMM, HHMMSS or HHMMSSd..",
			QUOTE(in));
}

struct strview map_xform_trim(struct strview in)
{
	while (in.len && is_space(in.ptr[0])) {
		in.ptr++;
		in.len--;
	}
	while (in.len && is_space(in.ptr[in.len - 1]))
		in.len--;
	return in;
}

struct strview map_xform_upper(struct arena *a, struct strview in)
{
	size_t i = 0;
	char *p;

	while (i < in.len && !(in.ptr[i] >= 'a' && in.ptr[i] <= 'z'))
		i++;
	if (i == in.len)
		return in; /* nothing to change */
	p = arena_alloc(a, in.len);
	memcpy(p, in.ptr, in.len);
	for (; i < in.len; i++)
		if (p[i] >= 'a' && p[i] <= 'z')
			p[i] = (char)(p[i] - 'a' + 'A');
	return sv_make(p, in.len);
}

int gs1_check_digit(struct strview body)
{
	unsigned sum = 0;

	if (body.len == 0 || body.len > 17 || !sv_is_digits(body))
		return -1;
	/* weights 3, 1, 3, ... from the rightmost digit of the body */
	for (size_t i = 0; i < body.len; i++) {
		unsigned d = (unsigned)(body.ptr[body.len - 1 - i] - '0');
		sum += i % 2 == 0 ? 3 * d : d;
	}
	return (int)((10 - sum % 10) % 10);
}

/* v (2 to 18 bytes) is all digits and its last is the GS1 check digit
 * of the others: gs1_check_digit() and a digit test in one pass, two
 * digits (weights 3 and 1 from the right) a turn.  A byte that is not a
 * digit is flagged, not stopped at: the answer is false all the same. */
static bool digits_with_check_digit(struct strview v)
{
	const unsigned char *p = (const unsigned char *)v.ptr;
	size_t i = v.len - 1; /* digits before the check digit */
	unsigned last = (unsigned)p[i] - '0', sum = 0;
	bool bad = last > 9;

	for (; i >= 2; i -= 2) {
		unsigned odd = (unsigned)p[i - 1] - '0',
			 even = (unsigned)p[i - 2] - '0';

		bad |= (odd > 9) | (even > 9);
		sum += 3 * odd + even;
	}
	if (i) {
		unsigned odd = (unsigned)p[0] - '0';

		bad |= odd > 9;
		sum += 3 * odd;
	}
	return !bad && last == (10 - sum % 10) % 10;
}

bool gtin_valid(struct strview v)
{
	if (v.len != 8 && v.len != 12 && v.len != 13 && v.len != 14)
		return false;
	return digits_with_check_digit(v);
}

bool sscc_valid(struct strview v)
{
	if (v.len == 20 && v.ptr[0] == '0' && v.ptr[1] == '0')
		v = sv_make(v.ptr + 2, 18);
	return v.len == 18 && digits_with_check_digit(v);
}
