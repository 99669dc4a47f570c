/*
 * strview - helpers for views; see strview.h.
 */
#include "strview.h"

bool sv_is_digits(struct strview v)
{
	if (!v.len)
		return false;
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] < '0' || v.ptr[i] > '9')
			return false;
	return true;
}

bool sv_is_blank(struct strview v)
{
	for (size_t i = 0; i < v.len; i++)
		if (v.ptr[i] != ' ')
			return false;
	return true;
}

struct strview sv_trim(struct strview v)
{
	while (v.len && v.ptr[0] == ' ') {
		v.ptr++;
		v.len--;
	}
	while (v.len && v.ptr[v.len - 1] == ' ')
		v.len--;
	return v;
}

bool sv_to_u64(struct strview v, uint64_t *out)
{
	uint64_t n = 0;

	if (!sv_is_digits(v) || v.len > 19)
		return false;
	for (size_t i = 0; i < v.len; i++)
		n = n * 10 + (uint64_t)(v.ptr[i] - '0');
	*out = n;
	return true;
}

char *sv_to_cbuf(struct strview v, char *dst, size_t size)
{
	size_t n;

	if (!size)
		return dst;
	n = v.len < size - 1 ? v.len : size - 1;
	if (n)
		memcpy(dst, v.ptr, n);
	dst[n] = '\0';
	return dst;
}

void str_copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strnlen(src, size - 1) : 0;

	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}
