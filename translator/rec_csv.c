/*
 * rec_csv - records to CSV rows; see rec_csv.h and docs/csv.md.
 *
 * Each doc_type is a table of columns (rec_csv_cols); a column names
 * where its cell comes from (the record, a party, the current line, its
 * first ack, the current 856 order or pack) and which member.  The line
 * members a row's columns name are found in one pass over the line
 * (rec_find).  A row is a struct row of
 * those current objects, so writing a row is one pass over the table.
 * The cells that come from the record itself (header fields, parties,
 * joined references) are the same on every row: they are worked out and
 * rendered once per record, and only the line's cells once per row.
 * Joined cells are built in a buf first, so that they are quoted like any
 * other cell.
 */
#include "rec_csv.h"

#include <string.h>

#include "rec_csv_cols.h"
#include "rec_find.h"

/* Packs inside packs (tare, pallet, carton) deeper than this: an error. */
#define REC_CSV_MAX_PACK_DEPTH 8

/* The objects the cells of one row come from; NULL: none. */
struct row {
	const struct rec_value *rec, *line, *order, *pack;
};

/*
 * Where rows go, and what the rows of one record share: each run of
 * consecutive columns that come from the record itself is rendered once
 * (quoted, commas between) and copied into every row whole.
 */
struct out {
	struct buf *b;
	const struct rec_csv_doc *doc;
	struct strview run[MAX_COLS]; /* at a run's first column: the run */
	size_t run_end[MAX_COLS];     /* ... and the column after it */
	struct buf joined;	      /* joined texts of the record's cells */
	struct buf rendered;	      /* the runs */
	struct buf scratch;	      /* the joined text of a line's cell */
	/* the line's members that columns name: by column, found at once */
	const char *line_names[MAX_COLS];
	struct rec_find line_find;
};

bool rec_csv_known(const char *doc_type)
{
	return rec_csv_doc_find(sv_cstr(doc_type)) != NULL;
}

static struct strview empty(void)
{
	return sv_make("", 0);
}

/*
 * rec_get() for the column tables: a member name that differs in its
 * first byte, most of them, is passed over without a strcmp() call.
 */
static const struct rec_value *get(const struct rec_value *obj, const char *key)
{
	if (!obj || obj->kind != REC_OBJECT)
		return NULL;
	for (const struct rec_value *c = obj->first; c; c = c->next)
		if (c->key && c->key[0] == key[0] && !strcmp(c->key, key))
			return c;
	return NULL;
}

static bool is_scalar(const struct rec_value *v)
{
	return v->kind == REC_STRING || v->kind == REC_NUMBER ||
	       v->kind == REC_BOOL;
}

/*
 * The text of a scalar; an object holding a "value" (a weight with its
 * unit, say) gives that; anything else is empty.
 */
static struct strview text_of(const struct rec_value *v)
{
	if (!v)
		return empty();
	switch (v->kind) {
	case REC_STRING:
	case REC_NUMBER:
		return v->text;
	case REC_BOOL:
		return v->boolean ? SV_LIT("true") : SV_LIT("false");
	case REC_OBJECT:
		v = get(v, "value");
		return v && (v->kind == REC_STRING || v->kind == REC_NUMBER)
			       ? v->text
			       : empty();
	case REC_ARRAY:
		break;
	}
	return empty();
}

/* Member "a.b" of obj: each dot goes one object down. */
static const struct rec_value *path_get(const struct rec_value *obj,
					const char *path)
{
	size_t n;

	for (;;) {
		const struct rec_value *c;

		for (n = 0; path[n] && path[n] != '.'; n++)
			;
		if (!path[n] || !obj)
			break;
		if (obj->kind != REC_OBJECT)
			return NULL;
		for (c = obj->first; c; c = c->next)
			if (c->key && !strncmp(c->key, path, n) &&
			    c->key[n] == '\0')
				break;
		obj = c;
		path += n + 1;
	}
	return obj ? get(obj, path) : NULL;
}

