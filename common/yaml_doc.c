/*
 * yaml_doc - libyaml events to a tree in an arena; see yaml_doc.h.
 *
 * Open sequences and mappings sit on a fixed stack of YDOC_MAX_DEPTH
 * frames whose item lists grow on the heap; a finished container gets an
 * exact copy of its list in the arena, so the arena holds no slack and an
 * error frees the heap lists and leaves only dead nodes in the arena.
 */
#include "yaml_doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "xalloc.h"

struct frame {
	struct ynode *node;
	struct ynode **items;
	size_t n, cap;
};

struct builder {
	struct arena *a;
	const char *file;
	struct frame stack[YDOC_MAX_DEPTH];
	size_t depth;
	size_t nnodes;
	unsigned ndocs;
	struct ynode *root;
	struct ymark *at;
	struct edi_error *err;
};

static enum edi_code fail_at(struct builder *b, enum edi_code code,
			     unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static enum edi_code fail_at(struct builder *b, enum edi_code code,
			     unsigned line, unsigned col, const char *fmt, ...)
{
	char what[EDI_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (b->at) {
		b->at->file = b->file;
		b->at->line = line;
		b->at->col = col;
	}
	return edi_fail(b->err, code, NULL, "%s:%u:%u: %s", b->file, line, col,
			what);
}

static void mark_of(const yaml_mark_t *m, unsigned *line, unsigned *col)
{
	*line = (unsigned)m->line + 1;
	*col = (unsigned)m->column + 1;
}

/* Line and column (in bytes) of a byte offset, for reader errors. */
static void offset_pos(struct strview text, size_t offset, unsigned *line,
		       unsigned *col)
{
	size_t start = 0;

	*line = 1;
	if (offset > text.len)
		offset = text.len;
	for (size_t i = 0; i < offset; i++) {
		if (text.ptr[i] == '\n') {
			++*line;
			start = i + 1;
		}
	}
	*col = (unsigned)(offset - start) + 1;
}

/* True when line (1-based) of text has a tab in its indentation. */
static bool line_indented_with_tab(struct strview text, unsigned line)
{
	size_t i = 0;

	for (unsigned l = 1; l < line && i < text.len; i++)
		if (text.ptr[i] == '\n')
			l++;
	for (; i < text.len && (text.ptr[i] == ' ' || text.ptr[i] == '\t'); i++)
		if (text.ptr[i] == '\t')
			return true;
	return false;
}

static enum edi_code parser_fail(struct builder *b, const yaml_parser_t *p,
				 struct strview text)
{
	unsigned line, col, cline, ccol;
	const char *problem = p->problem ? p->problem : "invalid YAML";
	const char *hint = "";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return fail_at(b, EDI_ENOMEM, 1, 1, "out of memory");
	case YAML_READER_ERROR:
		offset_pos(text, p->problem_offset, &line, &col);
		return fail_at(b, EDI_ECONFIG, line, col, "%s", problem);
	case YAML_NO_ERROR:
	case YAML_SCANNER_ERROR:
	case YAML_PARSER_ERROR:
	case YAML_COMPOSER_ERROR:
	case YAML_WRITER_ERROR:
	case YAML_EMITTER_ERROR:
		break;
	}
	mark_of(&p->problem_mark, &line, &col);
	if (strstr(problem, "cannot start any token") &&
	    line_indented_with_tab(text, line))
		hint = "; indent with spaces, YAML does not allow tabs";
	if (p->context) {
		mark_of(&p->context_mark, &cline, &ccol);
		return fail_at(b, EDI_ECONFIG, line, col,
			       "%s (%s started at %u:%u)%s", problem,
			       p->context, cline, ccol, hint);
	}
	return fail_at(b, EDI_ECONFIG, line, col, "%s%s", problem, hint);
}

static struct ynode *node_new(struct builder *b, enum ynode_kind kind,
			      const yaml_event_t *ev)
{
	struct ynode *n = arena_zalloc(b->a, sizeof(*n));

	n->kind = kind;
	n->file = b->file;
	mark_of(&ev->start_mark, &n->line, &n->col);
	return n;
}

static enum edi_code no_decorations(struct builder *b, const yaml_event_t *ev,
				    const yaml_char_t *anchor,
				    const yaml_char_t *tag)
{
	unsigned line, col;

	mark_of(&ev->start_mark, &line, &col);
	if (anchor)
		return fail_at(b, EDI_ECONFIG, line, col,
			       "anchors ('&%s') are not supported; repeat the "
			       "value",
			       (const char *)anchor);
	if (tag)
		return fail_at(b, EDI_ECONFIG, line, col,
			       "tags ('%s') are not supported; quote the value "
			       "if it must stay text",
			       (const char *)tag);
	return EDI_OK;
}

/* Hang a finished node on the open container, or make it the root. */
static enum edi_code attach(struct builder *b, struct ynode *n)
{
	struct frame *f;

	if (++b->nnodes > YDOC_MAX_NODES)
		return fail_at(b, EDI_ELIMIT, n->line, n->col,
			       "more than %u YAML nodes in one file",
			       (unsigned)YDOC_MAX_NODES);
	if (!b->depth) {
		b->root = n;
		return EDI_OK;
	}
	f = &b->stack[b->depth - 1];
	if (f->node->kind == YNODE_MAP && f->n % 2 == 0 &&
	    n->kind != YNODE_SCALAR)
		return fail_at(b, EDI_ECONFIG, n->line, n->col,
			       "a mapping key must be a plain value, not a %s",
			       ynode_kind_name(n->kind));
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->items = xreallocarray(f->items, f->cap, sizeof(*f->items));
	}
	f->items[f->n++] = n;
	return EDI_OK;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct ynode *a = *(struct ynode *const *)pa;
	const struct ynode *b = *(struct ynode *const *)pb;
	int c = strcmp(a->value, b->value);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->col < b->col ? -1 : a->col > b->col;
}

