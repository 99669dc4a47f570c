/*
 * x12_hl_index - HL loops by id; see x12_hl_index.h.
 *
 * Linear probing in a table at least twice the number of loops, so a
 * probe always meets an empty slot; FNV-1a over the id's bytes.
 */
#include "x12_hl_index.h"

#include <stdint.h>
#include <string.h>

#include "x12_set.h"

static inline size_t hash(struct strview id)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < id.len; i++) {
		h ^= (unsigned char)id.ptr[i];
		h *= 0x100000001b3ULL;
	}
	return (size_t)(h ^ h >> 29);
}

/* sv_eq() with the short ids most files have compared byte by byte,
 * not through memcmp() */
static inline bool same_id(struct strview a, struct strview b)
{
	if (a.len != b.len)
		return false;
	if (a.len > 8)
		return !memcmp(a.ptr, b.ptr, a.len);
	for (size_t i = 0; i < a.len; i++)
		if (a.ptr[i] != b.ptr[i])
			return false;
	return true;
}

void x12_hl_index_init(struct x12_hl_index *ix, struct arena *a, size_t n)
{
	size_t slots = 16;

	while (slots < 2 * n + 2)
		slots *= 2;
	ix->slot = arena_array(a, slots, sizeof(*ix->slot));
	ix->mask = slots - 1;
}

/* The slot of id: its loop, or the empty slot where it would go. */
static inline size_t probe(const struct x12_hl_index *ix, struct strview id)
{
	size_t i = hash(id) & ix->mask;

	while (ix->slot[i] && !same_id(ix->slot[i]->hl_id, id))
		i = (i + 1) & ix->mask;
	return i;
}

struct x12_loop *x12_hl_index_find(const struct x12_hl_index *ix,
				   struct strview id)
{
	return ix->slot[probe(ix, id)];
}

void x12_hl_index_add(struct x12_hl_index *ix, struct x12_loop *l)
{
	ix->slot[probe(ix, l->hl_id)] = l;
}
