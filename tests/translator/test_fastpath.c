/*
 * test_fastpath - the translator's fast paths give exactly what the slow
 * paths they skip would have given.
 *
 * Each fast path (a decimal kept as it is, a value picked without looking
 * for separators, ...) is checked against the general code on many inputs,
 * most of them generated: every string up to a length over an alphabet
 * that holds the interesting characters.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "buf.h"
#include "dec.h"
#include "fileio.h"
#include "json_out.h"
#include "map_guide.h"
#include "map_exec.h"
#include "map_load.h"
#include "map_xform.h"
#include "rec_json.h"
#include "suites.h"
#include "x12_fixture.h"
#include "x12_hl_index.h"
#include "x12_set.h"

/* Every string of length len over alpha, in turn, into s; false at the
 * end.  idx holds the digits of a counter in base strlen(alpha). */
static bool next_string(const char *alpha, size_t len, size_t *idx, char *s)
{
	size_t n = strlen(alpha), i;

	for (i = 0; i < len; i++) {
		if (++idx[i] < n)
			break;
		idx[i] = 0;
	}
	for (size_t k = 0; k < len; k++)
		s[k] = alpha[idx[k]];
	s[len] = '\0';
	return i < len;
}

/* What map_xform_decimal gave before its fast path: parse, format. */
static bool decimal_slow(const char *in, char *text)
{
	struct strview v = sv_cstr(in);
	struct edi_error err;
	struct dec d;

	while (v.len && (v.ptr[0] == ' ' || v.ptr[0] == '\t')) {
		v.ptr++;
		v.len--;
	}
	while (v.len && (v.ptr[v.len - 1] == ' ' || v.ptr[v.len - 1] == '\t'))
		v.len--;
	if (dec_parse(v, &d, &err) != EDI_OK)
		return false;
	dec_format(d, text);
	return true;
}

static void check_decimal(struct arena *a, const char *in)
{
	char want[DEC_TEXT_MAX];
	struct strview out;
	struct edi_error err;
	bool ok = decimal_slow(in, want);
	enum edi_code rc = map_xform_decimal(a, sv_cstr(in), &out, &err);

	ck_assert_msg((rc == EDI_OK) == ok, "'%s': rc %d", in, (int)rc);
	if (ok)
		ck_assert_msg(out.len == strlen(want) &&
				      !memcmp(out.ptr, want, out.len),
			      "'%s': got '%.*s', want '%s'", in, (int)out.len,
			      out.ptr, want);
}

START_TEST(test_decimal_all_short_strings)
{
	static const char alpha[] = "-0159. +";
	struct arena a;
	size_t idx[8];
	char s[9];

	arena_init(&a, 0);
	for (size_t len = 0; len <= 6; len++) {
		memset(idx, 0, sizeof(idx));
		for (size_t k = 0; k < len; k++)
			s[k] = alpha[0];
		s[len] = '\0';
		do
			check_decimal(&a, s);
		while (next_string(alpha, len, idx, s));
		arena_reset(&a);
	}
	arena_release(&a);
}
END_TEST

START_TEST(test_decimal_long_values)
{
	static const char *const in[] = {
		"123456789012345678901234567890",
		"1234567890123456789012345678901",
		"123456789012345678901234567890123456",
		"1234567890123456789012345678901234567",
		"0.123456789012345678901234567891",
		"-0.000000000000000000000000000000000001",
		"-12345678901234567.890123456789",
		"10000000000000000000000000000000000000.5",
		"00000000000000000000000000000000000000000000001",
	};
	struct arena a;

	arena_init(&a, 0);
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		check_decimal(&a, in[i]);
	arena_release(&a);
}
END_TEST

/* --- splitting a set's segments in one pass --- */

/* A segment body of n elements, each of 0-2 bytes out of "A>^" (so that
 * components and repetitions occur), by a small LCG from seed. */
