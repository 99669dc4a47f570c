/*
 * dec - exact decimals; see dec.h.
 *
 * Magnitudes are computed in unsigned __int128 and kept below
 * DEC_LIMIT = 10^36, so a sum of two aligned operands (< 3 * 10^36) and
 * every bound check fit without overflow.  Nothing here calls the
 * compiler's 128-bit overflow builtins, which clang would need
 * compiler-rt for.
 */
#include "dec.h"

#include <string.h>

#define P18 1000000000000000000ULL
/* 10^DEC_MAX_DIGITS: magnitudes stay strictly below it */
#define DEC_LIMIT ((unsigned __int128)P18 * P18)
/* longest input echoed in a message */
#define QUOTE_MAX 40

static unsigned __int128 pow10u(unsigned k)
{
	unsigned __int128 p = 1;

	if (k < 20) { /* the common case, in 64 bits */
		uint64_t q = 1;

		while (k--)
			q *= 10;
		return q;
	}
	while (k--)
		p *= 10;
	return p;
}

static unsigned __int128 mag(struct dec a)
{
	return a.mant < 0 ? (unsigned __int128)-a.mant
			  : (unsigned __int128)a.mant;
}

static struct dec make(bool neg, unsigned __int128 m, unsigned scale)
{
	struct dec d;

	d.mant = neg ? -(__int128)m : (__int128)m;
	d.scale = scale;
	return d;
}

/* The length of text to quote in a message, and the "..." after it. */
static int quote_len(struct strview t)
{
	return t.len > QUOTE_MAX ? QUOTE_MAX : (int)t.len;
}

static const char *quote_more(struct strview t)
{
	return t.len > QUOTE_MAX ? "..." : "";
}

static enum edi_code parse(struct strview t, bool point_ok, unsigned implied,
			   struct dec *out, struct edi_error *err)
{
	unsigned __int128 m = 0;
	size_t i = 0, ndig = 0, scale = 0, zeros = 0, keep;
	bool neg = false, point = false, any = false;

	if (t.len && (t.ptr[0] == '+' || t.ptr[0] == '-')) {
		neg = t.ptr[0] == '-';
		i++;
	}
	for (; i < t.len; i++) {
		char c = t.ptr[i];

		if (c == '.' && point_ok && !point) {
			point = true;
			continue;
		}
		if (c < '0' || c > '9')
			goto bad;
		any = true;
		if (!point) {
			if (m == 0 && c == '0')
				continue; /* a leading zero */
			if (ndig == DEC_MAX_DIGITS)
				goto too_long;
			m = m * 10 + (unsigned)(c - '0');
			ndig++;
			continue;
		}
		if (c == '0') {
			zeros++; /* applied when a non-zero digit follows */
			continue;
		}
		scale += zeros + 1;
		if (m)
			ndig += zeros + 1;
		else
			ndig = 1;
		if (scale + implied > DEC_MAX_SCALE)
			goto too_small;
		if (ndig > DEC_MAX_DIGITS)
			goto too_long;
		m = m * pow10u((unsigned)zeros + 1) + (unsigned)(c - '0');
		zeros = 0;
	}
	if (!any)
		goto bad;
	/* keep the trailing fractional zeros that fit: "12.50" has scale 2 */
	keep = zeros;
	if (keep > DEC_MAX_SCALE - implied - scale)
		keep = DEC_MAX_SCALE - implied - scale;
	if (m && keep > DEC_MAX_DIGITS - ndig)
		keep = DEC_MAX_DIGITS - ndig;
	m *= pow10u((unsigned)keep);
	*out = make(neg, m, (unsigned)(scale + keep + implied));
	return EDI_OK;
bad:
	if (point_ok)
		return edi_fail(err, EDI_EDATA, NULL,
				"'%.*s%s' is not a decimal number",
				quote_len(t), t.ptr, quote_more(t));
	return edi_fail(err, EDI_EDATA, NULL,
			"'%.*s%s' is not a number with %u implied decimals",
			quote_len(t), t.ptr, quote_more(t), implied);
too_long:
	return edi_fail(err, EDI_ELIMIT, NULL,
			"'%.*s%s' has more than %d significant digits",
			quote_len(t), t.ptr, quote_more(t), DEC_MAX_DIGITS);
too_small:
	return edi_fail(err, EDI_ELIMIT, NULL,
			"'%.*s%s' has more than %d decimal places",
			quote_len(t), t.ptr, quote_more(t), DEC_MAX_SCALE);
}

