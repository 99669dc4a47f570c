/*
 * x12_scan - chunked, zero-copy X12 segment reader; see x12_scan.h.
 * Delimiter detection is in x12_delims.c, the element helpers in
 * x12_element.c, the one-pass scan of ordinary segments in x12_scan_fast.c.
 *
 * The window holds the bytes from min(scan position, mark) on.  A refill
 * moves that tail to the front of the window and reads after it; when the
 * tail fills more than half the window (a large marked set) the window
 * doubles instead, so holding a set costs amortised linear time.  Every
 * position kept across a refill is an index into the window, never a
 * pointer, and is adjusted by compact().
 */
#define _POSIX_C_SOURCE 200809L
#include "x12_scan.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "x12_scan_fast.h"
#include "x12_scan_int.h"
#include "xalloc.h"

#define NONE SIZE_MAX

/* cp037 to ISO-8859-1, with NEL (0x15) read as LF. */
static const unsigned char ebcdic_to_latin1[256] = {
	0x00, 0x01, 0x02, 0x03, 0x9c, 0x09, 0x86, 0x7f, 0x97, 0x8d, 0x8e, 0x0b,
	0x0c, 0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x9d, 0x0a, 0x08, 0x87,
	0x18, 0x19, 0x92, 0x8f, 0x1c, 0x1d, 0x1e, 0x1f, 0x80, 0x81, 0x82, 0x83,
	0x84, 0x0a, 0x17, 0x1b, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x05, 0x06, 0x07,
	0x90, 0x91, 0x16, 0x93, 0x94, 0x95, 0x96, 0x04, 0x98, 0x99, 0x9a, 0x9b,
	0x14, 0x15, 0x9e, 0x1a, 0x20, 0xa0, 0xe2, 0xe4, 0xe0, 0xe1, 0xe3, 0xe5,
	0xe7, 0xf1, 0xa2, 0x2e, 0x3c, 0x28, 0x2b, 0x7c, 0x26, 0xe9, 0xea, 0xeb,
	0xe8, 0xed, 0xee, 0xef, 0xec, 0xdf, 0x21, 0x24, 0x2a, 0x29, 0x3b, 0xac,
	0x2d, 0x2f, 0xc2, 0xc4, 0xc0, 0xc1, 0xc3, 0xc5, 0xc7, 0xd1, 0xa6, 0x2c,
	0x25, 0x5f, 0x3e, 0x3f, 0xf8, 0xc9, 0xca, 0xcb, 0xc8, 0xcd, 0xce, 0xcf,
	0xcc, 0x60, 0x3a, 0x23, 0x40, 0x27, 0x3d, 0x22, 0xd8, 0x61, 0x62, 0x63,
	0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0xab, 0xbb, 0xf0, 0xfd, 0xfe, 0xb1,
	0xb0, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0xaa, 0xba,
	0xe6, 0xb8, 0xc6, 0xa4, 0xb5, 0x7e, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78,
	0x79, 0x7a, 0xa1, 0xbf, 0xd0, 0xdd, 0xde, 0xae, 0x5e, 0xa3, 0xa5, 0xb7,
	0xa9, 0xa7, 0xb6, 0xbc, 0xbd, 0xbe, 0x5b, 0x5d, 0xaf, 0xa8, 0xb4, 0xd7,
	0x7b, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0xad, 0xf4,
	0xf6, 0xf2, 0xf3, 0xf5, 0x7d, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50,
	0x51, 0x52, 0xb9, 0xfb, 0xfc, 0xf9, 0xfa, 0xff, 0x5c, 0xf7, 0x53, 0x54,
	0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0xb2, 0xd4, 0xd6, 0xd2, 0xd3, 0xd5,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0xb3, 0xdb,
	0xdc, 0xd9, 0xda, 0x9f,
};

void x12_limits_default(struct x12_limits *l)
{
	l->max_segment = X12_DEFAULT_MAX_SEGMENT;
	l->max_set = X12_DEFAULT_MAX_SET;
	l->chunk = X12_DEFAULT_CHUNK;
	l->max_errors = X12_DEFAULT_MAX_ERRORS;
	l->max_tracked = X12_DEFAULT_MAX_TRACKED;
	l->max_elements = X12_DEFAULT_MAX_ELEMENTS;
}

