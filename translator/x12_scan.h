/*
 * x12_scan - read X12 interchanges segment by segment, without copying.
 *
 * An x12_reader takes its bytes either from memory (x12_reader_init_mem:
 * the caller's buffer, never copied) or from a source read in chunks
 * (x12_reader_init_src, e.g. a file descriptor).  At the start of each
 * interchange it reads the delimiters from the ISA: the element separator
 * at offset 3, the repetition separator at 82 (ISA11, only from version
 * 00402 and only when it is not a letter, digit or space and differs from
 * the others), the component separator at 104 and the terminator at 105,
 * with a strict check that all sixteen element separators sit at their
 * fixed offsets.  ISAs hard-wrapped by CR/LF and unpadded ISAs (read by
 * counting separators, with a warning) are accepted.  A UTF-8 BOM, white
 * space and CR/LF after terminators, a newline as the terminator and
 * hard-wrapped files are read as the partner meant them; EBCDIC (cp037)
 * input is recognised and read as ASCII.  Each interchange in a file keeps
 * its own delimiters.
 *
 * x12_reader_next() hands out one segment at a time.  The views in a
 * segment point into the reader's window (or into the caller's buffer in
 * memory mode, or into a scratch buffer when the segment had to be cleaned
 * of line wrapping) and stay valid until the next call to
 * x12_reader_next() or x12_reader_release().  x12_reader_mark() keeps the
 * bytes from the current segment on in the window, so that
 * x12_reader_marked() can hand out a whole transaction set as one view;
 * memory then follows the largest marked span (up to limits.max_set), not
 * the size of the input.
 *
 * Syntax problems the reader finds (no ISA, bad delimiters, a segment over
 * the size limit, bytes between interchanges) go to the diagnostics list
 * given at init, with their location; the reader then resynchronises on
 * the next terminator or ISA and goes on.  Only an I/O error from the
 * source stops it.  Envelope rules are x12_envelope's business.
 */
#ifndef EDI_X12_SCAN_H
#define EDI_X12_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "edi_error.h"
#include "strview.h"

/* Limits; every one is configurable (struct x12_limits). */
#define X12_DEFAULT_MAX_SEGMENT	 (1u << 20)   /* bytes in one segment */
#define X12_DEFAULT_MAX_SET	 (256u << 20) /* bytes in one marked set */
#define X12_DEFAULT_CHUNK	 (64u << 10)  /* bytes per read */
#define X12_DEFAULT_MAX_ERRORS	 100	      /* diagnostics kept per input */
#define X12_DEFAULT_MAX_TRACKED	 100000	      /* control numbers tracked */
#define X12_DEFAULT_MAX_ELEMENTS 1024	      /* elements in one segment */
#define X12_ISA_LEN		 106	      /* a fixed-width ISA */
#define X12_ISA_LOOKAHEAD	 512	      /* bytes read to find an ISA */

struct x12_limits {
	size_t max_segment;
	size_t max_set;
	size_t chunk;
	size_t max_errors;
	size_t max_tracked;
	size_t max_elements;
};

void x12_limits_default(struct x12_limits *l);

struct x12_delims {
	char element;
	char component;
	char repetition; /* 0 when the interchange has none */
	char terminator;
	/* a terminator that is a UTF-8 character ("\u2026") continues with
	 * these bytes */
	char terminator_tail[3];
	unsigned char tail_len;
	bool strip_newlines; /* CR/LF inside segments are line wrapping */
};

/* How the ISA was read. */
enum x12_isa_form {
	X12_ISA_FIXED,	 /* 106 bytes, separators at their offsets */
	X12_ISA_WRAPPED, /* fixed-width once CR/LF are removed */
	X12_ISA_LENIENT	 /* not fixed-width: found by counting separators */
};

struct x12_segment {
	struct strview raw; /* the segment without its terminator */
	struct strview tag;
	size_t offset; /* byte offset of the segment in the input */
	size_t index;  /* 1-based segment number in the input */
	bool cleaned;  /* raw is a copy without line wrapping */
	const struct x12_delims *delims;
	/* set by the reader: */
	uint32_t key; /* x12_tag_key_sv(tag) */
	/*
	 * The elements as views into raw, el[0] the tag, when the reader
	 * split the segment while it looked for the terminator (NULL when
	 * not: then the flags below are not known either).  Valid like raw.
	 */
	const struct strview *el;
	unsigned nel;	     /* el[1..nel] */
	bool has_component;  /* a component separator occurs in raw */
	bool has_repetition; /* a repetition separator occurs in raw */
	/* no byte <= 0x1f and no 0x7f in the tag or an element value (the
	 * reader's scan saw none); false: not known */
	bool ctl_free;
};

struct x12_source {
	/* Read at most n bytes into dst: bytes read, 0 at the end, -1 and
	 * errno on error. */
	ssize_t (*read)(void *ctx, char *dst, size_t n);
	void *ctx;
};