static enum edi_code check_duplicate_keys(struct builder *b,
					  const struct ynode *map)
{
	size_t npairs = map->n / 2;
	struct ynode **keys;
	enum edi_code rc = EDI_OK;

	if (npairs < 2)
		return EDI_OK;
	keys = xcalloc(npairs, sizeof(*keys));
	for (size_t i = 0; i < npairs; i++)
		keys[i] = map->items[2 * i];
	qsort(keys, npairs, sizeof(*keys), key_cmp);
	for (size_t i = 1; i < npairs; i++) {
		if (strcmp(keys[i - 1]->value, keys[i]->value))
			continue;
		rc = fail_at(b, EDI_ECONFIG, keys[i]->line, keys[i]->col,
			     "duplicate key '%s' (first at line %u)",
			     keys[i]->value, keys[i - 1]->line);
		break;
	}
	free(keys);
	return rc;
}

static enum edi_code open_container(struct builder *b, const yaml_event_t *ev,
				    enum ynode_kind kind)
{
	struct frame *f;
	unsigned line, col;

	mark_of(&ev->start_mark, &line, &col);
	if (b->depth == YDOC_MAX_DEPTH)
		return fail_at(b, EDI_ELIMIT, line, col,
			       "nested deeper than %u levels",
			       (unsigned)YDOC_MAX_DEPTH);
	f = &b->stack[b->depth++];
	f->node = node_new(b, kind, ev);
	f->items = NULL;
	f->n = f->cap = 0;
	return EDI_OK;
}

static enum edi_code close_container(struct builder *b)
{
	struct frame *f = &b->stack[--b->depth];
	struct ynode *n = f->node;
	enum edi_code rc;

	n->n = f->n;
	if (f->n) {
		n->items = arena_array(b->a, f->n, sizeof(*n->items));
		memcpy(n->items, f->items, f->n * sizeof(*n->items));
	}
	free(f->items);
	f->items = NULL;
	if (n->kind == YNODE_MAP) {
		rc = check_duplicate_keys(b, n);
		if (rc)
			return rc;
	}
	return attach(b, n);
}

static enum edi_code on_scalar(struct builder *b, const yaml_event_t *ev)
{
	struct ynode *n;
	enum edi_code rc;

	rc = no_decorations(b, ev, ev->data.scalar.anchor, ev->data.scalar.tag);
	if (rc)
		return rc;
	n = node_new(b, YNODE_SCALAR, ev);
	n->len = ev->data.scalar.length;
	if (memchr(ev->data.scalar.value, '\0', n->len))
		return fail_at(b, EDI_ECONFIG, n->line, n->col,
			       "a NUL character in a value");
	n->value = arena_svdup(
		b->a, sv_make((const char *)ev->data.scalar.value, n->len));
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	return attach(b, n);
}

