/*
 * x12_emit_value - record values to element text: the map's transforms
 * backwards, and the checks of an element's definition.  See
 * x12_emit_int.h.
 *
 * A transform that throws information away cannot be undone exactly; it
 * is undone as far as the forward direction would read the same value
 * back: trim, upper and match write the value as it is, a default writes
 * the default (which reads back the same), and a code table maps a value
 * back to its first key in table order (SE, SU and VN all read as
 * "seller"; "seller" is written SE).
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "x12_emit_int.h"
#include "x12_types.h"

enum edi_code emit_plain(struct arena *a, const json_t *v, const char **out,
			 struct edi_error *err)
{
	*out = NULL;
	if (!v || json_is_null(v))
		return EDI_OK;
	if (json_is_string(v)) {
		if (json_string_length(v))
			*out = arena_svdup(a, sv_make(json_string_value(v),
						      json_string_length(v)));
		return EDI_OK;
	}
	if (json_is_integer(v)) {
		*out = arena_printf(a, "%" PRId64,
				    (int64_t)json_integer_value(v));
		return EDI_OK;
	}
	if (json_is_real(v))
		return edi_fail(err, EDI_EDATA, NULL,
				"%g is a binary floating-point number; write "
				"money and quantities as strings (\"12.50\")",
				json_real_value(v));
	if (json_is_boolean(v))
		return edi_fail(err, EDI_EDATA, NULL,
				"a boolean where a value is expected");
	return edi_fail(err, EDI_EDATA, NULL, "an %s where a value is expected",
			json_is_object(v) ? "object" : "array");
}

static bool digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/* YYYY-MM-DD to CCYYMMDD (pattern NULL) or to pattern's form. */
static enum edi_code undate(struct arena *a, const char *in,
			    const char *pattern, const char **out,
			    struct edi_error *err)
{
	char d8[9], buf[64];
	size_t o = 0;

	if (strlen(in) != 10 || in[4] != '-' || in[7] != '-' ||
	    !digits(in, 4) || !digits(in + 5, 2) || !digits(in + 8, 2))
		return edi_fail(err, EDI_EDATA, NULL,
				"'%s' is not a date YYYY-MM-DD", in);
	memcpy(d8, in, 4);
	memcpy(d8 + 4, in + 5, 2);
	memcpy(d8 + 6, in + 8, 2);
	d8[8] = '\0';
	if (!x12_date_valid(sv_make(d8, 8)))
		return edi_fail(err, EDI_EDATA, NULL,
				"'%s' is not a day of the calendar", in);
	if (!pattern) {
		*out = arena_strdup(a, d8);
		return EDI_OK;
	}
	for (const char *p = pattern; *p && o + 4 < sizeof(buf);) {
		if (!strncmp(p, "YYYY", 4) || !strncmp(p, "CCYY", 4)) {
			memcpy(buf + o, d8, 4), o += 4, p += 4;
		} else if (!strncmp(p, "YY", 2)) {
			memcpy(buf + o, d8 + 2, 2), o += 2, p += 2;
		} else if (!strncmp(p, "MM", 2) || !strncmp(p, "DD", 2)) {
			memcpy(buf + o, d8 + (*p == 'M' ? 4 : 6), 2);
			o += 2, p += 2;
		} else if (*p == 'M' || *p == 'D') {
			const char *two = d8 + (*p == 'M' ? 4 : 6);
			if (two[0] != '0')
				buf[o++] = two[0];
			buf[o++] = two[1];
			p++;
		} else {
			buf[o++] = *p++;
		}
	}
	buf[o] = '\0';
	*out = arena_strdup(a, buf);
	return EDI_OK;
}

/* HH:MM[:SS] to HHMM[SS]. */
static enum edi_code untime(struct arena *a, const char *in, const char **out,
			    struct edi_error *err)
{
	size_t n = strlen(in);
	char t[7];

	if ((n != 5 && n != 8) || in[2] != ':' || (n == 8 && in[5] != ':') ||
	    !digits(in, 2) || !digits(in + 3, 2) ||
	    (n == 8 && !digits(in + 6, 2)))
		return edi_fail(err, EDI_EDATA, NULL,
				"'%s' is not a time HH:MM or HH:MM:SS", in);
	memcpy(t, in, 2);
	memcpy(t + 2, in + 3, 2);
	if (n == 8)
		memcpy(t + 4, in + 6, 2);
	t[n == 8 ? 6 : 4] = '\0';
	if (!x12_time_valid(sv_cstr(t)))
		return edi_fail(err, EDI_EDATA, NULL, "'%s' is not a time", in);
	*out = arena_strdup(a, t);
	return EDI_OK;
}

static enum edi_code undecimal(struct arena *a, const char *in, int implied,
			       const char **out, struct edi_error *err)
{
	char text[DEC_TEXT_MAX];
	struct edi_error e;
	struct dec d;

	if (dec_parse(sv_cstr(in), &d, &e) != EDI_OK)
		return edi_fail(err, EDI_EDATA, NULL,
				"'%s' is not an exact decimal number", in);
	if (implied < 0) {
		dec_format(d, text);
	} else if (dec_format_implied(d, (unsigned)implied, text, NULL, &e) !=
		   EDI_OK) {
		return edi_fail(err, EDI_EDATA, NULL,
				"'%s' has more than %d decimal places", in,
				implied);
	}
	*out = arena_strdup(a, text);
	return EDI_OK;
}

