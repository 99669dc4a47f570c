/*
 * pipeline - a run over the spool; see pipeline.h for the crash-safety
 * argument.  This file drives one group of entries at a time; the
 * translation itself is x12_translate (or flat_map), the records are
 * written by rec_json/rec_csv.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "ack_match.h"
#include "acks.h"
#include "buf.h"
#include "deliver_rest.h"
#include "fileio.h"
#include "flat_map.h"
#include "json_out.h"
#include "log.h"
#include "map_exec.h"
#include "outbound_erp.h"
#include "outbox.h"
#include "rec_csv.h"
#include "rec_json.h"
#include "report.h"
#include "spool_move.h"
#include "x12_translate.h"
#include "xalloc.h"

#define MAX_GROUP 10000

static const char *stage_rank[] = {"receive",  "envelope", "partner",
				   "validate", "map",	   "deliver"};

/* The earlier stage of a and b (NULL counts as none). */
const char *pipeline_worse(const char *a, const char *b)
{
	size_t ia = 99, ib = 99;

	for (size_t i = 0; i < sizeof(stage_rank) / sizeof(stage_rank[0]);
	     i++) {
		if (a && !strcmp(a, stage_rank[i]))
			ia = i;
		if (b && !strcmp(b, stage_rank[i]))
			ib = i;
	}
	if (ia == 99)
		return b;
	if (ib == 99)
		return a;
	return ia <= ib ? a : b;
}

void pipeline_iso_time(time_t t, char out[24])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* --- batches --- */

struct batch *pipeline_batch_for(struct group *g,
				 const struct config_output *out,
				 const char *doc_type, struct edi_error *err)
{
	struct batch *b;
	char dir[FILEIO_PATH_MAX];
	const char *ext = out->format == CONFIG_FORMAT_CSV ? "csv" : "jsonl";

	for (size_t i = 0; i < g->nbatches; i++)
		if (g->batches[i].out == out &&
		    !strcmp(g->batches[i].doc_type, doc_type))
			return &g->batches[i];
	if (g->nbatches == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		g->batches = xreallocarray(g->batches, g->cap, sizeof(*b));
	}
	b = &g->batches[g->nbatches];
	memset(b, 0, sizeof(*b));
	b->out = out;
	b->fd = -1;
	str_copy(b->doc_type, sizeof(b->doc_type), doc_type);
	snprintf(b->name, sizeof(b->name), "%s.%u.%s.%s", g->first_id,
		 g->first_attempt, doc_type, ext);
	if (spool_path(g->p->spool, BATCH_DIR, dir, sizeof(dir), err) ||
	    fileio_mkdirs(dir, 0750, err) ||
	    fileio_join(b->tmp_path, sizeof(b->tmp_path), dir, b->name, err))
		return NULL;
	b->fd = open(b->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		     0644);
	if (b->fd < 0) {
		edi_fail(err, fileio_code(errno), NULL,
			 "cannot write batch '%s': %s", b->tmp_path,
			 strerror(errno));
		return NULL;
	}
	g->nbatches++;
	if (out->format == CONFIG_FORMAT_CSV) {
		struct buf h;
		enum edi_code rc;
		buf_init(&h, 1 << 20);
		rec_csv_header(&h, doc_type);
		rc = h.len && write(b->fd, h.ptr, h.len) != (ssize_t)h.len
			     ? EDI_EIO
			     : EDI_OK;
		buf_release(&h);
		if (rc)
			return NULL;
	}
	return b;
}

enum edi_code pipeline_batch_append(struct batch *b, struct strview bytes,
				    struct edi_error *err)
{
	size_t done = 0;

	while (done < bytes.len) {
		ssize_t n = write(b->fd, bytes.ptr + done, bytes.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return edi_fail(err, fileio_code(errno), NULL,
					"cannot write batch '%s': %s",
					b->tmp_path, strerror(errno));
		done += (size_t)n;
	}
	b->nrecords++;
	return EDI_OK;
}

/* The final place of a batch: out/<output>/<name> (or the output's dir). */
enum edi_code pipeline_batch_final_dir(const struct pipeline *p,
				       const struct config_output *out,
				       char *dir, size_t size,
				       struct edi_error *err)
{
	char rel[FILEIO_PATH_MAX];

