/*
 * map_check_slow - the long way of checking elements; see
 * map_check_int.h.  Every check here words its own diagnostic; the table
 * of map_check.c only decides that there is nothing to say.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "map_check_int.h"
#include "x12_types.h"

/* strcmp order of v against the NUL-terminated code c, without strlen. */
static int code_cmp(struct strview v, const char *c)
{
	for (size_t i = 0; i < v.len; i++) {
		if (!c[i])
			return 1;
		if (v.ptr[i] != c[i])
			return (unsigned char)v.ptr[i] < (unsigned char)c[i]
				       ? -1
				       : 1;
	}
	return c[v.len] ? -1 : 0;
}

bool check_code_allowed(const struct map_elem *e, struct strview v)
{
	size_t lo = 0, hi = e->ncodes;

	if (!e->codes)
		return true;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int cmp = code_cmp(v, e->codes[mid]);
		if (!cmp)
			return true;
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Length as X12 counts it: sign and decimal point do not count for
 * numbers. */
static size_t x12_length(const struct map_elem *e, struct strview v)
{
	size_t n = v.len;

	if (e->type != MAP_T_N && e->type != MAP_T_R)
		return n;
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] == '-' || v.ptr[i] == '.' || v.ptr[i] == '+')
			n--;
	return n;
}

static bool numeric_ok(struct strview v, bool decimal_point)
{
	size_t i = 0, digits = 0;
	bool point = false;

	if (v.len && v.ptr[0] == '-')
		i++;
	for (; i < v.len; i++) {
		if (v.ptr[i] >= '0' && v.ptr[i] <= '9')
			digits++;
		else if (v.ptr[i] == '.' && decimal_point && !point)
			point = true;
		else
			return false;
	}
	return digits > 0;
}

static bool chars_ok(struct strview v)
{
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.ptr[i];
		if (c < 0x20 || c == 0x7f)
			return false;
	}
	return true;
}

/* An element error: the location and the element's name ("PO104-2") are
 * only worked out here, off the hot path. */
static void value_error(const struct x12_seg *seg, unsigned el, unsigned comp,
			enum edi_code code, struct edi_diag *diag,
			const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));

static void value_error(const struct x12_seg *seg, unsigned el, unsigned comp,
			enum edi_code code, struct edi_diag *diag,
			const char *fmt, ...)
{
	struct edi_loc loc = x12_seg_loc(seg, el, comp);
	char name[24], msg[EDI_MSG_MAX];
	va_list ap;

	if (comp)
		snprintf(name, sizeof(name), "%.*s%02u-%u", (int)seg->tag.len,
			 seg->tag.ptr, el, comp);
	else
		snprintf(name, sizeof(name), "%.*s%02u", (int)seg->tag.len,
			 seg->tag.ptr, el);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	edi_diag_addf(diag, code, &loc, "%s%s", name, msg);
}

void check_value(const struct map_elem *e, struct strview v,
		 const struct x12_seg *seg, unsigned el, unsigned comp,
		 struct edi_diag *diag)
{
	size_t len;

	switch (e->type) {
	case MAP_T_N:
		if (!numeric_ok(v, false)) {
			value_error(seg, el, comp, X12_EL_CHAR, diag,
				    " '%.*s' is not a whole number", (int)v.len,
				    v.ptr);
			return;
		}
		break;
	case MAP_T_R:
		if (!numeric_ok(v, true)) {
			value_error(seg, el, comp, X12_EL_CHAR, diag,
				    " '%.*s' is not a decimal number",
				    (int)v.len, v.ptr);
			return;
		}
		break;
	case MAP_T_DT:
		if (!x12_date_valid(v) ||
		    (e->min_len == 8 && v.len != 8 && e->max_len == 8)) {
			value_error(seg, el, comp, X12_EL_DATE, diag,
				    " '%.*s' is not a date %s", (int)v.len,
				    v.ptr,
				    e->max_len == 6 ? "YYMMDD" : "CCYYMMDD");
			return;
		}
		break;
	case MAP_T_TM:
		if (!x12_time_valid(v)) {
			value_error(seg, el, comp, X12_EL_TIME, diag,
				    " '%.*s' is not a time HHMM[SS]",
				    (int)v.len, v.ptr);
			return;
		}
		break;
	case MAP_T_ID:
		if (!check_code_allowed(e, v)) {
			value_error(seg, el, comp, X12_EL_CODE, diag,
				    " '%.*s' is not one of the codes allowed",
				    (int)v.len, v.ptr);
			return;
		}
		/* an ID is also text */
		/* FALLTHROUGH */
	case MAP_T_AN:
		if (!chars_ok(v)) {
			value_error(seg, el, comp, X12_EL_CHAR, diag,
				    " has a control character");
			return;
		}
		break;
	}
	len = x12_length(e, v);
	if (len < e->min_len)
		value_error(seg, el, comp, X12_EL_TOO_SHORT, diag,
			    " '%.*s' is %zu characters, at least %u are "
			    "required",
			    (int)v.len, v.ptr, len, e->min_len);
	else if (e->max_len && len > e->max_len)
		value_error(seg, el, comp, X12_EL_TOO_LONG, diag,
			    " is %zu characters, at most %u are allowed", len,
			    e->max_len);
}

