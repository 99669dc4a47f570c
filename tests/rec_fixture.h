/*
 * rec_fixture - build canonical record trees from JSON text, for tests.
 *
 * rec_from_json() parses json with jansson and rebuilds it as a
 * rec_value tree in the arena a (strings and keys copied, members in
 * their order in the text, integers as REC_NUMBER with their text, null
 * members left out, as the record builder leaves out absent values).
 * Invalid JSON fails the running test.
 */
#ifndef EDI_REC_FIXTURE_H
#define EDI_REC_FIXTURE_H

#include "arena.h"
#include "rec_value.h"

struct rec_value *rec_from_json(struct arena *a, const char *json);

#endif
