/*
 * map_yaml - shared helpers of the map loader; see map_yaml.h.
 */
#include "map_yaml.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SUGGEST_MAX_LEN 64

void map_ctx_error(struct map_ctx *ctx, const struct ynode *at, const char *fmt,
		   ...)
{
	char what[EDI_MSG_MAX];
	struct edi_error e;
	va_list ap;

	ctx->nerrors++;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	e.code = EDI_ECONFIG;
	e.loc = edi_loc_none();
	/* a long message is cut at EDI_MSG_MAX: the place comes first */
	if (at && snprintf(e.msg, sizeof(e.msg), "%s:%u:%u: %s", at->file,
			   at->line, at->col, what) < 0)
		e.msg[0] = '\0';
	if (!at && snprintf(e.msg, sizeof(e.msg), "%s", what) < 0)
		e.msg[0] = '\0';
	for (size_t i = 0; i < ctx->errors->n; i++)
		if (!strcmp(ctx->errors->items[i].msg, e.msg))
			return;
	edi_diag_add(ctx->errors, &e);
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

/* Optimal string alignment distance, case ignored. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[SUGGEST_MAX_LEN + 1][SUGGEST_MAX_LEN + 1];

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t cost = ca != cb;

			d[i][j] = min3(d[i - 1][j] + 1, d[i][j - 1] + 1,
				       d[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 &&
			    ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb &&
			    d[i - 2][j - 2] + 1 < d[i][j])
				d[i][j] = d[i - 2][j - 2] + 1;
		}
	}
	return d[la][lb];
}

const char *map_suggest_n(const char *word, const char *const *candidates,
			  size_t n)
{
	size_t best = SIZE_MAX, limit = strlen(word) <= 4 ? 1 : 2;
	const char *found = NULL;

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, candidates[i]);

		if (d <= limit && d < best) {
			best = d;
			found = candidates[i];
		}
	}
	return found;
}

const char *map_suggest(const char *word, const char *const *candidates)
{
	size_t n = 0;

	while (candidates[n])
		n++;
	return map_suggest_n(word, candidates, n);
}

bool map_ctx_keys(struct map_ctx *ctx, const struct ynode *map,
		  const char *what, const char *const *allowed)
{
	bool ok = true;

	if (!map || map->kind != YNODE_MAP)
		return true;
	for (size_t i = 0; i + 1 < map->n; i += 2) {
		const struct ynode *key = map->items[i];
		const char *hint;
		size_t j;

		for (j = 0; allowed[j]; j++)
			if (!strcmp(key->value, allowed[j]))
				break;
		if (allowed[j])
			continue;
		ok = false;
		hint = map_suggest(key->value, allowed);
		if (hint)
			map_ctx_error(ctx, key,
				      "unknown key '%s' in %s; did you mean "
				      "'%s'?",
				      key->value, what, hint);
		else
			map_ctx_error(ctx, key, "unknown key '%s' in %s",
				      key->value, what);
	}
	return ok;
}

const struct ynode *map_misspelt(const struct ynode *map, const char *key)
{
	const char *const one[] = {key, NULL};

	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (strcmp(map->items[i]->value, key) &&
		    map_suggest(map->items[i]->value, one))
			return map->items[i];
	return NULL;
}

const struct ynode *map_yget(const struct ynode *map, const char *key)
{
	const struct ynode *v = ynode_get(map, key);

	return ynode_is_null(v) ? NULL : v;
}

static const char *kind_article(enum ynode_kind kind)
{
	switch (kind) {
	case YNODE_SCALAR:
		return "a single value";
	case YNODE_SEQ:
		return "a list";
	case YNODE_MAP:
		return "a mapping";
	}
	return "a node";
}

bool map_ctx_want(struct map_ctx *ctx, const struct ynode *node,
		  enum ynode_kind kind, const char *what)
{
	if (node->kind == kind)
		return true;
	map_ctx_error(ctx, node, "%s must be %s, not %s", what,
		      kind_article(kind), kind_article(node->kind));
	return false;
}

const char *map_ctx_scalar(struct map_ctx *ctx, const struct ynode *node,
			   const char *what)
{
	return map_ctx_want(ctx, node, YNODE_SCALAR, what) ? node->value : NULL;
}

bool map_sv_uint(struct strview v, unsigned min, unsigned max, unsigned *out)
{
	uint64_t n;

	if (v.len > 9 || !sv_to_u64(v, &n) || n < min || n > max)
		return false;
	*out = (unsigned)n;
	return true;
}

/* The bytes that end a word, a bit each: blanks, singles and NUL. */
struct split_bytes {
	uint64_t stop[4], single[4];
};

static inline bool byte_in(const uint64_t *set, unsigned char c)
{
	return set[c >> 6] >> (c & 63) & 1;
}

static inline void byte_add(uint64_t *set, unsigned char c)
{
	set[c >> 6] |= (uint64_t)1 << (c & 63);
}

/* The words of s into w[0..max) (the rest only counted); their number. */
static size_t split_words(const char *s, const struct split_bytes *b,
			  struct strview *w, size_t max)
{
	size_t n = 0, i;

	for (i = 0; s[i];) {
		size_t start = i;
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t') {
			i++;
			continue;
		}
		if (byte_in(b->single, c))
			i++;
		else
			while (!byte_in(b->stop, (unsigned char)s[i]))
				i++;
		if (n < max)
			w[n] = sv_make(s + start, i - start);
		n++;
	}
	return n;
}

size_t map_split(struct arena *a, const char *s, const char *singles,
		 struct strview **words)
{
	/* most values have a few words: one pass into here, then a copy
	 * into the arena array of the exact size */
	struct strview local[32];
	struct split_bytes b = {{0}, {0}};
	struct strview *w;
	size_t n;

	byte_add(b.stop, ' ');
	byte_add(b.stop, '\t');
	byte_add(b.stop, '\0');
	for (const char *p = singles; p && *p; p++) {
		byte_add(b.stop, (unsigned char)*p);
		if (*p != ' ' && *p != '\t') /* a blank stays a blank */
			byte_add(b.single, (unsigned char)*p);
	}
	n = split_words(s, &b, local, 32);
	w = arena_array(a, n ? n : 1, sizeof(*w));
	if (n <= 32)
		memcpy(w, local, n * sizeof(*w));
	else
		split_words(s, &b, w, n);
	*words = w;
	return n;
}

bool map_tag_valid(struct strview v)
{
	if (v.len < 2 || v.len > 3 || !isupper((unsigned char)v.ptr[0]))
		return false;
	for (size_t i = 1; i < v.len; i++)
		if (!isupper((unsigned char)v.ptr[i]) &&
		    !isdigit((unsigned char)v.ptr[i]))
			return false;
	return true;
}

bool map_name_valid(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("._-", *s))
			return false;
	return true;
}

struct map_mark map_mark_of(const struct ynode *n)
{
	struct map_mark m = {NULL, 0, 0};

	if (n) {
		m.file = n->file;
		m.line = n->line;
		m.col = n->col;
	}
	return m;
}
