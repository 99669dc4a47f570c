/*
 * test_map_check - the tables of map_check, map_guide and map_gs1 give
 * exactly what the general code gives.
 *
 * Element tables against the long way (a definition with has_bits off),
 * on random segments of every shipped segment definition with values
 * from an alphabet of the characters that matter, alone and as sets
 * checked with one syntax memo; guide placement with
 * the loops' tag indexes against a scan of their entries, on random
 * sets; GS1 check digits against map_xform's; the total rule against
 * dec arithmetic done here.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "dec.h"
#include "fileio.h"
#include "map_check.h"
#include "map_gs1.h"
#include "map_guide.h"
#include "map_load.h"
#include "map_rules.h"
#include "map_xform.h"
#include "suites.h"
#include "x12_fixture.h"
#include "x12_set.h"

static const struct x12_delims delims = {
	.element = '*', .component = '>', .repetition = '^', .terminator = '~'};

static unsigned rnd(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) % n;
}

/* A random value: digits, dates, codes of the element, text with the
 * characters the checks care about, separators. */
static size_t random_value(unsigned *seed, const struct map_elem *e, char *out)
{
	static const char alpha[] =
		"0123456789.-+ AZaz\001\177\200\237\240\377>^#";
	size_t n = 0, len;

	switch (rnd(seed, 8)) {
	case 0: /* a code of the element, or a near miss */
		if (e && e->ncodes) {
			const char *c =
				e->codes[rnd(seed, (unsigned)e->ncodes)];

			n = (size_t)snprintf(out, 40, "%s", c);
			if (rnd(seed, 4) == 0 && n)
				out[rnd(seed, (unsigned)n)] ^= 1;
			return n;
		}
		break;
	case 1: /* a date or a time, sometimes wrong */
		n = (size_t)snprintf(
			out, 40, "%s",
			(const char *[]){"20240229", "20230229", "20001231",
					 "21000229", "240102", "000229",
					 "20241301", "20240431", "1230", "2400",
					 "235960", "1234567", "12345678",
					 "0000"}[rnd(seed, 14)]);
		return n;
	case 2: /* a number */
		if (rnd(seed, 3) == 0)
			out[n++] = '-';
		len = 1 + rnd(seed, 12);
		for (size_t i = 0; i < len; i++)
			out[n++] = (char)('0' + rnd(seed, 10));
		if (rnd(seed, 3) == 0)
			out[rnd(seed, (unsigned)n)] = '.';
		return n;
	default:
		break;
	}
	len = rnd(seed, 4) == 0 ? rnd(seed, 40) : rnd(seed, 9);
	for (size_t i = 0; i < len; i++)
		out[n++] = rnd(seed, 3) ? (char)('A' + rnd(seed, 26))
					: alpha[rnd(seed, sizeof(alpha) - 1)];
	return n;
}

static void check_one(const struct map_segdef *def, const char *text,
		      size_t len)
{
	struct map_segdef slow = *def;
	struct x12_limits limits;
	struct arena a;
	struct x12_set set;
	struct edi_diag fast_diag, slow_diag;
	struct edi_error err;
	static char want[65536], got[65536];

	x12_limits_default(&limits);
	arena_init(&a, 0);
	edi_diag_init(&fast_diag, 1000);
	edi_diag_init(&slow_diag, 1000);
	ck_assert_int_eq(x12_set_split(&set, &a, sv_make(text, len), &delims,
				       100, 5, &limits, &fast_diag, &err),
			 EDI_OK);
	ck_assert_uint_eq(set.nsegs, 1);
	slow.has_bits = false;
	map_check_segment(def, &set.segs[0], &delims, &fast_diag);
	map_check_segment(&slow, &set.segs[0], &delims, &slow_diag);
	fx_diag_text(&fast_diag, got, sizeof(got));
	fx_diag_text(&slow_diag, want, sizeof(want));
	ck_assert_msg(!strcmp(got, want), "%.*s:\n%s\nwant\n%s", (int)len, text,
		      got, want);
	edi_diag_release(&fast_diag);
	edi_diag_release(&slow_diag);
	arena_release(&a);
}

