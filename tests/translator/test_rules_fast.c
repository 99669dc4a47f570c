/*
 * test_rules_fast - the fast paths of the rules, the value transforms and
 * map selection against the general code they skip, on many inputs:
 * CCYYMMDD by one word against the general date reading, implied
 * decimals on the text against dec, map_set_select() from the summary
 * map_set_resolve() makes against the walk over every map, the plain sum
 * of a total rule against dec's arithmetic, and the GTIN qualifiers
 * compared by key and length against their text.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dec.h"
#include "fileio.h"
#include "map_guide.h"
#include "map_load.h"
#include "map_rules.h"
#include "map_xform.h"
#include "suites.h"
#include "x12_fixture.h"
#include "x12_set.h"

/* A small deterministic generator (the same cases on every run). */
static unsigned next_rand(unsigned *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 16 & 0x7fff;
}

/* --- dates --- */

/* in through the word fast path and, with a leading blank, through the
 * general way: the same result and the same text. */
static void date_same(const char *in)
{
	struct arena a;
	struct strview fast, slow;
	struct edi_error e1, e2;
	char padded[16];
	enum edi_code r1, r2;

	arena_init(&a, 0);
	snprintf(padded, sizeof(padded), " %s", in);
	r1 = map_xform_date(&a, sv_make(in, 8), &fast, &e1);
	r2 = map_xform_date(&a, sv_cstr(padded), &slow, &e2);
	ck_assert_msg(r1 == r2, "'%s': %d against %d", in, r1, r2);
	if (r1 == EDI_OK)
		ck_assert_msg(fast.len == slow.len &&
				      !memcmp(fast.ptr, slow.ptr, fast.len),
			      "'%s': '%.*s' against '%.*s'", in, (int)fast.len,
			      fast.ptr, (int)slow.len, slow.ptr);
	arena_release(&a);
}

START_TEST(test_date_word_every_day)
{
	static const unsigned years[] = {0,    1900, 1999, 2000, 2023,
					 2024, 2100, 2400, 9999, 1};
	char in[16];

	for (size_t y = 0; y < sizeof(years) / sizeof(years[0]); y++)
		for (unsigned m = 0; m <= 19; m++)
			for (unsigned d = 0; d <= 39; d++) {
				snprintf(in, sizeof(in), "%04u%02u%02u",
					 years[y], m, d);
				date_same(in);
			}
}
END_TEST

START_TEST(test_date_word_bytes)
{
	/* a valid date with one byte replaced by each byte value */
	static const char *const base[] = {"20240229", "20261120", "19991231"};
	char in[9];

	for (size_t b = 0; b < sizeof(base) / sizeof(base[0]); b++)
		for (size_t i = 0; i < 8; i++)
			for (unsigned c = 1; c < 256; c++) {
				memcpy(in, base[b], 9);
				in[i] = (char)c;
				date_same(in);
			}
}
END_TEST

/* --- implied decimals --- */

START_TEST(test_implied_as_dec)
{
	static const char *const signs[] = {"", "-", "+", " ", "--", "x"};
	unsigned st = 4242;

	for (int round = 0; round < 20000; round++) {
		char in[64], want[DEC_TEXT_MAX];
		size_t n = 0, nd = next_rand(&st) % 22;
		unsigned places = next_rand(&st) % 21;
		struct edi_error e1, e2;
		struct strview got;
		struct dec d;
		enum edi_code r1, r2;
		struct arena a;

		n = (size_t)snprintf(in, sizeof(in), "%s",
				     signs[next_rand(&st) % 6]);
		for (size_t i = 0; i < nd; i++) {
			unsigned r = next_rand(&st) % 12;

			/* zeros often, in front and behind */
			in[n++] = r < 3 ? '0' : r == 11 ? '.' : '0' + r - 2;
		}
		in[n] = '\0';
		if (round % 50 == 0)
			in[n / 2] = 'a';
		arena_init(&a, 0);
		r1 = map_xform_implied(&a, sv_cstr(in), places, &got, &e1);
		/* the transform drops the blank in front first */
		r2 = dec_parse_implied(sv_cstr(in + (in[0] == ' ')), places, &d,
				       &e2);
		ck_assert_msg(r1 == r2, "'%s' %u: %d against %d", in, places,
			      r1, r2);
		if (r1 == EDI_OK) {
			dec_format(d, want);
			ck_assert_msg(got.len == strlen(want) &&
					      !memcmp(got.ptr, want, got.len),
				      "'%s' %u: '%.*s', want '%s'", in, places,
				      (int)got.len, got.ptr, want);
		} else {
			ck_assert_str_eq(e1.msg, e2.msg);
		}
		arena_release(&a);
	}
}
END_TEST

