/*
 * arena - bump allocation for data that dies together.
 *
 * One arena holds the data of one document (or one loaded map set) and is
 * freed whole with arena_release(); arena_reset() keeps the first block
 * for reuse.  Allocation never fails (xalloc aborts); pointers stay valid
 * until reset or release.  Not thread-safe.
 */
#ifndef EDI_ARENA_H
#define EDI_ARENA_H

#include <stddef.h>

#include "strview.h"

#define ARENA_ALIGN 16

/* A block (inside the arena's business; here so that arena_alloc()'s
 * common case can be inline). */
struct arena_block {
	struct arena_block *next;
	size_t size;
	size_t used;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena {
	struct arena_block *head;
	size_t block_size;
	size_t used_total;
};

void arena_init(struct arena *a, size_t block_size);
void arena_release(struct arena *a);
void arena_reset(struct arena *a);
/* arena_alloc() when the current block has no room */
void *arena_alloc_block(struct arena *a, size_t size);

/* size bytes aligned for any object (not zeroed) */
static inline void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (!b || need < size || b->size - b->used < need)
		return arena_alloc_block(a, size);
	p = b->data + b->used;
	b->used += need;
	a->used_total += need;
	return p;
}

void *arena_zalloc(struct arena *a, size_t size);
void *arena_array(struct arena *a, size_t n, size_t size);
/* NUL-terminated copies */
char *arena_strdup(struct arena *a, const char *s);
char *arena_svdup(struct arena *a, struct strview v);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
