/*
 * x12_set - one transaction set, split into segments and elements and
 * placed in its loops.
 *
 * x12_set_split() cuts the bytes of a set (ST through SE, as a reader's
 * marked span) into segments with their elements as views; map_guide then
 * assigns every segment its guide entry and builds the loop tree (and the
 * HL tree of an 856).  Everything lives in the arena given at init and
 * dies with it; the views point into the span, which must outlive the set
 * (or into the arena for segments cleaned of line wrapping).
 */
#ifndef EDI_X12_SET_H
#define EDI_X12_SET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "edi_error.h"
#include "map.h"
#include "x12_scan.h"

struct x12_loop;

struct x12_seg {
	struct strview tag;
	uint32_t key;	    /* the tag packed by x12_tag_key(): compare this */
	struct strview *el; /* el[1..nel]; el[0] is the tag */
	unsigned nel;
	size_t offset;	     /* in the input file */
	size_t index;	     /* segment number in the input file */
	unsigned set_pos;    /* 1-based position in the set (ST = 1) */
	bool cleaned;	     /* offsets of elements are not exact */
	bool has_component;  /* a component separator occurs in it */
	bool has_repetition; /* a repetition separator occurs in it */
	/* no byte <= 0x1f and no 0x7f in the tag or an element value;
	 * false: not known (see the reader's struct x12_segment) */
	bool ctl_free;
	const struct guide_node *node; /* NULL: not placed by the guide */
	struct x12_loop *loop;	       /* the loop instance holding it */
};

struct x12_loop {
	const struct guide_node *def; /* NULL for the root */
	size_t first, end;	      /* segments [first, end) of the set */
	struct x12_loop *parent;
	struct x12_loop *first_child, *last_child, *next;
	/* 856 hierarchy, from HL01/HL02/HL03 */
	struct strview hl_id, hl_parent_id, hl_level;
	struct x12_loop *hl_parent, *hl_first_child, *hl_last_child, *hl_next;
	struct x12_loop *hl_next_in_set; /* all HL loops in segment order */
};

struct x12_set {
	struct arena *arena;
	const struct x12_limits *limits;
	struct x12_delims delims;
	struct strview bytes; /* ST .. SE terminator */
	size_t offset;	      /* of the ST in the input */
	struct x12_seg *segs;
	size_t nsegs;
	struct x12_loop root;
	struct x12_loop *hl_first; /* first HL loop in segment order */
	bool has_hl;
};

/*
 * Split span (the set's bytes, starting at input offset `offset` with the
 * ST as segment number first_index) into set->segs.  Problems (a segment
 * too long, too many elements) go to diag.
 */
enum edi_code x12_set_split(struct x12_set *set, struct arena *arena,
			    struct strview span, const struct x12_delims *d,
			    size_t offset, size_t first_index,
			    const struct x12_limits *limits,
			    struct edi_diag *diag, struct edi_error *err);

/*
 * The same from the segment positions the reader recorded while the set
 * was marked (x12_reader_marked_segs) and the element views it made of
 * them (x12_reader_marked_els; NULL, 0: none): no second scan of the
 * bytes, but for segments the reader did not split.  The segments use
 * els as their element arrays: they are valid like the span.
 */
void x12_set_from_segs(struct x12_set *set, struct arena *arena,
		       struct strview span, const struct x12_delims *d,
		       size_t offset, const struct x12_span_seg *segs,
		       size_t nsegs, struct strview *els, size_t nels,
		       const struct x12_limits *limits, struct edi_diag *diag);

/* Element n of seg (1-based), or an empty view. */
static inline struct strview x12_seg_el(const struct x12_seg *seg, unsigned n)
{
	struct strview none = {"", 0};

	return n >= 1 && n <= seg->nel ? seg->el[n] : none;
}

/*
 * A tag to find segments by, for loops over a set: x12_tag_match_init()
 * once, then x12_seg_matches() answers as sv_eq_cstr(seg->tag, tag)
 * would, from the packed key and the length instead of the bytes.
 */
struct x12_tag_match {
	uint32_t key; /* 0: a tag that does not pack; compare the bytes */
	size_t len;
	const char *tag;
};

static inline struct x12_tag_match x12_tag_match_init(const char *tag)
{
	struct x12_tag_match m = {x12_tag_key(tag), strlen(tag), tag};

	return m;
}

static inline bool x12_seg_matches(const struct x12_seg *seg,
				   const struct x12_tag_match *m)
{
	if (m->key)
		return seg->key == m->key && seg->tag.len == m->len;
	return sv_eq_cstr(seg->tag, m->tag);
}

/* A location for seg (element el, component comp when not 0). */
struct edi_loc x12_seg_loc(const struct x12_seg *seg, unsigned el,
			   unsigned comp);

#endif
