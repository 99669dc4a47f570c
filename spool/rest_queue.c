/*
 * rest_queue - record entries of rest outputs: split, route, status; see
 * rest_queue.h and deliver_rest.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "rest_queue.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "strview.h"
#include "fileio.h"
#include "json_out.h"
#include "spool_move.h"
#include "spool_receive.h"
#include "xalloc.h"

#define SPLIT_NAMES_MAX 100000 /* batch files looked at in one pass */

static void iso_time(time_t t, char out[24])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

bool deliver_rest_source(const char *source)
{
	return !strncmp(source, DELIVER_REST_SOURCE,
			sizeof(DELIVER_REST_SOURCE) - 1) &&
	       source[sizeof(DELIVER_REST_SOURCE) - 1];
}

/* record_id and correlation_id from meta.json's transport object. */
void rest_item_from_meta(const struct spool_meta *m, struct rest_item *it)
{
	json_t *t = json_loads(m->transport, 0, NULL);

	str_copy(it->id, sizeof(it->id), m->id);
	str_copy(it->output, sizeof(it->output),
		 m->source + sizeof(DELIVER_REST_SOURCE) - 1);
	str_copy(it->record_id, sizeof(it->record_id),
		 json_string_value(json_object_get(t, "record_id")));
	str_copy(it->correlation_id, sizeof(it->correlation_id),
		 json_string_value(json_object_get(t, "correlation_id")));
	str_copy(it->partner, sizeof(it->partner), m->partner);
	str_copy(it->file, sizeof(it->file), m->file);
	if (!it->record_id[0]) /* no transport: the entry is the key */
		str_copy(it->record_id, sizeof(it->record_id), m->id);
	json_decref(t);
}

void rest_item_row(struct rest_row *r, const struct rest_item *it, time_t now)
{
	memset(r, 0, sizeof(*r));
	str_copy(r->record_id, sizeof(r->record_id), it->record_id);
	str_copy(r->output, sizeof(r->output), it->output);
	str_copy(r->entry_id, sizeof(r->entry_id), it->id);
	str_copy(r->partner, sizeof(r->partner), it->partner);
	str_copy(r->correlation_id, sizeof(r->correlation_id),
		 it->correlation_id);
	str_copy(r->status, sizeof(r->status), "pending");
	r->next_at = r->created_at = r->updated_at = (int64_t)now;
}

enum edi_code deliver_rest_route(struct journal *j,
				 const struct spool_meta *meta, time_t now,
				 enum spool_state *to, struct edi_error *err)
{
	struct rest_item it;
	struct rest_row row;
	enum edi_code rc;

	memset(&it, 0, sizeof(it));
	rest_item_from_meta(meta, &it);
	rc = rest_row_get(j, it.record_id, it.output, &row, err);
	if (rc == EDI_ENOENT) {
		rest_item_row(&row, &it, now);
	} else if (rc) {
		return rc;
	} else if (!strcmp(row.status, "sent")) {
		*to = SPOOL_ARCHIVE; /* delivered already: never twice */
		return EDI_OK;
	} else if (!strcmp(row.status, "failed")) {
		/* a replay: the attempts start again, now */
		row.attempts = 0;
		row.next_at = (int64_t)now;
	}
	str_copy(row.status, sizeof(row.status), "pending");
	str_copy(row.entry_id, sizeof(row.entry_id), meta->id);
	row.updated_at = (int64_t)now;
	*to = SPOOL_DEFERRED;
	return rest_row_put(j, &row, err);
}

