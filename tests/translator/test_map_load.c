/*
 * test_map_load - maps from YAML: every construct compiles to the right
 * fields of struct map, `extends` merges as docs/map-language.md says,
 * and each kind of mistake is reported at its file:line:col.  The maps
 * are small ones written here; the shipped maps/ are loaded too when
 * present.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "map_defs.h"
#include "map_load.h"
#include "map_pipe.h"
#include "suites.h"

/* --- helpers --- */

struct loaded {
	struct map_set set;
	struct edi_diag errs;
	enum edi_code rc;
};

static void load_files(struct loaded *l, const char *const *files,
		       const char *const *texts, size_t n)
{
	memset(l, 0, sizeof(*l));
	map_set_init(&l->set);
	edi_diag_init(&l->errs, 100);
	for (size_t i = 0; i < n; i++)
		if (map_load_text(&l->set, files[i], sv_cstr(texts[i]),
				  &l->errs))
			l->rc = EDI_ECONFIG;
	if (map_set_resolve(&l->set, &l->errs))
		l->rc = EDI_ECONFIG;
}

static void load1(struct loaded *l, const char *yaml)
{
	const char *file = "t.yaml";

	load_files(l, &file, &yaml, 1);
}

static void unload(struct loaded *l)
{
	map_set_release(&l->set);
	edi_diag_release(&l->errs);
}

/* All messages, one per line, for failure output. */
static const char *all_errors(const struct loaded *l)
{
	static char text[4096];
	size_t used = 0;

	text[0] = '\0';
	for (size_t i = 0; i < l->errs.n && used < sizeof(text); i++) {
		int w = snprintf(text + used, sizeof(text) - used, "%s\n",
				 l->errs.items[i].msg);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return text;
}

static bool has_error(const struct loaded *l, const char *msg)
{
	for (size_t i = 0; i < l->errs.n; i++)
		if (!strcmp(l->errs.items[i].msg, msg))
			return true;
	return false;
}

static void assert_clean(const struct loaded *l)
{
	ck_assert_msg(l->rc == EDI_OK && l->errs.n == 0, "errors:\n%s",
		      all_errors(l));
}

static const struct map_field *member(const struct map_field *obj,
				      const char *name)
{
	for (size_t i = 0; i < obj->nchildren; i++)
		if (obj->children[i].name &&
		    !strcmp(obj->children[i].name, name))
			return &obj->children[i];
	return NULL;
}

static const struct guide_node *child_tag(const struct guide_node *loop,
					  const char *tag, bool is_loop)
{
	for (size_t i = 0; i < loop->nchildren; i++) {
		const struct guide_node *g = &loop->children[i];

		if ((g->kind == GUIDE_LOOP) == is_loop &&
		    !strcmp(is_loop ? g->loop_id : g->tag, tag))
			return g;
	}
	return NULL;
}

/* --- the maps --- */

static const char base_850[] =
	"map: x12-850\n"
	"document: \"850\"\n"
	"versions: [\"004010\", \"*\"]\n"
	"description: Purchase order\n"
	"segments:\n"
	"  BEG:\n"
	"    - M ID 2/2 [00 07 01 06 05]\n"
	"    - M ID 2/2\n"
	"    - M AN 1/22\n"
	"    - O AN 1/30\n"
	"    - M DT 8/8\n"
	"  CUR: [M ID 2/3, M ID 3/3]\n"
	"  REF:\n"
	"    elements:\n"
	"      - M ID 2/3\n"
	"      - X AN 1/50\n"
	"      - X AN 1/80\n"
	"      - {req: O, composite: [M ID 2/3, M AN 1/50], repeat: 2}\n"
	"    syntax: [R0203]\n"
	"  PO1:\n"
	"    elements: [O AN 1/20, X R 1/15, X ID 2/2, X R 1/17, O ID 2/2,\n"
	"               X ID 2/2, X AN 1/48]\n"
	"    syntax: [C0302, P0607]\n"
	"  N1: [M ID 2/3, X AN 1/60, X ID 1/2, X AN 2/80]\n"
	"  CTT: [M N0 1/6, O R 1/10]\n"
	"  TDS: [M N2 1/15]\n"
	"  SAC: [M ID 1/1, X ID 4/4, O AN 2/10, O AN 1/35, O N2 1/15]\n"
	"guide:\n"
	"  - ST M 1\n"
	"  - BEG M 1\n"
	"  - CUR O 1\n"
	"  - REF O >1\n"
	"  - loop N1 O 200:\n"
	"      - N1 M 1\n"
	"      - N3 O 2\n"
	"      - N4 O 1\n"
	"  - loop PO1 M 100000:\n"
	"      - PO1 M 1\n"
	"      - loop PID O 1000:\n"
	"          - PID M 1\n"
	"  - TDS O 1\n"
	"  - SAC O 25\n"
	"  - loop CTT O 1:\n"
	"      - CTT M 1\n"
	"  - SE M 1\n"
	"tables:\n"
	"  uom: {EA: each, CA: case, \"*\": keep}\n"
	"  party_roles: {BY: buyer, ST: ship_to, BT: bill_to}\n"
	"rules:\n"
	"  - lines: CTT01 counts PO1\n"
	"record:\n"
	"  doc_type: order\n"
	"  doc_key: BEG03\n"
	"  fields:\n"
	"    order_number: BEG03\n"
	"    order_date: BEG05 | date\n"
	"    purpose_code: BEG01\n"
	"    parties:\n"
	"      each: loop N1 where N101 in [ST BT]\n"
	"      fields:\n"
	"        role: N101 | code(party_roles)\n"
	"        name: N102\n"
	"        ids:\n"
	"          - {qualifier: N103, value: N104}\n"
	"    references:\n"
	"      each: REF\n"
	"      fields: {qualifier: REF01, value: REF02}\n"
	"    lines:\n"
	"      each: loop PO1\n"
	"      fields:\n"
	"        quantity: PO102 | decimal\n"
	"        uom: {value: PO103, default: EA, transform: [trim, "
	"\"code(uom)\"]}\n"
	"        item_ids: {pairs: PO106, to: 125}\n"
	"        vendor_part: PO1 pair VP\n"
	"    source: {const: x12}\n";

/* --- construct by construct --- */

START_TEST(test_base_map_compiles)
{
	struct loaded l;
	const struct map *m;

	load1(&l, base_850);
	assert_clean(&l);
	m = map_set_find(&l.set, "x12-850");
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->id, "x12-850");
	ck_assert_ptr_null(m->extends);
	ck_assert_str_eq(m->document, "850");
	ck_assert_str_eq(m->description, "Purchase order");
	ck_assert_str_eq(m->file, "t.yaml");
	ck_assert_int_eq(m->format, MAP_FORMAT_X12);
	ck_assert_uint_eq(m->nversions, 2);
	ck_assert_str_eq(m->versions[0], "004010");
	ck_assert_str_eq(m->versions[1], "*");
	ck_assert_str_eq(m->doc_type, "order");
	ck_assert_str_eq(m->doc_key.tag, "BEG");
	ck_assert_uint_eq(m->doc_key.element, 3);
	ck_assert_ptr_null(map_set_find(&l.set, "x12-855"));
	unload(&l);
}
END_TEST

static const struct {
	const char *text;
	enum map_req req;
	enum map_type type;
	unsigned implied, min, max, repeat;
	size_t ncodes;
	const char *first_code, *last_code;
} good_elems[] = {
	{"M ID 2/2 [05 00 01]", MAP_REQ_M, MAP_T_ID, 0, 2, 2, 1, 3, "00", "05"},
	{"O AN 1/30 x5", MAP_REQ_O, MAP_T_AN, 0, 1, 30, 5, 0, NULL, NULL},
	{"X N2 1/15", MAP_REQ_X, MAP_T_N, 2, 1, 15, 1, 0, NULL, NULL},
	{"M N0 1/6", MAP_REQ_M, MAP_T_N, 0, 1, 6, 1, 0, NULL, NULL},
	{"O N9 1/18", MAP_REQ_O, MAP_T_N, 9, 1, 18, 1, 0, NULL, NULL},
	{"M R 1/10", MAP_REQ_M, MAP_T_R, 0, 1, 10, 1, 0, NULL, NULL},
	{"O DT 8/8", MAP_REQ_O, MAP_T_DT, 0, 8, 8, 1, 0, NULL, NULL},
	{"O TM 4/8", MAP_REQ_O, MAP_T_TM, 0, 4, 8, 1, 0, NULL, NULL},
	{"X ID 1/3 [B2 A1]x2", MAP_REQ_X, MAP_T_ID, 0, 1, 3, 2, 2, "A1", "B2"},
	{"  M   ID 2/2  [ 00 ]  ", MAP_REQ_M, MAP_T_ID, 0, 2, 2, 1, 1, "00",
	 "00"},
};

static struct ynode fake_node(const char *value)
{
	struct ynode n;

	memset(&n, 0, sizeof(n));
	n.kind = YNODE_SCALAR;
	n.value = value;
	n.len = strlen(value);
	n.file = "e.yaml";
	n.line = 3;
	n.col = 7;
	return n;
}

