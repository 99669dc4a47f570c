/*
 * dec - exact decimal numbers for money and quantities, without floats.
 *
 * A struct dec is a signed mantissa and a scale (the number of fractional
 * digits): mant 1250, scale 2 is 12.50.  It holds up to DEC_MAX_DIGITS
 * significant digits and up to DEC_MAX_SCALE fractional digits; every
 * operation is exact, and a result that does not fit is an error
 * (EDI_ELIMIT), never undefined behaviour or silent rounding.  Text that
 * is not a number is EDI_EDATA.  Values are plain structs passed by value;
 * nothing is allocated.  There is no negative zero: "-0" is 0.
 *
 * Parsing follows the X12 R (decimal) and N (implied decimal) types:
 * an optional sign, digits, and for R an optional decimal point ("-12.50",
 * ".5", "5.", "+3", "0012").  No spaces, no exponents, no thousands
 * separators.  The scale written is kept ("12.50" has scale 2); trailing
 * fractional zeros past DEC_MAX_SCALE are dropped, which is exact.
 */
#ifndef EDI_DEC_H
#define EDI_DEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edi_error.h"
#include "strview.h"

#define DEC_MAX_DIGITS 36 /* significant digits of the mantissa */
#define DEC_MAX_SCALE  36 /* fractional digits */
/*
 * Room for any text dec_format*() writes: a sign, 36 integer digits, the
 * point, 36 fractional digits and the NUL.
 */
#define DEC_TEXT_MAX 80

struct dec {
	__int128 mant; /* |mant| < 10^DEC_MAX_DIGITS */
	unsigned scale;
};

/* Parse X12 R text: "-12.50", ".5", "5.", "+3", "0012". */
enum edi_code dec_parse(struct strview text, struct dec *out,
			struct edi_error *err);
/*
 * Parse X12 N text with places implied decimals: "12600" with 2 is
 * 126.00.  A decimal point is an error (the type has none).
 */
enum edi_code dec_parse_implied(struct strview text, unsigned places,
				struct dec *out, struct edi_error *err);
struct dec dec_from_i64(int64_t n);

/* Exact arithmetic; the scale of a sum is the larger of the two. */
enum edi_code dec_add(struct dec a, struct dec b, struct dec *out,
		      struct edi_error *err);
enum edi_code dec_sub(struct dec a, struct dec b, struct dec *out,
		      struct edi_error *err);
/*
 * The scale of a product is the sum of the scales; when that does not fit,
 * trailing fractional zeros are dropped first (the value stays exact).
 */
enum edi_code dec_mul(struct dec a, struct dec b, struct dec *out,
		      struct edi_error *err);
/*
 * Round to places fractional digits, half away from zero (commercial
 * rounding: 2.345 -> 2.35, -2.345 -> -2.35).  A value with at most places
 * fractional digits comes back unchanged.  Cannot fail.
 */
struct dec dec_round(struct dec a, unsigned places);

/* -1, 0 or 1 as a < b, a == b, a > b, by value: 1.50 equals 1.5. */
int dec_cmp(struct dec a, struct dec b);
struct dec dec_abs(struct dec a);
struct dec dec_neg(struct dec a);
bool dec_is_zero(struct dec a);
/* The same value with trailing fractional zeros removed. */
struct dec dec_normalize(struct dec a);

/*
 * Canonical text into dst (DEC_TEXT_MAX bytes, NUL-terminated): no
 * leading zeros, no trailing fractional zeros, no trailing point, never
 * exponent notation; "0012.50" -> "12.5", ".5" -> "0.5", "-0" -> "0".
 * Returns the length.
 */
size_t dec_format(struct dec a, char *dst);
/*
 * Text with exactly places fractional digits ("126.00"; no point when
 * places is 0), for fixed-format output.  A value with more significant
 * fractional digits is an error (EDI_EDATA): round it first.  dst has
 * DEC_TEXT_MAX bytes; *len (may be NULL) gets the length.
 */
enum edi_code dec_format_fixed(struct dec a, unsigned places, char *dst,
			       size_t *len, struct edi_error *err);
/* The same without the point, for X12 N types: 126 with 2 -> "12600". */
enum edi_code dec_format_implied(struct dec a, unsigned places, char *dst,
				 size_t *len, struct edi_error *err);

#endif