/* The first element of array member key of obj, or NULL. */
static const struct rec_value *first_of(const struct rec_value *obj,
					const char *key)
{
	const struct rec_value *arr = get(obj, key);

	return arr && arr->kind == REC_ARRAY ? arr->first : NULL;
}

static const struct rec_value *party(const struct rec_value *rec,
				     const char *role)
{
	const struct rec_value *p;

	for (p = first_of(rec, "parties"); p; p = p->next)
		if (sv_eq_cstr(rec_get_text(p, "role"), role))
			return p;
	return NULL;
}

/*
 * Join the objects of arr into s: their members keys[0..n) separated by
 * inner, the objects by ';'.  Objects with all of them empty are skipped.
 */
static enum edi_code join(struct buf *s, const struct rec_value *arr,
			  const char *const *keys, size_t n, char inner)
{
	enum edi_code rc = EDI_OK;
	bool any = false;

	if (!arr || arr->kind != REC_ARRAY)
		return EDI_OK;
	for (const struct rec_value *e = arr->first; e && !rc; e = e->next) {
		struct strview parts[4];
		bool some = false;

		for (size_t i = 0; i < n; i++) {
			parts[i] = text_of(get(e, keys[i]));
			some |= parts[i].len > 0;
		}
		if (!some)
			continue;
		if (any)
			rc = buf_addc(s, ';');
		for (size_t i = 0; i < n && !rc; i++) {
			if (i)
				rc = buf_addc(s, inner);
			if (!rc)
				rc = buf_addsv(s, parts[i]);
		}
		any = true;
	}
	return rc;
}

/* Street lines (an array of strings, or one string) joined with ", ". */
static enum edi_code street(struct buf *s, const struct rec_value *v)
{
	enum edi_code rc = EDI_OK;
	bool any = false;

	if (!v)
		return EDI_OK;
	if (v->kind != REC_ARRAY)
		return buf_addsv(s, text_of(v));
	for (const struct rec_value *e = v->first; e && !rc; e = e->next) {
		struct strview t = text_of(e);

		if (!t.len)
			continue;
		if (any)
			rc = buf_add(s, ", ", 2);
		if (!rc)
			rc = buf_addsv(s, t);
		any = true;
	}
	return rc;
}

static bool per_record(enum col_src src)
{
	switch (src) {
	case COL_RECORD:
	case COL_PARTY_NAME:
	case COL_PARTY_ID:
	case COL_PARTY_STREET:
	case COL_PARTY_ADDR:
	case COL_JOIN:
	case COL_AC:
		return true;
	case COL_LINE:
	case COL_LINE_JOIN:
	case COL_ACK:
	case COL_ORDER:
	case COL_PACK:
		break;
	}
	return false;
}

/*
 * The text of column c in row r; member is the line's member that a line
 * column names (write_row() finds them).  Joined text is appended to s: then
 * *joined_at is its offset in s and text->len its length, and the caller
 * points text into s once s stops growing; otherwise *joined_at is
 * SIZE_MAX and *text a view into the record.
 */
static enum edi_code cell(const struct col *c, const struct row *r,
			  const struct rec_value *member, struct buf *s,
			  struct strview *text, size_t *joined_at)
{
	static const char *const ac_keys[] = {"indicator", "code", "amount"};
	const char *qv_keys[2] = {"qualifier", c->b};
	const struct rec_value *p;
	size_t start = s->len;
	enum edi_code rc = EDI_OK;