ssize_t x12_source_fd_read(void *ctx, char *dst, size_t n)
{
	int fd = *(const int *)ctx;
	ssize_t got;

	do
		got = read(fd, dst, n);
	while (got < 0 && errno == EINTR);
	return got;
}

static void reader_init(struct x12_reader *r, const struct x12_limits *limits,
			struct edi_diag *diag)
{
	memset(r, 0, sizeof(*r));
	r->limits = limits;
	r->diag = diag;
	r->mark = NONE;
	r->last = NONE;
	buf_init(&r->scratch, limits->max_segment);
}

void x12_reader_init_mem(struct x12_reader *r, struct strview input,
			 const struct x12_limits *limits, struct edi_diag *diag)
{
	reader_init(r, limits, diag);
	r->borrowed = true;
	r->eof = true;
	r->data = input.ptr;
	r->len = input.len;
}

void x12_reader_init_span(struct x12_reader *r, struct strview span,
			  const struct x12_delims *delims, size_t base_offset,
			  size_t first_index, const struct x12_limits *limits,
			  struct edi_diag *diag)
{
	x12_reader_init_mem(r, span, limits, diag);
	r->started = true;
	r->in_interchange = true;
	r->seen_interchange = true;
	r->delims = *delims;
	x12_fast_delims_init(&r->fast, &r->delims, limits);
	r->fast.on &= r->fast_mode != X12_FAST_OFF;
	r->base = base_offset;
	r->nsegments = first_index ? first_index - 1 : 0;
}

void x12_reader_init_src(struct x12_reader *r, struct x12_source src,
			 const struct x12_limits *limits, struct edi_diag *diag)
{
	reader_init(r, limits, diag);
	r->src = src;
}

void x12_reader_release(struct x12_reader *r)
{
	free(r->mseg);
	r->mseg = NULL;
	free(r->els);
	r->els = NULL;
	r->nels = r->cap_els = 0;
	free(r->win);
	buf_release(&r->scratch);
	r->win = NULL;
	r->data = NULL;
	r->len = 0;
}

size_t x12_reader_offset(const struct x12_reader *r)
{
	return r->base + r->pos;
}

/* Drop the bytes before min(pos, mark) from the window. */
static void compact(struct x12_reader *r)
{
	size_t keep = r->pos;

	if (r->mark != NONE && r->mark < keep)
		keep = r->mark;
	if (!keep)
		return;
	memmove(r->win, r->win + keep, r->len - keep);
	for (size_t i = 0; i < r->nels; i++) /* the marked set's elements */
		r->els[i].ptr -= keep;
	r->len -= keep;
	r->base += keep;
	r->pos -= keep;
	if (r->mark != NONE)
		r->mark -= keep;
	r->last = r->last != NONE && r->last >= keep ? r->last - keep : NONE;
}

/* Read more input after the window.  Sets r->eof at the end. */
static enum edi_code fill(struct x12_reader *r, struct edi_error *err)
{
	size_t want, room;
	ssize_t got;

	if (r->borrowed || r->eof) {
		r->eof = true;
		return EDI_OK;
	}
	if (r->mark != NONE && r->len - r->mark > r->limits->max_set) {
		r->mark = NONE; /* the set is too large to hold: let it go */
		r->mark_lost = true;
		r->nels = 0;
	}
	compact(r);
	want = r->limits->chunk;
	if (r->win_cap - r->len < want) {
		size_t cap = r->win_cap ? r->win_cap : want;

		char *win;

		while (cap - r->len < want)
			cap *= 2;
		/* not realloc(): the element views are moved along */
		win = xmalloc(cap);
		if (r->len)
			memcpy(win, r->win, r->len);
		for (size_t i = 0; i < r->nels; i++)
			r->els[i].ptr = win + (r->els[i].ptr - r->win);
		free(r->win);
		r->win = win;
		r->win_cap = cap;
	}
	room = r->win_cap - r->len;
	got = r->src.read(r->src.ctx, r->win + r->len, room);
	if (got < 0)
		return edi_fail(err, EDI_EIO, NULL, "read error: %s",
				strerror(errno));
	if (got == 0)
		r->eof = true;
	if (r->ebcdic)
		for (ssize_t i = 0; i < got; i++) {
			unsigned char c = (unsigned char)r->win[r->len + i];
			r->win[r->len + i] = (char)ebcdic_to_latin1[c];
		}
	r->len += (size_t)got;
	r->data = r->win;
	return EDI_OK;
}

