/*
 * map_defs - segment definitions of a map; see map_defs.h.
 */
#include "map_defs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "map_merge.h"

static const char *const type_names[] = {"AN", "ID", "R",  "DT", "TM", "N0",
					 "N1", "N2", "N3", "N4", "N5", "N6",
					 "N7", "N8", "N9", NULL};

static bool parse_req(struct strview w, bool allow_x, enum map_req *req)
{
	if (sv_eq_cstr(w, "M"))
		*req = MAP_REQ_M;
	else if (sv_eq_cstr(w, "O"))
		*req = MAP_REQ_O;
	else if (allow_x && sv_eq_cstr(w, "X"))
		*req = MAP_REQ_X;
	else
		return false;
	return true;
}

static bool parse_type(struct strview w, struct map_elem *e)
{
	static const struct {
		const char *name;
		enum map_type type;
	} types[] = {{"AN", MAP_T_AN},
		     {"ID", MAP_T_ID},
		     {"R", MAP_T_R},
		     {"DT", MAP_T_DT},
		     {"TM", MAP_T_TM}};

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (sv_eq_cstr(w, types[i].name)) {
			e->type = types[i].type;
			return true;
		}
	}
	if (w.len == 2 && w.ptr[0] == 'N' && isdigit((unsigned char)w.ptr[1])) {
		e->type = MAP_T_N;
		e->implied = (unsigned)(w.ptr[1] - '0');
		return true;
	}
	return false;
}

/* An example MIN/MAX for a type, for messages. */
static const char *example_len(const struct map_elem *e)
{
	switch (e->type) {
	case MAP_T_DT:
		return "8/8";
	case MAP_T_TM:
		return "4/8";
	case MAP_T_ID:
		return "2/2";
	case MAP_T_AN:
	case MAP_T_N:
	case MAP_T_R:
		break;
	}
	return "1/30";
}

static int cstr_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool parse_lengths(struct map_ctx *ctx, const struct ynode *at,
			  const char *s, struct strview w, struct map_elem *e)
{
	const char *slash = memchr(w.ptr, '/', w.len);
	struct strview lo, hi;

	if (slash) {
		lo = sv_make(w.ptr, (size_t)(slash - w.ptr));
		hi = sv_make(slash + 1, w.len - lo.len - 1);
		if (map_sv_uint(lo, 0, MAP_MAX_ELEM_LEN, &e->min_len) &&
		    map_sv_uint(hi, 1, MAP_MAX_ELEM_LEN, &e->max_len) &&
		    e->min_len <= e->max_len)
			goto kind;
	}
	map_ctx_error(ctx, at,
		      "element '%s': lengths '%.*s' must be MIN/MAX with MIN "
		      "<= MAX, e.g. '%s'",
		      s, (int)w.len, w.ptr, example_len(e));
	return false;
kind:
	if (e->type == MAP_T_DT && (e->min_len < 6 || e->max_len > 8)) {
		map_ctx_error(ctx, at,
			      "element '%s': a DT date is 6 to 8 long, e.g. "
			      "'8/8'",
			      s);
		return false;
	}
	if (e->type == MAP_T_TM && (e->min_len < 4 || e->max_len > 8)) {
		map_ctx_error(ctx, at,
			      "element '%s': a TM time is 4 to 8 long, e.g. "
			      "'4/8'",
			      s);
		return false;
	}
	return true;
}

/* "[" CODE ... "]" starting at w[*i]; advances *i past the "]". */
static bool parse_codes(struct map_ctx *ctx, const struct ynode *at,
			const char *s, struct strview *w, size_t n, size_t *i,
			struct map_elem *e)
{
	size_t first = ++*i, k;

