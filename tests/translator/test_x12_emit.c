/*
 * test_x12_emit - outbound sets from records through the shipped maps run
 * backwards (x12_emit): per document type and version, the transforms
 * reversed (dates, times, implied and plain decimals, integers, code
 * tables), where clauses writing their qualifier, pairs, loops, the 856
 * HL tree, the 855 acks inside lines, the maps' outbound defaults, the
 * lines rule, and every kind of record that cannot be mapped (the message
 * names the record, the field and the element).  The interchange
 * assembler: a group per document, control numbers only for sets
 * written.  The maps are the shipped ones (run from the source tree).
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "fileio.h"
#include "map_load.h"
#include "suites.h"
#include "x12_emit.h"

static struct map_set maps;
static bool maps_loaded;

/* The shipped maps of the four documents, both versions. */
static void load_maps(void)
{
	static const char *const files[] = {
		"850", "850-005010", "855", "855-005010",
		"856", "856-005010", "810", "810-005010"};
	struct edi_diag errs;
	struct edi_error err;

	if (maps_loaded)
		return;
	map_set_init(&maps);
	edi_diag_init(&errs, 50);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[FILEIO_PATH_MAX];
		struct buf text;
		snprintf(path, sizeof(path), "maps/x12/%s.yaml", files[i]);
		ck_assert_msg(fileio_read_all(path, 1 << 22, &text, &err) ==
				      EDI_OK,
			      "run from the source tree: %s", err.msg);
		ck_assert_int_eq(
			map_load_text(&maps, path, buf_view(&text), &errs),
			EDI_OK);
		buf_release(&text);
	}
	ck_assert_msg(map_set_resolve(&maps, &errs) == EDI_OK, "%s",
		      errs.n ? errs.items[0].msg : "");
	edi_diag_release(&errs);
	maps_loaded = true;
}

static const struct x12_write_delims delims = {'*', '>', '^', '~', ""};

struct result {
	enum edi_code rc;
	char out[4096];
	char errors[4096];
};

/* Emit one record (JSON text) with the shipped map for doc/version. */
static void emit(const char *doc, const char *version, const char *json,
		 struct result *r)
{
	const struct map *m;
	struct x12_emit_set *set;
	struct x12_writer w;
	struct edi_diag diag;
	struct edi_error err;
	struct arena a;
	struct buf out;
	json_error_t je;
	json_t *rec;
	size_t o = 0;

	load_maps();
	memset(r, 0, sizeof(*r));
	m = map_set_select(&maps, sv_cstr(doc), sv_cstr(version));
	ck_assert_ptr_nonnull(m);
	rec = json_loads(json, 0, &je);
	ck_assert_msg(rec != NULL, "bad test JSON: %s", je.text);
	arena_init(&a, 4096);
	edi_diag_init(&diag, 20);
	buf_init(&out, 1 << 20);
	r->rc = x12_emit_build(m, rec, "r1", &delims, NULL, &a, &set, &diag,
			       &err);
	if (r->rc == EDI_OK) {
		x12_writer_init(&w, &out, &delims);
		ck_assert_int_eq(x12_emit_write(set, &w, "0001", &err), EDI_OK);
		snprintf(r->out, sizeof(r->out), "%.*s", (int)out.len, out.ptr);
	}
	for (size_t i = 0; i < diag.n && o < sizeof(r->errors); i++)
		o += (size_t)snprintf(r->errors + o, sizeof(r->errors) - o,
				      "%s\n", diag.items[i].msg);
	ck_assert_int_eq(r->rc == EDI_OK, diag.n == 0);
	edi_diag_release(&diag);
	buf_release(&out);
	arena_release(&a);
	json_decref(rec);
}

static void expect_out(const char *doc, const char *version, const char *json,
		       const char *want)
{
	struct result r;

	emit(doc, version, json, &r);
	ck_assert_msg(r.rc == EDI_OK, "%s", r.errors);
	ck_assert_str_eq(r.out, want);
}

static void expect_in(const char *doc, const char *version, const char *json,
		      const char *want)
{
	struct result r;

	emit(doc, version, json, &r);
	ck_assert_msg(r.rc == EDI_OK, "%s", r.errors);
	ck_assert_msg(strstr(r.out, want), "'%s' not in %s", want, r.out);
}

