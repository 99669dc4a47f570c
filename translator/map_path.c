/*
 * map_path - paths and scopes in map strings; see map_path.h.
 *
 * Strings are split into words (spaces; '=', '[' and ']' are words of
 * their own) and read by hand: the grammars are a handful of fixed shapes.
 */
#include "map_path.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "map_tree.h"
#include "x12_scan.h"

#define MAX_COLUMN 9999

static const struct {
	const char *tag;
	unsigned from, to;
} pair_ranges[] = {
	{"PO1", 6, 25}, {"IT1", 6, 25}, {"LIN", 2, 31},
	{"SLN", 9, 28}, {"ACK", 7, 28},
};

bool map_path_pair_range(const char *tag, unsigned *from, unsigned *to)
{
	for (size_t i = 0; i < sizeof(pair_ranges) / sizeof(pair_ranges[0]);
	     i++) {
		if (!strcmp(tag, pair_ranges[i].tag)) {
			*from = pair_ranges[i].from;
			*to = pair_ranges[i].to;
			return true;
		}
	}
	return false;
}

/* "REF04-2#1": tag, two-digit element, then -COMPONENT and #REPEAT. */
static bool parse_ref(struct strview w, char tag[4], unsigned *element,
		      unsigned *component, unsigned *repetition, bool suffixes)
{
	size_t k = 0;

	while (k < w.len && w.ptr[k] != '-' && w.ptr[k] != '#')
		k++;
	if (k < 4 || k > 5 || !map_tag_valid(sv_make(w.ptr, k - 2)) ||
	    !map_sv_uint(sv_make(w.ptr + k - 2, 2), 1, 99, element))
		return false;
	sv_to_cbuf(sv_make(w.ptr, k - 2), tag, 4);
	*component = *repetition = 0;
	while (k < w.len) {
		char c = w.ptr[k++];
		size_t start = k;
		unsigned *slot = c == '-' ? component : repetition;

		while (k < w.len && isdigit((unsigned char)w.ptr[k]))
			k++;
		if (!suffixes || *slot ||
		    !map_sv_uint(sv_make(w.ptr + start, k - start), 1, 99,
				 slot))
			return false;
	}
	return true;
}

const char *map_path_guide_hint(struct map_ctx *ctx, const struct map *m,
				const char *name, bool loops)
{
	const char **names;
	size_t n = map_tree_names(ctx->arena, &m->guide, loops, &names);

	return map_suggest_n(name, names, n);
}

/* The tag and element exist in the guide and the segment definition. */
static bool check_ref(struct map_ctx *ctx, const struct map *m,
		      const struct ynode *at, const char *text, const char *tag,
		      unsigned element, unsigned component, unsigned repetition)
{
	const struct map_segdef *d;
	const struct map_elem *e;

	if (m->guide.nchildren && !map_tree_has_tag(&m->guide, tag)) {
		const char *hint = map_path_guide_hint(ctx, m, tag, false);

		map_ctx_error(ctx, at,
			      "path '%s': segment %s is not in the guide%s%s%s",
			      text, tag, hint ? "; did you mean " : "",
			      hint ? hint : "", hint ? "?" : "");
		return false;
	}
	d = map_segdef_find(m, sv_cstr(tag));
	if (!d || !d->nelems || !element)
		return true; /* none, or broken and reported */
	if (element > d->nelems) {
		map_ctx_error(ctx, at, "path '%s': %s has %zu elements", text,
			      tag, d->nelems);
		return false;
	}
	e = &d->elems[element - 1];
	if (component && !e->ncomponents) {
		map_ctx_error(ctx, at, "path '%s': %s%02u is not a composite",
			      text, tag, element);
		return false;
	}
	if (component > e->ncomponents) {
		map_ctx_error(ctx, at, "path '%s': %s%02u has %zu components",
			      text, tag, element, e->ncomponents);
		return false;
	}
	if (repetition > e->max_repeat) {
		map_ctx_error(ctx, at,
			      "path '%s': %s%02u repeats at most %u time%s",
			      text, tag, element, e->max_repeat,
			      e->max_repeat == 1 ? "" : "s");
		return false;
	}
	return true;
}

