/*
 * test_map_exec - the record builder (map_exec): every path form
 * (element, component, repetition, where, pair), every field form
 * (constant, default, object, list, each, pairs), every `each` scope
 * (loop, loop with where, segment, hl, hl direct, within), the
 * transforms, transform failures located at their element, and the
 * engine's own members (doc_type, id, doc_key, partner, source), checked
 * as the JSON rec_json_write() makes of them.  The maps are small ones
 * written here; each test gives the record fields it needs.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "map_exec.h"
#include "map_guide.h"
#include "map_load.h"
#include "rec_json.h"
#include "suites.h"
#include "x12_set.h"

#define BASE_OFFSET 1000
#define FIRST_INDEX 3

/* sha256 of set_850 (sha256sum of the same bytes) */
#define SET_850_SHA256 \
	"c56c730048d76e1a4468a35e487511789780c5290dd2d7f3a4fd77b2115a4019"

static const struct x12_delims delims = {
	.element = '*', .component = '>', .repetition = '^', .terminator = '~'};

/* --- an 850 --- */

static const char head_850[] =
	"map: t-850\n"
	"document: \"850\"\n"
	"segments:\n"
	"  BEG: [M ID 2/2, M ID 2/2, M AN 1/22, O AN 1/30, M DT 8/8]\n"
	"  CUR: [M ID 2/3, M ID 3/3]\n"
	"  REF:\n"
	"    - M ID 2/3\n"
	"    - X AN 1/30\n"
	"    - X AN 1/80\n"
	"    - {req: O, composite: [M ID 2/3, M AN 1/30], repeat: 2}\n"
	"  DTM: [M ID 3/3, X DT 8/8, X TM 4/8]\n"
	"  N1: [M ID 2/3, X AN 1/60, X ID 1/2, X AN 2/80]\n"
	"  N3: [M AN 1/55, O AN 1/55]\n"
	"  N4: [O AN 2/30, O ID 2/2, O ID 3/15]\n"
	"  PO1: [O AN 1/20, X R 1/15, X ID 2/2, X R 1/17, O ID 2/2,\n"
	"        X ID 2/2, X AN 1/48, X ID 2/2, X AN 1/48]\n"
	"  PID: [M ID 1/1, O ID 2/3, O ID 2/3, O AN 1/12, X AN 1/80]\n"
	"  CTT: [M N0 1/6, O R 1/10, O N2 1/10]\n"
	"guide:\n"
	"  - ST M 1\n"
	"  - BEG M 1\n"
	"  - CUR O 1\n"
	"  - REF O >1\n"
	"  - DTM O 10\n"
	"  - loop N1 O 200:\n"
	"      - N1 M 1\n"
	"      - N3 O 2\n"
	"      - N4 O 1\n"
	"      - REF O 5\n"
	"  - loop PO1 M 1000:\n"
	"      - PO1 M 1\n"
	"      - loop PID O 10:\n"
	"          - PID M 1\n"
	"  - loop CTT O 1:\n"
	"      - CTT M 1\n"
	"  - SE M 1\n"
	"tables:\n"
	"  roles: {BY: buyer, ST: ship_to}\n"
	"  uom: {EA: each, \"*\": keep}\n"
	"record:\n"
	"  doc_type: order\n"
	"  doc_key: BEG03\n"
	"  fields:\n";

/* Segments 3 (ST) to 20 (SE), at byte 1000. */
static const char set_850[] = "ST*850*0001~"
			      "BEG*00*SA*PO-1**20261120~"
			      "CUR*BY*USD~"
			      "REF*IA*V-77**VN>123^ZZ>456~"
			      "REF*DP*038~"
			      "REF*PD*PROMO~"
			      "DTM*002*20261201*1430~"
			      "N1*BY*ACME BUYER*92*1001~"
			      "N1*ST*ACME STORE*92*2002~"
			      "N3*1 MAIN ST*SUITE 2~"
			      "N4*SPRINGFIELD*IL*62701~"
			      "REF*ST*77~"
			      "N1*BT*ACME AP~"
			      "PO1*1*2*EA*12.50**UP*012345678905*VP*V-100~"
			      "PID*F****WIDGET~"
			      "PO1*2*10*CA*0003.000**VP*V-200~"
			      "CTT*2*12*12600~"
			      "SE*18*0001~";