/* Make at least n bytes available after pos (fewer only at the end). */
static enum edi_code ensure(struct x12_reader *r, size_t n,
			    struct edi_error *err)
{
	while (r->len - r->pos < n && !r->eof) {
		enum edi_code rc = fill(r, err);
		if (rc)
			return rc;
	}
	return EDI_OK;
}

static size_t avail(const struct x12_reader *r)
{
	return r->len - r->pos;
}

/*
 * First look at the input: a UTF-8 BOM is skipped, EBCDIC is recognised
 * by "ISA" in cp037 after optional EBCDIC white space.
 */
static enum edi_code start(struct x12_reader *r, struct edi_error *err)
{
	enum edi_code rc;
	const unsigned char *p;
	size_t i = 0, n;

	r->started = true;
	rc = ensure(r, X12_ISA_LOOKAHEAD, err);
	if (rc)
		return rc;
	p = (const unsigned char *)r->data;
	n = r->len;
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		r->pos = 3;
		return EDI_OK;
	}
	while (i < n && (p[i] == 0x40 || p[i] == 0x15 || p[i] == 0x25 ||
			 p[i] == 0x0d || p[i] == 0x05))
		i++;
	if (r->borrowed || n - i < 3 || p[i] != 0xc9 || p[i + 1] != 0xe2 ||
	    p[i + 2] != 0xc1)
		return EDI_OK;
	r->ebcdic = true;
	for (i = 0; i < n; i++)
		r->win[i] = (char)ebcdic_to_latin1[p[i]];
	{
		struct edi_loc loc = edi_loc_none();
		loc.offset = 0;
		edi_diag_addf(r->diag, X12_EBCDIC, &loc,
			      "input is EBCDIC (code page 037); read as ASCII");
	}
	return EDI_OK;
}

static bool skippable(const struct x12_reader *r, char c)
{
	/* white space, and the DOS end-of-file mark and NUL padding that
	 * some transfers leave between or after interchanges */
	if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\v' &&
	    c != '\f' && c != '\x1a' && c != '\0')
		return false;
	if (!r->in_interchange)
		return true;
	return c != r->delims.element && c != r->delims.component &&
	       c != r->delims.terminator &&
	       (!r->delims.repetition || c != r->delims.repetition);
}

/* Skip white space and CR/LF between segments, refilling as needed. */
static enum edi_code skip_space(struct x12_reader *r, struct edi_error *err)
{
	for (;;) {
		while (r->pos < r->len && skippable(r, r->data[r->pos]))
			r->pos++;
		if (r->pos < r->len || r->eof)
			return EDI_OK;
		enum edi_code rc = fill(r, err);
		if (rc)
			return rc;
	}
}

/* Write a short printable excerpt of p into dst. */
static void excerpt(const char *p, size_t n, char *dst, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < n && i < 16 && o + 5 < size; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f) {
			dst[o++] = (char)c;
		} else {
			snprintf(dst + o, size - o, "\\x%02x", c);
			o += 4;
		}
	}
	dst[o] = '\0';
}

static struct edi_loc loc_here(const struct x12_reader *r)
{
	struct edi_loc loc = edi_loc_none();

	loc.offset = r->base + r->pos;
	return loc;
}

/* Does the input at pos hold "ISA" followed by a possible separator? */
static bool at_isa(const struct x12_reader *r)
{
	const char *p = r->data + r->pos;
	size_t n = avail(r);

	return n >= 4 && p[0] == 'I' && p[1] == 'S' && p[2] == 'A' &&
	       x12_is_delim_char(p[3]) && !x12_is_newline(p[3]);
}

/* Move pos to the next "ISA" that can start an interchange, or the end. */
static enum edi_code find_isa(struct x12_reader *r, struct edi_error *err)
{
	enum edi_code rc;

