/*
 * x12_ctlset - the control numbers seen in one scope (GS06 in an
 * interchange, ST02 in a group), to find one used twice.
 *
 * The caller owns the struct: x12_ctlset_init() with the most runs to
 * keep, x12_ctlset_release() at the end.  Past max runs the set stops
 * remembering and says overflow (the envelope warns once) rather than
 * grow without bound on hostile input; x12_ctlset_add() then answers
 * "new" for everything.  Out of memory aborts (xalloc).
 */
#ifndef EDI_X12_CTLSET_H
#define EDI_X12_CTLSET_H

#include <stdbool.h>
#include <stddef.h>

#include "strview.h"

struct x12_ctlset {
	unsigned long long (*runs)[2]; /* sorted, disjoint [first, last] */
	size_t n, cap, max;
	bool overflow;
};

void x12_ctlset_init(struct x12_ctlset *s, size_t max);
void x12_ctlset_release(struct x12_ctlset *s);
/* Forget every number (a new scope), keeping the memory. */
void x12_ctlset_reset(struct x12_ctlset *s);
/* Add v; false when it was there already. */
bool x12_ctlset_add(struct x12_ctlset *s, struct strview v);

#endif
