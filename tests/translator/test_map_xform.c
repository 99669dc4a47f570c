/*
 * test_map_xform - the map language's value transforms and GS1 check
 * digits.
 */
#include <check.h>
#include <string.h>

#include "map_xform.h"
#include "suites.h"

#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/*
 * Each test that needs one has its own arena, a; S() gives a result as a
 * C string (the views are not NUL-terminated).
 */
#define S(v) arena_svdup(&a, (v))

static const struct {
	const char *in, *out;
} dates_ok[] = {
	{"20261120", "2026-11-20"}, {"261120", "2026-11-20"},
	{"491231", "2049-12-31"},   {"500101", "1950-01-01"},
	{"991231", "1999-12-31"},   {"000229", "2000-02-29"},
	{"960229", "1996-02-29"},   {"20240229", "2024-02-29"},
	{"20000229", "2000-02-29"}, {" 20261120 ", "2026-11-20"},
};

START_TEST(test_date_valid)
{
	struct arena a;
	struct strview out;
	struct edi_error err;

	arena_init(&a, 0);
	ck_assert_msg(map_xform_date(&a, sv_cstr(dates_ok[_i].in), &out,
				     &err) == EDI_OK,
		      "'%s': %s", dates_ok[_i].in, err.msg);
	ck_assert_str_eq(S(out), dates_ok[_i].out);
	arena_release(&a);
}
END_TEST

static const struct {
	const char *in, *msg;
} dates_bad[] = {
	{"20261332", "'20261332' is not a date CCYYMMDD"},
	{"20261100", "'20261100' is not a date CCYYMMDD"},
	{"20230229", "'20230229' is not a date CCYYMMDD"},
	{"19000229", "'19000229' is not a date CCYYMMDD"},
	{"20260431", "'20260431' is not a date CCYYMMDD"},
	{"261332", "'261332' is not a date YYMMDD"},
	{"500229", "'500229' is not a date YYMMDD"},
	{"2026112", "'2026112' is not a date CCYYMMDD or YYMMDD"},
	{"2026-11-20", "'2026-11-20' is not a date CCYYMMDD or YYMMDD"},
	{"2026112A", "'2026112A' is not a date CCYYMMDD or YYMMDD"},
	{"", "'' is not a date CCYYMMDD or YYMMDD"},
};

START_TEST(test_date_invalid)
{
	struct arena a;
	struct strview out = SV_LIT("unchanged");
	struct edi_error err;

	arena_init(&a, 0);
	ck_assert_int_eq(
		map_xform_date(&a, sv_cstr(dates_bad[_i].in), &out, &err),
		EDI_EDATA);
	ck_assert_str_eq(err.msg, dates_bad[_i].msg);
	ck_assert_str_eq(S(out), "unchanged");
	arena_release(&a);
}
END_TEST

static const struct {
	const char *in, *pattern, *out; /* out NULL: an error */
} patterns[] = {
	{"11/20/2026", "MM/DD/YYYY", "2026-11-20"},
	{"20.11.2026", "DD.MM.YYYY", "2026-11-20"},
	{"20261120", "YYYYMMDD", "2026-11-20"},
	{"20261120", "CCYYMMDD", "2026-11-20"},
	{"2026-11-20", "YYYY-MM-DD", "2026-11-20"},
	{"1/5/2026", "M/D/YYYY", "2026-01-05"},
	{"12/25/2026", "M/D/YYYY", "2026-12-25"},
	{"01/05/2026", "M/D/YYYY", "2026-01-05"},
	{"11/20/26", "MM/DD/YY", "2026-11-20"},
	{"11/20/75", "MM/DD/YY", "1975-11-20"},
	{" 2/29/2024 ", "M/D/YYYY", "2024-02-29"},
	{"13/01/2026", "MM/DD/YYYY", NULL},
	{"1/5/2026", "MM/DD/YYYY", NULL},
	{"2026-11-20", "MM/DD/YYYY", NULL},
	{"11/20/2026x", "MM/DD/YYYY", NULL},
	{"11/20/202", "MM/DD/YYYY", NULL},
	{"11-20-2026", "MM/DD/YYYY", NULL},
	{"02/30/2026", "MM/DD/YYYY", NULL},
	{"123/5/2026", "M/D/YYYY", NULL},
	{"2/29/2023", "M/D/YYYY", NULL},
	{"", "YYYY-MM-DD", NULL},
};

