/*
 * map_xform_num - the numeric transforms of map_xform.h: decimal,
 * implied and integer.
 *
 * Most values are canonical already and are kept as views into their
 * input; what needs new text gets it in the arena.  Anything that is not
 * plainly a number goes through dec_parse(), which words the error.
 */
#include <string.h>

#include "dec.h"
#include "map_xform.h"

/* longest input echoed in a message */
#define QUOTE_MAX 40
#define QUOTE(v)                                                 \
	(v).len > QUOTE_MAX ? QUOTE_MAX : (int)(v).len, (v).ptr, \
		(v).len > QUOTE_MAX ? "..." : ""

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

/* Text into the arena, or the input itself when it is already that. */
static struct strview keep_or_copy(struct arena *a, struct strview in,
				   const char *text, size_t len)
{
	char *p;

	if (in.len == len && !memcmp(in.ptr, text, len))
		return in;
	p = arena_alloc(a, len ? len : 1);
	memcpy(p, text, len);
	return sv_make(p, len);
}

/*
 * What dec_format(dec_parse(v)) writes, worked out on the text: the sign
 * of a value that is not zero, the integer digits without leading zeros
 * ("0" when none are left), and the fraction without trailing zeros and
 * without the point when none are left.  Most of the time that is a part
 * of v itself ("12.50" -> "12.5", "+3" -> "3"), which is kept as a view;
 * otherwise ("-012", ".5") it is made in the arena.  False, for the long
 * way, on what dec_parse() might refuse: no digit, any other byte, or
 * more bytes than could fit its limits.
 */
static bool decimal_text(struct arena *a, struct strview v, struct strview *out)
{
	const char *p = v.ptr, *end = v.ptr + v.len, *sign = NULL;
	const char *digits, *int_from, *int_to, *frac_from, *frac_to, *b, *e;
	size_t n = 0;
	char *t;

	if (!v.len || v.len > DEC_MAX_DIGITS)
		return false;
	if (*p == '-' || *p == '+')
		sign = p++;
	digits = int_from = p;
	while (p < end && is_digit(*p))
		p++;
	int_to = frac_from = frac_to = p;
	if (p < end && *p == '.') {
		frac_from = ++p;
		while (p < end && is_digit(*p))
			p++;
		frac_to = p;
	}
	if (p != end || (int_from == int_to && frac_from == frac_to))
		return false;
	while (int_from < int_to && *int_from == '0')
		int_from++;
	while (frac_to > frac_from && frac_to[-1] == '0')
		frac_to--;
	if (int_from == int_to && frac_from == frac_to) {
		*out = SV_LIT("0"); /* "-0" too */
		return true;
	}
	/* [b, e): the text after the sign, but for a "0" of "0.5" that v
	 * may not hold */
	b = int_from;
	e = frac_from < frac_to ? frac_to : int_to;
	if (b == int_to && b > digits)
		b--; /* a leading zero that was stripped: "0.5" of "00.5" */
	if (b < int_to) {
		if (!sign || *sign == '+') {
			*out = sv_make(b, (size_t)(e - b));
			return true;
		}
		if (b - 1 == sign) {
			*out = sv_make(sign, (size_t)(e - sign));
			return true;
		}
	}
	t = arena_alloc(a, (size_t)(e - b) + 2);
	if (sign && *sign == '-')
		t[n++] = '-';
	if (b == int_to)
		t[n++] = '0'; /* ".5" */
	memcpy(t + n, b, (size_t)(e - b));
	*out = sv_make(t, n + (size_t)(e - b));
	return true;
}

enum edi_code map_xform_decimal(struct arena *a, struct strview in,
				struct strview *out, struct edi_error *err)
{
	struct strview v;
	struct dec d;
	char text[DEC_TEXT_MAX];
	size_t len;
	enum edi_code rc;

