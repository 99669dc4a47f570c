/*
 * receive_as2 - one inbound AS2 POST; see receive_as2.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "receive_as2.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "strview.h"
#include "as2_mdn.h"
#include "as2_send.h"
#include "journal_as2.h"
#include "journal_transfer.h"
#include "json_out.h"
#include "spool_receive.h"
#include "transfer_as2.h"
#include "xalloc.h"

#define MDN_STORE_MAX (8u << 20)

static void note(const struct receive_as2 *rx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void note(const struct receive_as2 *rx, const char *fmt, ...)
{
	char line[EDI_MSG_MAX + 512];
	va_list ap;

	if (!rx->note)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	rx->note(rx->note_ctx, line);
}

/* A header value, trimmed and unquoted, into out; false when absent. */
static bool header(const struct as2_serve_request *req, const char *name,
		   char *out, size_t size)
{
	struct strview v;

	if (!as2_serve_header(req, name, &v))
		return false;
	v = sv_trim(v);
	while (v.len && (v.ptr[v.len - 1] == '\t' || v.ptr[v.len - 1] == '\r'))
		v.len--;
	if (v.len >= 2 && v.ptr[0] == '"' && v.ptr[v.len - 1] == '"') {
		v.ptr++;
		v.len -= 2;
	}
	if (!v.len || v.len >= size)
		return false;
	sv_to_cbuf(v, out, size);
	return true;
}

static void text_reply(struct as2_serve_response *resp, unsigned status,
		       const char *msg)
{
	resp->status = status;
	buf_adds(&resp->headers, "Content-Type: text/plain\r\n");
	buf_addf(&resp->body, "%s\n", msg);
}

static const struct partner *find_partner(const struct registry *reg,
					  const char *from, const char *to)
{
	for (size_t i = 0; i < reg->npartners; i++) {
		const struct partner *p = &reg->partners[i];
		if (p->enabled && p->as2 && !strcmp(p->as2->their_id, from) &&
		    !strcmp(p->as2->our_id, to))
			return p;
	}
	return NULL;
}

static const char *disposition_of(enum as2_cms_fail f)
{
	switch (f) {
	case AS2_FAIL_AUTHENTICATION:
		return "authentication-failed";
	case AS2_FAIL_INTEGRITY:
		return "integrity-check-failed";
	case AS2_FAIL_DECRYPTION:
		return "decryption-failed";
	case AS2_FAIL_DECOMPRESSION:
		return "decompression-failed";
	case AS2_FAIL_SECURITY:
		return "insufficient-message-security";
	case AS2_FAIL_NONE:
	case AS2_FAIL_OTHER:
		break;
	}
	return "unexpected-processing-error";
}

/* What the sender asked for in its headers. */
struct asked {
	bool mdn;	      /* Disposition-Notification-To */
	bool signed_mdn;      /* ... pkcs7-signature */
	const EVP_MD *md;     /* signed-receipt-micalg, or NULL */
	char md_name[32];     /* as the sender spelled it */
	char async_url[1024]; /* Receipt-Delivery-Option, "" for sync */
};

static void read_asked(const struct as2_serve_request *req, struct asked *a)
{
	struct strview opts;

	memset(a, 0, sizeof(*a));
	a->mdn = as2_serve_header(req, "Disposition-Notification-To", &opts);
	if (as2_serve_header(req, "Disposition-Notification-Options", &opts)) {
		for (size_t i = 0; i + 15 <= opts.len; i++)
			if (!strncasecmp(opts.ptr + i, "pkcs7-signature", 15))
				a->signed_mdn = true;
		as2_msg_want_micalg(opts, &a->md, a->md_name,
				    sizeof(a->md_name));
	}
	if (!header(req, "Receipt-Delivery-Option", a->async_url,
		    sizeof(a->async_url)) ||
	    (strncmp(a->async_url, "http://", 7) &&
	     strncmp(a->async_url, "https://", 8)))
		a->async_url[0] = '\0';
}