static void expect_error(const char *doc, const char *version, const char *json,
			 const char *want)
{
	struct result r;

	emit(doc, version, json, &r);
	ck_assert_int_eq(r.rc, EDI_EDATA);
	ck_assert_msg(strstr(r.errors, want), "'%s' not in:\n%s", want,
		      r.errors);
}

#define ORDER_HEAD                                                         \
	"{\"doc_type\":\"order\",\"id\":\"r1\",\"order_number\":\"PO-1\"," \
	"\"purpose_code\":\"00\",\"order_type_code\":\"SA\","              \
	"\"order_date\":\"2026-11-20\""
#define ONE_LINE                                                              \
	"\"lines\":[{\"line_number\":\"1\",\"quantity\":\"2\",\"uom\":"       \
	"\"EA\",\"unit_price\":\"1.50\",\"item_ids\":[{\"qualifier\":\"UP\"," \
	"\"value\":\"012345678905\"}]}]"

START_TEST(test_order_minimal)
{
	expect_out("850", "004010", ORDER_HEAD "," ONE_LINE "}",
		   "ST*850*0001~BEG*00*SA*PO-1**20261120~"
		   "PO1*1*2*EA*1.5**UP*012345678905~CTT*1~SE*5*0001~");
}
END_TEST

START_TEST(test_order_005010)
{
	/* REF02 is 1/50 in 005010, 1/30 in 004010 */
	static const char rec[] = ORDER_HEAD
		",\"references\":[{\"qualifier\":\"DP\",\"value\":"
		"\"0123456789012345678901234567890123456789\"}]," ONE_LINE "}";

	expect_in("850", "005010", rec,
		  "REF*DP*0123456789012345678901234567890123456789~");
	expect_error("850", "004010", rec,
		     "record 'r1': references[0].value: REF02: "
		     "'0123456789012345678901234567890123456789' is too long "
		     "(40, at most 30)");
}
END_TEST

START_TEST(test_order_full)
{
	expect_out(
		"850", "004010",
		ORDER_HEAD
		",\"release_number\":\"R7\",\"currency\":\"USD\","
		"\"parties\":[{\"role\":\"buyer\",\"name\":\"ACME\","
		"\"ids\":[{\"qualifier\":\"92\",\"value\":\"B1\"}]},"
		"{\"role\":\"ship_to\",\"name\":\"DC\",\"address\":{\"street\":"
		"[\"1 MAIN ST\",\"DOCK 4\"],\"city\":\"AKRON\","
		"\"region\":\"OH\",\"postal_code\":\"44308\","
		"\"country\":\"US\"}},{\"role\":\"ZZ\",\"name\":"
		"\"OTHER\"}],"
		"\"dates\":[{\"qualifier\":\"002\",\"date\":"
		"\"2026-12-01\"}],"
		"\"lines\":[{\"line_number\":\"1\",\"quantity\":"
		"\"002.50\",\"uom\":\"LB\",\"unit_price\":\"10\","
		"\"item_ids\":[{\"qualifier\":\"VN\",\"value\":\"A\"},"
		"{\"qualifier\":\"BP\",\"value\":\"B\"}],"
		"\"description\":\"BOLTS\"}],\"line_count\":1}",
		"ST*850*0001~BEG*00*SA*PO-1*R7*20261120~CUR*BY*USD~"
		"DTM*002*20261201~N1*BY*ACME*92*B1~N1*ST*DC~N3*1 MAIN ST*DOCK "
		"4~"
		"N4*AKRON*OH*44308*US~N1*ZZ*OTHER~PO1*1*2.5*LB*10**VN*A*BP*B~"
		"PID*F****BOLTS~CTT*1~SE*13*0001~");
}
END_TEST

START_TEST(test_invoice_implied_decimals)
{
	expect_out(
		"810", "004010",
		"{\"doc_type\":\"invoice\",\"invoice_number\":\"INV-9\","
		"\"invoice_date\":\"2026-11-21\",\"order_number\":\"PO-1\","
		"\"lines\":[{\"line_number\":\"1\",\"quantity\":\"3\",\"uom\":"
		"\"EA\",\"unit_price\":\"40.283\"}],"
		"\"total_amount\":\"132.35\",\"allowances_charges\":["
		"{\"indicator\":\"A\",\"code\":\"C310\",\"amount\":\"0.5\"},"
		"{\"indicator\":\"C\",\"code\":\"D240\",\"amount\":\"12\"}]}",
		"ST*810*0001~BIG*20261121*INV-9**PO-1~IT1*1*3*EA*40.283~"
		"TDS*13235~SAC*A*C310***50~SAC*C*D240***1200~CTT*1~"
		"SE*8*0001~");
	expect_error(
		"810", "004010",
		"{\"invoice_number\":\"I\",\"invoice_date\":\"2026-11-21\","
		"\"lines\":[{\"quantity\":\"1\"}],"
		"\"total_amount\":\"1.005\"}",
		"total_amount: TDS01: '1.005' has more than 2 decimal "
		"places");
}
END_TEST