void check_element(const struct map_elem *e, struct strview v,
		   const struct x12_seg *seg, unsigned el,
		   const struct x12_delims *d, struct edi_diag *diag)
{
	struct strview reps[2], parts[2];
	size_t nrep = 1, ncomp;
	struct edi_loc loc;

	if (seg->has_repetition && memchr(v.ptr, d->repetition, v.len)) {
		nrep = x12_split(v, d->repetition, reps, 2);
		if (nrep > e->max_repeat) {
			loc = x12_seg_loc(seg, el, 0);
			edi_diag_addf(diag, X12_EL_REPEAT, &loc,
				      "%.*s%02u repeats %zu times, at most %u "
				      "are allowed",
				      (int)seg->tag.len, seg->tag.ptr, el, nrep,
				      e->max_repeat);
			return;
		}
	}
	for (size_t r = 0; r < nrep; r++) {
		struct strview one =
			nrep == 1 ? v : x12_part(v, d->repetition, r);
		if (!e->ncomponents) {
			ncomp = seg->has_component &&
						memchr(one.ptr, d->component,
						       one.len)
					? x12_split(one, d->component, parts, 2)
					: 1;
			if (ncomp > 1) {
				loc = x12_seg_loc(seg, el, 0);
				edi_diag_addf(
					diag, X12_EL_COMPONENTS, &loc,
					"%.*s%02u is a simple element but "
					"has components",
					(int)seg->tag.len, seg->tag.ptr, el);
				continue;
			}
			check_value(e, one, seg, el, 0, diag);
			continue;
		}
		ncomp = x12_split(one, d->component, parts, 0);
		if (ncomp > e->ncomponents) {
			loc = x12_seg_loc(seg, el,
					  (unsigned)e->ncomponents + 1);
			edi_diag_addf(
				diag, X12_EL_COMPONENTS, &loc,
				"%.*s%02u has %zu components, at most %zu "
				"are allowed",
				(int)seg->tag.len, seg->tag.ptr, el, ncomp,
				e->ncomponents);
		}
		for (size_t c = 0; c < e->ncomponents; c++) {
			struct strview cv = x12_part(one, d->component, c);
			const struct map_elem *ce = &e->components[c];
			if (!cv.len) {
				if (ce->req == MAP_REQ_M) {
					loc = x12_seg_loc(seg, el,
							  (unsigned)c + 1);
					edi_diag_addf(diag, X12_EL_MISSING,
						      &loc,
						      "%.*s%02u-%zu is "
						      "mandatory",
						      (int)seg->tag.len,
						      seg->tag.ptr, el, c + 1);
				}
				continue;
			}
			check_value(ce, cv, seg, el, (unsigned)c + 1, diag);
		}
	}
}

static bool present(const struct x12_seg *seg, unsigned pos)
{
	return x12_seg_el(seg, pos).len > 0;
}

void check_syntax(const struct map_syntax *s, const struct x12_seg *seg,
		  struct edi_diag *diag)
{
	unsigned n = 0, first_missing = 0, second_present = 0;
	struct edi_loc loc;
	char note[2 + 2 * MAP_SYNTAX_MAX];
	size_t o = 0;

