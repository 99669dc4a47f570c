/*
 * test_map_guide - guide placement and element checks (map_guide): every
 * AK304 segment code and AK403 element code the validator reports, each
 * with its location (segment number, position in the set, element,
 * component, byte offset) and its 997 code; loop instances and the HL
 * tree it builds.  The maps are small ones written here; the sets are cut
 * with x12_set_split() from strings with the delimiters '*', '>', '^' and
 * '~', as if the ST were segment 3 at byte 1000 of a file.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "map_guide.h"
#include "map_load.h"
#include "suites.h"
#include "x12_envelope.h"
#include "x12_fixture.h"
#include "x12_set.h"

#define BASE_OFFSET 1000 /* byte offset of the ST in the "file" */
#define FIRST_INDEX 3	 /* segment number of the ST (after ISA, GS) */

static const struct x12_delims delims = {
	.element = '*', .component = '>', .repetition = '^', .terminator = '~'};

/* --- the maps --- */

/* Structure: loops, maximum uses, mandatory entries. */
static const char structure_map[] =
	"map: t-structure\n"
	"document: \"850\"\n"
	"segments:\n"
	"  BEG: [M ID 2/2, M ID 2/2, M AN 1/22, O AN 1/30, M DT 8/8]\n"
	"  N1: [M ID 2/3, X AN 1/60]\n"
	"  PO1: [O AN 1/20, X R 1/15, X ID 2/2]\n"
	"guide:\n"
	"  - ST M 1\n"
	"  - BEG M 1\n"
	"  - DTM O 2\n"
	"  - REF O >1\n"
	"  - loop N9 O 1:\n"
	"      - N9 M 1\n"
	"      - MSG M 1\n"
	"  - loop N1 O 2:\n"
	"      - N1 M 1\n"
	"      - N3 O 2\n"
	"      - N4 O 1\n"
	"  - loop PO1 M 3:\n"
	"      - PO1 M 1\n"
	"      - loop PID O 2:\n"
	"          - PID M 1\n"
	"          - MEA O 1\n"
	"      - PO4 O 1\n"
	"  - loop CTT O 1:\n"
	"      - CTT M 1\n"
	"  - SE M 1\n";

/* Elements: every segment optional, so that one segment is checked. */
static const char elements_map[] =
	"map: t-elements\n"
	"document: \"850\"\n"
	"segments:\n"
	"  BEG:\n"
	"    - M ID 2/2 [00 05]\n"
	"    - M ID 2/2\n"
	"    - M AN 1/22\n"
	"    - O AN 1/30\n"
	"    - M DT 8/8\n"
	"  DTM:\n"
	"    elements: [M ID 3/3, X DT 8/8, X TM 4/8]\n"
	"    syntax: [R0203]\n"
	"  REF:\n"
	"    elements:\n"
	"      - M ID 2/3\n"
	"      - X AN 1/30\n"
	"      - X AN 1/80 x2\n"
	"      - {req: O, composite: [M ID 2/3, M AN 1/30]}\n"
	"    syntax: [R0203]\n"
	"  PER:\n"
	"    elements: [M ID 2/2, O AN 1/60, X ID 2/2, X AN 1/80]\n"
	"    syntax: [P0304]\n"
	"  N1:\n"
	"    - M ID 2/3 [BT BY ST]\n"
	"    - X AN 1/60\n"
	"  TD5:\n"
	"    elements: [O ID 1/2, X ID 1/2, X AN 2/80, X ID 1/2, X AN 1/35]\n"
	"    syntax: [L020304, E0405]\n"
	"  PO1:\n"
	"    elements: [O AN 1/20, X R 1/5, X ID 2/2, X R 1/6, O N2 1/4]\n"
	"    syntax: [C0302]\n"
	"  CTT: [M N0 1/6]\n"
	"guide:\n"
	"  - ST M 1\n"
	"  - BEG M 1\n"
	"  - DTM O 9\n"
	"  - REF O 9\n"
	"  - PER O 9\n"
	"  - N1 O 9\n"
	"  - TD5 O 9\n"
	"  - PO1 O 9\n"
	"  - CTT O 9\n"
	"  - SE M 1\n";

/* The 856 hierarchy. */
static const char hl_map[] = "map: t-hl\n"
			     "document: \"856\"\n"
			     "segments:\n"
			     "  HL: [M AN 1/12, O AN 1/12, M ID 1/2]\n"
			     "guide:\n"
			     "  - ST M 1\n"
			     "  - BSN M 1\n"
			     "  - loop HL M 100:\n"
			     "      - HL M 1\n"
			     "      - LIN O 1\n"
			     "  - SE M 1\n";