START_TEST(test_table_as_long_way)
{
	struct map_set maps;
	unsigned seed = 7, tables = 0;
	static char text[8192];

	fx_load_maps(&maps, FX_SHIPPED_MAPS, FX_NSHIPPED_MAPS);
	for (size_t m = 0; m < maps.n; m++) {
		const struct map *map = maps.maps[m];

		for (size_t i = 0; i < map->nsegs; i++) {
			const struct map_segdef *def = &map->segs[i];

			tables += def->check != NULL;
			for (int k = 0; k < 300; k++) {
				size_t o = (size_t)snprintf(text, 8, "%s",
							    def->tag);
				unsigned n =
					rnd(&seed, (unsigned)def->nelems + 3);

				for (unsigned e = 1; e <= n; e++) {
					text[o++] = '*';
					if (rnd(&seed, 3) == 0)
						continue; /* empty */
					o += random_value(
						&seed,
						e <= def->nelems
							? &def->elems[e - 1]
							: NULL,
						text + o);
				}
				text[o++] = '~';
				check_one(def, text, o);
			}
		}
	}
	ck_assert_uint_gt(tables, 300);
	map_set_release(&maps);
}
END_TEST

/*
 * The syntax memo: the segments of a set, each definition's elements
 * filled by one of a few patterns that differ in one position, checked
 * with one memo for the whole set and the long way each alone.
 */
static void check_memo_set(const struct map *map, unsigned *seed)
{
	static char text[1 << 16], want[65536], got[65536];
	struct x12_limits limits;
	struct arena a;
	struct x12_set set;
	struct edi_diag fast_diag, slow_diag;
	struct edi_error err;
	struct map_check_memo memo;
	const struct map_segdef *defs[400];
	uint64_t base[64];
	size_t o = 0, nsegs = 0;

	for (size_t i = 0; i < map->nsegs && i < 64; i++)
		base[i] = (uint64_t)rnd(seed, 1u << 16) << 16 |
			  rnd(seed, 1u << 16);
	while (nsegs < 400 && o + 2048 < sizeof(text)) {
		size_t di = rnd(seed,
				(unsigned)(map->nsegs < 64 ? map->nsegs : 64));
		const struct map_segdef *def = &map->segs[di];
		uint64_t fill = base[di];
		unsigned n =
			(unsigned)def->nelems < 40 ? (unsigned)def->nelems : 40;

		if (rnd(seed, 2))
			fill ^= (uint64_t)1 << rnd(seed, n + 1);
		defs[nsegs++] = def;
		o += (size_t)snprintf(text + o, 8, "%s", def->tag);
		for (unsigned e = 1; e <= n; e++) {
			text[o++] = '*';
			if (fill >> e & 1)
				o += random_value(seed, &def->elems[e - 1],
						  text + o);
		}
		text[o++] = '~';
	}
	x12_limits_default(&limits);
	arena_init(&a, 0);
	edi_diag_init(&fast_diag, 100000);
	edi_diag_init(&slow_diag, 100000);
	ck_assert_int_eq(x12_set_split(&set, &a, sv_make(text, o), &delims, 100,
				       5, &limits, &fast_diag, &err),
			 EDI_OK);
	ck_assert_uint_eq(set.nsegs, nsegs);
	map_check_memo_init(&memo);
	for (size_t i = 0; i < nsegs; i++) {
		struct map_segdef slow = *defs[i];

		slow.has_bits = false;
		map_check_segment_memo(defs[i], &set.segs[i], &delims, &memo,
				       &fast_diag);
		map_check_segment(&slow, &set.segs[i], &delims, &slow_diag);
	}
	fx_diag_text(&fast_diag, got, sizeof(got));
	fx_diag_text(&slow_diag, want, sizeof(want));
	for (o = 0; got[o] && got[o] == want[o]; o++)
		;
	ck_assert_msg(!strcmp(got, want), "at %zu: %.300s\nwant\n%.300s", o,
		      got + o, want + o);
	edi_diag_release(&fast_diag);
	edi_diag_release(&slow_diag);
	arena_release(&a);
}

START_TEST(test_memo_as_long_way)
{
	struct map_set maps;
	unsigned seed = 11;

	fx_load_maps(&maps, FX_SHIPPED_MAPS, FX_NSHIPPED_MAPS);
	for (size_t m = 0; m < maps.n; m++)
		for (int k = 0; k < 40; k++)
			check_memo_set(maps.maps[m], &seed);
	map_set_release(&maps);
}
END_TEST

