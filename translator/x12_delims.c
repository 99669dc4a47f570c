/*
 * x12_delims - finding an interchange's delimiters in its ISA; see
 * x12_delims_detect() in x12_scan.h.  The element separator is the byte
 * after "ISA"; the fixed-width ISA is checked at its sixteen separator
 * offsets, and a damaged one is read by counting separators instead, so
 * each finding names what is wrong and where.  Split from x12_scan.c,
 * which keeps the reader.
 */
#define _POSIX_C_SOURCE 200809L
#include "x12_scan.h"

#include <stdio.h>
#include <string.h>

#include "x12_scan_int.h"

/* Offsets of the sixteen element separators in a fixed-width ISA. */
static const unsigned char isa_separators[16] = {
	3, 6, 17, 20, 31, 34, 50, 53, 69, 76, 81, 83, 89, 99, 101, 103};

static bool fixed_isa(const char *p, char sep)
{
	for (size_t i = 0; i < sizeof(isa_separators); i++)
		if (p[isa_separators[i]] != sep)
			return false;
	return true;
}

/*
 * A terminator byte that leads a UTF-8 sequence, followed in the ISA by
 * its continuation bytes, is that whole character (seen: U+2026).
 */
static bool utf8_tail(struct x12_delims *d, const char *p, size_t n,
		      bool at_end, size_t *isa_len)
{
	unsigned char t = (unsigned char)d->terminator;
	size_t want = t >= 0xf0 && t <= 0xf4   ? 3
		      : t >= 0xe0 && t <= 0xef ? 2
		      : t >= 0xc2 && t <= 0xdf ? 1
					       : 0;

	if (!want)
		return true;
	if (*isa_len + want > n)
		return at_end; /* false: read more first */
	for (size_t i = 0; i < want; i++)
		if (((unsigned char)p[*isa_len + i] & 0xc0) != 0x80)
			return true;
	memcpy(d->terminator_tail, p + *isa_len, want);
	d->tail_len = (unsigned char)want;
	*isa_len += want;
	return true;
}

static void describe(char c, char *dst, size_t size)
{
	unsigned char u = (unsigned char)c;

	if (u >= 0x21 && u < 0x7f)
		snprintf(dst, size, "'%c'", c);
	else if (c == ' ')
		snprintf(dst, size, "a space");
	else
		snprintf(dst, size, "0x%02X", u);
}

enum edi_code x12_delims_detect(const char *p, size_t n, bool at_end,
				struct x12_delims *d, enum x12_isa_form *form,
				size_t *isa_len, struct edi_error *err)
{
	struct edi_loc loc = edi_loc_none();
	char tmp[X12_ISA_LEN], what[16];
	const char *isa = p;
	char e, version[6] = "";
	size_t i, k;
	bool saw_newline = false;

	loc.tag[0] = 'I', loc.tag[1] = 'S', loc.tag[2] = 'A';
	loc.offset = 0;
	if (n < 4 && !at_end)
		return EDI_ELIMIT;
	if (n < 4)
		return edi_fail(err, X12_PREMATURE_END, &loc,
				"file ends inside the ISA segment");
	e = p[3];
	if (!x12_is_delim_char(e) || x12_is_newline(e)) {
		describe(e, what, sizeof(what));
		loc.offset = 3;
		return edi_fail(err, X12_ELEMENT_SEP, &loc,
				"element separator %s at ISA offset 3 is a "
				"letter, digit, space or newline",
				what);
	}
	if (n >= X12_ISA_LEN && fixed_isa(p, e)) {
		*form = X12_ISA_FIXED;
		*isa_len = X12_ISA_LEN;
	} else {
		for (i = 0, k = 0; i < n && k < X12_ISA_LEN; i++) {
			if (x12_is_newline(p[i])) {
				saw_newline = true;
				continue;
			}
			tmp[k++] = p[i];
		}
		if (k < X12_ISA_LEN && !at_end && n < X12_ISA_LOOKAHEAD)
			return EDI_ELIMIT;
		if (saw_newline && k == X12_ISA_LEN && fixed_isa(tmp, e) &&
		    !x12_is_newline(tmp[X12_ISA_LEN - 1])) {
			*form = X12_ISA_WRAPPED;
			*isa_len = i;
			isa = tmp;
		} else {
			/* unpadded: count the sixteen separators */
			size_t lim =
				n < X12_ISA_LOOKAHEAD ? n : X12_ISA_LOOKAHEAD;
			for (i = 3, k = 0; i < lim && k < 16; i++)
				if (p[i] == e)
					k++;
			if (k < 16) {
				if (n < X12_ISA_LOOKAHEAD && !at_end)
					return EDI_ELIMIT;
				if (n < X12_ISA_LOOKAHEAD)
					return edi_fail(err, X12_PREMATURE_END,
							&loc,
							"file ends inside the "
							"ISA segment");
				describe(e, what, sizeof(what));
				return edi_fail(
					err, X12_STRUCTURE, &loc,
					"ISA has %zu element separators "
					"%s in its first %d bytes, not "
					"16",
					k, what, X12_ISA_LOOKAHEAD);
			}
			if (i + 1 >= n) {
				if (!at_end)
					return EDI_ELIMIT;
				return edi_fail(err, X12_PREMATURE_END, &loc,
						"file ends inside the ISA "
						"segment");
			}
			/* p[i] is ISA16, p[i + 1] the terminator */
			d->component = p[i];
			d->terminator = p[i + 1];
			*form = X12_ISA_LENIENT;
			*isa_len = i + 2;
			isa = NULL;
		}
	}
	d->element = e;
	if (isa) {
		d->component = isa[104];
		d->terminator = isa[105];
		d->repetition = isa[82];
		memcpy(version, isa + 84, 5);
	} else {
		/* ISA11 and ISA12 by position in an unpadded ISA */
		struct strview v = sv_make(p, *isa_len - 1);
		struct strview e11 = x12_part(v, e, 11),
			       e12 = x12_part(v, e, 12);
		d->repetition = e11.len == 1 ? e11.ptr[0] : 'U';
		sv_to_cbuf(e12, version, sizeof(version));
	}
	d->strip_newlines = !x12_is_newline(d->terminator);
	d->tail_len = 0;
	if (!utf8_tail(d, p, n, at_end, isa_len))
		return EDI_ELIMIT;
	if (!x12_is_delim_char(d->terminator) || d->terminator == e) {
		describe(d->terminator, what, sizeof(what));
		loc.offset = *isa_len - 1;
		return edi_fail(err, X12_SEG_TERMINATOR, &loc,
				"segment terminator %s after ISA16 cannot be a "
				"letter, digit, space or the element separator",
				what);
	}
	if (!x12_is_delim_char(d->component) || x12_is_newline(d->component) ||
	    d->component == e || d->component == d->terminator) {
		describe(d->component, what, sizeof(what));
		loc.offset = *isa_len - 2;
		loc.element = 16;
		return edi_fail(err, X12_COMPONENT_SEP, &loc,
				"component separator %s in ISA16 must be a "
				"special character different from the other "
				"delimiters",
				what);
	}
	/* ISA11 is a repetition separator only from 00402 on */
	if (strlen(version) != 5 || strcmp(version, "00402") < 0 ||
	    !x12_is_delim_char(d->repetition) ||
	    x12_is_newline(d->repetition) || d->repetition == e ||
	    d->repetition == d->component || d->repetition == d->terminator)
		d->repetition = 0;
	return EDI_OK;
}
