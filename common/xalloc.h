/*
 * xalloc - allocation that cannot fail.
 *
 * Out of memory aborts the process with a message (STYLE rule 9): the spool
 * makes that safe, since a file is only ever moved after its work is done.
 */
#ifndef EDI_XALLOC_H
#define EDI_XALLOC_H

#include <stddef.h>
#include <stdlib.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
char *xmemdup0(const void *p, size_t len);

#endif