START_TEST(test_date_pattern)
{
	struct arena a;
	struct strview out;
	struct edi_error err;
	enum edi_code rc;

	arena_init(&a, 0);
	rc = map_xform_date_pattern(&a, sv_cstr(patterns[_i].in),
				    patterns[_i].pattern, &out, &err);
	if (!patterns[_i].out) {
		ck_assert_msg(rc == EDI_EDATA, "'%s' as %s: accepted",
			      patterns[_i].in, patterns[_i].pattern);
		goto done;
	}
	ck_assert_msg(rc == EDI_OK, "%s", err.msg);
	ck_assert_str_eq(S(out), patterns[_i].out);
done:
	arena_release(&a);
}
END_TEST

START_TEST(test_date_pattern_message)
{
	struct arena a;
	struct strview out;
	struct edi_error err;

	arena_init(&a, 0);
	map_xform_date_pattern(&a, sv_cstr("13/01/2026"), "MM/DD/YYYY", &out,
			       &err);
	ck_assert_str_eq(err.msg, "'13/01/2026' is not a date MM/DD/YYYY");
	arena_release(&a);
}
END_TEST

static const char *const bad_patterns[] = {
	"MM/DD", "YYYY-MM-DD-DD", "Y/M/D", "", "YYYY-MM", "YYYY YY MM DD",
};

START_TEST(test_pattern_check_refuses)
{
	struct edi_error err;

	ck_assert_msg(map_xform_pattern_check(bad_patterns[_i], &err) ==
			      EDI_ECONFIG,
		      "'%s' accepted", bad_patterns[_i]);
}
END_TEST

START_TEST(test_pattern_check_message)
{
	struct edi_error err;

	ck_assert_int_eq(map_xform_pattern_check("MM/DD", &err), EDI_ECONFIG);
	ck_assert_str_eq(err.msg, "date pattern 'MM/DD' needs one year (YYYY "
				  "or YY), one month (MM or M) and one day "
				  "(DD or D)");
	ck_assert_int_eq(map_xform_pattern_check("M/D/YYYY", &err), EDI_OK);
}
END_TEST

static const struct {
	const char *in, *out; /* out NULL: an error */
} times[] = {
	{"0930", "09:30"},
	{"093015", "09:30:15"},
	{"0930159", "09:30:15"},
	{"09301599", "09:30:15"},
	{"2359", "23:59"},
	{"0000", "00:00"},
	{" 1200 ", "12:00"},
	{"2400", NULL},
	{"0960", NULL},
	{"093060", NULL},
	{"093", NULL},
	{"09:30", NULL},
	{"093015999", NULL},
	{"09301", NULL},
	{"", NULL},
	{"0a30", NULL},
};

START_TEST(test_time)
{
	struct arena a;
	struct strview out;
	struct edi_error err;
	enum edi_code rc;

	arena_init(&a, 0);
	rc = map_xform_time(&a, sv_cstr(times[_i].in), &out, &err);
	if (!times[_i].out) {
		ck_assert_msg(rc == EDI_EDATA, "'%s' accepted", times[_i].in);
		goto done;
	}
	ck_assert_msg(rc == EDI_OK, "%s", err.msg);
	ck_assert_str_eq(S(out), times[_i].out);
done:
	arena_release(&a);
}
END_TEST

START_TEST(test_time_message)
{
	struct arena a;
	struct strview out;
	struct edi_error err;

	arena_init(&a, 0);
	map_xform_time(&a, sv_cstr("2400"), &out, &err);
	ck_assert_str_eq(err.msg,
			 "'2400' is not a time HHMM, HHMMSS or HHMMSSd..");
	arena_release(&a);
}
END_TEST

static const struct {
	const char *in, *out; /* out NULL: an error */
} decimals[] = {
	{"0012.50", "12.5"}, {"-0", "0"},    {".5", "0.5"},	  {"5.", "5"},
	{"3.5", "3.5"},	     {" 12 ", "12"}, {"-1.230", "-1.23"}, {"1e3", NULL},
	{"abc", NULL},	     {"", NULL},
};

START_TEST(test_decimal)
{
	struct arena a;
	struct strview out;
	struct edi_error err;
	enum edi_code rc;

	arena_init(&a, 0);
	rc = map_xform_decimal(&a, sv_cstr(decimals[_i].in), &out, &err);
	if (!decimals[_i].out) {
		ck_assert_msg(rc == EDI_EDATA, "'%s' accepted",
			      decimals[_i].in);
		goto done;
	}
	ck_assert_msg(rc == EDI_OK, "%s", err.msg);
	ck_assert_str_eq(S(out), decimals[_i].out);
done:
	arena_release(&a);
}
END_TEST