/* --- split published batches into record entries --- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Line lineno of batch: one record entry, unless the journal has it. */
static enum edi_code split_line(struct deliver_rest *d,
				const struct config_output *out,
				const char *batch, size_t lineno, char *line,
				size_t len, time_t now,
				struct deliver_rest_stats *st,
				struct edi_error *err)
{
	struct rest_item it;
	struct rest_row row;
	char name[SPOOL_NAME_MAX], source[SPOOL_SOURCE_MAX], id[SPOOL_ID_MAX];
	struct buf tj;
	struct json_out j;
	json_t *rec;
	enum edi_code rc;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	if (!len)
		return EDI_OK;
	memset(&it, 0, sizeof(it));
	rec = json_loadb(line, len, 0, NULL);
	str_copy(it.record_id, sizeof(it.record_id),
		 json_string_value(json_object_get(rec, "id")));
	str_copy(it.correlation_id, sizeof(it.correlation_id),
		 json_string_value(json_object_get(rec, "correlation_id")));
	str_copy(it.partner, sizeof(it.partner),
		 json_string_value(json_object_get(rec, "partner")));
	json_decref(rec);
	if (!it.record_id[0]) /* not a canonical record: a stable key */
		snprintf(it.record_id, sizeof(it.record_id), "%.80s.line%zu",
			 batch, lineno);
	str_copy(it.output, sizeof(it.output), out->name);
	rc = rest_row_get(d->journal, it.record_id, out->name, &row, err);
	if (rc == EDI_OK)
		return EDI_OK; /* an entry exists already (a redone split) */
	if (rc != EDI_ENOENT)
		return rc;
	snprintf(name, sizeof(name), "%s.json", it.record_id);
	snprintf(source, sizeof(source), "%s%s", DELIVER_REST_SOURCE,
		 out->name);
	buf_init(&tj, SPOOL_TRANSPORT_MAX - 1);
	json_out_init(&j, &tj);
	json_obj_begin(&j);
	json_key(&j, "output");
	json_str(&j, out->name);
	json_key(&j, "record_id");
	json_str(&j, it.record_id);
	json_key(&j, "correlation_id");
	json_str(&j, it.correlation_id);
	json_obj_end(&j);
	/* entry first, row second: a crash between them gives a second
	 * entry for the record (sent once: the row is checked before every
	 * request), never a row without an entry */
	rc = spool_receive_bytes(d->spool, name, source,
				 it.partner[0] ? it.partner : NULL, line, len,
				 buf_cstr(&tj), now, id, err);
	buf_release(&tj);
	if (!rc)
		rc = spool_claim(d->spool, id, err);
	if (!rc)
		rc = spool_move(d->spool, id, SPOOL_WORK, SPOOL_DEFERRED, now,
				err);
	if (rc)
		return rc;
	str_copy(it.id, sizeof(it.id), id);
	rest_item_row(&row, &it, now);
	rc = rest_row_put(d->journal, &row, err);
	if (!rc)
		st->queued++;
	return rc;
}

static enum edi_code split_batch(struct deliver_rest *d,
				 const struct config_output *out,
				 const char *dir, const char *name, time_t now,
				 struct deliver_rest_stats *st,
				 struct edi_error *err)
{
	char path[FILEIO_PATH_MAX];
	char *line = NULL;
	size_t cap = 0;
	size_t lineno = 0;
	ssize_t n;
	enum edi_code rc = EDI_OK;
	FILE *f;

	if (fileio_join(path, sizeof(path), dir, name, err))
		return err->code;
	f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? EDI_OK
				       : edi_fail(err, fileio_code(errno), NULL,
						  "cannot read batch '%s': %s",
						  path, strerror(errno));
	/* the rows of a batch commit together, after its entries are
	 * durable; a crash before leaves entries without rows, which a
	 * redone split doubles and the send check sends once */
	rc = journal_begin(d->journal, err);
	while (!rc && (n = getline(&line, &cap, f)) > 0) {
		if ((size_t)n > DELIVER_REST_LINE_MAX)
			rc = edi_fail(err, EDI_ELIMIT, NULL,
				      "a record in batch '%s' is longer than "
				      "%u bytes",
				      path, DELIVER_REST_LINE_MAX);
		else
			rc = split_line(d, out, name, ++lineno, line, (size_t)n,
					now, st, err);
	}
	if (!rc && ferror(f))
		rc = edi_fail(err, EDI_EIO, NULL, "cannot read batch '%s': %s",
			      path, strerror(errno));
	fclose(f);
	free(line);
	if (!rc)
		rc = journal_commit(d->journal, err);
	if (rc) {
		struct edi_error e2;
		if (journal_in_transaction(d->journal))
			journal_rollback(d->journal, &e2);
		return rc;
	}
	/* every record is an entry now */
	if (unlink(path) != 0 && errno != ENOENT)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot remove batch '%s': %s", path,
				strerror(errno));
	return fileio_fsync_dir(dir, err);
}

enum edi_code rest_queue_split(struct deliver_rest *d,
			       const struct config_output *out, time_t now,
			       struct deliver_rest_stats *st,
			       struct edi_error *err)
{
	char rel[FILEIO_PATH_MAX], dir[FILEIO_PATH_MAX];
	char **names = NULL;
	size_t n = 0, cap = 0;
	enum edi_code rc = EDI_OK;
	struct dirent *e;
	DIR *dp;

	snprintf(rel, sizeof(rel), "%s/%s", DELIVER_REST_QUEUE, out->name);
	if (spool_path(d->spool, rel, dir, sizeof(dir), err))
		return err->code;
	dp = opendir(dir);
	if (!dp)
		return errno == ENOENT ? EDI_OK
				       : edi_fail(err, fileio_code(errno), NULL,
						  "cannot list '%s': %s", dir,
						  strerror(errno));
	while ((e = readdir(dp)) != NULL && n < SPLIT_NAMES_MAX) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(dp);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; !rc && i < n; i++)
		rc = split_batch(d, out, dir, names[i], now, st, err);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static enum edi_code breaker_dir(const struct spool *sp, char *dir, size_t size,
				 struct edi_error *err)
{
	return spool_path(sp, DELIVER_REST_BREAKERS, dir, size, err);
}