static enum edi_code uninteger(const char *in, struct edi_error *err)
{
	const char *p = in + (*in == '-');

	if (!*p || !digits(p, strlen(p)))
		return edi_fail(err, EDI_EDATA, NULL, "'%s' is not an integer",
				in);
	return EDI_OK;
}

/* The first key (table order) whose value is in. */
static enum edi_code uncode(const struct map_table *t, const char *in,
			    const char **out, struct edi_error *err)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->values[i], in)) {
			*out = t->keys[i];
			return EDI_OK;
		}
	if (t->keep_unknown) {
		*out = in;
		return EDI_OK;
	}
	return edi_fail(err, EDI_EDATA, NULL, "'%s' is not a value of table %s",
			in, t->name);
}

enum edi_code emit_value(struct arena *a, const struct map_field *f,
			 const json_t *v, const char **out, bool *absent,
			 struct edi_error *err)
{
	const char *text;
	enum edi_code rc;

	*out = NULL;
	*absent = true;
	rc = emit_plain(a, v, &text, err);
	if (rc || !text)
		return rc;
	for (size_t i = f->nxforms; i-- > 0;) {
		const struct map_xform *xf = &f->xforms[i];
		switch (xf->kind) {
		case MAP_XF_DATE:
			rc = undate(a, text, xf->arg, &text, err);
			break;
		case MAP_XF_TIME:
			rc = untime(a, text, &text, err);
			break;
		case MAP_XF_DECIMAL:
			rc = undecimal(a, text, -1, &text, err);
			break;
		case MAP_XF_IMPLIED:
			rc = undecimal(a, text, xf->n, &text, err);
			break;
		case MAP_XF_INTEGER:
			rc = uninteger(text, err);
			break;
		case MAP_XF_CODE:
			rc = uncode(xf->table, text, &text, err);
			break;
		case MAP_XF_TRIM:
		case MAP_XF_UPPER:
		case MAP_XF_MATCH:
		case MAP_XF_DEFAULT:
			break;
		}
		if (rc)
			return rc;
	}
	*out = text;
	*absent = false;
	return EDI_OK;
}

static bool code_listed(const struct map_elem *e, const char *v)
{
	size_t lo = 0, hi = e->ncodes;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(v, e->codes[mid]);
		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Digits of an N or R value (sign and point not counted); -1: not one. */
static long numeric_len(const char *v, bool point_ok)
{
	long n = 0;
	bool point = false;

	if (*v == '-')
		v++;
	for (; *v; v++) {
		if (*v == '.' && point_ok && !point)
			point = true;
		else if (*v >= '0' && *v <= '9')
			n++;
		else
			return -1;
	}
	return n ? n : -1;
}

enum edi_code emit_fit(struct arena *a, const struct map_elem *e,
		       const struct x12_write_delims *d, const char **text,
		       struct edi_error *err)
{
	const char *v = *text;
	size_t len = strlen(v);
	long n = (long)len;
	char shown[48]; /* the value in messages, cut short */

	snprintf(shown, sizeof(shown), "%.40s%s", v, len > 40 ? "..." : "");

	for (const char *p = v; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c > 0x7e)
			return edi_fail(err, EDI_EDATA, NULL,
					"'%s' has a byte (0x%02x) X12 cannot "
					"carry",
					shown, c);
		if (d && (*p == d->element || *p == d->component ||
			  *p == d->segment ||
			  (d->repetition && *p == d->repetition)))
			return edi_fail(err, EDI_EDATA, NULL,
					"'%s' holds the delimiter '%c'", shown,
					*p);
	}
	if (!e)
		return EDI_OK;
	switch (e->type) {
	case MAP_T_N:
		n = numeric_len(v, false);
		if (n < 0)
			return edi_fail(err, EDI_EDATA, NULL,
					"'%s' is not a whole number (type N)",
					shown);
		break;
	case MAP_T_R:
		n = numeric_len(v, true);
		if (n < 0)
			return edi_fail(err, EDI_EDATA, NULL,
					"'%s' is not a number (type R)", shown);
		break;
	case MAP_T_DT:
		if (len == 8 && e->max_len == 6) {
			v = *text = arena_strdup(a, v + 2);
			n = 6;
		}
		if (!x12_date_valid(sv_cstr(v)))
			return edi_fail(err, EDI_EDATA, NULL,
					"'%s' is not a date CCYYMMDD", shown);
		break;
	case MAP_T_TM:
		if (!x12_time_valid(sv_cstr(v)))
			return edi_fail(err, EDI_EDATA, NULL,
					"'%s' is not a time HHMM[SS]", shown);
		break;
	case MAP_T_ID:
		if (e->codes && !code_listed(e, v))
			return edi_fail(
				err, EDI_EDATA, NULL,
				"'%s' is not one of the element's codes",
				shown);
		break;
	case MAP_T_AN:
		break;
	}
	if (e->max_len && (unsigned long)n > e->max_len)
		return edi_fail(err, EDI_EDATA, NULL,
				"'%s' is too long (%ld, at most %u)", shown, n,
				e->max_len);
	if ((unsigned long)n < e->min_len)
		return edi_fail(err, EDI_EDATA, NULL,
				"'%s' is too short (%ld, at least %u)", shown,
				n, e->min_len);
	return EDI_OK;
}
