/*
 * transfer_sftp - SFTP pull into the spool, and what pull and push share
 * (the per-partner lock, connecting with retries); see transfer_sftp.h.
 * The push is in transfer_sftp_push.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "transfer_sftp.h"
#include "transfer_sftp_int.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strview.h"
#include "buf.h"
#include "fileio.h"
#include "journal_sftp.h"
#include "journal_transfer.h"
#include "json_out.h"
#include "profile_sftp.h"
#include "sftp_conn.h"
#include "sftp_file.h"
#include "sftp_select.h"
#include "spool_outbound.h"
#include "spool_receive.h"
#include "xalloc.h"

void transfer_note(const struct transfer_env *env, const struct partner *p,
		   const char *fmt, ...)
{
	char line[EDI_MSG_MAX + 128];
	va_list ap;

	if (!env->note)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	env->note(env->note_ctx, p->id, line);
}

/* sftp://user@host:port/path (a relative path under /~/), cut to fit. */
void transfer_sftp_remote_url(char *dst, size_t size,
			      const struct partner_sftp *s, const char *path)
{
	if (snprintf(dst, size, "sftp://%s@%s:%u%s%s", s->user, s->host,
		     s->port, path[0] == '/' ? "" : "/~/", path) >= (int)size)
		dst[size - 1] = '\0'; /* cut: still says where */
}

/* --- the per-partner lock --- */

enum edi_code transfer_sftp_partner_lock(const struct transfer_env *env,
					 const struct partner *p,
					 const char *what, int *fd,
					 struct edi_error *err)
{
	char rel[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
	enum edi_code rc;

	snprintf(rel, sizeof(rel), "state/sftp-%s.%s.lock", p->id, what);
	if ((rc = spool_path(env->sp, rel, path, sizeof(path), err)) != EDI_OK)
		return rc;
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640);
	if (*fd < 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot open '%s': %s", path, strerror(errno));
	while (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		rc = edi_fail(err, errno == EWOULDBLOCK ? EDI_ETEMP : EDI_EIO,
			      NULL,
			      "another %s of partner '%s' is running (%s)",
			      what, p->id, path);
		close(*fd);
		*fd = -1;
		return rc;
	}
	return EDI_OK;
}

void transfer_sftp_partner_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* releases the flock */
}

/* --- connecting, with retries --- */

enum edi_code transfer_sftp_connect_partner(const struct transfer_env *env,
					    const struct partner *p,
					    struct sftp_conn *c,
					    struct edi_error *err)
{
	const struct partner_sftp *s = p->sftp;
	struct sftp_opts o;
	unsigned wait = s->retry_backoff_s;
	enum edi_code rc;

	memset(&o, 0, sizeof(o));
	o.host = s->host;
	o.port = s->port;
	o.user = s->user;
	o.key_path = s->key;
	o.known_hosts = s->known_hosts;
	o.connect_timeout_ms = s->connect_timeout_s * 1000;
	o.transfer_timeout_ms = s->transfer_timeout_s * 1000;
	for (unsigned attempt = 0;; attempt++) {
		rc = sftp_conn_open(c, &o, err);
		if (rc != EDI_ETEMP || attempt >= s->retries)
			return rc;
		transfer_note(env, p, "%s; trying again in %u s", err->msg,
			      wait);
		sleep(wait);
		wait = wait ? wait * 2 : 0;
	}
}

/* --- pull --- */

struct pull {
	const struct transfer_env *env;
	const struct partner *p;
	const struct partner_sftp *s;
	struct sftp_conn conn;
	struct journal_sftp_pull *rows;
	size_t nrows;
	struct sftp_entry *files;
	size_t nfiles;
	struct transfer_counts *counts;
};

static struct journal_sftp_pull *row_of(struct pull *pl, const char *path)
{
	for (size_t i = 0; i < pl->nrows; i++)
		if (!strcmp(pl->rows[i].path, path))
			return &pl->rows[i];
	return NULL;
}

static bool listed(const struct pull *pl, const char *name)
{
	for (size_t i = 0; i < pl->nfiles; i++)
		if (!strcmp(pl->files[i].name, name))
			return true;
	return false;
}

/*
 * Did entry id reach the spool?  Anywhere past tmp/ (or complete in tmp/,
 * which the next spool_open() moves to in/), or known to the journal
 * (processed and since removed by retention).
 */
