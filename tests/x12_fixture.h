/*
 * x12_fixture - build X12 test input and read it back as text.
 *
 * fx_isa() writes a fixed-width 106-byte ISA with the given delimiters;
 * fx_body() appends segments written with the placeholders '*' (element),
 * '>' (component), '^' (repetition) and '~' (terminator), translated to
 * the given delimiters.  fx_read() runs a reader (and an envelope checker)
 * over input and renders every segment and diagnostic as one text line,
 * so that two ways of reading can be compared byte for byte.
 */
#ifndef EDI_X12_FIXTURE_H
#define EDI_X12_FIXTURE_H

#include "buf.h"
#include "edi_error.h"
#include "map.h"
#include "x12_scan.h"

struct fx_delims {
	char element, repetition, component, terminator;
	const char *version; /* ISA12, e.g. "00401" */
	const char *control; /* ISA13 */
	const char *after;   /* bytes after each terminator, e.g. "\r\n" */
};

extern const struct fx_delims FX_STD;

void fx_isa(struct buf *out, const struct fx_delims *d);
void fx_body(struct buf *out, const struct fx_delims *d, const char *segs);
/* ISA + GS + one 850 with n PO1 lines + GE + IEA. */
void fx_850(struct buf *out, const struct fx_delims *d, int nlines);

/*
 * An x12_source over memory: fx_src_read() breaks its first read at byte
 * split (0: nowhere) and never returns more than max_read bytes at once.
 */
struct fx_src {
	const char *p;
	size_t len, pos, split, max_read;
};

ssize_t fx_src_read(void *ctx, char *dst, size_t n);

/*
 * Read input: from memory when split == SIZE_MAX, else through a source
 * that breaks its first read at byte `split` and never returns more than
 * max_read bytes at once (the window grows by limits->chunk).  Appends one
 * line per segment ("S index offset tag raw") and per diagnostic
 * ("D code offset segment element") to out, and the envelope's
 * diagnostics when check is true.
 */
void fx_read(struct strview input, size_t split, size_t max_read,
	     const struct x12_limits *limits, bool check, struct buf *out);

/* Diagnostics of reading input from memory with the envelope checker. */
void fx_diag(struct strview input, struct edi_diag *d);
/* Does d hold code (at segment seg and element el when not 0)? */
const struct edi_error *fx_find(const struct edi_diag *d, enum edi_code code,
				size_t seg, unsigned el);

/* Every diagnostic of d with its whole location, a line each, cut to
 * size, so two ways of checking can be compared as text. */
void fx_diag_text(const struct edi_diag *d, char *out, size_t size);

/* The shipped X12 maps: 850, 855, 856, 810 in 004010 and 005010, 997, 999. */
extern const char *const FX_SHIPPED_MAPS[];
extern const size_t FX_NSHIPPED_MAPS;
/*
 * Load maps/x12/<name>.yaml for each of names into maps (initialised
 * here) and resolve them; a test fails when one does not load.  Run from
 * the source tree.
 */
void fx_load_maps(struct map_set *maps, const char *const *names, size_t n);

/*
 * A sample set (ST to SE, placeholders '*', '>', '^', '~') for the
 * document ("850", "855", "856", "810", "997", "999"), or NULL.
 */
const char *fx_sample_set(const char *document);
/*
 * text with elements (not ST's, SE's or HL's) replaced, each with odds 1
 * in odds, by a value of pool picked by *seed (advanced); into out.
 */
void fx_mutate(const char *text, const char *const *pool, size_t npool,
	       unsigned odds, unsigned *seed, char *out, size_t size);

#endif
