/*
 * outbound_erp - the erp-in/ pickup and the outbound work of an erp-in
 * entry; see outbound_erp.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "outbound_erp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "fileio.h"
#include "journal_int.h"
#include "journal_outbound.h"
#include "outbound_emit.h"
#include "spool_receive.h"
#include "xalloc.h"

#define PICKUP_MAX 10000 /* files admitted by one pickup */

bool outbound_erp_source(const char *source)
{
	return source && !strcmp(source, OUTBOUND_ERP_SOURCE);
}

/* The profile whose id the file name starts with (longest wins). */
static const struct partner *partner_by_name(const struct registry *reg,
					     const char *name)
{
	const struct partner *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; i < reg->npartners; i++) {
		const char *id = reg->partners[i].id;
		size_t n = strlen(id);
		if (n > best_len && !strncmp(name, id, n) &&
		    (name[n] == '.' || name[n] == '_' || name[n] == '-')) {
			best = &reg->partners[i];
			best_len = n;
		}
	}
	return best;
}

/* The `partner` of the first record of data, copied to out ("" none). */
static void partner_by_record(struct strview data, char *out, size_t size)
{
	size_t pos = 0;

	out[0] = '\0';
	while (pos < data.len) {
		const char *p = data.ptr + pos;
		const char *nl = memchr(p, '\n', data.len - pos);
		size_t len = nl ? (size_t)(nl - p) : data.len - pos;
		json_t *rec;

		pos += len + (nl != NULL);
		if (sv_is_blank(sv_make(p, len)))
			continue;
		rec = json_loadb(p, len, 0, NULL);
		str_copy(out, size,
			 json_string_value(json_object_get(rec, "partner")));
		json_decref(rec);
		return;
	}
}

#define ADMIT_CHUNK (1 << 16)

/* Copy path into a new entry of in/ (its id into id), streaming. */
static enum edi_code admit_copy(const struct spool *sp,
				const struct registry *reg, const char *path,
				const char *name, time_t now, char *chunk,
				char id[SPOOL_ID_MAX], struct edi_error *err)
{
	char partner[SPOOL_ID_PARTNER_MAX];
	struct spool_receipt r;
	const struct partner *p;
	enum edi_code rc;
	ssize_t got;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot read '%s': %s", path, strerror(errno));
	do
		got = read(fd, chunk, ADMIT_CHUNK);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		rc = edi_fail(err, fileio_code(errno), NULL,
			      "cannot read '%s': %s", path, strerror(errno));
		close(fd);
		return rc;
	}
	p = partner_by_name(reg, name);
	if (p)
		str_copy(partner, sizeof(partner), p->id);
	else
		partner_by_record(sv_make(chunk, (size_t)got), partner,
				  sizeof(partner));
	if (!spool_id_valid(partner))
		partner[0] = '\0'; /* the pipeline will say */
	rc = spool_receive_open(&r, sp, name, OUTBOUND_ERP_SOURCE,
				partner[0] ? partner : NULL, 0, now, err);
	while (!rc && got > 0) {
		rc = spool_receive_write(&r, chunk, (size_t)got, err);
		do
			got = read(fd, chunk, ADMIT_CHUNK);
		while (!rc && got < 0 && errno == EINTR);
		if (!rc && got < 0) {
			rc = edi_fail(err, fileio_code(errno), NULL,
				      "cannot read '%s': %s", path,
				      strerror(errno));
			spool_receive_abort(&r);
		}
	}
	close(fd);
	if (!rc)
		rc = spool_receive_commit(&r, NULL, err);
	if (!rc)
		str_copy(id, SPOOL_ID_MAX, r.meta.id);
	return rc;
}

/*
 * One file of erp-in/ into in/, then removed from erp-in/.  A file past
 * OUTBOUND_ERP_MAX is admitted too: its entry goes to error/ with the
 * reason rather than waiting unseen.
 */
static enum edi_code admit_one(const struct spool *sp,
			       const struct registry *reg, const char *dir,
			       const char *name, time_t now,
			       struct edi_error *err)
{
	char path[FILEIO_PATH_MAX], id[SPOOL_ID_MAX];
	char *chunk;
	enum edi_code rc;