static bool entry_exists(const struct transfer_env *env, const char *id)
{
	static const enum spool_state states[] = {
		SPOOL_IN,   SPOOL_WORK,	    SPOOL_ERROR,
		SPOOL_HOLD, SPOOL_DEFERRED, SPOOL_ARCHIVE};
	char path[FILEIO_PATH_MAX], data[FILEIO_PATH_MAX];
	struct spool_meta m;
	struct journal_file f;
	struct edi_error e;
	struct stat st;

	if (!id[0] || !spool_id_valid(id))
		return false;
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (spool_entry_path(env->sp, states[i], id, path, sizeof(path),
				     &e) == EDI_OK &&
		    stat(path, &st) == 0)
			return true;
	if (spool_meta_read(env->sp, SPOOL_TMP, id, &m, &e) == EDI_OK &&
	    spool_entry_path(env->sp, SPOOL_TMP, id, path, sizeof(path), &e) ==
		    EDI_OK &&
	    fileio_join(data, sizeof(data), path, m.file, &e) == EDI_OK &&
	    stat(data, &st) == 0)
		return true;
	return journal_file_get(env->journal, id, &f, &e) == EDI_OK;
}

/* The remote file was received: delete it or move it to the archive. */
static enum edi_code finish_remote(struct pull *pl, const char *name,
				   const char *path, const char *entry_id,
				   struct edi_error *err)
{
	const struct partner_sftp *s = pl->s;
	enum edi_code rc;
	struct edi_error ignored;

	if (s->after_pull == PROFILE_SFTP_MOVE) {
		char to[SFTP_PATH_MAX], alt[SFTP_NAME_MAX + SPOOL_ID_MAX + 2];
		rc = sftp_join(to, sizeof(to), s->archive, name, err);
		if (rc == EDI_OK)
			rc = sftp_rename(&pl->conn, path, to, err);
		if (rc != EDI_OK && rc != EDI_ETEMP && rc != EDI_ELIMIT) {
			/* a file of that name is in the archive already */
			snprintf(alt, sizeof(alt), "%s.%s", name, entry_id);
			rc = sftp_join(to, sizeof(to), s->archive, alt, err);
			if (rc == EDI_OK)
				rc = sftp_rename(&pl->conn, path, to, err);
		}
	} else {
		rc = sftp_remove(&pl->conn, path, err);
	}
	if (rc == EDI_ENOENT) {
		/* the file gone already (someone tidied up) is fine; a
		 * missing archive folder is not: the file is still there */
		struct sftp_entry e;
		struct edi_error why;
		enum edi_code still = sftp_stat(&pl->conn, path, &e, &why);
		if (still == EDI_OK)
			return edi_fail(err, EDI_EIO, NULL,
					"'%s' was received as %s but cannot "
					"be %s: %s",
					path, entry_id,
					s->after_pull == PROFILE_SFTP_MOVE
						? "moved to the archive folder"
						: "removed",
					err->msg);
		if (still != EDI_ENOENT) {
			*err = why;
			return still;
		}
		rc = EDI_OK;
	}
	if (rc)
		return rc;
	if (s->done_marker) {
		char marker[SFTP_PATH_MAX];
		if (snprintf(marker, sizeof(marker), "%s%s", path,
			     s->done_marker) < (int)sizeof(marker))
			sftp_remove(&pl->conn, marker, &ignored);
	}
	return journal_sftp_forget(pl->env->journal, pl->p->id, path, err);
}

struct sink {
	struct spool_receipt *r;
};

static enum edi_code to_receipt(void *ctx, const void *p, size_t n,
				struct edi_error *err)
{
	struct sink *s = ctx;

	return spool_receive_write(s->r, p, n, err);
}

static void transport_json(const struct pull *pl, const char *path,
			   const struct sftp_entry *e, struct buf *out)
{
	struct json_out j;

	json_out_init(&j, out);
	json_obj_begin(&j);
	json_key(&j, "protocol");
	json_str(&j, "sftp");
	json_key(&j, "host");
	json_str(&j, pl->s->host);
	json_key(&j, "port");
	json_u64(&j, pl->s->port);
	json_key(&j, "user");
	json_str(&j, pl->s->user);
	json_key(&j, "path");
	json_str(&j, path);
	json_key(&j, "size");
	json_u64(&j, e->size);
	json_key(&j, "mtime");
	json_i64(&j, e->mtime);
	json_key(&j, "host_key");
	json_str(&j, pl->conn.fingerprint);
	json_obj_end(&j);
}