	*joined_at = SIZE_MAX;
	switch (c->src) {
	case COL_RECORD:
		*text = text_of(path_get(r->rec, c->a));
		return EDI_OK;
	case COL_PARTY_NAME:
		*text = text_of(get(party(r->rec, c->a), "name"));
		return EDI_OK;
	case COL_PARTY_ID:
		p = first_of(party(r->rec, c->a), "ids");
		*text = text_of(get(p, "value"));
		return EDI_OK;
	case COL_PARTY_STREET:
		p = get(party(r->rec, c->a), "address");
		rc = street(s, get(p, "street"));
		break;
	case COL_PARTY_ADDR:
		p = get(party(r->rec, c->a), "address");
		*text = text_of(get(p, c->b));
		return EDI_OK;
	case COL_JOIN:
		rc = join(s, get(r->rec, c->a), qv_keys, 2, '=');
		break;
	case COL_LINE:
		*text = text_of(member);
		return EDI_OK;
	case COL_LINE_JOIN:
		rc = join(s, member, qv_keys, 2, '=');
		break;
	case COL_ACK:
		*text = text_of(get(first_of(r->line, "acks"), c->a));
		return EDI_OK;
	case COL_ORDER:
		*text = text_of(path_get(r->order, c->a));
		return EDI_OK;
	case COL_PACK:
		*text = text_of(path_get(r->pack, c->a));
		return EDI_OK;
	case COL_AC:
		rc = join(s, get(r->rec, c->a), ac_keys, 3, ':');
		break;
	}
	*joined_at = start;
	*text = sv_make(NULL, s->len - start);
	return rc;
}

/* 1 for the bytes that make a field quoted: ',' '"' '\r' '\n' */
static const unsigned char csv_special[256] = {
	['\n'] = 1, ['\r'] = 1, ['"'] = 1, [','] = 1};

static bool needs_quotes(struct strview v)
{
	unsigned char any = 0;

	for (size_t i = 0; i < v.len; i++)
		any |= csv_special[(unsigned char)v.ptr[i]];
	return any;
}

/* One field, after a comma unless it is the first of its row. */
static enum edi_code put_field(struct buf *b, bool first, struct strview v)
{
	enum edi_code rc;
	size_t start = 0;

	if (!needs_quotes(v)) {
		/* the usual field: one room check, the comma and the bytes */
		size_t n = v.len + !first;

		if ((n >= b->cap - b->len || n > b->max - b->len) &&
		    (rc = buf_reserve(b, n)) != EDI_OK)
			return rc;
		if (!first)
			b->ptr[b->len++] = ',';
		if (v.len)
			memcpy(b->ptr + b->len, v.ptr, v.len);
		b->len += v.len;
		b->ptr[b->len] = '\0';
		return EDI_OK;
	}
	if (!first && (rc = buf_addc(b, ',')) != EDI_OK)
		return rc;
	rc = buf_addc(b, '"');
	for (size_t i = 0; i < v.len && !rc; i++) {
		if (v.ptr[i] != '"')
			continue;
		/* the quote itself goes out twice: with this run and the next */
		rc = buf_add(b, v.ptr + start, i + 1 - start);
		start = i;
	}
	if (!rc)
		rc = buf_add(b, v.ptr + start, v.len - start);
	if (!rc)
		rc = buf_addc(b, '"');
	return rc;
}

static enum edi_code end_row(struct buf *b)
{
	return buf_add(b, "\r\n", 2);
}

/* The runs of the record's own columns, worked out once per record. */
static enum edi_code prepare(struct out *o, const struct rec_value *rec)
{
	struct row r = {rec, NULL, NULL, NULL};
	struct strview cells[MAX_COLS];
	size_t at[MAX_COLS], n = o->doc->ncols, run_at[MAX_COLS];
	enum edi_code rc = EDI_OK;