	while (*i < n && !sv_eq_cstr(w[*i], "]"))
		++*i;
	if (*i == n) {
		map_ctx_error(ctx, at, "element '%s': '[' without ']'", s);
		return false;
	}
	if (*i == first) {
		map_ctx_error(ctx, at, "element '%s': an empty code list", s);
		return false;
	}
	if (e->type != MAP_T_ID) {
		map_ctx_error(ctx, at,
			      "element '%s': codes are only for ID elements",
			      s);
		return false;
	}
	e->ncodes = *i - first;
	e->codes = arena_array(ctx->arena, e->ncodes, sizeof(*e->codes));
	for (k = 0; k < e->ncodes; k++) {
		struct strview c = w[first + k];

		if (c.len < e->min_len || c.len > e->max_len) {
			map_ctx_error(ctx, at,
				      "element '%s': code '%.*s' does not fit "
				      "the lengths %u/%u",
				      s, (int)c.len, c.ptr, e->min_len,
				      e->max_len);
			return false;
		}
		e->codes[k] = arena_svdup(ctx->arena, c);
	}
	if (e->ncodes)
		qsort(e->codes, e->ncodes, sizeof(*e->codes), cstr_cmp);
	for (k = 1; k < e->ncodes; k++) {
		if (!strcmp(e->codes[k - 1], e->codes[k])) {
			map_ctx_error(ctx, at,
				      "element '%s': code '%s' is listed twice",
				      s, e->codes[k]);
			return false;
		}
	}
	++*i;
	return true;
}

bool map_defs_elem(struct map_ctx *ctx, const struct ynode *at,
		   struct map_elem *e)
{
	const char *s = at->value;
	struct strview *w;
	size_t n = map_split(ctx->arena, s, "[]", &w), i;
	const char *hint;

	memset(e, 0, sizeof(*e));
	e->mark = map_mark_of(at);
	e->max_repeat = 1;
	if (!n) {
		map_ctx_error(ctx, at,
			      "empty element: expected 'REQ TYPE MIN/MAX', "
			      "e.g. 'M AN 1/30'");
		return false;
	}
	if (!parse_req(w[0], true, &e->req)) {
		map_ctx_error(ctx, at,
			      "element '%s': REQ must be M, O or X, not "
			      "'%.*s'",
			      s, (int)w[0].len, w[0].ptr);
		return false;
	}
	if (n < 2) {
		map_ctx_error(ctx, at,
			      "element '%s' needs a type and MIN/MAX lengths, "
			      "e.g. '%s AN 1/30'",
			      s, s);
		return false;
	}
	if (!parse_type(w[1], e)) {
		char *t = arena_svdup(ctx->arena, w[1]);

		hint = sv_eq_cstr(w[1], "N") ? "N0"
					     : map_suggest(t, type_names);
		map_ctx_error(ctx, at,
			      "element '%s': unknown type '%s'%s%s%s (AN, ID, "
			      "N0..N9, R, DT, TM)",
			      s, t, hint ? "; did you mean '" : "",
			      hint ? hint : "", hint ? "'?" : "");
		return false;
	}
	if (n < 3 || !memchr(w[2].ptr, '/', w[2].len)) {
		if (n >= 3 && sv_is_digits(w[2]))
			map_ctx_error(ctx, at,
				      "element '%s' needs MIN/MAX lengths, "
				      "e.g. '%.*s %.*s %.*s/%.*s'",
				      s, (int)w[0].len, w[0].ptr, (int)w[1].len,
				      w[1].ptr, (int)w[2].len, w[2].ptr,
				      (int)w[2].len, w[2].ptr);
		else
			map_ctx_error(ctx, at,
				      "element '%s' needs MIN/MAX lengths, "
				      "e.g. '%.*s %.*s %s'",
				      s, (int)w[0].len, w[0].ptr, (int)w[1].len,
				      w[1].ptr, example_len(e));
		return false;
	}
	if (!parse_lengths(ctx, at, s, w[2], e))
		return false;
	for (i = 3; i < n;) {
		if (sv_eq_cstr(w[i], "[") && !e->ncodes) {
			if (!parse_codes(ctx, at, s, w, n, &i, e))
				return false;
			continue;
		}
		if (w[i].len > 1 && w[i].ptr[0] == 'x' && e->max_repeat == 1 &&
		    map_sv_uint(sv_make(w[i].ptr + 1, w[i].len - 1), 1,
				MAP_MAX_REPEAT, &e->max_repeat)) {
			i++;
			continue;
		}
		map_ctx_error(ctx, at,
			      "element '%s': unexpected '%.*s' (after MIN/MAX "
			      "come [CODES] and xREPEAT)",
			      s, (int)w[i].len, w[i].ptr);
		return false;
	}
	return true;
}

