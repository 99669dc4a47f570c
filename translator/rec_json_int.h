/*
 * rec_json_int - the member name table shared by rec_json's writer and
 * rec_json_names; not for use outside rec_json.
 *
 * rec_json_names.c fills the table (rec_json_memo_add(), called by the exact
 * writer when it first writes a name) and owns the struct rec_json_names
 * and rec_json_name_new(); rec_json.c finds names in it (memo_find()) on
 * the hot path, which is why the lookup is inline here.  Nothing here
 * fails: a name that does not get into the table is written the exact way.
 */
#ifndef EDI_REC_JSON_INT_H
#define EDI_REC_JSON_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rec_json.h"

/*
 * Member names are few and repeat in every record (they are the map's
 * field names): each one that needs no escaping and is short enough is
 * rendered once as the bytes `"name":` and found again by its address,
 * in an open-addressed table (linear probing, at most half full) that
 * rec_json_write() keeps for one call and a struct rec_json_names for
 * many.  A name that does not get in is written the exact way each time.
 * Records of one kind name their members in the same order, so each slot
 * also remembers the slot found after it last time: the next name is
 * tried there before it is hashed.
 */
#define KEY_BYTES  REC_JSON_NAME_BYTES /* a rendered name, one block */
#define NAMES_BITS 9
#define NAMES_SIZE (1u << NAMES_BITS)

/* One slot, 64 bytes: a slot's index is its offset shifted. */
struct name_slot {
	const char *key; /* NULL: empty */
	size_t len;	 /* of the rendered bytes */
	char text[KEY_BYTES];
	struct name_slot *follow; /* a full slot: the one found after this */
	char pad[64 - KEY_BYTES - sizeof(size_t) - 2 * sizeof(char *)];
};

_Static_assert(sizeof(struct name_slot) == 64, "a name slot is 64 bytes");

struct key_memo {
	struct name_slot slot[NAMES_SIZE];
	struct name_slot start; /* before the first name: its key is itself */
	size_t nfree;
};

struct rec_json_names {
	struct key_memo memo;
};

/* An empty table. */
void rec_json_memo_init(struct key_memo *memo);
/* Render key of length n into the table when it can be. */
void rec_json_memo_add(struct key_memo *memo, const char *key, size_t n);

/* the first slot to look at for a name's address (Fibonacci hashing) */
static inline size_t memo_slot(const char *key)
{
	return (size_t)(((uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ULL) >>
			(64 - NAMES_BITS));
}

/* The rendered name of key, or NULL when it is not there. */
static inline struct name_slot *memo_find(struct key_memo *memo,
					  const char *key)
{
	struct name_slot *s = &memo->slot[memo_slot(key)];

	for (;;) {
		if (s->key == key)
			return s;
		if (!s->key)
			return NULL;
		s = s == &memo->slot[NAMES_SIZE - 1] ? memo->slot : s + 1;
	}
}

#endif
