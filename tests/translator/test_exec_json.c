/*
 * test_exec_json - a record written straight from the plan
 * (map_exec_json()) is byte for byte what map_exec() and rec_json give.
 *
 * Every shipped map runs over its sample set and many mutated copies,
 * whose elements are replaced with awkward values (numbers, dates good
 * and bad, separators, quotes, backslashes, control bytes, bytes that are
 * not UTF-8, long strings), under several sources (odd sender ids, no
 * partner, no version) and three plans (the compiled one, the same with
 * no member name rendered ahead, the general one).  Both ways append to a
 * buf that already holds a line, as the held records do; the bytes, the
 * result and the diagnostics must agree, and a set with errors must leave
 * the buf as it was.  The bufs and maps map_exec_json_ready() must turn
 * away are checked too.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "map_exec.h"
#include "map_exec_plan.h"
#include "map_guide.h"
#include "map_load.h"
#include "rec_json.h"
#include "suites.h"
#include "x12_fixture.h"
#include "x12_set.h"

static const struct x12_delims delims = {
	.element = '*', .component = '>', .repetition = '^', .terminator = '~'};

/* what an element may become: the values test_exec_fast uses, and the
 * ones the JSON writers treat apart */
static const char *const pool[] = {
	"",
	"0",
	"48",
	"50.49",
	"0012.50",
	"-0",
	"1.2.3",
	"ABC",
	"20240102",
	"20230229",
	"240229",
	"1230",
	"BY",
	"ST",
	"1>2",
	"A>B>C",
	"1^2",
	"X^Y>Z",
	"99999999999999999999999999999999999999",
	"EA",
	"UP",
	"VN",
	"GM",
	"I",
	"A\"B",
	"\"",
	"back\\slash",
	"tab\tand\x01"
	"control",
	"\x7f",
	"caf\xc3\xa9",
	"\xff\xfe",
	"bad \xc3 utf8 in a string of more than sixteen bytes",
	"a plain string of more than thirty-two bytes, for the copy",
	"fifteen bytes!!",
	"sixteen bytes!!!",
	"\\",
};

static const struct map_source sources[] = {
	{.partner = "acme",
	 .version = "004010",
	 .sender_qual = "ZZ",
	 .sender = "ACME",
	 .receiver_qual = "ZZ",
	 .receiver = "SHOP",
	 .interchange = "000000001",
	 .group = "1",
	 .correlation_id = "20261127T0930Z-42",
	 .file = "in.x12"},
	{.sender_qual = "01",
	 .sender = "A\"B\\C \xc3\xa9",
	 .receiver = "\x01odd",
	 .interchange = "",
	 .group = "7"},
	/* an id and doc_key whose parts need escapes (map_exec.c writes
	 * them part by part) */
	{.partner = "p\"q\\r\xc3\xa9",
	 .interchange = "0\x01",
	 .group = "\"",
	 .file = "dir/\xff.x12"},
};

/* The same steps, in a, with no member name rendered ahead: the writer
 * renders each one itself. */
static const struct map_exec_step *unrendered(const struct map_exec_step *st,
					      size_t n, struct arena *a)
{
	struct map_exec_step *s = arena_array(a, n ? n : 1, sizeof(*s));

	for (size_t i = 0; i < n; i++) {
		s[i] = st[i];
		s[i].name_json = NULL;
		if (st[i].nchildren)
			s[i].children =
				unrendered(st[i].children, st[i].nchildren, a);
	}
	return s;
}

struct outcome {
	struct buf out;
	char diag[8192];
	enum edi_code rc;
};

#define PREFIX "{\"held\":1}\n"

/* text under m from src, the tree's way (json false) or straight */
static void record_of(const struct map *m, const struct map_source *src,
		      const char *text, bool json, struct rec_json_names *names,
		      struct outcome *r)
{
	struct x12_limits limits;
	struct arena a;
	struct x12_set set;
	struct edi_diag diag;
	struct edi_error err;
	struct rec_value *rec;
	size_t before;

	x12_limits_default(&limits);
	arena_init(&a, 0);
	edi_diag_init(&diag, 1000);
	buf_reset(&r->out);
	buf_adds(&r->out, PREFIX);
	ck_assert_int_eq(x12_set_split(&set, &a, sv_cstr(text), &delims, 100, 3,
				       &limits, &diag, &err),
			 EDI_OK);
	map_guide_apply(m, &set, &diag);
	before = diag.nerrors; /* placement's errors are not the builder's */
	if (json) {
		ck_assert(map_exec_json_ready(m, &r->out));
		r->rc = map_exec_json(m, &set, src, &a, &diag, &r->out);
	} else {
		rec = map_exec(m, &set, src, &a, &diag);
		r->rc = diag.nerrors != before
				? EDI_OK
				: rec_json_write_names(&r->out, rec, names);
	}
	if (diag.nerrors != before)
		ck_assert_str_eq(buf_cstr(&r->out), PREFIX);
	fx_diag_text(&diag, r->diag, sizeof(r->diag));
	edi_diag_release(&diag);
	arena_release(&a);
}