/* TDS01 left out: computed as the total rule checks it */
START_TEST(test_invoice_total_computed)
{
	expect_out("810", "004010",
		   "{\"invoice_number\":\"INV-9\",\"invoice_date\":"
		   "\"2026-11-21\",\"lines\":[{\"quantity\":\"3\",\"uom\":"
		   "\"EA\",\"unit_price\":\"40.283\"}],"
		   "\"allowances_charges\":[{\"indicator\":\"A\",\"code\":"
		   "\"C310\",\"amount\":\"0.5\"},{\"indicator\":\"N\","
		   "\"code\":\"D240\",\"amount\":\"7\"}]}",
		   "ST*810*0001~BIG*20261121*INV-9~IT1**3*EA*40.283~"
		   "TDS*12035~SAC*A*C310***50~SAC*N*D240***700~CTT*1~"
		   "SE*8*0001~");
}
END_TEST

START_TEST(test_despatch_hl_tree)
{
	expect_out(
		"856", "004010",
		"{\"doc_type\":\"despatch_advice\",\"shipment_id\":\"SH1\","
		"\"ship_notice_date\":\"2026-11-22\",\"ship_notice_time\":"
		"\"14:30\",\"purpose_code\":\"00\",\"carrier\":{\"scac\":"
		"\"UPSN\",\"name\":\"UPS\"},\"gross_weight\":{\"value\":\"61."
		"50\","
		"\"uom\":\"LB\"},\"parties\":[{\"role\":\"ship_from\",\"name\":"
		"\"D\"}],\"orders\":[{\"order_number\":\"PO-1\",\"packs\":["
		"{\"sscc\":\"008412300000047119\",\"items\":[{\"line_number\":"
		"\"1\",\"item_ids\":[{\"qualifier\":\"UP\",\"value\":"
		"\"084123001526\"}],\"quantity_shipped\":\"12\",\"uom\":\"EA\"}"
		"]}"
		"],\"items\":[{\"item_ids\":[{\"qualifier\":\"VN\",\"value\":"
		"\"X\"}],\"quantity_shipped\":\"2\",\"uom\":\"CA\"}]},"
		"{\"order_number\":\"PO-2\"}]}",
		"ST*856*0001~BSN*00*SH1*20261122*1430~HL*1**S*1~"
		"TD1******G*61.5*LB~TD5**2*UPSN**UPS~N1*SF*D~HL*2*1*O*1~"
		"PRF*PO-1~HL*3*2*P*1~MAN*GM*008412300000047119~HL*4*3*I*0~"
		"LIN*1*UP*084123001526~SN1**12*EA~HL*5*2*I*0~LIN**VN*X~"
		"SN1**2*CA~HL*6*1*O*0~PRF*PO-2~CTT*6~SE*20*0001~");
}
END_TEST

START_TEST(test_order_response_acks)
{
	expect_out("855", "004010",
		   "{\"doc_type\":\"order_response\",\"order_number\":\"PO-1\","
		   "\"response_type_code\":\"AC\",\"response_date\":"
		   "\"2026-11-20\",\"purpose_code\":\"00\",\"lines\":[{"
		   "\"line_number\":\"1\",\"quantity\":\"2\",\"uom\":\"EA\","
		   "\"acks\":[{\"status_code\":\"IA\",\"quantity\":\"2\","
		   "\"uom\":\"EA\",\"date\":\"2026-12-04\"},{\"status_code\":"
		   "\"IB\",\"quantity\":\"0\",\"uom\":\"EA\"}]}]}",
		   "ST*855*0001~BAK*00*AC*PO-1*20261120~PO1*1*2*EA~"
		   "ACK*IA*2*EA*068*20261204~ACK*IB*0*EA~CTT*1~SE*7*0001~");
}
END_TEST