	if (map_xform_decimal_kept(in)) { /* most amounts */
		*out = in;
		return EDI_OK;
	}
	v = unpad(in);
	if (decimal_text(a, v, out))
		return EDI_OK;
	rc = dec_parse(v, &d, err);
	if (rc)
		return rc;
	len = dec_format(d, text);
	*out = keep_or_copy(a, v, text, len);
	return EDI_OK;
}

/*
 * What dec_format(dec_parse_implied(v, places)) writes, worked out on the
 * text into text (DEC_TEXT_MAX bytes): for a sign and 1 to 18 digits with
 * at most 18 places, which dec always takes; its length, or 0 for the
 * long way.  The digits without leading zeros, the last `places` of them
 * (zeros in front when short) the fraction without trailing zeros.
 */
static size_t implied_text(struct strview v, unsigned places, char *text)
{
	const char *p = v.ptr, *end = v.ptr + v.len, *from;
	size_t n, nint, len = 0;
	bool neg = false;

	if (!v.len || places > 18)
		return 0;
	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	if (end - p < 1 || end - p > 18)
		return 0;
	for (const char *q = p; q < end; q++)
		if (!is_digit(*q))
			return 0;
	while (p < end && *p == '0')
		p++;
	if (p == end) {
		text[0] = '0'; /* never "-0" */
		return 1;
	}
	if (neg)
		text[len++] = '-';
	n = (size_t)(end - p);
	nint = n > places ? n - places : 0;
	if (nint) {
		memcpy(text + len, p, nint);
		len += nint;
	} else {
		text[len++] = '0';
	}
	from = p + nint; /* the fraction's digits in v, after its zeros */
	while (end > from && end[-1] == '0')
		end--;
	if (end > from) {
		text[len++] = '.';
		for (size_t z = n; z < places; z++)
			text[len++] = '0';
		memcpy(text + len, from, (size_t)(end - from));
		len += (size_t)(end - from);
	}
	return len;
}

enum edi_code map_xform_implied(struct arena *a, struct strview in,
				unsigned places, struct strview *out,
				struct edi_error *err)
{
	struct strview v = unpad(in);
	struct dec d;
	char text[DEC_TEXT_MAX];
	size_t len = implied_text(v, places, text);
	enum edi_code rc;

	if (len) {
		*out = keep_or_copy(a, v, text, len);
		return EDI_OK;
	}
	rc = dec_parse_implied(v, places, &d, err);
	if (rc)
		return rc;
	len = dec_format(d, text);
	*out = keep_or_copy(a, v, text, len);
	return EDI_OK;
}

enum edi_code map_xform_integer(struct arena *a, struct strview in,
				struct strview *out, struct edi_error *err)
{
	struct strview v = unpad(in), digits;
	bool neg = false;
	char *p;

	if (v.len && (v.ptr[0] == '+' || v.ptr[0] == '-')) {
		neg = v.ptr[0] == '-';
		digits = sv_make(v.ptr + 1, v.len - 1);
	} else {
		digits = v;
	}
	if (!sv_is_digits(digits))
		return edi_fail(err, EDI_EDATA, NULL,
				"'%.*s%s' is not an integer", QUOTE(in));
	while (digits.len > 1 && digits.ptr[0] == '0') {
		digits.ptr++;
		digits.len--;
	}
	if (digits.len > XFORM_INTEGER_MAX_DIGITS)
		return edi_fail(err, EDI_ELIMIT, NULL,
				"'%.*s%s' has more than %d digits", QUOTE(in),
				XFORM_INTEGER_MAX_DIGITS);
	if (!neg || (digits.len == 1 && digits.ptr[0] == '0')) {
		*out = digits; /* a view into the input */
		return EDI_OK;
	}
	if (digits.ptr == v.ptr + 1) {
		*out = v; /* "-12" as it was */
		return EDI_OK;
	}
	p = arena_alloc(a, digits.len + 1);
	p[0] = '-';
	memcpy(p + 1, digits.ptr, digits.len);
	*out = sv_make(p, digits.len + 1);
	return EDI_OK;
}
