/*
 * buf - growable bytes with a hard cap; see buf.h.
 */
#include "buf.h"

#include <stdio.h>
#include <string.h>

#include "xalloc.h"

void buf_init(struct buf *b, size_t max)
{
	b->ptr = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void buf_release(struct buf *b)
{
	free(b->ptr);
	buf_init(b, b->max);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

enum edi_code buf_reserve(struct buf *b, size_t n)
{
	size_t want, cap;

	if (n > b->max || b->len > b->max - n)
		return EDI_ELIMIT;
	want = b->len + n + 1; /* the NUL */
	if (want <= b->cap)
		return EDI_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap > SIZE_MAX / 2 ? want : cap * 2;
	b->ptr = xrealloc(b->ptr, cap);
	b->cap = cap;
	return EDI_OK;
}

enum edi_code buf_add(struct buf *b, const void *p, size_t n)
{
	enum edi_code rc = buf_reserve(b, n);

	if (rc)
		return rc;
	if (n)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = '\0';
	return EDI_OK;
}

enum edi_code buf_addc(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

enum edi_code buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

enum edi_code buf_addsv(struct buf *b, struct strview v)
{
	return buf_add(b, v.ptr, v.len);
}

enum edi_code buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;
	enum edi_code rc;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return EDI_EINTERNAL;
	rc = buf_reserve(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return EDI_OK;
}

enum edi_code buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	enum edi_code rc;

	va_start(ap, fmt);
	rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *buf_cstr(const struct buf *b)
{
	return b->ptr ? b->ptr : "";
}

struct strview buf_view(const struct buf *b)
{
	return sv_make(b->ptr ? b->ptr : "", b->len);
}