/* Fetch one ready file into the spool, then finish it remotely. */
static enum edi_code pull_one(struct pull *pl, const struct sftp_entry *e,
			      const char *path, struct edi_error *err)
{
	const struct transfer_env *env = pl->env;
	struct journal_sftp_pull row;
	struct spool_receipt r;
	struct sink sink = {&r};
	struct sftp_entry after;
	struct journal_transfer t;
	struct buf json;
	uint64_t got = 0;
	time_t now = env->clock();
	char source[SPOOL_SOURCE_MAX];
	enum edi_code rc;

	snprintf(source, sizeof(source), "sftp:%s", pl->p->id);
	rc = spool_receive_open(&r, env->sp, e->name, source, pl->p->id,
				env->cfg->limits.max_file_bytes, now, err);
	if (rc)
		return rc;
	memset(&row, 0, sizeof(row));
	str_copy(row.path, sizeof(row.path), path);
	row.size = e->size;
	row.mtime = e->mtime;
	row.first_seen = now;
	row.state = JOURNAL_SFTP_FETCHING;
	str_copy(row.entry_id, sizeof(row.entry_id), r.meta.id);
	row.at = now;
	/* before the first byte: a pull killed from here on finds out next
	 * time whether this entry made it, instead of fetching again */
	rc = journal_sftp_put(env->journal, pl->p->id, &row, err);
	if (rc == EDI_OK)
		rc = sftp_fetch(&pl->conn, path, to_receipt, &sink, &got, err);
	if (rc == EDI_OK) {
		/* a file that changed while it was read is not taken */
		rc = sftp_stat(&pl->conn, path, &after, err);
		if (rc == EDI_OK &&
		    (after.size != e->size || after.mtime != e->mtime ||
		     got != e->size)) {
			spool_receive_abort(&r);
			row.state = JOURNAL_SFTP_SEEN;
			row.size = after.size;
			row.mtime = after.mtime;
			row.entry_id[0] = '\0';
			pl->counts->waiting++;
			transfer_note(env, pl->p,
				      "'%s' changed while it was read; it "
				      "waits to be "
				      "stable",
				      path);
			return journal_sftp_put(env->journal, pl->p->id, &row,
						err);
		}
	}
	if (rc) {
		spool_receive_abort(&r);
		return rc;
	}
	buf_init(&json, SPOOL_TRANSPORT_MAX - 1);
	transport_json(pl, path, e, &json);
	rc = spool_receive_commit(&r, json.ptr, err);
	buf_release(&json);
	if (rc)
		return rc;
	/* in/ has it: from now on the remote file is only removed */
	row.state = JOURNAL_SFTP_RECEIVED;
	row.at = env->clock();
	rc = journal_sftp_put(env->journal, pl->p->id, &row, err);
	memset(&t, 0, sizeof(t));
	str_copy(t.direction, sizeof(t.direction), "in");
	str_copy(t.partner, sizeof(t.partner), pl->p->id);
	str_copy(t.transport, sizeof(t.transport), "sftp");
	str_copy(t.name, sizeof(t.name), e->name);
	str_copy(t.entry_id, sizeof(t.entry_id), r.meta.id);
	transfer_sftp_remote_url(t.remote, sizeof(t.remote), pl->s, path);
	str_copy(t.status, sizeof(t.status), "received");
	snprintf(t.detail, sizeof(t.detail), "%llu bytes, sha256 %s",
		 (unsigned long long)r.meta.size, r.meta.sha256);
	t.at = row.at;
	if (rc == EDI_OK)
		rc = journal_transfer_add(env->journal, &t, err);
	pl->counts->files++;
	transfer_note(env, pl->p, "pulled '%s' as %s (%llu bytes)", path,
		      r.meta.id, (unsigned long long)r.meta.size);
	if (rc)
		return rc;
	return finish_remote(pl, e->name, path, r.meta.id, err);
}

static bool marker_present(const struct pull *pl, const char *name)
{
	char marker[SFTP_NAME_MAX + 64];

	if (!pl->s->done_marker)
		return false;
	if (snprintf(marker, sizeof(marker), "%s%s", name,
		     pl->s->done_marker) >= (int)sizeof(marker))
		return false;
	return listed(pl, marker);
}

/* Rows of files no longer listed: forget them. */
static enum edi_code prune(struct pull *pl, struct edi_error *err)
{
	for (size_t i = 0; i < pl->nrows; i++) {
		const char *path = pl->rows[i].path;
		const char *base = strrchr(path, '/');
		char dir[SFTP_PATH_MAX];
		enum edi_code rc;

		if (sftp_join(dir, sizeof(dir), pl->s->inbound,
			      base ? base + 1 : path, err) != EDI_OK ||
		    strcmp(dir, path))
			continue; /* another folder: not ours to judge */
		if (listed(pl, base ? base + 1 : path))
			continue;
		rc = journal_sftp_forget(pl->env->journal, pl->p->id, path,
					 err);
		if (rc)
			return rc;
	}
	return EDI_OK;
}

/* Is path no longer on the server (a stat says so)? */
static bool gone(struct pull *pl, const char *path)
{
	struct sftp_entry e;
	struct edi_error ignored;

	return sftp_stat(&pl->conn, path, &e, &ignored) == EDI_ENOENT;
}

static enum edi_code pull_files(struct pull *pl, struct edi_error *err)
{
	const struct transfer_env *env = pl->env;
	const struct partner_sftp *s = pl->s;
	struct sftp_filter f = {(void *const *)s->include, s->ninclude,
				(void *const *)s->exclude, s->nexclude,
				s->done_marker};
	size_t taken = 0;
	enum edi_code rc;

