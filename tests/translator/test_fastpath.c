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
#include <string.h>

#include "dec.h"
#include "map_xform.h"
#include "suites.h"

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

Suite *fastpath_suite(void)
{
	Suite *s = suite_create("fastpath");
	TCase *tc = tcase_create("decimal");

	tcase_add_test(tc, test_decimal_all_short_strings);
	tcase_add_test(tc, test_decimal_long_values);
	suite_add_tcase(s, tc);
	return s;
}
