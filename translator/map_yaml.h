/*
 * map_yaml - what every part of the map loader shares: reporting a mistake
 * at a YAML node, checking the keys of a mapping (with a did-you-mean),
 * reading scalars, numbers and words.
 *
 * A struct map_ctx is one loading pass: the arena that receives compiled
 * maps (the map set's), the caller's diagnostics list, the set's list of
 * compiled regexes to free, and a count of the mistakes reported through
 * it.  Every mistake goes to the list as EDI_ECONFIG with the message
 * "file:line:col: what is wrong" (no edi_loc: the place is in the text); a
 * message already in the list is not added twice (a base map's mistake is
 * met again in every map extending it) but is still counted.  Nothing here
 * fails: the callers check ctx->nerrors.
 */
#ifndef EDI_MAP_YAML_H
#define EDI_MAP_YAML_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "edi_error.h"
#include "map.h"
#include "strview.h"
#include "yaml_doc.h"

/* Compiled PCRE2 codes (pcre2_code *) owned by a map set. */
struct map_regexes {
	void **codes;
	size_t n, cap;
};

struct map_ctx {
	struct arena *arena;
	struct edi_diag *errors;
	struct map_regexes *regexes;
	size_t nerrors; /* mistakes reported, kept in the list or not */
};

/* Report "file:line:col: message" at node at (NULL: no position). */
void map_ctx_error(struct map_ctx *ctx, const struct ynode *at, const char *fmt,
		   ...) __attribute__((format(printf, 3, 4)));

/*
 * Report every key of map not in the NULL-terminated list allowed, as
 * "unknown key 'fiels' in record; did you mean 'fields'?".  Returns true
 * when all keys are known.
 */
bool map_ctx_keys(struct map_ctx *ctx, const struct ynode *map,
		  const char *what, const char *const *allowed);

/*
 * The candidate closest to word (edit distance with transpositions, at
 * most 1 for words of up to 4 letters and 2 above, case ignored), or NULL.
 * candidates is NULL-terminated.
 */
const char *map_suggest(const char *word, const char *const *candidates);
/* The same over n strings. */
const char *map_suggest_n(const char *word, const char *const *candidates,
			  size_t n);

/*
 * The key of map that looks like a misspelling of key (see map_suggest),
 * or NULL.  Used to keep quiet about a missing key when its misspelling
 * was already reported as unknown.
 */
const struct ynode *map_misspelt(const struct ynode *map, const char *key);

/* The value of key in map, or NULL when absent or a plain null. */
const struct ynode *map_yget(const struct ynode *map, const char *key);

/* Report unless node is of kind; what names it ("guide", "rule"). */
bool map_ctx_want(struct map_ctx *ctx, const struct ynode *node,
		  enum ynode_kind kind, const char *what);
/* The text of a scalar, or NULL after reporting a list or mapping. */
const char *map_ctx_scalar(struct map_ctx *ctx, const struct ynode *node,
			   const char *what);

/* A decimal number in [min, max] in v; false when not one. */
bool map_sv_uint(struct strview v, unsigned min, unsigned max, unsigned *out);

/*
 * Split s into words at spaces and tabs; each byte of singles (may be
 * NULL) is a word of its own ("[" "]" "=").  The array is in the arena.
 * Returns the number of words.
 */
size_t map_split(struct arena *a, const char *s, const char *singles,
		 struct strview **words);

/* "BEG", "N1", "TD5": 2 or 3 letters or digits, a letter first. */
bool map_tag_valid(struct strview v);
/* Map ids and table names: letters, digits, '.', '_', '-'. */
bool map_name_valid(const char *s);

struct map_mark map_mark_of(const struct ynode *n);

#endif
