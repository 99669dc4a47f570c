/*
 * map_fields - the record section of a map; see map_fields.h.
 */
#include "map_fields.h"

#include <string.h>

#include "map_exec_plan.h"
#include "map_path.h"
#include "map_pipe.h"

const char *const map_doc_types[] = {"order",		"order_response",
				     "despatch_advice", "invoice",
				     "functional_ack",	NULL};

static void field(struct map_ctx *ctx, const struct map *m, const char *name,
		  const struct ynode *v, struct map_field *f);

static void keep_xforms(struct map_ctx *ctx, struct map_field *f,
			const struct map_xform *xf, size_t n)
{
	f->nxforms = n;
	if (!n)
		return;
	f->xforms = arena_array(ctx->arena, n, sizeof(*f->xforms));
	memcpy(f->xforms, xf, n * sizeof(*xf));
}

static void path_field(struct map_ctx *ctx, const struct map *m,
		       const struct ynode *v, struct map_field *f)
{
	struct map_xform xf[MAP_MAX_XFORMS];
	size_t n = 0;

	f->kind = MAP_FIELD_PATH;
	if (!v->len) {
		map_ctx_error(ctx, v, "an empty path");
		return;
	}
	if (map_pipe_parse(ctx, m, v, &f->path, xf, &n))
		keep_xforms(ctx, f, xf, n);
}

/* {value: PATH, default: X, transform: [...]} */
static void value_field(struct map_ctx *ctx, const struct map *m,
			const struct ynode *v, struct map_field *f)
{
	static const char *const keys[] = {"value", "default", "transform",
					   NULL};
	const struct ynode *val = map_yget(v, "value");
	const struct ynode *def = map_yget(v, "default");
	const struct ynode *tr = map_yget(v, "transform");
	struct map_xform xf[MAP_MAX_XFORMS];
	size_t n = 0;

	f->kind = MAP_FIELD_PATH;
	map_ctx_keys(ctx, v, "field", keys);
	if (!val || !map_ctx_scalar(ctx, val, "value") || !val->len) {
		map_ctx_error(ctx, val ? val : v, "'value' needs a path");
		return;
	}
	if (!map_pipe_parse(ctx, m, val, &f->path, xf, &n))
		return;
	if (tr && tr->kind == YNODE_SCALAR &&
	    !map_pipe_xforms(ctx, m, tr, sv_cstr(tr->value), xf, &n))
		return;
	if (tr && tr->kind == YNODE_SEQ) {
		for (size_t i = 0; i < tr->n; i++)
			if (!map_ctx_scalar(ctx, tr->items[i], "a transform") ||
			    !map_pipe_xforms(ctx, m, tr->items[i],
					     sv_cstr(tr->items[i]->value), xf,
					     &n))
				return;
	} else if (tr && tr->kind == YNODE_MAP) {
		map_ctx_want(ctx, tr, YNODE_SEQ, "transform");
		return;
	}
	if (def && map_ctx_scalar(ctx, def, "default")) {
		if (n == MAP_MAX_XFORMS) {
			map_ctx_error(ctx, v, "more than %d transforms",
				      MAP_MAX_XFORMS);
			return;
		}
		memset(&xf[n], 0, sizeof(xf[n]));
		xf[n].kind = MAP_XF_DEFAULT;
		xf[n].arg = def->value;
		xf[n].mark = map_mark_of(def);
		n++;
	}
	keep_xforms(ctx, f, xf, n);
}