static size_t make_segment(char *out, unsigned n, unsigned *seed)
{
	static const char body[] = "A>^1";
	size_t o = 0;

	out[o++] = 'Z';
	out[o++] = 'Z';
	for (unsigned i = 0; i < n; i++) {
		unsigned len;

		out[o++] = '*';
		*seed = *seed * 1103515245u + 12345u;
		len = (*seed >> 16) % 3;
		for (unsigned k = 0; k < len; k++) {
			*seed = *seed * 1103515245u + 12345u;
			out[o++] = body[(*seed >> 16) % 4];
		}
	}
	out[o++] = '~';
	return o;
}

static void check_split(const char *text, size_t len, size_t max_elements)
{
	static const struct x12_delims d = {.element = '*',
					    .component = '>',
					    .repetition = '^',
					    .terminator = '~'};
	struct x12_limits limits;
	struct arena a;
	struct x12_set set;
	struct edi_diag diag;
	struct edi_error err;
	struct strview want[200];
	const char *p = text;

	x12_limits_default(&limits);
	limits.max_elements = max_elements;
	arena_init(&a, 0);
	edi_diag_init(&diag, 1000);
	ck_assert_int_eq(x12_set_split(&set, &a, sv_make(text, len), &d, 0, 1,
				       &limits, &diag, &err),
			 EDI_OK);
	for (size_t i = 0; i < set.nsegs; i++) {
		const struct x12_seg *seg = &set.segs[i];
		const char *t = memchr(p, '~', len - (size_t)(p - text));
		struct strview raw = sv_make(p, (size_t)(t - p));
		size_t n = x12_split(raw, '*', want, 200);
		size_t keep = n - 1 > max_elements ? max_elements : n - 1;

		ck_assert_uint_eq(seg->nel, keep);
		for (size_t k = 0; k <= keep; k++)
			ck_assert_msg(seg->el[k].ptr == want[k].ptr &&
					      seg->el[k].len == want[k].len,
				      "segment %zu element %zu", i, k);
		ck_assert(seg->has_component ==
			  (memchr(raw.ptr, '>', raw.len) != NULL));
		ck_assert(seg->has_repetition ==
			  (memchr(raw.ptr, '^', raw.len) != NULL));
		ck_assert(sv_eq(seg->tag, want[0]));
		p = t + 1;
	}
	/* one error per segment over the limit */
	{
		size_t over = 0;

		p = text;
		for (size_t i = 0; i < set.nsegs; i++) {
			const char *t =
				memchr(p, '~', len - (size_t)(p - text));
			size_t n = x12_split(sv_make(p, (size_t)(t - p)), '*',
					     want, 0);
			over += n - 1 > max_elements;
			p = t + 1;
		}
		ck_assert_uint_eq(diag.n, over);
	}
	edi_diag_release(&diag);
	arena_release(&a);
}

START_TEST(test_split_matches_x12_split)
{
	static const unsigned counts[] = {0, 1, 2, 5, 62, 63, 64, 65, 130};
	static const size_t limits[] = {512, 64, 63, 62, 3};
	char text[8192];
	unsigned seed = 7;

	for (size_t l = 0; l < sizeof(limits) / sizeof(limits[0]); l++) {
		size_t o = 0;

		for (size_t c = 0; c < sizeof(counts) / sizeof(counts[0]); c++)
			for (int rep = 0; rep < 3; rep++)
				o += make_segment(text + o, counts[c], &seed);
		check_split(text, o, limits[l]);
	}
}
END_TEST

/* --- element checks from bit masks --- */

/* Values good and bad for every type: codes, dates, times, numbers,
 * control characters, separators, lengths. */
static const char *const pool[] = {
	"",
	"",
	"",
	"A",
	"AB",
	"ABC",
	"00",
	"BY",
	"ST",
	"EA",
	"UP",
	"92",
	"1",
	"12",
	"-1",
	"1.5",
	"-0.25",
	"1.2.3",
	".",
	"-",
	"007",
	"20240102",
	"20240230",
	"240102",
	"1230",
	"2561",
	"123045",
	"A\001B",
	"X>Y",
	"X>>Y",
	"A^B",
	"A^B^C",
	"1>2^3",
	"ZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZZ",
	"123456789012345678901234567890",
};

