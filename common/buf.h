/*
 * buf - owned, growable bytes with a hard maximum (curl's dynbuf).
 *
 * The caller owns the struct; buf_init() sets the maximum, buf_release()
 * frees the storage.  Appending past the maximum fails with EDI_ELIMIT and
 * leaves the contents unchanged; allocation failure aborts (xalloc).  The
 * bytes are always followed by a NUL that is not counted in len, so
 * buf_cstr() is safe for text.  Pointers into a buf are invalidated by any
 * append.
 */
#ifndef EDI_BUF_H
#define EDI_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "edi_error.h"
#include "strview.h"

struct buf {
	char *ptr;
	size_t len;
	size_t cap;
	size_t max;
};

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
/* Make room for n more bytes without changing len. */
enum edi_code buf_reserve(struct buf *b, size_t n);
enum edi_code buf_add(struct buf *b, const void *p, size_t n);
enum edi_code buf_addc(struct buf *b, char c);
enum edi_code buf_adds(struct buf *b, const char *s);
enum edi_code buf_addsv(struct buf *b, struct strview v);
enum edi_code buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum edi_code buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
const char *buf_cstr(const struct buf *b);
struct strview buf_view(const struct buf *b);

#endif