	for (size_t i = 0; i < n && !rc; i++) {
		at[i] = SIZE_MAX;
		if (per_record(o->doc->cols[i].src))
			rc = cell(&o->doc->cols[i], &r, NULL, &o->joined,
				  &cells[i], &at[i]);
	}
	for (size_t i = 0; i < n && !rc; i++)
		if (at[i] != SIZE_MAX)
			cells[i].ptr = buf_cstr(&o->joined) + at[i];
	for (size_t i = 0; i < n && !rc; i = o->run_end[i]) {
		size_t j = i;

		run_at[i] = o->rendered.len;
		while (!rc && j < n && per_record(o->doc->cols[j].src)) {
			rc = put_field(&o->rendered, j == i, cells[j]);
			j++;
		}
		o->run_end[i] = j > i ? j : i + 1;
		o->run[i] = sv_make(NULL, o->rendered.len - run_at[i]);
	}
	for (size_t i = 0; i < n && !rc; i = o->run_end[i])
		o->run[i].ptr = buf_cstr(&o->rendered) + run_at[i];
	return rc;
}

static enum edi_code write_row(struct out *o, const struct row *r)
{
	const struct rec_value *members[MAX_COLS], *m;
	enum edi_code rc = EDI_OK;
	struct strview text;
	size_t at;

	rec_find_members(&o->line_find, r->line, members);

	for (size_t i = 0; i < o->doc->ncols && !rc;) {
		const struct col *c = &o->doc->cols[i];

		if (per_record(c->src)) {
			if (i)
				rc = buf_addc(o->b, ',');
			if (!rc)
				rc = buf_addsv(o->b, o->run[i]);
			i = o->run_end[i];
			continue;
		}
		m = NULL;
		if (o->line_names[i])
			m = members[i];
		else if (c->src == COL_LINE)
			m = path_get(r->line, c->a);
		buf_reset(&o->scratch);
		rc = cell(c, r, m, &o->scratch, &text, &at);
		if (at != SIZE_MAX)
			text.ptr = buf_cstr(&o->scratch) + at;
		if (!rc)
			rc = put_field(o->b, i == 0, text);
		i++;
	}
	return rc ? rc : end_row(o->b);
}

static enum edi_code write_lines(struct out *o, const struct rec_value *rec)
{
	struct row r = {rec, NULL, NULL, NULL};
	const struct rec_value *line = first_of(rec, "lines");
	enum edi_code rc = EDI_OK;

	if (!line)
		return write_row(o, &r);
	for (; line && !rc; line = line->next) {
		r.line = line;
		rc = write_row(o, &r);
	}
	return rc;
}

/* The rows of the packs in packs (and packs inside them); counts them. */
static enum edi_code write_packs(struct out *o, struct row *r,
				 const struct rec_value *packs, unsigned depth,
				 size_t *nrows)
{
	enum edi_code rc = EDI_OK;

	if (!packs || packs->kind != REC_ARRAY)
		return EDI_OK;
	if (depth >= REC_CSV_MAX_PACK_DEPTH)
		return EDI_ELIMIT;
	for (const struct rec_value *p = packs->first; p && !rc; p = p->next) {
		const struct rec_value *item = first_of(p, "items");
		const struct rec_value *inner = get(p, "packs");
		bool has_inner =
			inner && inner->kind == REC_ARRAY && inner->first;

		for (; item && !rc; item = item->next) {
			r->pack = p;
			r->line = item;
			rc = write_row(o, r);
			++*nrows;
		}
		if (!rc && has_inner)
			rc = write_packs(o, r, inner, depth + 1, nrows);
		if (!rc && !first_of(p, "items") && !has_inner) {
			/* an empty pack still ships: a row for its SSCC */
			r->pack = p;
			r->line = NULL;
			rc = write_row(o, r);
			++*nrows;
		}
	}
	return rc;
}

static enum edi_code write_despatch(struct out *o, const struct rec_value *rec)
{
	struct row r = {rec, NULL, NULL, NULL};
	size_t nrows = 0, before;
	enum edi_code rc = EDI_OK;

