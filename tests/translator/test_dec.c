/*
 * test_dec - exact decimals: parsing, arithmetic, comparison, formatting.
 */
#include <check.h>

#include "dec.h"
#include "suites.h"

/* 36 digits: the most a dec holds */
#define NINES36 "999999999999999999999999999999999999"
#define ONE_E35 "100000000000000000000000000000000000"
#define TINY36	"0.000000000000000000000000000000000001"

static struct dec D(const char *s) {
	struct dec d;
	struct edi_error err;

	ck_assert_msg(dec_parse(sv_cstr(s), &d, &err) == EDI_OK, "parse '%s'",
		      s);
	return d;
}

static const char *
F(struct dec d, char *buf)
{
	dec_format(d, buf);
	return buf;
}

static const struct {
	const char *in;
	const char *canonical;
	unsigned scale;
} parse_ok[] = {
	{"-12.50", "-12.5", 2},
	{".5", "0.5", 1},
	{"5.", "5", 0},
	{"+3", "3", 0},
	{"0012", "12", 0},
	{"0", "0", 0},
	{"-0", "0", 0},
	{"-0.00", "0", 2},
	{"000.000", "0", 3},
	{"12.345", "12.345", 3},
	{"100", "100", 0},
	{"1.0", "1", 1},
	{"0.0001", "0.0001", 4},
	{"-.5", "-0.5", 1},
	{"+.5", "0.5", 1},
	{NINES36, NINES36, 0},
	{"-" NINES36, "-" NINES36, 0},
	{TINY36, TINY36, 36},
	{"0000000000000000000000000000000000000000000001", "1", 0},
	/* trailing zeros past the limits are dropped, exactly */
	{"1.000000000000000000000000000000000000000000", "1", 35},
	{"0.500000000000000000000000000000000000000000", "0.5", 36},
};

START_TEST(test_parse_valid)
{
	struct dec d;
	struct edi_error err;
	char buf[DEC_TEXT_MAX];

	ck_assert_msg(dec_parse(sv_cstr(parse_ok[_i].in), &d, &err) == EDI_OK,
		      "'%s': %s", parse_ok[_i].in, err.msg);
	ck_assert_str_eq(F(d, buf), parse_ok[_i].canonical);
	ck_assert_uint_eq(d.scale, parse_ok[_i].scale);
}
END_TEST

static const struct {
	const char *in;
	enum edi_code code;
} parse_bad[] = {
	{"", EDI_EDATA},
	{"-", EDI_EDATA},
	{"+", EDI_EDATA},
	{".", EDI_EDATA},
	{"-.", EDI_EDATA},
	{"1e5", EDI_EDATA},
	{"1E5", EDI_EDATA},
	{"1.5e-3", EDI_EDATA},
	{"1.2.3", EDI_EDATA},
	{" 1", EDI_EDATA},
	{"1 ", EDI_EDATA},
	{"1,5", EDI_EDATA},
	{"--1", EDI_EDATA},
	{"+-1", EDI_EDATA},
	{"0x10", EDI_EDATA},
	{"12a", EDI_EDATA},
	{"NaN", EDI_EDATA},
	{"inf", EDI_EDATA},
	{"1" NINES36, EDI_ELIMIT},
	{"0.0000000000000000000000000000000000001", EDI_ELIMIT},
	{"1.000000000000000000000000000000000001", EDI_ELIMIT},
};

START_TEST(test_parse_invalid)
{
	struct dec d;
	struct edi_error err;

	ck_assert_msg(dec_parse(sv_cstr(parse_bad[_i].in), &d, &err) ==
			      parse_bad[_i].code,
		      "'%s'", parse_bad[_i].in);
	ck_assert_int_eq(err.code, parse_bad[_i].code);
}
END_TEST

START_TEST(test_parse_messages_quote_the_input)
{
	struct dec d;
	struct edi_error err;

	dec_parse(sv_cstr("1e5"), &d, &err);
	ck_assert_str_eq(err.msg, "'1e5' is not a decimal number");
	dec_parse(sv_cstr("1" NINES36), &d, &err);
	ck_assert_str_eq(err.msg, "'1999999999999999999999999999999999999' "
				  "has more than 36 significant digits");
}
END_TEST

