/*
 * flat_map - flat files to records; see flat_map.h.
 */
#include "flat_map.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "arena.h"
#include "map_exec.h"

struct row {
	struct strview *cols;
	size_t ncols;
	size_t line;   /* 1-based */
	size_t offset; /* byte offset of the row */
};

struct flat {
	const struct map *map;
	struct strview text;
	const struct flat_opts *opts;
	struct arena *arena; /* per document */
	struct arena rows_arena;
	struct strview *header; /* CSV column names */
	size_t nheader;
	struct edi_diag errs;
	char sha[65];
	size_t pos, line;
};

static bool at_end(const struct flat *f)
{
	return f->pos >= f->text.len;
}

/* One CSV record (RFC 4180; quoted fields may hold newlines). */
static bool csv_row(struct flat *f, struct arena *a, struct row *row)
{
	const char *p = f->text.ptr;
	size_t n = f->text.len, i = f->pos, cap = 16;
	char delim = f->map->csv_delimiter ? f->map->csv_delimiter : ',';
	char quote = f->map->csv_quote ? f->map->csv_quote : '"';

	if (at_end(f))
		return false;
	row->line = ++f->line;
	row->offset = i;
	row->ncols = 0;
	row->cols = arena_array(a, cap, sizeof(*row->cols));
	for (;;) {
		struct strview v;
		if (i < n && p[i] == quote) {
			/* quoted: copy with doubled quotes undone */
			char *out = arena_alloc(a, n - i + 1);
			size_t o = 0;
			i++;
			while (i < n) {
				if (p[i] == quote) {
					if (i + 1 < n && p[i + 1] == quote) {
						out[o++] = quote;
						i += 2;
						continue;
					}
					i++;
					break;
				}
				if (p[i] == '\n')
					f->line++;
				out[o++] = p[i++];
			}
			v = sv_make(out, o);
			while (i < n && p[i] != delim && p[i] != '\n')
				i++; /* stray bytes after the closing quote */
		} else {
			size_t start = i;
			while (i < n && p[i] != delim && p[i] != '\n')
				i++;
			v = sv_make(p + start, i - start);
			if (v.len && v.ptr[v.len - 1] == '\r' &&
			    (i >= n || p[i] == '\n'))
				v.len--;
		}
		if (row->ncols == cap) {
			struct strview *bigger;
			if (cap >= FLAT_MAX_COLUMNS)
				break;
			bigger = arena_array(a, cap * 2, sizeof(*bigger));
			memcpy(bigger, row->cols, cap * sizeof(*bigger));
			row->cols = bigger;
			cap *= 2;
		}
		row->cols[row->ncols++] = v;
		if (i < n && p[i] == delim) {
			i++;
			continue;
		}
		break;
	}
	while (i < n && p[i] != '\n')
		i++;
	f->pos = i < n ? i + 1 : n;
	return true;
}

static bool fixed_row(struct flat *f, struct arena *a, struct row *row)
{
	const char *p = f->text.ptr;
	size_t start = f->pos, end;
	struct strview line;

	if (at_end(f))
		return false;
	end = start;
	while (end < f->text.len && p[end] != '\n')
		end++;
	f->pos = end < f->text.len ? end + 1 : end;
	line = sv_make(p + start, end - start);
	if (line.len && line.ptr[line.len - 1] == '\r')
		line.len--;
	row->line = ++f->line;
	row->offset = start;
	row->ncols = f->map->ncolumns;
	row->cols =
		arena_array(a, row->ncols ? row->ncols : 1, sizeof(*row->cols));
	for (size_t c = 0; c < f->map->ncolumns; c++) {
		const struct map_column *col = &f->map->columns[c];
		size_t s = col->start ? col->start - 1 : 0;
		struct strview v = sv_make("", 0);
		if (s < line.len) {
			size_t len = col->len;
			if (s + len > line.len)
				len = line.len - s;
			v = sv_make(line.ptr + s, len);
			while (v.len && v.ptr[v.len - 1] == ' ')
				v.len--;
		}
		row->cols[c] = v;
	}
	return true;
}

static bool next_row(struct flat *f, struct arena *a, struct row *row)
{
	for (;;) {
		bool got = f->map->format == MAP_FORMAT_CSV
				   ? csv_row(f, a, row)
				   : fixed_row(f, a, row);
		bool blank = true;
		if (!got)
			return false;
		for (size_t i = 0; i < row->ncols && blank; i++)
			blank = sv_is_blank(row->cols[i]);
		if (!blank)
			return true; /* blank lines are skipped */
	}
}

/* The 0-based column of a path, or -1. */
static long column_of(const struct flat *f, const struct map_path *p)
{
	const char *name = p->column ? p->column : p->tag;

	if (p->column_index)
		return (long)p->column_index - 1;
	if (f->map->format == MAP_FORMAT_FIXED) {
		for (size_t c = 0; c < f->map->ncolumns; c++)
			if (!strcmp(f->map->columns[c].name, name))
				return (long)c;
		return -1;
	}
	for (size_t c = 0; c < f->nheader; c++)
		if (sv_eq_cstr(f->header[c], name))
			return (long)c;
	return -1;
}

