/*
 * test_exec_fast - the record builder's fast ways give exactly what the
 * general code they skip would have given.
 *
 * The compiled plan (plain paths by tag key and element, decimals and
 * dates in their own lane, the last segment found kept per scope) is run
 * against the general plan, where every path is found and transformed
 * the long way, over the shipped maps and sets whose elements are
 * replaced with awkward values; both records must print the same JSON
 * and give the same diagnostics.  The text fast paths (a decimal kept as
 * it is, short numbers parsed in 64 bits, dates read two digits at a time)
 * are checked against the general code on every short string over an
 * alphabet of the interesting characters.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "dec.h"
#include "fileio.h"
#include "map_exec.h"
#include "map_exec_plan.h"
#include "map_guide.h"
#include "map_load.h"
#include "map_xform.h"
#include "rec_json.h"
#include "suites.h"
#include "x12_fixture.h"
#include "x12_set.h"

/* Every string of length len over alpha, in turn, into s; false at the
 * end.  idx holds the digits of a counter in base strlen(alpha). */
static bool next_string(const char *alpha, size_t len, size_t *idx, char *s)
{
	size_t n = strlen(alpha), i;

	for (i = 0; i < len; i++) {
		if (++idx[i] < n)
			break;
		idx[i] = 0;
	}
	for (size_t k = 0; k < len; k++)
		s[k] = alpha[idx[k]];
	s[len] = '\0';
	return i < len;
}

/* Call check(s) for every string up to max_len over alpha. */
static void each_string(const char *alpha, size_t max_len,
			void (*check)(const char *s))
{
	size_t idx[12];
	char s[13];

	for (size_t len = 0; len <= max_len; len++) {
		memset(idx, 0, sizeof(idx));
		for (size_t k = 0; k < len; k++)
			s[k] = alpha[0];
		s[len] = '\0';
		do
			check(s);
		while (next_string(alpha, len, idx, s));
	}
}

/* --- decimals kept as they are --- */

static void check_kept(const char *s)
{
	struct arena a;
	struct strview in = sv_cstr(s), out;
	struct edi_error err;
	struct dec d;
	char want[DEC_TEXT_MAX];

	if (!map_xform_decimal_kept(in))
		return;
	ck_assert_int_eq(dec_parse(in, &d, &err), EDI_OK);
	dec_format(d, want);
	ck_assert_str_eq(s, want);
	arena_init(&a, 0);
	ck_assert_int_eq(map_xform_decimal(&a, in, &out, &err), EDI_OK);
	ck_assert_ptr_eq(out.ptr, in.ptr);
	arena_release(&a);
}

START_TEST(test_decimal_kept_is_canonical)
{
	each_string("-0159.+ ", 6, check_kept);
	ck_assert(map_xform_decimal_kept(SV_LIT("12.5")));
	ck_assert(!map_xform_decimal_kept(SV_LIT("12.50")));
	ck_assert(!map_xform_decimal_kept(SV_LIT("012")));
}
END_TEST

/* --- short numbers: 64 bits against the 128-bit parse --- */

/* s with 20 zeros after its sign: the same number, too long for the
 * short way */
static void padded(const char *s, char *out)
{
	size_t o = 0;

	if (*s == '+' || *s == '-')
		out[o++] = *s++;
	memset(out + o, '0', 20);
	memcpy(out + o + 20, s, strlen(s) + 1);
}

static void check_parse(const char *s)
{
	char longer[64];
	struct dec a, b;
	struct edi_error err;
	enum edi_code ra, rb;

	if (!strpbrk(s, "0123456789"))
		return; /* zeros would make a number of it */
	padded(s, longer);
	ra = dec_parse(sv_cstr(s), &a, &err);
	rb = dec_parse(sv_cstr(longer), &b, &err);
	ck_assert_msg(ra == rb, "'%s': %d, '%s': %d", s, (int)ra, longer,
		      (int)rb);
	if (ra == EDI_OK)
		ck_assert_msg(a.mant == b.mant && a.scale == b.scale,
			      "'%s' and '%s' differ", s, longer);
	for (unsigned places = 0; places <= 36; places += 12) {
		ra = dec_parse_implied(sv_cstr(s), places, &a, &err);
		rb = dec_parse_implied(sv_cstr(longer), places, &b, &err);
		ck_assert_int_eq(ra, rb);
		if (ra == EDI_OK)
			ck_assert(a.mant == b.mant && a.scale == b.scale);
	}
}

