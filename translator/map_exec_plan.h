/*
 * map_exec_plan - the record section of a map, compiled for map_exec.
 *
 * A plan is the tree of a map's fields in a compact form that says ahead
 * what each field needs, so that map_exec does not look again for every
 * set: a plain path ("N102", "PO104 | decimal") becomes its tag key and
 * element; anything else (a where clause, a pair, a component, other
 * transforms) keeps pointing to its map_field and goes the general way.
 * Member names are set for object members and NULL inside lists.
 *
 * map_fields_record() builds the plan of a map once, in the map set's
 * arena, and map_exec uses it; a map made some other way has none, and
 * map_exec builds one per set then.  Building cannot fail (the arena
 * aborts on out of memory).
 */
#ifndef EDI_MAP_EXEC_PLAN_H
#define EDI_MAP_EXEC_PLAN_H

#include <stdint.h>

#include "arena.h"
#include "map.h"

enum map_exec_op {
	EXEC_VALUE,   /* a plain path: the element, or its first part */
	EXEC_DECIMAL, /* a plain path through `decimal` */
	EXEC_DATE,    /* a plain path through `date` (CCYYMMDD or YYMMDD) */
	EXEC_PATH,    /* any other path field */
	EXEC_CONST,
	EXEC_OBJECT,
	EXEC_LIST,
	EXEC_EACH,
	EXEC_PAIRS
};

struct map_exec_step {
	enum map_exec_op op;
	uint32_t key;	  /* VALUE, DECIMAL, DATE, PAIRS: the tag key */
	unsigned element; /* VALUE, DECIMAL, DATE */
	unsigned taglen;  /* PAIRS: the tag's length */
	const char *name; /* the member name; NULL inside a list */
	const struct rec_json_name *name_json; /* its rendering, or NULL */
	struct strview text;		       /* CONST: the value */
	const struct map_field *field;	       /* what it was made from */
	const struct map_exec_step *children;  /* OBJECT, LIST, EACH */
	size_t nchildren;
};

struct map_exec_plan {
	const struct map_exec_step *steps; /* the record's fields */
	size_t nsteps;
	/* how deep its containers can nest, the record's object being 0
	 * (rec_json's depth): map_exec_json() leaves a deeper map to the
	 * tree, whose writer finds REC_JSON_MAX_DEPTH */
	size_t depth;
};

/* The plan of m's record section, in a. */
const struct map_exec_plan *map_exec_plan_new(const struct map *m,
					      struct arena *a);
/*
 * The same with every path as EXEC_PATH (found and transformed the
 * general way): what the fast steps must agree with, for tests.
 */
const struct map_exec_plan *map_exec_plan_general(const struct map *m,
						  struct arena *a);

#endif
