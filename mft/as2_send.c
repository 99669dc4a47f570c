/*
 * as2_send - send an AS2 message over HTTP with libcurl; see as2_send.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "as2_send.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "as2_mime.h"

static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
	struct as2_http_response *resp = ctx;
	size_t len = size * n;

	if (len >= 5 && !memcmp(p, "HTTP/", 5))
		buf_reset(&resp->headers); /* a new block (after 100) */
	if (buf_add(&resp->headers, p, len))
		return 0;
	return len;
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct as2_http_response *resp = ctx;
	size_t len = size * n;

	if (buf_add(&resp->body, p, len))
		return 0;
	return len;
}

void as2_http_init(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

void as2_http_cleanup(void)
{
	curl_global_cleanup();
}

enum edi_code as2_http_post(const struct as2_http_request *r,
			    struct as2_http_response *resp,
			    struct edi_error *err)
{
	struct curl_slist *list = NULL;
	char curl_msg[CURL_ERROR_SIZE] = "";
	const char *h = r->headers ? r->headers : "";
	enum edi_code rc = EDI_OK;
	CURLcode cc;
	CURL *c;

	memset(resp, 0, sizeof(*resp));
	buf_init(&resp->headers, 64u << 10);
	buf_init(&resp->body, AS2_HTTP_MAX_RESPONSE);
	c = curl_easy_init();
	if (!c)
		return edi_fail(err, EDI_ENOMEM, NULL, "curl: out of memory");
	while (*h) {
		const char *eol = strstr(h, "\r\n");
		char line[2048];
		size_t n = eol ? (size_t)(eol - h) : strlen(h);
		if (n >= sizeof(line)) {
			rc = edi_fail(err, EDI_ELIMIT, NULL,
				      "http header line too long");
			goto out;
		}
		memcpy(line, h, n);
		line[n] = '\0';
		list = curl_slist_append(list, line);
		h += n + (eol ? 2 : 0);
	}
	list = curl_slist_append(list, "Expect:");
	list = curl_slist_append(list, "Transfer-Encoding:");
	curl_easy_setopt(c, CURLOPT_URL, r->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_POST, 1L);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body.ptr);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
			 (curl_off_t)r->body.len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, resp);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, resp);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_msg);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT,
			 (long)(r->timeout_s ? r->timeout_s : 300));
	if (r->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, r->ca_file);
	if (r->max_send_rate)
		curl_easy_setopt(c, CURLOPT_MAX_SEND_SPEED_LARGE,
				 (curl_off_t)r->max_send_rate);
	cc = curl_easy_perform(c);
	if (cc != CURLE_OK) {
		rc = edi_fail(err,
			      cc == CURLE_WRITE_ERROR ? EDI_ELIMIT : EDI_ETEMP,
			      NULL, "cannot post to '%s': %s", r->url,
			      curl_msg[0] ? curl_msg : curl_easy_strerror(cc));
		goto out;
	}
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
	if (resp->status >= 500 || resp->status == 429 || resp->status == 408)
		rc = edi_fail(err, EDI_ETEMP, NULL, "'%s' answered http %ld",
			      r->url, resp->status);
	else if (resp->status < 200 || resp->status > 299)
		rc = edi_fail(err, EDI_EDATA, NULL, "'%s' answered http %ld",
			      r->url, resp->status);
out:
	curl_slist_free_all(list);
	curl_easy_cleanup(c);
	return rc;
}

void as2_http_response_release(struct as2_http_response *resp)
{
	buf_release(&resp->headers);
	buf_release(&resp->body);
}

bool as2_http_header(const struct as2_http_response *resp, const char *name,
		     struct strview *value)
{
	const char *nl = memchr(resp->headers.ptr, '\n', resp->headers.len);
	struct as2_entity e;

	if (!nl)
		return false;
	nl++;
	if (as2_mime_parse(
		    sv_make(nl, resp->headers.len -
					(size_t)(nl - resp->headers.ptr)),
		    &e, NULL))
		return false;
	return as2_mime_header(&e, name, value);
}

void as2_new_message_id(const char *our_id, char out[AS2_MSGID_MAX])
{
	char r[33], host[64];
	size_t n = 0;

	as2_mime_random(r);
	for (const char *s = our_id; *s && n + 1 < sizeof(host); s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '.' || *s == '-')
			host[n++] = *s;
	host[n] = '\0';
	snprintf(out, AS2_MSGID_MAX, "<edigate-%s@%s>", r,
		 n ? host : "edigate");
}

bool as2_id_valid(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 128)
		return false;
	for (; *s; s++)
		if (*s < 32 || *s > 126 || *s == '"' || *s == '\\')
			return false;
	return true;
}

/* An AS2 name as a header value: quoted when it has spaces. */
static void add_name(struct buf *b, const char *header, const char *id)
{
	if (strchr(id, ' '))
		buf_addf(b, "%s: \"%s\"\r\n", header, id);
	else
		buf_addf(b, "%s: %s\r\n", header, id);
}