/* --- helpers --- */

struct run {
	struct map_set maps;
	const struct map *m;
	struct arena arena;
	struct x12_limits limits;
	struct x12_set set;
	struct edi_diag diag;
	const char *text;
};

/* Load yaml, split text and place it in the guide. */
static void run_guide(struct run *r, const char *yaml, const char *text)
{
	struct edi_diag errs;
	struct edi_error err;

	memset(r, 0, sizeof(*r));
	map_set_init(&r->maps);
	edi_diag_init(&errs, 20);
	map_load_text(&r->maps, "g.yaml", sv_cstr(yaml), &errs);
	map_set_resolve(&r->maps, &errs);
	ck_assert_msg(errs.n == 0, "map: %s", errs.n ? errs.items[0].msg : "");
	edi_diag_release(&errs);
	ck_assert_uint_eq(r->maps.n, 1);
	r->m = r->maps.maps[0];
	arena_init(&r->arena, 0);
	x12_limits_default(&r->limits);
	edi_diag_init(&r->diag, 100);
	r->text = text;
	ck_assert_int_eq(x12_set_split(&r->set, &r->arena, sv_cstr(text),
				       &delims, BASE_OFFSET, FIRST_INDEX,
				       &r->limits, &r->diag, &err),
			 EDI_OK);
	ck_assert_uint_eq(r->diag.n, 0);
	map_guide_apply(r->m, &r->set, &r->diag);
}

static void run_done(struct run *r)
{
	edi_diag_release(&r->diag);
	arena_release(&r->arena);
	map_set_release(&r->maps);
}

/* Every diagnostic, one per line, for failure messages. */
static const char *all_diags(const struct edi_diag *d)
{
	static char text[2048];
	size_t used = 0;

	text[0] = '\0';
	for (size_t i = 0; i < d->n && used < sizeof(text); i++) {
		int w = snprintf(text + used, sizeof(text) - used, "%s: %s\n",
				 edi_code_name(d->items[i].code),
				 d->items[i].msg);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return text;
}

static void assert_clean(const struct run *r)
{
	ck_assert_msg(r->diag.n == 0, "diagnostics:\n%s", all_diags(&r->diag));
}

/* The byte offset in the "file" of the first occurrence of needle. */
static size_t offset_of(const struct run *r, const char *needle)
{
	const char *p = strstr(r->text, needle);

	ck_assert_ptr_nonnull(p);
	return BASE_OFFSET + (size_t)(p - r->text);
}

struct want {
	enum edi_code code;
	enum edi_level level;
	int ack; /* AK304 or AK403 */
	size_t segment, set_position;
	unsigned element, component;
	const char *tag;
};

/* r has exactly one diagnostic, and it is w. */
static const struct edi_error *expect_one(const struct run *r,
					  const struct want *w)
{
	const struct edi_error *e;

	ck_assert_msg(r->diag.n == 1, "want one diagnostic, got %zu:\n%s",
		      r->diag.n, all_diags(&r->diag));
	e = &r->diag.items[0];
	ck_assert_msg(e->code == w->code, "want %s, got %s (%s)",
		      edi_code_name(w->code), edi_code_name(e->code), e->msg);
	ck_assert_int_eq(edi_code_level(e->code), w->level);
	ck_assert_int_eq(edi_code_ack(e->code), w->ack);
	ck_assert_uint_eq(e->loc.segment, w->segment);
	ck_assert_uint_eq(e->loc.set_position, w->set_position);
	ck_assert_uint_eq(e->loc.element, w->element);
	ck_assert_uint_eq(e->loc.component, w->component);
	ck_assert_str_eq(e->loc.tag, w->tag);
	return e;
}

/* The HL loop with HL01 id, or NULL. */
static const struct x12_loop *hl_by_id(const struct x12_set *set,
				       const char *id)
{
	for (const struct x12_loop *l = set->hl_first; l; l = l->hl_next_in_set)
		if (sv_eq_cstr(l->hl_id, id))
			return l;
	return NULL;
}

/* The HL01 of the HL children of l, e.g. "4,6". */
static const char *hl_children(const struct x12_loop *l)
{
	static char ids[64];
	size_t used = 0;

	ids[0] = '\0';
	for (const struct x12_loop *c = l->hl_first_child; c; c = c->hl_next)
		used += (size_t)snprintf(ids + used, sizeof(ids) - used,
					 "%s%.*s", used ? "," : "",
					 (int)c->hl_id.len, c->hl_id.ptr);
	return ids;
}

/* --- a sound set --- */

START_TEST(test_sound_set_is_clean)
{
	struct run r;

	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~DTM*002~REF*DP*1~"
		  "N1*ST*STORE~N3*MAIN~PO1*1*2*EA~PID*F~MEA*X~PO4*1~CTT*1~"
		  "SE*12*0001~");
	assert_clean(&r);
	for (size_t i = 0; i < r.set.nsegs; i++)
		ck_assert_ptr_nonnull(r.set.segs[i].node);
	ck_assert(!r.set.has_hl);
	run_done(&r);
}
END_TEST