START_TEST(test_decimal_keeps_canonical_input_in_place)
{
	struct arena a;
	struct strview in = sv_cstr("3.5"), out;
	struct edi_error err;
	size_t used;

	arena_init(&a, 0);
	used = a.used_total;
	ck_assert_int_eq(map_xform_decimal(&a, in, &out, &err), EDI_OK);
	ck_assert_ptr_eq(out.ptr, in.ptr);
	ck_assert_uint_eq(out.len, 3);
	ck_assert_uint_eq(a.used_total, used);
	arena_release(&a);
}
END_TEST

START_TEST(test_decimal_message)
{
	struct arena a;
	struct strview out;
	struct edi_error err;

	arena_init(&a, 0);
	map_xform_decimal(&a, sv_cstr("1e3"), &out, &err);
	ck_assert_str_eq(err.msg, "'1e3' is not a decimal number");
	arena_release(&a);
}
END_TEST

static const struct {
	const char *in;
	unsigned places;
	const char *out; /* NULL: an error */
} implieds[] = {
	{"12600", 2, "126"},   {"-500", 2, "-5"}, {"1", 2, "0.01"},
	{"12650", 2, "126.5"}, {"150", 0, "150"}, {"126.00", 2, NULL},
	{"", 2, NULL},
};

START_TEST(test_implied)
{
	struct arena a;
	struct strview out;
	struct edi_error err;
	enum edi_code rc;

	arena_init(&a, 0);
	rc = map_xform_implied(&a, sv_cstr(implieds[_i].in),
			       implieds[_i].places, &out, &err);
	if (!implieds[_i].out) {
		ck_assert_msg(rc == EDI_EDATA, "'%s' accepted",
			      implieds[_i].in);
		goto done;
	}
	ck_assert_msg(rc == EDI_OK, "%s", err.msg);
	ck_assert_str_eq(S(out), implieds[_i].out);
done:
	arena_release(&a);
}
END_TEST

static const struct {
	const char *in, *out; /* out NULL: an error */
	enum edi_code code;
} integers[] = {
	{"0012", "12", EDI_OK},
	{"+5", "5", EDI_OK},
	{"-0", "0", EDI_OK},
	{"-000", "0", EDI_OK},
	{"-007", "-7", EDI_OK},
	{"-7", "-7", EDI_OK},
	{"0", "0", EDI_OK},
	{"000", "0", EDI_OK},
	{" 42 ", "42", EDI_OK},
	{"123456789012345", "123456789012345", EDI_OK},
	{"000000000000000000001", "1", EDI_OK},
	{"12.0", NULL, EDI_EDATA},
	{"", NULL, EDI_EDATA},
	{"-", NULL, EDI_EDATA},
	{"1 2", NULL, EDI_EDATA},
	{"abc", NULL, EDI_EDATA},
	{"--1", NULL, EDI_EDATA},
	{"1234567890123456", NULL, EDI_ELIMIT},
};

START_TEST(test_integer)
{
	struct arena a;
	struct strview out;
	struct edi_error err;
	enum edi_code rc;

	arena_init(&a, 0);
	rc = map_xform_integer(&a, sv_cstr(integers[_i].in), &out, &err);
	ck_assert_msg(rc == integers[_i].code, "'%s'", integers[_i].in);
	if (integers[_i].out)
		ck_assert_str_eq(S(out), integers[_i].out);
	arena_release(&a);
}
END_TEST

START_TEST(test_integer_message)
{
	struct arena a;
	struct strview out;
	struct edi_error err;

	arena_init(&a, 0);
	map_xform_integer(&a, sv_cstr("12.0"), &out, &err);
	ck_assert_str_eq(err.msg, "'12.0' is not an integer");
	arena_release(&a);
}
END_TEST

static const struct {
	const char *in, *out;
} trims[] = {
	{"  a b  ", "a b"}, {"\t\r\nx\n", "x"}, {"   ", ""},
	{"", ""},	    {"abc", "abc"},
};

START_TEST(test_trim)
{
	struct strview out = map_xform_trim(sv_cstr(trims[_i].in));

	ck_assert_uint_eq(out.len, strlen(trims[_i].out));
	ck_assert(!memcmp(out.ptr, trims[_i].out, out.len));
}
END_TEST

static const struct {
	const char *in, *out;
} uppers[] = {
	{"abc", "ABC"},
	{"AbC-1 z", "ABC-1 Z"},
	{"caf\xc3\xa9", "CAF\xc3\xa9"}, /* UTF-8 bytes kept as they are */
	{"", ""},
};