	if (out->dir) {
		if (strlen(out->dir) >= size)
			return edi_fail(err, EDI_ELIMIT, NULL,
					"output folder '%s' is too long",
					out->dir);
		snprintf(dir, size, "%s", out->dir);
		return EDI_OK;
	}
	/* a rest output's batch waits for deliver_rest, which sends it */
	if (out->kind == CONFIG_OUTPUT_REST)
		snprintf(rel, sizeof(rel), "%s/%s", DELIVER_REST_QUEUE,
			 out->name);
	else
		snprintf(rel, sizeof(rel), "out/%s", out->name);
	return spool_path(p->spool, rel, dir, size, err);
}

/* --- a group: claim, process, commit, then publish and move --- */

static void group_release(struct group *g)
{
	for (size_t i = 0; i < g->nbatches; i++)
		if (g->batches[i].fd >= 0)
			close(g->batches[i].fd);
	free(g->batches);
	free(g->moves);
	outbox_release(&g->outbox);
	rec_json_names_free(g->names);
	memset(g, 0, sizeof(*g));
}

static enum edi_code finish_group(struct group *g, struct edi_error *err)
{
	struct pipeline *p = g->p;
	enum edi_code rc = EDI_OK;

	for (size_t i = 0; i < g->nbatches; i++) {
		struct batch *b = &g->batches[i];
		struct journal_batch jb = {b->name, b->out->name, g->first_id,
					   JOURNAL_BATCH_WRITTEN,
					   (int64_t)g->now};
		/* its data is made durable by the sync below */
		spool_note_unsynced(p->spool);
		close(b->fd);
		b->fd = -1;
		rc = journal_batch_put(p->journal, &jb, err);
		if (rc)
			return rc;
	}
	/* one syncfs: every batch, staged acknowledgment, meta.json and
	 * reason.json of the group is durable before the journal says so */
	rc = spool_sync(p->spool, err);
	if (rc)
		return rc;
	rc = journal_commit(p->journal, err);
	if (rc)
		return rc;
	/* delivered: publish the batches, then move the originals */
	for (size_t i = 0; i < g->nbatches; i++) {
		struct batch *b = &g->batches[i];
		char dir[FILEIO_PATH_MAX], to[FILEIO_PATH_MAX];
		rc = pipeline_batch_final_dir(p, b->out, dir, sizeof(dir), err);
		if (!rc)
			rc = fileio_mkdirs(dir, 0750, err);
		if (!rc)
			rc = fileio_join(to, sizeof(to), dir, b->name, err);
		if (!rc)
			rc = fileio_rename(b->tmp_path, to, err); /* and
			* fsyncs both folders */
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < g->nmoves; i++) {
		rc = spool_move(p->spool, g->moves[i].id, SPOOL_WORK,
				g->moves[i].to_deferred ? SPOOL_DEFERRED
				: g->moves[i].to_error	? SPOOL_ERROR
							: SPOOL_ARCHIVE,
				g->now, err);
		if (rc)
			return rc;
	}
	rc = journal_begin(p->journal, err);
	for (size_t i = 0; !rc && i < g->nbatches; i++) {
		struct journal_batch jb = {
			g->batches[i].name, g->batches[i].out->name,
			g->first_id, JOURNAL_BATCH_RENAMED, (int64_t)g->now};
		rc = journal_batch_put(p->journal, &jb, err);
	}
	if (!rc)
		rc = journal_commit(p->journal, err);
	/* acknowledgments into outbound/<partner>/ (recovery finishes
	 * what a crash interrupts: they are journaled batches) */
	if (!rc)
		rc = outbox_publish(&g->outbox, g->now, err);
	return rc;
}

/* Names listed once per pass. */
struct names {
	char **v;
	size_t n, cap;
};

static enum edi_code push_name(void *ctx, const char *name,
			       struct edi_error *err)
{
	struct names *l = ctx;

