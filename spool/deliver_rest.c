/*
 * deliver_rest - send the due record entries of rest outputs; see
 * deliver_rest.h for the protocol and why a crash at any point only
 * leads to a repeat with the same Idempotency-Key.  The queue side
 * (split, route, status) is rest_queue.c.
 */
#define _POSIX_C_SOURCE 200809L
#include "deliver_rest.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "strview.h"
#include "buf.h"
#include "fileio.h"
#include "journal_transfer.h"
#include "json_out.h"
#include "rest_push.h"
#include "rest_queue.h"
#include "rest_secret.h"
#include "rest_table.h"
#include "spool_move.h"
#include "xalloc.h"

/* The record entries found in deferred/. */
struct items {
	struct rest_item *v;
	size_t n, cap;
};

/* What one output's pass needs. */
struct pass {
	struct deliver_rest *d;
	struct deliver_rest_stats *st;
	const struct config_output *out;
	struct rest_client *client;
	struct rest_secrets secrets; /* wiped after use */
	struct breaker br;
	time_t now;
};

static void iso_time(time_t t, char out[24])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static uint64_t random_u64(struct deliver_rest *d)
{
	uint64_t v = 0;

	if (d->random)
		return d->random();
	if (getrandom(&v, sizeof(v), 0) != (ssize_t)sizeof(v))
		v = (uint64_t)time(NULL) * 6364136223846793005ull;
	return v;
}

/* --- send what is due --- */

static enum edi_code list_one(void *ctx, const char *id, struct edi_error *err)
{
	struct deliver_rest *d = ((void **)ctx)[0];
	struct items *l = ((void **)ctx)[1];
	struct spool_meta m;
	struct edi_error ignore;

	(void)err;
	if (spool_meta_read(d->spool, SPOOL_DEFERRED, id, &m, &ignore) ||
	    !deliver_rest_source(m.source))
		return EDI_OK; /* not a record entry */
	if (d->only_partner && strcmp(m.partner, d->only_partner))
		return EDI_OK;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	memset(&l->v[l->n], 0, sizeof(l->v[0]));
	rest_item_from_meta(&m, &l->v[l->n]);
	l->n++;
	return EDI_OK;
}

static enum edi_code breaker_dir(const struct spool *sp, char *dir, size_t size,
				 struct edi_error *err)
{
	return spool_path(sp, DELIVER_REST_BREAKERS, dir, size, err);
}

static enum edi_code save_breaker(struct pass *ps, struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX];

	if (breaker_dir(ps->d->spool, dir, sizeof(dir), err) ||
	    fileio_mkdirs(dir, 0750, err))
		return err->code;
	return breaker_save(dir, ps->out->name, &ps->br, err);
}

static void add_transfer(struct pass *ps, const struct rest_item *it,
			 const char *status, const char *detail,
			 const char *key)
{
	struct journal_transfer t;
	struct edi_error ignore;

	memset(&t, 0, sizeof(t));
	str_copy(t.direction, sizeof(t.direction), "out");
	str_copy(t.partner, sizeof(t.partner), it->partner);
	str_copy(t.transport, sizeof(t.transport), "rest");
	str_copy(t.name, sizeof(t.name), it->record_id);
	str_copy(t.entry_id, sizeof(t.entry_id), it->id);
	str_copy(t.remote, sizeof(t.remote), ps->out->url);
	str_copy(t.message_id, sizeof(t.message_id), key);
	str_copy(t.status, sizeof(t.status), status);
	str_copy(t.detail, sizeof(t.detail), detail);
	t.at = (int64_t)ps->now;
	/* the transfers table is a history; the row above decides */
	journal_transfer_add(ps->d->journal, &t, &ignore);
}

static enum edi_code done(struct pass *ps, struct rest_item *it,
			  const struct rest_result *res, const char *key,
			  struct edi_error *err)
{
	enum edi_code rc;

	str_copy(it->row.status, sizeof(it->row.status), "sent");
	str_copy(it->row.entry_id, sizeof(it->row.entry_id), it->id);
	it->row.last_http = res->http_status;
	str_copy(it->row.detail, sizeof(it->row.detail), res->detail);
	it->row.updated_at = (int64_t)ps->now;
	rc = rest_row_put(ps->d->journal, &it->row, err);
	if (rc)
		return rc;
	add_transfer(ps, it, "sent", res->detail, key);
	ps->st->sent++;
	it->to = SPOOL_ARCHIVE;
	return EDI_OK;
}

