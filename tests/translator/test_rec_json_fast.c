/*
 * test_rec_json_fast - rec_json's fast writer gives exactly what the
 * general code would.
 *
 * The fast writer (an explicit stack, member names rendered once, strings
 * copied and checked 16 bytes at a time or by a byte table) is compared
 * with a plain recursive writer built on json_escape() over many random
 * trees: every kind, strings of every length up to 40 with the bytes that
 * need escapes or UTF-8 checks at random places, names that need escapes
 * or are too long to render, more names than the table keeps, and every
 * buf maximum around the length of the line, where the fast writer hands
 * over to the exact one; some members carry their name rendered ahead
 * (key_json), as map_exec's do.  rec_find (the CSV writer's members by name in
 * one pass) is compared with rec_get() the same way.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_out.h"
#include "json_plain.h"
#include "rec_find.h"
#include "rec_json.h"
#include "suites.h"

/* a small deterministic generator (xorshift), so failures repeat */
static unsigned next_rand(unsigned long long *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (unsigned)(*s >> 16);
}

/* The general code: what rec_json_write() must give. */
static enum edi_code ref_write(struct buf *b, const struct rec_value *v,
			       unsigned depth)
{
	enum edi_code rc = EDI_OK;
	bool object = v->kind == REC_OBJECT;

	switch (v->kind) {
	case REC_STRING:
		return json_escape(b, v->text);
	case REC_NUMBER:
		return buf_add(b, v->text.ptr, v->text.len);
	case REC_BOOL:
		return buf_adds(b, v->boolean ? "true" : "false");
	case REC_OBJECT:
	case REC_ARRAY:
		break;
	}
	if (depth >= REC_JSON_MAX_DEPTH)
		return EDI_ELIMIT;
	buf_addc(b, object ? '{' : '[');
	for (const struct rec_value *c = v->first; c && !rc; c = c->next) {
		if (c != v->first)
			buf_addc(b, ',');
		if (object) {
			json_escape(b, sv_cstr(c->key));
			buf_addc(b, ':');
		}
		rc = ref_write(b, c, depth + 1);
	}
	buf_addc(b, object ? '}' : ']');
	return rc;
}

/* names: plain ones, some needing escapes, some too long to render */
#define NNAMES 300
static char names[NNAMES][48];

static void make_names(void)
{
	for (int i = 0; i < NNAMES; i++)
		snprintf(names[i], sizeof(names[i]),
			 i % 13 == 7   ? "q\"%d"
			 : i % 11 == 3 ? "a_member_name_longer_than_a_block_%d"
			 : i % 17 == 5 ? "caf\xc3\xa9_%d"
				       : "n%d",
			 i);
}

/* bytes a string may hold: plain ones and every kind of special */
static const char alphabet[] = "abcXYZ 09-./:\"\\\n\t\001\037\177\200\xc3\xa9";

static struct strview random_text(struct arena *a, unsigned long long *s)
{
	size_t n = next_rand(s) % 41, i;
	unsigned special = next_rand(s) % 4; /* mostly plain */
	char *p = arena_alloc(a, n ? n : 1);

	for (i = 0; i < n; i++)
		p[i] = special ? "ABCDEFGHIJ0123456789 -"[next_rand(s) % 22]
			       : alphabet[next_rand(s) %
					  (sizeof(alphabet) - 1)];
	return sv_make(p, n);
}

static const char *const numbers[] = {
	"0", "-1", "12.5", "1e5", "-0.25E-3", "123456789012345678901234567890"};

static struct rec_value *random_tree(struct arena *a, unsigned long long *s,
				     unsigned depth, unsigned nnames)
{
	unsigned pick = next_rand(s) % 10;
	struct rec_value *v;
	size_t n;

	if (depth < 6 && pick == 8 && next_rand(s) % 3 == 0) {
		/* two strings named ahead: the fast writer's pairs */
		v = rec_object(a);
		for (int i = 0; i < 2; i++) {
			const char *key = names[next_rand(s) % nnames];

			rec_add(v, key, rec_str(a, random_text(a, s)));
			v->last->key_json = rec_json_name_new(a, key);
		}
		return v;
	}
	if (depth < 6 && pick >= 7) {
		v = pick == 9 ? rec_array(a) : rec_object(a);
		n = next_rand(s) % 8;
		for (size_t i = 0; i < n; i++) {
			const char *key = v->kind == REC_OBJECT
						  ? names[next_rand(s) % nnames]
						  : NULL;

			rec_add(v, key, random_tree(a, s, depth + 1, nnames));
			/* some names rendered ahead, as map_exec does */
			if (key && next_rand(s) % 2)
				v->last->key_json = rec_json_name_new(a, key);
		}
		return v;
	}
	if (pick == 5)
		return rec_number(a, sv_cstr(numbers[next_rand(s) % 6]));
	if (pick == 6)
		return rec_bool(a, next_rand(s) & 1);
	return rec_str(a, random_text(a, s));
}