/* The AS2 headers of a response or async MDN from us to them. */
static void as2_headers(struct buf *h, const char *our_id, const char *their_id,
			const char *about)
{
	char id[AS2_MSGID_MAX];

	as2_new_message_id(our_id, id);
	buf_adds(h, "AS2-Version: 1.2\r\n");
	buf_addf(h,
		 strchr(our_id, ' ') ? "AS2-From: \"%s\"\r\n"
				     : "AS2-From: %s\r\n",
		 our_id);
	buf_addf(h,
		 strchr(their_id, ' ') ? "AS2-To: \"%s\"\r\n"
				       : "AS2-To: %s\r\n",
		 their_id);
	buf_addf(h, "Message-ID: %s\r\n", id);
	buf_addf(h, "Subject: Message Disposition Notification for %s\r\n",
		 about);
}

struct async_job {
	const struct receive_as2 *rx;
	char url[1024];
	char partner[JOURNAL_ID_MAX];
	struct buf headers, body;
};

static void send_async(void *arg)
{
	struct async_job *job = arg;
	struct as2_http_request req;
	struct as2_http_response resp;
	struct edi_error e;
	enum edi_code rc;

	memset(&req, 0, sizeof(req));
	req.url = job->url;
	req.headers = buf_cstr(&job->headers);
	req.body = buf_view(&job->body);
	req.timeout_s = 60;
	for (int attempt = 0; attempt < 3; attempt++) {
		rc = as2_http_post(&req, &resp, &e);
		as2_http_response_release(&resp);
		if (rc != EDI_ETEMP)
			break;
	}
	if (rc)
		note(job->rx, "as2 %s: async mdn to '%s' not delivered: %s",
		     job->partner, job->url, e.msg);
	else
		note(job->rx, "as2 %s: async mdn delivered to '%s'",
		     job->partner, job->url);
	buf_release(&job->headers);
	buf_release(&job->body);
	free(job);
}

/*
 * Answer with the MDN stored as "headers CRLF body" in mdn: in the
 * response (sync) or POSTed after it (async).
 */
static void answer(const struct receive_as2 *rx, const struct partner *p,
		   const struct asked *a, const char *msgid, struct strview mdn,
		   struct as2_serve_response *resp)
{
	const char *our = p->as2->our_id, *their = p->as2->their_id;
	const char *split = NULL;
	struct strview head, body;

	for (size_t i = 0; i + 4 <= mdn.len; i++)
		if (!memcmp(mdn.ptr + i, "\r\n\r\n", 4)) {
			split = mdn.ptr + i;
			break;
		}
	if (!split) {
		text_reply(resp, 500, "stored mdn is damaged");
		return;
	}
	head = sv_make(mdn.ptr, (size_t)(split - mdn.ptr) + 2);
	body = sv_make(split + 4, mdn.len - (size_t)(split - mdn.ptr) - 4);
	resp->status = 200;
	if (!a->async_url[0]) {
		as2_headers(&resp->headers, our, their, msgid);
		buf_addsv(&resp->headers, head);
		buf_addsv(&resp->body, body);
		return;
	}
	{
		struct async_job *job = xcalloc(1, sizeof(*job));
		job->rx = rx;
		str_copy(job->url, sizeof(job->url), a->async_url);
		str_copy(job->partner, sizeof(job->partner), p->id);
		buf_init(&job->headers, 64u << 10);
		buf_init(&job->body, MDN_STORE_MAX);
		as2_headers(&job->headers, our, their, msgid);
		buf_addsv(&job->headers, head);
		buf_addsv(&job->body, body);
		resp->after = send_async;
		resp->after_arg = job;
		buf_adds(&resp->headers, "Content-Type: text/plain\r\n");
		buf_adds(&resp->body, "received; the mdn follows\n");
	}
}

/* Build the MDN into stored as "headers CRLF body". */
static enum edi_code make_mdn(const struct partner *p, const struct as2_keys *k,
			      const struct asked *a, const char *msgid,
			      const char *mic, const char *failure,
			      struct buf *stored, struct edi_error *err)
{
	struct as2_mdn_info m;
	struct as2_built b;
	char text[512];
	enum edi_code rc;
	bool sign = a->signed_mdn && k && k->our_cert && k->our_key;
	const EVP_MD *md = a->md ? a->md : EVP_sha256();

