/*
 * map_outbound - the `outbound:` section of a map: what only the
 * outbound direction (x12_emit) needs.
 *
 *   outbound:
 *     defaults:          # element -> value written when its segment is
 *       CUR01: BY        # written and the record leaves the element
 *       PID01: F         # empty (qualifiers a record does not carry)
 *       ACK04: {value: "068", when: ACK05}  # only with that element
 *
 * Part of the map loader (map_yaml.h says how mistakes are reported); the
 * paths are checked against the segments and guide, so those must be
 * compiled first.  A partner map that `extends` another merges its
 * defaults key by key (null removes one).
 */
#ifndef EDI_MAP_OUTBOUND_H
#define EDI_MAP_OUTBOUND_H

#include "map.h"
#include "map_yaml.h"

/* Compile node (the value of `outbound:`) into m->out_defaults. */
void map_outbound_compile(struct map_ctx *ctx, struct map *m,
			  const struct ynode *node);

#endif
