/*
 * map_outbound - the `outbound:` section of a map; see map_outbound.h.
 */
#include "map_outbound.h"

#include <string.h>

#include "map_path.h"

/* {value: V, when: ELEMENT}: the value node into *value, the element of
 * the same segment into o->when. */
static bool when_clause(struct map_ctx *ctx, const struct map *m,
			const struct ynode *v, struct map_out_default *o,
			const struct ynode **value)
{
	static const char *const keys[] = {"value", "when", NULL};
	const struct ynode *val = map_yget(v, "value");
	const struct ynode *w = map_yget(v, "when");
	struct map_path p;

	map_ctx_keys(ctx, v, "an outbound default", keys);
	if (!val || !w || !map_ctx_scalar(ctx, w, "when")) {
		map_ctx_error(ctx, v,
			      "an outbound default is a value, or {value: V, "
			      "when: ELEMENT}");
		return false;
	}
	if (!map_path_parse(ctx, m, w, sv_make(w->value, w->len), &p))
		return false;
	if (strcmp(p.tag, o->path.tag) || !p.element || p.component ||
	    p.where_element || p.pair_qualifier) {
		map_ctx_error(ctx, w,
			      "'when' names an element of the same segment, "
			      "like %s05",
			      o->path.tag);
		return false;
	}
	*value = val;
	o->when = p.element;
	return true;
}

void map_outbound_compile(struct map_ctx *ctx, struct map *m,
			  const struct ynode *node)
{
	static const char *const keys[] = {"defaults", NULL};
	const struct ynode *d;
	size_t n = 0;

	if (!map_ctx_want(ctx, node, YNODE_MAP, "outbound"))
		return;
	map_ctx_keys(ctx, node, "outbound", keys);
	d = map_yget(node, "defaults");
	if (!d || !map_ctx_want(ctx, d, YNODE_MAP, "outbound defaults"))
		return;
	m->out_defaults =
		arena_array(ctx->arena, d->n / 2 + 1, sizeof(*m->out_defaults));
	for (size_t i = 0; i + 1 < d->n; i += 2) {
		const struct ynode *k = d->items[i], *v = d->items[i + 1];
		struct map_out_default *o = &m->out_defaults[n];

		if (ynode_is_null(v))
			continue; /* removed by a partner map */
		memset(o, 0, sizeof(*o));
		if (!map_path_parse(ctx, m, k, sv_make(k->value, k->len),
				    &o->path))
			continue;
		if (o->path.where_element || o->path.pair_qualifier ||
		    !o->path.element) {
			map_ctx_error(ctx, k,
				      "an outbound default names one element "
				      "like CUR01, not '%s'",
				      k->value);
			continue;
		}
		if (v->kind == YNODE_MAP && !when_clause(ctx, m, v, o, &v))
			continue;
		o->value = map_ctx_scalar(ctx, v, "an outbound default");
		if (o->value)
			n++;
	}
	m->nout_defaults = n;
}
