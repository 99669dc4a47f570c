/*
 * yaml_doc - one YAML document read into a small tree of nodes.
 *
 * ydoc_parse() runs libyaml's event parser over text and builds a tree of
 * struct ynode in the caller's arena: scalars, sequences and mappings, each
 * with the file, line and column (1-based) where it starts.  The tree, its
 * strings and the file name all live in the arena and die with it; the
 * text is not referenced after the call.  Scalars are kept as text (no
 * type resolution: `01`, `yes` and `1.0` stay strings); `quoted` tells a
 * plain `null` or `~` (see ynode_is_null()) from a quoted "null".
 *
 * Only what the map language needs is accepted: one document per file,
 * scalar mapping keys, no duplicate keys, no anchors, aliases or tags
 * (aliases make trees whose size is not bounded by the text).  Nesting
 * depth, node count and text size are capped by the constants below.  Any
 * mistake or limit fails with EDI_ECONFIG (EDI_ELIMIT for a limit) and a
 * message "file:line:col: what is wrong"; the position is also given in
 * *at when at is not NULL.  Nothing is printed.
 */
#ifndef EDI_YAML_DOC_H
#define EDI_YAML_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "edi_error.h"
#include "strview.h"

#ifndef YDOC_MAX_DEPTH
#define YDOC_MAX_DEPTH 64 /* nested sequences and mappings */
#endif
#ifndef YDOC_MAX_NODES
#define YDOC_MAX_NODES 200000 /* nodes of one document */
#endif
#ifndef YDOC_MAX_BYTES
#define YDOC_MAX_BYTES (8u * 1024 * 1024) /* size of the text */
#endif

enum ynode_kind { YNODE_SCALAR, YNODE_SEQ, YNODE_MAP };

struct ynode {
	enum ynode_kind kind;
	const char *value; /* SCALAR: NUL-terminated (no NUL inside) */
	size_t len;	   /* SCALAR: strlen(value) */
	bool quoted;	   /* SCALAR: single or double quoted, or a block */
	/* SEQ: the items; MAP: key, value, key, value, ... (keys scalars) */
	struct ynode **items;
	size_t n; /* entries in items: twice the pairs of a MAP */
	const char *file;
	unsigned line, col; /* 1-based, where the node starts */
};

/* A position in a YAML text, 1-based. */
struct ymark {
	const char *file;
	unsigned line, col;
};

/*
 * Parse text (need not be NUL-terminated) into *root.  An empty stream
 * (only comments or white space) gives *root = NULL and EDI_OK.  file is
 * copied into the arena and used in messages and marks.  On failure *root
 * is NULL, err says "file:line:col: problem" and *at (when not NULL) holds
 * the same position.
 */
enum edi_code ydoc_parse(struct arena *a, const char *file, struct strview text,
			 struct ynode **root, struct ymark *at,
			 struct edi_error *err);

/* A plain (unquoted) scalar "", "~", "null", "Null" or "NULL". */
bool ynode_is_null(const struct ynode *n);
/* The value of key in a MAP, or NULL (not a map, or no such key). */
struct ynode *ynode_get(const struct ynode *map, const char *key);
/* The key node of key in a MAP, or NULL. */
struct ynode *ynode_get_key(const struct ynode *map, const char *key);
/* Pairs of a MAP, items of a SEQ, 0 for a SCALAR. */
size_t ynode_size(const struct ynode *n);
/* "scalar", "list" or "mapping" (for messages). */
const char *ynode_kind_name(enum ynode_kind kind);
/* A new node in the arena (for trees built by hand, e.g. merges). */
struct ynode *ynode_new(struct arena *a, enum ynode_kind kind,
			const struct ynode *mark_from);
struct ynode *ynode_new_scalar(struct arena *a, const char *value,
			       const struct ynode *mark_from);

#endif
