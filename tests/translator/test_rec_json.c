/*
 * test_rec_json - record trees to JSON lines.
 */
#include <check.h>
#include <string.h>

#include "json_out.h"
#include "rec_fixture.h"
#include "rec_json.h"
#include "suites.h"

#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define ORDER_850                                                            \
	"{\"doc_type\":\"order\",\"id\":\"acme.000000123.1.0001\","          \
	"\"doc_key\":\"acme:order:PO-1001\",\"partner\":\"acme\","           \
	"\"source\":{\"format\":\"x12\",\"version\":\"004010\"},"            \
	"\"order_number\":\"PO-1001\",\"order_date\":\"2026-11-20\","        \
	"\"parties\":[{\"role\":\"ship_to\",\"name\":\"ACME DC 4\","         \
	"\"ids\":[{\"qualifier\":\"92\",\"value\":\"0004\"}],"               \
	"\"address\":{\"street\":[\"100 DOCK ROAD\"],\"city\":\"COLUMBUS\"," \
	"\"region\":\"OH\",\"postal_code\":\"43215\",\"country\":\"US\"}}]," \
	"\"references\":[{\"qualifier\":\"DP\",\"value\":\"042\"}],"         \
	"\"lines\":[{\"line_number\":\"1\",\"quantity\":\"12\",\"uom\":"     \
	"\"EA\",\"unit_price\":\"3.5\",\"item_ids\":[{\"qualifier\":\"UP\"," \
	"\"value\":\"012345678905\"}],\"description\":\"WIDGET BLUE\"}],"    \
	"\"line_count\":2}"

/* Written the way rec_json writes, so each must come back byte for byte. */
static const char *const round_trips[] = {
	ORDER_850,
	"{}",
	"[]",
	"{\"a\":[],\"b\":{},\"c\":[[],[{}]]}",
	"[1,-5,true,false,\"x\"]",
	"{\"ext\":{\"department\":\"042\",\"flags\":[true]}}",
	"\"just a string\"",
	"{\"name\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\xa6\"}",
	"{\"q\":\"say \\\"hi\\\" \\\\ bye\\n\\r\\t\\u0001\"}",
};

START_TEST(test_round_trip)
{
	struct arena a;
	struct buf b;

	arena_init(&a, 0);
	buf_init(&b, 1 << 20);
	ck_assert_int_eq(rec_json_write(&b, rec_from_json(&a, round_trips[_i])),
			 EDI_OK);
	ck_assert_str_eq(buf_cstr(&b), round_trips[_i]);
	buf_release(&b);
	arena_release(&a);
}
END_TEST

START_TEST(test_strings_escaped_invalid_utf8_replaced)
{
	struct arena a;
	struct buf b;
	const char in[] = "q\"b\\n\n\x01\xc3\xa9\xff";
	struct rec_value *o;

	arena_init(&a, 0);
	buf_init(&b, 1000);
	o = rec_object(&a);
	rec_add(o, "s", rec_str(&a, sv_make(in, sizeof(in) - 1)));
	rec_add(o, "nul", rec_str(&a, sv_make("a\0b", 3)));
	ck_assert_int_eq(rec_json_write(&b, o), EDI_OK);
	ck_assert_str_eq(buf_cstr(&b), "{\"s\":\"q\\\"b\\\\n\\n\\u0001"
				       "\xc3\xa9\\ufffd\","
				       "\"nul\":\"a\\u0000b\"}");
	buf_release(&b);
	arena_release(&a);
}
END_TEST

/* Bytes around the ones a JSON string cannot hold as they are. */
static const char specials[] = {'"',  '\\', 0x01, 0x1f,	      0x20,	  0x21,
				0x5b, 0x5d, 0x7f, (char)0x80, (char)0xff, '\n'};

START_TEST(test_strings_match_json_escape)
{
	struct arena a;
	struct buf got, want;
	char text[17] = "ABCDEFGHIJKLMNOP";

	arena_init(&a, 0);
	buf_init(&got, 1000);
	buf_init(&want, 1000);
	/* each special byte at each place of a 16-byte string */
	for (size_t pos = 0; pos < 16; pos++) {
		char saved = text[pos];

		text[pos] = specials[_i];
		buf_reset(&got);
		buf_reset(&want);
		ck_assert_int_eq(
			rec_json_write(&got, rec_str(&a, sv_make(text, 16))),
			EDI_OK);
		ck_assert_int_eq(json_escape(&want, sv_make(text, 16)), EDI_OK);
		ck_assert_str_eq(buf_cstr(&got), buf_cstr(&want));
		text[pos] = saved;
	}
	buf_release(&got);
	buf_release(&want);
	arena_release(&a);
}
END_TEST

START_TEST(test_keys_escaped)
{
	struct arena a;
	struct buf b;
	struct rec_value *o;

	arena_init(&a, 0);
	buf_init(&b, 1000);
	o = rec_object(&a);
	rec_add(o, "a\"b", rec_number(&a, SV_LIT("1")));
	rec_add(o, "\xc3\xa9", rec_number(&a, SV_LIT("2")));
	ck_assert_int_eq(rec_json_write(&b, o), EDI_OK);
	ck_assert_str_eq(buf_cstr(&b), "{\"a\\\"b\":1,\"\xc3\xa9\":2}");
	buf_release(&b);
	arena_release(&a);
}
END_TEST