	for (;;) {
		const char *hit;

		rc = ensure(r, 4, err);
		if (rc)
			return rc;
		if (avail(r) < 4) {
			r->pos = r->len;
			return EDI_OK;
		}
		if (at_isa(r))
			return EDI_OK;
		hit = memchr(r->data + r->pos + 1, 'I', avail(r) - 1);
		if (hit) {
			r->pos = (size_t)(hit - r->data);
			continue;
		}
		r->pos = r->len;
		if (r->eof)
			return EDI_OK;
		rc = fill(r, err);
		if (rc)
			return rc;
	}
}

/* Keep s as the last segment, and as one of the set when marked. */
static void remember(struct x12_reader *r, const struct x12_span_seg *s)
{
	if (r->nmseg == r->cap_mseg) {
		r->cap_mseg = r->cap_mseg ? r->cap_mseg * 2 : 256;
		r->mseg = xreallocarray(r->mseg, r->cap_mseg, sizeof(*r->mseg));
	}
	r->mseg[r->nmseg] = *s;
	r->last_at = r->nmseg;
	if (r->mark != NONE)
		r->nmseg++;
}

static void fill_segment(struct x12_reader *r, struct x12_segment *seg,
			 struct strview raw, size_t offset, bool cleaned,
			 size_t input_len)
{
	const char *sep;
	struct x12_span_seg where;

	seg->raw = raw;
	seg->offset = offset;
	seg->index = ++r->nsegments;
	seg->cleaned = cleaned;
	seg->delims = &r->delims;
	sep = raw.len ? memchr(raw.ptr, r->delims.element, raw.len) : NULL;
	seg->tag = sv_make(raw.ptr, sep ? (size_t)(sep - raw.ptr) : raw.len);
	seg->key = x12_tag_key_sv(seg->tag);
	seg->el = NULL; /* not split: x12_set splits it */
	seg->nel = 0;
	seg->has_component = seg->has_repetition = seg->ctl_free = false;
	memset(&where, 0, sizeof(where));
	where.offset = offset;
	where.len = cleaned ? input_len : raw.len;
	where.index = seg->index;
	where.cleaned = cleaned;
	where.key = seg->key;
	r->last_el = r->nels;
	remember(r, &where);
}

/* Copy raw without CR/LF into the scratch buffer. */
static struct strview clean(struct x12_reader *r, struct strview raw)
{
	buf_reset(&r->scratch);
	for (size_t i = 0; i < raw.len;) {
		size_t j = i;
		while (j < raw.len && !x12_is_newline(raw.ptr[j]))
			j++;
		/* cannot fail: raw is no longer than the maximum */
		(void)buf_add(&r->scratch, raw.ptr + i, j - i);
		i = j;
		while (i < raw.len && x12_is_newline(raw.ptr[i]))
			i++;
	}
	return buf_view(&r->scratch);
}

/*
 * At pos there should be an ISA.  Returns 1 with *seg filled when an
 * interchange starts, 0 when the bytes were reported and skipped.
 */
static int start_interchange(struct x12_reader *r, struct x12_segment *seg,
			     struct edi_error *err, enum edi_code *rc)
{
	struct edi_error e;
	struct x12_delims d;
	enum x12_isa_form form;
	size_t isa_len, offset;
	struct strview raw;
	char text[80];
	struct edi_loc loc;