/* reason.json for a record that goes to error/. */
static enum edi_code to_error(struct pass *ps, struct rest_item *it,
			      const struct rest_result *res, const char *code,
			      const char *msg, const char *key,
			      struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
	char first[24], last[24];
	struct buf reason, old;
	struct json_out j;
	struct edi_error e2;
	enum edi_code rc;

	memset(&old, 0, sizeof(old));
	iso_time(ps->now, last);
	str_copy(first, sizeof(first), last);
	/* a replayed record keeps its first failure time */
	if (!spool_entry_path(ps->d->spool, SPOOL_WORK, it->id, dir,
			      sizeof(dir), &e2) &&
	    !fileio_join(path, sizeof(path), dir, SPOOL_REASON_FILE, &e2) &&
	    !fileio_read_all(path, SPOOL_REASON_MAX, &old, &e2)) {
		json_t *root = json_loadb(old.ptr, old.len, 0, NULL);
		const char *f = json_string_value(
			json_object_get(root, "first_failure"));
		if (f)
			str_copy(first, sizeof(first), f);
		json_decref(root);
	}
	buf_release(&old);
	buf_init(&reason, SPOOL_REASON_MAX);
	json_out_init(&j, &reason);
	json_obj_begin(&j);
	json_key(&j, "entry");
	json_str(&j, it->id);
	json_key(&j, "file");
	json_str(&j, it->file);
	json_key(&j, "stage");
	json_str(&j, "deliver");
	if (it->partner[0]) {
		json_key(&j, "partner");
		json_str(&j, it->partner);
	}
	json_key(&j, "output");
	json_str(&j, ps->out->name);
	json_key(&j, "url");
	json_str(&j, ps->out->url);
	json_key(&j, "record_id");
	json_str(&j, it->record_id);
	if (it->correlation_id[0]) {
		json_key(&j, "correlation_id");
		json_str(&j, it->correlation_id);
	}
	json_key(&j, "attempts");
	json_u64(&j, it->row.attempts);
	json_key(&j, "first_failure");
	json_str(&j, first);
	json_key(&j, "last_failure");
	json_str(&j, last);
	if (res->http_status) {
		json_key(&j, "http_status");
		json_i64(&j, res->http_status);
	}
	json_key(&j, "body_excerpt");
	json_str(&j, res->excerpt);
	json_key(&j, "errors");
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_key(&j, "code");
	json_str(&j, code);
	json_key(&j, "message");
	json_str(&j, msg);
	json_obj_end(&j);
	json_arr_end(&j);
	json_key(&j, "sets_rejected");
	json_u64(&j, 0);
	json_obj_end(&j);
	rc = spool_write_reason(ps->d->spool, it->id, reason.ptr, reason.len,
				err);
	buf_release(&reason);
	if (rc)
		return rc;
	str_copy(it->row.status, sizeof(it->row.status), "failed");
	str_copy(it->row.entry_id, sizeof(it->row.entry_id), it->id);
	it->row.last_http = res->http_status;
	str_copy(it->row.detail, sizeof(it->row.detail), msg);
	it->row.updated_at = (int64_t)ps->now;
	rc = rest_row_put(ps->d->journal, &it->row, err);
	if (rc)
		return rc;
	add_transfer(ps, it, "failed", msg, key);
	ps->st->failed++;
	it->to = SPOOL_ERROR;
	return EDI_OK;
}

static enum edi_code permanent(struct pass *ps, struct rest_item *it,
			       const struct rest_result *res, const char *key,
			       struct edi_error *err)
{
	char msg[REST_DETAIL_MAX];

	snprintf(msg, sizeof(msg),
		 "output '%s' rejected record '%s' with HTTP %ld%s%.100s",
		 ps->out->name, it->record_id, res->http_status,
		 res->excerpt[0] ? ": " : "", res->excerpt);
	it->row.attempts++;
	return to_error(ps, it, res, "http-rejected", msg, key, err);
}

static enum edi_code transient(struct pass *ps, struct rest_item *it,
			       const struct rest_result *res, const char *key,
			       struct edi_error *err)
{
	const struct retry_policy *pol = &ps->out->rest.retry;
	enum edi_code rc;

