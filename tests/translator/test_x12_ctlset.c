/*
 * test_x12_ctlset - the control numbers seen in a scope, kept as runs,
 * against a plain list: every add answers "new" exactly when the list
 * did not hold the number, whatever the order (runs that grow at either
 * end, merge, or stand alone), for numbers of several widths and for
 * values that are not numbers; past max runs the set overflows and then
 * answers "new" without growing.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "x12_ctlset.h"

#define NVALUES 4000

static unsigned long rng_state = 12345;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)(rng_state >> 33) % n;
}

/* the text of value number i: "1".."999" in three widths, or letters */
static void value_text(unsigned i, char *dst, size_t size)
{
	switch (i % 4) {
	case 0:
		snprintf(dst, size, "%u", i / 4 % 300);
		break;
	case 1:
		snprintf(dst, size, "%04u", i / 4 % 300);
		break;
	case 2:
		snprintf(dst, size, "%09u", i / 4 % 300);
		break;
	default:
		snprintf(dst, size, "A%uB", i / 4 % 50);
		break;
	}
}

START_TEST(test_runs_match_a_list)
{
	static char seen[NVALUES][16];
	size_t nseen = 0;
	struct x12_ctlset s;

	x12_ctlset_init(&s, 1u << 20);
	for (unsigned k = 0; k < 20000; k++) {
		char v[16];
		bool was = false;

		value_text(rnd(1200), v, sizeof(v));
		for (size_t i = 0; i < nseen; i++)
			if (!strcmp(seen[i], v))
				was = true;
		ck_assert_msg(x12_ctlset_add(&s, sv_cstr(v)) == !was,
			      "add '%s' after %u adds", v, k);
		if (!was)
			memcpy(seen[nseen++], v, sizeof(v));
		/* the runs stay sorted and apart */
		for (size_t i = 0; i + 1 < s.n; i++)
			ck_assert(s.runs[i][1] + 1 < s.runs[i + 1][0]);
	}
	/* consecutive numbers of one width collapsed into few runs */
	ck_assert_uint_lt(s.n, nseen);
	x12_ctlset_release(&s);
}
END_TEST

START_TEST(test_consecutive_numbers_are_one_run)
{
	struct x12_ctlset s;
	char v[16];

	x12_ctlset_init(&s, 4);
	/* 1..500 in an order that joins runs from both sides */
	for (unsigned i = 1; i <= 500; i += 2) {
		snprintf(v, sizeof(v), "%04u", i);
		ck_assert(x12_ctlset_add(&s, sv_cstr(v)));
	}
	ck_assert(s.overflow); /* 250 apart: more than 4 runs */
	x12_ctlset_reset(&s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert(!s.overflow);
	for (unsigned i = 500; i >= 1; i--) {
		snprintf(v, sizeof(v), "%04u", i);
		ck_assert(x12_ctlset_add(&s, sv_cstr(v)));
	}
	ck_assert_uint_eq(s.n, 1);
	ck_assert(!x12_ctlset_add(&s, sv_cstr("0250")));
	/* another width is another number */
	ck_assert(x12_ctlset_add(&s, sv_cstr("250")));
	ck_assert(!x12_ctlset_add(&s, sv_cstr("250")));
	x12_ctlset_release(&s);
}
END_TEST

START_TEST(test_overflow_stops_growing)
{
	struct x12_ctlset s;
	char v[16];

	x12_ctlset_init(&s, 8);
	for (unsigned i = 0; i < 100; i++) {
		snprintf(v, sizeof(v), "%u", i * 10);
		x12_ctlset_add(&s, sv_cstr(v));
	}
	ck_assert(s.overflow);
	ck_assert_uint_le(s.n, 8);
	/* past the limit nothing is called a repeat: no false duplicates */
	ck_assert(x12_ctlset_add(&s, sv_cstr("0")));
	x12_ctlset_release(&s);
}
END_TEST

Suite *x12_ctlset_suite(void)
{
	Suite *s = suite_create("x12_ctlset");
	TCase *tc = tcase_create("ctlset");

	/* the list comparison runs long under ASan on a loaded machine */
	tcase_set_timeout(tc, 60);

	tcase_add_test(tc, test_runs_match_a_list);
	tcase_add_test(tc, test_consecutive_numbers_are_one_run);
	tcase_add_test(tc, test_overflow_stops_growing);
	suite_add_tcase(s, tc);
	return s;
}