START_TEST(test_element_strings)
{
	struct arena a;
	struct edi_diag d;
	struct map_regexes r = {NULL, 0, 0};
	struct map_ctx ctx = {&a, &d, &r, 0};
	struct ynode n = fake_node(good_elems[_i].text);
	struct map_elem e;

	arena_init(&a, 0);
	edi_diag_init(&d, 10);
	ck_assert(map_defs_elem(&ctx, &n, &e));
	ck_assert_uint_eq(ctx.nerrors, 0);
	ck_assert_int_eq(e.req, good_elems[_i].req);
	ck_assert_int_eq(e.type, good_elems[_i].type);
	ck_assert_uint_eq(e.implied, good_elems[_i].implied);
	ck_assert_uint_eq(e.min_len, good_elems[_i].min);
	ck_assert_uint_eq(e.max_len, good_elems[_i].max);
	ck_assert_uint_eq(e.max_repeat, good_elems[_i].repeat);
	ck_assert_uint_eq(e.ncodes, good_elems[_i].ncodes);
	if (e.ncodes) {
		ck_assert_str_eq(e.codes[0], good_elems[_i].first_code);
		ck_assert_str_eq(e.codes[e.ncodes - 1],
				 good_elems[_i].last_code);
	}
	ck_assert_uint_eq(e.mark.line, 3);
	ck_assert_uint_eq(e.mark.col, 7);
	arena_release(&a);
	edi_diag_release(&d);
}
END_TEST

static const struct {
	const char *text, *msg;
} bad_elems[] = {
	{"M ID 2", "e.yaml:3:7: element 'M ID 2' needs MIN/MAX lengths, e.g. "
		   "'M ID 2/2'"},
	{"M ID", "e.yaml:3:7: element 'M ID' needs MIN/MAX lengths, e.g. 'M "
		 "ID 2/2'"},
	{"", "e.yaml:3:7: empty element: expected 'REQ TYPE MIN/MAX', e.g. 'M "
	     "AN 1/30'"},
	{"Q AN 1/2", "e.yaml:3:7: element 'Q AN 1/2': REQ must be M, O or X, "
		     "not 'Q'"},
	{"M", "e.yaml:3:7: element 'M' needs a type and MIN/MAX lengths, e.g. "
	      "'M AN 1/30'"},
	{"M XX 1/2", "e.yaml:3:7: element 'M XX 1/2': unknown type 'XX' (AN, "
		     "ID, N0..N9, R, DT, TM)"},
	{"M N 1/2", "e.yaml:3:7: element 'M N 1/2': unknown type 'N'; did you "
		    "mean 'N0'? (AN, ID, N0..N9, R, DT, TM)"},
	{"M AN 5/2", "e.yaml:3:7: element 'M AN 5/2': lengths '5/2' must be "
		     "MIN/MAX with MIN <= MAX, e.g. '1/30'"},
	{"M DT 1/30", "e.yaml:3:7: element 'M DT 1/30': a DT date is 6 to 8 "
		      "long, e.g. '8/8'"},
	{"M AN 1/2 [A B]", "e.yaml:3:7: element 'M AN 1/2 [A B]': codes are "
			   "only for ID elements"},
	{"M ID 2/2 [00 123]", "e.yaml:3:7: element 'M ID 2/2 [00 123]': code "
			      "'123' does not fit the lengths 2/2"},
	{"M ID 2/2 [00 00]", "e.yaml:3:7: element 'M ID 2/2 [00 00]': code "
			     "'00' is listed twice"},
	{"M ID 2/2 [00", "e.yaml:3:7: element 'M ID 2/2 [00': '[' without ']'"},
	{"M AN 1/2 y3", "e.yaml:3:7: element 'M AN 1/2 y3': unexpected 'y3' "
			"(after MIN/MAX come [CODES] and xREPEAT)"},
};

START_TEST(test_bad_element_strings)
{
	struct arena a;
	struct edi_diag d;
	struct map_regexes r = {NULL, 0, 0};
	struct map_ctx ctx = {&a, &d, &r, 0};
	struct ynode n = fake_node(bad_elems[_i].text);
	struct map_elem e;

	arena_init(&a, 0);
	edi_diag_init(&d, 10);
	ck_assert(!map_defs_elem(&ctx, &n, &e));
	ck_assert_uint_eq(d.n, 1);
	ck_assert_int_eq(d.items[0].code, EDI_ECONFIG);
	ck_assert_str_eq(d.items[0].msg, bad_elems[_i].msg);
	arena_release(&a);
	edi_diag_release(&d);
}
END_TEST

START_TEST(test_composite_element)
{
	struct loaded l;
	const struct map_segdef *ref;
	const struct map_elem *e;

	load1(&l, base_850);
	assert_clean(&l);
	ref = map_segdef_find(map_set_find(&l.set, "x12-850"), SV_LIT("REF"));
	ck_assert_uint_eq(ref->nelems, 4);
	e = &ref->elems[3];
	ck_assert_int_eq(e->req, MAP_REQ_O);
	ck_assert_uint_eq(e->ncomponents, 2);
	ck_assert_uint_eq(e->max_repeat, 2);
	ck_assert_int_eq(e->components[0].type, MAP_T_ID);
	ck_assert_uint_eq(e->components[1].max_len, 50);
	ck_assert_uint_eq(e->mark.line, 18);
	ck_assert_uint_eq(e->mark.col, 9);
	unload(&l);
}
END_TEST

START_TEST(test_syntax_notes)
{
	struct loaded l;
	const struct map_segdef *po1;

	load1(&l, base_850);
	assert_clean(&l);
	po1 = map_segdef_find(map_set_find(&l.set, "x12-850"), SV_LIT("PO1"));
	ck_assert_uint_eq(po1->nelems, 7);
	ck_assert_uint_eq(po1->nsyntax, 2);
	ck_assert_int_eq(po1->syntax[0].kind, MAP_SYN_C);
	ck_assert_uint_eq(po1->syntax[0].npos, 2);
	ck_assert_uint_eq(po1->syntax[0].pos[0], 3);
	ck_assert_uint_eq(po1->syntax[0].pos[1], 2);
	ck_assert_int_eq(po1->syntax[1].kind, MAP_SYN_P);
	ck_assert_uint_eq(po1->syntax[1].pos[0], 6);
	ck_assert_uint_eq(po1->syntax[1].pos[1], 7);
	ck_assert_uint_eq(po1->syntax[1].mark.line, 23);
	unload(&l);
}
END_TEST

START_TEST(test_segdefs_sorted_and_found)
{
	struct loaded l;
	const struct map *m;

	load1(&l, base_850);
	assert_clean(&l);
	m = map_set_find(&l.set, "x12-850");
	ck_assert_uint_eq(m->nsegs, 8);
	for (size_t i = 1; i < m->nsegs; i++)
		ck_assert_int_lt(strcmp(m->segs[i - 1].tag, m->segs[i].tag), 0);
	ck_assert_str_eq(map_segdef_find(m, SV_LIT("BEG"))->tag, "BEG");
	ck_assert_str_eq(map_segdef_find(m, SV_LIT("N1"))->tag, "N1");
	ck_assert_ptr_null(map_segdef_find(m, SV_LIT("N")));
	ck_assert_ptr_null(map_segdef_find(m, SV_LIT("XYZ")));
	ck_assert_uint_eq(map_segdef_find(m, SV_LIT("BEG"))->elems[0].ncodes,
			  5);
	unload(&l);
}
END_TEST

START_TEST(test_guide_tree)
{
	struct loaded l;
	const struct map *m;
	const struct guide_node *root, *n1, *po1, *pid, *ref;

	load1(&l, base_850);
	assert_clean(&l);
	m = map_set_find(&l.set, "x12-850");
	root = &m->guide;
	ck_assert_int_eq(root->kind, GUIDE_LOOP);
	ck_assert_str_eq(root->loop_id, "");
	ck_assert_str_eq(root->tag, "ST");
	ck_assert_ptr_null(root->parent);
	ck_assert_uint_eq(root->nchildren, 10);
	ref = child_tag(root, "REF", false);
	ck_assert_int_eq(ref->req, MAP_REQ_O);
	ck_assert_uint_eq(ref->max, 0);
	ck_assert_ptr_eq(ref->def, map_segdef_find(m, SV_LIT("REF")));
	ck_assert_ptr_eq(ref->parent, root);
	n1 = child_tag(root, "N1", true);
	ck_assert_str_eq(n1->tag, "N1");
	ck_assert_int_eq(n1->req, MAP_REQ_O);
	ck_assert_uint_eq(n1->max, 200);
	ck_assert_uint_eq(n1->nchildren, 3);
	ck_assert_ptr_eq(n1->children[2].parent, n1);
	ck_assert_ptr_null(n1->children[1].def); /* N3: no definition */
	ck_assert_uint_eq(n1->mark.line, 33);
	ck_assert_uint_eq(n1->mark.col, 5);
	po1 = child_tag(root, "PO1", true);
	ck_assert_int_eq(po1->req, MAP_REQ_M);
	ck_assert_uint_eq(po1->max, 100000);
	pid = child_tag(po1, "PID", true);
	ck_assert_ptr_eq(pid->parent, po1);
	ck_assert_str_eq(pid->tag, "PID");
	ck_assert_ptr_eq(pid->children[0].parent, pid);
	ck_assert_str_eq(root->children[9].tag, "SE");
	unload(&l);
}
END_TEST

