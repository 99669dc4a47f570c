/*
 * x12_hl_index - the HL loops of one transaction set by their HL01 id.
 *
 * map_guide builds the 856 hierarchy from HL01 (id) and HL02 (parent id);
 * looking every id up among all earlier HLs is quadratic in the HLs of a
 * set, which a ship notice with thousands of packs makes slow.  This is a
 * hash table (open addressing, sized once for the number of HLs) from an
 * id to the most recent loop added with it.  Everything lives in the
 * arena given at init and dies with it; the ids are views that must
 * outlive the index (they point into the set's bytes).  Nothing fails.
 */
#ifndef EDI_X12_HL_INDEX_H
#define EDI_X12_HL_INDEX_H

#include <stddef.h>

#include "arena.h"
#include "strview.h"

struct x12_loop;

struct x12_hl_index {
	struct x12_loop **slot; /* NULL: empty */
	size_t mask;		/* slots - 1, a power of two minus one */
};

/* Room for at most n loops (more would never stop probing: n is the
 * number of HL segments of the set). */
void x12_hl_index_init(struct x12_hl_index *ix, struct arena *a, size_t n);

/* The most recent loop added whose hl_id equals id, or NULL. */
struct x12_loop *x12_hl_index_find(const struct x12_hl_index *ix,
				   struct strview id);

/* Add l under l->hl_id; it replaces an earlier loop with the same id. */
void x12_hl_index_add(struct x12_hl_index *ix, struct x12_loop *l);

#endif