static struct strview cell(const struct flat *f, const struct row *row,
			   const struct map_path *p, bool *found)
{
	long c = column_of(f, p);
	struct strview none = {"", 0};

	if (c < 0 || (size_t)c >= row->ncols) {
		*found = false;
		return none;
	}
	*found = row->cols[c].len > 0 && !sv_is_blank(row->cols[c]);
	return row->cols[c];
}

static struct rec_value *eval(struct flat *f, const struct row *rows,
			      size_t nrows, const struct row *cur,
			      const struct map_field *fld);

static struct rec_value *eval_children(struct flat *f, const struct row *rows,
				       size_t nrows, const struct row *cur,
				       const struct map_field *fld, bool array)
{
	struct rec_value *v =
		array ? rec_array(f->arena) : rec_object(f->arena);

	for (size_t i = 0; i < fld->nchildren; i++) {
		struct rec_value *c =
			eval(f, rows, nrows, cur, &fld->children[i]);
		if (c)
			rec_add(v, array ? NULL : fld->children[i].name, c);
	}
	return v->nchildren ? v : NULL;
}

static struct rec_value *eval(struct flat *f, const struct row *rows,
			      size_t nrows, const struct row *cur,
			      const struct map_field *fld)
{
	struct rec_value *v, *arr;
	struct edi_error err;
	struct strview raw;
	bool found;

	switch (fld->kind) {
	case MAP_FIELD_PATH:
		raw = cell(f, cur, &fld->path, &found);
		if (map_exec_value(fld, raw, found, f->arena, &v, &err) !=
		    EDI_OK) {
			struct edi_loc loc = edi_loc_none();
			long c = column_of(f, &fld->path);
			loc.offset = cur->offset;
			loc.element = c >= 0 ? (unsigned)c + 1 : 0;
			edi_diag_addf(&f->errs, X12_MAP_VALUE, &loc,
				      "line %zu, column '%s': %s", cur->line,
				      fld->path.column ? fld->path.column
						       : fld->path.tag,
				      err.msg);
			return NULL;
		}
		return v;
	case MAP_FIELD_CONST:
		return rec_str(f->arena, sv_cstr(fld->constant));
	case MAP_FIELD_OBJECT:
		return eval_children(f, rows, nrows, cur, fld, false);
	case MAP_FIELD_LIST:
		return eval_children(f, rows, nrows, cur, fld, true);
	case MAP_FIELD_EACH:
		arr = rec_array(f->arena);
		for (size_t i = 0; i < nrows; i++) {
			struct rec_value *o = eval_children(
				f, rows, nrows, &rows[i], fld, false);
			if (o)
				rec_add(arr, NULL, o);
		}
		return arr->nchildren ? arr : NULL;
	case MAP_FIELD_PAIRS:
		return NULL; /* X12 only; map_load refuses it in flat maps */
	}
	return NULL;
}

static void emit(struct flat *f, const struct row *rows, size_t nrows,
		 struct strview key, bool dup, const struct flat_hooks *hooks,
		 struct flat_stats *stats)
{
	const struct map *m = f->map;
	struct rec_value *rec = rec_object(f->arena), *src, *lines, *fields;
	struct flat_result res = {.key = key,
				  .first_line = rows[0].line,
				  .last_line = rows[nrows - 1].line};
	const char *partner = f->opts->partner ? f->opts->partner : "flat";
	struct strview business;
	bool found;

	stats->documents++;
	rec_add(rec, "doc_type", rec_str(f->arena, sv_cstr(m->doc_type)));
	rec_add(rec, "id",
		rec_str(f->arena,
			sv_cstr(arena_printf(f->arena, "%s.%.12s.%zu", partner,
					     f->sha, rows[0].line))));
	business = cell(f, &rows[0], &m->doc_key, &found);
	if (found)
		rec_add(rec, "doc_key",
			rec_str(f->arena,
				sv_cstr(arena_printf(f->arena, "%s:%s:%.*s",
						     partner, m->doc_type,
						     (int)business.len,
						     business.ptr))));
	if (f->opts->partner)
		rec_add(rec, "partner",
			rec_str(f->arena, sv_cstr(f->opts->partner)));
	if (f->opts->correlation_id)
		rec_add(rec, "correlation_id",
			rec_str(f->arena, sv_cstr(f->opts->correlation_id)));
	src = rec_object(f->arena);
	rec_add(src, "format",
		rec_str(f->arena, m->format == MAP_FORMAT_CSV
					  ? SV_LIT("csv")
					  : SV_LIT("fixed")));
	if (f->opts->file)
		rec_add(src, "file", rec_str(f->arena, sv_cstr(f->opts->file)));
	rec_add(src, "sha256", rec_str(f->arena, sv_cstr(f->sha)));
	lines = rec_object(f->arena);
	rec_add(lines, "first",
		rec_number(f->arena, sv_cstr(arena_printf(f->arena, "%zu",
							  rows[0].line))));
	rec_add(lines, "last",
		rec_number(f->arena,
			   sv_cstr(arena_printf(f->arena, "%zu",
						rows[nrows - 1].line))));
	rec_add(src, "lines", lines);
	rec_add(rec, "source", src);
	edi_diag_reset(&f->errs);
	if (dup) {
		struct edi_loc loc = edi_loc_none();
		loc.offset = rows[0].offset;
		edi_diag_addf(&f->errs, X12_MAP_VALUE, &loc,
			      "line %zu: %s '%.*s' comes back after other "
			      "documents; the rows of one document must be "
			      "together",
			      rows[0].line, m->group_by, (int)key.len, key.ptr);
	}
	fields = eval_children(f, rows, nrows, &rows[0], &m->record, false);
	for (struct rec_value *v = fields ? fields->first : NULL, *next; v;
	     v = next) {
		next = v->next;
		v->next = NULL;
		rec_add(rec, v->key, v);
	}
	if (f->errs.nerrors) {
		stats->rejected++;
		res.errors = &f->errs;
		if (hooks->on_rejected)
			hooks->on_rejected(hooks->ctx, &res);
		return;
	}
	stats->accepted++;
	res.record = rec;
	if (hooks->on_record)
		hooks->on_record(hooks->ctx, &res);
}