/*
 * parse() for text of at most 18 bytes, where the digits fit a uint64_t
 * and no limit but the scale can be reached: the same value from 64-bit
 * arithmetic, or false to leave anything else (errors too) to parse().
 */
static bool parse_short(struct strview t, bool point_ok, unsigned implied,
			struct dec *out)
{
	uint64_t m = 0;
	size_t i = 0, ndig = 0, scale = 0, zeros = 0, keep;
	bool neg = false, point = false, any = false;

	if (t.len > 18)
		return false;
	if (t.len && (t.ptr[0] == '+' || t.ptr[0] == '-')) {
		neg = t.ptr[0] == '-';
		i++;
	}
	for (; i < t.len; i++) {
		unsigned d = (unsigned)(unsigned char)t.ptr[i] - '0';

		if (d > 9) {
			if (t.ptr[i] != '.' || !point_ok || point)
				return false;
			point = true;
			continue;
		}
		any = true;
		if (!point) {
			if (m || d) {
				m = m * 10 + d;
				ndig++;
			}
			continue;
		}
		if (!d) {
			zeros++;
			continue;
		}
		scale += zeros + 1;
		ndig = m ? ndig + zeros + 1 : 1;
		if (scale + implied > DEC_MAX_SCALE)
			return false;
		for (size_t z = 0; z < zeros; z++)
			m *= 10;
		m = m * 10 + d;
		zeros = 0;
	}
	if (!any)
		return false;
	keep = zeros;
	if (keep > DEC_MAX_SCALE - implied - scale)
		keep = DEC_MAX_SCALE - implied - scale;
	if (m && keep > DEC_MAX_DIGITS - ndig)
		keep = DEC_MAX_DIGITS - ndig;
	*out = make(neg, (unsigned __int128)m * pow10u((unsigned)keep),
		    (unsigned)(scale + keep + implied));
	return true;
}

enum edi_code dec_parse(struct strview text, struct dec *out,
			struct edi_error *err)
{
	if (parse_short(text, true, 0, out))
		return EDI_OK;
	return parse(text, true, 0, out, err);
}

enum edi_code dec_parse_implied(struct strview text, unsigned places,
				struct dec *out, struct edi_error *err)
{
	if (places > DEC_MAX_SCALE)
		return edi_fail(err, EDI_ELIMIT, NULL,
				"%u implied decimals: more than %d", places,
				DEC_MAX_SCALE);
	if (parse_short(text, false, places, out))
		return EDI_OK;
	return parse(text, false, places, out, err);
}

struct dec dec_from_i64(int64_t n)
{
	struct dec d = {(__int128)n, 0};
	return d;
}

bool dec_is_zero(struct dec a)
{
	return a.mant == 0;
}

struct dec dec_abs(struct dec a)
{
	return make(false, mag(a), a.scale);
}

struct dec dec_neg(struct dec a)
{
	return make(a.mant > 0, mag(a), a.scale);
}

struct dec dec_normalize(struct dec a)
{
	unsigned __int128 m = mag(a);
	unsigned scale = a.scale;

	if (!m)
		return make(false, 0, 0);
	while (scale && m % 10 == 0) {
		m /= 10;
		scale--;
	}
	return make(a.mant < 0, m, scale);
}

/* Scale m up by k places; false when the result reaches bound. */
static bool scale_up(unsigned __int128 *m, unsigned k, unsigned __int128 bound)
{
	unsigned __int128 p = pow10u(k);

	/* below 10^18 times at most 10^18: under any bound (>= DEC_LIMIT)
	 * without the 128-bit division */
	if (*m < P18 && k <= 18) {
		*m *= p;
		return true;
	}
	if (*m > (bound - 1) / p)
		return false;
	*m *= p;
	return true;
}