START_TEST(test_json_as_tree)
{
	struct map_set maps;
	struct outcome tree, json;
	struct rec_json_names *names = rec_json_names_new();
	unsigned seed = 11, compared = 0, failed = 0, escaped = 0,
		 diagnosed = 0;
	static char text[8192];

	fx_load_maps(&maps, FX_SHIPPED_MAPS, FX_NSHIPPED_MAPS);
	buf_init(&tree.out, SIZE_MAX / 2);
	buf_init(&json.out, SIZE_MAX / 2);
	for (size_t i = 0; i < maps.n; i++) {
		const struct map *map = maps.maps[i];
		struct arena scratch;
		struct map_exec_plan plain;
		struct map variant[3];
		const char *base = NULL;

		base = fx_sample_set(map->document);
		ck_assert_ptr_nonnull(base);
		ck_assert_ptr_nonnull(map->exec_plan);
		arena_init(&scratch, 0);
		plain = *map->exec_plan;
		plain.steps = unrendered(plain.steps, plain.nsteps, &scratch);
		variant[0] = *map;
		variant[1] = *map;
		variant[1].exec_plan = &plain;
		variant[2] = *map;
		variant[2].exec_plan = map_exec_plan_general(map, &scratch);
		for (int k = 0; k < 300; k++) {
			const struct map *m = &variant[k % 3];
			const struct map_source *src =
				&sources[(k / 3) % (sizeof(sources) /
						    sizeof(sources[0]))];

			if (k % 50 == 0) {
				/* from an empty buf: room grows member by
				 * member (map_exec_out_grow()) */
				buf_release(&tree.out);
				buf_release(&json.out);
			}
			if (k)
				fx_mutate(base, pool,
					  sizeof(pool) / sizeof(pool[0]), 3,
					  &seed, text, sizeof(text));
			else
				snprintf(text, sizeof(text), "%s", base);
			record_of(m, src, text, false, names, &tree);
			record_of(m, src, text, true, names, &json);
			ck_assert_msg(!strcmp(buf_cstr(&tree.out),
					      buf_cstr(&json.out)),
				      "%s\n%s\nwant\n%s", text,
				      buf_cstr(&json.out), buf_cstr(&tree.out));
			ck_assert_str_eq(json.diag, tree.diag);
			ck_assert_int_eq(json.rc != EDI_OK, tree.rc != EDI_OK);
			compared++;
			failed += tree.rc != EDI_OK;
			escaped += strchr(buf_cstr(&json.out) + strlen(PREFIX),
					  '\\') != NULL;
			diagnosed += json.diag[0] != '\0';
		}
		arena_release(&scratch);
	}
	ck_assert_uint_eq(compared, 300 * maps.n);
	ck_assert_uint_gt(escaped, 500); /* the exact writer was met */
	ck_assert_uint_gt(diagnosed, 200);
	(void)failed;
	buf_release(&tree.out);
	buf_release(&json.out);
	rec_json_names_free(names);
	map_set_release(&maps);
}
END_TEST

START_TEST(test_ready_refuses)
{
	struct map_set maps;
	struct map deep;
	struct map_exec_plan plan;
	struct buf b;
	static const char *const one[] = {"850"};

	fx_load_maps(&maps, one, 1);
	buf_init(&b, SIZE_MAX / 2);
	ck_assert(map_exec_json_ready(maps.maps[0], &b));
	/* a buf with a maximum a record could meet: the tree finds it */
	buf_init(&b, 1 << 20);
	ck_assert(!map_exec_json_ready(maps.maps[0], &b));
	buf_init(&b, SIZE_MAX / 2);
	/* no plan, or one that nests as deep as rec_json refuses */
	deep = *maps.maps[0];
	deep.exec_plan = NULL;
	ck_assert(!map_exec_json_ready(&deep, &b));
	plan = *maps.maps[0]->exec_plan;
	ck_assert_uint_lt(plan.depth, REC_JSON_MAX_DEPTH);
	ck_assert_uint_ge(plan.depth, 2); /* an each of objects at least */
	plan.depth = REC_JSON_MAX_DEPTH;
	deep.exec_plan = &plan;
	ck_assert(!map_exec_json_ready(&deep, &b));
	buf_release(&b);
	map_set_release(&maps);
}
END_TEST

Suite *exec_json_suite(void)
{
	Suite *s = suite_create("exec_json");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_json_as_tree);
	tcase_add_test(tc, test_ready_refuses);
	suite_add_tcase(s, tc);
	return s;
}
