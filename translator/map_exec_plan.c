/*
 * map_exec_plan - compiling the record section; see map_exec_plan.h.
 *
 * A path is plain when the first segment with its tag holds the value
 * outright: no where clause and no pair (which pass over segments and
 * elements), an element named (not 0), and at most the first repetition
 * and component.  A plain path keeps its map_field too: map_exec still
 * picks a part from an element that holds separators, and words errors
 * from it.
 */
#include "map_exec_plan.h"

#include <string.h>

#include "rec_json.h"
#include "x12_scan.h"

static bool plain(const struct map_path *p)
{
	return !p->where_element && !p->pair_qualifier && p->element &&
	       p->component <= 1 && p->repetition <= 1;
}

static enum map_exec_op path_op(const struct map_field *f, bool fast)
{
	const struct map_xform *xf = f->xforms;

	if (!fast || !plain(&f->path) || f->constant)
		return EXEC_PATH;
	if (!f->nxforms)
		return EXEC_VALUE;
	if (f->nxforms == 1 && xf->kind == MAP_XF_DECIMAL)
		return EXEC_DECIMAL;
	if (f->nxforms == 1 && xf->kind == MAP_XF_DATE && !xf->arg)
		return EXEC_DATE;
	return EXEC_PATH;
}

static const struct map_exec_step *steps(const struct map_field *f, size_t n,
					 bool named, bool fast,
					 struct arena *a);

static void step(const struct map_field *f, bool named, bool fast,
		 struct arena *a, struct map_exec_step *s)
{
	memset(s, 0, sizeof(*s));
	s->field = f;
	s->name = named ? f->name : NULL;
	/* rendered once here rather than looked up for every record */
	s->name_json = s->name ? rec_json_name_new(a, s->name) : NULL;
	switch (f->kind) {
	case MAP_FIELD_PATH:
		s->op = path_op(f, fast);
		s->key = f->path.key ? f->path.key : x12_tag_key(f->path.tag);
		s->element = f->path.element;
		break;
	case MAP_FIELD_CONST:
		s->op = EXEC_CONST;
		s->text = sv_cstr(f->constant ? f->constant : "");
		break;
	case MAP_FIELD_OBJECT:
		s->op = EXEC_OBJECT;
		s->children = steps(f->children, f->nchildren, true, fast, a);
		s->nchildren = f->nchildren;
		break;
	case MAP_FIELD_LIST:
		s->op = EXEC_LIST;
		s->children = steps(f->children, f->nchildren, false, fast, a);
		s->nchildren = f->nchildren;
		break;
	case MAP_FIELD_EACH:
		s->op = EXEC_EACH;
		s->children = steps(f->children, f->nchildren, true, fast, a);
		s->nchildren = f->nchildren;
		break;
	case MAP_FIELD_PAIRS:
		s->op = EXEC_PAIRS;
		s->key = x12_tag_key(f->pairs_tag);
		s->taglen = (unsigned)strlen(f->pairs_tag);
		break;
	}
}

static const struct map_exec_step *steps(const struct map_field *f, size_t n,
					 bool named, bool fast, struct arena *a)
{
	struct map_exec_step *s = arena_array(a, n ? n : 1, sizeof(*s));

	for (size_t i = 0; i < n; i++)
		step(&f[i], named, fast, a, &s[i]);
	return s;
}

/* The deepest container steps st[0..n) can make inside a container at
 * depth: `each` and pairs are an array of objects. */
static size_t depth_of(const struct map_exec_step *st, size_t n, size_t depth)
{
	size_t most = depth, d = depth;

	for (size_t i = 0; i < n; i++) {
		switch (st[i].op) {
		case EXEC_OBJECT:
		case EXEC_LIST:
			d = depth_of(st[i].children, st[i].nchildren,
				     depth + 1);
			break;
		case EXEC_EACH:
			d = depth_of(st[i].children, st[i].nchildren,
				     depth + 2);
			break;
		case EXEC_PAIRS:
			d = depth + 2;
			break;
		case EXEC_VALUE:
		case EXEC_DECIMAL:
		case EXEC_DATE:
		case EXEC_PATH:
		case EXEC_CONST:
			d = depth;
			break;
		}
		if (d > most)
			most = d;
	}
	return most;
}

static const struct map_exec_plan *plan(const struct map *m, bool fast,
					struct arena *a)
{
	struct map_exec_plan *p = arena_alloc(a, sizeof(*p));

	p->steps =
		steps(m->record.children, m->record.nchildren, true, fast, a);
	p->nsteps = m->record.nchildren;
	p->depth = depth_of(p->steps, p->nsteps, 0);
	return p;
}

const struct map_exec_plan *map_exec_plan_new(const struct map *m,
					      struct arena *a)
{
	return plan(m, true, a);
}

const struct map_exec_plan *map_exec_plan_general(const struct map *m,
						  struct arena *a)
{
	return plan(m, false, a);
}
