/*
 * map_compile - the top level, flat settings, tables and rules of a map;
 * see map_compile.h.
 */
#include "map_compile.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "map_defs.h"
#include "map_fields.h"
#include "map_outbound.h"
#include "map_path.h"
#include "map_tree.h"

static const char *const top_keys[] = {
	"map",	       "extends",  "document", "format",   "versions",
	"description", "segments", "guide",    "rules",	   "tables",
	"record",      "csv",	   "fixed",    "group_by", "guide_overrides",
	"outbound",    NULL};

static const char *const formats[] = {"x12", "csv", "fixed", NULL};

bool map_id_valid(const char *id)
{
	return map_name_valid(id);
}

/* The optional scalar at key, or NULL (reported when not a scalar). */
static const char *opt_scalar(struct map_ctx *ctx, const struct ynode *map,
			      const char *key)
{
	const struct ynode *v = map_yget(map, key);

	return v ? map_ctx_scalar(ctx, v, key) : NULL;
}

/* --- flat files --- */

static bool one_char(struct map_ctx *ctx, const struct ynode *v,
		     const char *what, bool may_be_empty, char *out)
{
	if (!map_ctx_scalar(ctx, v, what))
		return false;
	if (v->len == 1 || (may_be_empty && !v->len)) {
		*out = v->value[0];
		return true;
	}
	map_ctx_error(ctx, v, "%s must be one character%s, not '%s'", what,
		      may_be_empty ? " (or \"\" for none)" : "", v->value);
	return false;
}

static void csv_settings(struct map_ctx *ctx, struct map *m,
			 const struct ynode *csv)
{
	static const char *const keys[] = {"delimiter", "quote", "header",
					   NULL};
	const struct ynode *v;

	m->csv_delimiter = ',';
	m->csv_quote = '"';
	m->csv_header = true;
	if (!csv || !map_ctx_want(ctx, csv, YNODE_MAP, "csv"))
		return;
	map_ctx_keys(ctx, csv, "csv", keys);
	if ((v = map_yget(csv, "delimiter")))
		one_char(ctx, v, "delimiter", false, &m->csv_delimiter);
	if ((v = map_yget(csv, "quote")))
		one_char(ctx, v, "quote", true, &m->csv_quote);
	if ((v = map_yget(csv, "header")) && map_ctx_scalar(ctx, v, "header")) {
		if (!strcmp(v->value, "true") || !strcmp(v->value, "false"))
			m->csv_header = !strcmp(v->value, "true");
		else
			map_ctx_error(ctx, v,
				      "header must be true or false, not '%s'",
				      v->value);
	}
	if (m->csv_delimiter == m->csv_quote)
		map_ctx_error(ctx, csv,
			      "the delimiter and the quote must differ");
}

static void fixed_columns(struct map_ctx *ctx, struct map *m,
			  const struct ynode *root, const struct ynode *fixed)
{
	static const char *const keys[] = {"columns", NULL};
	const struct ynode *cols;

	if (!fixed) {
		map_ctx_error(ctx, root,
			      "a fixed map needs 'fixed: {columns: {NAME: "
			      "START/LEN}}'");
		return;
	}
	if (!map_ctx_want(ctx, fixed, YNODE_MAP, "fixed"))
		return;
	map_ctx_keys(ctx, fixed, "fixed", keys);
	cols = map_yget(fixed, "columns");
	if (!cols || !map_ctx_want(ctx, cols, YNODE_MAP, "columns") ||
	    !cols->n) {
		if ((!cols && !map_misspelt(fixed, "columns")) ||
		    (cols && cols->kind == YNODE_MAP))
			map_ctx_error(ctx, cols ? cols : fixed,
				      "fixed needs 'columns' with NAME: "
				      "START/LEN");
		return;
	}
	m->columns = arena_array(ctx->arena, cols->n / 2, sizeof(*m->columns));
	for (size_t i = 0; i + 1 < cols->n; i += 2) {
		const struct ynode *v = cols->items[i + 1];
		struct map_column *c = &m->columns[m->ncolumns];
		const char *slash;

		c->name = cols->items[i]->value;
		if (!map_ctx_scalar(ctx, v, "a column"))
			continue;
		slash = strchr(v->value, '/');
		if (!slash ||
		    !map_sv_uint(sv_make(v->value, (size_t)(slash - v->value)),
				 1, MAP_MAX_ELEM_LEN, &c->start) ||
		    !map_sv_uint(sv_cstr(slash + 1), 1, MAP_MAX_ELEM_LEN,
				 &c->len)) {
			map_ctx_error(ctx, v,
				      "column %s: '%s' must be START/LEN with "
				      "START from 1, e.g. '1/10'",
				      c->name, v->value);
			continue;
		}
		for (size_t j = 0; j < m->ncolumns; j++) {
			const struct map_column *o = &m->columns[j];

			if (c->start < o->start + o->len &&
			    o->start < c->start + c->len)
				map_ctx_error(ctx, v,
					      "column %s (%u/%u) overlaps "
					      "column %s (%u/%u)",
					      c->name, c->start, c->len,
					      o->name, o->start, o->len);
		}
		m->ncolumns++;
	}
}

