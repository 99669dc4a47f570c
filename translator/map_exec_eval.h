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
#include "rec_json.h"
#include "rec_value.h"
#include "x12_set.h"

struct map_exec_ctx {
	const struct map *map;
	const struct x12_set *set;
	struct arena *arena;
	struct edi_diag *diag;
	/* the tag key of each segment (map_exec_keys()), for the scans */
	const uint32_t *keys;
	/* nodes taken from the arena ahead: map_exec_refill() first */
	struct rec_value *spare, *spare_end;
};

#define NO_TEXT ((struct strview){"", 0})

/*
 * Record nodes, for the inner loops: they come from the arena a batch at a
 * time, so that most cost a pointer bump; what is left over dies with the
 * arena.  map_exec_node() makes a node of kind with text (NO_TEXT for an
 * object or array); map_exec_add() is rec_add(parent, key, that node), with
 * key_json the rendering of key (rec_json.h) or NULL.
 */
#define MAP_EXEC_BATCH 32 /* nodes */

void map_exec_refill(struct map_exec_ctx *x);

/* n nodes in a row (n <= MAP_EXEC_BATCH), not initialised */
static inline struct rec_value *map_exec_nodes(struct map_exec_ctx *x, size_t n)
{
	struct rec_value *v;

	if ((size_t)(x->spare_end - x->spare) < n)
		map_exec_refill(x);
	v = x->spare;
	x->spare += n;
	return v;
}

static inline struct rec_value *map_exec_node(struct map_exec_ctx *x,
					      enum rec_kind kind,
					      struct strview text)
{
	struct rec_value *v = map_exec_nodes(x, 1);

	*v = (struct rec_value){.kind = kind, .text = text};
	return v;
}

static inline struct rec_value *map_exec_add(
	struct map_exec_ctx *x, struct rec_value *parent, const char *key,
	const struct rec_json_name *key_json, enum rec_kind kind,
	struct strview text)
{
	struct rec_value *v = map_exec_node(x, kind, text);

	v->key = key;
	v->key_json = key_json;
	if (parent->last)
		parent->last->next = v;
	else
		parent->first = v;
	parent->last = v;
	parent->nchildren++;
	return v;
}

/* A member name of the engine's own, with its rendering. */
struct map_exec_name {
	const char *key;
	struct rec_json_name json;
};

#define MAP_EXEC_NAME(lit)                             \
	{                                              \
		.key = lit, .json = REC_JSON_NAME(lit) \
	}

static inline struct rec_value *map_exec_add_named(
	struct map_exec_ctx *x, struct rec_value *parent,
	const struct map_exec_name *name, enum rec_kind kind,
	struct strview text)
{
	return map_exec_add(x, parent, name->key, &name->json, kind, text);
}

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
