/*
 * map_xform - the value transforms of the map language and GS1 check
 * digits.
 *
 * Each transform of docs/map-language.md ("date", "date(PATTERN)",
 * "time", "decimal", "implied(N)", "integer", "trim", "upper") is one
 * function from a view to a view.  The result *out points either into the
 * input (when the text needs no change: "3.5" stays where it is) or into
 * the arena a (new text, not NUL-terminated); it is valid while both the
 * input bytes and the arena live, which for map_exec is the document.
 * On error *out is left alone.
 *
 * Bad input is EDI_EDATA with a message that quotes it and names the
 * expected form ("'20261332' is not a date CCYYMMDD"); a value past a
 * limit (more digits than dec or XFORM_INTEGER_MAX_DIGITS allow) is
 * EDI_ELIMIT.  The caller adds the location.  date, time, decimal,
 * implied and integer ignore leading and trailing blanks (fixed-width
 * flat files pad with spaces; X12 numerics cannot contain them).
 *
 * The check digit functions are pure and allocate nothing.
 */
#ifndef EDI_MAP_XFORM_H
#define EDI_MAP_XFORM_H

#include <stdbool.h>

#include "arena.h"
#include "dec.h"
#include "edi_error.h"
#include "strview.h"

/* "integer" accepts at most this many digits (fits int64, and a double) */
#define XFORM_INTEGER_MAX_DIGITS 15

/*
 * CCYYMMDD or YYMMDD to YYYY-MM-DD; the date must exist.  YYMMDD uses a
 * fixed window, so a file translates the same in any year: 00-49 is
 * 2000-2049, 50-99 is 1950-1999.
 */
enum edi_code map_xform_date(struct arena *a, struct strview in,
			     struct strview *out, struct edi_error *err);
/*
 * A date written as pattern to YYYY-MM-DD.  Pattern tokens: YYYY (or
 * CCYY) four-digit year, YY two-digit year (window as above), MM and DD
 * two digits, M and D one or two digits; any other character must appear
 * as it is.  Examples: "MM/DD/YYYY", "DD.MM.YYYY", "YYYYMMDD",
 * "YYYY-MM-DD", "M/D/YYYY".
 */
enum edi_code map_xform_date_pattern(struct arena *a, struct strview in,
				     const char *pattern, struct strview *out,
				     struct edi_error *err);
/*
 * Check a date pattern once, when the map is loaded: exactly one year,
 * one month and one day token.  EDI_ECONFIG when it is not.
 */
enum edi_code map_xform_pattern_check(const char *pattern,
				      struct edi_error *err);
/*
 * HHMM to HH:MM, HHMMSS to HH:MM:SS.  HHMMSSd and HHMMSSdd (X12 TM
 * decimal seconds) are accepted and the fraction is dropped, since the
 * canonical record has HH:MM[:SS].
 */
enum edi_code map_xform_time(struct arena *a, struct strview in,
			     struct strview *out, struct edi_error *err);
/* An X12 R value to canonical text (dec_format): "0012.50" -> "12.5". */
enum edi_code map_xform_decimal(struct arena *a, struct strview in,
				struct strview *out, struct edi_error *err);
/*
 * True when map_xform_decimal() gives in itself, as it does for most
 * amounts: digits from a 1-9 on, at most one point, and a fraction that
 * does not end in 0.  One pass, inline, for the record builder.
 */
static inline bool map_xform_decimal_kept(struct strview in)
{
	const char *p = in.ptr, *end = in.ptr + in.len;

	if (!in.len || in.len > DEC_MAX_DIGITS ||
	    (unsigned)(unsigned char)*p - '1' > 8u)
		return false;
	while (++p < end && (unsigned)(unsigned char)*p - '0' <= 9u)
		;
	if (p == end)
		return true;
	if (*p != '.' || ++p == end)
		return false;
	while (p < end && (unsigned)(unsigned char)*p - '0' <= 9u)
		p++;
	return p == end && end[-1] != '0';
}

/* An X12 N value with places implied decimals: "12600", 2 -> "126". */
enum edi_code map_xform_implied(struct arena *a, struct strview in,
				unsigned places, struct strview *out,
				struct edi_error *err);
/*
 * Digits with an optional sign to the text of a JSON integer: leading
 * zeros and "+" dropped, "-0" is "0".  "12.0" is not an integer.
 */
enum edi_code map_xform_integer(struct arena *a, struct strview in,
				struct strview *out, struct edi_error *err);
/* Without leading and trailing white space (space, tab, CR, LF, VT, FF). */
struct strview map_xform_trim(struct strview in);
/* ASCII letters to upper case; other bytes (UTF-8 too) are kept. */
struct strview map_xform_upper(struct arena *a, struct strview in);

/* GTIN-8, -12 (UPC-A), -13 (EAN) or -14: digits with a valid check digit. */
bool gtin_valid(struct strview v);
/* SSCC-18, or 20 digits starting with application identifier "00". */
bool sscc_valid(struct strview v);
/*
 * The GS1 mod-10 check digit (0-9) for body (the digits before it, 1 to
 * 17 of them); -1 when body is empty, too long or not all digits.
 */
int gs1_check_digit(struct strview body);

#endif