static void flat_settings(struct map_ctx *ctx, struct map *m,
			  const struct ynode *root)
{
	const struct ynode *csv = map_yget(root, "csv");
	const struct ynode *fixed = map_yget(root, "fixed");
	const struct ynode *group = map_yget(root, "group_by");
	static const char *const x12_only[] = {"segments", "guide", "versions",
					       NULL};
	struct map_path p;

	for (size_t i = 0; x12_only[i]; i++)
		if (map_yget(root, x12_only[i]))
			map_ctx_error(ctx, ynode_get_key(root, x12_only[i]),
				      "'%s' is for x12 maps, not %s maps",
				      x12_only[i],
				      m->format == MAP_FORMAT_CSV ? "csv"
								  : "fixed");
	if (m->format == MAP_FORMAT_CSV) {
		if (fixed)
			map_ctx_error(ctx, ynode_get_key(root, "fixed"),
				      "'fixed' is for format: fixed maps");
		csv_settings(ctx, m, csv);
	} else {
		if (csv)
			map_ctx_error(ctx, ynode_get_key(root, "csv"),
				      "'csv' is for format: csv maps");
		fixed_columns(ctx, m, root, fixed);
	}
	if (group && map_ctx_scalar(ctx, group, "group_by") &&
	    map_path_parse(ctx, m, group, sv_cstr(group->value), &p))
		m->group_by = group->value;
}

/* --- tables --- */

static int entry_cmp(const void *a, const void *b)
{
	return strcmp((*(struct ynode *const *)a)->value,
		      (*(struct ynode *const *)b)->value);
}

static void table(struct map_ctx *ctx, const struct ynode *key,
		  const struct ynode *v, struct map_table *t)
{
	struct ynode **pairs;
	size_t n = 0;

	t->name = key->value;
	t->mark = map_mark_of(key);
	if (!map_name_valid(key->value))
		map_ctx_error(ctx, key,
			      "table name '%s' must be letters, digits, '.', "
			      "'_' or '-'",
			      key->value);
	if (!map_ctx_want(ctx, v, YNODE_MAP, "a table"))
		return;
	/* sort the key nodes, each followed by its value in v */
	pairs = arena_array(ctx->arena, v->n / 2 + 1, sizeof(*pairs));
	for (size_t i = 0; i + 1 < v->n; i += 2) {
		const struct ynode *k = v->items[i], *val = v->items[i + 1];

		if (ynode_is_null(val))
			continue;
		if (!map_ctx_scalar(ctx, val, "a table value"))
			continue;
		if (!strcmp(k->value, "*")) {
			if (strcmp(val->value, "keep"))
				map_ctx_error(ctx, val,
					      "table %s: '*' can only be "
					      "'keep', not '%s'",
					      t->name, val->value);
			t->keep_unknown = true;
			continue;
		}
		pairs[n++] = v->items[i];
	}
	if (!n && !t->keep_unknown)
		map_ctx_error(ctx, v, "table %s is empty", t->name);
	if (n)
		qsort(pairs, n, sizeof(*pairs), entry_cmp);
	t->n = n;
	t->keys = arena_array(ctx->arena, n + 1, sizeof(*t->keys));
	t->values = arena_array(ctx->arena, n + 1, sizeof(*t->values));
	for (size_t i = 0; i < n; i++) {
		t->keys[i] = pairs[i]->value;
		t->values[i] = ynode_get(v, pairs[i]->value)->value;
	}
}

