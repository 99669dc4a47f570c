/*
 * test_x12_translate - the translation driver (x12_translate_run) seen
 * through its hooks: a set that fails validation is rejected and the next
 * one still accepted, group and interchange ends report whether their
 * envelope was sound, a set without a map and a set over limits.max_set
 * are rejected with their AK5 codes.  Input is built with the
 * x12_fixture helpers; the map is a small 850 written here.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "map_load.h"
#include "rec_json.h"
#include "suites.h"
#include "x12_fixture.h"
#include "x12_translate.h"

static const char map_850[] = "map: t-850\n"
			      "document: \"850\"\n"
			      "segments:\n"
			      "  BEG: [M ID 2/2, M ID 2/2, M AN 1/22, O AN "
			      "1/30, M DT 8/8]\n"
			      "guide:\n"
			      "  - ST M 1\n"
			      "  - BEG M 1\n"
			      "  - loop PO1 O 10:\n"
			      "      - PO1 M 1\n"
			      "  - SE M 1\n"
			      "record:\n"
			      "  doc_type: order\n"
			      "  doc_key: BEG03\n"
			      "  fields:\n"
			      "    number: BEG03\n";

#define GS "GS*PO*SENDER*RECEIVER*20261127*0930*1*X*004010~"
#define SET_OK(n) \
	"ST*850*000" n "~BEG*00*SA*PO-" n "**20261120~PO1*1~SE*4*000" n "~"

#define MAX_SEEN 8

/* What the hooks saw. */
struct seen {
	const struct map *map; /* what select_map hands out */
	size_t nrecords, nrejected, ngroups, ninterchanges;
	char records[MAX_SEEN][512]; /* JSON */
	struct {
		const char *stage;
		bool had_map;
		size_t nerrors;
		struct edi_error first;
	} rejected[MAX_SEEN];
	bool group_accepted[MAX_SEEN], interchange_accepted[MAX_SEEN];
	char order[64]; /* R record, X rejected, G group, I interchange */
};

static void note(struct seen *s, char c)
{
	size_t n = strlen(s->order);

	if (n + 1 < sizeof(s->order)) {
		s->order[n] = c;
		s->order[n + 1] = '\0';
	}
}

static const struct map *select_map(void *ctx, const struct x12_envelope *env,
				    struct strview document,
				    struct strview version,
				    const char **partner,
				    struct map_rule_opts *rules,
				    struct x12_veto *veto)
{
	struct seen *s = ctx;

	(void)env;
	(void)rules;
	(void)veto;
	ck_assert(sv_eq_cstr(version, "004010"));
	*partner = NULL;
	return sv_eq_cstr(document, "850") ? s->map : NULL;
}

static void on_record(void *ctx, const struct x12_set_result *r)
{
	struct seen *s = ctx;
	struct buf b;

	ck_assert_uint_lt(s->nrecords, MAX_SEEN);
	ck_assert_ptr_nonnull(r->record);
	buf_init(&b, 4096);
	ck_assert_int_eq(rec_json_write(&b, r->record), EDI_OK);
	snprintf(s->records[s->nrecords++], sizeof(s->records[0]), "%s",
		 buf_cstr(&b));
	buf_release(&b);
	note(s, 'R');
}

static void on_set_rejected(void *ctx, const struct x12_set_result *r)
{
	struct seen *s = ctx;
	size_t i = s->nrejected++;

	ck_assert_uint_lt(i, MAX_SEEN);
	ck_assert_ptr_null(r->record);
	ck_assert_uint_gt(r->errors->n, 0);
	s->rejected[i].stage = r->stage;
	s->rejected[i].had_map = r->map != NULL;
	s->rejected[i].nerrors = r->errors->n;
	s->rejected[i].first = r->errors->items[0];
	note(s, 'X');
}

static void on_group_end(void *ctx, const struct x12_envelope *env,
			 bool accepted)
{
	struct seen *s = ctx;

	(void)env;
	ck_assert_uint_lt(s->ngroups, MAX_SEEN);
	s->group_accepted[s->ngroups++] = accepted;
	note(s, 'G');
}

