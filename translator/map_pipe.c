/*
 * map_pipe - transform pipelines in map strings; see map_pipe.h.
 *
 * A transform argument is scanned with its parentheses balanced, skipping
 * backslash escapes and regex character classes, so match() can hold '|'
 * and ')' where a regex needs them.
 */
#include "map_pipe.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "map_path.h"
#include "xalloc.h"

void map_regexes_release(struct map_regexes *r)
{
	for (size_t i = 0; i < r->n; i++)
		pcre2_code_free(r->codes[i]);
	free(r->codes);
	r->codes = NULL;
	r->n = r->cap = 0;
}

static const char *const xform_names[] = {
	"date",	 "time", "decimal", "implied", "integer", "trim",
	"upper", "code", "match",   "default", NULL};

static bool date_pattern_valid(const char *p)
{
	int y = 0, mo = 0, d = 0;

	while (*p) {
		if (!strncmp(p, "CCYY", 4) || !strncmp(p, "YYYY", 4)) {
			y++;
			p += 4;
		} else if (!strncmp(p, "YY", 2)) {
			y++;
			p += 2;
		} else if (!strncmp(p, "MM", 2)) {
			mo++;
			p += 2;
		} else if (!strncmp(p, "DD", 2)) {
			d++;
			p += 2;
		} else if (isalnum((unsigned char)*p)) {
			return false;
		} else {
			p++;
		}
	}
	return y == 1 && mo == 1 && d == 1;
}

static bool compile_regex(struct map_ctx *ctx, const struct ynode *at,
			  struct map_xform *x)
{
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE offset;
	int code;
	pcre2_code *re =
		pcre2_compile((PCRE2_SPTR)x->arg, PCRE2_ZERO_TERMINATED, 0,
			      &code, &offset, NULL);
	struct map_regexes *r = ctx->regexes;

	if (!re) {
		if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", code);
		map_ctx_error(ctx, at,
			      "bad regex '%s' in match(): %s at offset %zu",
			      x->arg, (const char *)msg, (size_t)offset);
		return false;
	}
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 8;
		r->codes = xreallocarray(r->codes, r->cap, sizeof(*r->codes));
	}
	r->codes[r->n++] = re;
	x->regex = re;
	return true;
}

static const char *table_hint(struct map_ctx *ctx, const struct map *m,
			      const char *name)
{
	const char **names =
		arena_array(ctx->arena, m->ntables + 1, sizeof(*names));

	for (size_t i = 0; i < m->ntables; i++)
		names[i] = m->tables[i].name;
	return map_suggest_n(name, names, m->ntables);
}

/* One transform: name (and arg when has_arg) into *x. */
static bool make_xform(struct map_ctx *ctx, const struct map *m,
		       const struct ynode *at, const char *name, char *arg,
		       struct map_xform *x)
{
	static const enum map_xform_kind kinds[] = {
		MAP_XF_DATE,	MAP_XF_TIME,   MAP_XF_DECIMAL, MAP_XF_IMPLIED,
		MAP_XF_INTEGER, MAP_XF_TRIM,   MAP_XF_UPPER,   MAP_XF_CODE,
		MAP_XF_MATCH,	MAP_XF_DEFAULT};
	size_t i;
	const char *hint;
	unsigned places;

