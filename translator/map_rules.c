/*
 * map_rules - balancing, check digits and partner rules; see map_rules.h.
 */
#include "map_rules.h"

#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "map_exec.h"
#include "map_gs1.h"

/* A three-letter tag as x12_tag_key() packs it. */
#define KEY3(a, b, c)                                                       \
	((uint32_t)(unsigned char)(a) | (uint32_t)(unsigned char)(b) << 8 | \
	 (uint32_t)(unsigned char)(c) << 16)

static unsigned count_tag(const struct x12_set *set, const char *tag)
{
	uint32_t key = x12_tag_key(tag);
	unsigned n = 0;

	for (const struct x12_seg *seg = set->segs, *end = seg + set->nsegs;
	     seg < end; seg++)
		n += seg->key == key;
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

/*
 * The lines (quantity 02 times unit price 04) plus charges and minus
 * allowances (SAC05 with SAC01 C or A) of a set as dec; false when a
 * value is not a number or the sum does not fit (the element checks
 * report those).
 */
static bool sum_dec(const struct map_rule *r, const struct x12_set *set,
		    struct dec *sum)
{
	struct x12_tag_match lines = x12_tag_match_init(r->lines_tag);
	struct x12_tag_match allowances = x12_tag_match_init(r->allowances_tag);
	struct edi_error err;

	*sum = dec_from_i64(0);
	for (size_t i = 0; i < set->nsegs; i++) {
		const struct x12_seg *seg = &set->segs[i];
		struct dec q, p, amount;

		if (x12_seg_matches(seg, &lines)) {
			if (dec_parse(x12_seg_el(seg, 2), &q, &err) ||
			    dec_parse(x12_seg_el(seg, 4), &p, &err) ||
			    dec_mul(q, p, &amount, &err) ||
			    dec_add(*sum, amount, sum, &err))
				return false;
		} else if (r->allowances_tag[0] &&
			   x12_seg_matches(seg, &allowances)) {
			struct strview ind = x12_seg_el(seg, 1);
			struct strview amt = x12_seg_el(seg, 5);
			if (!amt.len)
				continue;
			if (dec_parse_implied(amt, 2, &amount, &err))
				return false;
			if (sv_eq_cstr(ind, "A"))
				amount = dec_neg(amount);
			else if (!sv_eq_cstr(ind, "C"))
				continue; /* N: no charge; informational */
			if (dec_add(*sum, amount, sum, &err))
				return false;
		}
	}
	return true;
}

/* Numbers in sum_plain(): below 10^33, so that a product of two of 15
 * digits and a sum of them never comes near dec's 10^36. */
#define PLAIN_DIGITS 15
#define PLAIN_BOUND  ((__int128)1000000000000000000LL * 1000000000000000LL)

/* v as dec_parse() (point_ok) or dec_parse_implied() would read it, when
 * it is plain: an optional minus, at most 15 digits and a point.  The
 * integer digits and the fraction are two tight loops; a number of more
 * digits wraps m (unsigned) before the count refuses it. */
static bool plain_number(struct strview v, bool point_ok, int64_t *mant,
			 unsigned *scale)
{
	const char *p = v.ptr, *end = v.ptr + v.len, *start, *frac;
	bool neg = p < end && *p == '-', point = false;
	uint64_t m = 0;
	size_t digits;

	start = p += neg;
	while (p < end && (unsigned)(unsigned char)*p - '0' <= 9u)
		m = m * 10 + (unsigned)(unsigned char)*p++ - '0';
	frac = p;
	if (p < end) {
		if (*p != '.' || !point_ok)
			return false;
		point = true;
		frac = ++p;
		while (p < end && (unsigned)(unsigned char)*p - '0' <= 9u)
			m = m * 10 + (unsigned)(unsigned char)*p++ - '0';
		if (p < end)
			return false;
	}
	digits = (size_t)(p - start) - point;
	if (!digits || digits > PLAIN_DIGITS)
		return false;
	*scale = (unsigned)(p - frac);
	*mant = neg ? -(int64_t)m : (int64_t)m;
	return true;
}

static const __int128 pow10_128[] = {
	1,
	10,
	100,
	1000,
	10000,
	100000,
	1000000,
	10000000,
	100000000,
	1000000000,
	10000000000LL,
	100000000000LL,
	1000000000000LL,
	10000000000000LL,
	100000000000000LL,
	1000000000000000LL,
	10000000000000000LL,
	100000000000000000LL,
	1000000000000000000LL,
};

/* *sum += mant at scale, with the larger scale, within PLAIN_BOUND
 * (the one scaled up must be below 10^15: no division needed). */
static bool plain_add(struct dec *sum, __int128 mant, unsigned scale)
{
	if (scale != sum->scale) {
		__int128 *low = scale < sum->scale ? &mant : &sum->mant;
		unsigned k = scale < sum->scale ? sum->scale - scale
						: scale - sum->scale;

		if (k > 18 || *low >= pow10_128[15] || *low <= -pow10_128[15])
			return false;
		*low *= pow10_128[k];
		if (scale > sum->scale)
			sum->scale = scale;
	}
	sum->mant += mant;
	return sum->mant < PLAIN_BOUND && sum->mant > -PLAIN_BOUND;
}

/*
 * sum_dec() for plain numbers, in __int128: the same value at the same
 * scale as dec's exact arithmetic, which cannot fail on them.  false:
 * some value is not plain or the sum grows too large; let dec decide.
 */
static bool sum_plain(const struct map_rule *r, const struct x12_set *set,
		      struct dec *sum)
{
	struct x12_tag_match lines = x12_tag_match_init(r->lines_tag);
	struct x12_tag_match allowances = x12_tag_match_init(r->allowances_tag);

	*sum = dec_from_i64(0);
	for (const struct x12_seg *seg = set->segs, *end = seg + set->nsegs;
	     seg < end; seg++) {
		int64_t q, p, a;
		unsigned sq, sp, sa;

		if (x12_seg_matches(seg, &lines)) {
			if (!plain_number(x12_seg_el(seg, 2), true, &q, &sq) ||
			    !plain_number(x12_seg_el(seg, 4), true, &p, &sp) ||
			    !plain_add(sum, (__int128)q * p, sq + sp))
				return false;
		} else if (r->allowances_tag[0] &&
			   x12_seg_matches(seg, &allowances)) {
			struct strview ind = x12_seg_el(seg, 1);
			struct strview amt = x12_seg_el(seg, 5);

			if (!amt.len)
				continue;
			if (!plain_number(amt, false, &a, &sa))
				return false;
			if (sv_eq_cstr(ind, "A"))
				a = -a;
			else if (!sv_eq_cstr(ind, "C"))
				continue; /* N: no charge; informational */
			if (!plain_add(sum, a, 2))
				return false;
		}
	}
	return true;
}

static void rule_total(const struct map *m, const struct map_rule *r,
		       const struct x12_set *set, const char *tolerance,
		       struct edi_diag *diag)
{
	const struct x12_seg *tds = NULL;
	struct dec sum, total, tol, diff;
	struct edi_error err;
	struct edi_loc loc;
	struct strview v;
	char a[DEC_TEXT_MAX], b[DEC_TEXT_MAX];
	bool found;

	v = map_exec_path(set, &set->root, &r->path, &found, &tds);
	if (!found)
		return;
	if (dec_parse_implied(v, implied_of(m, r->path.tag, r->path.element),
			      &total, &err))
		return; /* the element check reports a bad number */
	if (!sum_plain(r, set, &sum) && !sum_dec(r, set, &sum))
		return; /* reported as element errors */
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

/* The GTIN rule's qualifiers, packed by x12_tag_key() when all pack. */
struct qualifiers {
	const struct map_rule *r;
	uint32_t keys[8];
	unsigned char lens[8];
	bool packed;
};

static void qualifiers_init(struct qualifiers *qs, const struct map_rule *r)
{
	qs->r = r;
	qs->packed = r->nqualifiers <= 8;
	for (size_t i = 0; qs->packed && i < r->nqualifiers; i++) {
		qs->keys[i] = x12_tag_key(r->qualifiers[i]);
		qs->lens[i] = (unsigned char)strlen(r->qualifiers[i]);
		qs->packed = qs->keys[i] != 0;
	}
}

static bool qualifier_listed(const struct qualifiers *qs, struct strview q)
{
	const struct map_rule *r = qs->r;

	if (qs->packed) {
		/* a packed qualifier has 1 to 3 bytes, none of them NUL: the
		 * same key and length is the same text */
		uint32_t key = x12_tag_key_sv(q);
		size_t n = r->nqualifiers;

		if (!key)
			return false;
		for (size_t i = 0; i < n; i++)
			if (key == qs->keys[i])
				return q.len == qs->lens[i];
		return false;
	}
	for (size_t i = 0; i < r->nqualifiers; i++)
		if (eq_cstr(q, r->qualifiers[i]))
			return true;
	return false;
}

/*
 * The segments that carry item id qualifier/value pairs, and where (PO4
 * has none), by the first byte of the tag, which tells them apart: one
 * load and a compare per segment instead of a chain of them.
 */
static const struct item_pairs {
	uint32_t key;
	unsigned char from, to;
} item_pairs[256] = {
	['P'] = {KEY3('P', 'O', '1'), 6, 25},
	['I'] = {KEY3('I', 'T', '1'), 6, 25},
	['L'] = {KEY3('L', 'I', 'N'), 2, 31},
	['S'] = {KEY3('S', 'L', 'N'), 9, 28},
	['A'] = {KEY3('A', 'C', 'K'), 7, 28},
};

static void rule_gtin(const struct map_rule *r, const struct x12_set *set,
		      struct edi_diag *diag)
{
	struct qualifiers qs;

	qualifiers_init(&qs, r);
	for (const struct x12_seg *seg = set->segs, *end = seg + set->nsegs;
	     seg < end; seg++) {
		const struct item_pairs *ip = &item_pairs[seg->key & 0xff];
		unsigned from, to;

		if (seg->key != ip->key || !ip->from)
			continue;
		from = ip->from;
		/* past the last element every value is empty */
		to = ip->to < seg->nel ? ip->to : seg->nel;
		for (unsigned k = from; k + 1 <= to; k += 2) {
			struct strview q = seg->el[k], v = seg->el[k + 1];
			struct edi_loc loc;

			if (!v.len || !qualifier_listed(&qs, q) ||
			    map_gs1_gtin_ok(v))
				continue;
			loc = x12_seg_loc(seg, k + 1, 0);
			edi_diag_addf(diag, X12_CHECK_DIGIT, &loc,
				      "%.*s%02u '%.*s' (%.*s) is not "
				      "a GTIN with a valid check digit",
				      (int)seg->tag.len, seg->tag.ptr, k + 1,
				      (int)v.len, v.ptr, (int)q.len, q.ptr);
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
		struct x12_loop one;
		const struct x12_seg *at = NULL;
		struct edi_loc loc;
		struct strview v;
		bool found;

		if (!x12_seg_matches(seg, &tag))
			continue;
		one = (struct x12_loop){.first = i, .end = i + 1};
		v = map_exec_path(set, &one, &r->path, &found, &at);
		if (!found || (sscc ? map_gs1_sscc_ok(v) : map_gs1_gtin_ok(v)))
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