	snprintf(text, sizeof(text),
		 failure ? "The AS2 message %s was not accepted: %s."
			 : "The AS2 message %s was received and stored%s.",
		 msgid, failure ? failure : "");
	memset(&m, 0, sizeof(m));
	m.our_id = p ? p->as2->our_id : "edigate";
	m.original_message_id = msgid;
	m.mic = failure ? NULL : mic;
	m.failure = failure;
	m.text = text;
	rc = as2_mdn_build(&m, sign, k, md,
			   a->md ? a->md_name : as2_md_name(md, 0), &b, err);
	if (!rc) {
		buf_add(stored, b.headers.ptr, b.headers.len);
		buf_adds(stored, "\r\n");
		if (buf_add(stored, b.body.ptr, b.body.len))
			rc = edi_fail(err, EDI_ELIMIT, NULL, "mdn too large");
	}
	as2_built_release(&b);
	return rc;
}

static void record(const struct receive_as2 *rx, const struct partner *p,
		   const char *name, const char *entry_id, const char *msgid,
		   const char *mic, const char *status, const char *detail,
		   struct strview mdn)
{
	struct journal_as2 m;
	struct journal_transfer t;
	struct edi_error e;

	memset(&t, 0, sizeof(t));
	str_copy(t.direction, sizeof(t.direction), "in");
	str_copy(t.partner, sizeof(t.partner), p->id);
	str_copy(t.transport, sizeof(t.transport), "as2");
	str_copy(t.name, sizeof(t.name), name);
	str_copy(t.entry_id, sizeof(t.entry_id), entry_id);
	str_copy(t.message_id, sizeof(t.message_id), msgid);
	str_copy(t.status, sizeof(t.status), status);
	str_copy(t.detail, sizeof(t.detail), detail);
	t.at = (int64_t)rx->clock();
	if (journal_transfer_add(rx->journal, &t, &e))
		note(rx, "as2 %s: %s", p->id, e.msg);
	if (strcmp(status, "received"))
		return; /* only what was spooled is a duplicate next time */
	memset(&m, 0, sizeof(m));
	str_copy(m.direction, sizeof(m.direction), "in");
	str_copy(m.partner, sizeof(m.partner), p->id);
	str_copy(m.message_id, sizeof(m.message_id), msgid);
	str_copy(m.name, sizeof(m.name), name);
	str_copy(m.entry_id, sizeof(m.entry_id), entry_id);
	str_copy(m.mic, sizeof(m.mic), mic);
	str_copy(m.status, sizeof(m.status), status);
	m.at = t.at;
	if (journal_as2_put(rx->journal, &m, mdn, &e))
		note(rx, "as2 %s: %s", p->id, e.msg);
}

/*
 * Did the entry of an earlier try reach the spool?  In in/ or work/, in
 * the journal (a run took it), or complete in tmp/ (spool_open() will
 * move it to in/).
 */
static bool entry_landed(const struct receive_as2 *rx,
			 const struct journal_as2 *prev)
{
	static const enum spool_state states[] = {SPOOL_IN, SPOOL_WORK};
	char path[FILEIO_PATH_MAX], stored[SPOOL_NAME_MAX];
	struct journal_file f;
	struct edi_error e;
	struct stat st;

	if (!spool_id_valid(prev->entry_id))
		return false;
	for (size_t i = 0; i < 2; i++)
		if (spool_entry_path(rx->sp, states[i], prev->entry_id, path,
				     sizeof(path), &e) == EDI_OK &&
		    stat(path, &st) == 0)
			return true;
	if (journal_file_get(rx->journal, prev->entry_id, &f, &e) == EDI_OK)
		return true;
	spool_stored_name(prev->name, stored);
	if (spool_entry_path(rx->sp, SPOOL_TMP, prev->entry_id, path,
			     sizeof(path), &e) == EDI_OK &&
	    strlen(path) + 1 + strlen(stored) < sizeof(path)) {
		size_t n = strlen(path);
		path[n] = '/';
		memcpy(path + n + 1, stored, strlen(stored) + 1);
		return stat(path, &st) == 0;
	}
	return false;
}

/* The "receiving" row: Message-ID -> entry, before the entry appears. */
static enum edi_code mark_receiving(const struct receive_as2 *rx,
				    const struct partner *p, const char *name,
				    const char *entry_id, const char *msgid,
				    const char *mic, struct edi_error *err)
{
	struct journal_as2 m;

	memset(&m, 0, sizeof(m));
	str_copy(m.direction, sizeof(m.direction), "in");
	str_copy(m.partner, sizeof(m.partner), p->id);
	str_copy(m.message_id, sizeof(m.message_id), msgid);
	str_copy(m.name, sizeof(m.name), name);
	str_copy(m.entry_id, sizeof(m.entry_id), entry_id);
	str_copy(m.mic, sizeof(m.mic), mic);
	str_copy(m.status, sizeof(m.status), "receiving");
	m.at = (int64_t)rx->clock();
	return journal_as2_put(rx->journal, &m, SV_LIT(""), err);
}