static void sha256_hex(struct strview text, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	out[0] = '\0';
	if (!EVP_Digest(text.ptr, text.len, md, &len, EVP_sha256(), NULL))
		return;
	for (unsigned int i = 0; i < len && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

enum edi_code flat_translate(const struct map *m, struct strview text,
			     const struct flat_opts *opts,
			     const struct flat_hooks *hooks,
			     struct flat_stats *stats, struct edi_diag *diag,
			     struct edi_error *err)
{
	struct flat f;
	struct arena doc;
	struct row *rows = NULL, row;
	size_t nrows = 0, cap = 0, nseen = 0, seen_cap = 0;
	struct strview *seen = NULL, key = {"", 0};
	struct map_path group;
	struct edi_loc loc;
	bool dup = false;

	memset(stats, 0, sizeof(*stats));
	memset(&group, 0, sizeof(group));
	if (text.len > FLAT_MAX_BYTES)
		return edi_fail(err, EDI_ELIMIT, NULL,
				"flat file larger than %u bytes",
				FLAT_MAX_BYTES);
	memset(&f, 0, sizeof(f));
	f.map = m;
	f.text = text;
	f.opts = opts;
	arena_init(&f.rows_arena, 256 * 1024);
	arena_init(&doc, 256 * 1024);
	f.arena = &doc;
	edi_diag_init(&f.errs, opts->max_errors ? opts->max_errors : 100);
	sha256_hex(text, f.sha);
	if (text.len >= 3 && !memcmp(text.ptr, "\xef\xbb\xbf", 3))
		f.pos = 3;
	if (m->format == MAP_FORMAT_CSV && m->csv_header) {
		if (!next_row(&f, &f.rows_arena, &row)) {
			loc = edi_loc_none();
			loc.offset = 0;
			edi_diag_addf(diag, X12_EMPTY, &loc,
				      "the file has no header row");
			goto out;
		}
		f.header = row.cols;
		f.nheader = row.ncols;
	}
	group.column = m->group_by;
	if (group.column && column_of(&f, &group) < 0) {
		loc = edi_loc_none();
		loc.offset = 0;
		edi_diag_addf(diag, X12_MAP_VALUE, &loc,
			      "no column '%s' (group_by of map %s)",
			      m->group_by, m->id);
		goto out;
	}
	for (;;) {
		bool got = next_row(&f, &f.rows_arena, &row), found = true;
		struct strview k = group.column ? cell(&f, &row, &group, &found)
						: sv_make("", 0);
		if (got && nrows && group.column && sv_eq(k, key)) {
			/* the same document goes on */
		} else if (nrows) {
			emit(&f, rows, nrows, key, dup, hooks, stats);
			arena_reset(&doc);
			nrows = 0;
		}
		if (!got)
			break;
		if (!nrows && group.column) {
			dup = false;
			for (size_t i = 0; i < nseen && !dup; i++)
				dup = sv_eq(seen[i], k);
			if (nseen == seen_cap) {
				struct strview *bigger;
				seen_cap = seen_cap ? seen_cap * 2 : 64;
				bigger = arena_array(&f.rows_arena, seen_cap,
						     sizeof(*seen));
				if (nseen)
					memcpy(bigger, seen,
					       nseen * sizeof(*seen));
				seen = bigger;
			}
			seen[nseen++] = k;
		}
		if (nrows == cap) {
			struct row *bigger;
			cap = cap ? cap * 2 : 64;
			bigger = arena_array(&f.rows_arena, cap, sizeof(*rows));
			if (nrows)
				memcpy(bigger, rows, nrows * sizeof(*rows));
			rows = bigger;
		}
		rows[nrows++] = row;
		key = k;
	}
out:
	edi_diag_release(&f.errs);
	arena_release(&doc);
	arena_release(&f.rows_arena);
	return EDI_OK;
}
