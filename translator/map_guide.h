/*
 * map_guide - place a transaction set's segments in the map's guide and
 * check them (WEDI SNIP level 2).
 *
 * map_guide_apply() walks the set's segments against the guide: it gives
 * every segment its guide entry and loop instance, builds the loop tree
 * (and the HL tree from HL01/HL02/HL03), and reports to diag, each with
 * its location and 997 code: segments out of order (AK304 7), not in the
 * set (6), unrecognized (1), missing mandatory segments and loops (3),
 * loops and segments over their maximum use (4, 5); then every element of
 * every defined segment: mandatory missing (AK403 1), syntax notes (2,
 * 10), too many elements (3), length (4, 5), characters (6), code values
 * (7), dates (8), times (9), repetitions (12), components (13).
 * The set must come from x12_set_split(); it is changed in place.
 */
#ifndef EDI_MAP_GUIDE_H
#define EDI_MAP_GUIDE_H

#include "edi_error.h"
#include "map.h"
#include "map_check.h"
#include "x12_set.h"

/* Maximum nesting of loops in a guide. */
#define MAP_GUIDE_MAX_DEPTH 16

void map_guide_apply(const struct map *m, struct x12_set *set,
		     struct edi_diag *diag);

/*
 * Work out once what placement and the checks need of a compiled map
 * (each loop's entries by tag and where its next mandatory entry is, the
 * element tables of map_check_prepare()), in the map set's arena a;
 * map_set_resolve() calls it.  A map that was not prepared is placed and
 * checked the long way, with the same result.
 */
void map_guide_prepare(struct map *m, struct arena *a);

/* Check one segment's elements against def: map_check_segment(). */
static inline void map_guide_check_segment(const struct map_segdef *def,
					   const struct x12_seg *seg,
					   const struct x12_delims *d,
					   struct edi_diag *diag)
{
	map_check_segment(def, seg, d, diag);
}

#endif