	it->row.attempts++;
	if (retry_exhausted(pol, it->row.attempts)) {
		char msg[REST_DETAIL_MAX];
		snprintf(msg, sizeof(msg),
			 "output '%s': gave up on record '%s' after %u "
			 "attempts; last: %.120s",
			 ps->out->name, it->record_id, it->row.attempts,
			 res->detail);
		return to_error(ps, it, res, "retries-exhausted", msg, key,
				err);
	}
	it->row.next_at = (int64_t)retry_next_at(
		pol, it->row.attempts, ps->now, res->has_retry_after,
		res->retry_after_s, random_u64(ps->d));
	str_copy(it->row.status, sizeof(it->row.status), "pending");
	str_copy(it->row.entry_id, sizeof(it->row.entry_id), it->id);
	it->row.last_http = res->http_status;
	str_copy(it->row.detail, sizeof(it->row.detail), res->detail);
	it->row.updated_at = (int64_t)ps->now;
	rc = rest_row_put(ps->d->journal, &it->row, err);
	if (rc)
		return rc;
	add_transfer(ps, it, "deferred", res->detail, key);
	ps->st->deferred++;
	it->to = SPOOL_DEFERRED;
	return EDI_OK;
}

/*
 * Write down what came of a request for its[0..n) (rows, transfers,
 * reason.json) in one journal transaction, then move each entry from
 * work/ where its row says.  A crash in between leaves the entries in
 * work/: recovery sends them through the pipeline's route, which reads
 * the rows (sent: archive; else deferred).
 */
static enum edi_code settle(struct pass *ps, struct rest_item **its, size_t n,
			    const struct rest_result *res, const char *key,
			    struct edi_error *err)
{
	struct journal *j = ps->d->journal;
	enum edi_code rc = journal_begin(j, err);

	for (size_t i = 0; !rc && i < n; i++) {
		switch (res->outcome) {
		case RETRY_DONE:
			rc = done(ps, its[i], res, key, err);
			break;
		case RETRY_TRANSIENT:
			rc = transient(ps, its[i], res, key, err);
			break;
		case RETRY_PERMANENT:
			rc = permanent(ps, its[i], res, key, err);
			break;
		}
	}
	if (!rc)
		rc = journal_commit(j, err);
	if (rc) {
		struct edi_error e2;
		if (journal_in_transaction(j))
			journal_rollback(j, &e2);
		return rc;
	}
	for (size_t i = 0; !rc && i < n; i++) {
		struct rest_item *it = its[i];
		char dir[FILEIO_PATH_MAX];
		struct timespec ts[2];

		rc = spool_move(ps->d->spool, it->id, SPOOL_WORK, it->to,
				ps->now, err);
		/* deferred/: the folder's mtime is the next attempt */
		if (!rc && it->to == SPOOL_DEFERRED &&
		    !spool_entry_path(ps->d->spool, SPOOL_DEFERRED, it->id, dir,
				      sizeof(dir), err)) {
			ts[0].tv_sec = ts[1].tv_sec = (time_t)it->row.next_at;
			ts[0].tv_nsec = ts[1].tv_nsec = 0;
			utimensat(AT_FDCWD, dir, ts, 0);
		}
	}
	return rc;
}

/* "batch-" and the SHA-256 of the ids, one per line. */
static void batch_key(struct rest_item **its, size_t n, char *key, size_t size)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	size_t used;

	EVP_DigestInit_ex(c, EVP_sha256(), NULL);
	for (size_t i = 0; i < n; i++) {
		EVP_DigestUpdate(c, its[i]->record_id,
				 strlen(its[i]->record_id));
		EVP_DigestUpdate(c, "\n", 1);
	}
	EVP_DigestFinal_ex(c, md, &mdlen);
	EVP_MD_CTX_free(c);
	used = (size_t)snprintf(key, size, "batch-");
	for (unsigned i = 0; i < mdlen && used + 3 <= size; i++)
		used += (size_t)snprintf(key + used, size - used, "%02x",
					 md[i]);
}

/* Send its[0..n) (claimed, bodies read) as one request; settle them. */
static enum edi_code attempt(struct pass *ps, struct rest_item **its, size_t n,
			     struct edi_error *err)
{
	const struct config_output *out = ps->out;
	const struct config_rest *r = &out->rest;
	struct rest_header *hdrs;
	struct rest_request req;
	struct rest_result res;
	char key[JOURNAL_NAME_MAX];
	struct buf body, corr;
	size_t nh = 0;
	enum edi_code rc = EDI_OK;