static int table_cmp(const void *a, const void *b)
{
	return strcmp(((const struct map_table *)a)->name,
		      ((const struct map_table *)b)->name);
}

static void tables(struct map_ctx *ctx, struct map *m, const struct ynode *v)
{
	if (!map_ctx_want(ctx, v, YNODE_MAP, "tables"))
		return;
	m->tables = arena_array(ctx->arena, v->n / 2 + 1, sizeof(*m->tables));
	for (size_t i = 0; i + 1 < v->n; i += 2)
		if (!ynode_is_null(v->items[i + 1]))
			table(ctx, v->items[i], v->items[i + 1],
			      &m->tables[m->ntables++]);
	if (m->ntables)
		qsort(m->tables, m->ntables, sizeof(*m->tables), table_cmp);
}

/* --- rules --- */

static bool rule_tag(struct map_ctx *ctx, const struct map *m,
		     const struct ynode *v, const char *what, char tag[4])
{
	if (!map_ctx_scalar(ctx, v, what))
		return false;
	if (!map_tag_valid(sv_cstr(v->value))) {
		map_ctx_error(ctx, v, "%s: '%s' must be a segment tag", what,
			      v->value);
		return false;
	}
	sv_to_cbuf(sv_cstr(v->value), tag, 4);
	if (m->guide.nchildren && !map_tree_has_tag(&m->guide, tag)) {
		map_ctx_error(ctx, v, "%s: segment %s is not in the guide",
			      what, tag);
		return false;
	}
	return true;
}

static bool decimal_valid(const char *s)
{
	size_t digits = 0;

	for (; isdigit((unsigned char)*s); s++)
		digits++;
	if (*s == '.')
		for (s++; isdigit((unsigned char)*s); s++)
			digits++;
	return digits && !*s;
}

/* lines: CTT01 counts PO1 */
static void rule_lines(struct map_ctx *ctx, const struct map *m,
		       const struct ynode *v, struct map_rule *r)
{
	const char *s = v->value, *c = strstr(s, " counts ");
	struct strview tag;

	r->kind = MAP_RULE_LINES;
	r->name = "lines";
	tag = c ? sv_trim(sv_cstr(c + 8)) : sv_make("", 0);
	if (!c || !map_tag_valid(tag)) {
		map_ctx_error(ctx, v,
			      "lines: '%s' must be 'PATH counts TAG', e.g. "
			      "'CTT01 counts PO1'",
			      s);
		return;
	}
	sv_to_cbuf(tag, r->lines_tag, sizeof(r->lines_tag));
	if (map_path_parse(ctx, m, v, sv_make(s, (size_t)(c - s)), &r->path) &&
	    m->guide.nchildren && !map_tree_has_tag(&m->guide, r->lines_tag))
		map_ctx_error(ctx, v, "lines: segment %s is not in the guide",
			      r->lines_tag);
}

