/*
 * map_check - element checks from a table; see map_check.h.  The tests
 * themselves are inline in map_check_fast.h; here is what they call when
 * something is to be reported or asked (all of it rare), and the syntax
 * notes.
 *
 * Syntax notes P and C are implications between positions ("if p then
 * q"), grouped by the distance from p to q, so that a segment with ten
 * paired notes is checked with one shift and mask per distance; R, E and
 * L notes are asked one by one.  When anything complains, every note goes
 * through check_syntax() in order, as before.  A set's segments of one
 * definition mostly have the same positions filled: the memo remembers
 * the last such positions that passed, so a segment like it asks nothing.
 */
#include "map_check.h"

#include "map_check_fast.h"
#include "map_check_int.h"

static void report_missing(const struct x12_seg *seg, unsigned i,
			   struct edi_diag *diag)
{
	struct edi_loc loc = x12_seg_loc(seg, i, 0);

	edi_diag_addf(diag, X12_EL_MISSING, &loc, "%.*s%02u is mandatory",
		      (int)seg->tag.len, seg->tag.ptr, i);
}

/* The positions past def's elements that hold a value; reports them. */
__attribute__((noinline, cold)) uint64_t ck_check_extra(
	const struct map_segdef *def, const struct x12_seg *seg,
	struct edi_diag *diag)
{
	uint64_t extra = 0;
	struct edi_loc loc;
	unsigned nel = 0;

	for (unsigned i = (unsigned)def->nelems + 1; i <= seg->nel; i++)
		if (seg->el[i].len) {
			extra |= (uint64_t)1 << i;
			nel = i;
		}
	if (nel) {
		loc = x12_seg_loc(seg, (unsigned)def->nelems + 1, 0);
		edi_diag_addf(diag, X12_EL_TOO_MANY, &loc,
			      "%.*s has %u elements, at most %zu are defined",
			      (int)seg->tag.len, seg->tag.ptr, nel,
			      def->nelems);
	}
	return extra;
}

/* check_syntax_complains() for an R, E or L note, inline. */
static inline bool note_complains(const struct ck_note *n, uint64_t x)
{
	uint64_t hit = x & n->bits;

	switch (n->kind) {
	case MAP_SYN_R: /* none */
		return !hit;
	case MAP_SYN_E: /* more than one */
		return (hit & (hit - 1)) != 0;
	case MAP_SYN_L: /* the first, and no other */
		return (hit & n->first) && hit == (hit & n->first);
	case MAP_SYN_P:
	case MAP_SYN_C:
		break;
	}
	return true;
}

static bool syntax_ok(const struct map_check_def *ck, uint64_t x)
{
	uint64_t bad = 0;

	for (size_t i = 0; i < ck->nimps; i++) {
		const struct ck_imp *m = &ck->imps[i];

		bad |= x & ~(x >> m->right << m->left) & m->from;
	}
	if (bad)
		return false;
	for (size_t i = 0; i < ck->nnotes; i++)
		if (note_complains(&ck->notes[i], x))
			return false;
	return true;
}

/*
 * The syntax notes of a segment whose non-empty positions are present:
 * nothing to ask when memo holds these positions (of those the notes
 * name) as fine for def; when a note complains, all of them in order.
 */
void ck_check_notes(const struct map_segdef *def,
		    const struct map_check_def *ck, const struct x12_seg *seg,
		    uint64_t present, struct map_check_memo *memo,
		    struct edi_diag *diag)
{
	uint64_t key = present & ck->syntax_bits;
	unsigned slot = ck->memo_slot;

	if (syntax_ok(ck, present)) {
		if (memo) {
			memo->def[slot] = def;
			memo->present[slot] = key;
		}
		return;
	}
	for (size_t i = 0; i < def->nsyntax; i++)
		if (check_syntax_complains(&def->syntax[i], present))
			check_syntax(&def->syntax[i], seg, diag);
}

/* Element i of seg the long way (split: the segment has separators). */
static void check_slow(const struct map_segdef *def, const struct x12_seg *seg,
		       const struct x12_delims *d, unsigned i, bool split,
		       struct edi_diag *diag)
{
	const struct map_elem *e = &def->elems[i - 1];

	if (split || e->ncomponents)
		check_element(e, seg->el[i], seg, i, d, diag);
	else
		check_value(e, seg->el[i], seg, i, 0, diag);
}

__attribute__((noinline, cold)) void ck_report(const struct map_segdef *def,
					       const struct x12_seg *seg,
					       const struct x12_delims *d,
					       uint64_t present, uint64_t todo,
					       bool split,
					       struct edi_diag *diag)
{
	while (todo) {
		unsigned i = (unsigned)__builtin_ctzll(todo);

		todo &= todo - 1;
		if (present >> i & 1)
			check_slow(def, seg, d, i, split, diag);
		else
			report_missing(seg, i, diag);
	}
}

/* The text test for a segment that is not clean: fails at any length
 * (a value of SIZE_MAX bytes cannot be). */
const struct ck_text ck_no_text[64] = {
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
	{SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0}, {SIZE_MAX, 0},
};

void map_check_segment_memo(const struct map_segdef *def,
			    const struct x12_seg *seg,
			    const struct x12_delims *d,
			    struct map_check_memo *memo, struct edi_diag *diag)
{
	map_check_segment_fast(def, def->check, seg, d, memo, diag);
}

void map_check_segment(const struct map_segdef *def, const struct x12_seg *seg,
		       const struct x12_delims *d, struct edi_diag *diag)
{
	map_check_segment_memo(def, seg, d, NULL, diag);
}