static bool composite(struct map_ctx *ctx, const struct ynode *at,
		      struct map_elem *e)
{
	static const char *const keys[] = {"req", "composite", "repeat", NULL};
	const struct ynode *req = map_yget(at, "req");
	const struct ynode *parts = map_yget(at, "composite");
	const struct ynode *rep = map_yget(at, "repeat");
	size_t before = ctx->nerrors;

	memset(e, 0, sizeof(*e));
	e->mark = map_mark_of(at);
	e->max_repeat = 1;
	map_ctx_keys(ctx, at, "composite element", keys);
	if ((!req && !map_misspelt(at, "req")) ||
	    (req && (req->kind != YNODE_SCALAR ||
		     !parse_req(sv_cstr(req->value), true, &e->req))))
		map_ctx_error(ctx, req ? req : at,
			      "a composite needs 'req: M', 'req: O' or 'req: "
			      "X'");
	if (rep && (rep->kind != YNODE_SCALAR ||
		    !map_sv_uint(sv_cstr(rep->value), 1, MAP_MAX_REPEAT,
				 &e->max_repeat)))
		map_ctx_error(ctx, rep, "repeat must be a number from 1 to %d",
			      MAP_MAX_REPEAT);
	if (!parts || !map_ctx_want(ctx, parts, YNODE_SEQ, "composite") ||
	    !parts->n) {
		if ((!parts && !map_misspelt(at, "composite")) ||
		    (parts && parts->kind == YNODE_SEQ))
			map_ctx_error(ctx, parts ? parts : at,
				      "a composite needs 'composite: [...]' "
				      "with its components");
		return false;
	}
	e->ncomponents = parts->n;
	e->components =
		arena_array(ctx->arena, parts->n, sizeof(*e->components));
	for (size_t i = 0; i < parts->n; i++) {
		const struct ynode *p = parts->items[i];

		if (!map_ctx_scalar(ctx, p, "a component") ||
		    !map_defs_elem(ctx, p, &e->components[i]))
			continue;
		if (e->components[i].max_repeat != 1)
			map_ctx_error(ctx, p, "a component cannot repeat");
	}
	return ctx->nerrors == before;
}

static void syntax_note(struct map_ctx *ctx, const struct ynode *at,
			const struct map_segdef *d, struct map_syntax *out)
{
	const char *s = at->value, *kinds = "PRECL";
	const char *k = *s ? strchr(kinds, s[0]) : NULL;
	size_t len = strlen(s), need;
	bool seen[MAP_MAX_ELEMENTS + 1] = {false};

	out->mark = map_mark_of(at);
	if (!k || len < 5 || (len - 1) % 2 || (len - 1) / 2 > MAP_SYNTAX_MAX ||
	    !sv_is_digits(sv_make(s + 1, len - 1))) {
		map_ctx_error(ctx, at,
			      "syntax note '%s' must be P, R, E, C or L and "
			      "2 to %d two-digit positions, e.g. 'P0203'",
			      s, MAP_SYNTAX_MAX);
		return;
	}
	out->kind = (enum map_syntax_kind)(k - kinds);
	out->npos = (unsigned)(len - 1) / 2;
	need = out->kind == MAP_SYN_L ? 3 : 2;
	if (out->npos < need) {
		map_ctx_error(ctx, at, "syntax note '%s' needs %zu positions",
			      s, need);
		return;
	}
	for (unsigned i = 0; i < out->npos; i++) {
		unsigned p = (unsigned)(s[1 + 2 * i] - '0') * 10 +
			     (unsigned)(s[2 + 2 * i] - '0');

		out->pos[i] = p;
		if (!p || p > d->nelems) {
			map_ctx_error(ctx, at,
				      "syntax note '%s' names element %02u, "
				      "but %s has %zu elements",
				      s, p, d->tag, d->nelems);
			return;
		}
		if (seen[p]) {
			map_ctx_error(ctx, at,
				      "syntax note '%s' names element %02u "
				      "twice",
				      s, p);
			return;
		}
		seen[p] = true;
	}
}

