/*
 * cmd_translate - `edigate translate FILE... [--partner ID]
 * [--format jsonl|csv]`.
 *
 * Canonical records go to stdout, diagnostics to stderr.  Records of an
 * interchange are held until its IEA confirms the envelope (a broken group
 * or interchange rejects the sets in it), in memory up to
 * PENDING_MEMORY_MAX and in a temporary file past that, so memory follows
 * the largest set, not the file.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "flat_map.h"
#include "rec_csv.h"
#include "rec_json.h"
#include "registry.h"
#include "report.h"
#include "x12_translate.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#define PENDING_MEMORY_MAX (16u << 20)

static const char translate_usage[] =
	"usage: edigate translate [--partner ID] [--format jsonl|csv]\n"
	"                         [--maps DIR] [--partners DIR] FILE...\n"
	"\n"
	"Validate X12 (or flat) files and write one canonical record per\n"
	"accepted transaction set to stdout; errors go to stderr with their\n"
	"segment, element and byte offset.  Without --partner the partner is\n"
	"found from the ISA sender and receiver ids; when no profile matches,\n"
	"the shipped maps serve.  Accepted sets come out even when another\n"
	"set of the same file is rejected; a broken functional group or\n"
	"interchange envelope rejects the sets inside it.\n"
	"\n"
	"  --partner ID     use this partner profile (required for flat "
	"files)\n"
	"  --format F       jsonl (default) or csv (one row per line item)\n"
	"  --maps DIR       maps folder (default ./maps, else the installed "
	"maps)\n"
	"  --partners DIR   partner profiles (default ./partners if present)\n"
	"  --max-errors N   errors kept per file (default 100)\n"
	"\n"
	"Exit: 0 all accepted, 65 something rejected, 66 a file could not be\n"
	"read, 78 a map or profile has a mistake.\n";

/* Records waiting for their interchange to be confirmed. */
struct pending {
	struct buf mem;
	FILE *spill;	   /* past PENDING_MEMORY_MAX */
	size_t group_mark; /* length when the current group began */
	size_t total;	   /* bytes held, memory and file */
	size_t nrecords, group_records;
};

struct translate {
	const struct registry *reg;
	const struct partner *forced;
	bool csv;
	const char *file;
	const char *last_doc_type; /* CSV: header written for */
	struct pending pend;
	struct buf line;
	struct rec_json_names *names; /* the registry's member names */
	size_t json_before; /* pend.mem's length before a record written */
	size_t rejected_sets, lost_sets;
	bool write_failed;
};

/* Past PENDING_MEMORY_MAX: on to a temporary file, the held records
 * first.  (Without one, what is held is dropped.) */
static void pending_spill(struct translate *t)
{
	struct pending *p = &t->pend;

	p->spill = tmpfile();
	if (p->spill && p->mem.len &&
	    fwrite(p->mem.ptr, 1, p->mem.len, p->spill) != p->mem.len)
		t->write_failed = true;
	buf_reset(&p->mem);
}

static void pending_add(struct translate *t, struct strview bytes)
{
	struct pending *p = &t->pend;

	if (!p->spill && p->mem.len + bytes.len > PENDING_MEMORY_MAX)
		pending_spill(t);
	if (p->spill) {
		if (fwrite(bytes.ptr, 1, bytes.len, p->spill) != bytes.len)
			t->write_failed = true;
	} else if (buf_add(&p->mem, bytes.ptr, bytes.len) != EDI_OK) {
		t->write_failed = true;
	}
	p->total += bytes.len;
}

/* Drop what the current group added. */
static void pending_drop_group(struct pending *p)
{
	if (p->spill) {
		fflush(p->spill);
		if (ftruncate(fileno(p->spill), (off_t)p->group_mark) == 0)
			fseek(p->spill, (long)p->group_mark, SEEK_SET);
	} else {
		p->mem.len = p->group_mark;
	}
	p->total = p->group_mark;
	p->nrecords -= p->group_records;
}

