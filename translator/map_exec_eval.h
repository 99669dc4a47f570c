/*
 * map_exec_eval - the fields of a map evaluated over a placed set: the
 * inside of map_exec (map_exec.h describes the record as a whole).
 *
 * map_exec_fields() appends the members the fields give, in their order,
 * to an object of the record; a field whose value is absent (and an
 * object, list or `each` that comes out empty) is left out.  Values are
 * views into the set's bytes unless a transform made new text in the
 * arena, so the record lives as long as both.  A value that cannot be
 * mapped is an X12_MAP_VALUE error in diag, at the element it came from;
 * its field is left out and the rest goes on.
 */
#ifndef EDI_MAP_EXEC_EVAL_H
#define EDI_MAP_EXEC_EVAL_H

#include "arena.h"
#include "edi_error.h"
#include "map.h"
#include "map_exec_plan.h"
#include "rec_value.h"
#include "x12_set.h"

struct map_exec_ctx {
	const struct map *map;
	const struct x12_set *set;
	struct arena *arena;
	struct edi_diag *diag;
	/* nodes taken from the arena ahead; zero at first */
	struct rec_value *spare, *spare_end;
};

/* The fields of a plan over the whole set, appended to obj. */
void map_exec_fields(struct map_exec_ctx *x, const struct map_exec_plan *plan,
		     struct rec_value *obj);

/*
 * map_exec_value() without the node: the transforms of f (and its
 * default and constant) applied to *value in place; *found says whether
 * there is a value before and after, *number whether it is a JSON number.
 * On error *value and *found are left alone.
 */
enum edi_code map_exec_xforms(const struct map_field *f, struct strview *value,
			      bool *found, bool *number, struct arena *a,
			      struct edi_error *err);

#endif
