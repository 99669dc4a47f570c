/*
 * map_check_int - what the parts of map_check share: the tables of a
 * prepared segment definition (made by map_check_prep.c, read by the
 * table-driven checks of map_check_fast.h), what those call to report
 * (map_check.c), and the long way of checking
 * (map_check_slow.c), which words every diagnostic, for map_check.c to
 * fall back on when a value or a syntax note is not plainly fine.  The
 * tables live in the map set's arena and are only read after
 * map_check_prepare().
 */
#ifndef EDI_MAP_CHECK_INT_H
#define EDI_MAP_CHECK_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "map_check.h"

#define CK_GOLDEN 0x9E3779B97F4A7C15ULL /* 2^64 / golden ratio, odd */

enum ck_kind {
	CK_AN,	      /* text: no control characters */
	CK_ID,	      /* text without a code list */
	CK_CODES,     /* text in a code list of packed codes, by hash */
	CK_CODES_CMP, /* text in a code list with codes over 7 bytes */
	CK_N,	      /* whole number */
	CK_R,	      /* decimal number */
	CK_DT,
	CK_TM,
	CK_COMPOSITE /* always check_element() */
};

/* 16 bytes: a segment's entries share a cache line or two */
struct ck_elem {
	uint32_t min_len, max_len; /* max_len UINT32_MAX: no maximum */
	uint8_t kind;		   /* enum ck_kind */
	uint8_t shift;		   /* CK_CODES: 64 - log2(slots) */
	uint32_t mask;		   /* CK_CODES: slots - 1 */
};

/* "Position p set implies position p + shift set", for each p in from;
 * the positions implied are (x >> right) << left, no branch. */
struct ck_imp {
	int shift;
	unsigned right, left;
	uint64_t from;
};

/*
 * The usual case in one test: a text element (AN, ID without codes) is
 * fine in a clean segment when length - min <= range, unsigned.  Others
 * have min SIZE_MAX, range 0: the test fails for any length.
 */
struct ck_text {
	size_t min, range;
};

/* An R, E or L note as check_syntax_complains() reads it. */
struct ck_note {
	enum map_syntax_kind kind;
	uint64_t bits, first; /* its positions; the first of them */
};

/*
 * One block: this struct, then text, elems and codes, so that a segment's
 * checks touch a line or two of one place; what they need of the
 * definition is copied here (perf: the load of def->check was a cache
 * miss of its own in every segment).
 */
struct map_check_def {
	struct ck_text *text;	/* [nelems] */
	struct ck_elem *elems;	/* [nelems] */
	const uint64_t **codes; /* [nelems]: CK_CODES's packed codes, 0 empty */
	uint64_t mandatory_bits; /* def->mandatory_bits */
	uint64_t syntax_bits;	 /* the positions any syntax note names */
	unsigned nelems;	 /* def->nelems (below 64) */
	unsigned memo_slot;	 /* its slot in a struct map_check_memo */
	bool has_syntax;	 /* def->nsyntax != 0 */
	struct ck_imp *imps;
	size_t nimps;
	struct ck_note *notes; /* R, E and L notes */
	size_t nnotes;
};

static inline uint32_t ck_le32(const char *p)
{
	uint32_t w;

	memcpy(&w, p, 4);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap32(w);
#endif
	return w;
}

/* A code of 1 to 7 bytes as one word with its length on top (the bytes
 * alone would make "A" and "A\0" the same). */
static inline uint64_t pack_code(const char *p, size_t n)
{
	uint64_t w;

	if (n >= 4)
		w = ck_le32(p) | (uint64_t)ck_le32(p + n - 4) << (8 * (n - 4));
	else
		w = (unsigned char)p[0] |
		    (uint64_t)(unsigned char)p[n / 2] << (8 * (n / 2)) |
		    (uint64_t)(unsigned char)p[n - 1] << (8 * (n - 1));
	return w | (uint64_t)n << 56;
}

/* Whether e's code list (sorted by strcmp) holds v; true without one. */
bool check_code_allowed(const struct map_elem *e, struct strview v);

/* Report what is wrong with the simple value v (not empty) of element el
 * (component comp, 0 for none) of seg. */
void check_value(const struct map_elem *e, struct strview v,
		 const struct x12_seg *seg, unsigned el, unsigned comp,
		 struct edi_diag *diag);

/* The same for element el as a whole: repetitions, components, values. */
void check_element(const struct map_elem *e, struct strview v,
		   const struct x12_seg *seg, unsigned el,
		   const struct x12_delims *d, struct edi_diag *diag);

/* Report what syntax note s has to say about seg (usually nothing). */
void check_syntax(const struct map_syntax *s, const struct x12_seg *seg,
		  struct edi_diag *diag);

/* Whether check_syntax() has something to say, from the positions of
 * the segment's non-empty elements as bits (a prepared note). */
bool check_syntax_complains(const struct map_syntax *s, uint64_t present);

/* What map_check_fast.h's map_check_table() calls (map_check.c). */

/* Report, for each position in todo in order, that the mandatory
 * element is missing (not in present) or what is wrong with it (split:
 * the segment has separators). */
void ck_report(const struct map_segdef *def, const struct x12_seg *seg,
	       const struct x12_delims *d, uint64_t present, uint64_t todo,
	       bool split, struct edi_diag *diag);
/* The positions past def's elements that hold a value; reports them. */
uint64_t ck_check_extra(const struct map_segdef *def, const struct x12_seg *seg,
			struct edi_diag *diag);
/* The syntax notes of def (with its table ck) for seg, with present its
 * non-empty positions; memo may be NULL. */
void ck_check_notes(const struct map_segdef *def,
		    const struct map_check_def *ck, const struct x12_seg *seg,
		    uint64_t present, struct map_check_memo *memo,
		    struct edi_diag *diag);
/* The text test for a segment that is not clean: fails at any length. */
extern const struct ck_text ck_no_text[64];

/* map_check_segment() for a definition without a table. */
void check_segment_long(const struct map_segdef *def, const struct x12_seg *seg,
			const struct x12_delims *d, struct edi_diag *diag);

#endif
