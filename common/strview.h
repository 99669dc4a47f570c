/*
 * strview - a read-only view of bytes owned by somebody else.
 *
 * A view is a pointer and a length; it is never NUL-terminated and never
 * written through.  It lives as long as the storage it points into: each
 * producer of views says in its header how long that is.
 */
#ifndef EDI_STRVIEW_H
#define EDI_STRVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct strview {
	const char *ptr;
	size_t len;
};

#define SV_LIT(s) ((struct strview){(s), sizeof(s) - 1})

static inline struct strview sv_make(const char *ptr, size_t len)
{
	struct strview v = {ptr, len};
	return v;
}

static inline struct strview sv_cstr(const char *s)
{
	return sv_make(s, strlen(s));
}

static inline bool sv_eq(struct strview a, struct strview b)
{
	return a.len == b.len && (a.len == 0 || !memcmp(a.ptr, b.ptr, a.len));
}

static inline bool sv_eq_cstr(struct strview a, const char *s)
{
	return sv_eq(a, sv_cstr(s));
}

/* True when every byte is an ASCII digit (and there is at least one). */
bool sv_is_digits(struct strview v);
/* True when every byte is a space (or the view is empty). */
bool sv_is_blank(struct strview v);
/* The view without leading and trailing spaces. */
struct strview sv_trim(struct strview v);
/*
 * Parse an unsigned decimal of at most 19 digits into *out; false when v
 * is empty, has a non-digit or is too long.
 */
bool sv_to_u64(struct strview v, uint64_t *out);
/* Copy at most size-1 bytes of v into dst and NUL-terminate; returns dst. */
char *sv_to_cbuf(struct strview v, char *dst, size_t size);
/*
 * Copy the C string src (NULL: "") into dst of size bytes (size > 0),
 * cut to fit; dst is always NUL-terminated.
 */
void str_copy(char *dst, size_t size, const char *src);

#endif