START_TEST(test_parse_reads_only_the_view)
{
	struct dec d;
	struct edi_error err;
	char buf[DEC_TEXT_MAX];

	/* "12.5" of "12.5x", not NUL-terminated */
	ck_assert_int_eq(dec_parse(sv_make("12.5x", 4), &d, &err), EDI_OK);
	ck_assert_str_eq(F(d, buf), "12.5");
}
END_TEST

static const struct {
	const char *in;
	unsigned places;
	const char *canonical; /* NULL: an error */
	enum edi_code code;
} implied[] = {
	{"12600", 2, "126", EDI_OK},	{"-12600", 2, "-126", EDI_OK},
	{"12650", 2, "126.5", EDI_OK},	{"5", 2, "0.05", EDI_OK},
	{"0", 2, "0", EDI_OK},		{"+150", 1, "15", EDI_OK},
	{"12345", 0, "12345", EDI_OK},	{"007", 3, "0.007", EDI_OK},
	{"126.00", 2, NULL, EDI_EDATA}, {"", 2, NULL, EDI_EDATA},
	{"-", 2, NULL, EDI_EDATA},	{"1e2", 2, NULL, EDI_EDATA},
	{"1", 37, NULL, EDI_ELIMIT},	{NINES36 "9", 2, NULL, EDI_ELIMIT},
};

START_TEST(test_parse_implied)
{
	struct dec d;
	struct edi_error err;
	char buf[DEC_TEXT_MAX];
	enum edi_code rc = dec_parse_implied(sv_cstr(implied[_i].in),
					     implied[_i].places, &d, &err);

	ck_assert_msg(rc == implied[_i].code, "'%s' N%u", implied[_i].in,
		      implied[_i].places);
	if (implied[_i].canonical) {
		ck_assert_str_eq(F(d, buf), implied[_i].canonical);
		ck_assert_uint_eq(d.scale, implied[_i].places);
	}
}
END_TEST

START_TEST(test_parse_implied_message)
{
	struct dec d;
	struct edi_error err;

	dec_parse_implied(sv_cstr("126.00"), 2, &d, &err);
	ck_assert_str_eq(err.msg,
			 "'126.00' is not a number with 2 implied decimals");
}
END_TEST

enum op { ADD, SUB, MUL };

static const struct {
	enum op op;
	const char *a, *b;
	const char *result; /* NULL: overflow */
	unsigned scale;
} arith[] = {
	{ADD, "1.5", "2.25", "3.75", 2},
	{ADD, "0.1", "0.2", "0.3", 1},
	{ADD, "-1", "1", "0", 0},
	{ADD, "-1.5", "0.25", "-1.25", 2},
	{ADD, NINES36, "-1", "999999999999999999999999999999999998", 0},
	{ADD, NINES36, "1", NULL, 0},
	{ADD, "-" NINES36, "-1", NULL, 0},
	{ADD, ONE_E35, "0.1", NULL, 0},
	{ADD, TINY36, NINES36, NULL, 0},
	{SUB, "5", "7.5", "-2.5", 1},
	{SUB, "-3", "-3", "0", 0},
	{SUB, "0", "0.01", "-0.01", 2},
	{SUB, ONE_E35, "0.1", "99999999999999999999999999999999999.9", 1},
	{SUB, "-" NINES36, "1", NULL, 0},
	{MUL, "1.5", "1.5", "2.25", 2},
	{MUL, "12", "3.50", "42", 2},
	{MUL, "-2", "3", "-6", 0},
	{MUL, "-2", "-3", "6", 0},
	{MUL, "0", "-5.5", "0", 1},
	{MUL, "0.001", "0.001", "0.000001", 6},
	{MUL, ONE_E35, "9", "900000000000000000000000000000000000", 0},
	{MUL, ONE_E35, "10", NULL, 0},
	{MUL, NINES36, NINES36, NULL, 0},
	/* scale 40 does not fit: trailing zeros go first */
	{MUL, "1.00000000000000000000", "2.00000000000000000000", "2", 35},
	{MUL, "0.000000000000000001", "0.0000000000000000001", NULL, 0},
};

