/*
 * map_load - maps from YAML text into a struct map_set (see map.h and
 * docs/map-language.md).
 *
 * Loading is two steps so that maps can come in any order: the caller
 * reads each map file and hands its text to map_load_text(), which parses
 * it and keeps the tree pending; then map_set_resolve() resolves every
 * `extends` chain, merges each map over its base (map_merge.h) and
 * compiles it (map_compile.h).  More files may be loaded and resolved
 * again later; maps already compiled stay, and new maps may extend them.
 * Nothing here touches the filesystem.
 *
 * Every mistake is added to the caller's struct edi_diag as EDI_ECONFIG
 * with the message "file:line:col: what is wrong" (edi_loc is left empty:
 * the place is in the text), all of them, not only the first; the call
 * then returns EDI_ECONFIG.  A map with any mistake (or whose base has
 * one) is left out of the set: map_set_find() does not see it.  The set
 * owns everything it loads (trees, maps, compiled regexes) until
 * map_set_release().
 *
 * Map ids are letters, digits, '.', '_' and '-', unique in a set.  A
 * record's doc_type is one of order, order_response, despatch_advice,
 * invoice, for flat maps too (they feed the same record writers).
 */
#ifndef EDI_MAP_LOAD_H
#define EDI_MAP_LOAD_H

#include "edi_error.h"
#include "map.h"
#include "strview.h"

/* Longest `extends` chain (base, version, partner need 3). */
#define MAP_MAX_EXTENDS 16

/*
 * Parse one map file's text (file names it in messages and marks) and
 * keep it pending.  Fails with EDI_ECONFIG on a YAML mistake, a missing
 * or bad `map:` id, a bad `extends:` or an id already in the set.
 */
enum edi_code map_load_text(struct map_set *set, const char *file,
			    struct strview text, struct edi_diag *errors);

/*
 * map_load_text() of a file the caller has parsed already (ydoc_parse()
 * of the same text), so that it is not parsed twice.  The set does not
 * own root: the tree must stay, unchanged, for as long as the set is used
 * (the registry keeps it in its own arena, released after the set).
 */
struct ynode;
enum edi_code map_load_tree(struct map_set *set, const char *file,
			    struct ynode *root, struct edi_diag *errors);

/*
 * Resolve, merge and compile every pending map.  EDI_OK when all went
 * well; else EDI_ECONFIG with every mistake in errors, and the maps
 * without mistakes are usable.
 */
enum edi_code map_set_resolve(struct map_set *set, struct edi_diag *errors);

#endif
