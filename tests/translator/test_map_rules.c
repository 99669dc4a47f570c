/*
 * test_map_rules - the balancing and partner rules of a map (map_rules):
 * CTT01 line counts, TDS01 totals with SAC allowances and charges,
 * rounding and tolerance (from the map and from struct map_rule_opts),
 * GTIN and SSCC-18 check digits, `require` rules, and each rule's off
 * switch.  Each failure is checked for its code, its location and its
 * 997 code.  The map is a small 810 written here; each test adds the
 * rules it needs.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "map_guide.h"
#include "map_load.h"
#include "map_rules.h"
#include "suites.h"
#include "x12_set.h"

#define BASE_OFFSET 1000
#define FIRST_INDEX 3

static const struct x12_delims delims = {
	.element = '*', .component = '>', .repetition = '^', .terminator = '~'};

static const char map_head[] =
	"map: t-810\n"
	"document: \"810\"\n"
	"segments:\n"
	"  IT1:\n"
	"    elements: [O AN 1/20, X R 1/10, X ID 2/2, X R 1/17, O ID 2/2,\n"
	"               X ID 2/2, X AN 1/48, X ID 2/2, X AN 1/48]\n"
	"    syntax: [P0607, P0809]\n"
	"  TDS: [M N2 1/15]\n"
	"  SAC: [M ID 1/1, X ID 4/4, O AN 2/10, O AN 1/35, O N2 1/15]\n"
	"  CTT: [M N0 1/6]\n"
	"  MAN: [M ID 1/2, M AN 1/48]\n"
	"  REF: [M ID 2/3, X AN 1/30]\n"
	"guide:\n"
	"  - ST M 1\n"
	"  - BIG O 1\n"
	"  - REF O >1\n"
	"  - loop IT1 O 1000:\n"
	"      - IT1 M 1\n"
	"  - TDS O 1\n"
	"  - SAC O 25\n"
	"  - MAN O 10\n"
	"  - loop CTT O 1:\n"
	"      - CTT M 1\n"
	"  - SE M 1\n"
	"rules:\n";

static const char lines_rule[] = "  - lines: CTT01 counts IT1\n";
static const char total_rule[] = "  - total: TDS01\n"
				 "    lines: IT1\n"
				 "    allowances: SAC\n";
static const char total_tol_rule[] = "  - total: TDS01\n"
				     "    lines: IT1\n"
				     "    tolerance: \"0.01\"\n";
static const char gtin_rule[] = "  - check-digit: gtin\n"
				"    qualifiers: [UP, EN, UK]\n";
static const char gtin_path_rule[] = "  - check-digit: gtin\n"
				     "    path: IT107 where IT106 = UP\n";
static const char sscc_rule[] = "  - check-digit: sscc\n"
				"    path: MAN02 where MAN01 = GM\n";
static const char require_rule[] =
	"  - require: REF02 where REF01 = DP\n"
	"    message: department number is required\n";
static const char require_plain_rule[] =
	"  - require: REF02 where REF01 = DP\n";

/* --- helpers --- */

struct run {
	struct map_set maps;
	const struct map *m;
	struct arena arena;
	struct x12_limits limits;
	struct x12_set set;
	struct edi_diag guide, diag;
	char text[1024];
};

/*
 * Load the map with rules, split "ST ... SE" around body, place it (the
 * guide must find nothing) and run the rules with opts into r->diag.
 */
static void run_rules(struct run *r, const char *rules, const char *body,
		      const struct map_rule_opts *opts)
{
	static const struct map_rule_opts none;
	char yaml[4096];
	struct edi_diag errs;
	struct edi_error err;

	memset(r, 0, sizeof(*r));
	snprintf(yaml, sizeof(yaml), "%s%s", map_head, rules);
	map_set_init(&r->maps);
	edi_diag_init(&errs, 20);
	map_load_text(&r->maps, "r.yaml", sv_cstr(yaml), &errs);
	map_set_resolve(&r->maps, &errs);
	ck_assert_msg(errs.n == 0, "map: %s", errs.n ? errs.items[0].msg : "");
	edi_diag_release(&errs);
	r->m = map_set_find(&r->maps, "t-810");
	ck_assert_ptr_nonnull(r->m);
	arena_init(&r->arena, 0);
	x12_limits_default(&r->limits);
	edi_diag_init(&r->guide, 100);
	edi_diag_init(&r->diag, 100);
	snprintf(r->text, sizeof(r->text), "ST*810*0001~%sSE*9*0001~", body);
	ck_assert_int_eq(x12_set_split(&r->set, &r->arena, sv_cstr(r->text),
				       &delims, BASE_OFFSET, FIRST_INDEX,
				       &r->limits, &r->guide, &err),
			 EDI_OK);
	map_guide_apply(r->m, &r->set, &r->guide);
	ck_assert_msg(r->guide.n == 0, "guide: %s",
		      r->guide.n ? r->guide.items[0].msg : "");
	map_rules_check(r->m, &r->set, opts ? opts : &none, &r->diag);
}