	(void)err;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = xstrdup(name);
	return EDI_OK;
}

static void names_free(struct names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct collect {
	struct pipeline *p;
	char (*ids)[SPOOL_ID_MAX];
	size_t n, max;
	time_t now;
	struct edi_error first_err;
	bool failed;
};

/* Does this dropped file (or entry) belong to --partner? */
static bool wanted(const struct pipeline *p, const char *path,
		   const char *meta_partner)
{
	char head[X12_ISA_LOOKAHEAD];
	struct x12_delims d;
	enum x12_isa_form form;
	size_t isa_len, i = 0;
	struct edi_error err;
	struct strview isa, q5, id6, q7, id8;
	const struct partner *pt;
	ssize_t n;
	int fd;

	if (!p->only_partner)
		return true;
	if (meta_partner && *meta_partner)
		return !strcmp(meta_partner, p->only_partner);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n <= 0)
		return false;
	while (i < (size_t)n &&
	       (head[i] == ' ' || head[i] == '\r' || head[i] == '\n' ||
		(unsigned char)head[i] == 0xef ||
		(unsigned char)head[i] == 0xbb ||
		(unsigned char)head[i] == 0xbf))
		i++;
	if ((size_t)n - i < 4 || memcmp(head + i, "ISA", 3) ||
	    x12_delims_detect(head + i, (size_t)n - i, true, &d, &form,
			      &isa_len, &err) != EDI_OK)
		return false;
	isa = sv_make(head + i, isa_len - 1);
	q5 = x12_part(isa, d.element, 5);
	id6 = sv_trim(x12_part(isa, d.element, 6));
	q7 = x12_part(isa, d.element, 7);
	id8 = sv_trim(x12_part(isa, d.element, 8));
	{
		char a[4], b[16], c[4], e[16];
		sv_to_cbuf(q5, a, sizeof(a));
		sv_to_cbuf(id6, b, sizeof(b));
		sv_to_cbuf(q7, c, sizeof(c));
		sv_to_cbuf(id8, e, sizeof(e));
		pt = registry_partner_for_isa(p->reg, a, b, c, e);
	}
	return pt && !strcmp(pt->id, p->only_partner);
}

static enum edi_code admit_drop(void *ctx, const char *name,
				struct edi_error *err)
{
	struct collect *c = ctx;
	char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
	enum edi_code rc;

	if (c->n >= c->max)
		return EDI_ELIMIT; /* stop: the group is full */
	if (spool_state_path(c->p->spool, SPOOL_IN, dir, sizeof(dir), err) ||
	    fileio_join(path, sizeof(path), dir, name, err))
		return err->code;
	if (!wanted(c->p, path, NULL))
		return EDI_OK;
	rc = spool_admit(c->p->spool, name, NULL, c->now, c->ids[c->n], err);
	if (rc == EDI_ETEMP || rc == EDI_ENOENT)
		return EDI_OK; /* still being written, or gone: next run */
	if (rc)
		return rc;
	c->n++;
	return EDI_OK;
}

static enum edi_code claim_entry(void *ctx, const char *id,
				 struct edi_error *err)
{
	struct collect *c = ctx;
	struct spool_meta meta;
	enum edi_code rc;

	if (c->n >= c->max)
		return EDI_ELIMIT;
	if (c->p->only_partner) {
		char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
		if (spool_meta_read(c->p->spool, SPOOL_IN, id, &meta, err) ||
		    spool_entry_path(c->p->spool, SPOOL_IN, id, dir,
				     sizeof(dir), err) ||
		    fileio_join(path, sizeof(path), dir, meta.file, err) ||
		    !wanted(c->p, path, meta.partner))
			return EDI_OK;
	}
	rc = spool_claim(c->p->spool, id, err);
	if (rc == EDI_ENOENT)
		return EDI_OK;
	if (rc)
		return rc;
	snprintf(c->ids[c->n++], SPOOL_ID_MAX, "%s", id);
	return EDI_OK;
}

/* Batches the journal holds as written: publish them now. */
struct redo {
	char (*names)[SPOOL_NAME_MAX];
	char (*outputs)[JOURNAL_ID_MAX];
	size_t n;
};

static enum edi_code redo_batch(void *ctx, const struct journal_batch *b,
				struct edi_error *err)
{
	struct redo *r = ctx;

