/*
 * rec_find - the members of an object named in a fixed list, found in one
 * pass.
 *
 * A CSV row takes several members of the same line object by name; asking
 * rec_get() for each walks the members and compares names once per
 * column.  rec_find_members() walks them once: which of the names a
 * member's key matches is worked out by strcmp() the first time that key
 * (by address) is seen and remembered in the struct, so a struct
 * rec_find must only be used for trees whose keys stay at their
 * addresses, unchanged, while it is (one record, say).  The result is
 * exactly rec_get(obj, names[i]) for each i: the first member so named.
 * Nothing here allocates or fails.
 */
#ifndef EDI_REC_FIND_H
#define EDI_REC_FIND_H

#include <stddef.h>
#include <stdint.h>

#include "rec_value.h"

#define REC_FIND_MAX_NAMES 64 /* names in one list */
#define REC_FIND_BITS	   7
#define REC_FIND_MEMO	   (1u << REC_FIND_BITS) /* keys remembered, half */

struct rec_find {
	const char *const *names; /* NULL entries name nothing */
	size_t nnames;
	uint64_t named; /* bit i: names[i] is not NULL */
	struct {
		const char *key; /* NULL: empty */
		uint64_t names;	 /* bit i: the key is names[i] */
	} memo[REC_FIND_MEMO];
	size_t nfree;
};

/* names[0..n) (n <= REC_FIND_MAX_NAMES) must outlive f. */
void rec_find_init(struct rec_find *f, const char *const *names, size_t n);
/* found[i] = rec_get(obj, names[i]) for every i with a name; the other
 * entries of found are left as they are. */
void rec_find_members(struct rec_find *f, const struct rec_value *obj,
		      const struct rec_value **found);

#endif
