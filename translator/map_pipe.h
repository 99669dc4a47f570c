/*
 * map_pipe - transform pipelines in map strings: "BEG05 | date",
 * "TDS01 | implied(2)", "PO103 | default(EA) | code(uom)",
 * "REF02 | match(^A(.*)$)", "po_date | date(MM/DD/YYYY)".
 *
 * Part of the map loader (see map_yaml.h for how mistakes are reported).
 * code() tables are looked up in the map, so its tables must be compiled
 * first.  match() regexes are compiled with PCRE2 at load time and kept in
 * ctx->regexes; the map set frees them with map_regexes_release().
 */
#ifndef EDI_MAP_PIPE_H
#define EDI_MAP_PIPE_H

#include <stdbool.h>
#include <stddef.h>

#include "map.h"
#include "map_yaml.h"

/* Most transforms in one field. */
#define MAP_MAX_XFORMS 16

/*
 * "PATH | xf | xf" written in the scalar at: the path into *path, the
 * transforms appended to xf[*n].  False after reporting.
 */
bool map_pipe_parse(struct map_ctx *ctx, const struct map *m,
		    const struct ynode *at, struct map_path *path,
		    struct map_xform *xf, size_t *n);

/*
 * Transforms only ("date | code(uom)"), appended to xf[*n] (at most
 * MAP_MAX_XFORMS in all).  False after reporting.
 */
bool map_pipe_xforms(struct map_ctx *ctx, const struct map *m,
		     const struct ynode *at, struct strview text,
		     struct map_xform *xf, size_t *n);

/* Free every compiled regex in r and r's array. */
void map_regexes_release(struct map_regexes *r);

#endif
