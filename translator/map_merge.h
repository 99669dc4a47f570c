/*
 * map_merge - a map's YAML merged over the YAML of the map it extends.
 *
 * The rules of docs/map-language.md "Extending a map": mappings merge key
 * by key (a plain null removes the key), lists and single values replace,
 * except the top-level `rules`, which the child appends to the base's;
 * `segments.TAG.elements` given as a mapping of positions changes only
 * those positions (a segment written as a bare list is first read as
 * `{elements: LIST}`); `guide_overrides` then changes REQ and MAX of the
 * guide entries it names and is dropped from the result.
 *
 * Inputs are never changed (one base serves many maps): what differs is
 * built as new nodes in ctx->arena, the rest is shared.  Merged nodes keep
 * the mark of the file that wrote them.  Mistakes are reported through
 * ctx; the result is still a usable tree.
 */
#ifndef EDI_MAP_MERGE_H
#define EDI_MAP_MERGE_H

#include "map_yaml.h"
#include "yaml_doc.h"

/* Most element positions of one segment (syntax notes use two digits). */
#define MAP_MAX_ELEMENTS 99

/*
 * child (the whole map, a mapping) over base (NULL: none), then child's
 * guide_overrides.  Returns the merged top-level mapping.
 */
const struct ynode *map_merge(struct map_ctx *ctx, const struct ynode *base,
			      const struct ynode *child);

/*
 * The element list that positions (a mapping "2": "M AN 1/30") makes over
 * base (a list, a mapping of positions, or NULL).  Positions past the end
 * must follow on without a gap.  Returns a new list.
 */
const struct ynode *map_merge_elements(struct map_ctx *ctx,
				       const struct ynode *base,
				       const struct ynode *positions);

#endif
