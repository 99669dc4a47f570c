/*
 * rest_push - one HTTP request that hands records to an ERP (libcurl).
 *
 * rest_push knows nothing of the spool: the caller gives a URL, a method,
 * a body and the headers, and gets back what happened as a struct
 * rest_result: delivered (2xx), transient (connection failure, timeout,
 * 408, 425, 429, 5xx; with the Retry-After the server sent) or permanent
 * (every other answer), the HTTP status and an excerpt of the response
 * body.  Those outcomes are results, not errors: rest_client_send()
 * fails only when the request cannot even be set up (EDI_EINTERNAL).
 *
 * TLS peer and host verification are always on (libcurl's defaults are
 * never loosened); ca_file replaces the system CA bundle; client_cert and
 * client_key give mutual TLS.  Only http and https are allowed, and
 * redirects are not followed.  A bearer token or password given in
 * struct rest_auth is handed to libcurl and nowhere else: it never
 * appears in the result, and any copy of it in the server's answer is
 * replaced by "[redacted]" in the excerpt.
 *
 * struct rest_client owns one libcurl handle (connections are reused
 * between requests to the same host); rest_client_init/release.  Nothing
 * here prints; curl_global_init() is called once by rest_client_init().
 */
#ifndef EDI_REST_PUSH_H
#define EDI_REST_PUSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "edi_error.h"
#include "retry.h"
#include "strview.h"

#define REST_EXCERPT_MAX     512	 /* bytes of the body kept, with NUL */
#define REST_RESPONSE_MAX    (64u << 10) /* bytes of a response read */
#define REST_HEADER_MAX	     8192	 /* bytes of one header line */
#define REST_DEFAULT_CONNECT 10		 /* seconds */
#define REST_DEFAULT_TIMEOUT 30		 /* seconds, whole request */

struct rest_auth {
	const char *bearer_token;   /* NULL: none */
	const char *basic_user;	    /* NULL: no basic auth */
	const char *basic_password; /* with basic_user */
	const char *client_cert;    /* PEM file, mutual TLS; NULL: none */
	const char *client_key;	    /* PEM file for client_cert */
};

struct rest_header {
	const char *name, *value;
};

struct rest_request {
	const char *url;
	const char *method;		   /* "POST", "PUT" */
	const char *content_type;	   /* NULL: application/json */
	const struct rest_header *headers; /* extra headers, in order */
	size_t nheaders;
	struct strview body;
	const struct rest_auth *auth; /* NULL: none */
	const char *ca_file;	      /* NULL: the system's CA bundle */
	unsigned connect_timeout_s;   /* 0: REST_DEFAULT_CONNECT */
	unsigned timeout_s;	      /* 0: REST_DEFAULT_TIMEOUT */
};

struct rest_result {
	enum retry_class outcome;
	long http_status; /* 0: no HTTP answer */
	bool has_retry_after;
	uint64_t retry_after_s;
	char excerpt[REST_EXCERPT_MAX]; /* of the response body, printable */
	char detail[EDI_MSG_MAX];	/* one line: what happened */
};

struct rest_client {
	void *curl; /* CURL * */
};

enum edi_code rest_client_init(struct rest_client *c, struct edi_error *err);
void rest_client_release(struct rest_client *c);

/* Send req at now (for a Retry-After date) and say what came of it. */
enum edi_code rest_client_send(struct rest_client *c,
			       const struct rest_request *req, time_t now,
			       struct rest_result *res, struct edi_error *err);

#endif