	if (n == 1)
		str_copy(key, sizeof(key), its[0]->record_id);
	else
		batch_key(its, n, key, sizeof(key));
	buf_init(&body, SIZE_MAX / 2);
	buf_init(&corr, 1024);
	if (n > 1)
		buf_addc(&body, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_addc(&body, ',');
		buf_add(&body, its[i]->body.ptr, its[i]->body.len);
		if (its[i]->correlation_id[0] &&
		    !strstr(buf_cstr(&corr), its[i]->correlation_id)) {
			if (corr.len)
				buf_addc(&corr, ',');
			buf_adds(&corr, its[i]->correlation_id);
		}
	}
	if (n > 1)
		buf_addc(&body, ']');
	hdrs = xreallocarray(NULL, r->nheaders + 2, sizeof(*hdrs));
	hdrs[nh++] = (struct rest_header){"Idempotency-Key", key};
	if (corr.len)
		hdrs[nh++] = (struct rest_header){r->correlation_header,
						  buf_cstr(&corr)};
	for (size_t i = 0; i < r->nheaders; i++)
		hdrs[nh++] = r->headers[i];
	memset(&req, 0, sizeof(req));
	req.url = out->url;
	req.method = config_method_name(out->method);
	req.headers = hdrs;
	req.nheaders = nh;
	req.body = buf_view(&body);
	req.auth = &ps->secrets.auth;
	req.ca_file = r->ca_file;
	req.connect_timeout_s = r->connect_timeout_s;
	req.timeout_s = r->timeout_s;
	rc = rest_client_send(ps->client, &req, ps->now, &res, err);
	free(hdrs);
	buf_release(&body);
	buf_release(&corr);
	if (rc)
		return rc;
	ps->st->requests++;
	switch (res.outcome) {
	case RETRY_DONE:
		breaker_success(&ps->br, &r->breaker, ps->now);
		rc = settle(ps, its, n, &res, key, err);
		break;
	case RETRY_TRANSIENT:
		breaker_failure(&ps->br, &r->breaker, ps->now);
		rc = settle(ps, its, n, &res, key, err);
		break;
	case RETRY_PERMANENT:
		/* the endpoint is up; the request is wrong */
		breaker_success(&ps->br, &r->breaker, ps->now);
		if (n == 1) {
			rc = settle(ps, its, 1, &res, key, err);
			break;
		}
		/* which record of the batch? each on its own */
		for (size_t i = 0; !rc && i < n; i++)
			rc = attempt(ps, &its[i], 1, err);
		break;
	}
	if (!rc)
		rc = save_breaker(ps, err);
	return rc;
}

/* Claim the entries of its[0..n) and read their records. */
static enum edi_code claim(struct pass *ps, struct rest_item **its, size_t n,
			   size_t *nclaimed, struct edi_error *err)
{
	enum edi_code rc = EDI_OK;

	*nclaimed = 0;
	for (size_t i = 0; !rc && i < n; i++) {
		struct rest_item *it = its[i];
		char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
		rc = spool_move(ps->d->spool, it->id, SPOOL_DEFERRED,
				SPOOL_WORK, ps->now, err);
		if (rc == EDI_ENOENT) { /* held or gone meanwhile */
			rc = EDI_OK;
			continue;
		}
		/* a second entry of the same record (a split redone after a
		 * crash) may have been sent since the due list was made */
		if (!rc) {
			struct rest_row now_row;
			rc = rest_row_get(ps->d->journal, it->record_id,
					  it->output, &now_row, err);
			if (!rc)
				it->row = now_row;
			else if (rc == EDI_ENOENT)
				rc = EDI_OK;
		}
		if (!rc && !strcmp(it->row.status, "sent")) {
			rc = spool_move(ps->d->spool, it->id, SPOOL_WORK,
					SPOOL_ARCHIVE, ps->now, err);
			continue;
		}
		if (!rc)
			rc = spool_entry_path(ps->d->spool, SPOOL_WORK, it->id,
					      dir, sizeof(dir), err);
		if (!rc)
			rc = fileio_join(path, sizeof(path), dir, it->file,
					 err);
		if (!rc) {
			buf_release(&it->body);
			rc = fileio_read_all(path, DELIVER_REST_RECORD_MAX,
					     &it->body, err);
		}
		while (!rc && it->body.len &&
		       (it->body.ptr[it->body.len - 1] == '\n' ||
			it->body.ptr[it->body.len - 1] == '\r'))
			it->body.len--;
		its[(*nclaimed)++] = it;
	}
	return rc;
}

static enum edi_code serve_output(struct pass *ps, struct items *all,
				  struct edi_error *err)
{
	const struct config_output *out = ps->out;
	unsigned batch = out->rest.batch_size ? out->rest.batch_size : 1;
	struct rest_item **due = NULL;
	size_t ndue = 0;
	enum edi_code rc = EDI_OK;