static void pending_clear(struct pending *p)
{
	if (p->spill)
		fclose(p->spill);
	p->spill = NULL;
	buf_reset(&p->mem);
	p->total = p->group_mark = p->nrecords = p->group_records = 0;
}

static void pending_flush(struct translate *t)
{
	struct pending *p = &t->pend;
	char chunk[65536];
	size_t n;

	if (p->spill) {
		rewind(p->spill);
		while ((n = fread(chunk, 1, sizeof(chunk), p->spill)) > 0)
			if (fwrite(chunk, 1, n, stdout) != n)
				t->write_failed = true;
	} else if (p->mem.len &&
		   fwrite(p->mem.ptr, 1, p->mem.len, stdout) != p->mem.len) {
		t->write_failed = true;
	}
	pending_clear(p);
}

static const struct map *select_map(void *ctx, const struct x12_envelope *env,
				    struct strview document,
				    struct strview version,
				    const char **partner,
				    struct map_rule_opts *rules,
				    struct x12_veto *veto)
{
	struct translate *t = ctx;

	(void)veto; /* the spool's hook vetoes; here every set is checked */
	return registry_select(t->reg, t->forced, env->isa.sender_qual,
			       env->isa.sender, env->isa.receiver_qual,
			       env->isa.receiver, document, version, partner,
			       rules);
}

/* One record in the chosen format into t->line (a CSV header first when
 * the document type changes). */
static void format_record(struct translate *t, const struct rec_value *rec,
			  const char *doc_type)
{
	buf_reset(&t->line);
	if (t->csv) {
		if (!t->last_doc_type || strcmp(t->last_doc_type, doc_type)) {
			rec_csv_header_record(&t->line, rec);
			t->last_doc_type = doc_type;
		}
		rec_csv_write(&t->line, rec);
	} else {
		rec_json_write_names(&t->line, rec, t->names);
		buf_addc(&t->line, '\n');
	}
}

/*
 * A JSON line goes straight into the held records, without a copy, while
 * they are in memory and stay under PENDING_MEMORY_MAX; past it the line
 * takes pending_add()'s way.  A record that cannot be written is an empty
 * line, as in format_record().  The record is in mem from before on.
 */
static void hold_json_line(struct translate *t, size_t before)
{
	struct buf *mem = &t->pend.mem;
	size_t n;

	if (buf_addc(mem, '\n') != EDI_OK) {
		t->write_failed = true;
		return;
	}
	n = mem->len - before;
	if (before + n <= PENDING_MEMORY_MAX) {
		t->pend.total += n;
		return;
	}
	buf_reset(&t->line);
	buf_add(&t->line, mem->ptr + before, n);
	mem->len = before;
	mem->ptr[before] = '\0';
	pending_add(t, buf_view(&t->line));
}

static void hold_json(struct translate *t, const struct rec_value *rec)
{
	size_t before = t->pend.mem.len;

	(void)rec_json_write_names(&t->pend.mem, rec, t->names);
	hold_json_line(t, before);
}

/*
 * Where x12_translate writes a JSON record straight from the map's plan:
 * the held records when hold_json() would put it there, else t->line,
 * where format_record() would.
 */
static struct buf *json_out(void *ctx)
{
	struct translate *t = ctx;

	if (t->csv)
		return NULL;
	if (!t->pend.spill) {
		t->json_before = t->pend.mem.len;
		return &t->pend.mem;
	}
	buf_reset(&t->line);
	return &t->line;
}

static void on_record(void *ctx, const struct x12_set_result *r)
{
	struct translate *t = ctx;

	if (r->json && !t->pend.spill) {
		hold_json_line(t, t->json_before);
	} else if (r->json) {
		buf_addc(&t->line, '\n');
		pending_add(t, buf_view(&t->line));
	} else if (!t->csv && !t->pend.spill) {
		hold_json(t, r->record);
	} else {
		format_record(t, r->record, r->map->doc_type);
		pending_add(t, buf_view(&t->line));
	}
	t->pend.nrecords++;
	t->pend.group_records++;
}