/* Turn the loops' tag indexes off (index NULL) or back on. */
static void set_index(struct guide_node *n, const struct guide_index ***saved,
		      bool off)
{
	if (n->kind != GUIDE_LOOP)
		return;
	if (off) {
		*(*saved)++ = n->index;
		n->index = NULL;
	} else {
		n->index = *(*saved)++;
	}
	for (size_t i = 0; i < n->nchildren; i++)
		set_index(&n->children[i], saved, off);
}

static void place_text(const struct map *m, const char *text, size_t len,
		       char *out, size_t size)
{
	struct x12_limits limits;
	struct arena a;
	struct x12_set set;
	struct edi_diag diag;
	struct edi_error err;
	size_t o;

	x12_limits_default(&limits);
	arena_init(&a, 0);
	edi_diag_init(&diag, 1000);
	ck_assert_int_eq(x12_set_split(&set, &a, sv_make(text, len), &delims, 0,
				       1, &limits, &diag, &err),
			 EDI_OK);
	map_guide_apply(m, &set, &diag);
	fx_diag_text(&diag, out, size);
	o = strlen(out);
	for (size_t i = 0; i < set.nsegs && o + 64 < size; i++) {
		const struct x12_seg *s = &set.segs[i];

		o += (size_t)snprintf(out + o, size - o, "%p %p %zu %zu\n",
				      (const void *)s->node,
				      s->loop ? (const void *)s->loop->def
					      : NULL,
				      s->loop ? s->loop->first : 0,
				      s->loop ? s->loop->end : 0);
	}
	edi_diag_release(&diag);
	arena_release(&a);
}

START_TEST(test_index_as_scan)
{
	struct map_set maps;
	unsigned seed = 3;
	static char text[16384], want[1 << 17], got[1 << 17];
	static const struct guide_index *saved[4096];

	fx_load_maps(&maps, FX_SHIPPED_MAPS, FX_NSHIPPED_MAPS);
	for (size_t mi = 0; mi < maps.n; mi++) {
		struct map *m = maps.maps[mi];

		for (int k = 0; k < 200; k++) {
			size_t o = (size_t)snprintf(text, 32, "ST*%s*0001~",
						    m->document);
			unsigned n = 1 + rnd(&seed, 120);
			const struct guide_index **p;

			for (unsigned s = 0; s < n; s++) {
				/* mostly the map's own tags, in runs */
				const char *tag =
					rnd(&seed, 20) == 0
						? "ZZZ"
						: m->segs[rnd(&seed,
							      (unsigned)
								      m->nsegs)]
							  .tag;

				if (rnd(&seed, 3) == 0 && m->nsegs > 1)
					tag = m->segs[(seed >> 3) % 4].tag;
				o += (size_t)snprintf(text + o, 16, "%s*1~",
						      tag);
			}
			o += (size_t)snprintf(text + o, 16, "SE*%u*0001~",
					      n + 2);
			place_text(m, text, o, got, sizeof(got));
			p = saved;
			set_index(&m->guide, &p, true);
			place_text(m, text, o, want, sizeof(want));
			p = saved;
			set_index(&m->guide, &p, false);
			ck_assert_msg(!strcmp(got, want), "%s", text);
		}
	}
	map_set_release(&maps);
}
END_TEST

START_TEST(test_gs1_as_xform)
{
	unsigned seed = 5;
	char s[32];

	for (int k = 0; k < 400000; k++) {
		size_t n = rnd(&seed, 23);

		for (size_t i = 0; i < n; i++)
			s[i] = rnd(&seed, 50) ? (char)('0' + rnd(&seed, 10))
					      : "/:a\0 \377"[rnd(&seed, 6)];
		if (n && rnd(&seed, 2)) { /* make the check digit right */
			int c = gs1_check_digit(sv_make(s, n - 1));
			if (c >= 0)
				s[n - 1] = (char)('0' + c);
		}
		if (n >= 2 && rnd(&seed, 8) == 0)
			s[0] = s[1] = '0';
		ck_assert_int_eq(map_gs1_gtin_ok(sv_make(s, n)),
				 gtin_valid(sv_make(s, n)));
		ck_assert_int_eq(map_gs1_sscc_ok(sv_make(s, n)),
				 sscc_valid(sv_make(s, n)));
	}
}
END_TEST