/* --- an 856 --- */

static const char head_856[] = "map: t-856\n"
			       "document: \"856\"\n"
			       "segments:\n"
			       "  HL: [M AN 1/12, O AN 1/12, M ID 1/2]\n"
			       "  PRF: [M AN 1/22]\n"
			       "  LIN: [O AN 1/20, M ID 2/2, M AN 1/48]\n"
			       "  N1: [M ID 2/3, X AN 1/60]\n"
			       "  REF: [M ID 2/3, X AN 1/30]\n"
			       "guide:\n"
			       "  - ST M 1\n"
			       "  - BSN M 1\n"
			       "  - loop HL M 1000:\n"
			       "      - HL M 1\n"
			       "      - PRF O 1\n"
			       "      - LIN O 1\n"
			       "      - REF O 5\n"
			       "      - loop N1 O 10:\n"
			       "          - N1 M 1\n"
			       "  - SE M 1\n"
			       "record:\n"
			       "  doc_type: despatch_advice\n"
			       "  doc_key: BSN02\n"
			       "  fields:\n";

/* Item 7 belongs to order 2 though order 5 comes between them. */
static const char set_856[] = "ST*856*0001~"
			      "BSN*00*SHIP-1*20261120*1200~"
			      "HL*1**S~"
			      "REF*BM*BOL-9~"
			      "N1*SF*SHIPPER~"
			      "N1*ST*STORE~"
			      "HL*2*1*O~"
			      "PRF*PO-1~"
			      "HL*3*2*P~"
			      "HL*4*3*I~"
			      "LIN**VP*A~"
			      "HL*5*1*O~"
			      "PRF*PO-2~"
			      "HL*6*5*I~"
			      "LIN**VP*C~"
			      "HL*7*2*I~"
			      "LIN**VP*B~"
			      "SE*18*0001~";

/* --- helpers --- */

struct run {
	struct map_set maps;
	const struct map *m;
	struct arena arena;
	struct x12_limits limits;
	struct x12_set set;
	struct edi_diag guide, diag;
	struct map_source src;
	struct rec_value *rec;
	struct buf out;
	const char *text;
};

static void source_default(struct map_source *src)
{
	memset(src, 0, sizeof(*src));
	src->partner = "acme";
	src->correlation_id = "20261127T0930Z-42";
	src->file = "in.x12";
	src->version = "004010";
	src->sender_qual = "ZZ";
	src->sender = "ACMESUPPLY";
	src->receiver_qual = "ZZ";
	src->receiver = "RETAILER";
	src->interchange = "000000001";
	src->group = "1";
}

/* Load head + fields, place text (the guide must find nothing) and build
 * its record with src (NULL: source_default). */
static void run_exec(struct run *r, const char *head, const char *fields,
		     const char *text, const struct map_source *src)
{
	char yaml[8192];
	struct edi_diag errs;
	struct edi_error err;

	memset(r, 0, sizeof(*r));
	snprintf(yaml, sizeof(yaml), "%s%s", head, fields);
	map_set_init(&r->maps);
	edi_diag_init(&errs, 20);
	map_load_text(&r->maps, "x.yaml", sv_cstr(yaml), &errs);
	map_set_resolve(&r->maps, &errs);
	ck_assert_msg(errs.n == 0, "map: %s", errs.n ? errs.items[0].msg : "");
	edi_diag_release(&errs);
	ck_assert_uint_eq(r->maps.n, 1);
	r->m = r->maps.maps[0];
	arena_init(&r->arena, 0);
	x12_limits_default(&r->limits);
	edi_diag_init(&r->guide, 100);
	edi_diag_init(&r->diag, 100);
	buf_init(&r->out, 1 << 16);
	r->text = text;
	ck_assert_int_eq(x12_set_split(&r->set, &r->arena, sv_cstr(text),
				       &delims, BASE_OFFSET, FIRST_INDEX,
				       &r->limits, &r->guide, &err),
			 EDI_OK);
	map_guide_apply(r->m, &r->set, &r->guide);
	ck_assert_msg(r->guide.n == 0, "guide: %s",
		      r->guide.n ? r->guide.items[0].msg : "");
	if (src)
		r->src = *src;
	else
		source_default(&r->src);
	r->rec = map_exec(r->m, &r->set, &r->src, &r->arena, &r->diag);
	ck_assert_ptr_nonnull(r->rec);
}

