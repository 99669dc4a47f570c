/*
 * map_check_int - what the two halves of map_check share: the long way
 * of checking (map_check_slow.c), which words every diagnostic, for the
 * table-driven checks (map_check.c) to fall back on when a value or a
 * syntax note is not plainly fine.
 */
#ifndef EDI_MAP_CHECK_INT_H
#define EDI_MAP_CHECK_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "map_check.h"

/* Whether e's code list (sorted by strcmp) holds v; true without one. */
bool check_code_allowed(const struct map_elem *e, struct strview v);

/* Report what is wrong with the simple value v (not empty) of element el
 * (component comp, 0 for none) of seg. */
void check_value(const struct map_elem *e, struct strview v,
		 const struct x12_seg *seg, unsigned el, unsigned comp,
		 struct edi_diag *diag);

/* The same for element el as a whole: repetitions, components, values. */
void check_element(const struct map_elem *e, struct strview v,
		   const struct x12_seg *seg, unsigned el,
		   const struct x12_delims *d, struct edi_diag *diag);

/* Report what syntax note s has to say about seg (usually nothing). */
void check_syntax(const struct map_syntax *s, const struct x12_seg *seg,
		  struct edi_diag *diag);

/* Whether check_syntax() has something to say, from the positions of
 * the segment's non-empty elements as bits (a prepared note). */
bool check_syntax_complains(const struct map_syntax *s, uint64_t present);

/* map_check_segment() for a definition without a table. */
void check_segment_long(const struct map_segdef *def, const struct x12_seg *seg,
			const struct x12_delims *d, struct edi_diag *diag);

#endif
