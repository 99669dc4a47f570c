/*
 * x12_scan_fast - the reader's fast path: one pass over an ordinary
 * segment finds its terminator and its element separators together.
 *
 * x12_reader_next() tries x12_scan_fast_next() first.  It takes a segment
 * only in the common case: inside an interchange whose delimiters are
 * single bytes other than CR and LF, at a segment that does not start with
 * a byte the general code might skip (white space, NUL, ^Z) or with "ISA",
 * that lies whole in the reader's window, within the size limit and
 * without line wrapping.  Anything else it leaves to the general code
 * (returning 0, the reader moved at most past the CR/LF the general code
 * skips too), so segments, marks and diagnostics are the general code's.
 * What it finds it keeps: the element views go to the reader's `els`
 * array (kept for a marked set, as its segments are), so that the set
 * need not be scanned again.  The bytes are looked at sixteen at a time
 * with SSE2 (every x86-64 has it), elsewhere eight at a time in a word.
 *
 * Internal to x12_scan and x12_set; the unit tests use x12_fast_scan()
 * to compare the scan with memchr() and x12_split().  x12_scan_fast.c
 * scans one segment, x12_scan_batch.c the reader's batches; both are made
 * of the masks of x12_scan_simd.h.
 */
#ifndef EDI_X12_SCAN_FAST_H
#define EDI_X12_SCAN_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "x12_scan.h"

/* Prepare f for d (the interchange's delimiters, under limits l). */
void x12_fast_delims_init(struct x12_fast_delims *f, const struct x12_delims *d,
			  const struct x12_limits *l);

/* x12_reader_next() when the fast path cannot read (x12_scan.c). */
enum x12_next x12_reader_next_general(struct x12_reader *r,
				      struct x12_segment *seg,
				      struct edi_error *err);

/* What one scan found. */
struct x12_fast_seg {
	size_t len;	     /* bytes before the terminator */
	unsigned nel;	     /* element separators in them */
	bool has_component;  /* a component separator occurs in them */
	bool has_repetition; /* the repetition separator occurs */
	bool has_newline;    /* a CR or LF occurs */
};

enum x12_fast_result {
	X12_FAST_FOUND,	   /* *out filled, el[0..nel] the elements */
	X12_FAST_NOT_HERE, /* no terminator in the n bytes, or after max */
	X12_FAST_ROOM	   /* el may be too small: grow, scan again */
};

/*
 * Look for the terminator in p[0..n) (no byte after p[n - 1] is read),
 * splitting the bytes before it at element separators into el (room
 * entries): el[0] is the tag.  Gives up after max bytes.
 */
enum x12_fast_result x12_fast_scan(const struct x12_fast_delims *f,
				   const char *p, size_t n, size_t max,
				   struct strview *el, size_t room,
				   struct x12_fast_seg *out);
/* The same without SIMD: the fallback of machines without SSE2. */
enum x12_fast_result x12_fast_scan_portable(const struct x12_fast_delims *f,
					    const char *p, size_t n, size_t max,
					    struct strview *el, size_t room,
					    struct x12_fast_seg *out);

#endif