/* --- AK304 segment codes --- */

START_TEST(test_unknown_tag_is_not_in_set)
{
	struct run r;
	struct want w = {
		X12_SEG_UNDEFINED, EDI_LEVEL_AK3, 6, 5, 3, 0, 0, "ZZZ"};
	const struct edi_error *e;

	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~ZZZ*1~PO1*1~"
		  "SE*5*0001~");
	e = expect_one(&r, &w);
	ck_assert_uint_eq(e->loc.offset, offset_of(&r, "ZZZ"));
	ck_assert_ptr_null(r.set.segs[2].node);
	/* the segments after it are placed as usual */
	ck_assert_ptr_nonnull(r.set.segs[3].node);
	ck_assert_str_eq(r.set.segs[3].node->tag, "PO1");
	run_done(&r);
}
END_TEST

START_TEST(test_invalid_tag_is_left_to_the_envelope)
{
	static const char body[] =
		"GS*PO*SENDER*RECEIVER*20261127*0930*1*X*004010~"
		"ST*850*0001~BEG*00*SA*PO-1**20261120~z9*1~PO1*1~SE*5*0001~"
		"GE*1*1~IEA*1*000000001~";
	struct fx_delims fd = FX_STD;
	struct run r;
	struct buf in;
	struct edi_diag env;
	const struct edi_error *e;

	/* the guide says nothing about a tag that is no tag at all */
	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~z9*1~PO1*1~"
		  "SE*5*0001~");
	assert_clean(&r);
	run_done(&r);
	/* the envelope reports it: AK304 1 */
	buf_init(&in, 1 << 16);
	fx_isa(&in, &fd);
	fx_body(&in, &fd, body);
	fx_diag(buf_view(&in), &env);
	e = fx_find(&env, X12_SEG_TAG, 5, 0);
	ck_assert_msg(e != NULL, "%s", all_diags(&env));
	ck_assert_int_eq(edi_code_level(e->code), EDI_LEVEL_AK3);
	ck_assert_int_eq(edi_code_ack(e->code), 1);
	edi_diag_release(&env);
	buf_release(&in);
}
END_TEST

START_TEST(test_segment_out_of_order)
{
	struct run r;
	struct want w = {X12_SEG_ORDER, EDI_LEVEL_AK3, 7, 6, 4, 0, 0, "DTM"};
	const struct edi_error *e;

	/* DTM comes before REF in the guide */
	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~REF*DP*1~DTM*002~"
		  "PO1*1~SE*6*0001~");
	e = expect_one(&r, &w);
	ck_assert_uint_eq(e->loc.offset, offset_of(&r, "DTM"));
	ck_assert_ptr_null(r.set.segs[3].node);
	ck_assert_ptr_nonnull(r.set.segs[4].node);
	run_done(&r);
}
END_TEST

START_TEST(test_segment_outside_its_loop)
{
	struct run r;
	struct want w = {X12_SEG_ORDER, EDI_LEVEL_AK3, 7, 5, 3, 0, 0, "N3"};

	/* N3 only exists inside loop N1, and no N1 is open */
	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~N3*MAIN~PO1*1~"
		  "SE*5*0001~");
	expect_one(&r, &w);
	run_done(&r);
}
END_TEST