	memset(x, 0, sizeof(*x));
	x->mark = map_mark_of(at);
	for (i = 0; xform_names[i]; i++)
		if (!strcmp(name, xform_names[i]))
			break;
	if (!xform_names[i]) {
		hint = map_suggest(name, xform_names);
		map_ctx_error(ctx, at, "unknown transform '%s'%s%s%s", name,
			      hint ? "; did you mean '" : "", hint ? hint : "",
			      hint ? "'?" : "");
		return false;
	}
	x->kind = kinds[i];
	x->arg = arg;
	switch (x->kind) {
	case MAP_XF_DATE:
		if (arg && !date_pattern_valid(arg)) {
			map_ctx_error(ctx, at,
				      "date(%s): a date pattern has YYYY (or "
				      "YY), MM and DD once each, e.g. "
				      "date(MM/DD/YYYY)",
				      arg);
			return false;
		}
		return true;
	case MAP_XF_TIME:
	case MAP_XF_DECIMAL:
	case MAP_XF_INTEGER:
	case MAP_XF_TRIM:
	case MAP_XF_UPPER:
		if (arg) {
			map_ctx_error(ctx, at, "'%s' takes no argument", name);
			return false;
		}
		return true;
	case MAP_XF_IMPLIED:
	case MAP_XF_CODE:
	case MAP_XF_MATCH:
	case MAP_XF_DEFAULT:
		break;
	}
	if (!arg || !*arg) {
		map_ctx_error(ctx, at, "'%s' needs an argument, e.g. %s", name,
			      x->kind == MAP_XF_IMPLIED ? "implied(2)"
			      : x->kind == MAP_XF_CODE	? "code(uom)"
			      : x->kind == MAP_XF_MATCH ? "match(^A(.*)$)"
							: "default(EA)");
		return false;
	}
	switch (x->kind) {
	case MAP_XF_IMPLIED:
		if (!map_sv_uint(sv_cstr(arg), 0, 9, &places)) {
			map_ctx_error(ctx, at,
				      "implied(%s): the places must be 0 to 9",
				      arg);
			return false;
		}
		x->n = (int)places;
		return true;
	case MAP_XF_CODE:
		x->table = map_table_find(m, arg);
		if (x->table)
			return true;
		hint = table_hint(ctx, m, arg);
		map_ctx_error(ctx, at, "unknown table '%s' in code()%s%s%s",
			      arg, hint ? "; did you mean '" : "",
			      hint ? hint : "", hint ? "'?" : "");
		return false;
	case MAP_XF_MATCH:
		return compile_regex(ctx, at, x);
	case MAP_XF_DATE:
	case MAP_XF_TIME:
	case MAP_XF_DECIMAL:
	case MAP_XF_INTEGER:
	case MAP_XF_TRIM:
	case MAP_XF_UPPER:
	case MAP_XF_DEFAULT:
		break;
	}
	return true;
}

/* From just after '(' to its matching ')'; NULL when there is none. */
static const char *arg_end(const char *p, const char *end)
{
	int depth = 1;
	bool in_class = false;

	for (; p < end; p++) {
		if (*p == '\\') {
			if (++p == end)
				return NULL;
			continue;
		}
		if (in_class) {
			in_class = *p != ']';
			continue;
		}
		if (*p == '[') {
			in_class = true;
			if (p + 1 < end && p[1] == '^')
				p++;
			if (p + 1 < end && p[1] == ']')
				p++;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')' && !--depth) {
			return p;
		}
	}
	return NULL;
}

static const char *skip_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

bool map_pipe_xforms(struct map_ctx *ctx, const struct map *m,
		     const struct ynode *at, struct strview text,
		     struct map_xform *xf, size_t *n)
{
	const char *p = text.ptr, *end = text.ptr + text.len;

	for (;;) {
		const char *name = p = skip_blank(p, end), *close;
		char *nm, *arg = NULL;

		while (p < end && (isalpha((unsigned char)*p) || *p == '_'))
			p++;
		if (p == name) {
			map_ctx_error(ctx, at,
				      "'%s': expected a transform name%s%.*s",
				      at->value,
				      p < end ? " at " : " at the end",
				      (int)(end - p), p);
			return false;
		}
		nm = arena_svdup(ctx->arena, sv_make(name, (size_t)(p - name)));
		p = skip_blank(p, end);
		if (p < end && *p == '(') {
			close = arg_end(p + 1, end);
			if (!close) {
				map_ctx_error(ctx, at,
					      "'%s': '%s(' has no closing ')'",
					      at->value, nm);
				return false;
			}
			arg = arena_svdup(
				ctx->arena,
				sv_make(p + 1, (size_t)(close - p - 1)));
			if (strcmp(nm, "match"))
				arg = arena_svdup(ctx->arena,
						  sv_trim(sv_cstr(arg)));
			p = skip_blank(close + 1, end);
		}
		if (p < end && *p != '|') {
			map_ctx_error(ctx, at,
				      "'%s': unexpected '%.*s' after %s",
				      at->value, (int)(end - p), p, nm);
			return false;
		}
		if (*n == MAP_MAX_XFORMS) {
			map_ctx_error(ctx, at, "more than %d transforms",
				      MAP_MAX_XFORMS);
			return false;
		}
		if (!make_xform(ctx, m, at, nm, arg, &xf[*n]))
			return false;
		++*n;
		if (p == end)
			return true;
		p++;
	}
}

bool map_pipe_parse(struct map_ctx *ctx, const struct map *m,
		    const struct ynode *at, struct map_path *path,
		    struct map_xform *xf, size_t *n)
{
	const char *s = at->value, *bar = strchr(s, '|');
	struct strview head = sv_make(s, bar ? (size_t)(bar - s) : strlen(s));

	if (!map_path_parse(ctx, m, at, head, path))
		return false;
	if (!bar)
		return true;
	return map_pipe_xforms(ctx, m, at, sv_cstr(bar + 1), xf, n);
}
