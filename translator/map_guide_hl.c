/*
 * map_guide_hl - the HL tree of a placed set; see map_guide_hl.h.
 */
#include "map_guide_hl.h"

#include "x12_hl_index.h"
#include "x12_types.h"

void map_guide_hl_tree(struct x12_set *set, struct x12_loop *hl_first,
		       size_t nhl, struct edi_diag *diag)
{
	struct x12_loop *prev = NULL, *next;
	struct x12_tag_match hl = x12_tag_match_init("HL");
	struct x12_hl_index by_id;

	/* the loops an HL segment starts: those place() listed, and the
	 * root when the set's first segment is an HL placed in it */
	if (x12_seg_matches(&set->segs[0], &hl) &&
	    set->segs[0].loop == &set->root) {
		set->root.hl_next_in_set = hl_first;
		hl_first = &set->root;
		nhl++;
	}
	if (!nhl)
		return;
	x12_hl_index_init(&by_id, set->arena, nhl);
	for (struct x12_loop *l = hl_first; l; l = next) {
		struct x12_seg *seg = &set->segs[l->first];
		struct x12_loop *parent = NULL;
		struct edi_loc loc;
		bool dup;

		next = l->hl_next_in_set;
		l->hl_next_in_set = NULL;
		l->hl_id = x12_seg_el(seg, 1);
		l->hl_parent_id = x12_seg_el(seg, 2);
		l->hl_level = x12_seg_el(seg, 3);
		/* an earlier HL with this id; the latest with the parent's */
		dup = x12_hl_index_find(&by_id, l->hl_id) != NULL;
		if (l->hl_parent_id.len)
			parent = x12_hl_index_find(&by_id, l->hl_parent_id);
		if (dup) {
			loc = x12_seg_loc(seg, 1, 0);
			edi_diag_addf(diag, X12_HL_DUPLICATE, &loc,
				      "HL01 '%.*s' is used twice",
				      (int)l->hl_id.len, l->hl_id.ptr);
		}
		if (l->hl_parent_id.len && !parent) {
			loc = x12_seg_loc(seg, 2, 0);
			edi_diag_addf(diag, X12_HL_PARENT, &loc,
				      "HL02 '%.*s' names no earlier HL01",
				      (int)l->hl_parent_id.len,
				      l->hl_parent_id.ptr);
		}
		if (parent) {
			l->hl_parent = parent;
			if (parent->hl_last_child)
				parent->hl_last_child->hl_next = l;
			else
				parent->hl_first_child = l;
			parent->hl_last_child = l;
		}
		if (prev)
			prev->hl_next_in_set = l;
		else
			set->hl_first = l;
		prev = l;
		set->has_hl = true;
		x12_hl_index_add(&by_id, l);
	}
}