/* Records that cannot be mapped: the message names field and element. */
static const struct {
	const char *doc, *json, *want;
} bad[] = {
	{"850", ORDER_HEAD ",\"lines\":[{\"uom\":\"EACH\"}]}",
	 "lines[0].uom: PO103: 'EACH' is too long (4, at most 2)"},
	{"850", ORDER_HEAD ",\"release_number\":\"A~B\"," ONE_LINE "}",
	 "release_number: BEG04: 'A~B' holds the delimiter '~'"},
	{"850", ORDER_HEAD ",\"release_number\":\"A\\u00e9\"," ONE_LINE "}",
	 "release_number: BEG04: 'A\xc3\xa9' has a byte (0xc3)"},
	{"850",
	 "{\"order_number\":\"P\",\"purpose_code\":\"00\",\"order_type_code\":"
	 "\"SA\",\"order_date\":\"2026-13-01\"," ONE_LINE "}",
	 "order_date: BEG05: '2026-13-01' is not a day of the calendar"},
	{"850",
	 "{\"order_number\":\"P\",\"purpose_code\":\"00\",\"order_type_code\":"
	 "\"SA\",\"order_date\":\"11/20/2026\"," ONE_LINE "}",
	 "order_date: BEG05: '11/20/2026' is not a date YYYY-MM-DD"},
	{"850",
	 "{\"purpose_code\":\"00\",\"order_type_code\":\"SA\","
	 "\"order_date\":\"2026-11-20\"," ONE_LINE "}",
	 "order_number: BEG03 is required and the record has no value"},
	{"850", "{\"order_number\":\"P\"}",
	 "the guide requires loop PO1 and the record has nothing for it"},
	{"850",
	 "{\"order_number\":\"P\",\"purpose_code\":\"99\",\"order_type_code\":"
	 "\"SA\",\"order_date\":\"2026-11-20\"," ONE_LINE "}",
	 "purpose_code: BEG01: '99' is not one of the element's codes"},
	{"850", ORDER_HEAD ",\"lines\":[{\"unit_price\":12.5}]}",
	 "lines[0].unit_price: PO104: 12.5 is a binary floating-point number"},
	{"850", ORDER_HEAD ",\"lines\":[{\"quantity\":\"1,5\"}]}",
	 "lines[0].quantity: PO102: '1,5' is not an exact decimal number"},
	{"850", ORDER_HEAD ",\"lines\":{\"quantity\":\"1\"}}",
	 "lines: an array is expected here"},
	{"850", ORDER_HEAD ",\"line_count\":\"x\"," ONE_LINE "}",
	 "line_count: CTT01: 'x' is not an integer"},
	{"850", ORDER_HEAD ",\"line_count\":3," ONE_LINE "}",
	 "line_count: CTT01 says 3 but the set has 1 PO1 segments"},
	{"850",
	 ORDER_HEAD ",\"parties\":[{\"role\":\"buyer\",\"address\":{\"street\":"
		    "[\"a\",\"b\",\"c\"]}}]," ONE_LINE "}",
	 "parties[0].address.street: 3 items, but the map has room for 2"},
	{"850",
	 ORDER_HEAD
	 ",\"lines\":[{\"item_ids\":["
	 "{\"qualifier\":\"VN\",\"value\":\"1\"},{\"qualifier\":\"VN\","
	 "\"value\":\"2\"},{\"qualifier\":\"VN\",\"value\":\"3\"},"
	 "{\"qualifier\":\"VN\",\"value\":\"4\"},{\"qualifier\":\"VN\","
	 "\"value\":\"5\"},{\"qualifier\":\"VN\",\"value\":\"6\"},"
	 "{\"qualifier\":\"VN\",\"value\":\"7\"},{\"qualifier\":\"VN\","
	 "\"value\":\"8\"},{\"qualifier\":\"VN\",\"value\":\"9\"},"
	 "{\"qualifier\":\"VN\",\"value\":\"10\"},{\"qualifier\":"
	 "\"VN\",\"value\":\"11\"}]}]}",
	 "lines[0].item_ids[10]: more ids than PO106..PO125 hold (10 pairs)"},
	{"850", ORDER_HEAD ",\"lines\":[{\"item_ids\":[{\"value\":\"1\"}]}]}",
	 "lines[0].item_ids[0]: an object with a qualifier and a value"},
	{"856",
	 "{\"shipment_id\":\"S1\",\"ship_notice_date\":\"2026-11-22\","
	 "\"ship_notice_time\":\"25:00\",\"purpose_code\":\"00\"}",
	 "ship_notice_time: BSN04: '25:00' is not a time"},
	{"856",
	 "{\"shipment_id\":\"S1\",\"ship_notice_date\":\"2026-11-22\","
	 "\"purpose_code\":\"00\"}",
	 "BSN04 is required and the record has no value for it"},
	{"810",
	 "{\"invoice_number\":\"I\",\"invoice_date\":\"2026-11-21\","
	 "\"lines\":[{\"quantity\":\"2\",\"uom\":\"EA\",\"unit_price\":"
	 "\"5\"}],\"total_amount\":\"10.01\"}",
	 "total_amount: TDS01 total 10.01 differs from the lines with "
	 "allowances and charges: 10 (tolerance 0.00)"},
	{"810",
	 "{\"invoice_number\":\"I\",\"invoice_date\":\"2026-11-21\","
	 "\"lines\":[{\"quantity\":\"1\"}]}",
	 "the guide requires segment TDS and the record has nothing for it; "
	 "e.g. total_amount"},
};