static const struct {
	const char *what, *set, *tag, *in_msg;
	size_t segment, set_position;
} missing[] = {
	{"mandatory segment", "ST*850*0001~DTM*002~PO1*1~SE*4*0001~", "BEG",
	 "mandatory segment BEG", 4, 2},
	{"mandatory loop",
	 "ST*850*0001~BEG*00*SA*PO-1**20261120~CTT*0~SE*4*0001~", "PO1",
	 "mandatory loop PO1", 5, 3},
	{"mandatory segment in a loop, when the loop closes",
	 "ST*850*0001~BEG*00*SA*PO-1**20261120~N9*X~N1*ST*A~PO1*1~"
	 "SE*6*0001~",
	 "MSG", "mandatory segment MSG", 6, 4},
	{"mandatory segment at the end",
	 "ST*850*0001~BEG*00*SA*PO-1**20261120~PO1*1~", "SE",
	 "mandatory segment SE", 5, 3},
};

START_TEST(test_mandatory_missing)
{
	struct run r;
	struct want w = {X12_SEG_MISSING,
			 EDI_LEVEL_AK3,
			 3,
			 missing[_i].segment,
			 missing[_i].set_position,
			 0,
			 0,
			 missing[_i].tag};
	const struct edi_error *e;

	run_guide(&r, structure_map, missing[_i].set);
	e = expect_one(&r, &w);
	ck_assert_msg(strstr(e->msg, missing[_i].in_msg), "%s: %s",
		      missing[_i].what, e->msg);
	run_done(&r);
}
END_TEST

START_TEST(test_loop_over_max)
{
	struct run r;
	struct want w = {X12_LOOP_MAX, EDI_LEVEL_AK3, 4, 7, 5, 0, 0, "N1"};
	const struct edi_error *e;

	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~N1*ST*A~N1*BT*B~"
		  "N1*BY*C~PO1*1~SE*7*0001~");
	e = expect_one(&r, &w);
	ck_assert_uint_eq(e->loc.offset, offset_of(&r, "N1*BY"));
	run_done(&r);
}
END_TEST

START_TEST(test_segment_over_max)
{
	struct run r;
	struct want w = {X12_SEG_MAX, EDI_LEVEL_AK3, 5, 7, 5, 0, 0, "DTM"};
	const struct edi_error *e;

	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~DTM*002~DTM*010~"
		  "DTM*037~PO1*1~SE*7*0001~");
	e = expect_one(&r, &w);
	ck_assert_uint_eq(e->loc.offset, offset_of(&r, "DTM*037"));
	run_done(&r);
}
END_TEST

START_TEST(test_segment_over_max_in_loop)
{
	struct run r;
	struct want w = {X12_SEG_MAX, EDI_LEVEL_AK3, 5, 8, 6, 0, 0, "N3"};

	/* N3 O 2 counts per instance of loop N1 */
	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~N1*ST*A~N3*1~N3*2~"
		  "N3*3~N1*BT*B~N3*1~N3*2~PO1*1~SE*11*0001~");
	expect_one(&r, &w);
	run_done(&r);
}
END_TEST

/* --- loops --- */

START_TEST(test_nested_loops)
{
	struct run r;
	const struct x12_loop *po1a, *po1b, *pida, *pidb, *ctt;

	/* 0 ST, 1 BEG, 2 PO1, 3 PID, 4 MEA, 5 PID, 6 PO4, 7 PO1, 8 PID,
	 * 9 CTT, 10 SE */
	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~PO1*1~PID*F~MEA*X~"
		  "PID*F~PO4*1~PO1*2~PID*F~CTT*2~SE*11*0001~");
	assert_clean(&r);
	po1a = r.set.root.first_child;
	ck_assert_ptr_nonnull(po1a);
	ck_assert_str_eq(po1a->def->loop_id, "PO1");
	ck_assert_uint_eq(po1a->first, 2);
	ck_assert_uint_eq(po1a->end, 7);
	ck_assert_ptr_eq(po1a->parent, &r.set.root);
	pida = po1a->first_child;
	ck_assert_str_eq(pida->def->loop_id, "PID");
	ck_assert_uint_eq(pida->first, 3);
	ck_assert_uint_eq(pida->end, 5);
	ck_assert_ptr_eq(pida->parent, po1a);
	pidb = pida->next;
	ck_assert_uint_eq(pidb->first, 5);
	ck_assert_uint_eq(pidb->end, 6);
	ck_assert_ptr_null(pidb->next);
	po1b = po1a->next;
	ck_assert_str_eq(po1b->def->loop_id, "PO1");
	ck_assert_uint_eq(po1b->first, 7);
	ck_assert_uint_eq(po1b->end, 9);
	ck_assert_uint_eq(po1b->first_child->first, 8);
	ck_assert_uint_eq(po1b->first_child->end, 9);
	ctt = po1b->next;
	ck_assert_str_eq(ctt->def->loop_id, "CTT");
	ck_assert_uint_eq(ctt->first, 9);
	ck_assert_uint_eq(ctt->end, 10);
	ck_assert_ptr_null(ctt->next);
	/* every segment sits in its innermost loop */
	ck_assert_ptr_eq(r.set.segs[4].loop, pida);
	ck_assert_str_eq(r.set.segs[4].node->tag, "MEA");
	ck_assert_ptr_eq(r.set.segs[6].loop, po1a);
	ck_assert_ptr_eq(r.set.segs[8].loop, po1b->first_child);
	ck_assert_ptr_eq(r.set.segs[10].loop, &r.set.root);
	run_done(&r);
}
END_TEST

