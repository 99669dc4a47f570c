/*
 * transfer_as2 - AS2 push from outbound/ and async MDNs; see
 * transfer_as2.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "transfer_as2.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "strview.h"
#include "as2_send.h"
#include "buf.h"
#include "fileio.h"
#include "journal_as2.h"
#include "journal_transfer.h"
#include "json_out.h"
#include "spool_outbound.h"

static enum edi_code add_transfer(const struct transfer_env *env,
				  const struct partner *p, const char *name,
				  const char *message_id, const char *status,
				  const char *detail, struct edi_error *err)
{
	struct journal_transfer t;

	memset(&t, 0, sizeof(t));
	str_copy(t.direction, sizeof(t.direction), "out");
	str_copy(t.partner, sizeof(t.partner), p->id);
	str_copy(t.transport, sizeof(t.transport), "as2");
	str_copy(t.name, sizeof(t.name), name);
	str_copy(t.remote, sizeof(t.remote), p->as2->url);
	str_copy(t.message_id, sizeof(t.message_id), message_id);
	str_copy(t.status, sizeof(t.status), status);
	str_copy(t.detail, sizeof(t.detail), detail);
	t.at = (int64_t)env->clock();
	return journal_transfer_add(env->journal, &t, err);
}

/* The MDN as a file next to the sent one: <sent_path>.mdn. */
static enum edi_code keep_mdn(const char *sent_path, struct strview raw,
			      struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], name[FILEIO_PATH_MAX];
	const char *slash = strrchr(sent_path, '/');

	if (!slash || !raw.len)
		return EDI_OK;
	snprintf(dir, sizeof(dir), "%.*s", (int)(slash - sent_path), sent_path);
	snprintf(name, sizeof(name), "%s.mdn", slash + 1);
	return fileio_write_durable(dir, name, raw.ptr, raw.len, err);
}

struct push {
	const struct transfer_env *env;
	const struct partner *p;
	const struct as2_keys *k;
	struct transfer_counts *counts;
	enum edi_code stop; /* EDI_ETEMP: partner unreachable */
	struct edi_error stop_err;
	struct journal_as2 *row; /* the message being sent */
};

/* Before the first byte: the MIC goes into the journal row. */
static enum edi_code note_mic(void *ctx, const char *mic, struct edi_error *err)
{
	struct push *ps = ctx;

	str_copy(ps->row->mic, sizeof(ps->row->mic), mic);
	return journal_as2_put(ps->env->journal, ps->row, SV_LIT(""), err);
}

static enum edi_code receipt_json(const struct as2_partner *a,
				  const struct as2_send_result *r,
				  struct buf *out)
{
	struct json_out j;

	json_out_init(&j, out);
	json_obj_begin(&j);
	json_key(&j, "transport");
	json_str(&j, "as2");
	json_key(&j, "url");
	json_str(&j, a->url);
	json_key(&j, "as2_from");
	json_str(&j, a->our_id);
	json_key(&j, "as2_to");
	json_str(&j, a->their_id);
	json_key(&j, "message_id");
	json_str(&j, r->message_id);
	json_key(&j, "mic");
	json_str(&j, r->mic);
	json_key(&j, "attempts");
	json_u64(&j, r->attempts);
	json_key(&j, "mdn");
	json_str(&j, a->mdn == AS2_MDN_SYNC    ? "sync"
		     : a->mdn == AS2_MDN_ASYNC ? "async"
					       : "none");
	if (r->have_mdn) {
		json_key(&j, "disposition");
		json_str(&j, r->mdn.disposition);
		json_key(&j, "mdn_signed");
		json_bool(&j, r->mdn.is_signed);
	}
	json_obj_end(&j);
	return json_out_result(&j);
}

static enum edi_code push_one(void *ctx, const char *name,
			      struct edi_error *err)
{
	struct push *ps = ctx;
	const struct transfer_env *env = ps->env;
	const struct partner *p = ps->p;
	const struct as2_partner *a = p->as2;
	char path[FILEIO_PATH_MAX], sent_path[FILEIO_PATH_MAX];
	struct journal_as2 row;
	struct as2_send_result r;
	struct buf data, receipt;
	struct edi_error e;
	enum edi_code rc;
	const char *status;