static void run_done(struct run *r)
{
	edi_diag_release(&r->guide);
	edi_diag_release(&r->diag);
	arena_release(&r->arena);
	map_set_release(&r->maps);
}

static void assert_clean(const struct run *r)
{
	ck_assert_msg(r->diag.n == 0, "%zu diagnostics, first: %s", r->diag.n,
		      r->diag.n ? r->diag.items[0].msg : "");
}

static size_t offset_of(const struct run *r, const char *needle)
{
	const char *p = strstr(r->text, needle);

	ck_assert_ptr_nonnull(p);
	return BASE_OFFSET + (size_t)(p - r->text);
}

/*
 * r has exactly one diagnostic: code at level with 997 code ack, at
 * segment number seg, element el, tag; returns it.
 */
static const struct edi_error *expect_one(const struct run *r,
					  enum edi_code code,
					  enum edi_level level, int ack,
					  size_t seg, unsigned el,
					  const char *tag)
{
	const struct edi_error *e;

	ck_assert_msg(r->diag.n == 1, "want one diagnostic, got %zu: %s",
		      r->diag.n, r->diag.n ? r->diag.items[0].msg : "");
	e = &r->diag.items[0];
	ck_assert_msg(e->code == code, "want %s, got %s (%s)",
		      edi_code_name(code), edi_code_name(e->code), e->msg);
	ck_assert_int_eq(edi_code_level(e->code), level);
	ck_assert_int_eq(edi_code_ack(e->code), ack);
	ck_assert_uint_eq(e->loc.segment, seg);
	ck_assert_uint_eq(e->loc.element, el);
	ck_assert_str_eq(e->loc.tag, tag);
	return e;
}

/* --- lines --- */

START_TEST(test_lines_right)
{
	struct run r;

	run_rules(&r, lines_rule, "IT1*1*2*EA*5~IT1*2*1*EA*3~CTT*2~", NULL);
	assert_clean(&r);
	run_done(&r);
}
END_TEST

START_TEST(test_lines_wrong)
{
	struct run r;
	const struct edi_error *e;

	/* 0 ST, 1 IT1, 2 IT1, 3 CTT */
	run_rules(&r, lines_rule, "IT1*1*2*EA*5~IT1*2*1*EA*3~CTT*3~", NULL);
	e = expect_one(&r, X12_BALANCE, EDI_LEVEL_AK5, 5, FIRST_INDEX + 3, 1,
		       "CTT");
	ck_assert_uint_eq(e->loc.set_position, 4);
	ck_assert_uint_eq(e->loc.offset, offset_of(&r, "3~SE"));
	ck_assert_str_eq(e->msg, "CTT01 says 3, the set has 2 IT1 segments");
	run_done(&r);
}
END_TEST

/* --- total --- */