static void check_bits_one(const struct map_segdef *def, const char *text,
			   size_t len)
{
	static const struct x12_delims d = {.element = '*',
					    .component = '>',
					    .repetition = '^',
					    .terminator = '~'};
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
	ck_assert_int_eq(x12_set_split(&set, &a, sv_make(text, len), &d, 100, 5,
				       &limits, &fast_diag, &err),
			 EDI_OK);
	ck_assert_uint_eq(set.nsegs, 1);
	slow.has_bits = false;
	map_guide_check_segment(def, &set.segs[0], &d, &fast_diag);
	map_guide_check_segment(&slow, &set.segs[0], &d, &slow_diag);
	fx_diag_text(&fast_diag, got, sizeof(got));
	fx_diag_text(&slow_diag, want, sizeof(want));
	ck_assert_msg(!strcmp(got, want), "%.*s:\n%s\nwant\n%s", (int)len, text,
		      got, want);
	edi_diag_release(&fast_diag);
	edi_diag_release(&slow_diag);
	arena_release(&a);
}

/* Every loop's next_mandatory against a scan of its entries. */
static unsigned check_next_mandatory(const struct guide_node *n)
{
	unsigned loops = 1;

	if (n->kind != GUIDE_LOOP)
		return 0;
	ck_assert_ptr_nonnull(n->next_mandatory);
	for (size_t i = 0; i <= n->nchildren; i++) {
		size_t want = i;

		while (want < n->nchildren &&
		       n->children[want].req != MAP_REQ_M)
			want++;
		ck_assert_uint_eq(n->next_mandatory[i], want);
	}
	for (size_t i = 0; i < n->nchildren; i++)
		loops += check_next_mandatory(&n->children[i]);
	return loops;
}

START_TEST(test_next_mandatory)
{
	struct map_set maps;
	unsigned loops = 0;

	fx_load_maps(&maps, FX_SHIPPED_MAPS, FX_NSHIPPED_MAPS);
	for (size_t m = 0; m < maps.n; m++)
		loops += check_next_mandatory(&maps.maps[m]->guide);
	ck_assert_uint_gt(loops, 40);
	map_set_release(&maps);
}
END_TEST

START_TEST(test_check_bits_as_check_segment)
{
	struct map_set maps;
	unsigned seed = 11, checked = 0, prepared = 0;
	char text[2048];

	fx_load_maps(&maps, FX_SHIPPED_MAPS, FX_NSHIPPED_MAPS);
	for (size_t m = 0; m < maps.n; m++) {
		const struct map *map = maps.maps[m];

		for (size_t i = 0; i < map->nsegs; i++) {
			const struct map_segdef *def = &map->segs[i];

			prepared += def->has_bits;
			for (int k = 0; k < 200; k++) {
				size_t o = 0;
				unsigned n;

				seed = seed * 1103515245u + 12345u;
				n = (seed >> 16) % (unsigned)(def->nelems + 3);
				o += (size_t)snprintf(text, sizeof(text), "%s",
						      def->tag);
				for (unsigned e = 0; e < n; e++) {
					const char *v;

					seed = seed * 1103515245u + 12345u;
					v = pool[(seed >> 16) %
						 (sizeof(pool) /
						  sizeof(pool[0]))];
					o += (size_t)snprintf(text + o,
							      sizeof(text) - o,
							      "*%s", v);
				}
				text[o++] = '~';
				check_bits_one(def, text, o);
				checked++;
			}
		}
	}
	ck_assert_uint_gt(prepared, 50); /* the fast way was taken */
	ck_assert_uint_gt(checked, 10000);
	map_set_release(&maps);
}
END_TEST

/* --- JSON strings: short ones by words, member names remembered --- */

