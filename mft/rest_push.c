/*
 * rest_push - the libcurl side of a REST push; see rest_push.h.
 *
 * libcurl reports the answer's headers through curl_easy_header(); only
 * Retry-After is read.  The response body is kept up to
 * REST_RESPONSE_MAX bytes (the rest is read and dropped so that the
 * connection stays usable) because only an excerpt is ever shown.
 */
#include "rest_push.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "buf.h"

enum edi_code rest_client_init(struct rest_client *c, struct edi_error *err)
{
	c->curl = NULL;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"cannot initialize libcurl");
	c->curl = curl_easy_init();
	if (!c->curl) {
		curl_global_cleanup();
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"cannot create a libcurl handle");
	}
	return EDI_OK;
}

void rest_client_release(struct rest_client *c)
{
	if (c->curl) {
		curl_easy_cleanup(c->curl);
		curl_global_cleanup();
	}
	c->curl = NULL;
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct buf *b = ctx;
	size_t len = size * n;
	size_t room = b->max > b->len ? b->max - b->len : 0;

	buf_add(b, p, len < room ? len : room);
	return len;
}

/* Replace every copy of secret in s (NUL-terminated, in size) in place. */
static void redact(char *s, size_t size, const char *secret)
{
	static const char mark[] = "[redacted]";
	size_t slen = secret ? strlen(secret) : 0;
	char *hit;

	if (slen < 4)
		return; /* too short to redact without mangling the text */
	while ((hit = strstr(s, secret)) != NULL) {
		size_t tail = strlen(hit + slen);
		size_t mlen = sizeof(mark) - 1;
		if ((size_t)(hit - s) + mlen + tail + 1 > size)
			tail = size - (size_t)(hit - s) - mlen - 1;
		memmove(hit + mlen, hit + slen, tail);
		hit[mlen + tail] = '\0';
		memcpy(hit, mark, mlen);
	}
}

/* The start of the body as one printable line. */
static void make_excerpt(const struct buf *body, char *out, size_t size,
			 const struct rest_auth *auth)
{
	size_t n = 0;

	for (size_t i = 0; i < body->len && n + 1 < size; i++) {
		unsigned char ch = (unsigned char)body->ptr[i];
		out[n++] = ch >= 0x20 && ch < 0x7f ? (char)ch : ' ';
	}
	out[n] = '\0';
	if (auth) {
		/* a server echoing the credentials must not leak them */
		redact(out, size, auth->bearer_token);
		redact(out, size, auth->basic_password);
	}
}

static bool add_header(struct curl_slist **list, const char *name,
		       const char *value)
{
	char line[REST_HEADER_MAX];
	struct curl_slist *l;
	/* "Name:" with nothing after it removes a header libcurl would add */
	int n = *value ? snprintf(line, sizeof(line), "%s: %s", name, value)
		       : snprintf(line, sizeof(line), "%s:", name);

	if (n < 0 || (size_t)n >= sizeof(line))
		return false;
	l = curl_slist_append(*list, line);
	if (!l)
		return false;
	*list = l;
	return true;
}

static void retry_after(CURL *curl, time_t now, struct rest_result *res)
{
	struct curl_header *h = NULL;
	char v[128];
	size_t n;

	if (curl_easy_header(curl, "Retry-After", 0, CURLH_HEADER, -1, &h) !=
		    CURLHE_OK ||
	    !h || !h->value)
		return;
	n = strlen(h->value);
	while (n && (h->value[n - 1] == ' ' || h->value[n - 1] == '\t' ||
		     h->value[n - 1] == '\r' || h->value[n - 1] == '\n'))
		n--;
	if (n >= sizeof(v))
		return;
	memcpy(v, h->value, n);
	v[n] = '\0';
	res->has_retry_after = retry_after_parse(v, now, &res->retry_after_s);
}