START_TEST(test_tables_sorted_with_keep)
{
	struct loaded l;
	const struct map *m;
	const struct map_table *t;

	load1(&l, base_850);
	assert_clean(&l);
	m = map_set_find(&l.set, "x12-850");
	ck_assert_uint_eq(m->ntables, 2);
	ck_assert_str_eq(m->tables[0].name, "party_roles");
	t = map_table_find(m, "uom");
	ck_assert_ptr_nonnull(t);
	ck_assert(t->keep_unknown);
	ck_assert_uint_eq(t->n, 2);
	ck_assert_str_eq(t->keys[0], "CA");
	ck_assert_str_eq(t->values[0], "case");
	ck_assert_str_eq(t->keys[1], "EA");
	t = map_table_find(m, "party_roles");
	ck_assert(!t->keep_unknown);
	ck_assert_str_eq(t->keys[0], "BT");
	ck_assert_str_eq(t->values[2], "ship_to");
	ck_assert_ptr_null(map_table_find(m, "nope"));
	unload(&l);
}
END_TEST

START_TEST(test_field_forms)
{
	struct loaded l;
	const struct map *m;
	const struct map_field *rec, *f, *g;

	load1(&l, base_850);
	assert_clean(&l);
	m = map_set_find(&l.set, "x12-850");
	rec = &m->record;
	ck_assert_int_eq(rec->kind, MAP_FIELD_OBJECT);
	ck_assert_uint_eq(rec->nchildren, 7);
	f = member(rec, "order_date");
	ck_assert_int_eq(f->kind, MAP_FIELD_PATH);
	ck_assert_str_eq(f->path.tag, "BEG");
	ck_assert_uint_eq(f->path.element, 5);
	ck_assert_uint_eq(f->nxforms, 1);
	ck_assert_int_eq(f->xforms[0].kind, MAP_XF_DATE);
	ck_assert_ptr_null(f->xforms[0].arg);
	f = member(rec, "source");
	ck_assert_int_eq(f->kind, MAP_FIELD_CONST);
	ck_assert_str_eq(f->constant, "x12");
	/* each over a loop, with a where */
	f = member(rec, "parties");
	ck_assert_int_eq(f->kind, MAP_FIELD_EACH);
	ck_assert_int_eq(f->scope.kind, MAP_SCOPE_LOOP);
	ck_assert_str_eq(f->scope.id, "N1");
	ck_assert_str_eq(f->scope.where.tag, "N1");
	ck_assert_uint_eq(f->scope.where.element, 1);
	ck_assert_uint_eq(f->scope.where.where_element, 1);
	ck_assert_uint_eq(f->scope.where.nwhere, 2);
	ck_assert_str_eq(f->scope.where.where_values[1], "BT");
	g = member(f, "role");
	ck_assert_int_eq(g->xforms[0].kind, MAP_XF_CODE);
	ck_assert_ptr_eq(g->xforms[0].table, map_table_find(m, "party_roles"));
	/* a list holding an object with a member called value */
	g = member(f, "ids");
	ck_assert_int_eq(g->kind, MAP_FIELD_LIST);
	ck_assert_uint_eq(g->nchildren, 1);
	ck_assert_ptr_null(g->children[0].name);
	ck_assert_int_eq(g->children[0].kind, MAP_FIELD_OBJECT);
	ck_assert_uint_eq(member(&g->children[0], "value")->path.element, 4);
	/* each over a segment */
	f = member(rec, "references");
	ck_assert_int_eq(f->scope.kind, MAP_SCOPE_SEGMENT);
	ck_assert_str_eq(f->scope.id, "REF");
	ck_assert_uint_eq(f->scope.where.element, 0);
	/* {value, default, transform}: transforms in order, then default */
	f = member(member(rec, "lines"), "uom");
	ck_assert_int_eq(f->kind, MAP_FIELD_PATH);
	ck_assert_uint_eq(f->path.element, 3);
	ck_assert_uint_eq(f->nxforms, 3);
	ck_assert_int_eq(f->xforms[0].kind, MAP_XF_TRIM);
	ck_assert_int_eq(f->xforms[1].kind, MAP_XF_CODE);
	ck_assert_int_eq(f->xforms[2].kind, MAP_XF_DEFAULT);
	ck_assert_str_eq(f->xforms[2].arg, "EA");
	/* pairs */
	f = member(member(rec, "lines"), "item_ids");
	ck_assert_int_eq(f->kind, MAP_FIELD_PAIRS);
	ck_assert_str_eq(f->pairs_tag, "PO1");
	ck_assert_uint_eq(f->pairs_from, 6);
	ck_assert_uint_eq(f->pairs_to, 25);
	unload(&l);
}
END_TEST

/* A map with a field x: PATH appended (line 15, value at column 8). */
#define MINI                                       \
	"map: m\n"                                 \
	"document: \"850\"\n"                      \
	"segments:\n"                              \
	"  BEG: [M ID 2/2, M ID 2/2, M AN 1/22]\n" \
	"guide:\n"                                 \
	"  - ST M 1\n"                             \
	"  - BEG M 1\n"                            \
	"  - SE M 1\n"                             \
	"tables:\n"                                \
	"  uom: {EA: each}\n"                      \
	"record:\n"                                \
	"  doc_type: order\n"                      \
	"  fields:\n"                              \
	"    order_number: BEG03\n"
#define FIELD(v) MINI "    x: " v "\n"

/* base_850 with one more field: the path, checked field by field. */
static const struct {
	const char *path;
	const char *tag;
	unsigned element, component, repetition, where_element;
	const char *where_first;
	size_t nwhere;
	const char *pair;
	unsigned pair_from, pair_to;
} paths[] = {
	{"BEG03", "BEG", 3, 0, 0, 0, NULL, 0, NULL, 0, 0},
	{"REF04-2", "REF", 4, 2, 0, 0, NULL, 0, NULL, 0, 0},
	{"REF04#2", "REF", 4, 0, 2, 0, NULL, 0, NULL, 0, 0},
	{"REF04#2-1", "REF", 4, 1, 2, 0, NULL, 0, NULL, 0, 0},
	{"REF02 where REF01 = DP", "REF", 2, 0, 0, 1, "DP", 1, NULL, 0, 0},
	{"REF02 where REF01 = \\\"DP\\\"", "REF", 2, 0, 0, 1, "DP", 1, NULL, 0,
	 0},
	{"REF02 where REF01 in [DP IA]", "REF", 2, 0, 0, 1, "DP", 2, NULL, 0,
	 0},
	{"REF02 where REF01 in [ DP ]", "REF", 2, 0, 0, 1, "DP", 1, NULL, 0, 0},
	{"PO1 pair VP", "PO1", 0, 0, 0, 0, NULL, 0, "VP", 6, 25},
	{"  CTT01  ", "CTT", 1, 0, 0, 0, NULL, 0, NULL, 0, 0},
};

START_TEST(test_paths)
{
	char yaml[8192];
	struct loaded l;
	const struct map_path *p;

	snprintf(yaml, sizeof(yaml), "%s    x: \"%s\"\n", base_850,
		 paths[_i].path);
	load1(&l, yaml);
	assert_clean(&l);
	p = &member(&map_set_find(&l.set, "x12-850")->record, "x")->path;
	ck_assert_str_eq(p->tag, paths[_i].tag);
	ck_assert_uint_eq(p->element, paths[_i].element);
	ck_assert_uint_eq(p->component, paths[_i].component);
	ck_assert_uint_eq(p->repetition, paths[_i].repetition);
	ck_assert_uint_eq(p->where_element, paths[_i].where_element);
	ck_assert_uint_eq(p->nwhere, paths[_i].nwhere);
	if (p->nwhere)
		ck_assert_str_eq(p->where_values[0], paths[_i].where_first);
	if (paths[_i].pair) {
		ck_assert_str_eq(p->pair_qualifier, paths[_i].pair);
		ck_assert_uint_eq(p->pair_from, paths[_i].pair_from);
		ck_assert_uint_eq(p->pair_to, paths[_i].pair_to);
	} else {
		ck_assert_ptr_null(p->pair_qualifier);
	}
	ck_assert_uint_eq(p->mark.line, 76);
	ck_assert_uint_eq(p->mark.col, 8);
	unload(&l);
}
END_TEST

static const struct {
	const char *pipeline;
	size_t n;
	enum map_xform_kind kind[3];
	const char *last_arg;
	int last_n;
} pipelines[] = {
	{"BEG05 | date", 1, {MAP_XF_DATE}, NULL, 0},
	{"BEG05|date(MM/DD/YYYY)", 1, {MAP_XF_DATE}, "MM/DD/YYYY", 0},
	{"BEG05 | date(CCYYMMDD) | trim",
	 2,
	 {MAP_XF_DATE, MAP_XF_TRIM},
	 NULL,
	 0},
	{"TDS01 | implied(2)", 1, {MAP_XF_IMPLIED}, "2", 2},
	{"PO103 | code(uom)", 1, {MAP_XF_CODE}, "uom", 0},
	{"PO103 | default(EA) | code( uom )",
	 2,
	 {MAP_XF_DEFAULT, MAP_XF_CODE},
	 "uom",
	 0},
	{"BEG03 | match(^A(.*)$)", 1, {MAP_XF_MATCH}, "^A(.*)$", 0},
	{"BEG03 | match(^(A|B)[)]\\\\)$) | upper",
	 2,
	 {MAP_XF_MATCH, MAP_XF_UPPER},
	 NULL,
	 0},
	{"BEG03 | match( x ) ", 1, {MAP_XF_MATCH}, " x ", 0},
	{"CTT01 | integer | decimal | time",
	 3,
	 {MAP_XF_INTEGER, MAP_XF_DECIMAL, MAP_XF_TIME},
	 NULL,
	 0},
};