static bool flat_path(struct map_ctx *ctx, const struct map *m,
		      const struct ynode *at, const char *text,
		      struct map_path *out)
{
	if (!*text || strpbrk(text, "()")) {
		map_ctx_error(ctx, at,
			      "column '%s' must be a column name or a 1-based "
			      "column number",
			      text);
		return false;
	}
	if (sv_is_digits(sv_cstr(text))) {
		if (!map_sv_uint(sv_cstr(text), 1, MAX_COLUMN,
				 &out->column_index) ||
		    (m->format == MAP_FORMAT_FIXED &&
		     out->column_index > m->ncolumns)) {
			map_ctx_error(ctx, at,
				      "column %s does not exist (columns "
				      "count from 1)",
				      text);
			return false;
		}
		return true;
	}
	out->column = arena_strdup(ctx->arena, text);
	if (m->format == MAP_FORMAT_CSV && !m->csv_header) {
		map_ctx_error(ctx, at,
			      "column '%s': this csv map has no header, so "
			      "columns go by number",
			      text);
		return false;
	}
	if (m->format == MAP_FORMAT_FIXED) {
		const char **names = arena_array(ctx->arena, m->ncolumns + 1,
						 sizeof(*names));
		const char *hint;

		for (size_t i = 0; i < m->ncolumns; i++) {
			if (!strcmp(m->columns[i].name, text))
				return true;
			names[i] = m->columns[i].name;
		}
		hint = map_suggest_n(text, names, m->ncolumns);
		map_ctx_error(ctx, at, "no column '%s' in fixed.columns%s%s%s",
			      text, hint ? "; did you mean '" : "",
			      hint ? hint : "", hint ? "'?" : "");
		return false;
	}
	return true;
}

/* A where value: a word, quotes around it dropped. */
static const char *where_value(struct map_ctx *ctx, struct strview w)
{
	if (w.len >= 2 && (w.ptr[0] == '"' || w.ptr[0] == '\'') &&
	    w.ptr[w.len - 1] == w.ptr[0])
		w = sv_make(w.ptr + 1, w.len - 2);
	return arena_svdup(ctx->arena, w);
}

/* "TAGnn = V" or "TAGnn in [V ...]" from w[0]; fills the where_ fields. */
static bool parse_where(struct map_ctx *ctx, const struct ynode *at,
			const char *text, struct strview *w, size_t n,
			char tag[4], struct map_path *out)
{
	unsigned comp, rep;
	size_t i;

	if (!n ||
	    !parse_ref(w[0], tag, &out->where_element, &comp, &rep, false)) {
		map_ctx_error(ctx, at,
			      "'%s': after 'where' comes an element like "
			      "REF01",
			      text);
		return false;
	}
	if (n == 3 && sv_eq_cstr(w[1], "=")) {
		out->nwhere = 1;
		out->where_values =
			arena_array(ctx->arena, 1, sizeof(*out->where_values));
		out->where_values[0] = where_value(ctx, w[2]);
		return true;
	}
	if (n >= 5 && sv_eq_cstr(w[1], "in") && sv_eq_cstr(w[2], "[") &&
	    sv_eq_cstr(w[n - 1], "]")) {
		out->nwhere = n - 4;
		out->where_values = arena_array(ctx->arena, out->nwhere,
						sizeof(*out->where_values));
		for (i = 0; i < out->nwhere; i++) {
			if (sv_eq_cstr(w[3 + i], "[") ||
			    sv_eq_cstr(w[3 + i], "]"))
				break;
			out->where_values[i] = where_value(ctx, w[3 + i]);
		}
		if (i == out->nwhere)
			return true;
	}
	map_ctx_error(ctx, at,
		      "'%s': a where clause is 'TAGnn = VALUE' or 'TAGnn in "
		      "[V1 V2]'",
		      text);
	return false;
}

bool map_path_parse(struct map_ctx *ctx, const struct map *m,
		    const struct ynode *at, struct strview sv,
		    struct map_path *out)
{
	char *text = arena_svdup(ctx->arena, sv_trim(sv)), wtag[4];
	struct strview *w;
	size_t n;

	memset(out, 0, sizeof(*out));
	out->mark = map_mark_of(at);
	if (m->format != MAP_FORMAT_X12)
		return flat_path(ctx, m, at, text, out);
	n = map_split(ctx->arena, text, "=[]", &w);
	if (n == 3 && sv_eq_cstr(w[1], "pair") && map_tag_valid(w[0])) {
		sv_to_cbuf(w[0], out->tag, sizeof(out->tag));
		out->pair_qualifier = where_value(ctx, w[2]);
		if (!map_path_pair_range(out->tag, &out->pair_from,
					 &out->pair_to)) {
			map_ctx_error(ctx, at,
				      "'%s': qualifier/value pairs are known "
				      "for PO1, IT1, LIN, SLN and ACK, not %s",
				      text, out->tag);
			return false;
		}
		out->key = x12_tag_key(out->tag);
		return check_ref(ctx, m, at, text, out->tag, 0, 0, 0);
	}
	if (!n || !parse_ref(w[0], out->tag, &out->element, &out->component,
			     &out->repetition, true)) {
		if (n && (sv_eq_cstr(w[0], "loop") || sv_eq_cstr(w[0], "hl")))
			map_ctx_error(ctx, at,
				      "'%s' is a scope, not a path: scopes go "
				      "in 'each:'",
				      text);
		else
			map_ctx_error(ctx, at,
				      "bad path '%s': expected a segment tag "
				      "and a two-digit position like 'BEG03', "
				      "'PO106-2', 'REF04#2' or 'PO1 pair VP'",
				      text);
		return false;
	}
	out->key = x12_tag_key(out->tag);
	if (n > 1) {
		if (!sv_eq_cstr(w[1], "where")) {
			map_ctx_error(ctx, at,
				      "bad path '%s': unexpected '%.*s' after "
				      "'%.*s'",
				      text, (int)w[1].len, w[1].ptr,
				      (int)w[0].len, w[0].ptr);
			return false;
		}
		if (!parse_where(ctx, at, text, w + 2, n - 2, wtag, out))
			return false;
		if (strcmp(wtag, out->tag)) {
			map_ctx_error(ctx, at,
				      "'%s': the where clause must test an "
				      "element of %s, not of %s",
				      text, out->tag, wtag);
			return false;
		}
		if (!check_ref(ctx, m, at, text, wtag, out->where_element, 0,
			       0))
			return false;
	}
	return check_ref(ctx, m, at, text, out->tag, out->element,
			 out->component, out->repetition);
}