static const struct {
	const char *what, *body;
	bool ok;
} totals[] = {
	{"lines only", "IT1*1*2*EA*5.00~IT1*2*3*EA*1.5~TDS*1450~", true},
	{"lines only, wrong", "IT1*1*2*EA*5.00~IT1*2*3*EA*1.5~TDS*1451~",
	 false},
	{"allowance A subtracts", "IT1*1*2*EA*5~TDS*900~SAC*A*C310***100~",
	 true},
	{"charge C adds", "IT1*1*2*EA*5~TDS*1250~SAC*C*D240***250~", true},
	{"allowance is not added", "IT1*1*2*EA*5~TDS*1100~SAC*A*C310***100~",
	 false},
	{"allowance and charge",
	 "IT1*1*2*EA*5~TDS*1150~SAC*A*C310***100~SAC*C*D240***250~", true},
	{"N (no charge) is ignored", "IT1*1*2*EA*5~TDS*1000~SAC*N*C310***999~",
	 true},
	{"N (no charge) is not subtracted",
	 "IT1*1*2*EA*5~TDS*1~SAC*N*C310***999~", false},
	{"SAC without an amount", "IT1*1*2*EA*5~TDS*1000~SAC*A*C310~", true},
	{"sum rounded down", "IT1*1*3*EA*3.333~TDS*1000~", true},
	{"sum rounded half up", "IT1*1*3*EA*3.335~TDS*1001~", true},
	{"sum not truncated", "IT1*1*3*EA*3.335~TDS*1000~", false},
};

START_TEST(test_total)
{
	struct run r;
	const struct edi_error *e;

	run_rules(&r, total_rule, totals[_i].body, NULL);
	if (totals[_i].ok) {
		ck_assert_msg(r.diag.n == 0, "%s: %s", totals[_i].what,
			      r.diag.n ? r.diag.items[0].msg : "");
	} else {
		/* 0 ST, 1.. IT1, then TDS */
		size_t tds = 0;

		for (size_t i = 0; i < r.set.nsegs; i++)
			if (sv_eq_cstr(r.set.segs[i].tag, "TDS"))
				tds = r.set.segs[i].index;
		e = expect_one(&r, X12_BALANCE, EDI_LEVEL_AK5, 5, tds, 1,
			       "TDS");
		ck_assert_uint_eq(e->loc.offset, offset_of(&r, "TDS*") + 4);
		ck_assert_msg(strstr(e->msg, "TDS01 total"), "%s", e->msg);
	}
	run_done(&r);
}
END_TEST

START_TEST(test_total_message)
{
	struct run r;
	const struct edi_error *e;

	run_rules(&r, total_rule, "IT1*1*2*EA*5~TDS*1100~SAC*A*C310***100~",
		  NULL);
	e = expect_one(&r, X12_BALANCE, EDI_LEVEL_AK5, 5, FIRST_INDEX + 2, 1,
		       "TDS");
	ck_assert_str_eq(e->msg, "TDS01 total 11 differs from the lines with "
				 "allowances and charges: 9 (tolerance 0)");
	run_done(&r);
}
END_TEST

static const struct {
	const char *tds, *opts_tolerance;
	bool ok;
} tolerances[] = {
	{"TDS*1001~", NULL, true},    /* 0.01 off, map tolerance 0.01 */
	{"TDS*999~", NULL, true},     /* either way */
	{"TDS*1002~", NULL, false},   /* 0.02 off */
	{"TDS*1002~", "0.05", true},  /* the partner's tolerance wins */
	{"TDS*1005~", "0.05", true},  /* at the limit */
	{"TDS*1006~", "0.05", false}, /* past it */
	{"TDS*1001~", "0", false},    /* tighter than the map's */
};

START_TEST(test_total_tolerance)
{
	char body[128];
	struct map_rule_opts opts = {.tolerance =
					     tolerances[_i].opts_tolerance};
	struct run r;
	const struct edi_error *e;

	snprintf(body, sizeof(body), "IT1*1*2*EA*5~%s", tolerances[_i].tds);
	run_rules(&r, total_tol_rule, body, &opts);
	if (tolerances[_i].ok) {
		assert_clean(&r);
	} else {
		char want[64];

		e = expect_one(&r, X12_BALANCE, EDI_LEVEL_AK5, 5,
			       FIRST_INDEX + 2, 1, "TDS");
		snprintf(want, sizeof(want), "(tolerance %s)",
			 tolerances[_i].opts_tolerance
				 ? tolerances[_i].opts_tolerance
				 : "0.01");
		ck_assert_msg(strstr(e->msg, want), "%s", e->msg);
	}
	run_done(&r);
}
END_TEST

/* --- the off switches --- */

