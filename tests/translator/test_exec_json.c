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

static const char *const sets[] = {
	"ST*850*0001~BEG*00*SA*4500000000**20240102~CUR*BY*USD~REF*DP*467~"
	"REF*IA*115838~DTM*002*20240104~N1*BY*MEGAMART STORES INC*92*6131~"
	"N3*9100 WAREHOUSE BLVD~N4*PHOENIX*AZ*85015*US~N1*ST*DC 093*92*4628~"
	"N3*8622 COMMERCE DR*SUITE 4~N4*ATLANTA*GA*30306*US~"
	"PO1*1*48*EA*50.49**UP*088213022323*VN*LF-10754~PID*F****BOTTLE~"
	"PO1*2*4*EA*105.49**UP*088213045681*VN*JD-11586~PID*F****PUZZLE~"
	"CTT*2*52~SE*18*0001~",
	"ST*855*0001~BAK*00*AD*4500000020*20231231~REF*VN*700021~"
	"DTM*067*20240113~N1*ST*DC 023*92*0870~N3*8662 RIVERSIDE BLVD~"
	"N4*DALLAS*TX*75218*US~PO1*1*144*EA*45.99**UP*088213051637*VN*SE-1~"
	"ACK*IA*144*EA*068*20240113~PO1*2*240*EA*93.99**UP*088213081030~"
	"ACK*IA*240*EA*068*20240113~ACK*IB*2*EA~CTT*2~SE*14*0001~",
	"ST*856*0001~BSN*00*80000040*20240102*0008*0001~DTM*011*20240102~"
	"HL*1**S~TD1*CTN25*7****G*301*LB~TD5*B*2*FDEG*M~REF*BM*1000001271~"
	"N1*ST*DC 038*92*0088~N3*8150 OAK BLVD~N4*MEMPHIS*TN*38105*US~"
	"N1*SF*INITECH TOYS AND GAMES~HL*2*1*O~PRF*4500000020***20231219~"
	"HL*3*2*P~MAN*GM*000882130000000000~HL*4*3*I~"
	"LIN**UP*088213016414*VN*FZ-10546~SN1**96*EA~HL*5*3*I~"
	"LIN**UP*088213143080*VN*AW-15018~SN1**48*EA~HL*6*2*I~"
	"LIN**UP*088213077958~SN1**60*EA~HL*7*1*O~PRF*4500000021~"
	"HL*8*7*I~LIN**UP*088213045681~SN1**24*EA~CTT*8~SE*30*0001~",
	"ST*810*0001~BIG*20240102*INV300060*20231210*4500000060~REF*DP*498~"
	"N1*RE*INITECH TOYS AND GAMES*92*1092~N3*7707 RIVERSIDE BLVD~"
	"N4*RENO*NV*89504*US~IT1*1*19*EA*50.49**UP*088213022323~"
	"PID*F****BOTTLE~IT1*2*24*EA*99.49**UP*088213083720~PID*F****SHEET~"
	"TDS*28212440~SAC*C*D240***7186~SAC*A*C310***-150~CTT*2~SE*15*0001~",
	"ST*997*0001~AK1*PO*1~AK2*850*0001~AK3*PO1*12**8~AK4*2**7*XX~"
	"AK5*R*5~AK9*R*1*1*0~SE*8*0001~",
	"ST*999*0001*005010X231A1~AK1*PO*1*005010X220A1~"
	"AK2*850*0001*005010X220A1~IK3*PO1*12**8~IK4*2**7*XX~IK5*R*5~"
	"AK9*R*1*1*0~SE*9*0001~",
};

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

/* text with some elements (not ST's, SE's or HL's) replaced from pool */
static void mutate(const char *text, unsigned *seed, char *out, size_t size)
{
	size_t o = 0;
	bool fixed = true;

	for (const char *p = text; *p && o + 80 < size;) {
		if (p == text || p[-1] == '~')
			fixed = !strncmp(p, "ST*", 3) ||
				!strncmp(p, "SE*", 3) || !strncmp(p, "HL*", 3);
		if (*p == '*' && !fixed) {
			*seed = *seed * 1103515245u + 12345u;
			if ((*seed >> 16) % 3 == 0) {
				const char *v;

				*seed = *seed * 1103515245u + 12345u;
				v = pool[(*seed >> 16) %
					 (sizeof(pool) / sizeof(pool[0]))];
				o += (size_t)snprintf(out + o, size - o, "*%s",
						      v);
				for (p++; *p && *p != '*' && *p != '~'; p++)
					;
				continue;
			}
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
}

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
	{.file = "dir/\xff.x12"},
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

		for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++)
			if (!strncmp(sets[k] + 3, map->document, 3))
				base = sets[k];
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
				mutate(base, &seed, text, sizeof(text));
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
