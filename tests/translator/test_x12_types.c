/*
 * test_x12_types - dates, times and versions.
 */
#include <check.h>

#include "suites.h"
#include "x12_types.h"

static const struct {
	const char *text;
	bool valid;
} dates[] = {
	{"20261127", true},  {"261127", true},	  {"20240229", true},
	{"20230229", false}, {"21000229", false}, {"20000229", true},
	{"20261331", false}, {"20261100", false}, {"20260431", false},
	{"2026112", false},  {"2026112A", false}, {"", false},
};

START_TEST(test_dates)
{
	ck_assert_msg(x12_date_valid(sv_cstr(dates[_i].text)) ==
			      dates[_i].valid,
		      "date '%s'", dates[_i].text);
}
END_TEST

static const struct {
	const char *text;
	bool valid;
} times[] = {
	{"0930", true},	   {"2359", true},     {"2400", false},
	{"0960", false},   {"093059", true},   {"093060", false},
	{"0930591", true}, {"09305912", true}, {"093", false},
	{"09a0", false},
};

START_TEST(test_times)
{
	ck_assert_msg(x12_time_valid(sv_cstr(times[_i].text)) ==
			      times[_i].valid,
		      "time '%s'", times[_i].text);
}
END_TEST

START_TEST(test_versions)
{
	ck_assert(x12_isa_version_valid(sv_cstr("00401")));
	ck_assert(x12_isa_version_valid(sv_cstr("00501")));
	ck_assert(x12_isa_version_valid(sv_cstr("00200")));
	ck_assert(!x12_isa_version_valid(sv_cstr("00040")));
	ck_assert(!x12_isa_version_valid(sv_cstr("0040A")));
	ck_assert(!x12_isa_version_valid(sv_cstr("00901")));
}
END_TEST

Suite *x12_types_suite(void)
{
	Suite *s = suite_create("x12_types");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_dates, 0,
			    sizeof(dates) / sizeof(dates[0]));
	tcase_add_loop_test(tc, test_times, 0,
			    sizeof(times) / sizeof(times[0]));
	tcase_add_test(tc, test_versions);
	suite_add_tcase(s, tc);
	return s;
}
