/*
 * map_defs - compiling the `segments` of a map: element definitions
 * ("M ID 2/2 [00 01] x2", composites) and syntax notes (P0203 ...) into
 * m->segs, sorted by tag for map_segdef_find().
 *
 * Part of the map loader: everything is allocated in ctx->arena, every
 * mistake is reported through ctx (see map_yaml.h) and compiling goes on
 * past it, so one pass reports them all.
 */
#ifndef EDI_MAP_DEFS_H
#define EDI_MAP_DEFS_H

#include <stdbool.h>

#include "map.h"
#include "map_yaml.h"

/* Longest element, in characters, and most repeats of one element. */
#define MAP_MAX_ELEM_LEN 999999
#define MAP_MAX_REPEAT	 99999

/* segments: fills m->segs (sorted by tag) and m->nsegs. */
void map_defs_segments(struct map_ctx *ctx, struct map *m,
		       const struct ynode *segments);

/*
 * One element string "M ID 2/2 [00 01] x2" in the scalar at into *out
 * (mark and all); false after reporting what is wrong.
 */
bool map_defs_elem(struct map_ctx *ctx, const struct ynode *at,
		   struct map_elem *out);

#endif
