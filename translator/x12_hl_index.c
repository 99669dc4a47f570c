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

static size_t hash(struct strview id)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < id.len; i++) {
		h ^= (unsigned char)id.ptr[i];
		h *= 0x100000001b3ULL;
	}
	return (size_t)(h ^ h >> 29);
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
static size_t probe(const struct x12_hl_index *ix, struct strview id)
{
	size_t i = hash(id) & ix->mask;

	while (ix->slot[i] && !sv_eq(ix->slot[i]->hl_id, id))
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