	*rc = ensure(r, X12_ISA_LOOKAHEAD, err);
	if (*rc)
		return 0;
	loc = loc_here(r);
	/* "ISA" and any separator: a bad one is reported by the detection */
	if (!at_isa(r) &&
	    !(avail(r) >= 4 && !memcmp(r->data + r->pos, "ISA", 3) &&
	      !x12_is_newline(r->data[r->pos + 3]))) {
		const unsigned char *p =
			(const unsigned char *)r->data + r->pos;
		excerpt(r->data + r->pos, avail(r), text, sizeof(text));
		if (r->seen_interchange) {
			edi_diag_addf(r->diag, X12_TRAILING, &loc,
				      "bytes after IEA are not an interchange: "
				      "'%s'",
				      text);
		} else if (avail(r) >= 2 && ((p[0] == 0xff && p[1] == 0xfe) ||
					     (p[0] == 0xfe && p[1] == 0xff))) {
			edi_diag_addf(r->diag, X12_NO_ISA, &loc,
				      "file is UTF-16; X12 must be ASCII or "
				      "UTF-8");
		} else {
			edi_diag_addf(r->diag, X12_NO_ISA, &loc,
				      "file does not start with an ISA segment "
				      "(found '%s')",
				      text);
		}
		if (avail(r))
			r->pos++;
		*rc = find_isa(r, err);
		return 0;
	}
	while ((*rc = x12_delims_detect(r->data + r->pos, avail(r), r->eof, &d,
					&form, &isa_len, &e)) == EDI_ELIMIT) {
		*rc = ensure(r, avail(r) + 16, err);
		if (*rc)
			return 0;
	}
	if (*rc != EDI_OK) {
		/* report where it is, then look for the next ISA */
		e.loc.segment = r->nsegments + 1;
		e.loc.offset = e.loc.offset == EDI_NO_OFFSET
				       ? loc.offset
				       : loc.offset + e.loc.offset;
		edi_diag_add(r->diag, &e);
		r->nsegments++;
		r->pos += 3;
		*rc = find_isa(r, err);
		r->in_interchange = false;
		return 0;
	}
	r->delims = d;
	x12_fast_delims_init(&r->fast, &r->delims, r->limits);
	r->fast.on &= r->fast_mode != X12_FAST_OFF;
	r->in_interchange = true;
	r->seen_interchange = true;
	r->isa_form = form;
	offset = r->base + r->pos;
	r->last = r->pos;
	raw = sv_make(r->data + r->pos, isa_len - 1);
	r->pos += isa_len;
	if (form == X12_ISA_WRAPPED)
		raw = clean(r, raw);
	fill_segment(r, seg, raw, offset, form == X12_ISA_WRAPPED, isa_len - 1);
	if (form == X12_ISA_LENIENT) {
		loc = x12_loc(seg, 0);
		edi_diag_addf(r->diag, X12_ISA_WIDTH, &loc,
			      "ISA is %zu bytes, not the fixed 106; read by "
			      "counting separators",
			      isa_len);
	}
	return 1;
}

/*
 * Scan one segment inside an interchange.  Returns 1 with *seg filled,
 * 0 when there was nothing (the end) or a segment was dropped.
 */
static int scan_segment(struct x12_reader *r, struct x12_segment *seg,
			struct edi_error *err, enum edi_code *rc)
{
	const struct x12_limits *lim = r->limits;
	char term = r->delims.terminator;
	size_t scanned = 0, len, offset;
	const char *hit;
	bool terminated = true, cleaned = false;
	struct strview raw;
	struct edi_loc loc;

	*rc = EDI_OK;
	for (;;) {
		hit = memchr(r->data + r->pos + scanned, term,
			     avail(r) - scanned);
		if (hit && r->delims.tail_len) {
			size_t at = (size_t)(hit - (r->data + r->pos));
			size_t tl = r->delims.tail_len;
			if (avail(r) - at - 1 < tl && !r->eof) {
				scanned = at; /* the tail may follow: read on */
				*rc = fill(r, err);
				if (*rc)
					return 0;
				continue;
			}
			if (avail(r) - at - 1 < tl ||
			    memcmp(hit + 1, r->delims.terminator_tail, tl)) {
				scanned = at + 1; /* the byte is data */
				continue;
			}
		}
		if (hit)
			break;
		scanned = avail(r);
		if (scanned > lim->max_segment)
			goto too_long;
		if (r->eof) {
			terminated = false;
			break;
		}
		*rc = fill(r, err);
		if (*rc)
			return 0;
	}
	len = hit ? (size_t)(hit - (r->data + r->pos)) : avail(r);
	if (len > lim->max_segment)
		goto too_long;
	offset = r->base + r->pos;
	raw = sv_make(r->data + r->pos, len);
	r->last = r->pos;
	r->pos += hit ? len + 1 + r->delims.tail_len : len;
	if (!r->delims.strip_newlines) {
		/* a CR before a newline terminator is not data */
		while (raw.len && raw.ptr[raw.len - 1] == '\r')
			raw.len--;
	} else if (memchr(raw.ptr, '\n', raw.len) ||
		   memchr(raw.ptr, '\r', raw.len)) {
		raw = clean(r, raw);
		cleaned = true;
	}
	fill_segment(r, seg, raw, offset, cleaned, len);
	if (sv_eq(seg->tag, SV_LIT("IEA")))
		r->in_interchange = false; /* next comes an ISA or nothing */
	if (!terminated) {
		loc = x12_loc(seg, 0);
		edi_diag_addf(r->diag, X12_UNTERMINATED, &loc,
			      "the last segment has no terminator");
	}
	return 1;

too_long:
	loc = loc_here(r);
	loc.segment = ++r->nsegments;
	edi_diag_addf(r->diag, X12_SEG_TOO_LONG, &loc,
		      "segment is longer than the limit of %zu bytes; skipped",
		      lim->max_segment);
	if (r->mark != NONE) {
		r->mark = NONE;
		r->mark_lost = true;
		r->nels = 0;
	}
	/* drop bytes up to the next terminator */
	for (;;) {
		hit = memchr(r->data + r->pos, term, avail(r));
		if (hit) {
			r->pos = (size_t)(hit - r->data) + 1;
			return 0;
		}
		r->pos = r->len;
		if (r->eof)
			return 0;
		*rc = fill(r, err);
		if (*rc)
			return 0;
	}
}