	(void)err;
	r->names = xreallocarray(r->names, r->n + 1, sizeof(*r->names));
	r->outputs = xreallocarray(r->outputs, r->n + 1, sizeof(*r->outputs));
	str_copy(r->names[r->n], sizeof(r->names[0]), b->name);
	str_copy(r->outputs[r->n], sizeof(r->outputs[0]), b->output);
	r->n++;
	return EDI_OK;
}

static enum edi_code publish_again(struct group *g, const char *name,
				   const char *output, struct edi_error *err)
{
	struct pipeline *p = g->p;
	const struct config_output *out = pipeline_output_named(p->cfg, output);
	char tmpdir[FILEIO_PATH_MAX], from[FILEIO_PATH_MAX];
	char dir[FILEIO_PATH_MAX], to[FILEIO_PATH_MAX];
	char partner[SPOOL_ID_PARTNER_MAX];
	struct stat st;
	enum edi_code rc;

	if (outbox_output(output, partner)) { /* acks, outbound X12 */
		bool renamed;

		rc = outbox_recover_one(p->spool, name, output, &renamed, err);
		if (rc == EDI_OK && renamed)
			g->stats->batches_redone++;
		return rc;
	}
	if (!out)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"batch '%s' was written for output '%s', which "
				"the configuration no longer has",
				name, output);
	if ((rc = spool_path(p->spool, BATCH_DIR, tmpdir, sizeof(tmpdir),
			     err)) ||
	    (rc = fileio_join(from, sizeof(from), tmpdir, name, err)) ||
	    (rc = pipeline_batch_final_dir(p, out, dir, sizeof(dir), err)) ||
	    (rc = fileio_mkdirs(dir, 0750, err)) ||
	    (rc = fileio_join(to, sizeof(to), dir, name, err)))
		return rc;
	if (stat(from, &st) == 0) {
		rc = fileio_rename(from, to, err);
		if (!rc)
			rc = fileio_fsync_dir(dir, err);
		if (rc)
			return rc;
		g->stats->batches_redone++;
	}
	return EDI_OK;
}

static enum edi_code recover(struct group *g, struct edi_error *err)
{
	struct pipeline *p = g->p;
	struct redo r = {NULL, NULL, 0};
	char dir[FILEIO_PATH_MAX];
	enum edi_code rc;

	rc = journal_batches_written(p->journal, redo_batch, &r, err);
	for (size_t i = 0; !rc && i < r.n; i++)
		rc = publish_again(g, r.names[i], r.outputs[i], err);
	if (!rc && r.n)
		rc = journal_begin(p->journal, err);
	for (size_t i = 0; !rc && i < r.n; i++) {
		struct journal_batch jb = {r.names[i], r.outputs[i], "",
					   JOURNAL_BATCH_RENAMED,
					   (int64_t)g->now};
		rc = journal_batch_put(p->journal, &jb, err);
	}
	if (!rc && r.n)
		rc = journal_commit(p->journal, err);
	free(r.names);
	free(r.outputs);
	if (rc)
		return rc;
	/* what is left in state/batches was never committed: drop it */
	if (!spool_path(p->spool, BATCH_DIR, dir, sizeof(dir), err)) {
		struct edi_error ignore;
		fileio_remove_tree(dir, &ignore);
		fileio_mkdirs(dir, 0750, &ignore);
	}
	return spool_recover(p->spool, &g->stats->recovered, err);
}

/*
 * Retention: day folders (archive/YYYY-MM-DD, sent/YYYY-MM-DD) older than
 * retention.archive_days and retention.sent_days are removed (0 keeps
 * them all).  The journal keeps their history.
 */