START_TEST(test_parse_short_as_long)
{
	static const char *const more[] = {
		"999999999999999999",  "-99999999999999999.",
		"0.00000000000000001", "100000000000000000",
		"12345678.901234567",  "+000000000000000005",
	};

	each_string("-0159.+", 6, check_parse);
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		check_parse(more[i]);
}
END_TEST

/* --- dates --- */

static void check_date(const char *s)
{
	struct arena a;
	struct strview got, want, t = sv_cstr(s);
	struct edi_error err;
	size_t len;
	enum edi_code rg, rw;

	/* the length without the blanks date() drops */
	while (t.len && (t.ptr[0] == ' ' || t.ptr[0] == '\t')) {
		t.ptr++;
		t.len--;
	}
	while (t.len && (t.ptr[t.len - 1] == ' ' || t.ptr[t.len - 1] == '\t'))
		t.len--;
	len = t.len;

	arena_init(&a, 0);
	rg = map_xform_date(&a, sv_cstr(s), &got, &err);
	rw = map_xform_date_pattern(
		&a, sv_cstr(s), len == 6 ? "YYMMDD" : "YYYYMMDD", &want, &err);
	if (len == 6 || len == 8) {
		ck_assert_msg(rg == rw, "'%s': %d against %d", s, (int)rg,
			      (int)rw);
		if (rg == EDI_OK)
			ck_assert_msg(sv_eq(got, want), "'%s': '%.*s'", s,
				      (int)got.len, got.ptr);
	} else {
		ck_assert_int_ne(rg, EDI_OK);
	}
	arena_release(&a);
}

START_TEST(test_date_as_pattern)
{
	char s[16];

	for (unsigned y = 1896; y <= 2104; y += 4)
		for (unsigned m = 0; m <= 13; m++)
			for (unsigned d = 0; d <= 32; d++) {
				snprintf(s, sizeof(s), "%04u%02u%02u", y, m, d);
				check_date(s);
				snprintf(s, sizeof(s), "%02u%02u%02u", y % 100,
					 m, d);
				check_date(s);
				snprintf(s, sizeof(s), "%04u%02u%02u", y + 1, m,
					 d);
				check_date(s);
			}
	each_string("09/ ", 6, check_date);
	check_date("2024010x");
	check_date(" 20240102");
	check_date("20240102 ");
}
END_TEST

/* --- the compiled plan against the general one --- */

static const struct x12_delims delims = {
	.element = '*', .component = '>', .repetition = '^', .terminator = '~'};

/* what an element may become: numbers in every form, dates good and
 * bad, separators, blanks, codes in and out of the tables */
static const char *const pool[] = {
	"",
	"0",
	"48",
	"50.49",
	"61.00",
	"0012.50",
	".5",
	"5.",
	"-0",
	"-012.30",
	"+3",
	"1.2.3",
	"ABC",
	"20240102",
	"240229",
	"20230229",
	"20241301",
	"2024010",
	" 240102",
	"1230",
	"123045",
	"BY",
	"ST",
	"ZZ",
	"1>2",
	"A>B>C",
	"1^2",
	"X^Y>Z",
	"99999999999999999999999999999999999999",
	"EA",
	"UP",
	"VN",
	"G",
	"2",
	"S",
	"O",
	"P",
	"I",
	"GM",
	"12345678901234567890",
};

/* Every member name rendered ahead in v dropped: how many were. */
static size_t without_key_json(struct rec_value *v)
{
	size_t n = 0;

	for (struct rec_value *c = v->first; c; c = c->next) {
		if (c->key_json) {
			ck_assert_ptr_nonnull(c->key);
			n++;
		}
		c->key_json = NULL;
		if (c->kind == REC_OBJECT || c->kind == REC_ARRAY)
			n += without_key_json(c);
	}
	return n;
}