static void on_interchange_end(void *ctx, const struct x12_envelope *env,
			       bool accepted)
{
	struct seen *s = ctx;

	(void)env;
	ck_assert_uint_lt(s->ninterchanges, MAX_SEEN);
	s->interchange_accepted[s->ninterchanges++] = accepted;
	note(s, 'I');
}

struct run {
	struct map_set maps;
	struct x12_limits limits;
	struct edi_diag diag; /* the file's (envelope) diagnostics */
	struct x12_translate_stats stats;
	struct seen seen;
	struct buf in;
};

static void run_init(struct run *r, bool with_map)
{
	struct edi_diag errs;

	memset(r, 0, sizeof(*r));
	map_set_init(&r->maps);
	edi_diag_init(&errs, 20);
	map_load_text(&r->maps, "t.yaml", sv_cstr(map_850), &errs);
	map_set_resolve(&r->maps, &errs);
	ck_assert_msg(errs.n == 0, "map: %s", errs.n ? errs.items[0].msg : "");
	edi_diag_release(&errs);
	r->seen.map = with_map ? map_set_find(&r->maps, "t-850") : NULL;
	x12_limits_default(&r->limits);
	buf_init(&r->in, 1 << 20);
}

/* Translate ISA + body (segments after the ISA, '~' terminated). */
static void run_translate(struct run *r, const char *body)
{
	struct x12_translate_hooks hooks = {&r->seen,	  select_map,
					    on_record,	  on_set_rejected,
					    on_group_end, on_interchange_end};
	struct x12_translate_opts opts = {&r->limits, "in.x12", "corr-1",
					  false};
	struct fx_delims fd = FX_STD;
	struct x12_reader reader;
	struct edi_error err;

	fx_isa(&r->in, &fd);
	fx_body(&r->in, &fd, body);
	edi_diag_init(&r->diag, 100);
	x12_reader_init_mem(&reader, buf_view(&r->in), &r->limits, &r->diag);
	ck_assert_int_eq(x12_translate_run(&reader, &r->diag, &opts, &hooks,
					   &r->stats, &err),
			 EDI_OK);
	x12_reader_release(&reader);
}

static void run_done(struct run *r)
{
	buf_release(&r->in);
	edi_diag_release(&r->diag);
	map_set_release(&r->maps);
}

/* --- tests --- */

START_TEST(test_sound_interchange)
{
	struct run r;

	run_init(&r, true);
	run_translate(&r, GS SET_OK("1") "GE*1*1~IEA*1*000000001~");
	ck_assert_uint_eq(r.diag.nerrors, 0);
	ck_assert_uint_eq(r.stats.sets, 1);
	ck_assert_uint_eq(r.stats.accepted, 1);
	ck_assert_uint_eq(r.stats.rejected, 0);
	ck_assert_str_eq(r.seen.order, "RGI");
	ck_assert_msg(strstr(r.seen.records[0],
			     "\"id\":\"zz-sender.000000001.1.0001\","
			     "\"doc_key\":\"zz-sender:order:PO-1\","
			     "\"correlation_id\":\"corr-1\""),
		      "%s", r.seen.records[0]);
	ck_assert_msg(strstr(r.seen.records[0], "\"file\":\"in.x12\""), "%s",
		      r.seen.records[0]);
	ck_assert_msg(strstr(r.seen.records[0], "\"number\":\"PO-1\"}"), "%s",
		      r.seen.records[0]);
	ck_assert(r.seen.group_accepted[0]);
	ck_assert(r.seen.interchange_accepted[0]);
	run_done(&r);
}
END_TEST