START_TEST(test_transform_pipelines)
{
	char yaml[8192];
	struct loaded l;
	const struct map_field *f;

	snprintf(yaml, sizeof(yaml), "%s    x: \"%s\"\n", base_850,
		 pipelines[_i].pipeline);
	load1(&l, yaml);
	assert_clean(&l);
	f = member(&map_set_find(&l.set, "x12-850")->record, "x");
	ck_assert_uint_eq(f->nxforms, pipelines[_i].n);
	for (size_t i = 0; i < f->nxforms; i++)
		ck_assert_int_eq(f->xforms[i].kind, pipelines[_i].kind[i]);
	if (pipelines[_i].last_arg)
		ck_assert_str_eq(f->xforms[f->nxforms - 1].arg,
				 pipelines[_i].last_arg);
	ck_assert_int_eq(f->xforms[f->nxforms - 1].n, pipelines[_i].last_n);
	for (size_t i = 0; i < f->nxforms; i++) {
		if (f->xforms[i].kind == MAP_XF_MATCH)
			ck_assert_ptr_nonnull(f->xforms[i].regex);
		if (f->xforms[i].kind == MAP_XF_CODE)
			ck_assert_str_eq(f->xforms[i].table->name, "uom");
	}
	unload(&l);
}
END_TEST

static const char map_856[] =
	"map: x12-856\n"
	"document: \"856\"\n"
	"segments:\n"
	"  HL: [O AN 1/12, O AN 1/12, M ID 1/2, O ID 1/1]\n"
	"  MAN: [M ID 1/2, M AN 1/48]\n"
	"  LIN: [O AN 1/20, M ID 2/2, M AN 1/48, X ID 2/2, X AN 1/48]\n"
	"guide:\n"
	"  - ST M 1\n"
	"  - BSN M 1\n"
	"  - loop HL M 200000:\n"
	"      - HL M 1\n"
	"      - LIN O 1\n"
	"      - PRF O 1\n"
	"      - MAN O >1\n"
	"  - SE M 1\n"
	"rules:\n"
	"  - check-digit: sscc\n"
	"    path: MAN02 where MAN01 = GM\n"
	"record:\n"
	"  doc_type: despatch_advice\n"
	"  fields:\n"
	"    orders:\n"
	"      each: hl O\n"
	"      fields:\n"
	"        order_number: PRF01\n"
	"        items:\n"
	"          each: hl I direct\n"
	"          fields:\n"
	"            item_ids: {pairs: LIN02}\n"
	"            buyer_item: LIN pair BP\n";

START_TEST(test_hl_scopes_and_lin_pairs)
{
	struct loaded l;
	const struct map *m;
	const struct map_field *orders, *items;

	load1(&l, map_856);
	assert_clean(&l);
	m = map_set_find(&l.set, "x12-856");
	orders = member(&m->record, "orders");
	ck_assert_int_eq(orders->scope.kind, MAP_SCOPE_HL);
	ck_assert_str_eq(orders->scope.id, "O");
	ck_assert(!orders->scope.direct);
	items = member(orders, "items");
	ck_assert_int_eq(items->scope.kind, MAP_SCOPE_HL);
	ck_assert_str_eq(items->scope.id, "I");
	ck_assert(items->scope.direct);
	ck_assert_uint_eq(member(items, "item_ids")->pairs_from, 2);
	ck_assert_uint_eq(member(items, "item_ids")->pairs_to, 31);
	ck_assert_uint_eq(member(items, "buyer_item")->path.pair_from, 2);
	ck_assert_uint_eq(member(items, "buyer_item")->path.pair_to, 31);
	ck_assert_str_eq(m->doc_key.tag, "");
	unload(&l);
}
END_TEST

START_TEST(test_rules)
{
	static const char yaml[] =
		"map: x12-810\n"
		"document: \"810\"\n"
		"segments:\n"
		"  IT1: [O AN 1/20, M R 1/10, M ID 2/2, M R 1/17]\n"
		"  TDS: [M N2 1/15]\n"
		"guide:\n"
		"  - ST M 1\n"
		"  - REF O >1\n"
		"  - loop IT1 M 200000:\n"
		"      - IT1 M 1\n"
		"  - TDS M 1\n"
		"  - SAC O 25\n"
		"  - CTT O 1\n"
		"  - SE M 1\n"
		"rules:\n"
		"  - lines: CTT01 counts IT1\n"
		"  - total: TDS01\n"
		"    lines: IT1\n"
		"    allowances: SAC\n"
		"    tolerance: \"0.01\"\n"
		"  - total: TDS01\n"
		"    lines: IT1\n"
		"  - check-digit: gtin\n"
		"    qualifiers: [UP, EN]\n"
		"  - require: REF02 where REF01 = DP\n"
		"    message: department number is required\n"
		"  - require: REF02 where REF01 = IA\n"
		"record:\n"
		"  doc_type: invoice\n"
		"  fields: {total: TDS01 | implied(2)}\n";
	struct loaded l;
	const struct map *m;
	const struct map_rule *r;

	load1(&l, yaml);
	assert_clean(&l);
	m = map_set_find(&l.set, "x12-810");
	ck_assert_uint_eq(m->nrules, 6);
	r = m->rules;
	ck_assert_int_eq(r[0].kind, MAP_RULE_LINES);
	ck_assert_str_eq(r[0].name, "lines");
	ck_assert_str_eq(r[0].path.tag, "CTT");
	ck_assert_uint_eq(r[0].path.element, 1);
	ck_assert_str_eq(r[0].lines_tag, "IT1");
	ck_assert_int_eq(r[1].kind, MAP_RULE_TOTAL);
	ck_assert_str_eq(r[1].path.tag, "TDS");
	ck_assert_str_eq(r[1].lines_tag, "IT1");
	ck_assert_str_eq(r[1].allowances_tag, "SAC");
	ck_assert_str_eq(r[1].tolerance, "0.01");
	ck_assert_str_eq(r[2].allowances_tag, "");
	ck_assert_str_eq(r[2].tolerance, "0");
	ck_assert_int_eq(r[3].kind, MAP_RULE_CHECK_DIGIT);
	ck_assert_int_eq(r[3].digit, MAP_DIGIT_GTIN);
	ck_assert_str_eq(r[3].name, "gtin");
	ck_assert_uint_eq(r[3].nqualifiers, 2);
	ck_assert_str_eq(r[3].qualifiers[1], "EN");
	ck_assert_int_eq(r[4].kind, MAP_RULE_REQUIRE);
	ck_assert_str_eq(r[4].message, "department number is required");
	ck_assert_str_eq(r[4].path.where_values[0], "DP");
	ck_assert_str_eq(r[5].message, "REF02 where REF01 = IA is required");
	ck_assert_uint_eq(r[4].mark.line, 25);
	ck_assert_uint_eq(r[4].mark.col, 5);
	unload(&l);
}
END_TEST

START_TEST(test_sscc_rule)
{
	struct loaded l;
	const struct map_rule *r;

	load1(&l, map_856);
	assert_clean(&l);
	r = &map_set_find(&l.set, "x12-856")->rules[0];
	ck_assert_int_eq(r->digit, MAP_DIGIT_SSCC);
	ck_assert_str_eq(r->name, "sscc");
	ck_assert_str_eq(r->path.tag, "MAN");
	ck_assert_uint_eq(r->path.element, 2);
	ck_assert_uint_eq(r->path.where_element, 1);
	unload(&l);
}
END_TEST

START_TEST(test_flat_csv_map)
{
	static const char yaml[] =
		"map: flat-orders-csv\n"
		"format: csv\n"
		"document: orders\n"
		"csv: {delimiter: \";\", quote: \"'\", header: true}\n"
		"group_by: order_number\n"
		"record:\n"
		"  doc_type: order\n"
		"  doc_key: order_number\n"
		"  fields:\n"
		"    order_number: po_number\n"
		"    order_date: po_date | date(MM/DD/YYYY)\n"
		"    lines:\n"
		"      each: row\n"
		"      fields:\n"
		"        line_number: 3\n"
		"        quantity: qty | decimal\n";
	struct loaded l;
	const struct map *m;
	const struct map_field *f;

	load1(&l, yaml);
	assert_clean(&l);
	m = map_set_find(&l.set, "flat-orders-csv");
	ck_assert_int_eq(m->format, MAP_FORMAT_CSV);
	ck_assert_str_eq(m->document, "orders");
	ck_assert_int_eq(m->csv_delimiter, ';');
	ck_assert_int_eq(m->csv_quote, '\'');
	ck_assert(m->csv_header);
	ck_assert_str_eq(m->group_by, "order_number");
	ck_assert_str_eq(m->doc_key.column, "order_number");
	ck_assert_uint_eq(m->nversions, 0);
	f = member(&m->record, "order_date");
	ck_assert_str_eq(f->path.column, "po_date");
	ck_assert_str_eq(f->xforms[0].arg, "MM/DD/YYYY");
	f = member(&m->record, "lines");
	ck_assert_int_eq(f->scope.kind, MAP_SCOPE_ROW);
	ck_assert_ptr_null(member(f, "line_number")->path.column);
	ck_assert_uint_eq(member(f, "line_number")->path.column_index, 3);
	ck_assert_ptr_null(
		map_set_select(&l.set, SV_LIT("orders"), SV_LIT("004010")));
	unload(&l);
}
END_TEST