static enum edi_code overflow(struct dec a, struct dec b, char op,
			      struct edi_error *err)
{
	char ta[DEC_TEXT_MAX], tb[DEC_TEXT_MAX];

	dec_format(a, ta);
	dec_format(b, tb);
	return edi_fail(err, EDI_ELIMIT, NULL,
			"decimal overflow: %s %c %s does not fit %d digits", ta,
			op, tb, DEC_MAX_DIGITS);
}

static enum edi_code add_signed(struct dec a, struct dec b, bool b_neg, char op,
				struct dec *out, struct edi_error *err)
{
	unsigned scale = a.scale > b.scale ? a.scale : b.scale;
	unsigned __int128 am = mag(a), bm = mag(b), r;
	bool a_neg = a.mant < 0, r_neg;

	/*
	 * Only the operand with the smaller scale grows; once it reaches
	 * 2 * DEC_LIMIT the other (< DEC_LIMIT) cannot bring the result
	 * back below DEC_LIMIT.
	 */
	if (!scale_up(&am, scale - a.scale, 2 * DEC_LIMIT) ||
	    !scale_up(&bm, scale - b.scale, 2 * DEC_LIMIT))
		return overflow(a, b, op, err);
	if (a_neg == b_neg) {
		r = am + bm;
		r_neg = a_neg;
	} else if (am >= bm) {
		r = am - bm;
		r_neg = a_neg;
	} else {
		r = bm - am;
		r_neg = b_neg;
	}
	if (r >= DEC_LIMIT)
		return overflow(a, b, op, err);
	*out = make(r_neg && r, r, scale);
	return EDI_OK;
}

enum edi_code dec_add(struct dec a, struct dec b, struct dec *out,
		      struct edi_error *err)
{
	return add_signed(a, b, b.mant < 0, '+', out, err);
}

enum edi_code dec_sub(struct dec a, struct dec b, struct dec *out,
		      struct edi_error *err)
{
	return add_signed(a, b, b.mant > 0, '-', out, err);
}

static bool mul_fits(unsigned __int128 a, unsigned __int128 b)
{
	if (a < P18 && b < P18)
		return true; /* the product is below 10^36 */
	return a == 0 || b <= (DEC_LIMIT - 1) / a;
}

enum edi_code dec_mul(struct dec a, struct dec b, struct dec *out,
		      struct edi_error *err)
{
	unsigned want = a.scale + b.scale;
	struct dec na = a, nb = b;
	unsigned __int128 r;
	bool neg = (a.mant < 0) != (b.mant < 0);

	if (a.mant == 0 || b.mant == 0) {
		*out = make(false, 0,
			    want > DEC_MAX_SCALE ? DEC_MAX_SCALE : want);
		return EDI_OK;
	}
	if (!mul_fits(mag(a), mag(b)) || want > DEC_MAX_SCALE) {
		na = dec_normalize(a);
		nb = dec_normalize(b);
	}
	if (!mul_fits(mag(na), mag(nb)))
		return overflow(a, b, '*', err);
	if (na.scale + nb.scale > DEC_MAX_SCALE) {
		char ta[DEC_TEXT_MAX], tb[DEC_TEXT_MAX];

		dec_format(a, ta);
		dec_format(b, tb);
		return edi_fail(err, EDI_ELIMIT, NULL,
				"decimal overflow: %s * %s has more than %d "
				"decimal places",
				ta, tb, DEC_MAX_SCALE);
	}
	r = mag(na) * mag(nb);
	/* give back the trailing zeros the normalisation took, if they fit */
	for (unsigned s = na.scale + nb.scale; s < want; s++) {
		if (s == DEC_MAX_SCALE || r > (DEC_LIMIT - 1) / 10) {
			want = s;
			break;
		}
		r *= 10;
	}
	*out = make(neg, r, want);
	return EDI_OK;
}

struct dec dec_round(struct dec a, unsigned places)
{
	unsigned __int128 m = mag(a), p, q;