/* An fd source; ctx points to an int. */
ssize_t x12_source_fd_read(void *ctx, char *dst, size_t n);

/* Where a segment of a marked span is: for x12_set_split, so that a held
 * set need not be scanned again. */
struct x12_span_seg {
	size_t offset; /* input offset of the segment */
	size_t len;    /* bytes of its raw text in the input */
	size_t index;  /* segment number */
	bool cleaned;  /* had line wrapping: clean it again */
	/* split: its elements (tag first) are the next nel + 1 views of
	 * x12_reader_marked_els(), and the flags are known */
	bool split;
	bool has_component, has_repetition;
	bool ctl_free; /* as in struct x12_segment */
	uint32_t nel;
	uint32_t key; /* split: x12_tag_key_sv() of its tag */
};

/*
 * The delimiters of the reader's fast path (x12_scan_fast.c), each in
 * every byte of a 16-byte vector; on when the delimiters allow it.
 */
struct x12_fast_delims {
	unsigned char term[16], element[16], component[16], repetition[16];
	bool repeats; /* repetition[] is the separator, not a stand-in */
	bool on;
};

#define X12_FAST_BATCH 64 /* segments scanned ahead at most */

/* How the reader reads (tests compare the ways). */
enum x12_fast_mode {
	X12_FAST_BEST,	   /* the fast path with the best SIMD there is */
	X12_FAST_BASELINE, /* the same without AVX2 (SSE2 on x86-64) */
	X12_FAST_PORTABLE, /* the fast path eight bytes at a time */
	X12_FAST_OFF	   /* the general code only */
};

struct x12_reader {
	const struct x12_limits *limits;
	struct edi_diag *diag;
	struct x12_source src;
	bool borrowed; /* data is the caller's memory */
	bool eof;
	bool started;
	bool ebcdic;
	bool in_interchange;
	bool seen_interchange;
	bool mark_lost;
	char *win; /* owned window when reading from a source */
	size_t win_cap;
	const char *data;
	size_t len;
	size_t base; /* input offset of data[0] */
	size_t pos;
	size_t mark; /* SIZE_MAX: none */
	size_t last; /* start of the segment last returned */
	size_t nsegments;
	enum x12_isa_form isa_form;
	struct x12_delims delims;
	struct buf scratch;
	/* the segments since the mark (nmseg); past them, the one last
	 * returned (at last_at) and those scanned ahead (bnext..bend) */
	struct x12_span_seg *mseg;
	size_t nmseg, cap_mseg, last_at, bnext, bend;
	/*
	 * The element views of the split segments since the mark (nels),
	 * then those of the segment last returned (from last_el) and of
	 * those scanned ahead (from bel).  They point into the window:
	 * compact() and fill() move the marked ones with it; the others
	 * are handed out before the window moves.
	 */
	struct strview *els;
	size_t nels, cap_els, last_el, bel;
	struct x12_fast_delims fast;
	enum x12_fast_mode fast_mode; /* X12_FAST_BEST unless a test says */
	/*
	 * The batch scanned ahead last (records bfirst..bend): bit i of
	 * bstop is set when record bfirst + i is not plain (see
	 * x12_reader_skip_plain), and then its elements begin at
	 * els[bel_at[i]]; bel_at[bend - bfirst] is past the last.
	 */
	size_t bfirst;
	uint64_t bstop;
	size_t bel_at[X12_FAST_BATCH + 1];
};

enum x12_next { X12_NEXT_SEGMENT, X12_NEXT_END, X12_NEXT_ERROR };

void x12_reader_init_mem(struct x12_reader *r, struct strview input,
			 const struct x12_limits *limits,
			 struct edi_diag *diag);
void x12_reader_init_src(struct x12_reader *r, struct x12_source src,
			 const struct x12_limits *limits,
			 struct edi_diag *diag);
/*
 * Read a span cut out of an interchange (e.g. a marked transaction set)
 * with the interchange's delimiters: offsets count from base_offset and
 * segment numbers from first_index.
 */
void x12_reader_init_span(struct x12_reader *r, struct strview span,
			  const struct x12_delims *delims, size_t base_offset,
			  size_t first_index, const struct x12_limits *limits,
			  struct edi_diag *diag);
void x12_reader_release(struct x12_reader *r);

/*
 * Next segment into *seg.  X12_NEXT_END at the end of input,
 * X12_NEXT_ERROR when the source failed (*err says why).
 */
enum x12_next x12_reader_next(struct x12_reader *r, struct x12_segment *seg,
			      struct edi_error *err);

/* Keep the bytes from the segment last returned on; drop the mark. */
void x12_reader_mark(struct x12_reader *r);
void x12_reader_unmark(struct x12_reader *r);
/*
 * The raw bytes from the marked segment to the end of the segment last
 * returned (terminator included).  EDI_ELIMIT when the span outgrew
 * limits.max_set or a segment in it was dropped.
 */