/* The record of text under m as JSON, then its diagnostics, into out. */
static void record_of(const struct map *m, const char *text, struct buf *out)
{
	struct map_source src = {.partner = "acme",
				 .version = "004010",
				 .sender_qual = "ZZ",
				 .sender = "ACME",
				 .receiver_qual = "ZZ",
				 .receiver = "SHOP",
				 .interchange = "000000001",
				 .group = "1"};
	struct x12_limits limits;
	struct arena a;
	struct x12_set set;
	struct edi_diag guide, diag;
	struct edi_error err;
	struct rec_value *rec;
	struct buf plain;

	x12_limits_default(&limits);
	arena_init(&a, 0);
	edi_diag_init(&guide, 1000);
	edi_diag_init(&diag, 1000);
	ck_assert_int_eq(x12_set_split(&set, &a, sv_cstr(text), &delims, 100, 3,
				       &limits, &guide, &err),
			 EDI_OK);
	map_guide_apply(m, &set, &guide);
	rec = map_exec(m, &set, &src, &a, &diag);
	buf_reset(out);
	ck_assert_int_eq(rec_json_write(out, rec), EDI_OK);
	/* the names rendered ahead are the names the writer renders */
	buf_init(&plain, 1 << 20);
	ck_assert_uint_gt(without_key_json(rec), 0);
	ck_assert_int_eq(rec_json_write(&plain, rec), EDI_OK);
	ck_assert_str_eq(buf_cstr(&plain), buf_cstr(out));
	buf_release(&plain);
	for (size_t i = 0; i < diag.n; i++)
		buf_addf(out, "\n%d %zu %u %u %s", (int)diag.items[i].code,
			 diag.items[i].loc.segment, diag.items[i].loc.element,
			 diag.items[i].loc.component, diag.items[i].msg);
	edi_diag_release(&guide);
	edi_diag_release(&diag);
	arena_release(&a);
}

START_TEST(test_plan_as_general)
{
	struct map_set maps;
	struct buf fast, slow;
	unsigned seed = 7, differed = 0, diagnosed = 0;
	static char text[8192];

	{
		static const char *const base[] = {"850", "855", "856", "810"};

		fx_load_maps(&maps, base, sizeof(base) / sizeof(base[0]));
	}
	buf_init(&fast, 1 << 20);
	buf_init(&slow, 1 << 20);
	for (size_t m = 0; m < maps.n; m++) {
		const struct map *map = maps.maps[m];
		struct arena scratch; /* the general plan's */
		struct map general = *map;
		const char *base = NULL;

		base = fx_sample_set(map->document);
		ck_assert_ptr_nonnull(base);
		ck_assert_ptr_nonnull(map->exec_plan);
		arena_init(&scratch, 0);
		general.exec_plan = map_exec_plan_general(map, &scratch);
		for (int k = 0; k < 400; k++) {
			if (k)
				fx_mutate(base, pool,
					  sizeof(pool) / sizeof(pool[0]), 4,
					  &seed, text, sizeof(text));
			else
				snprintf(text, sizeof(text), "%s", base);
			record_of(map, text, &fast);
			record_of(&general, text, &slow);
			ck_assert_msg(!strcmp(buf_cstr(&fast), buf_cstr(&slow)),
				      "%s\n%s\nwant\n%s", text, buf_cstr(&fast),
				      buf_cstr(&slow));
			differed += k && strcmp(text, base);
			diagnosed += strchr(buf_cstr(&fast), '\n') != NULL;
		}
		arena_release(&scratch);
	}
	ck_assert_uint_gt(differed, 1000);
	ck_assert_uint_gt(diagnosed, 100); /* bad values were met */
	buf_release(&fast);
	buf_release(&slow);
	map_set_release(&maps);
}
END_TEST

Suite *exec_fast_suite(void)
{
	Suite *s = suite_create("exec_fast");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_decimal_kept_is_canonical);
	tcase_add_test(tc, test_parse_short_as_long);
	tcase_add_test(tc, test_date_as_pattern);
	tcase_add_test(tc, test_plan_as_general);
	suite_add_tcase(s, tc);
	return s;
}