/* --- scopes --- */

static bool loop_scope(struct map_ctx *ctx, const struct map *m,
		       const struct ynode *at, struct strview *w, size_t n,
		       struct map_scope *out)
{
	const struct guide_node *loop = NULL;
	char wtag[4];

	if (n < 2 || w[1].len >= sizeof(out->id) ||
	    (n > 2 && !sv_eq_cstr(w[2], "where"))) {
		map_ctx_error(ctx, at,
			      "scope '%s' must be 'loop ID' or 'loop ID where "
			      "TAGnn in [V1 V2]'",
			      at->value);
		return false;
	}
	out->kind = MAP_SCOPE_LOOP;
	sv_to_cbuf(w[1], out->id, sizeof(out->id));
	if (m->guide.nchildren) {
		loop = map_tree_find_loop(&m->guide, out->id);
		if (!loop) {
			const char *hint =
				map_path_guide_hint(ctx, m, out->id, true);

			map_ctx_error(
				ctx, at,
				"scope '%s': no loop %s in the guide%s%s%s",
				at->value, out->id,
				hint ? "; did you mean " : "", hint ? hint : "",
				hint ? "?" : "");
			return false;
		}
	}
	if (n == 2)
		return true;
	out->where.mark = map_mark_of(at);
	if (!parse_where(ctx, at, at->value, w + 3, n - 3, wtag, &out->where))
		return false;
	sv_to_cbuf(sv_cstr(wtag), out->where.tag, sizeof(out->where.tag));
	out->where.key = x12_tag_key(out->where.tag);
	out->where.element = out->where.where_element;
	if (loop && strcmp(wtag, loop->tag)) {
		map_ctx_error(ctx, at,
			      "scope '%s': the where clause tests the loop's "
			      "first segment %s, not %s",
			      at->value, loop->tag, wtag);
		return false;
	}
	return check_ref(ctx, m, at, at->value, wtag, out->where.element, 0, 0);
}

bool map_path_scope(struct map_ctx *ctx, const struct map *m,
		    const struct ynode *at, struct map_scope *out)
{
	struct strview *w;
	size_t n = map_split(ctx->arena, at->value, "=[]", &w);
	bool x12 = m->format == MAP_FORMAT_X12;

	memset(out, 0, sizeof(*out));
	if (n == 1 && sv_eq_cstr(w[0], "row")) {
		out->kind = MAP_SCOPE_ROW;
		if (!x12)
			return true;
		map_ctx_error(ctx, at, "scope 'row' is for csv and fixed maps");
		return false;
	}
	if (!x12) {
		map_ctx_error(ctx, at,
			      "scope '%s': csv and fixed maps have only 'each: "
			      "row'",
			      at->value);
		return false;
	}
	if (n >= 1 && sv_eq_cstr(w[0], "loop"))
		return loop_scope(ctx, m, at, w, n, out);
	if (n >= 2 && n <= 3 && sv_eq_cstr(w[0], "hl") && w[1].len <= 2 &&
	    (n == 2 || sv_eq_cstr(w[2], "direct"))) {
		out->kind = MAP_SCOPE_HL;
		out->direct = n == 3;
		sv_to_cbuf(w[1], out->id, sizeof(out->id));
		if (m->guide.nchildren && !map_tree_has_tag(&m->guide, "HL")) {
			map_ctx_error(ctx, at,
				      "scope '%s': the guide has no HL segment",
				      at->value);
			return false;
		}
		return true;
	}
	if (n == 1 && map_tag_valid(w[0])) {
		out->kind = MAP_SCOPE_SEGMENT;
		sv_to_cbuf(w[0], out->id, sizeof(out->id));
		return check_ref(ctx, m, at, at->value, out->id, 0, 0, 0);
	}
	map_ctx_error(ctx, at,
		      "bad scope '%s': expected 'loop ID [where ...]', a "
		      "segment tag, 'hl CODE [direct]' or 'row'",
		      at->value);
	return false;
}