START_TEST(test_arithmetic)
{
	struct dec a = D(arith[_i].a), b = D(arith[_i].b), r;
	struct edi_error err;
	char buf[DEC_TEXT_MAX];
	enum edi_code rc = EDI_OK;

	switch (arith[_i].op) {
	case ADD:
		rc = dec_add(a, b, &r, &err);
		break;
	case SUB:
		rc = dec_sub(a, b, &r, &err);
		break;
	case MUL:
		rc = dec_mul(a, b, &r, &err);
		break;
	}
	if (!arith[_i].result) {
		ck_assert_msg(rc == EDI_ELIMIT, "%s op%d %s: expected overflow",
			      arith[_i].a, arith[_i].op, arith[_i].b);
		return;
	}
	ck_assert_msg(rc == EDI_OK, "%s", err.msg);
	ck_assert_str_eq(F(r, buf), arith[_i].result);
	ck_assert_uint_eq(r.scale, arith[_i].scale);
}
END_TEST

START_TEST(test_overflow_message)
{
	struct dec r;
	struct edi_error err;

	ck_assert_int_eq(dec_add(D(NINES36), D("1"), &r, &err), EDI_ELIMIT);
	ck_assert_str_eq(err.msg, "decimal overflow: " NINES36
				  " + 1 does not fit 36 digits");
}
END_TEST

static const struct {
	const char *a, *b;
	int cmp;
} cmps[] = {
	{"1.5", "1.50", 0},	 {"1", "2", -1},
	{"-1", "-2", 1},	 {"-0", "0", 0},
	{"0.001", "0", 1},	 {"-5", "3", -1},
	{"2.5", "-3", 1},	 {NINES36, "0.1", 1},
	{"1", "0." NINES36, 1},	 {"-1", "-0." NINES36, -1},
	{"0." NINES36, "1", -1}, {TINY36, NINES36, -1},
};

START_TEST(test_compare)
{
	ck_assert_int_eq(dec_cmp(D(cmps[_i].a), D(cmps[_i].b)), cmps[_i].cmp);
	ck_assert_int_eq(dec_cmp(D(cmps[_i].b), D(cmps[_i].a)), -cmps[_i].cmp);
}
END_TEST

START_TEST(test_abs_neg_zero)
{
	char buf[DEC_TEXT_MAX];

	ck_assert_str_eq(F(dec_abs(D("-12.5")), buf), "12.5");
	ck_assert_str_eq(F(dec_abs(D("3")), buf), "3");
	ck_assert_str_eq(F(dec_neg(D("3")), buf), "-3");
	ck_assert_str_eq(F(dec_neg(D("-0.5")), buf), "0.5");
	ck_assert_str_eq(F(dec_neg(D("0")), buf), "0");
	ck_assert(dec_is_zero(D("-0.000")));
	ck_assert(!dec_is_zero(D("0.001")));
}
END_TEST

START_TEST(test_from_i64)
{
	char buf[DEC_TEXT_MAX];

	ck_assert_str_eq(F(dec_from_i64(INT64_MIN), buf),
			 "-9223372036854775808");
	ck_assert_str_eq(F(dec_from_i64(42), buf), "42");
}
END_TEST

static const struct {
	const char *in;
	unsigned places;
	const char *out;
} rounds[] = {
	{"2.345", 2, "2.35"}, {"-2.345", 2, "-2.35"}, {"2.344", 2, "2.34"},
	{"2.5", 0, "3"},      {"-0.4", 0, "0"},	      {"1.2", 3, "1.2"},
	{"0.005", 2, "0.01"}, {"9.995", 2, "10"},     {"0.0049", 2, "0"},
};

START_TEST(test_round_half_away_from_zero)
{
	char buf[DEC_TEXT_MAX];
	struct dec r = dec_round(D(rounds[_i].in), rounds[_i].places);

	ck_assert_str_eq(F(r, buf), rounds[_i].out);
}
END_TEST