static enum edi_code transport_json(const struct as2_serve_request *req,
				    const struct as2_opened *o,
				    const struct asked *a, const char *from,
				    const char *to, const char *msgid,
				    struct buf *out)
{
	struct json_out j;
	struct strview v;

	json_out_init(&j, out);
	json_obj_begin(&j);
	json_key(&j, "transport");
	json_str(&j, "as2");
	json_key(&j, "message_id");
	json_str(&j, msgid);
	json_key(&j, "as2_from");
	json_str(&j, from);
	json_key(&j, "as2_to");
	json_str(&j, to);
	if (as2_serve_header(req, "Subject", &v)) {
		json_key(&j, "subject");
		json_strv(&j, v);
	}
	if (as2_serve_header(req, "AS2-Version", &v)) {
		json_key(&j, "as2_version");
		json_strv(&j, v);
	}
	json_key(&j, "content_type");
	json_str(&j, o->content_type);
	if (o->filename[0]) {
		json_key(&j, "filename");
		json_str(&j, o->filename);
	}
	json_key(&j, "signed");
	json_bool(&j, o->is_signed);
	json_key(&j, "encrypted");
	json_bool(&j, o->is_encrypted);
	json_key(&j, "compressed");
	json_bool(&j, o->is_compressed);
	json_key(&j, "mic");
	json_str(&j, o->mic);
	json_key(&j, "mdn");
	json_str(&j, !a->mdn ? "none" : a->async_url[0] ? "async" : "sync");
	if (req->peer[0]) {
		json_key(&j, "peer");
		json_str(&j, req->peer);
	}
	json_obj_end(&j);
	return json_out_result(&j);
}

static bool is_mdn(const struct as2_serve_request *req)
{
	struct strview ct, parts[2];
	struct as2_entity part;
	char type[AS2_CT_MAX], boundary[AS2_MIME_BOUNDARY_MAX + 1];
	size_t n;

	if (!as2_serve_header(req, "Content-Type", &ct) ||
	    !as2_mime_type(ct, type, sizeof(type)))
		return false;
	if (!strcmp(type, "multipart/report"))
		return true;
	if (strcmp(type, "multipart/signed") ||
	    !as2_mime_param(ct, "boundary", boundary, sizeof(boundary)))
		return false;
	/* a signed MDN: the signed part is the report */
	if (as2_mime_parts(buf_view(&req->body), boundary, parts, 2, &n,
			   NULL) ||
	    as2_mime_parse(parts[0], &part, NULL) ||
	    !as2_mime_header(&part, "Content-Type", &ct) ||
	    !as2_mime_type(ct, type, sizeof(type)))
		return false;
	return !strcmp(type, "multipart/report");
}

static void take_mdn(const struct receive_as2 *rx, const struct partner *p,
		     const struct as2_serve_request *req,
		     struct as2_serve_response *resp)
{
	struct transfer_env env;
	struct as2_keys k;
	struct as2_mdn mdn;
	struct strview ct;
	struct edi_error e;
	struct buf raw;
	enum edi_code rc;

	if ((rc = as2_keys_load(p->as2, &k, &e))) {
		note(rx, "as2 %s: %s", p->id, e.msg);
		text_reply(resp, 500, "cannot load the partner's certificate");
		return;
	}
	as2_serve_header(req, "Content-Type", &ct);
	rc = as2_mdn_parse(ct, buf_view(&req->body), k.their_cert,
			   p->as2->signed_mdn, &mdn, &e);
	as2_keys_release(&k);
	if (rc) {
		note(rx, "as2 %s: bad mdn: %s", p->id, e.msg);
		text_reply(resp, 400, e.msg);
		return;
	}
	memset(&env, 0, sizeof(env));
	env.cfg = rx->cfg;
	env.sp = rx->sp;
	env.journal = rx->journal;
	env.clock = rx->clock;
	buf_init(&raw, MDN_STORE_MAX);
	buf_addf(&raw, "Content-Type: %.*s\r\n\r\n", (int)ct.len, ct.ptr);
	buf_add(&raw, req->body.ptr, req->body.len);
	rc = transfer_as2_mdn(&env, p, &mdn, buf_view(&raw), &e);
	buf_release(&raw);
	if (rc == EDI_ENOENT) {
		note(rx, "as2 %s: mdn for a message we did not send: %s", p->id,
		     mdn.original_message_id);
		text_reply(resp, 400, "no such message was sent");
	} else if (rc == EDI_EDATA) {
		note(rx, "as2 %s: %s", p->id, e.msg);
		text_reply(resp, 200, "mdn received");
	} else if (rc) {
		note(rx, "as2 %s: cannot record the mdn: %s", p->id, e.msg);
		text_reply(resp, 503, "cannot record the mdn now");
	} else {
		note(rx, "as2 %s: mdn for %s: %s", p->id,
		     mdn.original_message_id, mdn.disposition);
		text_reply(resp, 200, "mdn received");
	}
}

