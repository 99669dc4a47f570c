/*
 * map_check - check the elements of one segment against its definition
 * (WEDI SNIP level 2).
 *
 * map_check_segment() reports to diag, each with its location and 997
 * code: too many elements (AK403 3), mandatory elements missing (1), then
 * each element in position order: repetitions (12), components (13),
 * characters (6), code values (7), dates (8), times (9), length (4, 5);
 * then the syntax notes (2, 10).  map_check_prepare() turns a definition
 * into a table once, when the map set is resolved: per position the
 * element's type, length bounds and code list (as a hash of packed
 * codes), and the syntax notes as masks of implied positions.  A value
 * the table passes is one the long way would pass; anything else, and a
 * definition that was not prepared, takes the long way, which words every
 * message.  The table lives in the map set's arena.
 */
#ifndef EDI_MAP_CHECK_H
#define EDI_MAP_CHECK_H

#include "edi_error.h"
#include "map.h"
#include "x12_set.h"

/*
 * What map_check_segment_memo() remembers while one set is checked: per
 * slot a definition and positions (those its syntax notes name) that
 * were found present together with no syntax note complaining, so that
 * the next segment of that definition with the same ones present needs
 * no note asked.  Caller-owned, usually on the stack.
 */
#define MAP_CHECK_MEMO_SLOTS 32

struct map_check_memo {
	const struct map_segdef *def[MAP_CHECK_MEMO_SLOTS];
	uint64_t present[MAP_CHECK_MEMO_SLOTS];
};

/* Forget everything (before a set). */
static inline void map_check_memo_init(struct map_check_memo *memo)
{
	for (size_t i = 0; i < MAP_CHECK_MEMO_SLOTS; i++)
		memo->def[i] = NULL;
}

/*
 * Work out def->check (and def->mandatory_bits, has_bits and each syntax
 * note's bits) in the arena a.  A definition with a position of 64 or
 * more gets no table.  ordinal (the definition's index in its map)
 * chooses its memo slot: definitions fewer than MAP_CHECK_MEMO_SLOTS
 * apart never share one.
 */
void map_check_prepare(struct map_segdef *def, size_t ordinal, struct arena *a);

/* Check one segment's elements against def; d gives the separators. */
void map_check_segment(const struct map_segdef *def, const struct x12_seg *seg,
		       const struct x12_delims *d, struct edi_diag *diag);

/* The same, remembering in memo (of the segment's set) what it found. */
void map_check_segment_memo(const struct map_segdef *def,
			    const struct x12_seg *seg,
			    const struct x12_delims *d,
			    struct map_check_memo *memo, struct edi_diag *diag);

#endif