START_TEST(test_invalid_set_rejected_next_accepted)
{
	struct run r;
	const struct edi_error *e;

	run_init(&r, true);
	/* 1 ISA, 2 GS, 3 ST, 4 BEG (BEG03 missing), 5 PO1, 6 SE */
	run_translate(&r, GS "ST*850*0001~BEG*00*SA***20261120~PO1*1~"
			     "SE*4*0001~" SET_OK("2") "GE*2*1~"
						      "IEA*1*000000001~");
	ck_assert_uint_eq(r.stats.sets, 2);
	ck_assert_uint_eq(r.stats.accepted, 1);
	ck_assert_uint_eq(r.stats.rejected, 1);
	ck_assert_str_eq(r.seen.order, "XRGI");
	ck_assert_str_eq(r.seen.rejected[0].stage, "validate");
	ck_assert(r.seen.rejected[0].had_map);
	ck_assert_uint_eq(r.seen.rejected[0].nerrors, 1);
	e = &r.seen.rejected[0].first;
	ck_assert_int_eq(e->code, X12_EL_MISSING);
	ck_assert_int_eq(edi_code_ack(e->code), 1);
	ck_assert_uint_eq(e->loc.segment, 4);
	ck_assert_uint_eq(e->loc.set_position, 2);
	ck_assert_uint_eq(e->loc.element, 3);
	ck_assert_str_eq(e->loc.tag, "BEG");
	ck_assert_uint_eq(e->loc.offset,
			  strstr(buf_cstr(&r.in), "BEG*00*SA***") -
				  buf_cstr(&r.in) + 10);
	ck_assert_msg(strstr(r.seen.records[0], "\"number\":\"PO-2\""), "%s",
		      r.seen.records[0]);
	ck_assert_msg(strstr(r.seen.records[0], ".1.0002\""), "%s",
		      r.seen.records[0]);
	/* the envelope was sound */
	ck_assert_uint_eq(r.diag.nerrors, 0);
	ck_assert(r.seen.group_accepted[0]);
	ck_assert(r.seen.interchange_accepted[0]);
	run_done(&r);
}
END_TEST

START_TEST(test_envelope_error_rejects_set)
{
	struct run r;
	const struct edi_error *e;

	run_init(&r, true);
	/* SE01 says 9 segments, the set has 4 */
	run_translate(&r, GS "ST*850*0001~BEG*00*SA*PO-1**20261120~PO1*1~"
			     "SE*9*0001~" SET_OK("2") "GE*2*1~"
						      "IEA*1*000000001~");
	ck_assert_uint_eq(r.stats.rejected, 1);
	ck_assert_uint_eq(r.stats.accepted, 1);
	ck_assert_str_eq(r.seen.order, "XRGI");
	ck_assert_str_eq(r.seen.rejected[0].stage, "envelope");
	ck_assert(!r.seen.rejected[0].had_map);
	e = &r.seen.rejected[0].first;
	ck_assert_int_eq(e->code, X12_SE_COUNT);
	ck_assert_int_eq(edi_code_level(e->code), EDI_LEVEL_AK5);
	ck_assert_int_eq(edi_code_ack(e->code), 4);
	ck_assert_uint_eq(e->loc.segment, 6);
	ck_assert_uint_eq(e->loc.element, 1);
	/* the file's diagnostics have it too */
	ck_assert_ptr_nonnull(fx_find(&r.diag, X12_SE_COUNT, 6, 1));
	ck_assert_msg(strstr(r.seen.records[0], "\"number\":\"PO-2\""), "%s",
		      r.seen.records[0]);
	run_done(&r);
}
END_TEST

START_TEST(test_group_error_rejects_group)
{
	struct run r;

	run_init(&r, true);
	/* GE01 says 2 sets, the group has 1 */
	run_translate(&r, GS SET_OK("1") "GE*2*1~IEA*1*000000001~");
	ck_assert_ptr_nonnull(fx_find(&r.diag, X12_GE_COUNT, 7, 1));
	ck_assert_int_eq(edi_code_level(X12_GE_COUNT), EDI_LEVEL_AK9);
	ck_assert_int_eq(edi_code_ack(X12_GE_COUNT), 5);
	/* the set itself passed; its group did not */
	ck_assert_str_eq(r.seen.order, "RGI");
	ck_assert_uint_eq(r.seen.ngroups, 1);
	ck_assert(!r.seen.group_accepted[0]);
	ck_assert(r.seen.interchange_accepted[0]);
	run_done(&r);
}
END_TEST