START_TEST(test_flat_fixed_map)
{
	static const char yaml[] = "map: flat-orders-fixed\n"
				   "format: fixed\n"
				   "document: orders\n"
				   "fixed: {columns: {po_number: 1/10, "
				   "po_date: 11/8, line: 19/4}}\n"
				   "record:\n"
				   "  doc_type: order\n"
				   "  fields:\n"
				   "    order_number: po_number\n"
				   "    line: 3\n";
	struct loaded l;
	const struct map *m;

	load1(&l, yaml);
	assert_clean(&l);
	m = map_set_find(&l.set, "flat-orders-fixed");
	ck_assert_int_eq(m->format, MAP_FORMAT_FIXED);
	ck_assert_uint_eq(m->ncolumns, 3);
	ck_assert_str_eq(m->columns[1].name, "po_date");
	ck_assert_uint_eq(m->columns[1].start, 11);
	ck_assert_uint_eq(m->columns[1].len, 8);
	ck_assert_str_eq(m->columns[2].name, "line");
	ck_assert_ptr_null(m->group_by);
	unload(&l);
}
END_TEST

/* --- extends --- */

static const char child_850[] = "map: acme-850\n"
				"extends: x12-850\n"
				"description: ~\n"
				"versions: [\"004010\"]\n"
				"segments:\n"
				"  REF: {elements: {2: \"M AN 1/30\"}}\n"
				"  BEG: {elements: {6: O ID 2/2}}\n"
				"  CUR: [M ID 2/3]\n"
				"guide_overrides:\n"
				"  REF: M >1\n"
				"  N1/N4: M 1\n"
				"  PO1/loop PID: M 5\n"
				"  loop CTT: M 1\n"
				"rules:\n"
				"  - require: REF02 where REF01 = DP\n"
				"    message: department number is required\n"
				"tables:\n"
				"  uom: {CA: carton, PL: pallet}\n"
				"record:\n"
				"  fields:\n"
				"    order_number: BEG04\n"
				"    purpose_code: null\n"
				"    lines:\n"
				"      fields:\n"
				"        quantity: PO102 | integer\n"
				"    ext:\n"
				"      department: REF02 where REF01 = DP\n";

static void load_base_and_child(struct loaded *l, bool child_first)
{
	const char *files[] = {"base.yaml", "acme.yaml"};
	const char *texts[] = {base_850, child_850};

	if (child_first) {
		const char *rf[] = {"acme.yaml", "base.yaml"};
		const char *rt[] = {child_850, base_850};

		load_files(l, rf, rt, 2);
	} else {
		load_files(l, files, texts, 2);
	}
	assert_clean(l);
}

START_TEST(test_extends_overrides_and_removes_fields)
{
	struct loaded l;
	const struct map *m, *base;
	const struct map_field *rec;

	load_base_and_child(&l, false);
	m = map_set_find(&l.set, "acme-850");
	base = map_set_find(&l.set, "x12-850");
	ck_assert_str_eq(m->extends, "x12-850");
	ck_assert_str_eq(m->file, "acme.yaml");
	ck_assert_str_eq(m->document, "850");
	ck_assert_ptr_null(m->description);
	ck_assert_str_eq(base->description, "Purchase order");
	ck_assert_uint_eq(m->nversions, 1); /* lists replace */
	rec = &m->record;
	ck_assert_uint_eq(member(rec, "order_number")->path.element, 4);
	ck_assert_str_eq(member(rec, "order_number")->mark.file, "acme.yaml");
	ck_assert_ptr_null(member(rec, "purpose_code"));
	ck_assert_ptr_nonnull(member(&base->record, "purpose_code"));
	ck_assert_uint_eq(
		member(member(rec, "ext"), "department")->path.where_element,
		1);
	/* mappings merge deep: the each keeps its scope and other fields */
	ck_assert_int_eq(member(rec, "lines")->scope.kind, MAP_SCOPE_LOOP);
	ck_assert_int_eq(
		member(member(rec, "lines"), "quantity")->xforms[0].kind,
		MAP_XF_INTEGER);
	ck_assert_int_eq(member(member(rec, "lines"), "item_ids")->kind,
			 MAP_FIELD_PAIRS);
	ck_assert_str_eq(rec->children[rec->nchildren - 1].name, "ext");
	unload(&l);
}
END_TEST

START_TEST(test_extends_appends_rules)
{
	struct loaded l;
	const struct map *m;

	load_base_and_child(&l, false);
	m = map_set_find(&l.set, "acme-850");
	ck_assert_uint_eq(m->nrules, 2);
	ck_assert_int_eq(m->rules[0].kind, MAP_RULE_LINES);
	ck_assert_str_eq(m->rules[0].mark.file, "base.yaml");
	ck_assert_int_eq(m->rules[1].kind, MAP_RULE_REQUIRE);
	ck_assert_str_eq(m->rules[1].message, "department number is required");
	ck_assert_uint_eq(map_set_find(&l.set, "x12-850")->nrules, 1);
	unload(&l);
}
END_TEST

START_TEST(test_extends_changes_element_positions)
{
	struct loaded l;
	const struct map *m;
	const struct map_segdef *ref, *beg, *cur;

	load_base_and_child(&l, false);
	m = map_set_find(&l.set, "acme-850");
	ref = map_segdef_find(m, SV_LIT("REF"));
	ck_assert_uint_eq(ref->nelems, 4);
	ck_assert_int_eq(ref->elems[1].req, MAP_REQ_M);
	ck_assert_uint_eq(ref->elems[1].max_len, 30);
	ck_assert_str_eq(ref->elems[1].mark.file, "acme.yaml");
	ck_assert_uint_eq(ref->elems[2].max_len, 80);
	ck_assert_str_eq(ref->elems[2].mark.file, "base.yaml");
	ck_assert_uint_eq(ref->nsyntax, 1); /* kept from the base */
	ck_assert_uint_eq(ref->elems[3].ncomponents, 2);
	beg = map_segdef_find(m, SV_LIT("BEG"));
	ck_assert_uint_eq(beg->nelems, 6);
	ck_assert_uint_eq(beg->elems[0].ncodes, 5);
	cur = map_segdef_find(m, SV_LIT("CUR"));
	ck_assert_uint_eq(cur->nelems, 1); /* a list replaces */
	ref = map_segdef_find(map_set_find(&l.set, "x12-850"), SV_LIT("REF"));
	ck_assert_int_eq(ref->elems[1].req, MAP_REQ_X);
	unload(&l);
}
END_TEST

START_TEST(test_extends_guide_overrides)
{
	struct loaded l;
	const struct map *m;
	const struct guide_node *ref, *n4, *pid, *ctt;

	load_base_and_child(&l, false);
	m = map_set_find(&l.set, "acme-850");
	ref = child_tag(&m->guide, "REF", false);
	ck_assert_int_eq(ref->req, MAP_REQ_M);
	ck_assert_uint_eq(ref->max, 0);
	ck_assert_str_eq(ref->mark.file, "acme.yaml");
	ck_assert_uint_eq(ref->mark.line, 10);
	n4 = child_tag(child_tag(&m->guide, "N1", true), "N4", false);
	ck_assert_int_eq(n4->req, MAP_REQ_M);
	ck_assert_uint_eq(n4->max, 1);
	pid = child_tag(child_tag(&m->guide, "PO1", true), "PID", true);
	ck_assert_int_eq(pid->req, MAP_REQ_M);
	ck_assert_uint_eq(pid->max, 5);
	ck_assert_uint_eq(pid->nchildren, 1);
	ck_assert_str_eq(pid->tag, "PID");
	ctt = child_tag(&m->guide, "CTT", true);
	ck_assert_int_eq(ctt->req, MAP_REQ_M);
	/* the base is untouched */
	ref = child_tag(&map_set_find(&l.set, "x12-850")->guide, "REF", false);
	ck_assert_int_eq(ref->req, MAP_REQ_O);
	unload(&l);
}
END_TEST

START_TEST(test_extends_merges_tables)
{
	struct loaded l;
	const struct map_table *t;

	load_base_and_child(&l, false);
	t = map_table_find(map_set_find(&l.set, "acme-850"), "uom");
	ck_assert_uint_eq(t->n, 3);
	ck_assert_str_eq(t->keys[0], "CA");
	ck_assert_str_eq(t->values[0], "carton");
	ck_assert_str_eq(t->keys[1], "EA");
	ck_assert_str_eq(t->keys[2], "PL");
	ck_assert(t->keep_unknown);
	unload(&l);
}
END_TEST

START_TEST(test_extends_in_any_order)
{
	struct loaded l;
	const struct map *m;

	load_base_and_child(&l, true);
	m = map_set_find(&l.set, "acme-850");
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->nrules, 2);
	unload(&l);
}
END_TEST

START_TEST(test_extends_chain_and_later_batch)
{
	static const char partner[] =
		"map: acme-850-dc\n"
		"extends: acme-850\n"
		"record:\n"
		"  fields:\n"
		"    ext: {store: REF02 where REF01 = ST}\n"
		"rules:\n"
		"  - require: BEG04\n";
	struct loaded l;
	const struct map *m;

	load_base_and_child(&l, false);
	/* a second batch extends a map compiled by the first */
	ck_assert_int_eq(
		map_load_text(&l.set, "dc.yaml", sv_cstr(partner), &l.errs),
		EDI_OK);
	ck_assert_int_eq(map_set_resolve(&l.set, &l.errs), EDI_OK);
	assert_clean(&l);
	ck_assert_uint_eq(l.set.n, 3);
	m = map_set_find(&l.set, "acme-850-dc");
	ck_assert_uint_eq(m->nrules, 3);
	ck_assert_ptr_null(member(&m->record, "purpose_code"));
	ck_assert_ptr_nonnull(member(member(&m->record, "ext"), "store"));
	/* the whole ext object of acme-850 was merged, not replaced */
	ck_assert_ptr_nonnull(member(member(&m->record, "ext"), "department"));
	ck_assert_int_eq(child_tag(&m->guide, "REF", false)->req, MAP_REQ_M);
	unload(&l);
}
END_TEST