static const struct {
	const char *rules, *body;
	struct map_rule_opts off;
} switches[] = {
	{lines_rule, "IT1*1*2*EA*5~CTT*7~", {.off_lines = true}},
	{total_rule, "IT1*1*2*EA*5~TDS*9999~", {.off_total = true}},
	{gtin_rule, "IT1*1*1*EA*1**UP*012345678904~", {.off_gtin = true}},
	{sscc_rule, "MAN*GM*006141411234567891~", {.off_sscc = true}},
	{require_rule, "IT1*1*2*EA*5~", {.off_require = true}},
};

START_TEST(test_rule_switched_off)
{
	struct run r;
	struct map_rule_opts on = {0};

	/* on, the rule fails */
	run_rules(&r, switches[_i].rules, switches[_i].body, &on);
	ck_assert_uint_eq(r.diag.n, 1);
	run_done(&r);
	/* off, it says nothing */
	run_rules(&r, switches[_i].rules, switches[_i].body, &switches[_i].off);
	assert_clean(&r);
	run_done(&r);
}
END_TEST

START_TEST(test_other_switches_leave_a_rule_on)
{
	struct map_rule_opts opts = {.off_total = true,
				     .off_gtin = true,
				     .off_sscc = true,
				     .off_require = true};
	struct run r;

	run_rules(&r, lines_rule, "IT1*1*2*EA*5~CTT*7~", &opts);
	ck_assert_uint_eq(r.diag.n, 1);
	ck_assert_int_eq(r.diag.items[0].code, X12_BALANCE);
	run_done(&r);
}
END_TEST

/* --- check digits --- */

static const struct {
	const char *qual, *value;
	bool ok;
} gtins[] = {
	{"UP", "012345678905", true},	 /* GTIN-12 (UPC-A) */
	{"UP", "012345678904", false},	 /* wrong check digit */
	{"EN", "4006381333931", true},	 /* GTIN-13 (EAN) */
	{"EN", "4006381333932", false},	 /* */
	{"UK", "10012345678902", true},	 /* GTIN-14 */
	{"UK", "10012345678903", false}, /* */
	{"UP", "01234567890A", false},	 /* not digits */
	{"UP", "12345", false},		 /* no GTIN length */
	{"VP", "012345678904", true},	 /* not a listed qualifier */
	{"BP", "ABC", true},		 /* buyer's part: anything */
};

START_TEST(test_gtin_in_first_pair)
{
	char body[128];
	struct run r;
	const struct edi_error *e;

	snprintf(body, sizeof(body), "IT1*1*1*EA*1**%s*%s~", gtins[_i].qual,
		 gtins[_i].value);
	run_rules(&r, gtin_rule, body, NULL);
	if (gtins[_i].ok) {
		assert_clean(&r);
	} else {
		e = expect_one(&r, X12_CHECK_DIGIT, EDI_LEVEL_AK4, 7,
			       FIRST_INDEX + 1, 7, "IT1");
		ck_assert_uint_eq(e->loc.offset,
				  offset_of(&r, gtins[_i].value));
	}
	run_done(&r);
}
END_TEST

START_TEST(test_gtin_in_second_pair)
{
	struct run r;
	const struct edi_error *e;

	run_rules(&r, gtin_rule,
		  "IT1*1*1*EA*1**VP*X-1*EN*4006381333932~"
		  "IT1*2*1*EA*1**EN*4006381333931*UP*012345678905~",
		  NULL);
	e = expect_one(&r, X12_CHECK_DIGIT, EDI_LEVEL_AK4, 7, FIRST_INDEX + 1,
		       9, "IT1");
	ck_assert_uint_eq(e->loc.offset, offset_of(&r, "4006381333932"));
	run_done(&r);
}
END_TEST

START_TEST(test_gtin_by_path)
{
	struct run r;
	const struct edi_error *e;

	/* a gtin rule may name the element instead of qualifiers */
	run_rules(&r, gtin_path_rule,
		  "IT1*1*1*EA*1**UP*012345678905~IT1*2*1*EA*1**VP*X~"
		  "IT1*3*1*EA*1**UP*012345678904~",
		  NULL);
	e = expect_one(&r, X12_CHECK_DIGIT, EDI_LEVEL_AK4, 7, FIRST_INDEX + 3,
		       7, "IT1");
	ck_assert_uint_eq(e->loc.offset, offset_of(&r, "012345678904"));
	ck_assert_str_eq(e->msg, "IT107 '012345678904' is not a GTIN with a "
				 "valid check digit");
	run_done(&r);
}
END_TEST