static void on_set_rejected(void *ctx, const struct x12_set_result *r)
{
	struct translate *t = ctx;
	const struct x12_set_info *si = &r->env->done_set;
	struct buf out;

	t->rejected_sets++;
	buf_init(&out, SIZE_MAX / 2);
	buf_addf(&out,
		 "%s: transaction set %s '%s' at segment %zu rejected "
		 "(stage %s%s%s)%s\n",
		 t->file, si->id, si->control, si->segment, r->stage,
		 r->partner ? ", partner " : "", r->partner ? r->partner : "",
		 strcmp(r->stage, "envelope") ? ":" : "; errors below");
	if (strcmp(r->stage, "envelope"))
		report_text(&out, t->file, r->errors);
	fwrite(out.ptr, 1, out.len, stderr);
	buf_release(&out);
}

static void on_group_end(void *ctx, const struct x12_envelope *env,
			 bool accepted)
{
	struct translate *t = ctx;

	if (!accepted && t->pend.group_records) {
		fprintf(stderr,
			"%s: functional group %s '%s' is rejected: %zu "
			"accepted %s not written\n",
			t->file, env->done_group.code, env->done_group.control,
			t->pend.group_records,
			t->pend.group_records == 1 ? "set is" : "sets are");
		t->lost_sets += t->pend.group_records;
		pending_drop_group(&t->pend);
	}
	t->pend.group_mark = t->pend.total;
	t->pend.group_records = 0;
}

static void on_interchange_end(void *ctx, const struct x12_envelope *env,
			       bool accepted)
{
	struct translate *t = ctx;

	if (accepted) {
		pending_flush(t);
		return;
	}
	if (t->pend.nrecords) {
		fprintf(stderr,
			"%s: interchange '%s' is rejected: %zu accepted %s "
			"not written\n",
			t->file, env->done_isa.control, t->pend.nrecords,
			t->pend.nrecords == 1 ? "set is" : "sets are");
		t->lost_sets += t->pend.nrecords;
	}
	pending_clear(&t->pend);
}

enum file_result { FILE_OK, FILE_REJECTED, FILE_UNREADABLE };

/* The partner's flat map whose pattern matches the file's base name. */
static const struct map *flat_map_for(const struct partner *p, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	for (size_t i = 0; i < p->nflat; i++) {
		pcre2_match_data *md = pcre2_match_data_create(1, NULL);
		int rc = pcre2_match(p->flat[i].regex, (PCRE2_SPTR)base,
				     strlen(base), 0, 0, md, NULL);
		pcre2_match_data_free(md);
		if (rc >= 0)
			return p->flat[i].map;
	}
	return NULL;
}

static void flat_record(void *ctx, const struct flat_result *r)
{
	struct translate *t = ctx;
	const struct rec_value *dt = rec_get(r->record, "doc_type");

	/* doc_type views point at the map's NUL-terminated text */
	format_record(t, r->record, dt && dt->text.len ? dt->text.ptr : "");
	if (fwrite(t->line.ptr, 1, t->line.len, stdout) != t->line.len)
		t->write_failed = true;
}

static void flat_rejected(void *ctx, const struct flat_result *r)
{
	struct translate *t = ctx;
	struct buf out;

	t->rejected_sets++;
	buf_init(&out, SIZE_MAX / 2);
	buf_addf(&out, "%s: document '%.*s' (lines %zu-%zu) rejected:\n",
		 t->file, (int)r->key.len, r->key.ptr, r->first_line,
		 r->last_line);
	report_text(&out, t->file, r->errors);
	fwrite(out.ptr, 1, out.len, stderr);
	buf_release(&out);
}

