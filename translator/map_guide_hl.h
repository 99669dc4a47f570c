/*
 * map_guide_hl - the HL tree of a transaction set (HL01 id, HL02 parent
 * id, HL03 level), built after map_guide_apply() has placed the set.
 *
 * The walk lists, while it places the segments, the loops an HL segment
 * starts (hl_first, linked by hl_next_in_set, nhl of them); the root
 * counts too when the set's first segment is an HL placed in it.  Each
 * such loop gets its ids and its place under the latest earlier loop with
 * its parent id; a duplicate id (X12_HL_DUPLICATE) and a
 * parent id no earlier HL has (X12_HL_PARENT) are reported to diag.
 * set->hl_first and set->has_hl are set.
 */
#ifndef EDI_MAP_GUIDE_HL_H
#define EDI_MAP_GUIDE_HL_H

#include <stddef.h>

#include "edi_error.h"
#include "x12_set.h"

void map_guide_hl_tree(struct x12_set *set, struct x12_loop *hl_first,
		       size_t nhl, struct edi_diag *diag);

#endif