/* --- select --- */

START_TEST(test_select_most_specific)
{
	static const char v5010[] = "map: x12-850-5010\n"
				    "extends: x12-850\n"
				    "versions: [\"005010\"]\n";
	static const char vics[] = "map: x12-850-vics\n"
				   "extends: x12-850\n"
				   "versions: [\"004010VICS\"]\n";
	static const char partner[] = "map: acme\n"
				      "extends: x12-850\n";
	const char *files[] = {"partner.yaml", "base.yaml", "5010.yaml",
			       "vics.yaml"};
	const char *texts[] = {partner, base_850, v5010, vics};
	struct loaded l;

	load_files(&l, files, texts, 4);
	assert_clean(&l);
	ck_assert_str_eq(
		map_set_select(&l.set, SV_LIT("850"), SV_LIT("004010"))->id,
		"x12-850");
	ck_assert_str_eq(
		map_set_select(&l.set, SV_LIT("850"), SV_LIT("004010VICS"))->id,
		"x12-850-vics");
	ck_assert_str_eq(
		map_set_select(&l.set, SV_LIT("850"), SV_LIT("004010UCS"))->id,
		"x12-850");
	ck_assert_str_eq(
		map_set_select(&l.set, SV_LIT("850"), SV_LIT("005010"))->id,
		"x12-850-5010");
	ck_assert_str_eq(
		map_set_select(&l.set, SV_LIT("850"), SV_LIT("003040"))->id,
		"x12-850");
	ck_assert_ptr_null(
		map_set_select(&l.set, SV_LIT("855"), SV_LIT("004010")));
	unload(&l);
}
END_TEST

/* --- mistakes --- */

static const struct {
	const char *yaml, *msg;
} mistakes[] = {
	/* element strings */
	{"map: m\ndocument: \"850\"\nsegments:\n"
	 "  BEG: [M ID 2, M ID 2/2, M AN 1/22]\n"
	 "guide:\n  - ST M 1\n  - BEG M 1\n",
	 "t.yaml:4:9: element 'M ID 2' needs MIN/MAX lengths, e.g. 'M ID "
	 "2/2'"},
	{"map: m\ndocument: \"850\"\nsegments:\n"
	 "  BEG: [M ID 2/2, M AM 2/2, M AN 1/22]\n"
	 "guide:\n  - ST M 1\n  - BEG M 1\n",
	 "t.yaml:4:19: element 'M AM 2/2': unknown type 'AM'; did you mean "
	 "'AN'? (AN, ID, N0..N9, R, DT, TM)"},
	/* syntax notes */
	{"map: m\ndocument: \"850\"\nsegments:\n"
	 "  REF: {elements: [M ID 2/3, X AN 1/50], syntax: [R0203]}\n"
	 "guide:\n  - ST M 1\n  - REF O 1\n",
	 "t.yaml:4:51: syntax note 'R0203' names element 03, but REF has 2 "
	 "elements"},
	{"map: m\ndocument: \"850\"\nsegments:\n"
	 "  REF: {elements: [M ID 2/3, X AN 1/50], syntax: [Q0102]}\n"
	 "guide:\n  - ST M 1\n  - REF O 1\n",
	 "t.yaml:4:51: syntax note 'Q0102' must be P, R, E, C or L and 2 to 8 "
	 "two-digit positions, e.g. 'P0203'"},
	{"map: m\ndocument: \"850\"\nsegments:\n"
	 "  REF: {elements: [M ID 2/3, X AN 1/50], sintax: [R0102]}\n"
	 "guide:\n  - ST M 1\n  - REF O 1\n",
	 "t.yaml:4:42: unknown key 'sintax' in segment; did you mean "
	 "'syntax'?"},
	{"map: m\ndocument: \"850\"\nsegments:\n"
	 "  beg: [M ID 2/2]\n"
	 "guide:\n  - ST M 1\n",
	 "t.yaml:4:3: segment tag 'beg' must be 2 or 3 capital letters or "
	 "digits, a letter first"},
	/* unknown keys */
	{"map: m\ndocument: \"850\"\nsegments:\n"
	 "  BEG: [M ID 2/2, M ID 2/2, M AN 1/22]\n"
	 "guide:\n  - ST M 1\n  - BEG M 1\n  - SE M 1\n"
	 "record:\n  doc_type: order\n  fiels:\n    order_number: BEG03\n",
	 "t.yaml:11:3: unknown key 'fiels' in record; did you mean 'fields'?"},
	{MINI "descripton: x\n",
	 "t.yaml:15:1: unknown key 'descripton' in map; did you mean "
	 "'description'?"},
	{FIELD("{valeu: BEG03, default: X}"),
	 "t.yaml:15:9: unknown key 'valeu' in field; did you mean 'value'?"},
	{FIELD("{eahc: loop N1, fields: {a: BEG03}}"),
	 "t.yaml:15:9: unknown key 'eahc' in field; did you mean 'each'?"},
	/* paths */
	{FIELD("BEG3"),
	 "t.yaml:15:8: bad path 'BEG3': expected a segment tag and a two-digit "
	 "position like 'BEG03', 'PO106-2', 'REF04#2' or 'PO1 pair VP'"},
	{FIELD("BEG09"), "t.yaml:15:8: path 'BEG09': BEG has 3 elements"},
	{FIELD("BGE03"), "t.yaml:15:8: path 'BGE03': segment BGE is not in "
			 "the guide; did you mean BEG?"},
	{FIELD("BEG03-1"), "t.yaml:15:8: path 'BEG03-1': BEG03 is not a "
			   "composite"},
	{FIELD("BEG03#2"), "t.yaml:15:8: path 'BEG03#2': BEG03 repeats at "
			   "most 1 time"},
	{FIELD("BEG03 where CUR01 = X"),
	 "t.yaml:15:8: 'BEG03 where CUR01 = X': the where clause must test an "
	 "element of BEG, not of CUR"},
	{FIELD("BEG03 where BEG01 in [00"),
	 "t.yaml:15:8: 'BEG03 where BEG01 in [00': a where clause is 'TAGnn = "
	 "VALUE' or 'TAGnn in [V1 V2]'"},
	{FIELD("BEG pair VP"),
	 "t.yaml:15:8: 'BEG pair VP': qualifier/value pairs are known for PO1, "
	 "IT1, LIN, SLN and ACK, not BEG"},
	{FIELD("loop N1"), "t.yaml:15:8: 'loop N1' is a scope, not a path: "
			   "scopes go in 'each:'"},
	/* transforms */
	{FIELD("BEG03 | code(uomx)"),
	 "t.yaml:15:8: unknown table 'uomx' in code(); did you mean 'uom'?"},
	{FIELD("BEG03 | match(*A)"),
	 "t.yaml:15:8: bad regex '*A' in match(): quantifier does not follow "
	 "a repeatable item at offset 0"},
	{FIELD("BEG03 | dat"),
	 "t.yaml:15:8: unknown transform 'dat'; did you mean 'date'?"},
	{FIELD("BEG03 | implied(12)"),
	 "t.yaml:15:8: implied(12): the places must be 0 to 9"},
	{FIELD("BEG03 | trim(x)"), "t.yaml:15:8: 'trim' takes no argument"},
	{FIELD("BEG03 | default"),
	 "t.yaml:15:8: 'default' needs an argument, e.g. default(EA)"},
	{FIELD("BEG03 | date(DD.MM.YYY)"),
	 "t.yaml:15:8: date(DD.MM.YYY): a date pattern has YYYY (or YY), MM "
	 "and DD once each, e.g. date(MM/DD/YYYY)"},
	{FIELD("BEG03 | match(^(A$) | trim"),
	 "t.yaml:15:8: 'BEG03 | match(^(A$) | trim': 'match(' has no closing "
	 "')'"},
	{FIELD("BEG03 | trim upper"),
	 "t.yaml:15:8: 'BEG03 | trim upper': unexpected 'upper' after trim"},
	{FIELD("BEG03 |"), "t.yaml:15:8: 'BEG03 |': expected a transform name "
			   "at the end"},
	/* scopes and field forms */
	{FIELD("{each: loop N9, fields: {a: BEG03}}"),
	 "t.yaml:15:15: scope 'loop N9': no loop N9 in the guide"},
	{FIELD("{each: row, fields: {a: BEG03}}"),
	 "t.yaml:15:15: scope 'row' is for csv and fixed maps"},
	{FIELD("{each: BEG}"), "t.yaml:15:8: 'each' needs 'fields'"},
	{FIELD("{each: ~, fields: {a: BEG03}}"),
	 "t.yaml:15:8: 'each' needs a scope: loop ID, TAG, hl CODE or row"},
	{FIELD("{const: ~}"),
	 "t.yaml:15:8: 'const' needs a value (\"\" for an empty string)"},
	{FIELD("{value: BEG03, transform: [trim, nope]}"),
	 "t.yaml:15:41: unknown transform 'nope'"},
	{FIELD("{pairs: BEG01}"),
	 "t.yaml:15:8: pairs of BEG need 'to:' with the last value element"},
	{FIELD("{pairs: BEG01, to: 3}"),
	 "t.yaml:15:27: to: '3' must be the last value element of the pairs "
	 "from BEG01, like BEG02"},
	{FIELD("[]"), "t.yaml:15:8: an empty list"},
	/* the guide */
	{"map: m\ndocument: \"850\"\nguide:\n  - ST M 1\n  - BEG M\n",
	 "t.yaml:5:5: guide entry 'BEG M' must be 'TAG REQ MAX', e.g. 'REF O "
	 ">1'"},
	{"map: m\ndocument: \"850\"\nguide:\n  - ST M 1\n  - BEG Q 1\n",
	 "t.yaml:5:5: guide entry 'BEG Q 1': REQ must be M or O, not 'Q'"},
	{"map: m\ndocument: \"850\"\nguide:\n  - ST M 1\n  - BEG M 0\n",
	 "t.yaml:5:5: guide entry 'BEG M 0': MAX must be a number or >1, not "
	 "'0'"},
	{"map: m\ndocument: \"850\"\nguide:\n  - ST M 1\n"
	 "  - lop N1 O 1:\n      - N1 M 1\n",
	 "t.yaml:5:5: guide loop 'lop N1 O 1' must be 'loop ID REQ MAX:', e.g. "
	 "'loop N1 O 200:'"},
	{"map: m\ndocument: \"850\"\nguide:\n  - ST M 1\n"
	 "  - loop N1 O 1:\n      - loop N2 O 1:\n          - N2 M 1\n",
	 "t.yaml:6:9: loop N1 must start with a segment, not a loop"},
	{"map: m\ndocument: \"850\"\nguide:\n  - ST M 1\n"
	 "  - loop N1 O 1:\n",
	 "t.yaml:5:17: loop N1 needs a list of its segments"},
	{MINI "guide_overrides:\n  N9/N4: M 1\n",
	 "t.yaml:16:3: guide_overrides: no loop 'N9' at the top level of the "
	 "guide"},
	{MINI "guide_overrides:\n  BEG: X 1\n",
	 "t.yaml:16:8: guide override 'X 1' must be 'REQ MAX' with REQ M or O "
	 "and MAX a number or >1, e.g. 'M >1'"},
	/* the top level and the record */
	{"map: bad id!\ndocument: \"850\"\n",
	 "t.yaml:1:6: map 'bad id!' may only hold letters, digits, '.', '_' "
	 "and '-'"},
	{"document: \"850\"\n", "t.yaml:1:1: missing 'map: ID'"},
	{"- map: m\n", "t.yaml:1:1: a map file is a mapping that starts with "
		       "'map: ID'"},
	{"", "t.yaml:1:1: a map file is a mapping that starts with 'map: ID'"},
	{"map: m\nguide: [ST M 1]\n", "t.yaml:1:1: map m needs 'document'"},
	{"map: m\ndocument: \"850\"\n", "t.yaml:1:1: map m needs a 'guide'"},
	{"map: m\ndocument: \"850\"\nformat: x13\nguide: [ST M 1]\n",
	 "t.yaml:3:9: format 'x13' must be x12, csv or fixed; did you mean "
	 "'x12'?"},
	{"map: m\ndocument: \"850\"\nversions: [\"00-40\"]\nguide: [ST M 1]\n",
	 "t.yaml:3:12: version '00-40' must be a GS08 prefix like \"004010\" "
	 "(quoted) or \"*\""},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1]\n"
	 "record:\n  doc_type: ordre\n  fields: {a: ST01}\n",
	 "t.yaml:5:13: doc_type 'ordre' is not one of order, order_response, "
	 "despatch_advice, invoice; did you mean 'order'?"},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1]\ntables:\n"
	 "  t: {\"*\": drop}\n",
	 "t.yaml:5:12: table t: '*' can only be 'keep', not 'drop'"},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1]\nrules:\n"
	 "  - check-digit: gtn\n    qualifiers: [UP]\n",
	 "t.yaml:5:18: check-digit 'gtn' must be gtin or sscc; did you mean "
	 "'gtin'?"},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1]\nrules:\n"
	 "  - lines: CTT01 count PO1\n",
	 "t.yaml:5:12: lines: 'CTT01 count PO1' must be 'PATH counts TAG', "
	 "e.g. 'CTT01 counts PO1'"},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1]\nrules:\n"
	 "  - require: ~\n",
	 "t.yaml:5:5: a require rule needs 'require: PATH'"},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1, IT1 M 1]\nrules:\n"
	 "  - {total: null, lines: IT1}\n",
	 "t.yaml:5:5: a total rule needs 'total: PATH'"},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1]\nrules:\n"
	 "  - requires: ST01\n",
	 "t.yaml:5:5: unknown key 'requires' in require rule; did you mean "
	 "'require'?"},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1]\ncsv: {header: true}\n",
	 "t.yaml:4:1: 'csv' is for csv and fixed maps"},
	/* flat maps */
	{"map: f\nformat: fixed\ndocument: orders\n"
	 "fixed: {columns: {a: 1/10, b: 5/3}}\n",
	 "t.yaml:4:31: column b (5/3) overlaps column a (1/10)"},
	{"map: f\nformat: fixed\ndocument: orders\n"
	 "fixed: {columns: {po: 1/10}}\n"
	 "record:\n  doc_type: order\n  fields: {n: pp}\n",
	 "t.yaml:7:15: no column 'pp' in fixed.columns; did you mean 'po'?"},
	{"map: f\nformat: csv\ndocument: orders\ncsv: {header: false}\n"
	 "record:\n  doc_type: order\n  fields: {n: po}\n",
	 "t.yaml:7:15: column 'po': this csv map has no header, so columns go "
	 "by number"},
	{"map: f\nformat: csv\ndocument: orders\ncsv: {delimiter: \"::\"}\n",
	 "t.yaml:4:18: delimiter must be one character, not '::'"},
	/* YAML itself */
	{MINI "    y: [BEG03\n",
	 "t.yaml:16:1: did not find expected ',' or ']' (while parsing a flow "
	 "sequence started at 15:8)"},
	{MINI "    order_number: BEG02\n",
	 "t.yaml:15:5: duplicate key 'order_number' (first at line 14)"},
};