	if (a.scale <= places)
		return a;
	p = pow10u(a.scale - places);
	q = m / p;
	if ((m % p) * 2 >= p)
		q++; /* q < DEC_LIMIT / 10 here: cannot overflow */
	return make(a.mant < 0 && q, q, places);
}

static int cmp_mag(unsigned __int128 am, unsigned as, unsigned __int128 bm,
		   unsigned bs)
{
	/* a magnitude that cannot be aligned is past DEC_LIMIT: the larger */
	if (as < bs && !scale_up(&am, bs - as, DEC_LIMIT))
		return 1;
	if (bs < as && !scale_up(&bm, as - bs, DEC_LIMIT))
		return -1;
	return am < bm ? -1 : am > bm;
}

int dec_cmp(struct dec a, struct dec b)
{
	int sa = (a.mant > 0) - (a.mant < 0);
	int sb = (b.mant > 0) - (b.mant < 0);
	int c;

	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (sa == 0)
		return 0;
	c = cmp_mag(mag(a), a.scale, mag(b), b.scale);
	return sa > 0 ? c : -c;
}

/* The decimal digits of m, most significant first; "0" for 0. */
static size_t digits(unsigned __int128 m, char *d)
{
	char tmp[48];
	size_t n = 0;
	uint64_t low;

	while (m > UINT64_MAX) {
		tmp[n++] = (char)('0' + (unsigned)(m % 10));
		m /= 10;
	}
	low = (uint64_t)m;
	do {
		tmp[n++] = (char)('0' + (unsigned)(low % 10));
		low /= 10;
	} while (low);
	for (size_t i = 0; i < n; i++)
		d[i] = tmp[n - 1 - i];
	return n;
}

/*
 * Write a (a.scale <= places) with places fractional digits; with point
 * false the point is left out and leading zeros are stripped.
 */
static size_t render(struct dec a, unsigned places, bool point, char *dst)
{
	char d[48];
	size_t nd = digits(mag(a), d), n = 0, nint, start;

	if (a.mant < 0)
		dst[n++] = '-';
	start = n;
	nint = nd > a.scale ? nd - a.scale : 0;
	if (nint) {
		memcpy(dst + n, d, nint);
		n += nint;
	} else {
		dst[n++] = '0';
	}
	if (places) {
		if (point)
			dst[n++] = '.';
		for (size_t z = nd; z < a.scale; z++)
			dst[n++] = '0';
		memcpy(dst + n, d + nint, nd - nint);
		n += nd - nint;
		for (unsigned z = a.scale; z < places; z++)
			dst[n++] = '0';
	}
	if (!point) {
		size_t lead = start;

		while (lead < n - 1 && dst[lead] == '0')
			lead++;
		memmove(dst + start, dst + lead, n - lead);
		n -= lead - start;
	}
	dst[n] = '\0';
	return n;
}

size_t dec_format(struct dec a, char *dst)
{
	a = dec_normalize(a);
	return render(a, a.scale, true, dst);
}

static enum edi_code format_places(struct dec a, unsigned places, bool point,
				   char *dst, size_t *len,
				   struct edi_error *err)
{
	size_t n;

	if (places > DEC_MAX_SCALE)
		return edi_fail(err, EDI_ELIMIT, NULL,
				"%u decimal places: more than %d", places,
				DEC_MAX_SCALE);
	if (a.scale > places)
		a = dec_normalize(a);
	if (a.scale > places) {
		char t[DEC_TEXT_MAX];

		dec_format(a, t);
		return edi_fail(err, EDI_EDATA, NULL,
				"'%s' has more than %u decimal places", t,
				places);
	}
	n = render(a, places, point, dst);
	if (len)
		*len = n;
	return EDI_OK;
}

enum edi_code dec_format_fixed(struct dec a, unsigned places, char *dst,
			       size_t *len, struct edi_error *err)
{
	return format_places(a, places, true, dst, len, err);
}

enum edi_code dec_format_implied(struct dec a, unsigned places, char *dst,
				 size_t *len, struct edi_error *err)
{
	return format_places(a, places, false, dst, len, err);
}