/* {pairs: PO106, to: 125} */
static void pairs_field(struct map_ctx *ctx, const struct map *m,
			const struct ynode *v, struct map_field *f)
{
	static const char *const keys[] = {"pairs", "to", NULL};
	const struct ynode *from = map_yget(v, "pairs");
	const struct ynode *to = map_yget(v, "to");
	struct map_path p;
	unsigned dfrom, dto;
	size_t tl;

	f->kind = MAP_FIELD_PAIRS;
	map_ctx_keys(ctx, v, "pairs field", keys);
	if (m->format != MAP_FORMAT_X12) {
		map_ctx_error(ctx, v, "pairs are for x12 maps");
		return;
	}
	if (!from || !map_ctx_scalar(ctx, from, "pairs"))
		return;
	if (!map_path_parse(ctx, m, from, sv_cstr(from->value), &p))
		return;
	if (!p.element || p.component || p.repetition || p.nwhere) {
		map_ctx_error(ctx, from,
			      "pairs: '%s' must name the first qualifier, "
			      "like PO106",
			      from->value);
		return;
	}
	memcpy(f->pairs_tag, p.tag, sizeof(f->pairs_tag));
	f->pairs_from = p.element;
	if (!to) {
		if (!map_path_pair_range(p.tag, &dfrom, &dto)) {
			map_ctx_error(ctx, v,
				      "pairs of %s need 'to:' with the last "
				      "value element",
				      p.tag);
			return;
		}
		f->pairs_to = dto;
	} else if (map_ctx_scalar(ctx, to, "to")) {
		/* "PO125", "125" (PO1 + 25) or "25" */
		const char *s = to->value;
		size_t len = to->len;

		tl = strlen(p.tag);
		if ((len == tl + 2 && !strncmp(s, p.tag, tl)) ||
		    (len > 2 && len - 2 <= tl &&
		     !strncmp(s, p.tag + tl - (len - 2), len - 2))) {
			s += len - 2;
			len = 2;
		}
		if (!map_sv_uint(sv_make(s, len), 1, 99, &f->pairs_to) ||
		    f->pairs_to <= f->pairs_from ||
		    (f->pairs_to - f->pairs_from) % 2 == 0) {
			map_ctx_error(ctx, to,
				      "to: '%s' must be the last value "
				      "element of the pairs from %s%02u, like "
				      "%s%02u",
				      to->value, p.tag, f->pairs_from, p.tag,
				      f->pairs_from + 1);
			return;
		}
	}
}

static void each_field(struct map_ctx *ctx, const struct map *m,
		       const struct ynode *v, struct map_field *f)
{
	static const char *const keys[] = {"each", "fields", "within", NULL};
	const struct ynode *scope = map_yget(v, "each");
	const struct ynode *fields = map_yget(v, "fields");
	const struct ynode *within = map_yget(v, "within");
	size_t n = 0;

	f->kind = MAP_FIELD_EACH;
	map_ctx_keys(ctx, v, "each field", keys);
	if (!scope)
		map_ctx_error(ctx, v,
			      "'each' needs a scope: loop ID, TAG, hl CODE or "
			      "row");
	else if (map_ctx_scalar(ctx, scope, "each"))
		map_path_scope(ctx, m, scope, &f->scope);
	if (within && map_ctx_scalar(ctx, within, "within")) {
		map_path_scope(ctx, m, within, &f->within);
		f->has_within = true;
		if (f->within.kind != MAP_SCOPE_HL &&
		    f->within.kind != MAP_SCOPE_LOOP)
			map_ctx_error(ctx, within,
				      "'within' takes a loop (loop ID) or an "
				      "HL level (hl CODE)");
	}
	if (!fields || !map_ctx_want(ctx, fields, YNODE_MAP, "fields")) {
		if (!fields && !map_misspelt(v, "fields"))
			map_ctx_error(ctx, v, "'each' needs 'fields'");
		return;
	}
	f->children = arena_array(ctx->arena, fields->n / 2 + 1,
				  sizeof(*f->children));
	for (size_t i = 0; i + 1 < fields->n; i += 2)
		if (!ynode_is_null(fields->items[i + 1]))
			field(ctx, m, fields->items[i]->value,
			      fields->items[i + 1], &f->children[n++]);
	f->nchildren = n;
	if (!n)
		map_ctx_error(ctx, fields, "'fields' is empty");
}

/* A key near a field-form keyword beside its companion: a typo. */
static bool form_typo(struct map_ctx *ctx, const struct ynode *v)
{
	static const char *const value_kw[] = {"value", "default", "transform",
					       NULL};
	static const char *const each_kw[] = {"each", "fields", "within", NULL};
	static const char *const pairs_kw[] = {"pairs", NULL};
	const char *const *kw = NULL;
	bool typo = false;

	if (ynode_get_key(v, "value") || ynode_get_key(v, "default") ||
	    ynode_get_key(v, "transform"))
		kw = value_kw;
	else if (ynode_get_key(v, "fields"))
		kw = each_kw;
	else if (ynode_get_key(v, "to"))
		kw = pairs_kw;
	for (size_t i = 0; kw && i + 1 < v->n; i += 2) {
		const char *k = v->items[i]->value, *hint = map_suggest(k, kw);

		if (!hint || !strcmp(hint, k))
			continue;
		map_ctx_error(ctx, v->items[i],
			      "unknown key '%s' in field; did you mean '%s'?",
			      k, hint);
		typo = true;
	}
	return typo;
}

