/*
 * map_rules - balancing, check digits and partner rules; see map_rules.h.
 */
#include "map_rules.h"

#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "map_exec.h"
#include "map_xform.h"

/* Segments that carry item id qualifier/value pairs, and where. */
static const struct {
	const char *tag;
	unsigned from, to;
} item_pairs[] = {
	{"PO1", 6, 25}, {"IT1", 6, 25}, {"LIN", 2, 31},
	{"SLN", 9, 28}, {"ACK", 7, 28}, {"PO4", 0, 0},
};

static unsigned count_tag(const struct x12_set *set, const char *tag)
{
	uint32_t key = x12_tag_key(tag);
	unsigned n = 0;

	for (size_t i = 0; i < set->nsegs; i++)
		n += set->segs[i].key == key;
	return n;
}

static void rule_lines(const struct map_rule *r, const struct x12_set *set,
		       struct edi_diag *diag)
{
	const struct x12_seg *seg = NULL;
	struct strview v;
	struct edi_loc loc;
	uint64_t said;
	unsigned n;
	bool found;

	v = map_exec_path(set, &set->root, &r->path, &found, &seg);
	if (!found)
		return; /* the guide says whether CTT is required */
	n = count_tag(set, r->lines_tag);
	if (sv_to_u64(v, &said) && said == n)
		return;
	loc = x12_seg_loc(seg, r->path.element, 0);
	edi_diag_addf(diag, X12_BALANCE, &loc,
		      "%s%02u says %.*s, the set has %u %s segments",
		      r->path.tag, r->path.element, (int)v.len, v.ptr, n,
		      r->lines_tag);
}

/* The number of implied decimals of an element, from the map (2: X12's
 * usual N2 for amounts). */
static unsigned implied_of(const struct map *m, const char *tag, unsigned pos)
{
	const struct map_segdef *def = map_segdef_find(m, sv_cstr(tag));

	if (def && pos >= 1 && pos <= def->nelems &&
	    def->elems[pos - 1].type == MAP_T_N)
		return def->elems[pos - 1].implied;
	return 2;
}

static void rule_total(const struct map *m, const struct map_rule *r,
		       const struct x12_set *set, const char *tolerance,
		       struct edi_diag *diag)
{
	const struct x12_seg *tds = NULL;
	struct dec sum = dec_from_i64(0), total, tol, diff;
	struct edi_error err;
	struct edi_loc loc;
	struct strview v;
	char a[DEC_TEXT_MAX], b[DEC_TEXT_MAX];
	bool found;

	struct x12_tag_match lines = x12_tag_match_init(r->lines_tag);
	struct x12_tag_match allowances = x12_tag_match_init(r->allowances_tag);

	v = map_exec_path(set, &set->root, &r->path, &found, &tds);
	if (!found)
		return;
	if (dec_parse_implied(v, implied_of(m, r->path.tag, r->path.element),
			      &total, &err))
		return; /* the element check reports a bad number */
	for (size_t i = 0; i < set->nsegs; i++) {
		const struct x12_seg *seg = &set->segs[i];
		struct dec q, p, amount;

		if (x12_seg_matches(seg, &lines)) {
			/* quantity (02) times unit price (04) */
			if (dec_parse(x12_seg_el(seg, 2), &q, &err) ||
			    dec_parse(x12_seg_el(seg, 4), &p, &err) ||
			    dec_mul(q, p, &amount, &err) ||
			    dec_add(sum, amount, &sum, &err))
				return; /* reported as element errors */
		} else if (r->allowances_tag[0] &&
			   x12_seg_matches(seg, &allowances)) {
			struct strview ind = x12_seg_el(seg, 1);
			struct strview amt = x12_seg_el(seg, 5);
			if (!amt.len)
				continue;
			if (dec_parse_implied(amt, 2, &amount, &err))
				return;
			if (sv_eq_cstr(ind, "A"))
				amount = dec_neg(amount);
			else if (!sv_eq_cstr(ind, "C"))
				continue; /* N: no charge; informational */
			if (dec_add(sum, amount, &sum, &err))
				return;
		}
	}
	sum = dec_round(sum, 2);
	if (dec_parse(sv_cstr(tolerance ? tolerance : "0"), &tol, &err))
		tol = dec_from_i64(0);
	if (dec_sub(total, sum, &diff, &err) == EDI_OK &&
	    dec_cmp(dec_abs(diff), tol) <= 0)
		return;
	dec_format(total, a);
	dec_format(sum, b);
	loc = x12_seg_loc(tds, r->path.element, 0);
	edi_diag_addf(diag, X12_BALANCE, &loc,
		      "%s%02u total %s differs from the lines%s: %s "
		      "(tolerance %s)",
		      r->path.tag, r->path.element, a,
		      r->allowances_tag[0] ? " with allowances and charges"
					   : "",
		      b, tolerance ? tolerance : "0");
}

/* sv_eq_cstr() without the strlen() */
static inline bool eq_cstr(struct strview v, const char *c)
{
	for (size_t i = 0; i < v.len; i++)
		if (!c[i] || c[i] != v.ptr[i])
			return false;
	return !c[v.len];
}

static bool qualifier_listed(const struct map_rule *r, struct strview q)
{
	for (size_t i = 0; i < r->nqualifiers; i++)
		if (eq_cstr(q, r->qualifiers[i]))
			return true;
	return false;
}