static const struct {
	const char *text;
	bool valid;
} numbers[] = {
	{"0", true},	{"-0", true},	    {"12.5", true}, {"1e5", true},
	{"1E-5", true}, {"-0.5e+10", true}, {"126", true},  {"", false},
	{"12.", false}, {".5", false},	    {"01", false},  {"1e", false},
	{"abc", false}, {"-", false},	    {"+1", false},  {"NaN", false},
	{"1 ", false},	{"0x1", false},
};

START_TEST(test_number_text)
{
	struct arena a;
	struct buf b;
	struct rec_value *arr;
	enum edi_code rc;

	arena_init(&a, 0);
	buf_init(&b, 1000);
	buf_adds(&b, "before");
	arr = rec_array(&a);
	rec_add(arr, NULL, rec_number(&a, sv_cstr(numbers[_i].text)));
	rc = rec_json_write(&b, arr);
	if (numbers[_i].valid) {
		ck_assert_int_eq(rc, EDI_OK);
		ck_assert_uint_eq(b.len, strlen("before[]") +
						 strlen(numbers[_i].text));
		ck_assert(!memcmp(b.ptr + 7, numbers[_i].text,
				  strlen(numbers[_i].text)));
	} else {
		ck_assert_msg(rc == EDI_EINTERNAL, "'%s' written",
			      numbers[_i].text);
		ck_assert_str_eq(buf_cstr(&b), "before");
	}
	buf_release(&b);
	arena_release(&a);
}
END_TEST

START_TEST(test_appends_to_the_buf)
{
	struct arena a;
	struct buf b;

	arena_init(&a, 0);
	buf_init(&b, 1000);
	buf_adds(&b, "{\"x\":1}\n");
	ck_assert_int_eq(rec_json_write(&b, rec_from_json(&a, "{\"y\":2}")),
			 EDI_OK);
	ck_assert_str_eq(buf_cstr(&b), "{\"x\":1}\n{\"y\":2}");
	ck_assert_uint_eq(b.len, strlen(buf_cstr(&b)));
	buf_release(&b);
	arena_release(&a);
}
END_TEST

START_TEST(test_limit_leaves_buf_unchanged)
{
	struct arena a;
	struct buf b;
	struct rec_value *rec;

	arena_init(&a, 0);
	rec = rec_from_json(&a, ORDER_850);
	/* every maximum short of the whole line fails and changes nothing */
	for (size_t max = 3; max < 3 + strlen(ORDER_850); max += 7) {
		buf_init(&b, max);
		buf_adds(&b, "abc");
		ck_assert_int_eq(rec_json_write(&b, rec), EDI_ELIMIT);
		ck_assert_str_eq(buf_cstr(&b), "abc");
		ck_assert_uint_eq(b.len, 3);
		buf_release(&b);
	}
	buf_init(&b, 3 + strlen(ORDER_850));
	buf_adds(&b, "abc");
	ck_assert_int_eq(rec_json_write(&b, rec), EDI_OK);
	buf_release(&b);
	arena_release(&a);
}
END_TEST

static struct rec_value *nested(struct arena *a, int depth)
{
	struct rec_value *top = rec_array(a), *v = top;

	for (int i = 1; i < depth; i++) {
		struct rec_value *inner = rec_array(a);

		rec_add(v, NULL, inner);
		v = inner;
	}
	return top;
}

START_TEST(test_depth_limit)
{
	struct arena a;
	struct buf b;

	arena_init(&a, 0);
	buf_init(&b, 1000);
	ck_assert_int_eq(rec_json_write(&b, nested(&a, REC_JSON_MAX_DEPTH)),
			 EDI_OK);
	ck_assert_uint_eq(b.len, 2 * REC_JSON_MAX_DEPTH);
	buf_reset(&b);
	ck_assert_int_eq(rec_json_write(&b, nested(&a, REC_JSON_MAX_DEPTH + 1)),
			 EDI_ELIMIT);
	ck_assert_uint_eq(b.len, 0);
	buf_release(&b);
	arena_release(&a);
}
END_TEST

START_TEST(test_member_without_key_refused)
{
	struct arena a;
	struct buf b;
	struct rec_value *o;

	arena_init(&a, 0);
	buf_init(&b, 1000);
	o = rec_object(&a);
	rec_add(o, "ok", rec_bool(&a, true));
	rec_add(o, NULL, rec_bool(&a, false));
	ck_assert_int_eq(rec_json_write(&b, o), EDI_EINTERNAL);
	ck_assert_uint_eq(b.len, 0);
	buf_release(&b);
	arena_release(&a);
}
END_TEST

Suite *rec_json_suite(void)
{
	Suite *s = suite_create("rec_json");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_round_trip, 0, NELEMS(round_trips));
	tcase_add_test(tc, test_strings_escaped_invalid_utf8_replaced);
	tcase_add_loop_test(tc, test_strings_match_json_escape, 0,
			    NELEMS(specials));
	tcase_add_test(tc, test_keys_escaped);
	tcase_add_loop_test(tc, test_number_text, 0, NELEMS(numbers));
	tcase_add_test(tc, test_appends_to_the_buf);
	tcase_add_test(tc, test_limit_leaves_buf_unchanged);
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_member_without_key_refused);
	suite_add_tcase(s, tc);
	return s;
}