static enum edi_code check_mdn(const struct as2_partner *p,
			       const struct as2_keys *k,
			       const struct as2_http_response *resp,
			       struct as2_send_result *r, struct edi_error *err)
{
	struct strview ct;
	enum edi_code rc;

	if (!as2_http_header(resp, "Content-Type", &ct) || !resp->body.len)
		return edi_fail(err, EDI_EDATA, NULL,
				"'%s' answered without an mdn", p->url);
	buf_add(&r->mdn_raw, resp->headers.ptr, resp->headers.len);
	buf_add(&r->mdn_raw, resp->body.ptr, resp->body.len);
	rc = as2_mdn_parse(ct, buf_view(&resp->body), k->their_cert,
			   p->signed_mdn, &r->mdn, err);
	if (rc)
		return rc;
	r->have_mdn = true;
	if (strcmp(r->mdn.original_message_id, r->message_id))
		return edi_fail(err, EDI_EDATA, NULL,
				"mdn is for message '%s', not '%s'",
				r->mdn.original_message_id, r->message_id);
	if (!r->mdn.ok)
		return edi_fail(err, EDI_EDATA, NULL,
				"partner did not accept message '%s': %s",
				r->message_id, r->mdn.disposition);
	if (!as2_mdn_mic_matches(r->mdn.mic, r->mic))
		return edi_fail(err, EDI_EDATA, NULL,
				"mdn mic '%s' differs from ours '%s'",
				r->mdn.mic, r->mic);
	return EDI_OK;
}

enum edi_code as2_send(const struct as2_partner *p, const struct as2_keys *k,
		       struct strview payload, const char *filename,
		       const char *message_id,
		       enum edi_code (*on_built)(void *ctx, const char *mic,
						 struct edi_error *err),
		       void *ctx, struct as2_send_result *r,
		       struct edi_error *err)
{
	struct as2_built built;
	struct as2_http_request req;
	struct buf headers;
	enum edi_code rc;
	char date[64];
	time_t now = time(NULL);
	struct tm tm;

	memset(r, 0, sizeof(*r));
	buf_init(&r->mdn_raw, AS2_HTTP_MAX_RESPONSE * 2);
	if (message_id && *message_id)
		snprintf(r->message_id, sizeof(r->message_id), "%s",
			 message_id);
	else
		as2_new_message_id(p->our_id, r->message_id);
	rc = as2_msg_build(p, k, payload, filename, &built, err);
	if (rc) {
		as2_built_release(&built);
		return rc;
	}
	snprintf(r->mic, sizeof(r->mic), "%s", built.mic);
	if (on_built && (rc = on_built(ctx, r->mic, err)) != EDI_OK) {
		as2_built_release(&built);
		return rc;
	}
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	buf_init(&headers, 64u << 10);
	buf_adds(&headers, "AS2-Version: 1.2\r\n");
	add_name(&headers, "AS2-From", p->our_id);
	add_name(&headers, "AS2-To", p->their_id);
	buf_addf(&headers, "Message-ID: %s\r\n", r->message_id);
	buf_addf(&headers, "Subject: %s\r\n",
		 p->subject ? p->subject : "EDI message");
	buf_addf(&headers, "Date: %s\r\nFrom: edigate\r\n", date);
	buf_addf(&headers, "User-Agent: edigate\r\n");
	if (p->mdn != AS2_MDN_NONE)
		buf_addf(&headers, "Disposition-Notification-To: %s\r\n",
			 p->mdn == AS2_MDN_ASYNC && p->mdn_url ? p->mdn_url
							       : "edigate");
	if (p->mdn != AS2_MDN_NONE && p->signed_mdn)
		buf_addf(&headers,
			 "Disposition-Notification-Options: "
			 "signed-receipt-protocol=optional, pkcs7-signature; "
			 "signed-receipt-micalg=optional, %s\r\n",
			 p->micalg ? p->micalg : "sha-256");
	if (p->mdn == AS2_MDN_ASYNC)
		buf_addf(&headers, "Receipt-Delivery-Option: %s\r\n",
			 p->mdn_url);
	buf_add(&headers, built.headers.ptr, built.headers.len);
	memset(&req, 0, sizeof(req));
	req.url = p->url;
	req.headers = buf_cstr(&headers);
	req.body = buf_view(&built.body);
	req.timeout_s = p->timeout_s;
	req.ca_file = p->ca_file;
	req.max_send_rate = p->max_send_rate;
	for (;;) {
		struct as2_http_response resp;
		r->attempts++;
		rc = as2_http_post(&req, &resp, err);
		r->http_status = resp.status;
		if (rc == EDI_OK && p->mdn == AS2_MDN_SYNC)
			rc = check_mdn(p, k, &resp, r, err);
		as2_http_response_release(&resp);
		if (rc != EDI_ETEMP || r->attempts > p->retries)
			break;
		sleep(p->retry_wait_s ? p->retry_wait_s : 1);
	}
	buf_release(&headers);
	as2_built_release(&built);
	return rc;
}

void as2_send_result_release(struct as2_send_result *r)
{
	buf_release(&r->mdn_raw);
}
