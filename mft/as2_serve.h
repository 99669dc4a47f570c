/*
 * as2_serve - the HTTP(S) listener for inbound AS2 messages and async MDNs
 * (libmicrohttpd).
 *
 * as2_serve_start() listens on address:port (TLS when a certificate and
 * key are given) in one internal thread of libmicrohttpd.  A POST is read
 * whole into memory (at most max_body bytes, else 413 without calling
 * anything), then the handler gets the method, the headers and the body
 * and fills the response; only then is anything sent back, so a handler
 * that makes the payload durable before returning never answers early.
 * A response may carry an `after` job (the async MDN) that runs once the
 * exchange is over, whether the client stayed or not, in a thread of its
 * own (so a slow partner URL holds up nobody); as2_serve_stop() waits
 * for the jobs still running.  A request cut short (the peer gone, the
 * server stopped) never reaches the handler.  Handlers run one at a
 * time, in the listener's thread.  Call as2_http_init() (as2_send.h)
 * before starting, since jobs may use libcurl from several threads.
 */
#ifndef EDI_AS2_SERVE_H
#define EDI_AS2_SERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "as2_mime.h"
#include "buf.h"
#include "edi_error.h"

struct as2_serve_request {
	const char *method;
	const char *url;
	struct as2_entity head; /* the headers (views into raw_headers) */
	struct buf raw_headers;
	struct buf body;
	char peer[64]; /* the client's address */
};

/* A request header (case-insensitive name); false when none. */
bool as2_serve_header(const struct as2_serve_request *req, const char *name,
		      struct strview *value);

struct as2_serve_response {
	unsigned status;
	struct buf headers; /* "Name: value\r\n" lines */
	struct buf body;
	void (*after)(void *arg); /* run after the exchange; owns arg */
	void *after_arg;
};

typedef void (*as2_serve_handler)(void *ctx,
				  const struct as2_serve_request *req,
				  struct as2_serve_response *resp);

struct as2_serve_opts {
	const char *address; /* IPv4 or IPv6 literal; NULL: 127.0.0.1 */
	unsigned port;	     /* 0: any free port (as2_serve_port()) */
	const char *tls_cert, *tls_key; /* PEM files; NULL: plain HTTP */
	size_t max_body;
	unsigned timeout_s; /* idle connection time-out */
	as2_serve_handler handle;
	void *ctx;
};

struct as2_server;

enum edi_code as2_serve_start(struct as2_server **out,
			      const struct as2_serve_opts *o,
			      struct edi_error *err);
unsigned as2_serve_port(const struct as2_server *s);
/* Stop listening, finish the thread, free s (NULL is fine). */
void as2_serve_stop(struct as2_server *s);

#endif