static void rule_total(struct map_ctx *ctx, const struct map *m,
		       const struct ynode *v, struct map_rule *r)
{
	const struct ynode *lines = map_yget(v, "lines");
	const struct ynode *allow = map_yget(v, "allowances");
	const struct ynode *tol = map_yget(v, "tolerance");
	const struct ynode *total = map_yget(v, "total");

	r->kind = MAP_RULE_TOTAL;
	r->name = "total";
	r->tolerance = "0";
	if (total && map_ctx_scalar(ctx, total, "total"))
		map_path_parse(ctx, m, total, sv_cstr(total->value), &r->path);
	else if (!total && !map_misspelt(v, "total"))
		map_ctx_error(ctx, v, "a total rule needs 'total: PATH'");
	if (!lines && !map_misspelt(v, "lines"))
		map_ctx_error(ctx, v,
			      "a total rule needs 'lines:' naming the line "
			      "segment, e.g. IT1");
	else if (lines)
		rule_tag(ctx, m, lines, "lines", r->lines_tag);
	if (allow)
		rule_tag(ctx, m, allow, "allowances", r->allowances_tag);
	if (tol && map_ctx_scalar(ctx, tol, "tolerance")) {
		if (decimal_valid(tol->value))
			r->tolerance = tol->value;
		else
			map_ctx_error(ctx, tol,
				      "tolerance '%s' must be a decimal like "
				      "0.01",
				      tol->value);
	}
}

static void rule_digit(struct map_ctx *ctx, const struct map *m,
		       const struct ynode *v, struct map_rule *r)
{
	static const char *const kinds[] = {"gtin", "sscc", NULL};
	const struct ynode *kind = map_yget(v, "check-digit");
	const struct ynode *quals = map_yget(v, "qualifiers");
	const struct ynode *path = map_yget(v, "path");
	const char *hint;

	r->kind = MAP_RULE_CHECK_DIGIT;
	if (!kind || !map_ctx_scalar(ctx, kind, "check-digit"))
		return;
	if (!strcmp(kind->value, "gtin") || !strcmp(kind->value, "sscc")) {
		r->digit =
			kind->value[0] == 'g' ? MAP_DIGIT_GTIN : MAP_DIGIT_SSCC;
		r->name = kind->value[0] == 'g' ? "gtin" : "sscc";
	} else {
		hint = map_suggest(kind->value, kinds);
		map_ctx_error(ctx, kind,
			      "check-digit '%s' must be gtin or sscc%s%s%s",
			      kind->value, hint ? "; did you mean '" : "",
			      hint ? hint : "", hint ? "'?" : "");
		return;
	}
	if (path && map_ctx_scalar(ctx, path, "path"))
		map_path_parse(ctx, m, path, sv_cstr(path->value), &r->path);
	if (r->digit == MAP_DIGIT_SSCC && !path && !map_misspelt(v, "path"))
		map_ctx_error(ctx, v,
			      "an sscc check needs 'path:', e.g. 'MAN02 where "
			      "MAN01 = GM'");
	if (r->digit == MAP_DIGIT_SSCC && quals)
		map_ctx_error(ctx, ynode_get_key(v, "qualifiers"),
			      "qualifiers are for gtin checks; sscc takes "
			      "'path:'");
	if (r->digit == MAP_DIGIT_GTIN && !quals && !path)
		map_ctx_error(ctx, v,
			      "a gtin check needs 'qualifiers:' (item id "
			      "pairs) or 'path:'");
	if (!quals || r->digit != MAP_DIGIT_GTIN ||
	    !map_ctx_want(ctx, quals, YNODE_SEQ, "qualifiers"))
		return;
	r->nqualifiers = quals->n;
	r->qualifiers =
		arena_array(ctx->arena, quals->n + 1, sizeof(*r->qualifiers));
	for (size_t i = 0; i < quals->n; i++)
		r->qualifiers[i] =
			map_ctx_scalar(ctx, quals->items[i], "a qualifier");
	if (!quals->n)
		map_ctx_error(ctx, quals, "qualifiers is empty");
}

/* The kind of a rule: by its key, else by a misspelling of one. */
static enum map_rule_kind rule_kind(const struct ynode *v, bool *known)
{
	static const struct {
		const char *key;
		enum map_rule_kind kind;
	} kinds[] = {{"total", MAP_RULE_TOTAL},
		     {"lines", MAP_RULE_LINES},
		     {"check-digit", MAP_RULE_CHECK_DIGIT},
		     {"require", MAP_RULE_REQUIRE}};
	size_t n = sizeof(kinds) / sizeof(kinds[0]);