/* --- map selection --- */

/* The shipped maps after two partner maps that extend x12-850 (and so
 * serve every version as it does, from deeper in the chain). */
static void load_maps(struct map_set *maps)
{
	static const char acme_dc[] = "map: acme-850-dc\n"
				      "extends: acme-850\n";
	static const char acme[] = "map: acme-850\n"
				   "extends: x12-850\n";
	struct edi_diag errs;
	struct edi_error err;

	map_set_init(maps);
	edi_diag_init(&errs, 50);
	map_load_text(maps, "dc.yaml", sv_cstr(acme_dc), &errs);
	map_load_text(maps, "acme.yaml", sv_cstr(acme), &errs);
	for (size_t i = 0; i < FX_NSHIPPED_MAPS; i++) {
		char path[FILEIO_PATH_MAX];
		struct buf text;

		snprintf(path, sizeof(path), "maps/x12/%s.yaml",
			 FX_SHIPPED_MAPS[i]);
		ck_assert_msg(fileio_read_all(path, 1 << 22, &text, &err) ==
				      EDI_OK,
			      "run from the source tree: %s", err.msg);
		map_load_text(maps, path, buf_view(&text), &errs);
		buf_release(&text);
	}
	map_set_resolve(maps, &errs);
	ck_assert_msg(errs.n == 0, "%s", errs.n ? errs.items[0].msg : "");
	edi_diag_release(&errs);
}

START_TEST(test_select_by_summary)
{
	static const char *const docs[] = {"850", "810", "855", "856",
					   "997", "999", "85",	"8500",
					   "",	  "ABC", "8",	"85\0"};
	static const size_t doc_lens[] = {3, 3, 3, 3, 3, 3, 2, 4, 0, 3, 1, 3};
	static const char *const versions[] = {
		"004010", "005010", "00401",	  "0040",    "003050",
		"",	  "*",	    "004010VICS", "005010X", "4010"};
	struct map_set maps, slow;
	const struct map *m;

	load_maps(&maps);
	ck_assert_ptr_nonnull(maps.picks);
	slow = maps;
	slow.picks = NULL; /* the walk over every map */
	for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++)
		for (size_t v = 0; v < sizeof(versions) / sizeof(versions[0]);
		     v++) {
			struct strview doc = sv_make(docs[d], doc_lens[d]);
			struct strview ver = sv_cstr(versions[v]);

			ck_assert_ptr_eq(map_set_select(&maps, doc, ver),
					 map_set_select(&slow, doc, ver));
		}
	/* the most general of the maps for "*" */
	m = map_set_select(&maps, SV_LIT("850"), SV_LIT("004010"));
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->id, "x12-850");
	map_set_release(&maps);
}
END_TEST

/* --- rules --- */

static const struct x12_delims delims = {
	.element = '*', .component = '>', .repetition = '^', .terminator = '~'};

static const char map_text[] =
	"map: t-810\n"
	"document: \"810\"\n"
	"segments:\n"
	"  IT1:\n"
	"    elements: [O AN 1/20, X R 1/20, X ID 2/2, X R 1/20, O ID 2/2,\n"
	"               X ID 1/3, X AN 1/48, X ID 1/3, X AN 1/48]\n"
	"  TDS: [M N2 1/20]\n"
	"  SAC: [M ID 1/1, X ID 4/4, O AN 2/10, O AN 1/35, O N2 1/20]\n"
	"guide:\n"
	"  - ST M 1\n"
	"  - loop IT1 O 1000:\n"
	"      - IT1 M 1\n"
	"  - TDS O 1\n"
	"  - SAC O 25\n"
	"  - SE M 1\n"
	"rules:\n"
	"  - total: TDS01\n"
	"    lines: IT1\n"
	"    allowances: SAC\n"
	"  - check-digit: gtin\n"
	"    qualifiers: [UP, U, EN, UPC]\n";

/* Run the rules of map_text over "ST ... SE" around body (NUL bytes and
 * all) into diag. */