static void check_tree(const struct rec_value *t, struct rec_json_names *nm)
{
	struct buf got, want, kept;
	enum edi_code rc;

	buf_init(&got, 1 << 24);
	buf_init(&want, 1 << 24);
	buf_init(&kept, 1 << 24);
	ck_assert_int_eq(ref_write(&want, t, 0), EDI_OK);
	ck_assert_int_eq(rec_json_write(&got, t), EDI_OK);
	ck_assert_msg(got.len == want.len &&
			      !memcmp(got.ptr, want.ptr, got.len),
		      "got %s\nwant %s", got.ptr, want.ptr);
	ck_assert_int_eq(rec_json_write_names(&kept, t, nm), EDI_OK);
	ck_assert_str_eq(kept.ptr, want.ptr);
	/* every maximum around the whole line, after a prefix */
	for (size_t max = want.len > 70 ? want.len - 70 : 0;
	     max < want.len + 70; max++) {
		struct buf b;

		buf_init(&b, 2 + max);
		buf_adds(&b, "ab");
		rc = rec_json_write_names(&b, t, nm);
		if (max < want.len) {
			ck_assert_int_eq(rc, EDI_ELIMIT);
			ck_assert_str_eq(buf_cstr(&b), "ab");
			ck_assert_uint_eq(b.len, 2);
		} else {
			ck_assert_int_eq(rc, EDI_OK);
			ck_assert_str_eq(b.ptr + 2, want.ptr);
			ck_assert_uint_eq(b.len, 2 + want.len);
		}
		buf_release(&b);
	}
	buf_release(&got);
	buf_release(&want);
	buf_release(&kept);
}

START_TEST(test_random_trees)
{
	unsigned long long seed = 0x9e3779b97f4a7c15ULL + (unsigned)_i;
	struct rec_json_names *nm = rec_json_names_new();
	struct arena a;

	make_names();
	arena_init(&a, 0);
	for (int round = 0; round < 60; round++) {
		/* few names (all kept), then more than the table keeps */
		unsigned nnames = _i % 2 ? NNAMES : 20;
		struct rec_value *t = rec_object(&a);

		for (int k = 0; k < 6; k++)
			rec_add(t, names[next_rand(&seed) % nnames],
				random_tree(&a, &seed, 1, nnames));
		check_tree(t, nm);
		check_tree(random_tree(&a, &seed, 0, nnames), nm);
	}
	arena_release(&a);
	rec_json_names_free(nm);
}
END_TEST

/* Errors found where the general code finds them, nested deep too. */
START_TEST(test_errors_inside)
{
	struct rec_json_names *nm = rec_json_names_new();
	struct arena a;
	struct buf b;
	struct rec_value *top, *o;

	arena_init(&a, 0);
	buf_init(&b, 1 << 20);
	top = rec_object(&a);
	o = rec_object(&a);
	rec_add(top, "a", rec_str(&a, SV_LIT("x")));
	rec_add(top, "list", rec_array(&a));
	rec_add(top->last, NULL, o);
	rec_add(o, "n", rec_number(&a, SV_LIT("1.")));
	buf_adds(&b, "keep");
	ck_assert_int_eq(rec_json_write_names(&b, top, nm), EDI_EINTERNAL);
	ck_assert_str_eq(buf_cstr(&b), "keep");
	o->first->text = SV_LIT("1.5");
	rec_add(o, NULL, rec_str(&a, SV_LIT("no name")));
	ck_assert_int_eq(rec_json_write_names(&b, top, nm), EDI_EINTERNAL);
	ck_assert_int_eq(rec_json_write(&b, top), EDI_EINTERNAL);
	ck_assert_str_eq(buf_cstr(&b), "keep");
	o->last->key = "named";
	ck_assert_int_eq(rec_json_write_names(&b, top, nm), EDI_OK);
	ck_assert_str_eq(buf_cstr(&b), "keep{\"a\":\"x\",\"list\":[{\"n\":1.5,"
				       "\"named\":\"no name\"}]}");
	buf_release(&b);
	arena_release(&a);
	rec_json_names_free(nm);
}
END_TEST

/* A name rendered ahead is json_escape()'s name and ':', or NULL when
 * it needs escapes or is too long; REC_JSON_NAME() is the same. */
