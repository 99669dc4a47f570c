/*
 * transfer_sftp_push - SFTP push of outbound/<partner>/ files; see
 * transfer_sftp.h.  Each file is uploaded under a temporary name, synced
 * on the server and renamed without overwriting, then moved to sent/
 * with a receipt and a journal row.
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

struct names {
	char **v;
	size_t n, cap;
};

static enum edi_code add_name(void *ctx, const char *name,
			      struct edi_error *err)
{
	struct names *ns = ctx;

	(void)err;
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 16;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof(*ns->v));
	}
	ns->v[ns->n++] = xstrdup(name);
	return EDI_OK;
}

struct source {
	int fd;
	EVP_MD_CTX *md;
};

static long from_file(void *ctx, void *p, size_t n)
{
	struct source *s = ctx;
	ssize_t got;

	do
		got = read(s->fd, p, n);
	while (got < 0 && errno == EINTR);
	if (got > 0)
		EVP_DigestUpdate(s->md, p, (size_t)got);
	return (long)got;
}

static void receipt_json(const struct partner *p, const char *remote,
			 uint64_t size, const char *sha256, bool fsynced,
			 bool found, time_t at, struct buf *out)
{
	struct json_out j;

	json_out_init(&j, out);
	json_obj_begin(&j);
	json_key(&j, "transport");
	json_str(&j, "sftp");
	json_key(&j, "partner");
	json_str(&j, p->id);
	json_key(&j, "host");
	json_str(&j, p->sftp->host);
	json_key(&j, "port");
	json_u64(&j, p->sftp->port);
	json_key(&j, "user");
	json_str(&j, p->sftp->user);
	json_key(&j, "remote");
	json_str(&j, remote);
	json_key(&j, "size");
	json_u64(&j, size);
	if (sha256) {
		json_key(&j, "sha256");
		json_str(&j, sha256);
	}
	json_key(&j, "fsynced");
	json_bool(&j, fsynced);
	if (found) {
		/* an earlier push got it there and died before sent/ */
		json_key(&j, "found_on_server");
		json_bool(&j, true);
	}
	json_key(&j, "at");
	json_i64(&j, (int64_t)at);
	json_obj_end(&j);
}

static enum edi_code push_one(const struct transfer_env *env,
			      const struct partner *p, struct sftp_conn *c,
			      const char *name, struct transfer_counts *counts,
			      struct edi_error *err)
{
	const struct partner_sftp *s = p->sftp;
	char local[FILEIO_PATH_MAX], remote[SFTP_PATH_MAX], sha[65] = "";
	struct sftp_entry there;
	struct source src = {-1, NULL};
	struct journal_transfer t;
	struct stat st;
	struct buf json;
	uint64_t size = 0;
	bool fsynced = false, found = false;
	enum edi_code rc;

	rc = spool_outbound_path(env->sp, p->id, name, local, sizeof(local),
				 err);
	if (rc == EDI_OK)
		rc = sftp_join(remote, sizeof(remote), s->outbound, name, err);
	if (rc)
		return rc;
	src.fd = open(local, O_RDONLY | O_CLOEXEC);
	if (src.fd < 0 || fstat(src.fd, &st) != 0) {
		rc = edi_fail(err, fileio_code(errno), NULL,
			      "cannot read '%s': %s", local, strerror(errno));
		if (src.fd >= 0)
			close(src.fd);
		return rc;
	}
	rc = sftp_stat(c, remote, &there, err);
	if (rc == EDI_OK) {
		if (there.size != (uint64_t)st.st_size) {
			close(src.fd);
			return edi_fail(err, EDI_EDATA, NULL,
					"cannot send '%s': a different file of "
					"that name (%llu bytes) is in '%s' on "
					"%s",
					name, (unsigned long long)there.size,
					s->outbound, c->where);
		}
		found = true;
		size = there.size;
	} else if (rc != EDI_ENOENT) {
		close(src.fd);
		return rc;
	}
	if (!found) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned mdlen = 0;
		src.md = EVP_MD_CTX_new();
		if (!src.md || !EVP_DigestInit_ex(src.md, EVP_sha256(), NULL)) {
			EVP_MD_CTX_free(src.md);
			close(src.fd);
			return edi_fail(err, EDI_EINTERNAL, NULL,
					"SHA-256 is not available");
		}
		rc = sftp_put(c, s->outbound, name, from_file, &src, &size,
			      &fsynced, err);
		EVP_DigestFinal_ex(src.md, md, &mdlen);
		EVP_MD_CTX_free(src.md);
		for (unsigned i = 0; i < mdlen && i < 32; i++)
			snprintf(sha + 2 * i, 3, "%02x", md[i]);
	}
	close(src.fd);
	if (rc)
		return rc;
	buf_init(&json, 8192);
	receipt_json(p, remote, size, found ? NULL : sha, fsynced, found,
		     env->clock(), &json);
	rc = spool_outbound_sent(env->sp, p->id, name, json.ptr, env->clock(),
				 NULL, err);
	memset(&t, 0, sizeof(t));
	str_copy(t.direction, sizeof(t.direction), "out");
	str_copy(t.partner, sizeof(t.partner), p->id);
	str_copy(t.transport, sizeof(t.transport), "sftp");
	str_copy(t.name, sizeof(t.name), name);
	transfer_sftp_remote_url(t.remote, sizeof(t.remote), s, remote);
	str_copy(t.status, sizeof(t.status), "sent");
	str_copy(t.detail, sizeof(t.detail), json.ptr);
	t.at = env->clock();
	buf_release(&json);
	if (rc == EDI_OK)
		rc = journal_transfer_add(env->journal, &t, err);
	if (rc)
		return rc;
	counts->files++;
	transfer_note(env, p, "pushed '%s' to %s (%llu bytes)%s", name, remote,
		      (unsigned long long)size,
		      found ? ", found there from an earlier push" : "");
	return EDI_OK;
}

static size_t pushed_now(const struct transfer_counts *counts, size_t before)
{
	return counts->files - before;
}

enum edi_code transfer_sftp_push(const struct transfer_env *env,
				 const struct partner *p,
				 struct transfer_counts *counts,
				 struct edi_error *err)
{
	struct names ns = {NULL, 0, 0};
	struct sftp_conn c;
	int lock = -1;
	enum edi_code rc;

	size_t before = counts->files;

	if (!p->sftp || !p->sftp->outbound)
		return EDI_OK;
	memset(&c, 0, sizeof(c));
	c.fd = -1;
	rc = transfer_sftp_partner_lock(env, p, "push", &lock, err);
	if (rc)
		return rc;
	rc = spool_outbound_list(env->sp, p->id, add_name, &ns, err);
	if (rc == EDI_OK && ns.n)
		rc = transfer_sftp_connect_partner(env, p, &c, err);
	for (size_t i = 0; rc == EDI_OK && i < ns.n; i++) {
		enum edi_code one = push_one(env, p, &c, ns.v[i], counts, err);
		if (one == EDI_ETEMP || one == EDI_ECONFIG) {
			rc = one;
			break;
		}
		if (one) {
			counts->failed++;
			transfer_note(env, p, "%s", err->msg);
		}
	}
	/* what did not go stays in outbound/ for the next push */
	counts->waiting += ns.n - pushed_now(counts, before);
	sftp_conn_close(&c);
	for (size_t i = 0; i < ns.n; i++)
		free(ns.v[i]);
	free(ns.v);
	transfer_sftp_partner_unlock(lock);
	return rc;
}
