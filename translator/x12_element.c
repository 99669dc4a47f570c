/*
 * x12_element - elements, components and locations of a segment the
 * reader handed out; see x12_scan.h.  Views into the segment, no copies.
 * Split from x12_scan.c, which keeps the reader.
 */
#include "x12_scan.h"

#include <string.h>

#include "x12_scan_int.h"

size_t x12_split(struct strview v, char sep, struct strview *out, size_t max)
{
	size_t n = 0;
	const char *p = v.ptr, *end = v.ptr + v.len;

	for (;;) {
		const char *q =
			p < end ? memchr(p, sep, (size_t)(end - p)) : NULL;
		const char *stop = q ? q : end;
		if (n < max)
			out[n] = sv_make(p, (size_t)(stop - p));
		n++;
		if (!q)
			return n;
		p = q + 1;
	}
}

struct strview x12_part(struct strview v, char sep, size_t n)
{
	const char *p = v.ptr, *end = v.ptr + v.len;

	for (size_t i = 0;; i++) {
		const char *q =
			p < end ? memchr(p, sep, (size_t)(end - p)) : NULL;
		if (i == n)
			return sv_make(p, (size_t)((q ? q : end) - p));
		if (!q)
			return sv_make(end, 0);
		p = q + 1;
	}
}

struct strview x12_element(const struct x12_segment *seg, unsigned n)
{
	if (!seg->el)
		return x12_part(seg->raw, seg->delims->element, n);
	/* as x12_part() gives it */
	return n <= seg->nel ? seg->el[n]
			     : sv_make(seg->raw.ptr + seg->raw.len, 0);
}

unsigned x12_element_count(const struct x12_segment *seg)
{
	unsigned n = 0;

	if (seg->el)
		return seg->nel;
	const char *p = seg->raw.ptr, *end = p + seg->raw.len;

	while (p < end && (p = memchr(p, seg->delims->element,
				      (size_t)(end - p))) != NULL) {
		n++;
		p++;
	}
	return n;
}

size_t x12_element_offset(const struct x12_segment *seg, unsigned n)
{
	struct strview v;

	if (seg->cleaned || !n)
		return seg->offset;
	v = x12_element(seg, n);
	if (v.ptr < seg->raw.ptr || v.ptr > seg->raw.ptr + seg->raw.len)
		return seg->offset;
	return seg->offset + (size_t)(v.ptr - seg->raw.ptr);
}

bool x12_tag_valid(struct strview tag)
{
	if (tag.len < 2 || tag.len > 3)
		return false;
	if (tag.ptr[0] < 'A' || tag.ptr[0] > 'Z')
		return false;
	for (size_t i = 1; i < tag.len; i++) {
		char c = tag.ptr[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return false;
	}
	return true;
}

struct edi_loc x12_loc(const struct x12_segment *seg, unsigned element)
{
	struct edi_loc loc = edi_loc_none();
	size_t n = seg->tag.len < 3 ? seg->tag.len : 3;

	loc.segment = seg->index;
	for (size_t i = 0; i < n; i++) {
		char c = seg->tag.ptr[i];
		loc.tag[i] = (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	loc.tag[n] = '\0';
	loc.element = element;
	loc.offset = element ? x12_element_offset(seg, element) : seg->offset;
	return loc;
}