START_TEST(test_bad_records)
{
	expect_error(bad[_i].doc, "004010", bad[_i].json, bad[_i].want);
}
END_TEST

START_TEST(test_not_an_object)
{
	expect_error("850", "004010", "[1,2]",
		     "record 'r1': a record must be a JSON object");
}
END_TEST

/* The outbound: section's mistakes are map mistakes, with their place. */
static const struct {
	const char *section, *want;
} bad_outbound[] = {
	{"outbound: {defaults: {ZZZ01: X}}", "ZZZ"},
	{"outbound: {defaults: {BEG: X}}", "bad path 'BEG'"},
	{"outbound: {defaults: {\"REF02 where REF01 = DP\": X}}", "like CUR01"},
	{"outbound: {defaults: {REF01: {value: DP, when: BEG03}}}",
	 "'when' names an element of the same segment"},
	{"outbound: {defaults: {REF01: {value: DP}}}", "{value: V, when:"},
	{"outbound: {default: {REF01: DP}}", "unknown key 'default'"},
};

START_TEST(test_bad_outbound_section)
{
	struct map_set set;
	struct edi_diag errs;
	struct buf text;
	size_t o = 0;
	char all[2048] = "";

	buf_init(&text, 1 << 16);
	buf_addf(&text,
		 "map: t\ndocument: \"850\"\nsegments:\n"
		 "  BEG: [M ID 2/2, M ID 2/2, M AN 1/22]\n"
		 "  REF: [M ID 2/3, X AN 1/30]\n"
		 "guide: [ST M 1, BEG M 1, REF O >1, SE M 1]\n%s\n",
		 bad_outbound[_i].section);
	map_set_init(&set);
	edi_diag_init(&errs, 20);
	if (map_load_text(&set, "t.yaml", buf_view(&text), &errs) == EDI_OK)
		ck_assert_int_eq(map_set_resolve(&set, &errs), EDI_ECONFIG);
	for (size_t i = 0; i < errs.n && o < sizeof(all); i++)
		o += (size_t)snprintf(all + o, sizeof(all) - o, "%s\n",
				      errs.items[i].msg);
	ck_assert_msg(strstr(all, "t.yaml:") &&
			      strstr(all, bad_outbound[_i].want),
		      "'%s' not in:\n%s", bad_outbound[_i].want, all);
	edi_diag_release(&errs);
	map_set_release(&set);
	buf_release(&text);
}
END_TEST

START_TEST(test_names)
{
	char v[6];

	ck_assert_str_eq(x12_emit_document("order"), "850");
	ck_assert_str_eq(x12_emit_document("order_response"), "855");
	ck_assert_str_eq(x12_emit_document("despatch_advice"), "856");
	ck_assert_str_eq(x12_emit_document("invoice"), "810");
	ck_assert_ptr_null(x12_emit_document("receipt"));
	ck_assert_ptr_null(x12_emit_document(NULL));
	ck_assert_str_eq(x12_emit_functional_id("850"), "PO");
	ck_assert_str_eq(x12_emit_functional_id("855"), "PR");
	ck_assert_str_eq(x12_emit_functional_id("856"), "SH");
	ck_assert_str_eq(x12_emit_functional_id("810"), "IN");
	ck_assert_ptr_null(x12_emit_functional_id("997"));
	ck_assert(x12_emit_isa_version("005010", v));
	ck_assert_str_eq(v, "00501");
	ck_assert(!x12_emit_isa_version("4010", v));
	ck_assert(!x12_emit_isa_version("00A010", v));
}
END_TEST