static const struct {
	const char *man;
	bool ok;
} ssccs[] = {
	{"MAN*GM*006141411234567890~", true},	/* SSCC-18 */
	{"MAN*GM*006141411234567891~", false},	/* wrong check digit */
	{"MAN*GM*00006141411234567890~", true}, /* with AI 00 */
	{"MAN*GM*0061414112345678~", false},	/* too short */
	{"MAN*CP*006141411234567891~", true},	/* another qualifier */
};

START_TEST(test_sscc)
{
	struct run r;
	const struct edi_error *e;

	run_rules(&r, sscc_rule, ssccs[_i].man, NULL);
	if (ssccs[_i].ok) {
		assert_clean(&r);
	} else {
		e = expect_one(&r, X12_CHECK_DIGIT, EDI_LEVEL_AK4, 7,
			       FIRST_INDEX + 1, 2, "MAN");
		ck_assert_uint_eq(e->loc.offset, offset_of(&r, "GM*") + 3);
	}
	run_done(&r);
}
END_TEST

START_TEST(test_sscc_each_man)
{
	struct run r;

	/* only the bad one of several, with its own segment number */
	run_rules(&r, sscc_rule,
		  "MAN*GM*006141411234567890~MAN*CP*1~"
		  "MAN*GM*006141411234567891~",
		  NULL);
	expect_one(&r, X12_CHECK_DIGIT, EDI_LEVEL_AK4, 7, FIRST_INDEX + 3, 2,
		   "MAN");
	run_done(&r);
}
END_TEST

/* --- require --- */

START_TEST(test_require_present)
{
	struct run r;

	run_rules(&r, require_rule, "REF*IA*1~REF*DP*038~", NULL);
	assert_clean(&r);
	run_done(&r);
}
END_TEST

START_TEST(test_require_absent)
{
	struct run r;
	const struct edi_error *e;

	/* a REF, but not with DP */
	run_rules(&r, require_rule, "REF*IA*1~IT1*1*2*EA*5~", NULL);
	e = expect_one(&r, X12_RULE, EDI_LEVEL_AK5, 5, FIRST_INDEX, 2, "REF");
	ck_assert_uint_eq(e->loc.set_position, 1);
	ck_assert_str_eq(e->msg, "department number is required (rule at "
				 "r.yaml:26)");
	run_done(&r);
}
END_TEST

START_TEST(test_require_absent_default_message)
{
	struct run r;
	const struct edi_error *e;

	run_rules(&r, require_plain_rule, "IT1*1*2*EA*5~", NULL);
	e = expect_one(&r, X12_RULE, EDI_LEVEL_AK5, 5, FIRST_INDEX, 2, "REF");
	ck_assert_str_eq(e->msg, "REF02 where REF01 = DP is required (rule "
				 "at r.yaml:26)");
	run_done(&r);
}
END_TEST

Suite *map_rules_suite(void)
{
	Suite *s = suite_create("map_rules");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_lines_right);
	tcase_add_test(tc, test_lines_wrong);
	tcase_add_loop_test(tc, test_total, 0,
			    (int)(sizeof(totals) / sizeof(totals[0])));
	tcase_add_test(tc, test_total_message);
	tcase_add_loop_test(tc, test_total_tolerance, 0,
			    (int)(sizeof(tolerances) / sizeof(tolerances[0])));
	tcase_add_loop_test(tc, test_rule_switched_off, 0,
			    (int)(sizeof(switches) / sizeof(switches[0])));
	tcase_add_test(tc, test_other_switches_leave_a_rule_on);
	tcase_add_loop_test(tc, test_gtin_in_first_pair, 0,
			    (int)(sizeof(gtins) / sizeof(gtins[0])));
	tcase_add_test(tc, test_gtin_in_second_pair);
	tcase_add_test(tc, test_gtin_by_path);
	tcase_add_loop_test(tc, test_sscc, 0,
			    (int)(sizeof(ssccs) / sizeof(ssccs[0])));
	tcase_add_test(tc, test_sscc_each_man);
	tcase_add_test(tc, test_require_present);
	tcase_add_test(tc, test_require_absent);
	tcase_add_test(tc, test_require_absent_default_message);
	suite_add_tcase(s, tc);
	return s;
}