static void expire_days(struct pipeline *p, const char *rel, unsigned days,
			time_t now)
{
	char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX], cutoff[16];
	struct edi_error err;
	struct dirent *d;
	struct tm tm;
	time_t limit;
	DIR *dp;

	if (!days || spool_path(p->spool, rel, dir, sizeof(dir), &err))
		return;
	limit = now - (time_t)days * 86400;
	gmtime_r(&limit, &tm);
	strftime(cutoff, sizeof(cutoff), "%Y-%m-%d", &tm);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp)) != NULL) {
		/* YYYY-MM-DD names compare as dates */
		if (strlen(d->d_name) != 10 || d->d_name[4] != '-' ||
		    strcmp(d->d_name, cutoff) >= 0)
			continue;
		if (!fileio_join(path, sizeof(path), dir, d->d_name, &err))
			fileio_remove_tree(path, &err);
	}
	closedir(dp);
}

static void expire_archive(struct pipeline *p, time_t now)
{
	expire_days(p, "archive", p->cfg->retention.archive_days, now);
	expire_days(p, "sent", p->cfg->retention.sent_days, now);
}

enum edi_code pipeline_run_once(struct pipeline *p,
				struct pipeline_stats *stats,
				struct edi_error *err)
{
	struct group g;
	struct collect c;
	enum edi_code rc;
	size_t group_max =
		p->cfg->run.batch_files ? p->cfg->run.batch_files : 100;

	memset(stats, 0, sizeof(*stats));
	memset(&g, 0, sizeof(g));
	g.p = p;
	g.stats = stats;
	g.now = p->clock();
	rc = recover(&g, err);
	if (!rc) /* ERP exports in erp-in/ become entries of in/ */
		rc = outbound_erp_pickup(p->spool, p->reg, g.now,
					 &stats->erp_files, err);
	if (rc)
		return rc;
	if (group_max > MAX_GROUP)
		group_max = MAX_GROUP;
	memset(&c, 0, sizeof(c));
	c.p = p;
	c.max = group_max;
	c.ids = xreallocarray(NULL, group_max, sizeof(*c.ids));
	/* list what waits once per pass (not once per group: listing
	 * stats every file), then work through it in groups; files that
	 * arrive meanwhile are taken by the next pass */
	for (int pass = 0; !rc && pass < 8; pass++) {
		struct names ents = {0}, drops = {0};
		size_t ie = 0, id = 0;

		rc = spool_list(p->spool, SPOOL_IN, push_name, &ents, err);
		if (!rc)
			rc = spool_list_drops(p->spool, push_name, &drops, err);
		if (rc || ents.n + drops.n == 0) {
			names_free(&ents);
			names_free(&drops);
			break;
		}
		while (!rc && (ie < ents.n || id < drops.n)) {
			c.n = 0;
			c.now = p->clock();
			/* the folders are fsync'd once per group (pipeline.h) */
			spool_defer_sync(p->spool, true);
			while (!rc && c.n < c.max && ie < ents.n)
				rc = claim_entry(&c, ents.v[ie++], err);
			while (!rc && c.n < c.max && id < drops.n)
				rc = admit_drop(&c, drops.v[id++], err);
			if (rc || !c.n)
				continue;
			memset(&g, 0, sizeof(g));
			g.p = p;
			g.stats = stats;
			g.now = c.now;
			outbox_init(&g.outbox, p->spool, p->journal);
			rc = journal_begin(p->journal, err);
			for (size_t i = 0; !rc && i < c.n; i++)
				rc = pipeline_process_entry(&g, c.ids[i], err);
			if (!rc)
				rc = finish_group(&g, err);
			if (rc && journal_in_transaction(p->journal)) {
				struct edi_error e2;
				journal_rollback(p->journal, &e2);
				outbox_discard(&g.outbox);
			}
			{
				struct edi_error e3;
				enum edi_code rs = spool_sync(p->spool, &e3);
				if (!rc && rs) {
					rc = rs;
					*err = e3;
				}
			}
			group_release(&g);
		}
		names_free(&ents);
		names_free(&drops);
	}
	free(c.ids);
	{
		struct edi_error e4;
		spool_sync(p->spool, &e4);
	}
	spool_defer_sync(p->spool, false);
	if (!rc)
		expire_archive(p, p->clock());
	return rc;
}