enum edi_code x12_reader_marked(const struct x12_reader *r,
				struct strview *span, size_t *offset);

/*
 * The segments of the marked span, in order (valid like the span).  NULL
 * with *n 0 when there is no usable mark.
 */
const struct x12_span_seg *x12_reader_marked_segs(const struct x12_reader *r,
						  size_t *n);
/*
 * The element views of the split segments among them, in order (*n of
 * them); valid like the span.
 */
struct strview *x12_reader_marked_els(struct x12_reader *r, size_t *n);

/*
 * The segments scanned ahead, for a caller that needs no more of an
 * ordinary segment than its tag: x12_reader_ahead() puts a cursor on the
 * next one, x12_ahead_tag() gives the tag under it (NULL past the last)
 * and x12_ahead_next() moves it on; x12_reader_skip(r, &cursor) then
 * moves the reader up to the cursor as that many calls of
 * x12_reader_next() would, handing out nothing.  The tags are valid until the next call to the reader.
 */
struct x12_ahead {
	size_t rec, el; /* in mseg and els */
};

static inline struct x12_ahead x12_reader_ahead(const struct x12_reader *r)
{
	struct x12_ahead a = {r->bnext, r->bel};

	return a;
}

static inline const struct strview *x12_ahead_tag(const struct x12_reader *r,
						  const struct x12_ahead *a)
{
	return a->rec < r->bend ? &r->els[a->el] : NULL;
}

static inline void x12_ahead_next(const struct x12_reader *r,
				  struct x12_ahead *a)
{
	a->el += r->mseg[a->rec].nel + 1;
	a->rec++;
}

void x12_reader_skip(struct x12_reader *r, const struct x12_ahead *to);

/*
 * Move the reader past the segments scanned ahead whose tag the envelope
 * only counts (2-3 upper-case letters or digits, starting with a letter,
 * and none of ISA, IEA, GS, GE, ST and SE: x12_envelope_plain()), as
 * x12_reader_skip() to the first other one would, and return how many.
 * One step, however many there are: the scan marked them.
 */
size_t x12_reader_skip_plain(struct x12_reader *r);

/* Total bytes consumed so far (input offset of the scan position). */
size_t x12_reader_offset(const struct x12_reader *r);

/*
 * Read delimiters from an ISA at p (n bytes available; at_end when no more
 * will follow).  On success fills *d, *form and *isa_len (raw bytes up to
 * and including the terminator).  EDI_ELIMIT when more bytes are needed,
 * else an X12_* code with *err filled.
 */
enum edi_code x12_delims_detect(const char *p, size_t n, bool at_end,
				struct x12_delims *d, enum x12_isa_form *form,
				size_t *isa_len, struct edi_error *err);

/* Element n (1-based) of seg; an empty view when absent. */
struct strview x12_element(const struct x12_segment *seg, unsigned n);
/* Number of elements after the tag. */
unsigned x12_element_count(const struct x12_segment *seg);
/* Input offset of element n of seg (the segment's when unknown). */
size_t x12_element_offset(const struct x12_segment *seg, unsigned n);
/*
 * Split v at sep into at most max views; returns the number of parts,
 * which may exceed max (only max are stored).
 */
size_t x12_split(struct strview v, char sep, struct strview *out, size_t max);
/* Part n (0-based) of v split at sep; empty when absent. */
struct strview x12_part(struct strview v, char sep, size_t n);

/* True when tag is 2-3 upper-case letters or digits, starting with a
 * letter. */
bool x12_tag_valid(struct strview tag);

/*
 * A segment tag packed into an integer (up to 3 bytes; 0 for anything
 * longer), so that tags compare in one instruction.
 */
static inline uint32_t x12_tag_key_sv(struct strview tag)
{
	if (tag.len < 1 || tag.len > 3)
		return 0;
	return (uint32_t)(unsigned char)tag.ptr[0] |
	       (uint32_t)(unsigned char)(tag.len > 1 ? tag.ptr[1] : 0) << 8 |
	       (uint32_t)(unsigned char)(tag.len > 2 ? tag.ptr[2] : 0) << 16;
}

/* The same for a NUL-terminated tag such as guide_node.tag. */
static inline uint32_t x12_tag_key(const char *tag)
{
	uint32_t a = (unsigned char)tag[0], b, c;

	/* unrolled: it is worked out for every path of a map, every set */
	if (!a)
		return 0;
	if (!(b = (unsigned char)tag[1]))
		return a;
	if (!(c = (unsigned char)tag[2]))
		return a | b << 8;
	return tag[3] ? 0 : a | b << 8 | c << 16;
}

/* A location naming seg (and element n when n > 0). */
struct edi_loc x12_loc(const struct x12_segment *seg, unsigned element);

#endif