START_TEST(test_json_short_strings)
{
	/* plain, quote, backslash, control, DEL, a byte that is not UTF-8 */
	static const char alpha[] = "a\"\\\001\177\200";
	struct arena a;
	struct buf got, want;
	size_t idx[8];
	char s[9];

	arena_init(&a, 0);
	buf_init(&got, 1 << 20);
	buf_init(&want, 1 << 20);
	for (size_t len = 0; len <= 7; len++) {
		memset(idx, 0, sizeof(idx));
		for (size_t k = 0; k < len; k++)
			s[k] = alpha[0];
		s[len] = '\0';
		do {
			struct rec_value *v = rec_str(&a, sv_make(s, len));

			buf_reset(&got);
			buf_reset(&want);
			ck_assert_int_eq(rec_json_write(&got, v), EDI_OK);
			ck_assert_int_eq(json_escape(&want, sv_make(s, len)),
					 EDI_OK);
			ck_assert_msg(
				got.len == want.len &&
					!memcmp(got.ptr, want.ptr, got.len),
				"length %zu: got %s want %s", len, got.ptr,
				want.ptr);
			arena_reset(&a);
		} while (len < 6 ? next_string(alpha, len, idx, s)
				 : next_string("a\"\200", len, idx, s));
	}
	buf_release(&got);
	buf_release(&want);
	arena_release(&a);
}
END_TEST

START_TEST(test_json_member_names)
{
	/* 300 names (more than the memo holds), each used three times, some
	 * twice at different addresses, some needing escapes */
	static char names[300][24];
	struct arena a;
	struct buf got, want;
	struct rec_value *obj;

	arena_init(&a, 0);
	buf_init(&got, 1 << 20);
	buf_init(&want, 1 << 20);
	for (int i = 0; i < 300; i++)
		snprintf(names[i], sizeof(names[i]),
			 i % 7 == 3    ? "k\"%d"
			 : i % 5 == 1  ? "key_%d"
			 : i % 11 == 4 ? "long_member_key_%d"
				       : "k%d",
			 i % 150);
	obj = rec_object(&a);
	buf_addc(&want, '{');
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 300; i++) {
			char value[16];

			snprintf(value, sizeof(value),
				 i % 13 == 5   ? "q\"%d"
				 : i % 17 == 2 ? "\200%d"
					       : "v%d",
				 i);
			rec_add(obj, names[i],
				rec_str_copy(&a, sv_cstr(value)));
			if (want.len > 1)
				buf_addc(&want, ',');
			json_escape(&want, sv_cstr(names[i]));
			buf_addc(&want, ':');
			json_escape(&want, sv_cstr(value));
		}
	buf_addc(&want, '}');
	ck_assert_int_eq(rec_json_write(&got, obj), EDI_OK);
	ck_assert_str_eq(got.ptr, want.ptr);
	buf_release(&got);
	buf_release(&want);
	arena_release(&a);
}
END_TEST

/* --- finding segments by packed tag --- */

/* x12_tag_key() as it was written first, a loop */
static uint32_t tag_key_loop(const char *tag)
{
	uint32_t k = 0;

	for (unsigned i = 0; i < 3 && tag[i]; i++)
		k |= (uint32_t)(unsigned char)tag[i] << (8 * i);
	return tag[0] && (!tag[1] || !tag[2] || !tag[3]) ? k : 0;
}

START_TEST(test_tag_key_unrolled)
{
	static const char alpha[] = "AZ9\377";
	char t[6];

	/* every tag of 0 to 5 characters over alpha, NUL-terminated */
	for (unsigned len = 0; len <= 5; len++) {
		size_t idx[8] = {0};

		for (unsigned k = 0; k < len; k++)
			t[k] = alpha[0];
		t[len] = '\0';
		do
			ck_assert_uint_eq(x12_tag_key(t), tag_key_loop(t));
		while (next_string(alpha, len, idx, t));
	}
}
END_TEST

