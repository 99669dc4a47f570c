/*
 * test_retry - backoff bounds with full jitter, Retry-After parsing and
 * the retryable HTTP statuses.
 */
#include <check.h>
#include <stdint.h>

#include "retry.h"
#include "suites.h"

static const struct retry_policy pol = {10, 30, 3600, true};

START_TEST(backoff_without_jitter_doubles_up_to_the_cap)
{
	struct retry_policy p = pol;

	p.full_jitter = false;
	ck_assert_uint_eq(retry_backoff_s(&p, 1, 0), 30);
	ck_assert_uint_eq(retry_backoff_s(&p, 2, 0), 60);
	ck_assert_uint_eq(retry_backoff_s(&p, 3, 0), 120);
	ck_assert_uint_eq(retry_backoff_s(&p, 7, 0), 1920);
	ck_assert_uint_eq(retry_backoff_s(&p, 8, 0), 3600);
	ck_assert_uint_eq(retry_backoff_s(&p, 500, 0), 3600);
}
END_TEST

START_TEST(full_jitter_stays_within_zero_and_the_exponential_value)
{
	static const uint64_t rnds[] = {0,  1,	   29,	       30,
					31, 12345, UINT64_MAX, UINT64_MAX - 1};
	struct retry_policy exact = pol;

	exact.full_jitter = false;
	for (unsigned f = 1; f <= 12; f++) {
		uint64_t hi = retry_backoff_s(&exact, f, 0);
		bool saw_low = false, saw_high = false;
		for (size_t i = 0; i < sizeof(rnds) / sizeof(rnds[0]); i++) {
			uint64_t d = retry_backoff_s(&pol, f, rnds[i]);
			ck_assert_uint_le(d, hi);
			saw_low |= d == 0;
		}
		/* the whole range is reachable */
		saw_high = retry_backoff_s(&pol, f, hi) == hi;
		ck_assert(saw_low && saw_high);
	}
}
END_TEST

START_TEST(retry_after_is_a_floor_for_the_next_attempt)
{
	time_t now = 1800000000;

	for (uint64_t r = 0; r < 50; r++) {
		ck_assert_int_ge(retry_next_at(&pol, 1, now, true, 120, r),
				 now + 120);
		ck_assert_int_le(retry_next_at(&pol, 1, now, false, 0, r),
				 now + 30);
	}
	/* a longer backoff wins over a short Retry-After */
	{
		struct retry_policy p = pol;
		p.full_jitter = false;
		ck_assert_int_eq(retry_next_at(&p, 3, now, true, 5, 0),
				 now + 120);
	}
	/* an absurd Retry-After is cut */
	ck_assert_int_eq(retry_next_at(&pol, 1, now, true, UINT64_MAX, 0),
			 now + RETRY_AFTER_MAX_S);
}
END_TEST

START_TEST(retry_after_seconds_and_dates)
{
	/* 2026-11-27 12:00:00 UTC */
	time_t now = 1795780800;
	uint64_t d = 99;

	ck_assert(retry_after_parse("120", now, &d));
	ck_assert_uint_eq(d, 120);
	ck_assert(retry_after_parse(" 0 ", now, &d));
	ck_assert_uint_eq(d, 0);
	ck_assert(retry_after_parse("99999999999999999999", now, &d));
	ck_assert_uint_eq(d, RETRY_AFTER_MAX_S);
	ck_assert(retry_after_parse("Fri, 27 Nov 2026 12:01:30 GMT", now, &d));
	ck_assert_uint_eq(d, 90);
	ck_assert(retry_after_parse("Friday, 27-Nov-26 12:00:10 GMT", now, &d));
	ck_assert_uint_eq(d, 10);
	ck_assert(retry_after_parse("Fri Nov 27 12:02:00 2026", now, &d));
	ck_assert_uint_eq(d, 120);
	ck_assert(retry_after_parse("Fri Nov  6 12:00:00 2026", now, &d));
	ck_assert_uint_eq(d, 0); /* in the past: now */
	ck_assert(retry_after_parse("Sun, 06 Nov 1994 08:49:37 GMT", now, &d));
	ck_assert_uint_eq(d, 0);
}
END_TEST

START_TEST(retry_after_rejects_garbage)
{
	static const char *const bad[] = {
		"",
		"soon",
		"-5",
		"12s",
		"1.5",
		"Fri, 27 Nov 2026 12:01:30",
		"Fri, 27 Nov 2026 25:01:30 GMT",
		"Fri, 27 Foo 2026 12:01:30 GMT",
		"Fri, 32 Nov 2026 12:01:30 GMT",
		"Fri, 27 Nov 26 12:01:30 GMT",
		"Fri Nov 27 12:02:00",
	};
	uint64_t d;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!retry_after_parse(bad[i], 0, &d),
			      "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(which_statuses_are_retried)
{
	static const struct {
		long status;
		enum retry_class want;
	} cases[] = {
		{200, RETRY_DONE},	{201, RETRY_DONE},
		{204, RETRY_DONE},	{408, RETRY_TRANSIENT},
		{425, RETRY_TRANSIENT}, {429, RETRY_TRANSIENT},
		{500, RETRY_TRANSIENT}, {502, RETRY_TRANSIENT},
		{503, RETRY_TRANSIENT}, {599, RETRY_TRANSIENT},
		{400, RETRY_PERMANENT}, {401, RETRY_PERMANENT},
		{403, RETRY_PERMANENT}, {404, RETRY_PERMANENT},
		{409, RETRY_PERMANENT}, {422, RETRY_PERMANENT},
		{301, RETRY_PERMANENT}, {100, RETRY_PERMANENT},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(retry_classify_http(cases[i].status) ==
				      cases[i].want,
			      "status %ld", cases[i].status);
}
END_TEST

START_TEST(attempts_run_out)
{
	struct retry_policy p = pol;

	p.attempts = 3;
	ck_assert(!retry_exhausted(&p, 1));
	ck_assert(!retry_exhausted(&p, 2));
	ck_assert(retry_exhausted(&p, 3));
}
END_TEST

Suite *retry_suite(void)
{
	Suite *s = suite_create("retry");
	TCase *tc = tcase_create("policy");

	tcase_add_test(tc, backoff_without_jitter_doubles_up_to_the_cap);
	tcase_add_test(tc,
		       full_jitter_stays_within_zero_and_the_exponential_value);
	tcase_add_test(tc, retry_after_is_a_floor_for_the_next_attempt);
	tcase_add_test(tc, retry_after_seconds_and_dates);
	tcase_add_test(tc, retry_after_rejects_garbage);
	tcase_add_test(tc, which_statuses_are_retried);
	tcase_add_test(tc, attempts_run_out);
	suite_add_tcase(s, tc);
	return s;
}