/* A random quantity or price: plain, or something dec reads otherwise. */
static size_t random_number(unsigned *seed, char *out)
{
	static const char *const odd[] = {
		"+3",	       "",   ".",	"1.2.3", "5.",
		".5",	       "-0", "0012.50", "1E5",	 "123456789012345678",
		"0.0000000001"};
	size_t n = 0, len;

	if (rnd(seed, 10) == 0)
		return (size_t)snprintf(out, 24, "%s", odd[rnd(seed, 11)]);
	if (rnd(seed, 8) == 0)
		out[n++] = '-';
	len = 1 + rnd(seed, rnd(seed, 6) ? 5 : 16);
	for (size_t i = 0; i < len; i++)
		out[n++] = (char)('0' + rnd(seed, 10));
	if (rnd(seed, 2))
		out[rnd(seed, (unsigned)n)] = '.';
	return n;
}

START_TEST(test_total_as_dec)
{
	struct map_set maps;
	const struct map *m = NULL;
	unsigned seed = 9;
	static char text[8192];

	fx_load_maps(&maps, FX_SHIPPED_MAPS, FX_NSHIPPED_MAPS);
	for (size_t i = 0; i < maps.n; i++)
		if (!strcmp(maps.maps[i]->document, "810"))
			m = maps.maps[i];
	ck_assert_ptr_nonnull(m);
	for (int k = 0; k < 3000; k++) {
		struct map_rule_opts opts = {.off_gtin = true};
		struct dec sum = dec_from_i64(0), q, p, x;
		struct edi_error err;
		struct x12_limits limits;
		struct x12_set set;
		struct edi_diag diag;
		struct arena a;
		unsigned lines = 1 + rnd(&seed, 6);
		bool ok = true, off = false, said;
		char qs[32], ps[32], sum_text[DEC_TEXT_MAX];
		size_t o = (size_t)snprintf(text, 64, "ST*810*0001~BIG*1~");

		for (unsigned l = 0; l < lines; l++) {
			size_t qn = random_number(&seed, qs);
			size_t pn = random_number(&seed, ps);

			o += (size_t)snprintf(text + o, 96,
					      "IT1*%u*%.*s*EA*%.*s~", l + 1,
					      (int)qn, qs, (int)pn, ps);
			if (ok && (dec_parse(sv_make(qs, qn), &q, &err) ||
				   dec_parse(sv_make(ps, pn), &p, &err) ||
				   dec_mul(q, p, &x, &err) ||
				   dec_add(sum, x, &sum, &err)))
				ok = false;
		}
		sum = dec_round(sum, 2);
		dec_format(sum, sum_text);
		/* right (as implied N2), or off by one cent */
		if (ok && rnd(&seed, 2)) {
			struct dec cent = {1, 2};
			if (dec_add(sum, cent, &sum, &err))
				continue; /* no room for the cent */
			off = true;
		}
		if (ok) {
			char implied[DEC_TEXT_MAX];
			size_t n;

			if (dec_format_implied(sum, 2, implied, &n, &err))
				continue;
			o += (size_t)snprintf(text + o, 128, "TDS*%s~",
					      implied);
		}
		/* SACs: a charge and an allowance that cancel out */
		if (rnd(&seed, 3) == 0)
			o += (size_t)snprintf(text + o, 64,
					      "SAC*C*D240***1500~SAC*A*D240***"
					      "1500~SAC*N*D240***99~");
		o += (size_t)snprintf(text + o, 32, "SE*9*0001~");
		x12_limits_default(&limits);
		arena_init(&a, 0);
		edi_diag_init(&diag, 100);
		ck_assert_int_eq(x12_set_split(&set, &a, sv_make(text, o),
					       &delims, 0, 1, &limits, &diag,
					       &err),
				 EDI_OK);
		map_guide_apply(m, &set, &diag);
		edi_diag_release(&diag);
		edi_diag_init(&diag, 100);
		map_rules_check(m, &set, &opts, &diag);
		said = false;
		for (size_t i = 0; i < diag.n; i++)
			said |= strstr(diag.items[i].msg, "total") != NULL;
		ck_assert_msg(said == off, "%s (lines %s)", text, sum_text);
		edi_diag_release(&diag);
		arena_release(&a);
	}
	map_set_release(&maps);
}
END_TEST

Suite *map_check_suite(void)
{
	Suite *s = suite_create("map_check");
	TCase *tc = tcase_create("tables");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_table_as_long_way);
	tcase_add_test(tc, test_memo_as_long_way);
	tcase_add_test(tc, test_index_as_scan);
	tcase_add_test(tc, test_gs1_as_xform);
	tcase_add_test(tc, test_total_as_dec);
	suite_add_tcase(s, tc);
	return s;
}
