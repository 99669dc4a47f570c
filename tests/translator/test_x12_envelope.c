/*
 * test_x12_envelope - every envelope rule, with its location and code.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "x12_envelope.h"
#include "x12_fixture.h"

#define GS    "GS*PO*SENDER*RECEIVER*20261127*0930*1*X*004010~"
#define SET   "ST*850*0001~BEG*00*SA*PO-1**20261120~SE*3*0001~"
#define SET_2 "ST*850*0002~BEG*00*SA*PO-2**20261120~SE*3*0002~"

/* An interchange with the standard ISA around body. */
static void build(struct buf *in, const char *body)
{
	buf_init(in, 1 << 20);
	fx_isa(in, &FX_STD);
	fx_body(in, &FX_STD, body);
}

struct rule_case {
	const char *name;
	const char *body; /* after the standard ISA */
	enum edi_code code;
	size_t segment; /* 1-based, 0: any */
	unsigned element;
	int ack;
};

static const struct rule_case rules[] = {
	{"SE01 count",
	 GS "ST*850*0001~BEG*00*SA*PO-1**20261120~SE*4*0001~"
	    "GE*1*1~IEA*1*000000001~",
	 X12_SE_COUNT, 5, 1, 4},
	{"SE01 not a number", GS "ST*850*0001~SE**0001~GE*1*1~IEA*1*000000001~",
	 X12_SE_COUNT, 4, 1, 4},
	{"SE02 control",
	 GS "ST*850*0001~BEG*00*SA*PO-1**20261120~SE*3*0002~"
	    "GE*1*1~IEA*1*000000001~",
	 X12_SE_CONTROL, 5, 2, 3},
	{"GE01 count", GS SET "GE*2*1~IEA*1*000000001~", X12_GE_COUNT, 6, 1, 5},
	{"GE02 control", GS SET "GE*1*2~IEA*1*000000001~", X12_GE_CONTROL, 6, 2,
	 4},
	{"IEA01 count", GS SET "GE*1*1~IEA*2*000000001~", X12_IEA_COUNT, 7, 1,
	 21},
	{"IEA02 control", GS SET "GE*1*1~IEA*1*000000002~",
	 X12_ISA_CONTROL_MISMATCH, 7, 2, 1},
	{"missing SE at GE",
	 GS "ST*850*0001~BEG*00*SA*PO-1**20261120~GE*1*1~"
	    "IEA*1*000000001~",
	 X12_SE_MISSING, 3, 0, 2},
	{"missing SE at ST",
	 GS "ST*850*0001~BEG*00*SA*PO-1**20261120~" SET
	    "GE*2*1~IEA*1*000000001~",
	 X12_SE_MISSING, 3, 0, 2},
	{"missing GE at IEA", GS SET "IEA*1*000000001~", X12_GE_MISSING, 2, 0,
	 3},
	{"missing GE at GS",
	 GS SET "GS*PO*SENDER*RECEIVER*20261127*0930*2*X*"
		"004010~" SET "GE*1*2~IEA*2*000000001~",
	 X12_GE_MISSING, 2, 0, 3},
	{"truncated: no SE", GS "ST*850*0001~BEG*00*SA*PO-1**20261120~",
	 X12_SE_MISSING, 3, 0, 2},
	{"truncated: no GE", GS SET, X12_GE_MISSING, 2, 0, 3},
	{"truncated: no IEA", GS SET "GE*1*1~", X12_PREMATURE_END, 1, 0, 23},
	{"ISA before IEA",
	 GS SET "GE*1*1~ISA*00*          *00*          *ZZ*"
		"SENDER         *ZZ*RECEIVER       *261127*0930"
		"*U*00401*000000002*0*P*>~IEA*0*000000002~",
	 X12_STRUCTURE, 1, 0, 22},
	{"IEA without ISA", GS SET "GE*1*1~IEA*1*000000001~IEA*1*000000001~",
	 X12_TRAILING, 0, 0, 0},
	{"ST outside a group", "ST*850*0001~SE*2*0001~IEA*0*000000001~",
	 X12_CONTENT, 2, 0, 24},
	{"SE without ST", GS "SE*1*0001~GE*0*1~IEA*1*000000001~", X12_CONTENT,
	 3, 0, 24},
	{"GE without GS", "GE*0*1~IEA*0*000000001~", X12_CONTENT, 2, 0, 24},
	{"segment outside a set", GS "BEG*00*SA*PO-1~GE*0*1~IEA*1*000000001~",
	 X12_CONTENT, 3, 0, 24},
	{"GS01 and ST01 disagree",
	 "GS*IN*SENDER*RECEIVER*20261127*0930*1*X*004010~" SET
	 "GE*1*1~IEA*1*000000001~",
	 X12_ST01, 3, 1, 6},
	{"ST01 not a set id", GS "ST*85*0001~SE*2*0001~GE*1*1~IEA*1*000000001~",
	 X12_ST01, 3, 1, 6},
	{"ST02 too short", GS "ST*850*001~SE*2*001~GE*1*1~IEA*1*000000001~",
	 X12_ST02, 3, 2, 7},
	{"ST02 twice", GS SET SET "GE*2*1~IEA*1*000000001~", X12_ST_DUPLICATE,
	 6, 2, 23},
	{"GS06 twice", GS SET "GE*1*1~" GS SET "GE*1*1~IEA*2*000000001~",
	 X12_GS_DUPLICATE, 7, 6, 19},
	{"GS06 not numeric",
	 "GS*PO*SENDER*RECEIVER*20261127*0930*A1*X*004010~GE*0*A1~"
	 "IEA*1*000000001~",
	 X12_GS06, 2, 6, 6},
	{"GS04 date",
	 "GS*PO*SENDER*RECEIVER*20261327*0930*1*X*004010~GE*0*1~"
	 "IEA*1*000000001~",
	 X12_GS_FIELD, 2, 4, 24},
	{"GS05 time",
	 "GS*PO*SENDER*RECEIVER*20261127*2561*1*X*004010~GE*0*1~"
	 "IEA*1*000000001~",
	 X12_GS_FIELD, 2, 5, 24},
	{"GS07 agency",
	 "GS*PO*SENDER*RECEIVER*20261127*0930*1*Q*004010~"
	 "GE*0*1~IEA*1*000000001~",
	 X12_GS_FIELD, 2, 7, 24},
	{"GS08 version",
	 "GS*PO*SENDER*RECEIVER*20261127*0930*1*X*4010~"
	 "GE*0*1~IEA*1*000000001~",
	 X12_GS08, 2, 8, 2},
	{"GS too short", "GS*PO*SENDER~GE*0*1~IEA*1*000000001~", X12_GS_FIELD,
	 2, 0, 24},
	{"bad segment tag",
	 GS "ST*850*0001~b@d*1~SE*3*0001~GE*1*1~"
	    "IEA*1*000000001~",
	 X12_SEG_TAG, 4, 0, 1},
};