static void object_field(struct map_ctx *ctx, const struct map *m,
			 const struct ynode *v, struct map_field *f)
{
	size_t n = 0;

	f->kind = MAP_FIELD_OBJECT;
	if (form_typo(ctx, v))
		return;
	f->children =
		arena_array(ctx->arena, v->n / 2 + 1, sizeof(*f->children));
	for (size_t i = 0; i + 1 < v->n; i += 2)
		if (!ynode_is_null(v->items[i + 1]))
			field(ctx, m, v->items[i]->value, v->items[i + 1],
			      &f->children[n++]);
	f->nchildren = n;
	if (!n)
		map_ctx_error(ctx, v, "an object with no fields");
}

static void field(struct map_ctx *ctx, const struct map *m, const char *name,
		  const struct ynode *v, struct map_field *f)
{
	static const char *const const_keys[] = {"const", NULL};
	const struct ynode *c;

	memset(f, 0, sizeof(*f));
	f->name = name;
	f->mark = map_mark_of(v);
	switch (v->kind) {
	case YNODE_SCALAR:
		path_field(ctx, m, v, f);
		return;
	case YNODE_SEQ:
		f->kind = MAP_FIELD_LIST;
		f->nchildren = v->n;
		f->children = arena_array(ctx->arena, v->n ? v->n : 1,
					  sizeof(*f->children));
		for (size_t i = 0; i < v->n; i++)
			field(ctx, m, NULL, v->items[i], &f->children[i]);
		if (!v->n)
			map_ctx_error(ctx, v, "an empty list");
		return;
	case YNODE_MAP:
		break;
	}
	if (ynode_get_key(v, "const")) {
		f->kind = MAP_FIELD_CONST;
		map_ctx_keys(ctx, v, "const field", const_keys);
		c = ynode_get(v, "const");
		if (ynode_is_null(c))
			map_ctx_error(ctx, v,
				      "'const' needs a value (\"\" for an "
				      "empty string)");
		else if (map_ctx_scalar(ctx, c, "const"))
			f->constant = c->value;
	} else if (ynode_get_key(v, "each")) {
		each_field(ctx, m, v, f);
	} else if (ynode_get_key(v, "pairs")) {
		pairs_field(ctx, m, v, f);
	} else if (ynode_get_key(v, "value") &&
		   (v->n == 2 || ynode_get_key(v, "default") ||
		    ynode_get_key(v, "transform"))) {
		value_field(ctx, m, v, f);
	} else {
		object_field(ctx, m, v, f);
	}
}

void map_fields_record(struct map_ctx *ctx, struct map *m,
		       const struct ynode *record)
{
	static const char *const keys[] = {"doc_type", "doc_key", "fields",
					   NULL};
	const struct ynode *dt, *key, *fields;
	const char *hint;

	m->record.kind = MAP_FIELD_OBJECT;
	m->record.mark = map_mark_of(record);
	if (!map_ctx_want(ctx, record, YNODE_MAP, "record"))
		return;
	map_ctx_keys(ctx, record, "record", keys);
	dt = map_yget(record, "doc_type");
	key = map_yget(record, "doc_key");
	fields = map_yget(record, "fields");
	if (!dt) {
		if (!map_misspelt(record, "doc_type"))
			map_ctx_error(ctx, record, "record needs 'doc_type'");
	} else if (map_ctx_scalar(ctx, dt, "doc_type")) {
		for (size_t i = 0; map_doc_types[i]; i++)
			if (!strcmp(dt->value, map_doc_types[i]))
				m->doc_type = map_doc_types[i];
		hint = map_suggest(dt->value, map_doc_types);
		if (!m->doc_type)
			map_ctx_error(ctx, dt,
				      "doc_type '%s' is not one of order, "
				      "order_response, despatch_advice, "
				      "invoice%s%s%s",
				      dt->value, hint ? "; did you mean '" : "",
				      hint ? hint : "", hint ? "'?" : "");
	}
	if (key && map_ctx_scalar(ctx, key, "doc_key"))
		map_path_parse(ctx, m, key, sv_cstr(key->value), &m->doc_key);
	if (!fields) {
		if (!map_misspelt(record, "fields"))
			map_ctx_error(ctx, record, "record needs 'fields'");
		return;
	}
	if (!map_ctx_want(ctx, fields, YNODE_MAP, "fields"))
		return;
	object_field(ctx, m, fields, &m->record);
	m->record.mark = map_mark_of(fields);
	m->exec_plan = map_exec_plan_new(m, ctx->arena);
}