static void refuse(const struct receive_as2 *rx, const struct partner *p,
		   const struct as2_keys *k, const struct asked *a,
		   const char *msgid, const char *failure, const char *why,
		   struct as2_serve_response *resp)
{
	struct buf stored;
	struct edi_error e;
	struct asked sync = *a;

	/* a message that did not verify does not get to name a URL we
	 * POST to: the refusal goes back in the response */
	sync.async_url[0] = '\0';
	a = &sync;
	note(rx, "as2 %s: refused %s: %s (%s)", p->id, msgid, failure, why);
	record(rx, p, "", "", msgid, "", "refused", why, SV_LIT(""));
	if (!a->mdn) {
		text_reply(resp, 200, failure);
		return;
	}
	buf_init(&stored, MDN_STORE_MAX);
	if (make_mdn(p, k, a, msgid, NULL, failure, &stored, &e))
		text_reply(resp, 500, e.msg);
	else
		answer(rx, p, a, msgid, buf_view(&stored), resp);
	buf_release(&stored);
}

void receive_as2_handle(void *ctx, const struct as2_serve_request *req,
			struct as2_serve_response *resp)
{
	const struct receive_as2 *rx = ctx;
	char from[AS2_ID_MAX], to[AS2_ID_MAX], msgid[AS2_MSGID_MAX];
	char id[SPOOL_ID_MAX], source[AS2_ID_MAX + 8];
	const char *name;
	const struct partner *p;
	struct as2_open_opts oo;
	struct as2_opened o;
	struct as2_keys k;
	struct asked a;
	struct journal_as2 prev;
	struct spool_receipt r;
	struct strview ct, cte;
	struct buf stored, tjson;
	struct edi_error e;
	enum edi_code rc;