static enum file_result translate_flat(struct translate *t, int fd,
				       const struct map *m,
				       const struct x12_limits *limits)
{
	struct flat_hooks hooks = {t, flat_record, flat_rejected};
	struct flat_opts opts = {t->forced->id, t->file, NULL,
				 limits->max_errors};
	struct flat_stats stats;
	struct edi_diag diag;
	struct edi_error err;
	struct buf text, out;
	char chunk[65536];
	ssize_t got;
	enum file_result res = FILE_OK;

	buf_init(&text, FLAT_MAX_BYTES);
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || buf_add(&text, chunk, (size_t)got)) {
			cli_error("cannot read '%s': %s", t->file,
				  got < 0 ? strerror(errno)
					  : "larger than the flat file limit");
			buf_release(&text);
			return FILE_UNREADABLE;
		}
	}
	edi_diag_init(&diag, limits->max_errors);
	t->rejected_sets = 0;
	if (flat_translate(m, buf_view(&text), &opts, &hooks, &stats, &diag,
			   &err) != EDI_OK) {
		cli_error("cannot translate '%s': %s", t->file, err.msg);
		res = FILE_REJECTED;
	}
	buf_init(&out, SIZE_MAX / 2);
	report_text(&out, t->file, &diag);
	buf_addf(&out, "%s: %zu %s (map %s): %zu accepted, %zu rejected\n",
		 t->file, stats.documents,
		 stats.documents == 1 ? "document" : "documents", m->id,
		 stats.accepted, stats.rejected);
	fwrite(out.ptr, 1, out.len, stderr);
	buf_release(&out);
	if (diag.nerrors || stats.rejected)
		res = FILE_REJECTED;
	edi_diag_release(&diag);
	buf_release(&text);
	return res;
}

static enum file_result translate_x12(struct translate *t, int fd,
				      const struct x12_limits *limits)
{
	struct x12_translate_hooks hooks = {t,
					    select_map,
					    on_record,
					    on_set_rejected,
					    on_group_end,
					    on_interchange_end};
	struct x12_translate_opts opts = {limits, t->file, NULL, false};
	struct x12_translate_stats stats;
	struct x12_reader reader;
	struct edi_diag diag;
	struct edi_error err;
	struct buf out;
	enum file_result res = FILE_OK;

	edi_diag_init(&diag, limits->max_errors);
	x12_reader_init_src(&reader,
			    (struct x12_source){x12_source_fd_read, &fd},
			    limits, &diag);
	t->rejected_sets = t->lost_sets = 0;
	if (x12_translate_run_json(&reader, &diag, &opts, &hooks, json_out,
				   &stats, &err) != EDI_OK) {
		cli_error("cannot read '%s': %s", t->file, err.msg);
		res = FILE_UNREADABLE;
	}
	/* an interchange cut short never reached its end */
	if (t->pend.nrecords) {
		t->lost_sets += t->pend.nrecords;
		pending_clear(&t->pend);
	}
	buf_init(&out, SIZE_MAX / 2);
	report_text(&out, t->file, &diag);
	buf_addf(&out, "%s: %zu transaction %s: %zu accepted, %zu rejected%s",
		 t->file, stats.sets, stats.sets == 1 ? "set" : "sets",
		 stats.accepted - t->lost_sets, stats.rejected + t->lost_sets,
		 t->lost_sets ? " (with those of broken envelopes)" : "");
	buf_addc(&out, '\n');
	fwrite(out.ptr, 1, out.len, stderr);
	buf_release(&out);
	if (res == FILE_OK && (diag.nerrors || stats.rejected || t->lost_sets))
		res = FILE_REJECTED;
	x12_reader_release(&reader);
	edi_diag_release(&diag);
	return res;
}