	rc = fileio_join(path, sizeof(path), dir, name, err);
	if (rc)
		return rc;
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return EDI_OK; /* taken meanwhile */
	chunk = xmalloc(ADMIT_CHUNK);
	rc = admit_copy(sp, reg, path, name, now, chunk, id, err);
	free(chunk);
	if (rc)
		return rc;
	/* durable in in/: now it may leave erp-in/ */
	if (unlink(path) != 0 && errno != ENOENT)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot remove '%s' after admitting it as "
				"'%s': %s",
				path, id, strerror(errno));
	return fileio_fsync_dir(dir, err);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

enum edi_code outbound_erp_pickup(const struct spool *sp,
				  const struct registry *reg, time_t now,
				  size_t *admitted, struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX];
	char **names = NULL;
	size_t n = 0, cap = 0;
	enum edi_code rc;
	struct dirent *d;
	DIR *dp;

	*admitted = 0;
	rc = spool_path(sp, OUTBOUND_ERP_DIR, dir, sizeof(dir), err);
	if (!rc)
		rc = fileio_mkdirs(dir, 0750, err);
	if (rc)
		return rc;
	dp = opendir(dir);
	if (!dp)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot read '%s': %s", dir, strerror(errno));
	while ((d = readdir(dp)) != NULL && n < PICKUP_MAX) {
		char path[FILEIO_PATH_MAX];
		struct stat st;
		struct edi_error e;
		if (d->d_name[0] == '.' ||
		    fileio_join(path, sizeof(path), dir, d->d_name, &e) ||
		    lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(d->d_name);
	}
	closedir(dp);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		if (!rc) {
			rc = admit_one(sp, reg, dir, names[i], now, err);
			*admitted += !rc;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* --- one entry --- */

struct erp_ctx {
	struct journal *j;
	const char *partner;
};

static enum edi_code journal_control(void *ctx, const char *which,
				     uint64_t *value, struct edi_error *err)
{
	struct erp_ctx *c = ctx;
	int64_t v = 0;
	enum edi_code rc;

	rc = outbox_next_control(c->j, c->partner, which, &v, err);
	*value = (uint64_t)v;
	return rc;
}

/*
 * Was record id sent to partner before?  One look-up by the record_id
 * index of journal_outbound's table (its general find scans); *st is
 * prepared on first use and finalized by the caller.  No table yet: no.
 */
static enum edi_code already_sent(struct journal *j, sqlite3_stmt **st,
				  const char *partner, const char *id,
				  bool *sent, struct edi_error *err)
{
	sqlite3 *db = journal_db(j);
	int rc;

	*sent = false;
	if (!*st) {
		rc = sqlite3_prepare_v2(db,
					"SELECT 1 FROM outbound_sets WHERE"
					" record_id = ?1 AND partner = ?2"
					" LIMIT 1",
					-1, st, NULL);
		if (rc == SQLITE_ERROR &&
		    strstr(sqlite3_errmsg(db), "no such table"))
			return EDI_OK; /* nothing was ever sent */
		if (rc != SQLITE_OK)
			return journal_sql_fail(
				j, rc, err, "cannot read the outbound sets");
	}
	sqlite3_reset(*st);
	if (sqlite3_bind_text(*st, 1, id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(*st, 2, partner, -1, SQLITE_STATIC) != SQLITE_OK)
		return journal_sql_fail(j, SQLITE_ERROR, err,
					"cannot read the outbound sets");
	rc = sqlite3_step(*st);
	if (rc == SQLITE_ROW)
		*sent = true;
	else if (rc != SQLITE_DONE)
		return journal_sql_fail(j, rc, err,
					"cannot read the outbound sets");
	sqlite3_reset(*st);
	return EDI_OK;
}

/* Records without an id, repeated or already sent. */
static enum edi_code mark_records(struct journal *j, const char *partner,
				  struct outbound_recs *recs,
				  struct outbound_erp_result *res,
				  struct edi_diag *diag, struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc = EDI_OK;

	for (size_t i = 0; !rc && i < recs->n; i++) {
		struct outbound_rec *r = &recs->v[i];
		bool sent = false;

		if (r->failed)
			continue;
		if (!r->id[0]) {
			r->failed = true;
			edi_diag_addf(diag, EDI_EDATA, NULL,
				      "record '%s': id: an erp-in record needs "
				      "an id (the key that keeps it from being "
				      "sent twice)",
				      r->label);
			continue;
		}
		for (size_t k = 0; k < i && !sent; k++)
			sent = !strcmp(recs->v[k].id, r->id) &&
			       !recs->v[k].failed;
		if (!sent)
			rc = already_sent(j, &st, partner, r->id, &sent, err);
		if (sent) {
			r->skip = true;
			res->skipped++;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

/* The journal rows of the sets written. */
static enum edi_code record_sets(struct journal *j, const char *partner,
				 unsigned window_hours,
				 const struct outbound_recs *recs,
				 const char *file, const char *entry_id,
				 time_t now, struct edi_error *err)
{
	for (size_t i = 0; i < recs->n; i++) {
		const struct outbound_rec *r = &recs->v[i];
		struct journal_outbound o;
		enum edi_code rc;

		if (!r->sent)
			continue;
		memset(&o, 0, sizeof(o));
		str_copy(o.partner, sizeof(o.partner), partner);
		snprintf(o.isa13, sizeof(o.isa13), "%09" PRIu64, r->isa13);
		snprintf(o.gs06, sizeof(o.gs06), "%" PRIu64, r->gs06);
		str_copy(o.st02, sizeof(o.st02), r->st02);
		str_copy(o.st01, sizeof(o.st01), r->st01);
		str_copy(o.doc_key, sizeof(o.doc_key), r->doc_key);
		str_copy(o.record_id, sizeof(o.record_id), r->id);
		str_copy(o.file, sizeof(o.file), file);
		str_copy(o.entry_id, sizeof(o.entry_id), entry_id);
		o.sent_at = (int64_t)now;
		/* the partner's 997 is overdue after its acks.window_hours */
		o.due_at = window_hours
				   ? o.sent_at + (int64_t)window_hours * 3600
				   : 0;
		rc = journal_outbound_add(j, &o, err);
		if (rc)
			return rc == EDI_EDATA ? EDI_EIO : rc;
	}
	return EDI_OK;
}

/*
 * The entry's row in the journal's files, which the staged batch refers
 * to; the pipeline writes the final one (state, stage, attempts) later in
 * the same transaction.
 */
static enum edi_code file_row(struct journal *j, const struct spool_meta *m,
			      const char *partner, time_t now,
			      struct edi_error *err)
{
	struct journal_file jf;

	memset(&jf, 0, sizeof(jf));
	str_copy(jf.entry_id, sizeof(jf.entry_id), m->id);
	str_copy(jf.name, sizeof(jf.name), m->name);
	str_copy(jf.partner, sizeof(jf.partner), partner);
	str_copy(jf.sha256, sizeof(jf.sha256), m->sha256);
	str_copy(jf.state, sizeof(jf.state), "work");
	jf.size = m->size;
	jf.received_at = (int64_t)m->received;
	jf.updated_at = (int64_t)now;
	return journal_file_put(j, &jf, err);
}

/* The file's kind for its name: the document, or "x12" when mixed. */
static const char *file_kind(const struct outbound_recs *recs)
{
	const char *kind = NULL;

	for (size_t i = 0; i < recs->n; i++) {
		if (!recs->v[i].sent)
			continue;
		if (kind && strcmp(kind, recs->v[i].st01))
			return "x12";
		kind = recs->v[i].st01;
	}
	return kind ? kind : "x12";
}

static enum edi_code emit_entry(const struct registry *reg, struct journal *j,
				struct outbox *outbox, const struct partner *p,
				struct strview data, const struct spool_meta *m,
				time_t now, struct outbound_erp_result *res,
				struct edi_diag *diag, struct edi_error *err)
{
	struct erp_ctx ctx = {j, p->id};
	struct outbound_recs recs;
	struct outbound_opts o;
	struct buf out;
	char name[SPOOL_NAME_MAX];
	size_t nsets = 0;
	enum edi_code rc;

	rc = outbound_parse(data, NULL, &recs, diag, err);
	if (rc) {
		edi_diag_addf(diag, EDI_EDATA, NULL, "%s", err->msg);
		res->stage = "map";
		return EDI_OK;
	}
	res->records = recs.n;
	rc = mark_records(j, p->id, &recs, res, diag, err);
	memset(&o, 0, sizeof(o));
	o.now = now;
	o.next_control = journal_control;
	o.ctx = &ctx;
	buf_init(&out, SIZE_MAX / 2);
	if (!rc)
		rc = outbound_emit(reg, p, &recs, &o, &out, &nsets, diag, err);
	if (rc && rc != EDI_EIO && rc != EDI_ETEMP && rc != EDI_ENOMEM) {
		/* the profile cannot address an interchange (ECONFIG), or
		 * the writer refused one: nothing of this file goes out */
		edi_diag_addf(diag, EDI_EDATA, NULL, "%s", err->msg);
		res->stage = rc == EDI_ECONFIG ? "partner" : "map";
		for (size_t i = 0; i < recs.n; i++)
			recs.v[i].sent = false;
		rc = EDI_OK;
		nsets = 0;
	} else if (!rc && nsets) {
		int64_t isa13 = 0;
		for (size_t i = 0; i < recs.n && !isa13; i++)
			if (recs.v[i].sent)
				isa13 = (int64_t)recs.v[i].isa13;
		outbox_name(name, now, file_kind(&recs), isa13);
		rc = file_row(j, m, p->id, now, err);
		if (!rc)
			rc = outbox_stage(outbox, p->id, name, m->id, out.ptr,
					  out.len, now, err);
		if (!rc)
			rc = record_sets(j, p->id, p->ack_window_hours, &recs,
					 name, m->id, now, err);
	}
	for (size_t i = 0; i < recs.n; i++) {
		res->sent += recs.v[i].sent;
		res->failed += recs.v[i].failed;
	}
	if (!rc && (res->failed || diag->nerrors) && !res->stage)
		res->stage = "map";
	buf_release(&out);
	outbound_recs_release(&recs);
	return rc;
}

enum edi_code outbound_erp_entry(const struct registry *reg, struct journal *j,
				 struct outbox *outbox, const char *entry_dir,
				 const struct spool_meta *m, time_t now,
				 struct outbound_erp_result *res,
				 struct edi_diag *diag, struct edi_error *err)
{
	char path[FILEIO_PATH_MAX], named[SPOOL_ID_PARTNER_MAX];
	struct buf data;
	enum edi_code rc;

	memset(res, 0, sizeof(*res));
	rc = fileio_join(path, sizeof(path), entry_dir, m->file, err);
	if (!rc)
		rc = fileio_read_all(path, OUTBOUND_ERP_MAX, &data, err);
	if (rc == EDI_ELIMIT || rc == EDI_EDATA) {
		edi_diag_addf(diag, EDI_EDATA, NULL, "%s", err->msg);
		res->stage = "map";
		return EDI_OK;
	}
	if (rc)
		return rc;
	str_copy(named, sizeof(named), m->partner);
	if (!named[0])
		partner_by_record(buf_view(&data), named, sizeof(named));
	res->partner = named[0] ? registry_partner(reg, named) : NULL;
	if (!res->partner) {
		if (named[0])
			edi_diag_addf(diag, EDI_EDATA, NULL,
				      "no partner profile '%s'; onboard it, "
				      "then replay",
				      named);
		else
			edi_diag_addf(diag, EDI_EDATA, NULL,
				      "no partner: name the file "
				      "<partner>*.jsonl or give the records a "
				      "partner member");
		res->stage = "partner";
		buf_release(&data);
		return EDI_OK;
	}
	rc = emit_entry(reg, j, outbox, res->partner, buf_view(&data), m, now,
			res, diag, err);
	buf_release(&data);
	return rc;
}