START_TEST(test_normalize)
{
	struct dec d = dec_normalize(D("12.500"));

	ck_assert_uint_eq(d.scale, 1);
	ck_assert(d.mant == 125);
	d = dec_normalize(D("-0.00"));
	ck_assert_uint_eq(d.scale, 0);
	ck_assert(d.mant == 0);
	d = dec_normalize(D("1200"));
	ck_assert_uint_eq(d.scale, 0);
	ck_assert(d.mant == 1200);
}
END_TEST

static const struct {
	const char *in;
	unsigned places;
	const char *fixed, *implied; /* NULL: an error */
	enum edi_code code;
} fixed[] = {
	{"126", 2, "126.00", "12600", EDI_OK},
	{"0.5", 2, "0.50", "50", EDI_OK},
	{"0.05", 2, "0.05", "5", EDI_OK},
	{"-3.1", 3, "-3.100", "-3100", EDI_OK},
	{"-1.25", 2, "-1.25", "-125", EDI_OK},
	{"12.50", 1, "12.5", "125", EDI_OK},
	{"7", 0, "7", "7", EDI_OK},
	{"0", 2, "0.00", "0", EDI_OK},
	{"-0", 0, "0", "0", EDI_OK},
	{ONE_E35, 36, ONE_E35 ".000000000000000000000000000000000000",
	 ONE_E35 "000000000000000000000000000000000000", EDI_OK},
	{"12.345", 2, NULL, NULL, EDI_EDATA},
	{"1", 37, NULL, NULL, EDI_ELIMIT},
};

START_TEST(test_format_fixed)
{
	char buf[DEC_TEXT_MAX];
	size_t len = 0;
	struct edi_error err;
	enum edi_code rc = dec_format_fixed(D(fixed[_i].in), fixed[_i].places,
					    buf, &len, &err);

	ck_assert_int_eq(rc, fixed[_i].code);
	if (fixed[_i].fixed) {
		ck_assert_str_eq(buf, fixed[_i].fixed);
		ck_assert_uint_eq(len, strlen(fixed[_i].fixed));
	}
}
END_TEST

START_TEST(test_format_implied)
{
	char buf[DEC_TEXT_MAX];
	size_t len = 0;
	struct edi_error err;
	enum edi_code rc = dec_format_implied(D(fixed[_i].in), fixed[_i].places,
					      buf, &len, &err);

	ck_assert_int_eq(rc, fixed[_i].code);
	if (fixed[_i].implied) {
		ck_assert_str_eq(buf, fixed[_i].implied);
		ck_assert_uint_eq(len, strlen(fixed[_i].implied));
	}
}
END_TEST

START_TEST(test_format_fixed_refuses_to_round)
{
	char buf[DEC_TEXT_MAX];
	struct edi_error err;

	dec_format_fixed(D("12.345"), 2, buf, NULL, &err);
	ck_assert_str_eq(err.msg, "'12.345' has more than 2 decimal places");
}
END_TEST

#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *dec_suite(void)
{
	Suite *s = suite_create("dec");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_parse_valid, 0, NELEMS(parse_ok));
	tcase_add_loop_test(tc, test_parse_invalid, 0, NELEMS(parse_bad));
	tcase_add_test(tc, test_parse_messages_quote_the_input);
	tcase_add_test(tc, test_parse_reads_only_the_view);
	tcase_add_loop_test(tc, test_parse_implied, 0, NELEMS(implied));
	tcase_add_test(tc, test_parse_implied_message);
	tcase_add_loop_test(tc, test_arithmetic, 0, NELEMS(arith));
	tcase_add_test(tc, test_overflow_message);
	tcase_add_loop_test(tc, test_compare, 0, NELEMS(cmps));
	tcase_add_test(tc, test_abs_neg_zero);
	tcase_add_test(tc, test_from_i64);
	tcase_add_loop_test(tc, test_round_half_away_from_zero, 0,
			    NELEMS(rounds));
	tcase_add_test(tc, test_normalize);
	tcase_add_loop_test(tc, test_format_fixed, 0, NELEMS(fixed));
	tcase_add_loop_test(tc, test_format_implied, 0, NELEMS(fixed));
	tcase_add_test(tc, test_format_fixed_refuses_to_round);
	suite_add_tcase(s, tc);
	return s;
}