static enum file_result translate_file(struct translate *t, const char *path,
				       const struct x12_limits *limits)
{
	struct stat st;
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	enum file_result res;
	const struct map *flat;

	t->file = path;
	if (fd < 0) {
		cli_error("cannot read '%s': %s", path, strerror(errno));
		return FILE_UNREADABLE;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		cli_error("cannot read '%s': is a directory", path);
		close(fd);
		return FILE_UNREADABLE;
	}
	flat = t->forced ? flat_map_for(t->forced, path) : NULL;
	if (flat)
		res = translate_flat(t, fd, flat, limits);
	else
		res = translate_x12(t, fd, limits);
	if (!is_stdin)
		close(fd);
	return res;
}

int cmd_translate(int argc, char **argv, const struct cli_global *g)
{
	struct x12_limits limits;
	struct translate t;
	struct registry reg;
	struct edi_diag errors;
	const char *partner = NULL, *maps_dir = NULL, *partners_dir = NULL;
	bool any_rejected = false, any_unreadable = false;
	int nfiles = 0, rc;

	(void)g;
	x12_limits_default(&limits);
	memset(&t, 0, sizeof(t));
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (cli_is_help(a)) {
			fputs(translate_usage, stdout);
			return EXIT_OK_;
		}
		if (!strcmp(a, "--partner") || !strcmp(a, "--format") ||
		    !strcmp(a, "--maps") || !strcmp(a, "--partners") ||
		    !strcmp(a, "--max-errors")) {
			if (!next) {
				cli_error("translate: %s needs a value", a);
				return EXIT_USAGE;
			}
			if (!strcmp(a, "--partner"))
				partner = next;
			else if (!strcmp(a, "--maps"))
				maps_dir = next;
			else if (!strcmp(a, "--partners"))
				partners_dir = next;
			else if (!strcmp(a, "--max-errors")) {
				if (!cli_parse_count(a, next,
						     &limits.max_errors))
					return EXIT_USAGE;
			} else if (!strcmp(next, "csv"))
				t.csv = true;
			else if (strcmp(next, "jsonl")) {
				cli_error("translate: --format is jsonl or "
					  "csv, not '%s'",
					  next);
				return EXIT_USAGE;
			}
			argv[i] = argv[i + 1] = NULL;
			i++;
		} else if (a[0] == '-' && a[1] != '\0') {
			cli_error("translate: unknown option '%s'", a);
			fputs(translate_usage, stderr);
			return EXIT_USAGE;
		} else {
			nfiles++;
		}
	}
	if (!nfiles) {
		cli_error("translate: name at least one file");
		fputs(translate_usage, stderr);
		return EXIT_USAGE;
	}
	rc = cli_load_registry(&reg, maps_dir, partners_dir, &errors);
	if (rc != EXIT_OK_)
		return rc;
	t.reg = &reg;
	if (partner && !(t.forced = registry_partner(&reg, partner))) {
		cli_error("translate: no partner profile '%s' in %s", partner,
			  reg.partners_dir ? reg.partners_dir : "(none)");
		registry_release(&reg);
		return EXIT_USAGE;
	}
	buf_init(&t.pend.mem, SIZE_MAX / 2);
	buf_init(&t.line, SIZE_MAX / 2);
	t.names = rec_json_names_new();
	for (int i = 1; i < argc; i++) {
		if (!argv[i] || (argv[i][0] == '-' && argv[i][1] != '\0'))
			continue;
		switch (translate_file(&t, argv[i], &limits)) {
		case FILE_OK:
			break;
		case FILE_REJECTED:
			any_rejected = true;
			break;
		case FILE_UNREADABLE:
			any_unreadable = true;
			break;
		}
	}
	buf_release(&t.pend.mem);
	buf_release(&t.line);
	rec_json_names_free(t.names);
	registry_release(&reg);
	if (fflush(stdout) != 0 || t.write_failed) {
		cli_error("cannot write the records: %s", strerror(errno));
		return EXIT_SOFTWARE;
	}
	if (any_unreadable)
		return EXIT_NOINPUT;
	return any_rejected ? EXIT_DATAERR : EXIT_OK_;
}