START_TEST(test_tag_match_as_sv_eq_cstr)
{
	static const char *const tags[] = {"HL",  "H", "HLX", "HLXX", "",
					   "PO1", "P", "SAC", "IT1",  "LONGER"};
	static const struct strview segs[] = {
		SV_LIT("HL"),  SV_LIT("H"),	SV_LIT("HLX"), SV_LIT("HLXX"),
		SV_LIT(""),    SV_LIT("HL\0"),	SV_LIT("H\0"), SV_LIT("PO1"),
		SV_LIT("PO"),  SV_LIT("P\0\0"), SV_LIT("SAC"), SV_LIT("LONGER"),
		SV_LIT("IT1"), SV_LIT("IT1 "),
	};

	for (size_t t = 0; t < sizeof(tags) / sizeof(tags[0]); t++) {
		struct x12_tag_match m = x12_tag_match_init(tags[t]);

		for (size_t k = 0; k < sizeof(segs) / sizeof(segs[0]); k++) {
			struct x12_seg seg;

			memset(&seg, 0, sizeof(seg));
			seg.tag = segs[k];
			seg.key = x12_tag_key_sv(segs[k]);
			ck_assert_msg(x12_seg_matches(&seg, &m) ==
					      sv_eq_cstr(segs[k], tags[t]),
				      "tag '%s', segment %zu", tags[t], k);
		}
	}
}
END_TEST

/* --- check digits in one pass --- */

static bool check_digit_ok_ref(struct strview v)
{
	int cd = gs1_check_digit(sv_make(v.ptr, v.len - 1));

	return cd >= 0 && v.ptr[v.len - 1] == '0' + cd;
}

static bool gtin_valid_ref(struct strview v)
{
	if (v.len != 8 && v.len != 12 && v.len != 13 && v.len != 14)
		return false;
	return sv_is_digits(v) && check_digit_ok_ref(v);
}

static bool sscc_valid_ref(struct strview v)
{
	if (v.len == 20 && v.ptr[0] == '0' && v.ptr[1] == '0')
		v = sv_make(v.ptr + 2, 18);
	return v.len == 18 && sv_is_digits(v) && check_digit_ok_ref(v);
}

START_TEST(test_check_digits_one_pass)
{
	unsigned seed = 3, valid = 0;
	char s[24];

	for (int k = 0; k < 200000; k++) {
		size_t len;

		seed = seed * 1103515245u + 12345u;
		len = 6 + (seed >> 16) % 16; /* 6..21 */
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			s[i] = (char)('0' + (seed >> 16) % 10);
		}
		if (k % 3 == 0 && len > 1) {
			/* make the check digit right */
			int cd = gs1_check_digit(sv_make(s, len - 1));
			s[len - 1] = (char)('0' + cd);
		}
		if (k % 17 == 0)
			s[(seed >> 20) % len] = k % 2 ? '/' : ':';
		if (k % 23 == 0 && len >= 2)
			s[0] = s[1] = '0';
		ck_assert(gtin_valid(sv_make(s, len)) ==
			  gtin_valid_ref(sv_make(s, len)));
		ck_assert(sscc_valid(sv_make(s, len)) ==
			  sscc_valid_ref(sv_make(s, len)));
		valid += gtin_valid(sv_make(s, len)) +
			 sscc_valid(sv_make(s, len));
	}
	ck_assert_uint_gt(valid, 1000);
}
END_TEST

/* --- HL loops by id --- */

START_TEST(test_hl_index)
{
	enum { N = 3000 };
	static struct x12_loop loops[N];
	static char ids[N][8];
	struct x12_hl_index ix;
	struct arena a;

	arena_init(&a, 0);
	x12_hl_index_init(&ix, &a, N);
	ck_assert_ptr_null(x12_hl_index_find(&ix, SV_LIT("1")));
	for (int i = 0; i < N; i++) {
		/* ids repeat every 1000 loops; loop 7 has the empty id */
		int len = snprintf(ids[i], sizeof(ids[i]), "%d", i % 1000);

		memset(&loops[i], 0, sizeof(loops[i]));
		loops[i].hl_id = sv_make(ids[i], i == 7 ? 0 : (size_t)len);
		/* before the add: the latest earlier loop with the id */
		if (i >= 1000 && i != 1007 && i != 2007)
			ck_assert_ptr_eq(x12_hl_index_find(&ix, loops[i].hl_id),
					 &loops[i - 1000]);
		x12_hl_index_add(&ix, &loops[i]);
		ck_assert_ptr_eq(x12_hl_index_find(&ix, loops[i].hl_id),
				 &loops[i]);
	}
	ck_assert_ptr_eq(x12_hl_index_find(&ix, SV_LIT("")), &loops[7]);
	ck_assert_ptr_eq(x12_hl_index_find(&ix, SV_LIT("999")), &loops[2999]);
	ck_assert_ptr_null(x12_hl_index_find(&ix, SV_LIT("1000")));
	ck_assert_ptr_null(x12_hl_index_find(&ix, SV_LIT("01")));
	arena_release(&a);
}
END_TEST