static void segdef(struct map_ctx *ctx, const struct ynode *key,
		   const struct ynode *v, struct map_segdef *d)
{
	static const char *const keys[] = {"elements", "syntax", NULL};
	const struct ynode *elems = v, *syn = NULL;

	d->mark = map_mark_of(key);
	if (!map_tag_valid(sv_cstr(key->value))) {
		map_ctx_error(ctx, key,
			      "segment tag '%s' must be 2 or 3 capital "
			      "letters or digits, a letter first",
			      key->value);
		return;
	}
	sv_to_cbuf(sv_cstr(key->value), d->tag, sizeof(d->tag));
	if (v->kind == YNODE_MAP) {
		map_ctx_keys(ctx, v, "segment", keys);
		elems = map_yget(v, "elements");
		if (!elems && map_misspelt(v, "elements"))
			return;
		syn = map_yget(v, "syntax");
		if (elems && elems->kind == YNODE_MAP) {
			elems = map_merge_elements(ctx, NULL, elems);
			if (elems->kind != YNODE_SEQ)
				return;
		}
	}
	if (!elems || elems->kind != YNODE_SEQ || !elems->n) {
		map_ctx_error(ctx, elems ? elems : v,
			      "segment %s must be a list of its elements, or "
			      "a mapping with 'elements' and 'syntax'",
			      d->tag);
		return;
	}
	if (elems->n > MAP_MAX_ELEMENTS) {
		map_ctx_error(ctx, elems,
			      "segment %s has more than %d elements", d->tag,
			      MAP_MAX_ELEMENTS);
		return;
	}
	d->nelems = elems->n;
	d->elems = arena_array(ctx->arena, d->nelems, sizeof(*d->elems));
	for (size_t i = 0; i < elems->n; i++) {
		const struct ynode *e = elems->items[i];

		if (e->kind == YNODE_MAP)
			composite(ctx, e, &d->elems[i]);
		else if (map_ctx_scalar(ctx, e, "an element"))
			map_defs_elem(ctx, e, &d->elems[i]);
	}
	if (!syn || !map_ctx_want(ctx, syn, YNODE_SEQ, "syntax"))
		return;
	d->nsyntax = syn->n;
	d->syntax = arena_array(ctx->arena, syn->n ? syn->n : 1,
				sizeof(*d->syntax));
	for (size_t i = 0; i < syn->n; i++)
		if (map_ctx_scalar(ctx, syn->items[i], "a syntax note"))
			syntax_note(ctx, syn->items[i], d, &d->syntax[i]);
}

static int segdef_cmp(const void *a, const void *b)
{
	return strcmp(((const struct map_segdef *)a)->tag,
		      ((const struct map_segdef *)b)->tag);
}

void map_defs_segments(struct map_ctx *ctx, struct map *m,
		       const struct ynode *segments)
{
	if (!map_ctx_want(ctx, segments, YNODE_MAP, "segments"))
		return;
	m->nsegs = segments->n / 2;
	m->segs = arena_array(ctx->arena, m->nsegs ? m->nsegs : 1,
			      sizeof(*m->segs));
	for (size_t i = 0; i < m->nsegs; i++)
		segdef(ctx, segments->items[2 * i], segments->items[2 * i + 1],
		       &m->segs[i]);
	if (m->nsegs)
		qsort(m->segs, m->nsegs, sizeof(*m->segs), segdef_cmp);
}