	for (unsigned i = 0; i < s->npos; i++) {
		if (present(seg, s->pos[i])) {
			n++;
			if (n == 2)
				second_present = s->pos[i];
		} else if (!first_missing) {
			first_missing = s->pos[i];
		}
	}
	if (!((s->kind == MAP_SYN_P && n && n < s->npos) ||
	      (s->kind == MAP_SYN_R && !n) || (s->kind == MAP_SYN_E && n > 1) ||
	      (s->kind == MAP_SYN_C && present(seg, s->pos[0]) &&
	       n < s->npos) ||
	      (s->kind == MAP_SYN_L && present(seg, s->pos[0]) && n < 2)))
		return; /* the usual case: nothing to say */
	note[o++] = "PRECL"[s->kind];
	for (unsigned i = 0; i < s->npos && i < MAP_SYNTAX_MAX; i++) {
		note[o++] = (char)('0' + s->pos[i] / 10 % 10);
		note[o++] = (char)('0' + s->pos[i] % 10);
	}
	note[o] = '\0';
	switch (s->kind) {
	case MAP_SYN_P:
		if (n && n < s->npos) {
			loc = x12_seg_loc(seg, first_missing, 0);
			edi_diag_addf(diag, X12_EL_CONDITIONAL, &loc,
				      "%.*s%02u is required with the others of "
				      "syntax note %s",
				      (int)seg->tag.len, seg->tag.ptr,
				      first_missing, note);
		}
		break;
	case MAP_SYN_R:
		if (!n) {
			loc = x12_seg_loc(seg, s->pos[0], 0);
			edi_diag_addf(diag, X12_EL_CONDITIONAL, &loc,
				      "%.*s needs at least one of the elements "
				      "of syntax note %s",
				      (int)seg->tag.len, seg->tag.ptr, note);
		}
		break;
	case MAP_SYN_E:
		if (n > 1) {
			loc = x12_seg_loc(seg, second_present, 0);
			edi_diag_addf(diag, X12_EL_EXCLUSION, &loc,
				      "%.*s%02u may not be used with the "
				      "others of syntax note %s",
				      (int)seg->tag.len, seg->tag.ptr,
				      second_present, note);
		}
		break;
	case MAP_SYN_C:
		if (present(seg, s->pos[0]))
			for (unsigned i = 1; i < s->npos; i++)
				if (!present(seg, s->pos[i])) {
					loc = x12_seg_loc(seg, s->pos[i], 0);
					edi_diag_addf(
						diag, X12_EL_CONDITIONAL, &loc,
						"%.*s%02u is required when "
						"%.*s%02u is present (%s)",
						(int)seg->tag.len, seg->tag.ptr,
						s->pos[i], (int)seg->tag.len,
						seg->tag.ptr, s->pos[0], note);
				}
		break;
	case MAP_SYN_L:
		if (present(seg, s->pos[0]) && n < 2) {
			loc = x12_seg_loc(seg, s->pos[0], 0);
			edi_diag_addf(diag, X12_EL_CONDITIONAL, &loc,
				      "%.*s%02u needs at least one of the "
				      "others of syntax note %s",
				      (int)seg->tag.len, seg->tag.ptr,
				      s->pos[0], note);
		}
		break;
	}
}

bool check_syntax_complains(const struct map_syntax *s, uint64_t present)
{
	/* the positions present, n of them; the note's are all distinct */
	uint64_t hit = present & s->bits;
	uint64_t first = hit & (uint64_t)1 << s->pos[0];

	switch (s->kind) {
	case MAP_SYN_P: /* n && n < npos */
		return hit && hit != s->bits;
	case MAP_SYN_R: /* !n */
		return !hit;
	case MAP_SYN_E: /* n > 1 */
		return (hit & (hit - 1)) != 0;
	case MAP_SYN_C: /* first && n < npos */
		return first && hit != s->bits;
	case MAP_SYN_L: /* first && n < 2 */
		return first && hit == first;
	}
	return true;
}

void check_segment_long(const struct map_segdef *def, const struct x12_seg *seg,
			const struct x12_delims *d, struct edi_diag *diag)
{
	struct edi_loc loc;
	unsigned nel = seg->nel;

	/* trailing empty elements are no elements */
	while (nel && !seg->el[nel].len)
		nel--;
	if (nel > def->nelems) {
		loc = x12_seg_loc(seg, (unsigned)def->nelems + 1, 0);
		edi_diag_addf(diag, X12_EL_TOO_MANY, &loc,
			      "%.*s has %u elements, at most %zu are defined",
			      (int)seg->tag.len, seg->tag.ptr, nel,
			      def->nelems);
	}
	for (size_t i = 0; i < def->nelems; i++) {
		const struct map_elem *e = &def->elems[i];
		struct strview v = x12_seg_el(seg, (unsigned)i + 1);

		if (!v.len) {
			if (e->req == MAP_REQ_M) {
				loc = x12_seg_loc(seg, (unsigned)i + 1, 0);
				edi_diag_addf(diag, X12_EL_MISSING, &loc,
					      "%.*s%02zu is mandatory",
					      (int)seg->tag.len, seg->tag.ptr,
					      i + 1);
			}
			continue;
		}
		check_element(e, v, seg, (unsigned)i + 1, d, diag);
	}
	for (size_t i = 0; i < def->nsyntax; i++)
		check_syntax(&def->syntax[i], seg, diag);
}