enum edi_code deliver_rest_breaker(const struct spool *sp, const char *output,
				   struct breaker *b, struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX];

	if (breaker_dir(sp, dir, sizeof(dir), err))
		return err->code;
	return breaker_load(dir, output, b, err);
}

/* --- status --- */

struct counts {
	const char *output;
	int64_t pending, sent, failed;
};

static enum edi_code count_row(void *ctx, const char *output,
			       const char *status, int64_t n,
			       struct edi_error *err)
{
	struct counts *c = ctx;

	(void)err;
	if (strcmp(output, c->output))
		return EDI_OK;
	if (!strcmp(status, "pending"))
		c->pending += n;
	else if (!strcmp(status, "sent"))
		c->sent += n;
	else if (!strcmp(status, "failed"))
		c->failed += n;
	return EDI_OK;
}

enum edi_code deliver_rest_status(const struct config *cfg,
				  const struct spool *sp, struct journal *j,
				  struct json_out *json, struct buf *text,
				  struct edi_error *err)
{
	bool any = false;

	if (json) {
		json_key(json, "rest");
		json_arr_begin(json);
	}
	for (size_t i = 0; i < cfg->noutputs; i++) {
		const struct config_output *out = &cfg->outputs[i];
		struct counts c = {out->name, 0, 0, 0};
		struct breaker b;
		char until[24];
		enum edi_code rc;

		if (out->kind != CONFIG_OUTPUT_REST)
			continue;
		rc = deliver_rest_breaker(sp, out->name, &b, err);
		if (!rc)
			rc = rest_row_counts(j, count_row, &c, err);
		if (rc) {
			if (json)
				json_arr_end(json);
			return rc;
		}
		iso_time((time_t)b.open_until, until);
		if (json) {
			json_obj_begin(json);
			json_key(json, "output");
			json_str(json, out->name);
			json_key(json, "url");
			json_str(json, out->url);
			json_key(json, "breaker");
			json_obj_begin(json);
			json_key(json, "state");
			json_str(json, breaker_state_name(b.state));
			json_key(json, "failures");
			json_u64(json, b.failures);
			if (b.state == BREAKER_OPEN) {
				json_key(json, "open_until");
				json_str(json, until);
			}
			json_key(json, "opened");
			json_u64(json, b.opened);
			json_obj_end(json);
			json_key(json, "pending");
			json_i64(json, c.pending);
			json_key(json, "sent");
			json_i64(json, c.sent);
			json_key(json, "failed");
			json_i64(json, c.failed);
			json_obj_end(json);
			continue;
		}
		if (!any)
			buf_adds(text, "rest outputs:\n");
		any = true;
		buf_addf(text,
			 "  %-16s breaker %s%s%s (%u failures, opened %llu "
			 "times); %lld pending, %lld sent, %lld failed\n",
			 out->name, breaker_state_name(b.state),
			 b.state == BREAKER_OPEN ? " until " : "",
			 b.state == BREAKER_OPEN ? until : "", b.failures,
			 (unsigned long long)b.opened, (long long)c.pending,
			 (long long)c.sent, (long long)c.failed);
	}
	if (json)
		json_arr_end(json);
	return EDI_OK;
}

/* --- trace --- */

struct trace_ctx {
	struct buf *out;
	size_t n;
};

static enum edi_code trace_row(void *ctx, const struct rest_row *r,
			       struct edi_error *err)
{
	struct trace_ctx *t = ctx;
	char at[24], next[24];

	(void)err;
	iso_time((time_t)r->updated_at, at);
	iso_time((time_t)r->next_at, next);
	buf_addf(t->out, "  %s  rest %-8s %s output=%s entry=%s attempts=%u",
		 at, r->status, r->record_id, r->output, r->entry_id,
		 r->attempts);
	if (r->last_http)
		buf_addf(t->out, " http=%ld", r->last_http);
	if (!strcmp(r->status, "pending"))
		buf_addf(t->out, " next=%s", next);
	if (r->detail[0])
		buf_addf(t->out, " (%s)", r->detail);
	buf_addc(t->out, '\n');
	t->n++;
	return EDI_OK;
}

enum edi_code deliver_rest_trace(struct journal *j, const char *key,
				 struct buf *out, size_t *n,
				 struct edi_error *err)
{
	struct trace_ctx t = {out, 0};
	enum edi_code rc = rest_rows_for(j, key, trace_row, &t, err);

	*n = t.n;
	return rc;
}