	if ((rc = spool_outbound_path(env->sp, p->id, name, path, sizeof(path),
				      err)))
		return rc;
	rc = fileio_read_all(path, env->cfg->limits.max_file_bytes, &data, err);
	if (rc) {
		buf_release(&data);
		return rc == EDI_ENOENT ? EDI_OK : rc; /* gone meanwhile */
	}
	memset(&row, 0, sizeof(row));
	if (journal_as2_unfinished(env->journal, p->id, name, &row, &e) !=
	    EDI_OK) {
		if (e.code != EDI_ENOENT) {
			buf_release(&data);
			*err = e;
			return e.code;
		}
		memset(&row, 0, sizeof(row));
		as2_new_message_id(a->our_id, row.message_id);
		str_copy(row.direction, sizeof(row.direction), "out");
		str_copy(row.partner, sizeof(row.partner), p->id);
		str_copy(row.name, sizeof(row.name), name);
		str_copy(row.status, sizeof(row.status), "sending");
		row.at = (int64_t)env->clock();
		if ((rc = journal_as2_put(env->journal, &row, SV_LIT(""),
					  err))) {
			buf_release(&data);
			return rc;
		}
	}
	ps->row = &row;
	rc = as2_send(a, ps->k, buf_view(&data), name, row.message_id, note_mic,
		      ps, &r, &e);
	buf_release(&data);
	str_copy(row.mic, sizeof(row.mic), r.mic);
	if (rc == EDI_ETEMP) {
		/* unreachable: keep the file and the Message-ID */
		ps->counts->waiting++;
		ps->stop = EDI_ETEMP;
		ps->stop_err = e;
		as2_send_result_release(&r);
		return EDI_ETEMP;
	}
	if (rc != EDI_OK) {
		ps->counts->failed++;
		transfer_note(env, p, "'%s' (%s) failed: %s", name,
			      row.message_id, e.msg);
		str_copy(row.status, sizeof(row.status), "failed");
		str_copy(row.detail, sizeof(row.detail), e.msg);
		rc = journal_as2_put(env->journal, &row, buf_view(&r.mdn_raw),
				     err);
		if (!rc)
			rc = add_transfer(env, p, name, row.message_id,
					  "failed", e.msg, err);
		as2_send_result_release(&r);
		if (rc)
			return rc;
		if (e.code == EDI_ECONFIG) {
			ps->stop = EDI_ECONFIG;
			ps->stop_err = e;
			return EDI_ECONFIG;
		}
		return EDI_OK;
	}
	buf_init(&receipt, 8192);
	receipt_json(a, &r, &receipt);
	rc = spool_outbound_sent(env->sp, p->id, name, buf_cstr(&receipt),
				 env->clock(), sent_path, err);
	buf_release(&receipt);
	if (rc) {
		as2_send_result_release(&r);
		return rc;
	}
	status = a->mdn == AS2_MDN_ASYNC ? "awaiting-mdn" : "sent";
	str_copy(row.status, sizeof(row.status), status);
	str_copy(row.detail, sizeof(row.detail),
		 r.have_mdn ? r.mdn.disposition : "");
	/* one transaction with the async MDN's update (serve): neither
	 * overwrites the other */
	if ((rc = journal_begin(env->journal, err))) {
		as2_send_result_release(&r);
		return rc;
	}
	if (a->mdn == AS2_MDN_ASYNC) {
		/* the async MDN may have come in while we were busy */
		struct journal_as2 now;
		buf_reset(&r.mdn_raw);
		if (journal_as2_get(env->journal, "out", p->id, row.message_id,
				    &now, &r.mdn_raw, &e) == EDI_OK &&
		    (!strcmp(now.status, "delivered") ||
		     !strcmp(now.status, "refused"))) {
			row = now;
			status = row.status;
		} else {
			buf_reset(&r.mdn_raw);
		}
	}
	str_copy(row.sent_path, sizeof(row.sent_path), sent_path);
	row.at = (int64_t)env->clock();
	rc = keep_mdn(sent_path, buf_view(&r.mdn_raw), err);
	if (!rc)
		rc = journal_as2_put(env->journal, &row, buf_view(&r.mdn_raw),
				     err);
	if (!rc)
		rc = add_transfer(env, p, name, row.message_id, status,
				  row.detail, err);
	if (!rc)
		rc = journal_commit(env->journal, err);
	if (rc)
		journal_rollback(env->journal, &e);
	if (!rc) {
		ps->counts->files++;
		transfer_note(env, p, "sent '%s' as %s%s", name, row.message_id,
			      a->mdn == AS2_MDN_ASYNC  ? ", mdn to follow"
			      : a->mdn == AS2_MDN_SYNC ? ", mdn verified"
						       : "");
	}
	as2_send_result_release(&r);
	return rc;
}