START_TEST(test_loop_trigger_starts_new_instance)
{
	struct run r;
	const struct x12_loop *a, *b;

	/* 0 ST, 1 BEG, 2 N1, 3 N3, 4 N1, 5 N3, 6 N4, 7 PO1, 8 SE */
	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~N1*ST*A~N3*1~"
		  "N1*BT*B~N3*2~N4*X~PO1*1~SE*9*0001~");
	assert_clean(&r);
	a = r.set.root.first_child;
	b = a->next;
	ck_assert_str_eq(a->def->loop_id, "N1");
	ck_assert_str_eq(b->def->loop_id, "N1");
	ck_assert_uint_eq(a->first, 2);
	ck_assert_uint_eq(a->end, 4);
	ck_assert_uint_eq(b->first, 4);
	ck_assert_uint_eq(b->end, 7);
	ck_assert_ptr_eq(r.set.segs[2].loop, a);
	ck_assert_ptr_eq(r.set.segs[4].loop, b);
	ck_assert_ptr_eq(r.set.segs[5].loop, b);
	/* the trigger is the loop's first entry */
	ck_assert_ptr_eq(r.set.segs[4].node, &b->def->children[0]);
	run_done(&r);
}
END_TEST

START_TEST(test_segment_after_loop_closes_it)
{
	struct run r;
	const struct x12_loop *n1, *po1;

	/* 0 ST, 1 BEG, 2 N1, 3 N3, 4 PO1, 5 SE */
	run_guide(&r, structure_map,
		  "ST*850*0001~BEG*00*SA*PO-1**20261120~N1*ST*A~N3*1~PO1*1~"
		  "SE*6*0001~");
	assert_clean(&r);
	n1 = r.set.root.first_child;
	ck_assert_uint_eq(n1->first, 2);
	ck_assert_uint_eq(n1->end, 4);
	po1 = n1->next;
	ck_assert_str_eq(po1->def->loop_id, "PO1");
	ck_assert_ptr_eq(po1->parent, &r.set.root);
	ck_assert_ptr_eq(r.set.segs[4].loop, po1);
	ck_assert_ptr_eq(r.set.segs[5].loop, &r.set.root);
	run_done(&r);
}
END_TEST

/* --- the HL tree --- */

START_TEST(test_hl_tree_from_hl02)
{
	struct run r;
	const struct x12_loop *h1, *h2, *h3, *h5, *h6;

	/* item 6 belongs to order 2 though order 3 comes between them */
	run_guide(&r, hl_map,
		  "ST*856*0001~BSN*00*1*20261120*1200~HL*1**S~HL*2*1*O~"
		  "HL*3*1*O~HL*4*2*I~LIN**VP*A~HL*5*3*I~HL*6*2*I~SE*10*0001~");
	assert_clean(&r);
	ck_assert(r.set.has_hl);
	h1 = hl_by_id(&r.set, "1");
	h2 = hl_by_id(&r.set, "2");
	h3 = hl_by_id(&r.set, "3");
	h5 = hl_by_id(&r.set, "5");
	h6 = hl_by_id(&r.set, "6");
	ck_assert_ptr_eq(r.set.hl_first, h1);
	ck_assert_ptr_null(h1->hl_parent);
	ck_assert(sv_eq_cstr(h1->hl_level, "S"));
	ck_assert_str_eq(hl_children(h1), "2,3");
	ck_assert_str_eq(hl_children(h2), "4,6");
	ck_assert_str_eq(hl_children(h3), "5");
	ck_assert_ptr_eq(h6->hl_parent, h2);
	ck_assert_ptr_eq(h5->hl_parent, h3);
	ck_assert(sv_eq_cstr(h6->hl_parent_id, "2"));
	/* the LIN belongs to HL 4's loop instance */
	ck_assert_ptr_eq(r.set.segs[6].loop, hl_by_id(&r.set, "4"));
	run_done(&r);
}
END_TEST

