/*
 * arena - bump allocator; see arena.h.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "xalloc.h"

void arena_init(struct arena *a, size_t block_size)
{
	a->head = NULL;
	a->block_size = block_size ? block_size : 64 * 1024;
	a->used_total = 0;
}

void arena_release(struct arena *a)
{
	struct arena_block *b = a->head, *next;

	while (b) {
		next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->used_total = 0;
}

void arena_reset(struct arena *a)
{
	struct arena_block *b;

	if (!a->head)
		return;
	/* keep the last block (the first allocated, the default size) */
	while (a->head->next) {
		b = a->head;
		a->head = b->next;
		free(b);
	}
	a->head->used = 0;
	a->used_total = 0;
}

void *arena_alloc_block(struct arena *a, size_t size)
{
	struct arena_block *b = a->head;
	size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (need < size)
		need = SIZE_MAX; /* overflow: xmalloc below aborts */
	if (!b || b->size - b->used < need) {
		size_t bsize = need > a->block_size ? need : a->block_size;
		b = xmalloc(sizeof(*b) + bsize);
		b->size = bsize;
		b->used = 0;
		if (a->head && bsize > a->block_size) {
			/* a big one-off: keep the current block first */
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	p = b->data + b->used;
	b->used += need;
	a->used_total += need;
	return p;
}

void *arena_zalloc(struct arena *a, size_t size)
{
	void *p = arena_alloc(a, size);

	memset(p, 0, size);
	return p;
}

void *arena_array(struct arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		n = SIZE_MAX / size; /* aborts in xmalloc */
	return arena_zalloc(a, n * size);
}

char *arena_svdup(struct arena *a, struct strview v)
{
	char *s = arena_alloc(a, v.len + 1);

	if (v.len)
		memcpy(s, v.ptr, v.len);
	s[v.len] = '\0';
	return s;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_svdup(a, sv_cstr(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	s = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}