	/* total first, even misspelt: a total rule has a lines key too */
	*known = true;
	if (ynode_get_key(v, "total") || map_misspelt(v, "total"))
		return MAP_RULE_TOTAL;
	for (size_t i = 0; i < n; i++)
		if (ynode_get_key(v, kinds[i].key))
			return kinds[i].kind;
	for (size_t i = 0; i < n; i++)
		if (map_misspelt(v, kinds[i].key))
			return kinds[i].kind;
	*known = false;
	return MAP_RULE_REQUIRE;
}

static void rule(struct map_ctx *ctx, const struct map *m,
		 const struct ynode *v, struct map_rule *r)
{
	static const char *const kinds[] = {"lines", "total", "check-digit",
					    "require", NULL};
	static const char *const lines_keys[] = {"lines", NULL};
	static const char *const total_keys[] = {"total", "lines", "allowances",
						 "tolerance", NULL};
	static const char *const digit_keys[] = {"check-digit", "qualifiers",
						 "path", NULL};
	static const char *const require_keys[] = {"require", "message", NULL};
	const struct ynode *x;
	bool known;

	r->mark = map_mark_of(v);
	if (!map_ctx_want(ctx, v, YNODE_MAP, "a rule"))
		return;
	r->kind = rule_kind(v, &known);
	if (!known) {
		map_ctx_keys(ctx, v, "rule", kinds);
		map_ctx_error(ctx, v,
			      "a rule needs one of 'lines', 'total', "
			      "'check-digit' or 'require'");
		return;
	}
	switch (r->kind) {
	case MAP_RULE_TOTAL:
		map_ctx_keys(ctx, v, "total rule", total_keys);
		rule_total(ctx, m, v, r);
		return;
	case MAP_RULE_LINES:
		map_ctx_keys(ctx, v, "lines rule", lines_keys);
		r->name = "lines";
		if ((x = map_yget(v, "lines")) &&
		    map_ctx_scalar(ctx, x, "lines"))
			rule_lines(ctx, m, x, r);
		return;
	case MAP_RULE_CHECK_DIGIT:
		map_ctx_keys(ctx, v, "check-digit rule", digit_keys);
		rule_digit(ctx, m, v, r);
		return;
	case MAP_RULE_REQUIRE:
		break;
	}
	map_ctx_keys(ctx, v, "require rule", require_keys);
	r->name = "require";
	x = map_yget(v, "require");
	if (!x && !map_misspelt(v, "require"))
		map_ctx_error(ctx, v, "a require rule needs 'require: PATH'");
	if (x && map_ctx_scalar(ctx, x, "require") &&
	    map_path_parse(ctx, m, x, sv_cstr(x->value), &r->path))
		r->message =
			arena_printf(ctx->arena, "%s is required", x->value);
	if ((x = map_yget(v, "message")) && map_ctx_scalar(ctx, x, "message"))
		r->message = x->value;
}

static void rules(struct map_ctx *ctx, struct map *m, const struct ynode *v)
{
	if (!map_ctx_want(ctx, v, YNODE_SEQ, "rules"))
		return;
	m->nrules = v->n;
	m->rules = arena_array(ctx->arena, v->n + 1, sizeof(*m->rules));
	for (size_t i = 0; i < v->n; i++)
		rule(ctx, m, v->items[i], &m->rules[i]);
}

/* --- the top level --- */

static void versions(struct map_ctx *ctx, struct map *m, const struct ynode *v)
{
	if (!v) {
		m->nversions = 1;
		m->versions = arena_array(ctx->arena, 1, sizeof(*m->versions));
		m->versions[0] = "*";
		return;
	}
	if (!map_ctx_want(ctx, v, YNODE_SEQ, "versions"))
		return;
	if (!v->n)
		map_ctx_error(ctx, v, "versions is empty; \"*\" serves any");
	m->versions = arena_array(ctx->arena, v->n + 1, sizeof(*m->versions));
	for (size_t i = 0; i < v->n; i++) {
		const char *s = map_ctx_scalar(ctx, v->items[i], "a version");
		size_t len = s ? strlen(s) : 0, j;

		if (!s)
			continue;
		for (j = 0; j < len && isalnum((unsigned char)s[j]); j++)
			;
		if (strcmp(s, "*") &&
		    (!len || j != len || len > MAP_MAX_VERSION_LEN)) {
			map_ctx_error(ctx, v->items[i],
				      "version '%s' must be a GS08 prefix like "
				      "\"004010\" (quoted) or \"*\"",
				      s);
			continue;
		}
		m->versions[m->nversions++] = s;
	}
}