enum x12_next x12_reader_next_general(struct x12_reader *r,
				      struct x12_segment *seg,
				      struct edi_error *err)
{
	enum edi_code rc;
	int got;

	if (!r->started) {
		rc = start(r, err);
		if (rc)
			return X12_NEXT_ERROR;
		if (!r->len) {
			struct edi_loc loc = edi_loc_none();
			loc.offset = 0;
			edi_diag_addf(r->diag, X12_EMPTY, &loc,
				      "file is empty");
			return X12_NEXT_END;
		}
	}
	for (;;) {
		rc = skip_space(r, err);
		if (rc)
			return X12_NEXT_ERROR;
		if (r->pos >= r->len) {
			if (!r->seen_interchange && !r->nsegments &&
			    !r->diag->nerrors) {
				struct edi_loc loc = loc_here(r);
				edi_diag_addf(r->diag, X12_NO_ISA, &loc,
					      "file holds only white space");
			}
			return X12_NEXT_END;
		}
		if (r->in_interchange) {
			rc = ensure(r, 4, err);
			if (rc)
				return X12_NEXT_ERROR;
			if (at_isa(r))
				r->in_interchange = false;
		}
		if (!r->in_interchange)
			got = start_interchange(r, seg, err, &rc);
		else
			got = scan_segment(r, seg, err, &rc);
		if (rc)
			return X12_NEXT_ERROR;
		if (got)
			return X12_NEXT_SEGMENT;
	}
}

void x12_reader_mark(struct x12_reader *r)
{
	struct x12_span_seg last;

	r->mark = r->last;
	r->mark_lost = false;
	r->nmseg = 0;
	r->nels = 0;
	if (r->mark == NONE)
		return;
	/* the last segment becomes the first of the set; what was scanned
	 * ahead lies after it and stays where it is */
	last = r->mseg[r->last_at];
	if (last.split) {
		if (r->last_el)
			memmove(r->els, r->els + r->last_el,
				(last.nel + 1) * sizeof(*r->els));
		r->nels = last.nel + 1;
	}
	r->last_el = 0;
	r->mseg[0] = last;
	r->last_at = 0;
	r->nmseg = 1;
}

void x12_reader_unmark(struct x12_reader *r)
{
	r->mark = NONE;
	r->mark_lost = false;
	r->nmseg = 0;
	r->nels = 0;
}

struct strview *x12_reader_marked_els(struct x12_reader *r, size_t *n)
{
	if (r->mark == NONE || r->mark_lost) {
		*n = 0;
		return NULL;
	}
	*n = r->nels;
	return r->els;
}

const struct x12_span_seg *x12_reader_marked_segs(const struct x12_reader *r,
						  size_t *n)
{
	if (r->mark == NONE || r->mark_lost) {
		*n = 0;
		return NULL;
	}
	*n = r->nmseg;
	return r->mseg;
}

enum edi_code x12_reader_marked(const struct x12_reader *r,
				struct strview *span, size_t *offset)
{
	if (r->mark == NONE || r->mark_lost)
		return EDI_ELIMIT;
	if (r->pos - r->mark > r->limits->max_set)
		return EDI_ELIMIT;
	*span = sv_make(r->data + r->mark, r->pos - r->mark);
	*offset = r->base + r->mark;
	return EDI_OK;
}
