/*
 * map_path - the paths and scopes inside map strings: paths ("BEG03",
 * "PO106-2", "REF04#2", "REF02 where REF01 in [DP IA]", "PO1 pair VP", a
 * flat column) and `each` scopes ("loop N1 where N101 = ST", "REF",
 * "hl I direct", "row").
 *
 * Part of the map loader (see map_yaml.h for how mistakes are reported).
 * Parsing checks against the map being compiled as far as it is already
 * compiled: segment tags and loop ids against the guide, element,
 * component and repetition numbers against the segment definitions, flat
 * columns against the declared columns.  So the segments, guide and flat
 * settings must be compiled first.
 */
#ifndef EDI_MAP_PATH_H
#define EDI_MAP_PATH_H

#include <stdbool.h>

#include "map.h"
#include "map_yaml.h"

/*
 * One path (no transforms) in text into *out; at gives the mark and the
 * place of messages.  False after reporting what is wrong.
 */
bool map_path_parse(struct map_ctx *ctx, const struct map *m,
		    const struct ynode *at, struct strview text,
		    struct map_path *out);

/* The `each` scope written in the scalar at. */
bool map_path_scope(struct map_ctx *ctx, const struct map *m,
		    const struct ynode *at, struct map_scope *out);

/*
 * The element range of the qualifier/value pairs of a segment: PO1 and
 * IT1 6..25, LIN 2..31, SLN 9..28, ACK 7..28.  False for other tags.
 */
bool map_path_pair_range(const char *tag, unsigned *from, unsigned *to);

/* The segment tag (loops: loop id) of the guide closest to name, or NULL. */
const char *map_path_guide_hint(struct map_ctx *ctx, const struct map *m,
				const char *name, bool loops);

#endif
