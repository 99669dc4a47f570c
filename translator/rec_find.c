/*
 * rec_find - members by a list of names in one pass; see rec_find.h.
 *
 * The memo is open-addressed by the key's address (Fibonacci hashing,
 * linear probing) and kept at most half full; a key that does not get in
 * is compared by strcmp() each time, which gives the same answer.
 */
#include "rec_find.h"

#include <string.h>

void rec_find_init(struct rec_find *f, const char *const *names, size_t n)
{
	f->names = names;
	f->nnames = n < REC_FIND_MAX_NAMES ? n : REC_FIND_MAX_NAMES;
	f->named = 0;
	for (size_t i = 0; i < f->nnames; i++)
		if (names[i])
			f->named |= (uint64_t)1 << i;
	for (size_t i = 0; i < REC_FIND_MEMO; i++)
		f->memo[i].key = NULL;
	f->nfree = REC_FIND_MEMO / 2;
}

/* Which names key is: bit i for names[i]. */
static inline uint64_t names_of(struct rec_find *f, const char *key)
{
	size_t h =
		(size_t)(((uint64_t)(uintptr_t)key * 0x9e3779b97f4a7c15ULL) >>
			 (64 - REC_FIND_BITS));
	uint64_t bits = 0;

	for (; f->memo[h].key; h = (h + 1) % REC_FIND_MEMO)
		if (f->memo[h].key == key)
			return f->memo[h].names;
	for (size_t i = 0; i < f->nnames; i++)
		if (f->names[i] && !strcmp(f->names[i], key))
			bits |= (uint64_t)1 << i;
	if (f->nfree) {
		f->memo[h].key = key;
		f->memo[h].names = bits;
		f->nfree--;
	}
	return bits;
}

void rec_find_members(struct rec_find *f, const struct rec_value *obj,
		      const struct rec_value **found)
{
	uint64_t wanted = f->named, bits;

	for (bits = wanted; bits; bits &= bits - 1)
		found[__builtin_ctzll(bits)] = NULL;
	if (!obj || obj->kind != REC_OBJECT)
		return;
	for (const struct rec_value *c = obj->first; c && wanted; c = c->next) {
		if (!c->key || !(bits = names_of(f, c->key) & wanted))
			continue;
		wanted &= ~bits; /* the first member of a name wins */
		for (; bits; bits &= bits - 1)
			found[__builtin_ctzll(bits)] = c;
	}
}
