/*
 * map_compile - one merged map tree (see map_merge.h) into a struct map.
 *
 * Reads the top level, the flat-file settings, the tables and the rules
 * itself and hands the segments and guide to map_defs and the record to
 * map_fields.  Everything goes into ctx->arena; every mistake is reported
 * through ctx and compiling goes on, so one pass finds them all.  A map
 * with any mistake must not be used.
 */
#ifndef EDI_MAP_COMPILE_H
#define EDI_MAP_COMPILE_H

#include <stdbool.h>

#include "map.h"
#include "map_yaml.h"

/* Longest `versions` entry (GS08 is at most 12 characters). */
#define MAP_MAX_VERSION_LEN 12

/*
 * Compile root (a mapping) into *m, which the caller zeroed.  Returns
 * true when no mistake was found.
 */
bool map_compile(struct map_ctx *ctx, const struct ynode *root, struct map *m);

/* True when id is a valid map id: letters, digits, '.', '_', '-'. */
bool map_id_valid(const char *id);

#endif