START_TEST(test_upper)
{
	struct arena a;

	arena_init(&a, 0);
	ck_assert_str_eq(S(map_xform_upper(&a, sv_cstr(uppers[_i].in))),
			 uppers[_i].out);
	arena_release(&a);
}
END_TEST

START_TEST(test_upper_does_not_copy_upper_case)
{
	struct arena a;
	struct strview in = sv_cstr("ACME DC 4");

	arena_init(&a, 0);
	ck_assert_ptr_eq(map_xform_upper(&a, in).ptr, in.ptr);
	arena_release(&a);
}
END_TEST

static const struct {
	const char *in;
	bool valid;
} gtins[] = {
	{"012345678905", true},	    /* UPC-A */
	{"4006381333931", true},    /* EAN-13 */
	{"96385074", true},	    /* EAN-8 */
	{"10012345678902", true},   /* GTIN-14 */
	{"00012345678905", true},   /* UPC-A padded to 14 */
	{"012345678904", false},    /* wrong check digit */
	{"4006381333932", false},   /* wrong check digit */
	{"1234567", false},	    /* 7 digits */
	{"0123456789013", false},   /* 13 digits, wrong check */
	{"123456789012345", false}, /* 15 digits */
	{"01234567890a", false},    {"", false},
};

START_TEST(test_gtin)
{
	ck_assert_msg(gtin_valid(sv_cstr(gtins[_i].in)) == gtins[_i].valid,
		      "'%s'", gtins[_i].in);
}
END_TEST

static const struct {
	const char *in;
	bool valid;
} ssccs[] = {
	{"106141411234567897", true},
	{"000123456789012343", true},
	{"376104250021234569", true},
	{"00106141411234567897", true}, /* with AI 00 */
	{"106141411234567898", false},
	{"10614141123456789", false},	 /* 17 digits */
	{"01106141411234567897", false}, /* 20 digits, not AI 00 */
	{"0010614141123456789", false},	 /* 19 digits */
	{"10614141123456789X", false},
	{"", false},
};

START_TEST(test_sscc)
{
	ck_assert_msg(sscc_valid(sv_cstr(ssccs[_i].in)) == ssccs[_i].valid,
		      "'%s'", ssccs[_i].in);
}
END_TEST

static const struct {
	const char *body;
	int digit;
} check_digits[] = {
	{"01234567890", 5},
	{"400638133393", 1},
	{"9638507", 4},
	{"1001234567890", 2},
	{"10614141123456789", 7},
	{"0", 0},
	{"", -1},
	{"12a", -1},
	{"123456789012345678", -1},
};

START_TEST(test_check_digit)
{
	ck_assert_int_eq(gs1_check_digit(sv_cstr(check_digits[_i].body)),
			 check_digits[_i].digit);
}
END_TEST

Suite *map_xform_suite(void)
{
	Suite *s = suite_create("map_xform");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_date_valid, 0, NELEMS(dates_ok));
	tcase_add_loop_test(tc, test_date_invalid, 0, NELEMS(dates_bad));
	tcase_add_loop_test(tc, test_date_pattern, 0, NELEMS(patterns));
	tcase_add_test(tc, test_date_pattern_message);
	tcase_add_loop_test(tc, test_pattern_check_refuses, 0,
			    NELEMS(bad_patterns));
	tcase_add_test(tc, test_pattern_check_message);
	tcase_add_loop_test(tc, test_time, 0, NELEMS(times));
	tcase_add_test(tc, test_time_message);
	tcase_add_loop_test(tc, test_decimal, 0, NELEMS(decimals));
	tcase_add_test(tc, test_decimal_keeps_canonical_input_in_place);
	tcase_add_test(tc, test_decimal_message);
	tcase_add_loop_test(tc, test_implied, 0, NELEMS(implieds));
	tcase_add_loop_test(tc, test_integer, 0, NELEMS(integers));
	tcase_add_test(tc, test_integer_message);
	tcase_add_loop_test(tc, test_trim, 0, NELEMS(trims));
	tcase_add_loop_test(tc, test_upper, 0, NELEMS(uppers));
	tcase_add_test(tc, test_upper_does_not_copy_upper_case);
	tcase_add_loop_test(tc, test_gtin, 0, NELEMS(gtins));
	tcase_add_loop_test(tc, test_sscc, 0, NELEMS(ssccs));
	tcase_add_loop_test(tc, test_check_digit, 0, NELEMS(check_digits));
	suite_add_tcase(s, tc);
	return s;
}