	rc = sftp_list(&pl->conn, s->inbound, &pl->files, &pl->nfiles, err);
	if (rc == EDI_OK)
		rc = journal_sftp_rows(env->journal, pl->p->id, &pl->rows,
				       &pl->nrows, err);
	if (rc)
		return rc;
	sftp_sort(pl->files, pl->nfiles);
	for (size_t i = 0; i < pl->nfiles; i++) {
		const struct sftp_entry *e = &pl->files[i];
		struct journal_sftp_pull *row, fresh;
		struct sftp_seen seen = {false, 0, 0, 0};
		char path[SFTP_PATH_MAX];
		int64_t now = env->clock();
		enum sftp_readiness ready;

		if (!sftp_wanted(&f, e->name))
			continue;
		if ((rc = sftp_join(path, sizeof(path), s->inbound, e->name,
				    err)) != EDI_OK) {
			pl->counts->failed++;
			transfer_note(env, pl->p, "%s", err->msg);
			continue;
		}
		row = row_of(pl, path);
		if (row && row->size == e->size && row->mtime == e->mtime &&
		    row->state != JOURNAL_SFTP_SEEN &&
		    (row->state == JOURNAL_SFTP_RECEIVED ||
		     entry_exists(env, row->entry_id))) {
			/* a pull that died after the spool had it */
			rc = finish_remote(pl, e->name, path, row->entry_id,
					   err);
			if (rc == EDI_ETEMP)
				return rc;
			if (rc) {
				pl->counts->failed++;
				transfer_note(env, pl->p, "%s", err->msg);
			} else {
				transfer_note(env, pl->p,
					      "'%s' was received before as %s; "
					      "removed "
					      "it from the server",
					      path, row->entry_id);
			}
			continue;
		}
		if (row && row->state == JOURNAL_SFTP_FETCHING &&
		    row->size == e->size && row->mtime == e->mtime) {
			ready = SFTP_READY; /* was ready; its fetch died */
		} else {
			if (row && row->state == JOURNAL_SFTP_SEEN) {
				seen.known = true;
				seen.size = row->size;
				seen.mtime = row->mtime;
				seen.first_seen = row->first_seen;
			}
			ready = sftp_ready(&seen, e->size, e->mtime, now,
					   s->stable_seconds,
					   s->done_marker != NULL,
					   marker_present(pl, e->name));
		}
		if (ready == SFTP_CHANGED) {
			memset(&fresh, 0, sizeof(fresh));
			str_copy(fresh.path, sizeof(fresh.path), path);
			fresh.size = e->size;
			fresh.mtime = e->mtime;
			fresh.first_seen = now;
			fresh.state = JOURNAL_SFTP_SEEN;
			fresh.at = now;
			rc = journal_sftp_put(env->journal, pl->p->id, &fresh,
					      err);
			if (rc)
				return rc;
		}
		if (ready != SFTP_READY || taken >= s->max_files) {
			pl->counts->waiting++;
			continue;
		}
		taken++;
		rc = pull_one(pl, e, path, err);
		if (rc == EDI_ETEMP || rc == EDI_ECONFIG)
			return rc; /* the server or the spool is gone */
		if (rc == EDI_ENOENT && gone(pl, path)) {
			/* taken away between the listing and the read */
			transfer_note(env, pl->p,
				      "'%s' went away before it was read",
				      path);
			rc = journal_sftp_forget(env->journal, pl->p->id, path,
						 err);
			if (rc)
				return rc;
			continue;
		}
		if (rc) {
			pl->counts->failed++;
			transfer_note(env, pl->p, "%s", err->msg);
		}
	}
	return prune(pl, err);
}

enum edi_code transfer_sftp_pull(const struct transfer_env *env,
				 const struct partner *p,
				 struct transfer_counts *counts,
				 struct edi_error *err)
{
	struct pull pl;
	int lock = -1;
	enum edi_code rc;

	if (!p->sftp || !p->sftp->inbound)
		return EDI_OK;
	memset(&pl, 0, sizeof(pl));
	pl.env = env;
	pl.p = p;
	pl.s = p->sftp;
	pl.counts = counts;
	pl.conn.fd = -1;
	rc = transfer_sftp_partner_lock(env, p, "pull", &lock, err);
	if (rc)
		return rc;
	rc = transfer_sftp_connect_partner(env, p, &pl.conn, err);
	if (rc == EDI_OK)
		rc = pull_files(&pl, err);
	sftp_conn_close(&pl.conn);
	free(pl.files);
	free(pl.rows);
	transfer_sftp_partner_unlock(lock);
	return rc;
}
