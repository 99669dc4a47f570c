/*
 * map_exec_value - the transforms of a PATH field applied to its raw value;
 * see map_exec.h (map_exec_value()).
 *
 * Transforms run in order on a view; each gives a view into its input or
 * new text in the arena (map_xform.h).  A default stands in for a value
 * that is absent at that point; the field's constant for one still absent
 * at the end.
 */
#include "map_exec.h"
#include "map_exec_eval.h"

#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "map_xform.h"

static enum edi_code lookup(const struct map_xform *xf, struct strview in,
			    struct strview *out, struct edi_error *err)
{
	const struct map_table *t = xf->table;
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *k = t->keys[mid];
		size_t klen = strlen(k);
		int cmp = memcmp(in.ptr, k, in.len < klen ? in.len : klen);
		if (!cmp)
			cmp = in.len < klen ? -1 : in.len > klen;
		if (!cmp) {
			*out = sv_cstr(t->values[mid]);
			return EDI_OK;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (t->keep_unknown) {
		*out = in;
		return EDI_OK;
	}
	return edi_fail(err, EDI_EDATA, NULL, "'%.*s' is not in table %s",
			(int)in.len, in.ptr, t->name);
}

static enum edi_code match(const struct map_xform *xf, struct strview in,
			   struct strview *out, struct edi_error *err)
{
	pcre2_code *re = xf->regex;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	PCRE2_SIZE *ov;
	int rc;

	if (!md)
		return edi_fail(err, EDI_ENOMEM, NULL, "out of memory");
	rc = pcre2_match(re, (PCRE2_SPTR)in.ptr, in.len, 0, 0, md, NULL);
	if (rc < 0) {
		pcre2_match_data_free(md);
		return edi_fail(err, EDI_EDATA, NULL,
				"'%.*s' does not match /%s/", (int)in.len,
				in.ptr, xf->arg);
	}
	ov = pcre2_get_ovector_pointer(md);
	if (rc >= 2 && ov[2] != PCRE2_UNSET)
		*out = sv_make(in.ptr + ov[2], ov[3] - ov[2]);
	else
		*out = sv_make(in.ptr + ov[0], ov[1] - ov[0]);
	pcre2_match_data_free(md);
	return EDI_OK;
}

static enum edi_code apply_xform(struct arena *a, const struct map_xform *xf,
				 struct strview in, struct strview *out,
				 bool *number, struct edi_error *err)
{

	switch (xf->kind) {
	case MAP_XF_DATE:
		*number = false;
		return xf->arg ? map_xform_date_pattern(a, in, xf->arg, out,
							err)
			       : map_xform_date(a, in, out, err);
	case MAP_XF_TIME:
		*number = false;
		return map_xform_time(a, in, out, err);
	case MAP_XF_DECIMAL:
		*number = false;
		return map_xform_decimal(a, in, out, err);
	case MAP_XF_IMPLIED:
		*number = false;
		return map_xform_implied(a, in, (unsigned)xf->n, out, err);
	case MAP_XF_INTEGER:
		*number = true;
		return map_xform_integer(a, in, out, err);
	case MAP_XF_TRIM:
		*out = map_xform_trim(in);
		return EDI_OK;
	case MAP_XF_UPPER:
		*out = map_xform_upper(a, in);
		return EDI_OK;
	case MAP_XF_CODE:
		*number = false;
		return lookup(xf, in, out, err);
	case MAP_XF_MATCH:
		*number = false;
		return match(xf, in, out, err);
	case MAP_XF_DEFAULT:
		*out = in;
		return EDI_OK;
	}
	return edi_fail(err, EDI_EINTERNAL, NULL, "unknown transform");
}

enum edi_code map_exec_xforms(const struct map_field *f, struct strview *value,
			      bool *found, bool *number, struct arena *a,
			      struct edi_error *err)
{
	struct strview v = *value;
	bool has = *found;

	*number = false;
	for (size_t i = 0; i < f->nxforms; i++) {
		const struct map_xform *xf = &f->xforms[i];
		enum edi_code rc;

		if (xf->kind == MAP_XF_DEFAULT) {
			if (!has) {
				v = sv_cstr(xf->arg);
				has = true;
			}
			continue;
		}
		if (!has)
			continue;
		rc = apply_xform(a, xf, v, &v, number, err);
		if (rc)
			return rc;
		has = v.len > 0;
	}
	if (!has && f->constant) {
		v = sv_cstr(f->constant);
		has = true;
	}
	*value = v;
	*found = has;
	return EDI_OK;
}

enum edi_code map_exec_value(const struct map_field *f, struct strview v,
			     bool found, struct arena *a,
			     struct rec_value **out, struct edi_error *err)
{
	bool number;
	enum edi_code rc = map_exec_xforms(f, &v, &found, &number, a, err);

	*out = NULL;
	if (rc)
		return rc;
	if (found)
		*out = number ? rec_number(a, v) : rec_str(a, v);
	return EDI_OK;
}