static void run_done(struct run *r)
{
	buf_release(&r->out);
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

/* The whole record as JSON. */
static const char *record_json(struct run *r)
{
	buf_reset(&r->out);
	ck_assert_int_eq(rec_json_write(&r->out, r->rec), EDI_OK);
	return buf_cstr(&r->out);
}

/* The map's fields (the members after the engine's "source"), as one
 * JSON object. */
static const char *fields_json(struct run *r)
{
	const struct rec_value *v = rec_get(r->rec, "source");

	ck_assert_ptr_nonnull(v);
	buf_reset(&r->out);
	buf_addc(&r->out, '{');
	for (v = v->next; v; v = v->next) {
		if (r->out.len > 1)
			buf_addc(&r->out, ',');
		buf_addf(&r->out, "\"%s\":", v->key);
		ck_assert_int_eq(rec_json_write(&r->out, v), EDI_OK);
	}
	buf_addc(&r->out, '}');
	return buf_cstr(&r->out);
}

static size_t offset_of(const struct run *r, const char *needle)
{
	const char *p = strstr(r->text, needle);

	ck_assert_ptr_nonnull(p);
	return BASE_OFFSET + (size_t)(p - r->text);
}

/* --- paths --- */

static const struct {
	const char *what, *fields, *json;
} paths[] = {
	{"element", "    n: BEG03\n", "{\"n\":\"PO-1\"}"},
	{"absent element", "    n: BEG04\n", "{}"},
	{"component of the first repetition", "    c: REF04-2\n",
	 "{\"c\":\"123\"}"},
	{"first component", "    c: REF04-1\n", "{\"c\":\"VN\"}"},
	{"repeated element: the first repetition", "    e: REF04\n",
	 "{\"e\":\"VN>123\"}"},
	{"repetition", "    r: \"REF04#2\"\n", "{\"r\":\"ZZ>456\"}"},
	{"component of a repetition", "    r: \"REF04#2-2\"\n",
	 "{\"r\":\"456\"}"},
	{"where =", "    w: REF02 where REF01 = DP\n", "{\"w\":\"038\"}"},
	{"where in", "    w: REF02 where REF01 in [XX PD]\n",
	 "{\"w\":\"PROMO\"}"},
	{"where matching none", "    w: REF02 where REF01 = ZZ\n", "{}"},
	{"where in a nested loop", "    w: REF02 where REF01 = ST\n",
	 "{\"w\":\"77\"}"},
	{"pair", "    p: PO1 pair VP\n", "{\"p\":\"V-100\"}"},
	{"pair in the first segment only", "    p: PO1 pair XX\n", "{}"},
	{"first segment of the scope", "    q: N102\n",
	 "{\"q\":\"ACME BUYER\"}"},
};

START_TEST(test_paths)
{
	struct run r;

	run_exec(&r, head_850, paths[_i].fields, set_850, NULL);
	assert_clean(&r);
	ck_assert_msg(!strcmp(fields_json(&r), paths[_i].json), "%s: %s",
		      paths[_i].what, fields_json(&r));
	run_done(&r);
}
END_TEST

/* --- field forms --- */

static const struct {
	const char *what, *fields, *json;
} forms[] = {
	{"constant", "    src: {const: x12}\n", "{\"src\":\"x12\"}"},
	{"default for an absent value",
	 "    r: {value: BEG04, default: NONE}\n", "{\"r\":\"NONE\"}"},
	{"default left alone", "    r: {value: BEG03, default: NONE}\n",
	 "{\"r\":\"PO-1\"}"},
	{"default() transform", "    r: BEG04 | default(NONE)\n",
	 "{\"r\":\"NONE\"}"},
	{"object", "    o: {a: BEG03, b: CUR02}\n",
	 "{\"o\":{\"a\":\"PO-1\",\"b\":\"USD\"}}"},
	{"object without its absent members", "    o: {a: BEG04, b: CUR02}\n",
	 "{\"o\":{\"b\":\"USD\"}}"},
	{"object omitted when empty", "    o: {a: BEG04}\n    n: BEG03\n",
	 "{\"n\":\"PO-1\"}"},
	{"list", "    l: [N301, N302, N401]\n",
	 "{\"l\":[\"1 MAIN ST\",\"SUITE 2\",\"SPRINGFIELD\"]}"},
	{"list without its absent members", "    l: [BEG04, BEG03]\n",
	 "{\"l\":[\"PO-1\"]}"},
	{"list omitted when empty", "    l: [BEG04]\n", "{}"},
	{"list of objects", "    l:\n      - {q: N103, v: N104}\n",
	 "{\"l\":[{\"q\":\"92\",\"v\":\"1001\"}]}"},
};

START_TEST(test_forms)
{
	struct run r;

	run_exec(&r, head_850, forms[_i].fields, set_850, NULL);
	assert_clean(&r);
	ck_assert_msg(!strcmp(fields_json(&r), forms[_i].json), "%s: %s",
		      forms[_i].what, fields_json(&r));
	run_done(&r);
}
END_TEST

/* --- each --- */

static const struct {
	const char *what, *fields, *json;
} eaches[] = {
	{"loop", "    p: {each: loop N1, fields: {role: N101}}\n",
	 "{\"p\":[{\"role\":\"BY\"},{\"role\":\"ST\"},{\"role\":\"BT\"}]}"},
	{"loop where in",
	 "    p:\n      each: loop N1 where N101 in [ST BT]\n"
	 "      fields: {n: N102}\n",
	 "{\"p\":[{\"n\":\"ACME STORE\"},{\"n\":\"ACME AP\"}]}"},
	{"loop where =",
	 "    p: {each: loop N1 where N101 = BY, fields: {n: N102}}\n",
	 "{\"p\":[{\"n\":\"ACME BUYER\"}]}"},
	{"loop where matching none",
	 "    p: {each: loop N1 where N101 = ZZ, fields: {n: N102}}\n", "{}"},
	{"paths inside an instance",
	 "    p:\n      each: loop N1\n      fields:\n        role: N101\n"
	 "        address: {street: N301, city: N401}\n",
	 "{\"p\":[{\"role\":\"BY\"},{\"role\":\"ST\",\"address\":{\"street\":"
	 "\"1 MAIN ST\",\"city\":\"SPRINGFIELD\"}},{\"role\":\"BT\"}]}"},
	{"empty instances omitted",
	 "    p: {each: loop N1, fields: {refs: {each: REF, fields: {v: "
	 "REF02}}}}\n",
	 "{\"p\":[{\"refs\":[{\"v\":\"77\"}]}]}"},
	{"segment, directly in the scope",
	 "    refs: {each: REF, fields: {q: REF01, v: REF02}}\n",
	 "{\"refs\":[{\"q\":\"IA\",\"v\":\"V-77\"},{\"q\":\"DP\",\"v\":\"038\"}"
	 ","
	 "{\"q\":\"PD\",\"v\":\"PROMO\"}]}"},
	{"nested loops",
	 "    lines:\n      each: loop PO1\n      fields:\n"
	 "        n: PO101\n        d: {each: loop PID, fields: {t: PID05}}\n",
	 "{\"lines\":[{\"n\":\"1\",\"d\":[{\"t\":\"WIDGET\"}]},{\"n\":\"2\"}]"
	 "}"},
	{"pairs",
	 "    lines: {each: loop PO1, fields: {ids: {pairs: PO106, to: "
	 "109}}}\n",
	 "{\"lines\":[{\"ids\":[{\"qualifier\":\"UP\",\"value\":"
	 "\"012345678905\"},{\"qualifier\":\"VP\",\"value\":\"V-100\"}]},"
	 "{\"ids\":[{\"qualifier\":\"VP\",\"value\":\"V-200\"}]}]}"},
	{"pairs of the first segment of the scope",
	 "    ids: {pairs: PO106, to: 109}\n",
	 "{\"ids\":[{\"qualifier\":\"UP\",\"value\":\"012345678905\"},"
	 "{\"qualifier\":\"VP\",\"value\":\"V-100\"}]}"},
	{"no instance", "    p: {each: loop PID, fields: {t: PID05}}\n", "{}"},
};

START_TEST(test_each)
{
	struct run r;

	run_exec(&r, head_850, eaches[_i].fields, set_850, NULL);
	assert_clean(&r);
	ck_assert_msg(!strcmp(fields_json(&r), eaches[_i].json), "%s: %s",
		      eaches[_i].what, fields_json(&r));
	run_done(&r);
}
END_TEST

static const struct {
	const char *what, *fields, *json;
} hl_eaches[] = {
	{"hl at the top", "    s: {each: hl S, fields: {id: HL01}}\n",
	 "{\"s\":[{\"id\":\"1\"}]}"},
	{"hl of every order", "    o: {each: hl O, fields: {po: PRF01}}\n",
	 "{\"o\":[{\"po\":\"PO-1\"},{\"po\":\"PO-2\"}]}"},
	{"hl descendants, from HL02",
	 "    o:\n      each: hl O\n      fields:\n        po: PRF01\n"
	 "        items: {each: hl I, fields: {sku: LIN03}}\n",
	 "{\"o\":[{\"po\":\"PO-1\",\"items\":[{\"sku\":\"A\"},{\"sku\":\"B\"}]}"
	 ","
	 "{\"po\":\"PO-2\",\"items\":[{\"sku\":\"C\"}]}]}"},
	{"hl direct children",
	 "    o:\n      each: hl O\n      fields:\n        po: PRF01\n"
	 "        items: {each: hl I direct, fields: {sku: LIN03}}\n",
	 "{\"o\":[{\"po\":\"PO-1\",\"items\":[{\"sku\":\"B\"}]},"
	 "{\"po\":\"PO-2\",\"items\":[{\"sku\":\"C\"}]}]}"},
	{"hl through a level without matches",
	 "    p: {each: hl P, fields: {i: {each: hl I direct, fields: {sku: "
	 "LIN03}}}}\n",
	 "{\"p\":[{\"i\":[{\"sku\":\"A\"}]}]}"},
	{"loop within hl S",
	 "    p: {each: loop N1, within: hl S, fields: {role: N101}}\n",
	 "{\"p\":[{\"role\":\"SF\"},{\"role\":\"ST\"}]}"},
	{"segment within hl S",
	 "    r: {each: REF, within: hl S, fields: {v: REF02}}\n",
	 "{\"r\":[{\"v\":\"BOL-9\"}]}"},
	{"loop without within",
	 "    p: {each: loop N1, fields: {role: N101}}\n", "{}"},
	{"within a level that is absent",
	 "    p: {each: loop N1, within: hl T, fields: {role: N101}}\n", "{}"},
};

START_TEST(test_each_hl)
{
	struct run r;

	run_exec(&r, head_856, hl_eaches[_i].fields, set_856, NULL);
	assert_clean(&r);
	ck_assert_msg(!strcmp(fields_json(&r), hl_eaches[_i].json), "%s: %s",
		      hl_eaches[_i].what, fields_json(&r));
	run_done(&r);
}
END_TEST

/* --- transforms --- */

static const struct {
	const char *what, *fields, *json;
} xforms[] = {
	{"date", "    d: BEG05 | date\n", "{\"d\":\"2026-11-20\"}"},
	{"time", "    t: DTM03 | time\n", "{\"t\":\"14:30\"}"},
	{"decimal", "    q: PO104 | decimal\n", "{\"q\":\"12.5\"}"},
	{"decimal with zeros",
	 "    l: {each: loop PO1, fields: {p: PO104 | decimal}}\n",
	 "{\"l\":[{\"p\":\"12.5\"},{\"p\":\"3\"}]}"},
	{"implied(2)", "    a: CTT03 | implied(2)\n", "{\"a\":\"126\"}"},
	{"integer is a JSON number", "    n: CTT01 | integer\n", "{\"n\":2}"},
	{"code", "    r: N101 | code(roles)\n", "{\"r\":\"buyer\"}"},
	{"code in each",
	 "    p:\n      each: loop N1 where N101 in [BY ST]\n"
	 "      fields: {r: N101 | code(roles)}\n",
	 "{\"p\":[{\"r\":\"buyer\"},{\"r\":\"ship_to\"}]}"},
	{"code with keep",
	 "    l: {each: loop PO1, fields: {u: PO103 | code(uom)}}\n",
	 "{\"l\":[{\"u\":\"each\"},{\"u\":\"CA\"}]}"},
	{"match: the capture group",
	 "    v: \"REF02 where REF01 = IA | match(V-([0-9]+))\"\n",
	 "{\"v\":\"77\"}"},
	{"match: the whole match", "    v: \"BEG03 | match([0-9]+)\"\n",
	 "{\"v\":\"1\"}"},
	{"transforms in order", "    v: \"N102 | match(ACME (.*)) | upper\"\n",
	 "{\"v\":\"BUYER\"}"},
	{"an absent value is not transformed", "    d: BEG04 | date\n", "{}"},
	{"transform list with default",
	 "    u: {value: BEG04, default: EA, transform: [\"code(uom)\"]}\n",
	 "{\"u\":\"EA\"}"},
};

START_TEST(test_transforms)
{
	struct run r;

	run_exec(&r, head_850, xforms[_i].fields, set_850, NULL);
	assert_clean(&r);
	ck_assert_msg(!strcmp(fields_json(&r), xforms[_i].json), "%s: %s",
		      xforms[_i].what, fields_json(&r));
	run_done(&r);
}
END_TEST

static const struct {
	const char *what, *fields, *json, *at, *tag;
	size_t segment;
	unsigned element;
} xform_errors[] = {
	{"date", "    d: BEG03 | date\n    n: BEG01\n", "{\"n\":\"00\"}",
	 "PO-1", "BEG", 4, 3},
	{"integer", "    d: BEG03 | integer\n", "{}", "PO-1", "BEG", 4, 3},
	{"code without keep",
	 "    p: {each: loop N1, fields: {r: N101 | code(roles)}}\n",
	 "{\"p\":[{\"r\":\"buyer\"},{\"r\":\"ship_to\"}]}", "BT*", "N1", 15, 1},
	{"pair", "    v: PO1 pair VP | integer\n", "{}", "V-100", "PO1", 16, 9},
	{"match without a match", "    v: \"CUR02 | match(^X)\"\n", "{}", "USD",
	 "CUR", 5, 2},
};

START_TEST(test_transform_errors)
{
	struct run r;
	const struct edi_error *e;

	run_exec(&r, head_850, xform_errors[_i].fields, set_850, NULL);
	ck_assert_msg(r.diag.n == 1, "%s: %zu diagnostics",
		      xform_errors[_i].what, r.diag.n);
	e = &r.diag.items[0];
	ck_assert_int_eq(e->code, X12_MAP_VALUE);
	ck_assert_int_eq(edi_code_level(e->code), EDI_LEVEL_AK4);
	ck_assert_int_eq(edi_code_ack(e->code), 7);
	ck_assert_uint_eq(e->loc.segment, xform_errors[_i].segment);
	ck_assert_uint_eq(e->loc.set_position,
			  xform_errors[_i].segment - FIRST_INDEX + 1);
	ck_assert_uint_eq(e->loc.element, xform_errors[_i].element);
	ck_assert_str_eq(e->loc.tag, xform_errors[_i].tag);
	ck_assert_uint_eq(e->loc.offset, offset_of(&r, xform_errors[_i].at));
	ck_assert_msg(strstr(e->msg, "(map x.yaml:"), "%s", e->msg);
	/* the record is still made, without the value */
	ck_assert_msg(!strcmp(fields_json(&r), xform_errors[_i].json), "%s: %s",
		      xform_errors[_i].what, fields_json(&r));
	run_done(&r);
}
END_TEST

/* --- the engine's members --- */

START_TEST(test_engine_members)
{
	static const char want[] =
		"{\"doc_type\":\"order\","
		"\"id\":\"acme.000000001.1.0001\","
		"\"doc_key\":\"acme:order:PO-1\","
		"\"partner\":\"acme\","
		"\"correlation_id\":\"20261127T0930Z-42\","
		"\"source\":{\"format\":\"x12\",\"version\":\"004010\","
		"\"sender\":\"ZZ:ACMESUPPLY\",\"receiver\":\"ZZ:RETAILER\","
		"\"interchange\":\"000000001\",\"group\":\"1\",\"set\":"
		"\"0001\","
		"\"file\":\"in.x12\","
		"\"sha256\":\"" SET_850_SHA256 "\","
		"\"segments\":{\"first\":3,\"last\":20}},"
		"\"n\":\"PO-1\"}";
	struct run r;

	run_exec(&r, head_850, "    n: BEG03\n", set_850, NULL);
	assert_clean(&r);
	ck_assert_str_eq(record_json(&r), want);
	run_done(&r);
}
END_TEST

START_TEST(test_engine_members_without_partner)
{
	struct map_source src;
	struct run r;

	source_default(&src);
	src.partner = NULL;
	src.correlation_id = NULL;
	src.file = NULL;
	run_exec(&r, head_850, "    n: BEG03\n", set_850, &src);
	assert_clean(&r);
	ck_assert_ptr_null(rec_get(r.rec, "partner"));
	ck_assert_ptr_null(rec_get(r.rec, "correlation_id"));
	ck_assert_ptr_null(rec_get(rec_get(r.rec, "source"), "file"));
	ck_assert(sv_eq_cstr(rec_get_text(r.rec, "id"),
			     "zz-acmesupply.000000001.1.0001"));
	ck_assert(sv_eq_cstr(rec_get_text(r.rec, "doc_key"),
			     "zz-acmesupply:order:PO-1"));
	run_done(&r);
}
END_TEST

START_TEST(test_engine_members_come_first)
{
	static const char *const order[] = {
		"doc_type", "id", "doc_key", "partner", "correlation_id",
		"source",   "a",  "b",	     NULL};
	struct run r;
	const struct rec_value *v;
	size_t i = 0;

	run_exec(&r, head_850, "    a: BEG01\n    b: BEG02\n", set_850, NULL);
	for (v = r.rec->first; v; v = v->next, i++) {
		ck_assert_ptr_nonnull(order[i]);
		ck_assert_str_eq(v->key, order[i]);
	}
	ck_assert_ptr_null(order[i]);
	ck_assert_uint_eq(r.rec->nchildren, i);
	run_done(&r);
}
END_TEST

Suite *map_exec_suite(void)
{
	Suite *s = suite_create("map_exec");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_paths, 0,
			    (int)(sizeof(paths) / sizeof(paths[0])));
	tcase_add_loop_test(tc, test_forms, 0,
			    (int)(sizeof(forms) / sizeof(forms[0])));
	tcase_add_loop_test(tc, test_each, 0,
			    (int)(sizeof(eaches) / sizeof(eaches[0])));
	tcase_add_loop_test(tc, test_each_hl, 0,
			    (int)(sizeof(hl_eaches) / sizeof(hl_eaches[0])));
	tcase_add_loop_test(tc, test_transforms, 0,
			    (int)(sizeof(xforms) / sizeof(xforms[0])));
	tcase_add_loop_test(
		tc, test_transform_errors, 0,
		(int)(sizeof(xform_errors) / sizeof(xform_errors[0])));
	tcase_add_test(tc, test_engine_members);
	tcase_add_test(tc, test_engine_members_without_partner);
	tcase_add_test(tc, test_engine_members_come_first);
	suite_add_tcase(s, tc);
	return s;
}