START_TEST(test_envelope_rule)
{
	const struct rule_case *c = &rules[_i];
	struct buf in;
	struct edi_diag d;
	const struct edi_error *e;

	build(&in, c->body);
	fx_diag(buf_view(&in), &d);
	e = fx_find(&d, c->code, c->segment, c->element);
	ck_assert_msg(e != NULL, "%s: no %s at segment %zu element %u", c->name,
		      edi_code_name(c->code), c->segment, c->element);
	ck_assert_int_eq(edi_code_ack(e->code), c->ack);
	ck_assert_uint_ne(e->loc.offset, EDI_NO_OFFSET);
	ck_assert_msg(e->msg[0] != '\0', "%s: empty message", c->name);
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

START_TEST(test_valid_interchange_has_no_errors)
{
	struct buf in;
	struct edi_diag d;

	build(&in, GS SET SET_2 "GE*2*1~IEA*1*000000001~");
	fx_diag(buf_view(&in), &d);
	ck_assert_uint_eq(d.nerrors + d.nwarnings, 0);
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

/* ISA fields: replace one element of a valid ISA, expect its code. */
static const struct {
	unsigned element;
	const char *value;
	enum edi_code code;
	int ta105;
} isa_fields[] = {
	{1, "07", X12_ISA01, 10},	  {3, "02", X12_ISA03, 12},
	{5, "QQ", X12_ISA05, 5},	  {6, "               ", X12_ISA06, 6},
	{7, "Q1", X12_ISA07, 7},	  {8, "               ", X12_ISA08, 8},
	{9, "261332", X12_ISA09, 14},	  {10, "2460", X12_ISA10, 15},
	{11, "X", X12_ISA_STANDARD, 16},  {12, "0040A", X12_ISA12, 17},
	{13, "00000000A", X12_ISA13, 18}, {14, "2", X12_ISA14, 19},
	{15, "Q", X12_ISA15, 20},
};

START_TEST(test_isa_field)
{
	char isa[128] = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*"
			"RECEIVER       *261127*0930*U*00401*000000001*0*P*>~";
	char *fields[17], *p = isa;
	struct buf in;
	struct edi_diag d;
	const struct edi_error *e;
	char rebuilt[160] = "ISA";
	unsigned k = 0;

	/* split at '*' (the test's own copy; no X12 reader involved) */
	isa[strlen(isa) - 1] = '\0';
	while ((p = strchr(p, '*')) != NULL && k < 16) {
		*p++ = '\0';
		fields[++k] = p;
	}
	fields[isa_fields[_i].element] = (char *)isa_fields[_i].value;
	for (unsigned i = 1; i <= 16; i++) {
		strncat(rebuilt, "*", sizeof(rebuilt) - strlen(rebuilt) - 1);
		strncat(rebuilt, fields[i],
			sizeof(rebuilt) - strlen(rebuilt) - 1);
	}
	buf_init(&in, 4096);
	buf_adds(&in, rebuilt);
	buf_adds(&in, "~IEA*0*000000001~");
	fx_diag(buf_view(&in), &d);
	e = fx_find(&d, isa_fields[_i].code, 1, isa_fields[_i].element);
	ck_assert_msg(e != NULL, "ISA%02u '%s': no %s", isa_fields[_i].element,
		      isa_fields[_i].value, edi_code_name(isa_fields[_i].code));
	ck_assert_int_eq(edi_code_ack(e->code), isa_fields[_i].ta105);
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

START_TEST(test_isa11_repetition_warning)
{
	struct buf in;
	struct edi_diag d;
	struct fx_delims v5 = FX_STD;

	v5.version = "00501";
	buf_init(&in, 4096);
	fx_isa(&in, &v5);
	buf_adds(&in, "IEA*0*000000001~");
	fx_diag(buf_view(&in), &d);
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_ptr_nonnull(fx_find(&d, X12_REPETITION_SEP, 1, 11));
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

START_TEST(test_reading_goes_on_after_errors)
{
	struct buf in;
	struct edi_diag d;

	/* three bad sets, then a good one; every error is found */
	build(&in, GS "ST*850*0001~SE*9*0001~ST*850*0002~SE*2*0003~"
		      "ST*850*0004~SE*9*0004~ST*850*0005~SE*2*0005~"
		      "GE*4*1~IEA*1*000000001~");
	fx_diag(buf_view(&in), &d);
	ck_assert_uint_eq(d.nerrors, 3);
	ck_assert_ptr_nonnull(fx_find(&d, X12_SE_COUNT, 4, 1));
	ck_assert_ptr_nonnull(fx_find(&d, X12_SE_CONTROL, 6, 2));
	ck_assert_ptr_nonnull(fx_find(&d, X12_SE_COUNT, 8, 1));
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

START_TEST(test_error_limit_counts_the_rest)
{
	struct buf in;
	struct x12_limits limits;
	struct x12_reader r;
	struct x12_envelope env;
	struct edi_diag d;
	struct edi_error err;

	buf_init(&in, 1 << 20);
	fx_isa(&in, &FX_STD);
	fx_body(&in, &FX_STD, GS);
	for (int i = 0; i < 500; i++)
		fx_body(&in, &FX_STD, "ST*850*0001~SE*9*0001~");
	fx_body(&in, &FX_STD, "GE*500*1~IEA*1*000000001~");
	x12_limits_default(&limits);
	limits.max_errors = 10;
	edi_diag_init(&d, limits.max_errors);
	x12_reader_init_mem(&r, buf_view(&in), &limits, &d);
	x12_envelope_init(&env, &limits, &d);
	ck_assert_int_eq(x12_envelope_check(&r, &env, &err), EDI_OK);
	ck_assert_uint_eq(d.n, 10);
	/* 500 bad counts, 499 duplicate ST02 */
	ck_assert_uint_eq(d.nerrors, 999);
	ck_assert_uint_eq(edi_diag_dropped(&d), 989);
	ck_assert_uint_eq(env.sum.nsets, 500);
	x12_envelope_release(&env);
	x12_reader_release(&r);
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

START_TEST(test_control_numbers_tracked_as_runs)
{
	struct buf in;
	struct x12_limits limits;
	struct x12_reader r;
	struct x12_envelope env;
	struct edi_diag d;
	struct edi_error err;
	char set[64];

	buf_init(&in, 1 << 22);
	fx_isa(&in, &FX_STD);
	fx_body(&in, &FX_STD, GS);
	for (int i = 1; i <= 20000; i++) {
		snprintf(set, sizeof(set), "ST*850*%05d~SE*2*%05d~", i, i);
		fx_body(&in, &FX_STD, set);
	}
	fx_body(&in, &FX_STD, "ST*850*00017~SE*2*00017~");
	fx_body(&in, &FX_STD, "GE*20001*1~IEA*1*000000001~");
	x12_limits_default(&limits);
	edi_diag_init(&d, 10);
	x12_reader_init_mem(&r, buf_view(&in), &limits, &d);
	x12_envelope_init(&env, &limits, &d);
	ck_assert_int_eq(x12_envelope_check(&r, &env, &err), EDI_OK);
	/* sequential numbers make one run; the repeat is still caught */
	ck_assert_uint_eq(env.sets_seen.n, 1);
	ck_assert_uint_eq(d.nerrors, 1);
	ck_assert_ptr_nonnull(fx_find(&d, X12_ST_DUPLICATE, 0, 2));
	x12_envelope_release(&env);
	x12_reader_release(&r);
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

START_TEST(test_events_for_a_set)
{
	struct buf in;
	struct x12_limits limits;
	struct x12_reader r;
	struct x12_envelope env;
	struct x12_segment seg;
	struct edi_diag d;
	struct edi_error err;
	unsigned ev, all = 0;
	int ends = 0;

	build(&in, GS SET "ST*850*0002~SE*9*0002~GE*2*1~IEA*1*000000001~");
	x12_limits_default(&limits);
	edi_diag_init(&d, 10);
	x12_reader_init_mem(&r, buf_view(&in), &limits, &d);
	x12_envelope_init(&env, &limits, &d);
	while (x12_reader_next(&r, &seg, &err) == X12_NEXT_SEGMENT) {
		ev = x12_envelope_feed(&env, &seg);
		all |= ev;
		if (ev & X12_EV_SET_END) {
			ends++;
			ck_assert(env.set.closed);
			ck_assert_uint_eq(env.set.nerrors, ends == 1 ? 0 : 1);
		}
	}
	ck_assert_int_eq(ends, 2);
	ck_assert_uint_eq(all, X12_EV_ISA_BEGIN | X12_EV_ISA_END |
				       X12_EV_GROUP_BEGIN | X12_EV_GROUP_END |
				       X12_EV_SET_BEGIN | X12_EV_SET_END);
	ck_assert_str_eq(env.isa.sender, "SENDER");
	ck_assert_str_eq(env.isa.control, "000000001");
	ck_assert_str_eq(env.group.version, "004010");
	x12_envelope_release(&env);
	x12_reader_release(&r);
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

Suite *x12_envelope_suite(void)
{
	Suite *s = suite_create("x12_envelope");
	TCase *tc = tcase_create("rules");

	tcase_add_loop_test(tc, test_envelope_rule, 0,
			    sizeof(rules) / sizeof(rules[0]));
	tcase_add_test(tc, test_valid_interchange_has_no_errors);
	tcase_add_loop_test(tc, test_isa_field, 0,
			    sizeof(isa_fields) / sizeof(isa_fields[0]));
	tcase_add_test(tc, test_isa11_repetition_warning);
	tcase_add_test(tc, test_reading_goes_on_after_errors);
	tcase_add_test(tc, test_error_limit_counts_the_rest);
	tcase_add_test(tc, test_control_numbers_tracked_as_runs);
	tcase_add_test(tc, test_events_for_a_set);
	suite_add_tcase(s, tc);
	return s;
}