#define NITEM_PAIRS (sizeof(item_pairs) / sizeof(item_pairs[0]))

static void rule_gtin(const struct map_rule *r, const struct x12_set *set,
		      struct edi_diag *diag)
{
	struct x12_tag_match tags[NITEM_PAIRS];
	uint64_t first[4] = {0}; /* first bytes of the tags, as bits */

	for (size_t t = 0; t < NITEM_PAIRS; t++) {
		unsigned char c = (unsigned char)item_pairs[t].tag[0];

		tags[t] = x12_tag_match_init(item_pairs[t].tag);
		first[c >> 6] |= (uint64_t)1 << (c & 63);
	}
	for (size_t i = 0; i < set->nsegs; i++) {
		const struct x12_seg *seg = &set->segs[i];
		unsigned char c =
			seg->tag.len ? (unsigned char)seg->tag.ptr[0] : 0;

		if (!(first[c >> 6] >> (c & 63) & 1))
			continue; /* no item segment starts so */
		for (size_t t = 0; t < NITEM_PAIRS; t++) {
			if (!item_pairs[t].from ||
			    !x12_seg_matches(seg, &tags[t]))
				continue;
			/* past the last element every value is empty */
			for (unsigned k = item_pairs[t].from;
			     k + 1 <= item_pairs[t].to && k + 1 <= seg->nel;
			     k += 2) {
				struct strview q = x12_seg_el(seg, k);
				struct strview v = x12_seg_el(seg, k + 1);
				struct edi_loc loc;
				if (!v.len || !qualifier_listed(r, q) ||
				    gtin_valid(v))
					continue;
				loc = x12_seg_loc(seg, k + 1, 0);
				edi_diag_addf(diag, X12_CHECK_DIGIT, &loc,
					      "%.*s%02u '%.*s' (%.*s) is not "
					      "a GTIN with a valid check digit",
					      (int)seg->tag.len, seg->tag.ptr,
					      k + 1, (int)v.len, v.ptr,
					      (int)q.len, q.ptr);
			}
		}
	}
}

/* A check digit at a path (sscc, or gtin with `path:`), segment by
 * segment. */
static void rule_digit_path(const struct map_rule *r, const struct x12_set *set,
			    struct edi_diag *diag)
{
	bool sscc = r->digit == MAP_DIGIT_SSCC;
	struct x12_tag_match tag = x12_tag_match_init(r->path.tag);

	for (size_t i = 0; i < set->nsegs; i++) {
		const struct x12_seg *seg = &set->segs[i];
		struct x12_loop one = {.first = i, .end = i + 1};
		const struct x12_seg *at = NULL;
		struct edi_loc loc;
		struct strview v;
		bool found;

		if (!x12_seg_matches(seg, &tag))
			continue;
		v = map_exec_path(set, &one, &r->path, &found, &at);
		if (!found || (sscc ? sscc_valid(v) : gtin_valid(v)))
			continue;
		loc = x12_seg_loc(seg, r->path.element, 0);
		edi_diag_addf(
			diag, X12_CHECK_DIGIT, &loc,
			"%s%02u '%.*s' is not %s with a valid check digit",
			r->path.tag, r->path.element, (int)v.len, v.ptr,
			sscc ? "an SSCC-18" : "a GTIN");
	}
}

static void rule_require(const struct map_rule *r, const struct x12_set *set,
			 struct edi_diag *diag)
{
	struct edi_loc loc;
	bool found;

	map_exec_path(set, &set->root, &r->path, &found, NULL);
	if (found)
		return;
	loc = x12_seg_loc(&set->segs[0], 0, 0);
	snprintf(loc.tag, sizeof(loc.tag), "%s", r->path.tag);
	loc.element = r->path.element;
	edi_diag_addf(diag, X12_RULE, &loc, "%s (rule at %s:%u)",
		      r->message ? r->message : "a required value is missing",
		      r->mark.file ? r->mark.file : "map", r->mark.line);
}

void map_rules_check(const struct map *m, const struct x12_set *set,
		     const struct map_rule_opts *opts, struct edi_diag *diag)
{
	if (!set->nsegs)
		return;
	for (size_t i = 0; i < m->nrules; i++) {
		const struct map_rule *r = &m->rules[i];
		switch (r->kind) {
		case MAP_RULE_LINES:
			if (!opts->off_lines)
				rule_lines(r, set, diag);
			break;
		case MAP_RULE_TOTAL:
			if (!opts->off_total)
				rule_total(m, r, set,
					   opts->tolerance ? opts->tolerance
							   : r->tolerance,
					   diag);
			break;
		case MAP_RULE_CHECK_DIGIT:
			if (r->digit == MAP_DIGIT_GTIN && !opts->off_gtin) {
				rule_gtin(r, set, diag);
				if (r->path.tag[0]) /* gtin with path: */
					rule_digit_path(r, set, diag);
			}
			if (r->digit == MAP_DIGIT_SSCC && !opts->off_sscc)
				rule_digit_path(r, set, diag);
			break;
		case MAP_RULE_REQUIRE:
			if (!opts->off_require)
				rule_require(r, set, diag);
			break;
		}
	}
}
