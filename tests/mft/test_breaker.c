/*
 * test_breaker - the circuit breaker's states and its file.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "breaker.h"
#include "fileio.h"
#include "suites.h"

static const struct breaker_policy pol = {3, 60, 1};

START_TEST(closed_until_the_threshold_of_failures_in_a_row)
{
	struct breaker b;

	breaker_init(&b);
	ck_assert(breaker_allow(&b, &pol, 1000));
	breaker_failure(&b, &pol, 1000);
	breaker_failure(&b, &pol, 1001);
	breaker_success(&b, &pol, 1002); /* resets the count */
	breaker_failure(&b, &pol, 1003);
	breaker_failure(&b, &pol, 1004);
	ck_assert_int_eq(b.state, BREAKER_CLOSED);
	ck_assert(breaker_allow(&b, &pol, 1005));
	breaker_failure(&b, &pol, 1005);
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	ck_assert_int_eq(b.open_until, 1065);
	ck_assert_uint_eq(b.opened, 1);
}
END_TEST

START_TEST(open_refuses_until_open_seconds_then_one_trial)
{
	struct breaker b;

	breaker_init(&b);
	for (int i = 0; i < 3; i++)
		breaker_failure(&b, &pol, 1000);
	ck_assert(!breaker_allow(&b, &pol, 1000));
	ck_assert(!breaker_allow(&b, &pol, 1059));
	ck_assert(breaker_allow(&b, &pol, 1060)); /* the trial */
	ck_assert_int_eq(b.state, BREAKER_HALF_OPEN);
	ck_assert(!breaker_allow(&b, &pol, 1060)); /* only one */
	breaker_success(&b, &pol, 1061);
	ck_assert_int_eq(b.state, BREAKER_CLOSED);
	ck_assert_uint_eq(b.failures, 0);
	ck_assert(breaker_allow(&b, &pol, 1061));
}
END_TEST

START_TEST(a_failed_trial_opens_it_again)
{
	struct breaker b;

	breaker_init(&b);
	for (int i = 0; i < 3; i++)
		breaker_failure(&b, &pol, 1000);
	ck_assert(breaker_allow(&b, &pol, 1100));
	breaker_failure(&b, &pol, 1100);
	ck_assert_int_eq(b.state, BREAKER_OPEN);
	ck_assert_int_eq(b.open_until, 1160);
	ck_assert_uint_eq(b.opened, 2);
	ck_assert(!breaker_allow(&b, &pol, 1159));
}
END_TEST

START_TEST(several_trials_must_all_succeed)
{
	struct breaker_policy p = {1, 10, 2};
	struct breaker b;

	breaker_init(&b);
	breaker_failure(&b, &p, 0);
	ck_assert(breaker_allow(&b, &p, 10));
	ck_assert(breaker_allow(&b, &p, 10));
	ck_assert(!breaker_allow(&b, &p, 10));
	breaker_success(&b, &p, 11);
	ck_assert_int_eq(b.state, BREAKER_HALF_OPEN);
	breaker_success(&b, &p, 11);
	ck_assert_int_eq(b.state, BREAKER_CLOSED);
}
END_TEST

START_TEST(the_state_survives_in_its_file)
{
	char dir[] = "/tmp/edigate-breaker-XXXXXX";
	struct breaker b, c;
	struct edi_error err;
	char path[200];
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(breaker_load(dir, "erp", &c, &err), EDI_OK);
	ck_assert_int_eq(c.state, BREAKER_CLOSED); /* no file yet */
	breaker_init(&b);
	for (int i = 0; i < 3; i++)
		breaker_failure(&b, &pol, 5000);
	ck_assert_int_eq(breaker_save(dir, "erp", &b, &err), EDI_OK);
	ck_assert_int_eq(breaker_load(dir, "erp", &c, &err), EDI_OK);
	ck_assert_int_eq(c.state, BREAKER_OPEN);
	ck_assert_int_eq(c.open_until, 5060);
	ck_assert_uint_eq(c.failures, 3);
	ck_assert_uint_eq(c.opened, 1);
	ck_assert(!breaker_allow(&c, &pol, 5001));
	/* damaged: an error naming the file, not a guess */
	snprintf(path, sizeof(path), "%s/erp", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("state sideways\n", f);
	fclose(f);
	ck_assert_int_eq(breaker_load(dir, "erp", &c, &err), EDI_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "is damaged"));
	ck_assert_int_eq(fileio_remove_tree(dir, &err), EDI_OK);
}
END_TEST

Suite *breaker_suite(void)
{
	Suite *s = suite_create("breaker");
	TCase *tc = tcase_create("states");

	tcase_add_test(tc, closed_until_the_threshold_of_failures_in_a_row);
	tcase_add_test(tc, open_refuses_until_open_seconds_then_one_trial);
	tcase_add_test(tc, a_failed_trial_opens_it_again);
	tcase_add_test(tc, several_trials_must_all_succeed);
	tcase_add_test(tc, the_state_survives_in_its_file);
	suite_add_tcase(s, tc);
	return s;
}