	if (!header(req, "AS2-From", from, sizeof(from)) ||
	    !header(req, "AS2-To", to, sizeof(to)) ||
	    !header(req, "Message-ID", msgid, sizeof(msgid)) ||
	    !as2_serve_header(req, "Content-Type", &ct)) {
		text_reply(resp, 400,
			   "not an as2 message: AS2-From, AS2-To, Message-ID "
			   "and Content-Type are needed");
		return;
	}
	read_asked(req, &a);
	p = find_partner(rx->reg, from, to);
	if (!p) {
		struct as2_mdn_info m;
		struct as2_built b;
		note(rx,
		     "as2: no partner profile for AS2-From '%s' AS2-To '%s'",
		     from, to);
		memset(&m, 0, sizeof(m));
		m.our_id = to;
		m.original_message_id = msgid;
		m.failure = "unknown-trading-relationship";
		m.text = "No trading relationship between these AS2 names.";
		resp->status = 200;
		if (as2_mdn_build(&m, false, NULL, NULL, NULL, &b, &e) ==
		    EDI_OK) {
			buf_add(&resp->headers, b.headers.ptr, b.headers.len);
			buf_add(&resp->body, b.body.ptr, b.body.len);
		}
		as2_built_release(&b);
		return;
	}
	if (is_mdn(req)) {
		take_mdn(rx, p, req, resp);
		return;
	}
	if (as2_keys_load(p->as2, &k, &e)) {
		note(rx, "as2 %s: %s", p->id, e.msg);
		memset(&k, 0, sizeof(k));
		refuse(rx, p, &k, &a, msgid, "unexpected-processing-error",
		       e.msg, resp);
		return;
	}
	memset(&prev, 0, sizeof(prev));
	buf_init(&stored, MDN_STORE_MAX);
	rc = journal_as2_get(rx->journal, "in", p->id, msgid, &prev, &stored,
			     &e);
	/* an earlier try that died before its entry reached in/ */
	if (rc == EDI_OK && !strcmp(prev.status, "receiving") &&
	    !entry_landed(rx, &prev))
		rc = EDI_ENOENT;
	if (rc == EDI_OK) {
		note(rx, "as2 %s: %s again: not spooled twice (entry %s)",
		     p->id, msgid, prev.entry_id);
		if (!strcmp(prev.status, "receiving")) {
			/* stored, but died before its MDN was recorded */
			buf_reset(&stored);
			if (a.mdn && make_mdn(p, &k, &a, msgid, prev.mic, NULL,
					      &stored, &e) != EDI_OK)
				buf_reset(&stored);
			record(rx, p, prev.name, prev.entry_id, msgid, prev.mic,
			       "received", "processed (again)",
			       buf_view(&stored));
		}
		if (!a.mdn || !stored.len)
			text_reply(resp, 200, "duplicate; already received");
		else
			answer(rx, p, &a, msgid, buf_view(&stored), resp);
		buf_release(&stored);
		as2_keys_release(&k);
		return;
	}
	if (rc != EDI_ENOENT) {
		note(rx, "as2 %s: %s", p->id, e.msg);
		text_reply(resp, 503, "cannot check for duplicates now");
		buf_release(&stored);
		as2_keys_release(&k);
		return;
	}
	memset(&oo, 0, sizeof(oo));
	oo.mic_md = a.md;
	oo.mic_name = a.md ? a.md_name : NULL;
	oo.require_signed = p->as2->require_signed;
	oo.require_encrypted = p->as2->require_encrypted;
	oo.max_bytes = (size_t)rx->cfg->limits.max_file_bytes;
	if (!as2_serve_header(req, "Content-Transfer-Encoding", &cte))
		cte = SV_LIT("");
	as2_serve_header(req, "Content-Disposition", &oo.disposition);
	rc = as2_msg_open(ct, cte, buf_view(&req->body), &k, &oo, &o, &e);
	if (rc) {
		refuse(rx, p, &k, &a, msgid, disposition_of(o.fail), e.msg,
		       resp);
		goto out;
	}
	name = o.filename[0] ? o.filename : "as2-message.edi";
	snprintf(source, sizeof(source), "as2:%s", p->id);
	buf_init(&tjson, 16u << 10);
	transport_json(req, &o, &a, from, to, msgid, &tjson);
	rc = spool_receive_open(&r, rx->sp, name, source, p->id, 0, rx->clock(),
				&e);
	if (!rc)
		rc = spool_receive_write(&r, o.payload.ptr, o.payload.len, &e);
	/* the Message-ID and the entry it becomes, before the entry can
	 * appear: a crash after the commit is then a duplicate next time */
	if (!rc)
		rc = mark_receiving(rx, p, name, r.meta.id, msgid, o.mic, &e);
	if (rc)
		spool_receive_abort(&r);
	else
		rc = spool_receive_commit(&r, buf_cstr(&tjson), &e);
	str_copy(id, sizeof(id), r.meta.id);
	buf_release(&tjson);
	if (rc) {
		/* not durable: no MDN; the sender tries again later */
		note(rx, "as2 %s: cannot spool %s: %s", p->id, msgid, e.msg);
		text_reply(resp, 503, "cannot store the message now");
		goto out;
	}
	note(rx, "as2 %s: received '%s' (%zu bytes) as %s, %s%s%s", p->id, name,
	     o.payload.len, id, msgid, o.is_signed ? ", signed" : "",
	     o.is_encrypted ? ", encrypted" : "");
	buf_reset(&stored);
	if (a.mdn &&
	    make_mdn(p, &k, &a, msgid, o.mic, NULL, &stored, &e) != EDI_OK) {
		note(rx, "as2 %s: cannot build the mdn: %s", p->id, e.msg);
		buf_reset(&stored);
	}
	record(rx, p, name, id, msgid, o.mic, "received",
	       a.mdn ? "processed" : "no mdn asked", buf_view(&stored));
	if (a.mdn && stored.len)
		answer(rx, p, &a, msgid, buf_view(&stored), resp);
	else
		text_reply(resp, 200, "received");
out:
	as2_opened_release(&o);
	as2_keys_release(&k);
	buf_release(&stored);
}
