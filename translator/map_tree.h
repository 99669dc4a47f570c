/*
 * map_tree - compiling the `guide` of a map into the tree of struct
 * guide_node under m->guide, and looking things up in it.
 *
 * Part of the map loader (see map_yaml.h for how mistakes are reported).
 * The root is a loop with loop_id "" holding the entries; a loop's tag is
 * that of its first segment; every node points to its parent; segment
 * entries point to their definition (NULL when the map has none), so the
 * segments must be compiled first (map_defs.h).
 */
#ifndef EDI_MAP_TREE_H
#define EDI_MAP_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "map.h"
#include "map_yaml.h"

/* guide: fills the root m->guide and its tree. */
void map_tree_guide(struct map_ctx *ctx, struct map *m,
		    const struct ynode *guide);

/* True when a segment entry with tag appears anywhere in the guide. */
bool map_tree_has_tag(const struct guide_node *root, const char *tag);
/* The first loop with this id, depth first, or NULL. */
const struct guide_node *map_tree_find_loop(const struct guide_node *root,
					    const char *id);
/*
 * The distinct segment tags (loop ids when loops is true) of the guide,
 * in an arena array, for did-you-mean hints.  Returns how many.
 */
size_t map_tree_names(struct arena *a, const struct guide_node *root,
		      bool loops, const char ***names);

#endif
