/*
 * map_fields - compiling the `record` of a map: doc_type, doc_key and the
 * tree of fields (paths with transforms, constants, objects, lists, each,
 * pairs) into m->doc_type, m->doc_key and m->record.
 *
 * Part of the map loader (see map_yaml.h for how mistakes are reported).
 * Runs after the segments, guide, tables and flat settings are compiled,
 * since paths are checked against them (map_path.h).
 *
 * A mapping is read as a field form by its keys: `const` is a constant,
 * `each` an array over a scope, `pairs` qualifier/value pairs, and `value`
 * with `default` or `transform` (or alone) a path with extras; any other
 * mapping is an object whose keys are member names (so an object may have
 * a member called `value`, as in {qualifier: N103, value: N104}).
 */
#ifndef EDI_MAP_FIELDS_H
#define EDI_MAP_FIELDS_H

#include "map.h"
#include "map_yaml.h"

/* The record types a map may produce (NULL-terminated). */
extern const char *const map_doc_types[];

void map_fields_record(struct map_ctx *ctx, struct map *m,
		       const struct ynode *record);

#endif