	/* what is due, in entry order (the order records arrived) */
	for (size_t i = 0; !rc && i < all->n; i++) {
		struct rest_item *it = &all->v[i];
		rc = rest_row_get(ps->d->journal, it->record_id, it->output,
				  &it->row, err);
		if (rc == EDI_ENOENT) {
			rest_item_row(&it->row, it, ps->now);
			rc = rest_row_put(ps->d->journal, &it->row, err);
		} else if (!rc && !strcmp(it->row.status, "sent")) {
			/* a second entry of a record already delivered */
			rc = spool_move(ps->d->spool, it->id, SPOOL_DEFERRED,
					SPOOL_WORK, ps->now, err);
			if (!rc)
				rc = spool_move(ps->d->spool, it->id,
						SPOOL_WORK, SPOOL_ARCHIVE,
						ps->now, err);
			continue;
		} else if (!rc && it->row.next_at > (int64_t)ps->now) {
			continue; /* not yet */
		}
		if (rc)
			break;
		due = xreallocarray(due, ndue + 1, sizeof(*due));
		due[ndue++] = it;
	}
	for (size_t i = 0; !rc && i < ndue;) {
		struct rest_item **chunk = due + i;
		size_t n = ndue - i < batch ? ndue - i : batch, got = 0;
		if (!breaker_allow(&ps->br, &out->rest.breaker, ps->now)) {
			ps->st->held += ndue - i;
			break;
		}
		/* a record twice in one request would be one too many */
		for (size_t k = 1; k < n; k++)
			for (size_t m = 0; m < k; m++)
				if (!strcmp(chunk[k]->record_id,
					    chunk[m]->record_id)) {
					n = k;
					break;
				}
		rc = claim(ps, chunk, n, &got, err);
		if (!rc && got)
			rc = attempt(ps, chunk, got, err);
		i += n;
	}
	if (!rc && ps->br.state != BREAKER_CLOSED)
		ps->st->open_breakers++;
	free(due);
	return rc;
}

enum edi_code deliver_rest_run(struct deliver_rest *d,
			       struct deliver_rest_stats *stats,
			       struct edi_error *err)
{
	const struct config *cfg = d->cfg;
	struct items all = {0};
	struct rest_client client = {NULL};
	struct edi_error first = {EDI_OK, {0}, ""};
	bool failed = false;
	void *ctx[2] = {d, &all};
	time_t now = d->clock();
	enum edi_code rc = EDI_OK;

	memset(stats, 0, sizeof(*stats));
	for (size_t i = 0; !rc && i < cfg->noutputs; i++)
		if (cfg->outputs[i].kind == CONFIG_OUTPUT_REST)
			rc = rest_queue_split(d, &cfg->outputs[i], now, stats,
					      err);
	if (!rc)
		rc = spool_list(d->spool, SPOOL_DEFERRED, list_one, ctx, err);
	for (size_t i = 0; !rc && i < cfg->noutputs; i++) {
		const struct config_output *out = &cfg->outputs[i];
		struct items mine = {0};
		struct pass ps;
		enum edi_code orc;

		if (out->kind != CONFIG_OUTPUT_REST)
			continue;
		for (size_t k = 0; k < all.n; k++) {
			if (strcmp(all.v[k].output, out->name))
				continue;
			if (mine.n == mine.cap) {
				mine.cap = mine.cap ? mine.cap * 2 : 64;
				mine.v = xreallocarray(mine.v, mine.cap,
						       sizeof(*mine.v));
			}
			mine.v[mine.n++] = all.v[k];
		}
		memset(&ps, 0, sizeof(ps));
		ps.d = d;
		ps.st = stats;
		ps.out = out;
		ps.client = &client;
		ps.now = d->clock();
		orc = deliver_rest_breaker(d->spool, out->name, &ps.br, err);
		if (!orc && ps.br.state != BREAKER_CLOSED && !mine.n)
			stats->open_breakers++;
		if (!orc && mine.n && !client.curl)
			orc = rest_client_init(&client, err);
		if (!orc && mine.n)
			orc = rest_secrets_load(out, &ps.secrets, err);
		if (!orc && mine.n)
			orc = serve_output(&ps, &mine, err);
		rest_secrets_wipe(&ps.secrets);
		for (size_t k = 0; k < mine.n; k++)
			buf_release(&mine.v[k].body);
		free(mine.v);
		if (orc == EDI_ECONFIG) {
			/* this output's records wait; the others go on */
			if (!failed)
				first = *err;
			failed = true;
		} else if (orc) {
			rc = orc;
		}
	}
	rest_client_release(&client);
	free(all.v);
	if (!rc && failed) {
		*err = first;
		rc = EDI_ECONFIG;
	}
	return rc;
}
