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

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t block_size;
	size_t used_total;
};

void arena_init(struct arena *a, size_t block_size);
void arena_release(struct arena *a);
void arena_reset(struct arena *a);
/* size bytes aligned for any object; zeroed when zero is true */
void *arena_alloc(struct arena *a, size_t size);
void *arena_zalloc(struct arena *a, size_t size);
void *arena_array(struct arena *a, size_t n, size_t size);
/* NUL-terminated copies */
char *arena_strdup(struct arena *a, const char *s);
char *arena_svdup(struct arena *a, struct strview v);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