START_TEST(test_rendered_names)
{
	static const struct rec_json_name lit = REC_JSON_NAME("qualifier");
	const struct rec_json_name *r;
	struct arena a;
	struct buf want;

	make_names();
	arena_init(&a, 0);
	buf_init(&want, 1 << 10);
	for (int i = 0; i < NNAMES; i++) {
		bool plain = true;
		size_t n = strlen(names[i]);

		for (size_t k = 0; k < n; k++)
			plain &= json_plain_byte[(unsigned char)names[i][k]];
		buf_reset(&want);
		json_escape(&want, sv_cstr(names[i]));
		buf_addc(&want, ':');
		r = rec_json_name_new(&a, names[i]);
		if (!plain || want.len > REC_JSON_NAME_BYTES) {
			ck_assert_ptr_null(r);
			continue;
		}
		ck_assert_ptr_nonnull(r);
		ck_assert_uint_eq(r->len, want.len);
		ck_assert(!memcmp(r->text, want.ptr, want.len));
		for (size_t k = want.len; k < REC_JSON_NAME_BYTES; k++)
			ck_assert_int_eq(r->text[k], 0);
	}
	r = rec_json_name_new(&a, "qualifier");
	ck_assert_uint_eq(lit.len, r->len);
	ck_assert(!memcmp(lit.text, r->text, REC_JSON_NAME_BYTES));
	/* the longest that renders, and one byte more */
	ck_assert_ptr_nonnull(
		rec_json_name_new(&a, "abcdefghijklmnopqrstuvwxyz012"));
	ck_assert_ptr_null(
		rec_json_name_new(&a, "abcdefghijklmnopqrstuvwxyz0123"));
	buf_release(&want);
	arena_release(&a);
}
END_TEST

/* json_plain_copy() against a byte-by-byte check, touching exactly n. */
START_TEST(test_plain_copy)
{
	static const unsigned char specials[] = {'"',  '\\', 0x00, 0x01, 0x1f,
						 0x7f, 0x80, 0xc3, 0xff};
	char src[64], dst[80];

	for (size_t n = 0; n <= 48; n++)
		for (size_t pos = 0; pos <= n; pos++)
			for (size_t k = 0; k < sizeof(specials); k++) {
				bool plain = true, got;

				for (size_t i = 0; i < n; i++)
					src[i] = (char)('A' + (i * 7) % 26);
				if (pos < n)
					src[pos] = (char)specials[k];
				for (size_t i = 0; i < n; i++)
					plain &= json_plain_byte[(
						unsigned char)src[i]];
				memset(dst, '#', sizeof(dst));
				got = json_plain_copy(dst + 8, src, n);
				ck_assert_msg(got == plain,
					      "n %zu pos %zu byte %02x", n, pos,
					      specials[k]);
				ck_assert(!memcmp(dst + 8, src, n));
				for (size_t i = 0; i < 8; i++)
					ck_assert_int_eq(dst[i], '#');
				for (size_t i = 8 + n; i < sizeof(dst); i++)
					ck_assert_int_eq(dst[i], '#');
				if (pos == n)
					break; /* no special: once */
			}
}
END_TEST

/* rec_find_members() gives rec_get() for each name, keys seen or not. */
START_TEST(test_find_members)
{
	static const char *const pool[] = {
		"a",	    "ab",	 "b",	"line_number",
		"quantity", "qualifier", "q.x", ""};
	const char *list[12] = {"a",  NULL,	   "ab",  "quantity",
				"zz", "qualifier", "q.x", NULL,
				"",   "b",	   "a",	  "line_number"};
	unsigned long long seed = 12345;
	struct rec_find f;
	struct arena a;

	arena_init(&a, 0);
	for (int rec = 0; rec < 50; rec++) {
		/* each record its own find, as rec_csv_write() does */
		rec_find_init(&f, list, 12);
		for (int obj = 0; obj < 40; obj++) {
			const struct rec_value *found[12];
			struct rec_value *o = rec_object(&a);
			size_t n = next_rand(&seed) % 12;

			for (size_t i = 0; i < n; i++) {
				const char *k = pool[next_rand(&seed) % 8];

				/* some keys at a new address each time */
				if (next_rand(&seed) % 3 == 0)
					k = arena_strdup(&a, k);
				rec_add(o, k, rec_bool(&a, true));
			}
			if (next_rand(&seed) % 10 == 0)
				rec_add(o, NULL, rec_bool(&a, false));
			for (size_t i = 0; i < 12; i++)
				found[i] = (const struct rec_value *)&f;
			rec_find_members(&f, obj % 7 ? o : NULL, found);
			for (size_t i = 0; i < 12; i++)
				if (list[i])
					ck_assert_ptr_eq(
						found[i],
						obj % 7 ? rec_get(o, list[i])
							: NULL);
				else
					ck_assert_ptr_eq(
						found[i],
						(const struct rec_value *)&f);
		}
	}
	arena_release(&a);
}
END_TEST

Suite *rec_json_fast_suite(void)
{
	Suite *s = suite_create("rec_json_fast");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_random_trees, 0, 8);
	tcase_add_test(tc, test_errors_inside);
	tcase_add_test(tc, test_rendered_names);
	tcase_add_test(tc, test_plain_copy);
	tcase_add_test(tc, test_find_members);
	suite_add_tcase(s, tc);
	return s;
}