/* --- the set's SHA-256 with a context fetched once --- */

START_TEST(test_sha256_context_as_one_shot)
{
	static const char text[] =
		"ST*850*0001~BEG*00*SA*PO-1**20240102~"
		"PO1*1*2*EA*3.5**UP*036000291452~CTT*1~SE*5*0001~";
	static const struct x12_delims d = {.element = '*',
					    .component = '>',
					    .repetition = '^',
					    .terminator = '~'};
	struct map_set maps;
	const struct map *m;
	struct x12_limits limits;
	struct map_source src;
	struct arena a;
	struct x12_set set;
	struct edi_diag diag;
	struct edi_error err;
	struct buf one, two;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_MD *md = EVP_MD_fetch(NULL, "SHA256", NULL);

	ck_assert_ptr_nonnull(ctx);
	ck_assert_ptr_nonnull(md);
	fx_load_maps(&maps, FX_SHIPPED_MAPS, FX_NSHIPPED_MAPS);
	m = map_set_select(&maps, SV_LIT("850"), SV_LIT("004010"));
	ck_assert_ptr_nonnull(m);
	x12_limits_default(&limits);
	arena_init(&a, 0);
	edi_diag_init(&diag, 100);
	ck_assert_int_eq(x12_set_split(&set, &a, SV_LIT(text), &d, 0, 3,
				       &limits, &diag, &err),
			 EDI_OK);
	map_guide_apply(m, &set, &diag);
	memset(&src, 0, sizeof(src));
	src.sender_qual = "ZZ";
	src.sender = "ACME";
	buf_init(&one, 1 << 20);
	buf_init(&two, 1 << 20);
	ck_assert_int_eq(
		rec_json_write(&one, map_exec(m, &set, &src, &a, &diag)),
		EDI_OK);
	src.sha256_ctx = ctx;
	src.sha256 = md;
	for (int round = 0; round < 3; round++) { /* the context reused */
		buf_reset(&two);
		ck_assert_int_eq(rec_json_write(&two, map_exec(m, &set, &src,
							       &a, &diag)),
				 EDI_OK);
		ck_assert_str_eq(two.ptr, one.ptr);
	}
	ck_assert_ptr_nonnull(strstr(one.ptr, "\"sha256\":\""));
	buf_release(&one);
	buf_release(&two);
	edi_diag_release(&diag);
	arena_release(&a);
	map_set_release(&maps);
	EVP_MD_free(md);
	EVP_MD_CTX_free(ctx);
}
END_TEST

Suite *fastpath_suite(void)
{
	Suite *s = suite_create("fastpath");
	TCase *tc = tcase_create("decimal");

	tcase_add_test(tc, test_decimal_all_short_strings);
	tcase_add_test(tc, test_decimal_long_values);
	tcase_add_test(tc, test_check_digits_one_pass);
	suite_add_tcase(s, tc);
	tc = tcase_create("split");
	tcase_add_test(tc, test_split_matches_x12_split);
	suite_add_tcase(s, tc);
	tc = tcase_create("guide");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_check_bits_as_check_segment);
	tcase_add_test(tc, test_tag_match_as_sv_eq_cstr);
	tcase_add_test(tc, test_tag_key_unrolled);
	tcase_add_test(tc, test_next_mandatory);
	tcase_add_test(tc, test_hl_index);
	tcase_add_test(tc, test_sha256_context_as_one_shot);
	suite_add_tcase(s, tc);
	tc = tcase_create("json");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_json_short_strings);
	tcase_add_test(tc, test_json_member_names);
	suite_add_tcase(s, tc);
	return s;
}