static void run(struct strview body, struct edi_diag *diag)
{
	static const struct map_rule_opts none;
	struct map_set maps;
	struct edi_diag errs, guide;
	struct edi_error err;
	struct x12_limits limits;
	struct x12_set set;
	struct arena arena;
	const struct map *m;
	char text[8192];
	size_t len;

	map_set_init(&maps);
	edi_diag_init(&errs, 20);
	map_load_text(&maps, "r.yaml", sv_cstr(map_text), &errs);
	map_set_resolve(&maps, &errs);
	ck_assert_msg(errs.n == 0, "map: %s", errs.n ? errs.items[0].msg : "");
	edi_diag_release(&errs);
	m = map_set_find(&maps, "t-810");
	ck_assert_ptr_nonnull(m);
	arena_init(&arena, 0);
	x12_limits_default(&limits);
	edi_diag_init(&guide, 1000);
	ck_assert_uint_lt(body.len, sizeof(text) - 32);
	memcpy(text, "ST*810*0001~", 12);
	memcpy(text + 12, body.ptr, body.len);
	memcpy(text + 12 + body.len, "SE*9*0001~", 10);
	len = 22 + body.len;
	ck_assert_int_eq(x12_set_split(&set, &arena, sv_make(text, len),
				       &delims, 0, 1, &limits, &guide, &err),
			 EDI_OK);
	map_guide_apply(m, &set, &guide); /* bad numbers are not ours */
	map_rules_check(m, &set, &none, diag);
	edi_diag_release(&guide);
	arena_release(&arena);
	map_set_release(&maps);
}

/* A number as X12 might carry it: mostly plain, some not (a plus, too
 * many digits, two points, a lone point or minus, letters). */
static void number(unsigned *st, char *out, size_t size, bool point_ok)
{
	static const char *const odd[] = {"+5",	   "-",	    ".",   "5.", ".5",
					  "-.5",   "1.2.3", "12a", "",	 "-0",
					  "0.000", "00012", "1e3"};
	unsigned kind = next_rand(st) % 10;
	size_t n = 0;

	if (kind == 0) {
		snprintf(out, size, "%s", odd[next_rand(st) % 13]);
		return;
	}
	if (next_rand(st) % 5 == 0)
		out[n++] = '-';
	/* 1 to 18 digits: around the 15 of the plain sum */
	for (unsigned i = 0, nd = 1 + next_rand(st) % (kind < 3 ? 18 : 6);
	     i < nd && n + 2 < size; i++) {
		if (point_ok && i > 0 && next_rand(st) % 4 == 0 &&
		    !memchr(out, '.', n))
			out[n++] = '.';
		out[n++] = (char)('0' + next_rand(st) % 10);
	}
	out[n] = '\0';
}

/* The total rule's message the way dec works it out, or "" when the
 * rule says nothing. */
static void expected_total(const char (*qty)[32], const char (*price)[32],
			   size_t nlines, const char *allow, const char *ind,
			   const char *tds, char *out, size_t size)
{
	struct dec sum = dec_from_i64(0), q, p, x, total, diff;
	struct edi_error err;
	char a[DEC_TEXT_MAX], b[DEC_TEXT_MAX];

	out[0] = '\0';
	if (!*tds || dec_parse_implied(sv_cstr(tds), 2, &total, &err))
		return;
	for (size_t i = 0; i < nlines; i++)
		if (dec_parse(sv_cstr(qty[i]), &q, &err) ||
		    dec_parse(sv_cstr(price[i]), &p, &err) ||
		    dec_mul(q, p, &x, &err) || dec_add(sum, x, &sum, &err))
			return;
	if (*allow && (!strcmp(ind, "A") || !strcmp(ind, "C"))) {
		if (dec_parse_implied(sv_cstr(allow), 2, &x, &err))
			return;
		if (!strcmp(ind, "A"))
			x = dec_neg(x);
		if (dec_add(sum, x, &sum, &err))
			return;
	} else if (*allow && dec_parse_implied(sv_cstr(allow), 2, &x, &err)) {
		return;
	}
	sum = dec_round(sum, 2);
	if (dec_sub(total, sum, &diff, &err) == EDI_OK && dec_is_zero(diff))
		return;
	dec_format(total, a);
	dec_format(sum, b);
	snprintf(out, size,
		 "TDS01 total %s differs from the lines with allowances and "
		 "charges: %s (tolerance 0)",
		 a, b);
}