START_TEST(test_hl_parent_unknown)
{
	struct run r;
	struct want w = {X12_HL_PARENT, EDI_LEVEL_AK4, 7, 6, 4, 2, 0, "HL"};
	const struct edi_error *e;

	run_guide(&r, hl_map,
		  "ST*856*0001~BSN*00*1*20261120*1200~HL*1**S~HL*2*9*O~"
		  "SE*5*0001~");
	e = expect_one(&r, &w);
	ck_assert_uint_eq(e->loc.offset, offset_of(&r, "9*O"));
	ck_assert_ptr_null(hl_by_id(&r.set, "2")->hl_parent);
	run_done(&r);
}
END_TEST

START_TEST(test_hl_parent_later)
{
	struct run r;
	struct want w = {X12_HL_PARENT, EDI_LEVEL_AK4, 7, 5, 3, 2, 0, "HL"};

	/* HL02 must name an earlier HL01, not a later one */
	run_guide(&r, hl_map,
		  "ST*856*0001~BSN*00*1*20261120*1200~HL*1*2*S~HL*2**O~"
		  "SE*5*0001~");
	expect_one(&r, &w);
	run_done(&r);
}
END_TEST

START_TEST(test_hl_duplicate)
{
	struct run r;
	struct want w = {X12_HL_DUPLICATE, EDI_LEVEL_AK4, 7, 6, 4, 1, 0, "HL"};
	const struct edi_error *e;

	run_guide(&r, hl_map,
		  "ST*856*0001~BSN*00*1*20261120*1200~HL*1**S~HL*1**O~"
		  "SE*5*0001~");
	e = expect_one(&r, &w);
	ck_assert_uint_eq(e->loc.offset, offset_of(&r, "1**O"));
	run_done(&r);
}
END_TEST

/* --- AK403 element codes --- */

static const char elem_prefix[] = "ST*850*0001~BEG*00*SA*PO-1**20261120~";

static const struct {
	const char *seg;
	enum edi_code code;
	int ack;
	unsigned element, component;
	size_t col; /* byte of the element in seg (0: the segment) */
} bad_elements[] = {
	/* 1 mandatory missing */
	{"REF**X", X12_EL_MISSING, 1, 1, 0, 4},
	/* 2 syntax notes: P, R, C, L; an absent element is located at
	 * its segment */
	{"PER*IC*JOHN*TE", X12_EL_CONDITIONAL, 2, 4, 0, 0},
	{"REF*DP", X12_EL_CONDITIONAL, 2, 2, 0, 0},
	{"PO1*1**EA", X12_EL_CONDITIONAL, 2, 2, 0, 6},
	{"TD5**2", X12_EL_CONDITIONAL, 2, 2, 0, 5},
	/* 3 too many elements */
	{"CTT*1*2", X12_EL_TOO_MANY, 3, 2, 0, 6},
	/* 4 too short */
	{"PER*I", X12_EL_TOO_SHORT, 4, 1, 0, 4},
	/* 5 too long */
	{"CTT*1234567", X12_EL_TOO_LONG, 5, 1, 0, 4},
	{"PO1*1*123456", X12_EL_TOO_LONG, 5, 2, 0, 6},
	{"PO1*1*-1234.56", X12_EL_TOO_LONG, 5, 2, 0, 6},
	/* 6 bad characters */
	{"CTT*1A", X12_EL_CHAR, 6, 1, 0, 4},
	{"PO1*1*1.2.3", X12_EL_CHAR, 6, 2, 0, 6},
	{"REF*DP*A\001B", X12_EL_CHAR, 6, 2, 0, 7},
	/* 7 code not in the list */
	{"N1*XX*NAME", X12_EL_CODE, 7, 1, 0, 3},
	/* 8 date, 9 time */
	{"DTM*002*20261332", X12_EL_DATE, 8, 2, 0, 8},
	{"DTM*002*20250229", X12_EL_DATE, 8, 2, 0, 8},
	{"DTM*002**1261", X12_EL_TIME, 9, 3, 0, 9},
	/* 10 exclusion: the second element present is located */
	{"TD5****A*M", X12_EL_EXCLUSION, 10, 5, 0, 9},
	/* 12 repetitions */
	{"REF*DP*1*A^B^C", X12_EL_REPEAT, 12, 3, 0, 9},
	{"REF*DP*A^B", X12_EL_REPEAT, 12, 2, 0, 7},
	/* 13 components */
	{"REF*DP*1>2", X12_EL_COMPONENTS, 13, 2, 0, 7},
	{"REF*DP*1**VN>1>X", X12_EL_COMPONENTS, 13, 4, 3, 10},
	/* a composite's mandatory component */
	{"REF*DP*1**>X", X12_EL_MISSING, 1, 4, 1, 10},
	{"REF*DP*1**VN", X12_EL_MISSING, 1, 4, 2, 10},
};

