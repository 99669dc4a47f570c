/*
 * test_json_out - the JSON writer: nesting, commas, escaping.
 */
#include <check.h>

#include "json_out.h"
#include "suites.h"

START_TEST(test_json_nesting_and_commas)
{
	struct buf b;
	struct json_out j;

	buf_init(&b, 1000);
	json_out_init(&j, &b);
	json_obj_begin(&j);
	json_key(&j, "a");
	json_u64(&j, 1);
	json_key(&j, "list");
	json_arr_begin(&j);
	json_str(&j, "x");
	json_bool(&j, true);
	json_out_null(&j);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_arr_end(&j);
	json_key(&j, "n");
	json_i64(&j, -5);
	json_obj_end(&j);
	ck_assert_int_eq(json_out_result(&j), EDI_OK);
	ck_assert_str_eq(buf_cstr(&b),
			 "{\"a\":1,\"list\":[\"x\",true,null,{}],\"n\":-5}");
	buf_release(&b);
}
END_TEST

START_TEST(test_json_escapes_controls_and_bad_utf8)
{
	struct buf b;
	const char in[] = "q\"b\\n\n\x01\xc3\xa9\xff";

	buf_init(&b, 1000);
	ck_assert_int_eq(json_escape(&b, sv_make(in, sizeof(in) - 1)), EDI_OK);
	ck_assert_str_eq(buf_cstr(&b),
			 "\"q\\\"b\\\\n\\n\\u0001\xc3\xa9\\ufffd\"");
	buf_release(&b);
}
END_TEST

Suite *json_out_suite(void)
{
	Suite *s = suite_create("json_out");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_json_nesting_and_commas);
	tcase_add_test(tc, test_json_escapes_controls_and_bad_utf8);
	suite_add_tcase(s, tc);
	return s;
}