START_TEST(test_total_plain_as_dec)
{
	static const char *const inds[] = {"A", "C", "N"};
	unsigned st = 12345;

	for (int round = 0; round < 400; round++) {
		char qty[4][32], price[4][32], allow[32], tds[32];
		char body[2048], want[256];
		size_t nlines = 1 + next_rand(&st) % 4, n = 0;
		const char *ind = inds[next_rand(&st) % 3];
		struct edi_diag diag;

		for (size_t i = 0; i < nlines; i++) {
			number(&st, qty[i], sizeof(qty[i]), true);
			number(&st, price[i], sizeof(price[i]), true);
			n += (size_t)snprintf(body + n, sizeof(body) - n,
					      "IT1*%zu*%s*EA*%s~", i + 1,
					      qty[i], price[i]);
		}
		number(&st, allow, sizeof(allow), false);
		number(&st, tds, sizeof(tds), false);
		if (round % 7 == 0) /* no total: nothing to say */
			tds[0] = '\0';
		n += (size_t)snprintf(body + n, sizeof(body) - n, "TDS*%s~",
				      tds);
		snprintf(body + n, sizeof(body) - n, "SAC*%s*C310***%s~", ind,
			 allow);
		expected_total(qty, price, nlines, allow, ind, tds, want,
			       sizeof(want));
		edi_diag_init(&diag, 100);
		run(sv_cstr(body), &diag);
		if (*want) {
			ck_assert_msg(diag.n == 1, "%s: %zu diagnostics", body,
				      diag.n);
			ck_assert_str_eq(diag.items[0].msg, want);
		} else {
			ck_assert_msg(diag.n == 0, "%s: %s", body,
				      diag.n ? diag.items[0].msg : "");
		}
		edi_diag_release(&diag);
	}
}
END_TEST

START_TEST(test_gtin_qualifier_text)
{
	/* with NUL bytes: the same key as "UP", "U", but not the same text */
	static const struct strview quals[] = {
		SV_LIT("UP"),	SV_LIT("U"),  SV_LIT("EN"),  SV_LIT("UPC"),
		SV_LIT("UPCX"), SV_LIT("E"),  SV_LIT("ENX"), SV_LIT("up"),
		SV_LIT(""),	SV_LIT("UK"), SV_LIT("PU"),  SV_LIT("UPD"),
		SV_LIT("N"),	{"UP\0", 3},  {"U\0", 2},    {"\0", 1},
		{"U\0P", 3}};
	static const char *const listed[] = {"UP", "U", "EN", "UPC"};
	const size_t nq = sizeof(quals) / sizeof(quals[0]);

	for (size_t a = 0; a < nq; a++)
		for (size_t b = 0; b < nq; b++) {
			char body[256];
			struct edi_diag diag;
			size_t want = 0, n = 0;

			for (size_t i = 0; i < 4; i++)
				want += sv_eq_cstr(quals[a], listed[i]) +
					sv_eq_cstr(quals[b], listed[i]);
			/* 12345: not a GTIN, so a listed qualifier fails */
			memcpy(body + n, "IT1*1*1*EA*1**", 14);
			n += 14;
			memcpy(body + n, quals[a].ptr, quals[a].len);
			n += quals[a].len;
			memcpy(body + n, "*12345*", 7);
			n += 7;
			memcpy(body + n, quals[b].ptr, quals[b].len);
			n += quals[b].len;
			memcpy(body + n, "*12345~TDS*100~", 15);
			n += 15;
			edi_diag_init(&diag, 100);
			run(sv_make(body, n), &diag);
			ck_assert_msg(diag.n == want, "%zu %zu: %zu, want %zu",
				      a, b, diag.n, want);
			edi_diag_release(&diag);
		}
}
END_TEST

Suite *rules_fast_suite(void)
{
	Suite *s = suite_create("rules_fast");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_date_word_every_day);
	tcase_add_test(tc, test_date_word_bytes);
	tcase_add_test(tc, test_implied_as_dec);
	tcase_add_test(tc, test_select_by_summary);
	tcase_add_test(tc, test_total_plain_as_dec);
	tcase_add_test(tc, test_gtin_qualifier_text);
	suite_add_tcase(s, tc);
	return s;
}
