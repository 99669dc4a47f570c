/*
 * rec_fixture - JSON text to record trees; see rec_fixture.h.
 */
#include "rec_fixture.h"

#include <check.h>
#include <jansson.h>

static struct rec_value *convert(struct arena *a, json_t *j)
{
	struct rec_value *v = NULL;
	const char *key;
	json_t *item;
	size_t i;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		v = rec_object(a);
		json_object_foreach(j, key, item)
		{
			if (!json_is_null(item))
				rec_add(v, arena_strdup(a, key),
					convert(a, item));
		}
		break;
	case JSON_ARRAY:
		v = rec_array(a);
		json_array_foreach(j, i, item)
		{
			if (!json_is_null(item))
				rec_add(v, NULL, convert(a, item));
		}
		break;
	case JSON_STRING:
		v = rec_str_copy(a, sv_make(json_string_value(j),
					    json_string_length(j)));
		break;
	case JSON_INTEGER:
		v = rec_number(a,
			       sv_cstr(arena_printf(a, "%" JSON_INTEGER_FORMAT,
						    json_integer_value(j))));
		break;
	case JSON_REAL:
		v = rec_number(a, sv_cstr(arena_printf(a, "%.17g",
						       json_real_value(j))));
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		v = rec_bool(a, json_is_true(j));
		break;
	case JSON_NULL:
		ck_abort_msg("null is not a record value");
		break;
	}
	return v;
}

struct rec_value *rec_from_json(struct arena *a, const char *json)
{
	json_error_t error;
	json_t *j = json_loads(json, JSON_DECODE_ANY, &error);
	struct rec_value *v;

	ck_assert_msg(j != NULL, "fixture JSON: %s at %d:%d", error.text,
		      error.line, error.column);
	v = convert(a, j);
	json_decref(j);
	return v;
}
