/*
 * test_buf - struct buf: growth, the hard maximum, formatting.
 */
#include <check.h>
#include <string.h>

#include "buf.h"
#include "suites.h"

START_TEST(test_buf_add_grows_and_terminates)
{
	struct buf b;

	buf_init(&b, 1000);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(buf_add(&b, "abc", 3), EDI_OK);
	ck_assert_uint_eq(b.len, 300);
	ck_assert_int_eq(b.ptr[300], '\0');
	ck_assert_int_eq(memcmp(b.ptr + 297, "abc", 3), 0);
	buf_release(&b);
}
END_TEST

START_TEST(test_buf_max_is_hard)
{
	struct buf b;

	buf_init(&b, 5);
	ck_assert_int_eq(buf_adds(&b, "12345"), EDI_OK);
	ck_assert_int_eq(buf_addc(&b, '6'), EDI_ELIMIT);
	ck_assert_uint_eq(b.len, 5);
	ck_assert_str_eq(buf_cstr(&b), "12345");
	buf_release(&b);
}
END_TEST

START_TEST(test_buf_addf_formats)
{
	struct buf b;

	buf_init(&b, 100);
	ck_assert_int_eq(buf_addf(&b, "%s-%d", "seg", 17), EDI_OK);
	ck_assert_str_eq(buf_cstr(&b), "seg-17");
	ck_assert_int_eq(buf_addf(&b, "%0200d", 1), EDI_ELIMIT);
	ck_assert_str_eq(buf_cstr(&b), "seg-17");
	buf_release(&b);
}
END_TEST

Suite *buf_suite(void)
{
	Suite *s = suite_create("buf");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_buf_add_grows_and_terminates);
	tcase_add_test(tc, test_buf_max_is_hard);
	tcase_add_test(tc, test_buf_addf_formats);
	suite_add_tcase(s, tc);
	return s;
}