enum edi_code transfer_as2_push(const struct transfer_env *env,
				const struct partner *p,
				struct transfer_counts *counts,
				struct edi_error *err)
{
	struct as2_keys k;
	struct push ps;
	enum edi_code rc;

	if (!p->as2 || !p->as2->url)
		return EDI_OK;
	if ((rc = as2_keys_load(p->as2, &k, err)))
		return EDI_ECONFIG;
	memset(&ps, 0, sizeof(ps));
	ps.env = env;
	ps.p = p;
	ps.k = &k;
	ps.counts = counts;
	rc = spool_outbound_list(env->sp, p->id, push_one, &ps, err);
	as2_keys_release(&k);
	if (ps.stop != EDI_OK) {
		*err = ps.stop_err;
		return ps.stop;
	}
	return rc;
}

static enum edi_code record_mdn(const struct transfer_env *env,
				const struct partner *p,
				const struct as2_mdn *mdn, struct strview raw,
				bool *okp, char *why, size_t why_size,
				struct edi_error *err)
{
	struct journal_as2 row;
	enum edi_code rc;
	bool ok;

	rc = journal_as2_get(env->journal, "out", p->id,
			     mdn->original_message_id, &row, NULL, err);
	if (rc)
		return rc;
	ok = mdn->ok && as2_mdn_mic_matches(mdn->mic, row.mic);
	if (!mdn->ok)
		snprintf(why, why_size, "partner did not accept it: %s",
			 mdn->disposition);
	else if (!ok)
		snprintf(why, why_size, "mdn mic '%s' differs from ours '%s'",
			 mdn->mic, row.mic);
	else
		snprintf(why, why_size, "%s", mdn->disposition);
	str_copy(row.status, sizeof(row.status), ok ? "delivered" : "refused");
	str_copy(row.detail, sizeof(row.detail), why);
	row.at = (int64_t)env->clock();
	if (row.sent_path[0] && (rc = keep_mdn(row.sent_path, raw, err)))
		return rc;
	*okp = ok;
	if ((rc = journal_as2_put(env->journal, &row, raw, err)))
		return rc;
	return add_transfer(env, p, row.name, row.message_id, row.status, why,
			    err);
}

enum edi_code transfer_as2_mdn(const struct transfer_env *env,
			       const struct partner *p,
			       const struct as2_mdn *mdn, struct strview raw,
			       struct edi_error *err)
{
	enum edi_code rc;
	bool ok = false;
	char why[600] = "";

	if ((rc = journal_begin(env->journal, err)))
		return rc;
	rc = record_mdn(env, p, mdn, raw, &ok, why, sizeof(why), err);
	if (!rc)
		rc = journal_commit(env->journal, err);
	if (rc) {
		struct edi_error e;
		journal_rollback(env->journal, &e);
		return rc;
	}
	if (!ok)
		return edi_fail(err, EDI_EDATA, NULL, "message %s: %s",
				mdn->original_message_id, why);
	return EDI_OK;
}