	for (const struct rec_value *ord = first_of(rec, "orders"); ord && !rc;
	     ord = ord->next) {
		before = nrows;
		r.order = ord;
		rc = write_packs(o, &r, get(ord, "packs"), 0, &nrows);
		r.pack = NULL;
		for (const struct rec_value *item = first_of(ord, "items");
		     item && !rc; item = item->next) {
			r.line = item;
			rc = write_row(o, &r);
			nrows++;
		}
		if (!rc && nrows == before) {
			r.line = NULL;
			rc = write_row(o, &r);
			nrows++;
		}
		r.line = NULL;
	}
	if (!rc && nrows == 0) {
		r.order = NULL;
		rc = write_row(o, &r);
	}
	return rc;
}

static enum edi_code write_rows(struct out *o, const struct rec_value *rec)
{
	switch (o->doc->layout) {
	case LAYOUT_LINES:
		return write_lines(o, rec);
	case LAYOUT_DESPATCH:
		return write_despatch(o, rec);
	}
	return EDI_EINTERNAL;
}

/* Unknown doc_type: the scalar members, keys (header) or values. */
static enum edi_code write_scalars(struct buf *b, const struct rec_value *rec,
				   bool keys)
{
	enum edi_code rc = EDI_OK;
	bool first = true;

	for (const struct rec_value *c = rec->first; c && !rc; c = c->next) {
		if (!c->key || !is_scalar(c))
			continue;
		rc = put_field(b, first, keys ? sv_cstr(c->key) : text_of(c));
		first = false;
	}
	return rc ? rc : end_row(b);
}

static enum edi_code undo(struct buf *b, size_t len, enum edi_code rc)
{
	if (rc && b->ptr) {
		b->len = len;
		b->ptr[len] = '\0';
	}
	return rc;
}

static enum edi_code write_header(struct buf *b, const struct rec_csv_doc *d)
{
	enum edi_code rc = EDI_OK;

	for (size_t i = 0; i < d->ncols && !rc; i++)
		rc = put_field(b, i == 0, sv_cstr(d->cols[i].name));
	return rc ? rc : end_row(b);
}

enum edi_code rec_csv_header(struct buf *out, const char *doc_type)
{
	const struct rec_csv_doc *d = rec_csv_doc_find(sv_cstr(doc_type));

	if (!d)
		return EDI_EUSAGE;
	return undo(out, out->len, write_header(out, d));
}

enum edi_code rec_csv_header_record(struct buf *out,
				    const struct rec_value *record)
{
	const struct rec_csv_doc *d;

	if (!record || record->kind != REC_OBJECT)
		return EDI_EINTERNAL;
	d = rec_csv_doc_find(rec_get_text(record, "doc_type"));
	return undo(out, out->len,
		    d ? write_header(out, d)
		      : write_scalars(out, record, true));
}

enum edi_code rec_csv_write(struct buf *out, const struct rec_value *record)
{
	struct out o;
	size_t start = out->len;
	enum edi_code rc = EDI_OK;

	if (!record || record->kind != REC_OBJECT)
		return EDI_EINTERNAL;
	o.b = out;
	o.doc = rec_csv_doc_find(rec_get_text(record, "doc_type"));
	if (!o.doc)
		return undo(out, start, write_scalars(out, record, false));
	buf_init(&o.joined, out->max);
	buf_init(&o.rendered, out->max);
	buf_init(&o.scratch, out->max);
	for (size_t i = 0; i < o.doc->ncols; i++) {
		const struct col *c = &o.doc->cols[i];

		/* a line column names a member, unless it is a path */
		o.line_names[i] =
			c->src == COL_LINE_JOIN || (c->src == COL_LINE &&
						    !strchr(c->a, '.'))
				? c->a
				: NULL;
	}
	rec_find_init(&o.line_find, o.line_names, o.doc->ncols);
	rc = prepare(&o, record);
	if (!rc)
		rc = write_rows(&o, record);
	buf_release(&o.joined);
	buf_release(&o.rendered);
	buf_release(&o.scratch);
	return undo(out, start, rc);
}