/* --- the interchange --- */

struct controls {
	uint64_t next;
	unsigned asked;
};

static enum edi_code next_control(void *ctx, const char *which, uint64_t *value,
				  struct edi_error *err)
{
	struct controls *c = ctx;

	(void)which;
	(void)err;
	c->asked++;
	*value = c->next++;
	return EDI_OK;
}

START_TEST(test_interchange_groups)
{
	static const char *const recs[] = {
		ORDER_HEAD "," ONE_LINE "}",
		"{\"invoice_number\":\"I1\",\"invoice_date\":\"2026-11-21\","
		"\"lines\":[{\"quantity\":\"1\",\"uom\":\"EA\",\"unit_price\":"
		"\"1\"}],\"total_amount\":\"1\"}",
		ORDER_HEAD "," ONE_LINE "}"};
	static const char *const docs[] = {"850", "810", "850"};
	struct controls c = {7, 0};
	struct x12_emit_envelope env = {.delims = delims,
					.sender_qual = "ZZ",
					.sender = "US",
					.receiver_qual = "ZZ",
					.receiver = "THEM",
					.gs_sender = "US",
					.gs_receiver = "THEM",
					.version = "004010",
					.usage = 'T',
					.date = "20261127",
					.time = "0930",
					.next_control = next_control,
					.ctx = &c};
	struct x12_emit_ix ix;
	struct edi_diag diag;
	struct edi_error err;
	struct arena a;
	struct buf out;
	uint64_t isa13 = 0, gs06 = 0;
	char st02[10];

	load_maps();
	buf_init(&out, 1 << 20);
	edi_diag_init(&diag, 10);
	x12_emit_ix_init(&ix, &out, &env);
	/* nothing written: no control number taken, nothing out */
	ck_assert_int_eq(x12_emit_ix_finish(&ix, &err), EDI_OK);
	ck_assert_uint_eq(out.len, 0);
	ck_assert_uint_eq(c.asked, 0);
	x12_emit_ix_init(&ix, &out, &env);
	for (size_t i = 0; i < 3; i++) {
		const struct map *m = map_set_select(&maps, sv_cstr(docs[i]),
						     sv_cstr("004010"));
		json_t *rec = json_loads(recs[i], 0, NULL);
		struct x12_emit_set *set;
		arena_init(&a, 4096);
		ck_assert_int_eq(x12_emit_build(m, rec, "r", &delims, NULL, &a,
						&set, &diag, &err),
				 EDI_OK);
		ck_assert_int_eq(x12_emit_ix_add(&ix, docs[i], set, &isa13,
						 &gs06, st02, &err),
				 EDI_OK);
		arena_release(&a);
		json_decref(rec);
	}
	ck_assert_int_eq(x12_emit_ix_finish(&ix, &err), EDI_OK);
	buf_addc(&out, '\0');
	/* ISA13 7, then a group per document change: GS06 8, 9, 10 */
	ck_assert_uint_eq(isa13, 7);
	ck_assert_uint_eq(gs06, 10);
	ck_assert_str_eq(st02, "0001");
	ck_assert_ptr_nonnull(strstr(out.ptr,
				     "*00401*000000007*0*T*>~GS*PO*US*"
				     "THEM*20261127*0930*8*X*004010~"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "~GE*1*8~GS*IN*"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "~GE*1*9~GS*PO*"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "~GE*1*10~IEA*3*000000007~"));
	edi_diag_release(&diag);
	buf_release(&out);
}
END_TEST

Suite *x12_emit_suite(void)
{
	Suite *s = suite_create("x12_emit");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_order_minimal);
	tcase_add_test(tc, test_order_005010);
	tcase_add_test(tc, test_order_full);
	tcase_add_test(tc, test_invoice_implied_decimals);
	tcase_add_test(tc, test_invoice_total_computed);
	tcase_add_test(tc, test_despatch_hl_tree);
	tcase_add_test(tc, test_order_response_acks);
	tcase_add_loop_test(tc, test_bad_records, 0,
			    (int)(sizeof(bad) / sizeof(bad[0])));
	tcase_add_test(tc, test_not_an_object);
	tcase_add_loop_test(
		tc, test_bad_outbound_section, 0,
		(int)(sizeof(bad_outbound) / sizeof(bad_outbound[0])));
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_interchange_groups);
	suite_add_tcase(s, tc);
	return s;
}
