/*
 * test_log - the event log's lines, text and JSON.
 */
#include <check.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "suites.h"

/* The lines log_event() wrote to a temp file. */
static char *logged(FILE *f)
{
	static char text[8192];
	size_t n;

	rewind(f);
	n = fread(text, 1, sizeof(text) - 1, f);
	text[n] = '\0';
	return text;
}

START_TEST(test_text_line_has_level_event_entry_and_pairs)
{
	FILE *f = tmpfile();
	char *t;

	log_setup(f, LOG_TEXT, LOG_INFO);
	log_event(LOG_INFO, "archived", "20261127T093012Z-000042",
		  "file=\"a.x12\" accepted=%d", 2);
	t = logged(f);
	ck_assert_msg(strstr(t, " info archived entry=20261127T093012Z-000042 "
				"file=\"a.x12\" accepted=2\n") != NULL,
		      "%s", t);
	ck_assert_int_eq(t[4], '-'); /* starts with the UTC time */
	ck_assert_int_eq(t[19], 'Z');
	fclose(f);
	log_setup(stderr, LOG_TEXT, LOG_WARN);
}
END_TEST

START_TEST(test_below_the_level_is_dropped)
{
	FILE *f = tmpfile();

	log_setup(f, LOG_TEXT, LOG_WARN);
	log_event(LOG_INFO, "archived", NULL, NULL);
	log_event(LOG_ERROR, "failed", NULL, "why=disk");
	ck_assert_ptr_null(strstr(logged(f), "archived"));
	ck_assert_ptr_nonnull(strstr(logged(f), "error failed why=disk"));
	ck_assert(!log_enabled(LOG_INFO));
	fclose(f);
	log_setup(stderr, LOG_TEXT, LOG_WARN);
}
END_TEST

START_TEST(test_json_line_is_one_object_with_members)
{
	FILE *f = tmpfile();
	json_error_t jerr;
	json_t *o;

	log_setup(f, LOG_JSON, LOG_INFO);
	log_event(LOG_INFO, "error", "20261127T093012Z-000042",
		  "file=\"a b.x12\" isa13=000000042 accepted=0 "
		  "rejected=12 stage=map");
	o = json_loads(logged(f), JSON_DISABLE_EOF_CHECK, &jerr);
	ck_assert_msg(o != NULL, "%s: %s", jerr.text, logged(f));
	ck_assert_str_eq(json_string_value(json_object_get(o, "event")),
			 "error");
	ck_assert_str_eq(json_string_value(json_object_get(o, "level")),
			 "info");
	ck_assert_str_eq(json_string_value(json_object_get(o, "entry")),
			 "20261127T093012Z-000042");
	ck_assert_str_eq(json_string_value(json_object_get(o, "file")),
			 "a b.x12");
	ck_assert_str_eq(json_string_value(json_object_get(o, "isa13")),
			 "000000042");
	ck_assert_int_eq(json_integer_value(json_object_get(o, "rejected")),
			 12);
	ck_assert_int_eq(json_integer_value(json_object_get(o, "accepted")), 0);
	ck_assert_str_eq(json_string_value(json_object_get(o, "stage")), "map");
	json_decref(o);
	fclose(f);
	log_setup(stderr, LOG_TEXT, LOG_WARN);
}
END_TEST

Suite *log_suite(void)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_text_line_has_level_event_entry_and_pairs);
	tcase_add_test(tc, test_below_the_level_is_dropped);
	tcase_add_test(tc, test_json_line_is_one_object_with_members);
	suite_add_tcase(s, tc);
	return s;
}