static enum edi_code setup(CURL *curl, const struct rest_request *req,
			   struct curl_slist **headers, struct buf *body,
			   char *errbuf, struct edi_error *err)
{
	const struct rest_auth *a = req->auth;
	unsigned connect = req->connect_timeout_s ? req->connect_timeout_s
						  : REST_DEFAULT_CONNECT;
	unsigned total = req->timeout_s ? req->timeout_s : REST_DEFAULT_TIMEOUT;
	CURLcode cc = CURLE_OK;

	if (!add_header(headers, "Content-Type",
			req->content_type ? req->content_type
					  : "application/json") ||
	    !add_header(headers, "Expect", ""))
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"cannot build the request headers");
	for (size_t i = 0; i < req->nheaders; i++)
		if (!add_header(headers, req->headers[i].name,
				req->headers[i].value))
			return edi_fail(err, EDI_ELIMIT, NULL,
					"header '%s' is too long",
					req->headers[i].name);
	curl_easy_reset(curl);
	cc |= curl_easy_setopt(curl, CURLOPT_URL, req->url);
	cc |= curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	cc |= curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	cc |= curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	cc |= curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method);
	cc |= curl_easy_setopt(curl, CURLOPT_POST, 1L);
	cc |= curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body.ptr);
	cc |= curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
			       (curl_off_t)req->body.len);
	cc |= curl_easy_setopt(curl, CURLOPT_HTTPHEADER, *headers);
	cc |= curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	cc |= curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
	cc |= curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
	cc |= curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
			       (long)connect * 1000L);
	cc |= curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, (long)total * 1000L);
	cc |= curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
	cc |= curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
	cc |= curl_easy_setopt(curl, CURLOPT_USERAGENT, "edigate");
	if (req->ca_file)
		cc |= curl_easy_setopt(curl, CURLOPT_CAINFO, req->ca_file);
	if (a && a->bearer_token) {
		cc |= curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
		cc |= curl_easy_setopt(curl, CURLOPT_XOAUTH2_BEARER,
				       a->bearer_token);
	} else if (a && a->basic_user) {
		cc |= curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
		cc |= curl_easy_setopt(curl, CURLOPT_USERNAME, a->basic_user);
		cc |= curl_easy_setopt(curl, CURLOPT_PASSWORD,
				       a->basic_password ? a->basic_password
							 : "");
	}
	if (a && a->client_cert) {
		cc |= curl_easy_setopt(curl, CURLOPT_SSLCERT, a->client_cert);
		cc |= curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
	}
	if (a && a->client_key) {
		cc |= curl_easy_setopt(curl, CURLOPT_SSLKEY, a->client_key);
		cc |= curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
	}
	if (cc != CURLE_OK)
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"libcurl refused an option for '%s'", req->url);
	return EDI_OK;
}

enum edi_code rest_client_send(struct rest_client *c,
			       const struct rest_request *req, time_t now,
			       struct rest_result *res, struct edi_error *err)
{
	CURL *curl = c->curl;
	struct curl_slist *headers = NULL;
	char errbuf[CURL_ERROR_SIZE];
	struct buf body;
	enum edi_code rc;
	CURLcode cc;

	memset(res, 0, sizeof(*res));
	errbuf[0] = '\0';
	buf_init(&body, REST_RESPONSE_MAX);
	rc = setup(curl, req, &headers, &body, errbuf, err);
	if (rc) {
		curl_slist_free_all(headers);
		buf_release(&body);
		return rc;
	}
	cc = curl_easy_perform(curl);
	if (cc != CURLE_OK) {
		/* no usable answer: worth another try later (a TLS or
		 * certificate problem too: the operator fixes it, the
		 * record waits) */
		res->outcome = RETRY_TRANSIENT;
		snprintf(res->detail, sizeof(res->detail), "%s: %.200s",
			 cc == CURLE_OPERATION_TIMEDOUT ? "timed out"
							: "no answer",
			 errbuf[0] ? errbuf : curl_easy_strerror(cc));
	} else {
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE,
				  &res->http_status);
		res->outcome = retry_classify_http(res->http_status);
		retry_after(curl, now, res);
		make_excerpt(&body, res->excerpt, sizeof(res->excerpt),
			     req->auth);
		snprintf(res->detail, sizeof(res->detail), "HTTP %ld%s%.120s",
			 res->http_status, res->excerpt[0] ? ": " : "",
			 res->excerpt);
	}
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, NULL);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	buf_release(&body);
	return EDI_OK;
}