START_TEST(test_mistakes_name_file_line_col)
{
	struct loaded l;

	load1(&l, mistakes[_i].yaml);
	ck_assert_int_eq(l.rc, EDI_ECONFIG);
	ck_assert_msg(has_error(&l, mistakes[_i].msg),
		      "expected:\n%s\ngot:\n%s", mistakes[_i].msg,
		      all_errors(&l));
	for (size_t i = 0; i < l.errs.n; i++)
		ck_assert_int_eq(l.errs.items[i].code, EDI_ECONFIG);
	ck_assert_ptr_null(map_set_find(&l.set, "m"));
	unload(&l);
}
END_TEST

START_TEST(test_every_mistake_is_reported)
{
	static const char yaml[] = "map: m\n"
				   "document: \"850\"\n"
				   "segments:\n"
				   "  BEG: [M ID 2, M XX 2/2, M AN 1/22]\n"
				   "guide:\n"
				   "  - ST M 1\n"
				   "  - BEG Q 1\n"
				   "record:\n"
				   "  doc_type: order\n"
				   "  fields:\n"
				   "    a: BEG03 | code(nope)\n"
				   "    b: BEG3\n"
				   "    c: {valu: BEG03, default: X}\n";
	struct loaded l;

	load1(&l, yaml);
	ck_assert_int_eq(l.rc, EDI_ECONFIG);
	ck_assert_msg(l.errs.n == 6, "got:\n%s", all_errors(&l));
	ck_assert_uint_eq(l.errs.nerrors, 6);
	ck_assert_ptr_null(map_set_find(&l.set, "m"));
	ck_assert_uint_eq(l.set.n, 0);
	unload(&l);
}
END_TEST

/* One mistake, one message: no knock-on errors. */
static const struct {
	const char *yaml, *msg;
} single_mistakes[] = {
	{"map: m\ndocument: \"850\"\nguide: [ST M 1, BEG M 1]\n"
	 "record:\n  doc_tpye: order\n  fields: {a: BEG01}\n",
	 "t.yaml:5:3: unknown key 'doc_tpye' in record; did you mean "
	 "'doc_type'?"},
	{"map: m\ndocument: \"850\"\nsegments:\n"
	 "  BEG: {elemnts: [M ID 2/2]}\nguide: [ST M 1, BEG M 1]\n"
	 "record:\n  doc_type: order\n  fields: {a: BEG01}\n",
	 "t.yaml:4:9: unknown key 'elemnts' in segment; did you mean "
	 "'elements'?"},
	{"map: m\ndocument: \"850\"\nsegments:\n  N1: [M ID 2/3]\n"
	 "guide:\n  - ST M 1\n  - loop N1 O 2x:\n      - N1 M 1\n"
	 "record:\n  doc_type: order\n"
	 "  fields: {p: {each: loop N1, fields: {r: N101}}}\n",
	 "t.yaml:7:5: guide entry 'loop N1 O 2x': MAX must be a number or >1, "
	 "not '2x'"},
	{"map: m\ndocument: \"850\"\nsegments:\n  BEG: [M ID 2, O AN 1/2]\n"
	 "guide: [ST M 1, BEG M 1]\n"
	 "record:\n  doc_type: order\n  fields: {a: BEG02}\n",
	 "t.yaml:4:9: element 'M ID 2' needs MIN/MAX lengths, e.g. 'M ID "
	 "2/2'"},
	{"mpa: m\ndocument: \"850\"\n",
	 "t.yaml:1:1: unknown key 'mpa' in map; did you mean 'map'?"},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1, BEG M 1]\n"
	 "record:\n  doc_type: order\n  fields: {a: BEG01 | Date}\n",
	 "t.yaml:6:15: unknown transform 'Date'; did you mean 'date'?"},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1, PO1 M 1]\n"
	 "record:\n  doc_type: order\n  fields: {a: {pair: PO106, to: 125}}\n",
	 "t.yaml:6:16: unknown key 'pair' in field; did you mean 'pairs'?"},
	{"map: m\ndocument: \"850\"\nguide: [ST M 1, IT1 M 1]\nrules:\n"
	 "  - totals: TDS01\n    lines: IT1\n",
	 "t.yaml:5:5: unknown key 'totals' in total rule; did you mean "
	 "'total'?"},
};