START_TEST(test_element_errors)
{
	char text[256], tag[4] = "";
	struct run r;
	const struct edi_error *e;
	struct want w = {bad_elements[_i].code,
			 EDI_LEVEL_AK4,
			 bad_elements[_i].ack,
			 FIRST_INDEX + 2,
			 3,
			 bad_elements[_i].element,
			 bad_elements[_i].component,
			 tag};

	memcpy(tag, bad_elements[_i].seg, strcspn(bad_elements[_i].seg, "*"));
	snprintf(text, sizeof(text), "%s%s~SE*4*0001~", elem_prefix,
		 bad_elements[_i].seg);
	run_guide(&r, elements_map, text);
	e = expect_one(&r, &w);
	ck_assert_uint_eq(e->loc.offset, BASE_OFFSET + sizeof(elem_prefix) - 1 +
						 bad_elements[_i].col);
	run_done(&r);
}
END_TEST

static const char *const good_elements[] = {
	"PO1*1*-12.34*EA",    /* R 1/5: the sign and point do not count */
	"PO1*1*-123.45*EA",   /* five digits in seven characters */
	"PO1*1*1*EA*1*-1234", /* N2 1/4 */
	"CTT*-123456",	      /* N0 1/6 */
	"REF*DP*1*A^B",	      /* two repetitions of REF03 x2 */
	"REF*DP*1**VN>123",   /* a whole composite */
	"CTT*1**",	      /* trailing empty elements are none */
	"DTM*002*20261120*093015",
	"DTM*002*20240229",
	"TD5**2*ABC",
	"N1*BY*NAME",
	"PER*IC*JOHN*TE*555",
};

START_TEST(test_element_clean)
{
	char text[256];
	struct run r;

	snprintf(text, sizeof(text), "%s%s~SE*4*0001~", elem_prefix,
		 good_elements[_i]);
	run_guide(&r, elements_map, text);
	ck_assert_msg(r.diag.n == 0, "'%s':\n%s", good_elements[_i],
		      all_diags(&r.diag));
	run_done(&r);
}
END_TEST

Suite *map_guide_suite(void)
{
	Suite *s = suite_create("map_guide");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_sound_set_is_clean);
	tcase_add_test(tc, test_unknown_tag_is_not_in_set);
	tcase_add_test(tc, test_invalid_tag_is_left_to_the_envelope);
	tcase_add_test(tc, test_segment_out_of_order);
	tcase_add_test(tc, test_segment_outside_its_loop);
	tcase_add_loop_test(tc, test_mandatory_missing, 0,
			    (int)(sizeof(missing) / sizeof(missing[0])));
	tcase_add_test(tc, test_loop_over_max);
	tcase_add_test(tc, test_segment_over_max);
	tcase_add_test(tc, test_segment_over_max_in_loop);
	tcase_add_test(tc, test_nested_loops);
	tcase_add_test(tc, test_loop_trigger_starts_new_instance);
	tcase_add_test(tc, test_segment_after_loop_closes_it);
	tcase_add_test(tc, test_hl_tree_from_hl02);
	tcase_add_test(tc, test_hl_parent_unknown);
	tcase_add_test(tc, test_hl_parent_later);
	tcase_add_test(tc, test_hl_duplicate);
	tcase_add_loop_test(
		tc, test_element_errors, 0,
		(int)(sizeof(bad_elements) / sizeof(bad_elements[0])));
	tcase_add_loop_test(
		tc, test_element_clean, 0,
		(int)(sizeof(good_elements) / sizeof(good_elements[0])));
	suite_add_tcase(s, tc);
	return s;
}