static void format_and_document(struct map_ctx *ctx, struct map *m,
				const struct ynode *root)
{
	const struct ynode *f = map_yget(root, "format");
	const struct ynode *doc = map_yget(root, "document");
	const char *hint;

	m->format = MAP_FORMAT_X12;
	if (f && map_ctx_scalar(ctx, f, "format")) {
		if (!strcmp(f->value, "csv")) {
			m->format = MAP_FORMAT_CSV;
		} else if (!strcmp(f->value, "fixed")) {
			m->format = MAP_FORMAT_FIXED;
		} else if (strcmp(f->value, "x12")) {
			hint = map_suggest(f->value, formats);
			map_ctx_error(ctx, f,
				      "format '%s' must be x12, csv or "
				      "fixed%s%s%s",
				      f->value, hint ? "; did you mean '" : "",
				      hint ? hint : "", hint ? "'?" : "");
		}
	}
	if (!doc) {
		if (!map_misspelt(root, "document"))
			map_ctx_error(ctx, root, "map %s needs 'document'",
				      m->id);
		return;
	}
	m->document = map_ctx_scalar(ctx, doc, "document");
	if (!m->document)
		return;
	if (m->format == MAP_FORMAT_X12
		    ? doc->len != 3 ||
			      !isalnum((unsigned char)m->document[0]) ||
			      !isalnum((unsigned char)m->document[1]) ||
			      !isalnum((unsigned char)m->document[2])
		    : !map_name_valid(m->document))
		map_ctx_error(ctx, doc,
			      m->format == MAP_FORMAT_X12
				      ? "document '%s' must be the ST01 code, "
					"like \"850\""
				      : "document '%s' must be a name of "
					"letters, digits, '.', '_' or '-'",
			      m->document);
}

bool map_compile(struct map_ctx *ctx, const struct ynode *root, struct map *m)
{
	size_t before = ctx->nerrors;
	const struct ynode *v;

	map_ctx_keys(ctx, root, "map", top_keys);
	m->file = root->file;
	m->id = opt_scalar(ctx, root, "map");
	m->extends = opt_scalar(ctx, root, "extends");
	m->description = opt_scalar(ctx, root, "description");
	format_and_document(ctx, m, root);
	if (m->format == MAP_FORMAT_X12) {
		for (size_t i = 0; i < 3; i++) {
			static const char *const flat_only[] = {"csv", "fixed",
								"group_by"};

			if (map_yget(root, flat_only[i]))
				map_ctx_error(ctx,
					      ynode_get_key(root, flat_only[i]),
					      "'%s' is for csv and fixed maps",
					      flat_only[i]);
		}
		versions(ctx, m, map_yget(root, "versions"));
		if ((v = map_yget(root, "segments")))
			map_defs_segments(ctx, m, v);
		if ((v = map_yget(root, "guide")))
			map_tree_guide(ctx, m, v);
		else if (!map_misspelt(root, "guide"))
			map_ctx_error(ctx, root, "map %s needs a 'guide'",
				      m->id);
	} else {
		flat_settings(ctx, m, root);
	}
	if ((v = map_yget(root, "tables")))
		tables(ctx, m, v);
	if ((v = map_yget(root, "record")))
		map_fields_record(ctx, m, v);
	else
		m->record.kind = MAP_FIELD_OBJECT;
	if ((v = map_yget(root, "rules")))
		rules(ctx, m, v);
	if ((v = map_yget(root, "outbound")))
		map_outbound_compile(ctx, m, v);
	return ctx->nerrors == before;
}
