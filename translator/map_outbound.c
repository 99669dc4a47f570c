/*
 * map_outbound - the `outbound:` section of a map; see map_outbound.h.
 */
#include "map_outbound.h"

#include <string.h>

#include "map_path.h"

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
		const char *value;

		if (ynode_is_null(v))
			continue; /* removed by a partner map */
		value = map_ctx_scalar(ctx, v, "an outbound default");
		if (!value ||
		    !map_path_parse(ctx, m, k, sv_make(k->value, k->len),
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
		o->value = value;
		n++;
	}
	m->nout_defaults = n;
}
