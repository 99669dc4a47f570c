/*
 * test_rec_value - the record tree: order, lookup, copies.
 */
#include <check.h>
#include <string.h>

#include "rec_value.h"
#include "suites.h"

START_TEST(test_members_keep_insertion_order)
{
	struct arena a;
	struct rec_value *o;
	const char *keys[] = {"z", "a", "m"};
	size_t i = 0;

	arena_init(&a, 0);
	o = rec_object(&a);
	for (i = 0; i < 3; i++)
		rec_add(o, keys[i], rec_str(&a, sv_cstr(keys[i])));
	ck_assert_uint_eq(o->nchildren, 3);
	i = 0;
	for (struct rec_value *c = o->first; c; c = c->next, i++)
		ck_assert_str_eq(c->key, keys[i]);
	ck_assert_ptr_eq(o->last, rec_get(o, "m"));
	arena_release(&a);
}
END_TEST

START_TEST(test_add_first_goes_in_front)
{
	struct arena a;
	struct rec_value *o, *e;

	arena_init(&a, 0);
	o = rec_object(&a);
	e = rec_object(&a);
	rec_add_first(e, "only", rec_bool(&a, true));
	ck_assert_ptr_eq(e->first, e->last);
	rec_add(o, "b", rec_str(&a, SV_LIT("2")));
	rec_add_first(o, "a", rec_str(&a, SV_LIT("1")));
	rec_add(o, "c", rec_str(&a, SV_LIT("3")));
	ck_assert_str_eq(o->first->key, "a");
	ck_assert_str_eq(o->first->next->key, "b");
	ck_assert_str_eq(o->last->key, "c");
	ck_assert_uint_eq(o->nchildren, 3);
	arena_release(&a);
}
END_TEST

START_TEST(test_get_and_get_text)
{
	struct arena a;
	struct rec_value *o, *arr;
	struct strview t;

	arena_init(&a, 0);
	o = rec_object(&a);
	arr = rec_array(&a);
	rec_add(o, "s", rec_str(&a, SV_LIT("text")));
	rec_add(o, "n", rec_number(&a, SV_LIT("12.5")));
	rec_add(o, "b", rec_bool(&a, true));
	rec_add(o, "list", arr);
	rec_add(arr, NULL, rec_str(&a, SV_LIT("x")));
	t = rec_get_text(o, "s");
	ck_assert(sv_eq_cstr(t, "text"));
	ck_assert(sv_eq_cstr(rec_get_text(o, "n"), "12.5"));
	ck_assert_uint_eq(rec_get_text(o, "b").len, 0);
	ck_assert_uint_eq(rec_get_text(o, "list").len, 0);
	ck_assert_uint_eq(rec_get_text(o, "missing").len, 0);
	ck_assert_ptr_nonnull(rec_get_text(o, "missing").ptr);
	ck_assert_ptr_eq(rec_get(o, "list"), arr);
	ck_assert_ptr_null(rec_get(o, "missing"));
	ck_assert_ptr_null(rec_get(arr, "x"));
	ck_assert_ptr_null(rec_get(NULL, "x"));
	ck_assert_uint_eq(rec_get_text(NULL, "x").len, 0);
	arena_release(&a);
}
END_TEST

START_TEST(test_str_copies_or_not)
{
	struct arena a;
	char text[] = "ACME";
	struct rec_value *view, *copy;

	arena_init(&a, 0);
	view = rec_str(&a, sv_cstr(text));
	copy = rec_str_copy(&a, sv_cstr(text));
	text[0] = 'X';
	ck_assert(sv_eq_cstr(view->text, "XCME"));
	ck_assert(sv_eq_cstr(copy->text, "ACME"));
	ck_assert_int_eq(copy->kind, REC_STRING);
	arena_release(&a);
}
END_TEST

START_TEST(test_new_values_are_empty)
{
	struct arena a;
	struct rec_value *v;

	arena_init(&a, 0);
	v = rec_array(&a);
	ck_assert_int_eq(v->kind, REC_ARRAY);
	ck_assert_ptr_null(v->first);
	ck_assert_ptr_null(v->last);
	ck_assert_ptr_null(v->key);
	ck_assert_uint_eq(v->nchildren, 0);
	ck_assert_int_eq(rec_bool(&a, false)->boolean, false);
	ck_assert_int_eq(rec_number(&a, SV_LIT("1"))->kind, REC_NUMBER);
	arena_release(&a);
}
END_TEST

Suite *rec_value_suite(void)
{
	Suite *s = suite_create("rec_value");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_members_keep_insertion_order);
	tcase_add_test(tc, test_add_first_goes_in_front);
	tcase_add_test(tc, test_get_and_get_text);
	tcase_add_test(tc, test_str_copies_or_not);
	tcase_add_test(tc, test_new_values_are_empty);
	suite_add_tcase(s, tc);
	return s;
}
