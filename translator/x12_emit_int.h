/*
 * x12_emit_int - what the parts of x12_emit share: the tree of segment
 * and loop instances a record makes, and the value helpers.
 *
 * A struct emit_loop is one instance of a guide loop (the root is the
 * set); it has one slot per child of its guide node holding that child's
 * instances in order.  HL instances also form their own tree (parent,
 * children), written in pre-order.  Everything is in the build's arena.
 * x12_emit_value.c turns record values into element text (transforms
 * backwards) and checks them; x12_emit_tree.c walks the map's fields;
 * x12_emit_seg.c makes the instances and places values; x12_emit.c
 * completes, checks and writes the set; x12_emit_ix.c the interchange.
 */
#ifndef EDI_X12_EMIT_INT_H
#define EDI_X12_EMIT_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "x12_emit.h"

#define EMIT_PATH_MAX 160 /* the record field path in messages */

struct emit_el {
	const char **comps; /* ncomps components; a simple element has 1 */
	unsigned ncomps;
	const char *field; /* the record field that set it, for messages */
	bool bad;	   /* a value was refused (reported already) */
};

struct emit_seg {
	const struct guide_node *node;
	struct emit_el *el; /* position i + 1 */
	unsigned nel;
	struct emit_seg *next;
};

struct emit_loop;

struct emit_slot {
	struct emit_seg *segs, *segs_last;
	struct emit_loop *loops, *loops_last;
	size_t n;
};

struct emit_loop {
	const struct guide_node *node;
	struct emit_slot *slots; /* node->nchildren */
	struct emit_loop *next;
	/* HL instances */
	const char *hl_level;
	struct emit_loop *hl_parent, *hl_first, *hl_last, *hl_next;
	unsigned hl_number;
};

struct emit_scope {
	struct emit_loop *loop;
	struct emit_seg *seg; /* a segment scope (`each: REF`) */
	struct emit_loop *hl; /* the HL instance of an `each: hl` */
};

struct x12_emit_set {
	const struct map *map;
	const char *label;
	const struct x12_write_delims *delims;
	const struct map_rule_opts *rules; /* NULL: the map's */
	struct arena *arena;
	struct edi_diag *diag;
	struct emit_loop root;
	const struct guide_node *hl_node; /* the HL loop, or NULL */
	size_t hl_slot;			  /* its slot in the root */
	const char *top_level;		  /* level of the first HL: "S" */
	struct emit_loop *hl_roots, *hl_roots_last;
	char path[EMIT_PATH_MAX]; /* the field being placed */
	size_t nerrors;
};

/* Add an error "record 'label': <field>: <what>" to the set's diag. */
void emit_error(struct x12_emit_set *s, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- x12_emit_value.c --- */

/*
 * The element text of record value v (a string or integer) for PATH field
 * f: f's transforms run backwards.  NULL with *absent when v is null or
 * "".  On error a message into err (EDI_EDATA).
 */
enum edi_code emit_value(struct arena *a, const struct map_field *f,
			 const json_t *v, const char **out, bool *absent,
			 struct edi_error *err);
/* The text of a plain record value (no transforms); NULL when absent. */
enum edi_code emit_plain(struct arena *a, const json_t *v, const char **out,
			 struct edi_error *err);
/*
 * Check (and where needed fit: CCYYMMDD into a 6-long DT) text for
 * element def e (NULL: no definition); delimiters and bytes outside
 * printable ASCII are refused.
 */
enum edi_code emit_fit(struct arena *a, const struct map_elem *e,
		       const struct x12_write_delims *d, const char **text,
		       struct edi_error *err);

/* --- x12_emit_tree.c --- */

/* Walk the map's record fields over rec into s->root. */
void emit_tree(struct x12_emit_set *s, const json_t *rec);

/* --- x12_emit_seg.c --- */

/* A new instance of child idx (a segment) of l; NULL past its max. */
struct emit_seg *emit_new_seg(struct x12_emit_set *s, struct emit_loop *l,
			      size_t idx);
/* A new instance of child idx (a loop) of l; NULL past its max. */
struct emit_loop *emit_new_loop(struct x12_emit_set *s, struct emit_loop *l,
				size_t idx);
/* Locate (creating as needed) the segment for path in scope. */
struct emit_seg *emit_locate(struct x12_emit_set *s,
			     const struct emit_scope *scope,
			     const struct map_path *p);
/* Set element el (component comp, 0: whole) of seg to text. */
void emit_set_el(struct x12_emit_set *s, struct emit_seg *seg, unsigned el,
		 unsigned comp, const char *text);
/* The element definition at el/comp of seg, or NULL. */
const struct map_elem *emit_elem_def(const struct emit_seg *seg, unsigned el,
				     unsigned comp);
/* The value of element el of seg (first component), "" when empty. */
const char *emit_get_el(const struct emit_seg *seg, unsigned el);
/* Write the qualifier of a where clause into seg when it has none. */
void emit_where_set(struct x12_emit_set *s, struct emit_seg *seg,
		    const struct map_path *p);
/* The first HL of the set (made at the top level when missing). */
struct emit_loop *emit_top_hl(struct x12_emit_set *s);
/* A new HL instance at level under parent (NULL: a root). */
struct emit_loop *emit_new_hl(struct x12_emit_set *s, struct emit_loop *parent,
			      const char *level);

#endif