START_TEST(test_one_mistake_one_message)
{
	struct loaded l;

	load1(&l, single_mistakes[_i].yaml);
	ck_assert_int_eq(l.rc, EDI_ECONFIG);
	ck_assert_msg(l.errs.n == 1 && !strcmp(l.errs.items[0].msg,
					       single_mistakes[_i].msg),
		      "expected:\n%s\ngot:\n%s", single_mistakes[_i].msg,
		      all_errors(&l));
	unload(&l);
}
END_TEST

START_TEST(test_extends_cycle)
{
	const char *files[] = {"a.yaml", "b.yaml", "c.yaml"};
	const char *texts[] = {"map: a\nextends: b\n", "map: b\nextends: a\n",
			       "map: c\nextends: a\n"};
	struct loaded l;

	load_files(&l, files, texts, 3);
	ck_assert_int_eq(l.rc, EDI_ECONFIG);
	ck_assert_msg(has_error(&l, "b.yaml:2:10: extends cycle: a -> b -> a"),
		      "got:\n%s", all_errors(&l));
	ck_assert(has_error(&l, "a.yaml:2:10: map 'a' cannot extend 'b', which "
				"cannot be resolved"));
	ck_assert(has_error(&l, "c.yaml:2:10: map 'c' cannot extend 'a', which "
				"cannot be resolved"));
	ck_assert_uint_eq(l.set.n, 0);
	unload(&l);
}
END_TEST

START_TEST(test_extends_self)
{
	struct loaded l;

	load1(&l, "map: a\nextends: a\n");
	ck_assert(has_error(&l, "t.yaml:2:10: extends cycle: a -> a"));
	unload(&l);
}
END_TEST

START_TEST(test_extends_unknown_base)
{
	const char *files[] = {"base.yaml", "acme.yaml"};
	const char *texts[] = {base_850, "map: acme\nextends: x12-85O\n"};
	struct loaded l;

	load_files(&l, files, texts, 2);
	ck_assert_int_eq(l.rc, EDI_ECONFIG);
	ck_assert_msg(has_error(&l, "acme.yaml:2:10: extends unknown map "
				    "'x12-85O'; did you mean 'x12-850'?"),
		      "got:\n%s", all_errors(&l));
	ck_assert_uint_eq(l.errs.n, 1);
	/* the good map is still usable */
	ck_assert_ptr_nonnull(map_set_find(&l.set, "x12-850"));
	ck_assert_ptr_null(map_set_find(&l.set, "acme"));
	unload(&l);
}
END_TEST

START_TEST(test_duplicate_id_names_both_files)
{
	const char *files[] = {"a.yaml", "b.yaml"};
	const char *texts[] = {base_850, "# again\nmap: x12-850\n"};
	struct loaded l;

	load_files(&l, files, texts, 2);
	ck_assert_int_eq(l.rc, EDI_ECONFIG);
	ck_assert_msg(has_error(&l, "b.yaml:2:6: duplicate map id 'x12-850' "
				    "(also in a.yaml:1:6)"),
		      "got:\n%s", all_errors(&l));
	ck_assert_str_eq(map_set_find(&l.set, "x12-850")->file, "a.yaml");
	unload(&l);
}
END_TEST

START_TEST(test_base_mistake_reported_once)
{
	static const char bad_base[] = "map: b\n"
				       "document: \"850\"\n"
				       "guide: [ST M 1, BEG Q 1]\n";
	const char *files[] = {"b.yaml", "c1.yaml", "c2.yaml"};
	const char *texts[] = {bad_base, "map: c1\nextends: b\n",
			       "map: c2\nextends: b\n"};
	struct loaded l;

	load_files(&l, files, texts, 3);
	ck_assert_int_eq(l.rc, EDI_ECONFIG);
	ck_assert_msg(l.errs.n == 1, "got:\n%s", all_errors(&l));
	ck_assert_str_eq(l.errs.items[0].msg,
			 "b.yaml:3:17: guide entry 'BEG Q 1': REQ must be M or "
			 "O, not 'Q'");
	ck_assert_uint_eq(l.set.n, 0);
	unload(&l);
}
END_TEST

START_TEST(test_bad_element_position_in_extends)
{
	const char *files[] = {"base.yaml", "acme.yaml"};
	const char *texts[] = {base_850,
			       "map: acme\nextends: x12-850\nsegments:\n"
			       "  CUR: {elements: {4: M ID 2/2}}\n"};
	struct loaded l;

	load_files(&l, files, texts, 2);
	ck_assert_msg(has_error(&l, "acme.yaml:4:19: element 03 is not "
				    "defined: positions past the last element "
				    "must follow on without a gap"),
		      "got:\n%s", all_errors(&l));
	unload(&l);
}
END_TEST

/* --- the shipped maps, when they are there --- */

static bool yaml_name(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".yaml");
}

static size_t load_dir(struct loaded *l, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char path[512];
		struct buf text;
		FILE *f;
		char chunk[4096];
		size_t got;

		if (!yaml_name(e->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "rb");
		if (!f)
			continue;
		buf_init(&text, YDOC_MAX_BYTES);
		while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_add(&text, chunk, got);
		fclose(f);
		if (map_load_text(&l->set, path, buf_view(&text), &l->errs))
			l->rc = EDI_ECONFIG;
		buf_release(&text);
		n++;
	}
	closedir(d);
	return n;
}

START_TEST(test_shipped_maps_load)
{
	static const char *const dirs[] = {"maps", "maps/x12", "maps/flat"};
	struct loaded l;
	size_t n = 0;

	memset(&l, 0, sizeof(l));
	map_set_init(&l.set);
	edi_diag_init(&l.errs, 100);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		n += load_dir(&l, dirs[i]);
	if (map_set_resolve(&l.set, &l.errs))
		l.rc = EDI_ECONFIG;
	if (n)
		assert_clean(&l);
	ck_assert_uint_eq(l.set.n, n);
	unload(&l);
}
END_TEST

Suite *map_load_suite(void)
{
	Suite *s = suite_create("map_load");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_base_map_compiles);
	tcase_add_loop_test(tc, test_element_strings, 0,
			    (int)(sizeof(good_elems) / sizeof(good_elems[0])));
	tcase_add_loop_test(tc, test_bad_element_strings, 0,
			    (int)(sizeof(bad_elems) / sizeof(bad_elems[0])));
	tcase_add_test(tc, test_composite_element);
	tcase_add_test(tc, test_syntax_notes);
	tcase_add_test(tc, test_segdefs_sorted_and_found);
	tcase_add_test(tc, test_guide_tree);
	tcase_add_test(tc, test_tables_sorted_with_keep);
	tcase_add_test(tc, test_field_forms);
	tcase_add_loop_test(tc, test_paths, 0,
			    (int)(sizeof(paths) / sizeof(paths[0])));
	tcase_add_loop_test(tc, test_transform_pipelines, 0,
			    (int)(sizeof(pipelines) / sizeof(pipelines[0])));
	tcase_add_test(tc, test_hl_scopes_and_lin_pairs);
	tcase_add_test(tc, test_rules);
	tcase_add_test(tc, test_sscc_rule);
	tcase_add_test(tc, test_flat_csv_map);
	tcase_add_test(tc, test_flat_fixed_map);
	tcase_add_test(tc, test_extends_overrides_and_removes_fields);
	tcase_add_test(tc, test_extends_appends_rules);
	tcase_add_test(tc, test_extends_changes_element_positions);
	tcase_add_test(tc, test_extends_guide_overrides);
	tcase_add_test(tc, test_extends_merges_tables);
	tcase_add_test(tc, test_extends_in_any_order);
	tcase_add_test(tc, test_extends_chain_and_later_batch);
	tcase_add_test(tc, test_select_most_specific);
	tcase_add_loop_test(tc, test_mistakes_name_file_line_col, 0,
			    (int)(sizeof(mistakes) / sizeof(mistakes[0])));
	tcase_add_test(tc, test_every_mistake_is_reported);
	tcase_add_loop_test(
		tc, test_one_mistake_one_message, 0,
		(int)(sizeof(single_mistakes) / sizeof(single_mistakes[0])));
	tcase_add_test(tc, test_extends_cycle);
	tcase_add_test(tc, test_extends_self);
	tcase_add_test(tc, test_extends_unknown_base);
	tcase_add_test(tc, test_duplicate_id_names_both_files);
	tcase_add_test(tc, test_base_mistake_reported_once);
	tcase_add_test(tc, test_bad_element_position_in_extends);
	tcase_add_test(tc, test_shipped_maps_load);
	suite_add_tcase(s, tc);
	return s;
}