START_TEST(test_interchange_error_rejects_interchange)
{
	struct run r;

	run_init(&r, true);
	/* IEA02 differs from ISA13 */
	run_translate(&r, GS SET_OK("1") "GE*1*1~IEA*1*000000099~");
	ck_assert_ptr_nonnull(fx_find(&r.diag, X12_ISA_CONTROL_MISMATCH, 8, 2));
	ck_assert_int_eq(edi_code_level(X12_ISA_CONTROL_MISMATCH),
			 EDI_LEVEL_TA1);
	ck_assert_str_eq(r.seen.order, "RGI");
	ck_assert(r.seen.group_accepted[0]);
	ck_assert_uint_eq(r.seen.ninterchanges, 1);
	ck_assert(!r.seen.interchange_accepted[0]);
	run_done(&r);
}
END_TEST

START_TEST(test_no_map)
{
	struct run r;
	const struct edi_error *e;

	run_init(&r, false);
	run_translate(&r, GS SET_OK("1") "GE*1*1~IEA*1*000000001~");
	ck_assert_uint_eq(r.stats.rejected, 1);
	ck_assert_uint_eq(r.stats.accepted, 0);
	ck_assert_str_eq(r.seen.order, "XGI");
	ck_assert_str_eq(r.seen.rejected[0].stage, "map");
	ck_assert(!r.seen.rejected[0].had_map);
	e = &r.seen.rejected[0].first;
	ck_assert_int_eq(e->code, X12_NO_MAP);
	ck_assert_int_eq(edi_code_level(e->code), EDI_LEVEL_AK5);
	ck_assert_int_eq(edi_code_ack(e->code), 1);
	ck_assert_uint_eq(e->loc.segment, 3);
	ck_assert_uint_eq(e->loc.set_position, 1);
	ck_assert_str_eq(e->loc.tag, "ST");
	ck_assert_uint_eq(e->loc.offset,
			  strstr(buf_cstr(&r.in), "ST*850") - buf_cstr(&r.in));
	ck_assert_str_eq(e->msg, "no map for transaction set 850 version "
				 "004010");
	run_done(&r);
}
END_TEST

START_TEST(test_set_over_max_set)
{
	struct run r;
	const struct edi_error *e;

	run_init(&r, true);
	r.limits.max_set = 64;
	/* set 1 is 71 bytes, set 2 is 50 */
	run_translate(&r, GS "ST*850*0001~BEG*00*SA*PO-1**20261120~"
			     "PO1*1~PO1*2~PO1*3~PO1*4~SE*7*0001~"
			     "ST*850*0002~BEG*00*SA*P**20261120~PO1*1~"
			     "SE*4*0002~GE*2*1~IEA*1*000000001~");
	ck_assert_uint_eq(r.stats.sets, 2);
	ck_assert_uint_eq(r.stats.rejected, 1);
	ck_assert_uint_eq(r.stats.accepted, 1);
	ck_assert_str_eq(r.seen.order, "XRGI");
	ck_assert_str_eq(r.seen.rejected[0].stage, "envelope");
	e = &r.seen.rejected[0].first;
	ck_assert_int_eq(e->code, X12_SET_TOO_LARGE);
	ck_assert_int_eq(edi_code_level(e->code), EDI_LEVEL_AK5);
	ck_assert_int_eq(edi_code_ack(e->code), 5);
	ck_assert_uint_eq(e->loc.segment, 3);
	ck_assert_str_eq(e->loc.tag, "ST");
	ck_assert_uint_eq(e->loc.offset,
			  strstr(buf_cstr(&r.in), "ST*850") - buf_cstr(&r.in));
	ck_assert_msg(strstr(r.seen.records[0], "\"number\":\"P\""), "%s",
		      r.seen.records[0]);
	run_done(&r);
}
END_TEST

Suite *x12_translate_suite(void)
{
	Suite *s = suite_create("x12_translate");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sound_interchange);
	tcase_add_test(tc, test_invalid_set_rejected_next_accepted);
	tcase_add_test(tc, test_envelope_error_rejects_set);
	tcase_add_test(tc, test_group_error_rejects_group);
	tcase_add_test(tc, test_interchange_error_rejects_interchange);
	tcase_add_test(tc, test_no_map);
	tcase_add_test(tc, test_set_over_max_set);
	suite_add_tcase(s, tc);
	return s;
}