static enum edi_code on_event(struct builder *b, const yaml_event_t *ev,
			      bool *done)
{
	unsigned line, col;
	enum edi_code rc;

	mark_of(&ev->start_mark, &line, &col);
	switch (ev->type) {
	case YAML_NO_EVENT:
	case YAML_STREAM_START_EVENT:
	case YAML_DOCUMENT_END_EVENT:
		return EDI_OK;
	case YAML_STREAM_END_EVENT:
		*done = true;
		return EDI_OK;
	case YAML_DOCUMENT_START_EVENT:
		if (b->ndocs++)
			return fail_at(b, EDI_ECONFIG, line, col,
				       "a second YAML document; a map file "
				       "holds one");
		return EDI_OK;
	case YAML_ALIAS_EVENT:
		return fail_at(b, EDI_ECONFIG, line, col,
			       "aliases ('*%s') are not supported; repeat the "
			       "value",
			       (const char *)ev->data.alias.anchor);
	case YAML_SCALAR_EVENT:
		return on_scalar(b, ev);
	case YAML_SEQUENCE_START_EVENT:
		rc = no_decorations(b, ev, ev->data.sequence_start.anchor,
				    ev->data.sequence_start.tag);
		return rc ? rc : open_container(b, ev, YNODE_SEQ);
	case YAML_MAPPING_START_EVENT:
		rc = no_decorations(b, ev, ev->data.mapping_start.anchor,
				    ev->data.mapping_start.tag);
		return rc ? rc : open_container(b, ev, YNODE_MAP);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return close_container(b);
	}
	return EDI_OK;
}

enum edi_code ydoc_parse(struct arena *a, const char *file, struct strview text,
			 struct ynode **root, struct ymark *at,
			 struct edi_error *err)
{
	struct builder b;
	yaml_parser_t parser;
	yaml_event_t ev;
	enum edi_code rc = EDI_OK;
	bool done = false;

	memset(&b, 0, sizeof(b));
	b.a = a;
	b.file = arena_strdup(a, file ? file : "-");
	b.at = at;
	b.err = err;
	*root = NULL;
	if (text.len > YDOC_MAX_BYTES)
		return fail_at(&b, EDI_ELIMIT, 1, 1,
			       "file larger than %u bytes",
			       (unsigned)YDOC_MAX_BYTES);
	if (!yaml_parser_initialize(&parser))
		return fail_at(&b, EDI_ENOMEM, 1, 1, "out of memory");
	yaml_parser_set_input_string(
		&parser, (const unsigned char *)(text.len ? text.ptr : ""),
		text.len);
	while (!done && !rc) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = parser_fail(&b, &parser, text);
			break;
		}
		rc = on_event(&b, &ev, &done);
		yaml_event_delete(&ev);
	}
	while (b.depth)
		free(b.stack[--b.depth].items);
	yaml_parser_delete(&parser);
	if (rc)
		return rc;
	*root = b.root;
	return EDI_OK;
}

bool ynode_is_null(const struct ynode *n)
{
	static const char *const nulls[] = {"", "~", "null", "Null", "NULL"};

	if (!n || n->kind != YNODE_SCALAR || n->quoted)
		return false;
	for (size_t i = 0; i < sizeof(nulls) / sizeof(nulls[0]); i++)
		if (!strcmp(n->value, nulls[i]))
			return true;
	return false;
}

struct ynode *ynode_get_key(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (!strcmp(map->items[i]->value, key))
			return map->items[i];
	return NULL;
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	if (!map || map->kind != YNODE_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < map->n; i += 2)
		if (!strcmp(map->items[i]->value, key))
			return map->items[i + 1];
	return NULL;
}

size_t ynode_size(const struct ynode *n)
{
	switch (n->kind) {
	case YNODE_SCALAR:
		return 0;
	case YNODE_SEQ:
		return n->n;
	case YNODE_MAP:
		return n->n / 2;
	}
	return 0;
}

const char *ynode_kind_name(enum ynode_kind kind)
{
	switch (kind) {
	case YNODE_SCALAR:
		return "scalar";
	case YNODE_SEQ:
		return "list";
	case YNODE_MAP:
		return "mapping";
	}
	return "node";
}

struct ynode *ynode_new(struct arena *a, enum ynode_kind kind,
			const struct ynode *mark_from)
{
	struct ynode *n = arena_zalloc(a, sizeof(*n));

	n->kind = kind;
	if (mark_from) {
		n->file = mark_from->file;
		n->line = mark_from->line;
		n->col = mark_from->col;
	}
	return n;
}

struct ynode *ynode_new_scalar(struct arena *a, const char *value,
			       const struct ynode *mark_from)
{
	struct ynode *n = ynode_new(a, YNODE_SCALAR, mark_from);

	n->value = arena_strdup(a, value);
	n->len = strlen(n->value);
	n->quoted = true; /* built text is never a null */
	return n;
}
