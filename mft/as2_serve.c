/*
 * as2_serve - the HTTP(S) listener (libmicrohttpd); see as2_serve.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "as2_serve.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <pthread.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "fileio.h"
#include "xalloc.h"

struct as2_server {
	struct MHD_Daemon *d;
	struct as2_serve_opts o;
	struct buf cert, key;
	unsigned port;
	/* after jobs running in threads of their own */
	pthread_mutex_t mu;
	pthread_cond_t idle;
	unsigned njobs;
};

struct job {
	struct as2_server *s;
	void (*fn)(void *arg);
	void *arg;
};

static void *run_job(void *p)
{
	struct job *j = p;
	struct as2_server *s = j->s;

	j->fn(j->arg);
	free(j);
	pthread_mutex_lock(&s->mu);
	if (--s->njobs == 0)
		pthread_cond_broadcast(&s->idle);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Run fn(arg) in a detached thread (inline when none can be had). */
static void start_job(struct as2_server *s, void (*fn)(void *), void *arg)
{
	struct job *j = xmalloc(sizeof(*j));
	pthread_attr_t attr;
	pthread_t t;
	bool started;

	j->s = s;
	j->fn = fn;
	j->arg = arg;
	pthread_mutex_lock(&s->mu);
	s->njobs++;
	pthread_mutex_unlock(&s->mu);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	started = pthread_create(&t, &attr, run_job, j) == 0;
	pthread_attr_destroy(&attr);
	if (!started)
		run_job(j);
}

struct conn {
	struct buf body;
	bool too_big;
	void (*after)(void *arg);
	void *after_arg;
};

bool as2_serve_header(const struct as2_serve_request *req, const char *name,
		      struct strview *value)
{
	return as2_mime_header(&req->head, name, value);
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind,
				  const char *key, const char *value)
{
	struct buf *b = cls;

	(void)kind;
	buf_addf(b, "%s: %s\r\n", key, value ? value : "");
	return MHD_YES;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
			     const struct buf *headers, const char *body,
			     size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ok;
	const char *h = headers ? headers->ptr : NULL;
	size_t left = headers ? headers->len : 0;

	if (!r)
		return MHD_NO;
	while (left) {
		const char *eol = memchr(h, '\n', left);
		const char *colon =
			memchr(h, ':', eol ? (size_t)(eol - h) : left);
		size_t n = eol ? (size_t)(eol - h) + 1 : left;
		if (colon) {
			char name[128], value[2048];
			const char *v = colon + 1;
			size_t vlen;
			while (v < h + n && *v == ' ')
				v++;
			vlen = (size_t)(h + n - v);
			while (vlen &&
			       (v[vlen - 1] == '\n' || v[vlen - 1] == '\r'))
				vlen--;
			if ((size_t)(colon - h) < sizeof(name) &&
			    vlen < sizeof(value)) {
				memcpy(name, h, (size_t)(colon - h));
				name[colon - h] = '\0';
				memcpy(value, v, vlen);
				value[vlen] = '\0';
				MHD_add_response_header(r, name, value);
			}
		}
		h += n;
		left -= n;
	}
	ok = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct as2_server *s = cls;
	struct conn *cn = *con_cls;
	struct as2_serve_request req;
	struct as2_serve_response resp;
	const union MHD_ConnectionInfo *ci;
	enum MHD_Result ok;
	static const char hello[] = "edigate as2 receiver\n";

	(void)version;
	if (!cn) {
		cn = xcalloc(1, sizeof(*cn));
		buf_init(&cn->body, s->o.max_body);
		*con_cls = cn;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!cn->too_big && buf_add(&cn->body, upload, *upload_size))
			cn->too_big = true;
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, "POST"))
		return reply(c, strcmp(method, "GET") ? 405 : 200, NULL, hello,
			     sizeof(hello) - 1);
	if (cn->too_big) {
		static const char msg[] = "message too large\n";
		return reply(c, 413, NULL, msg, sizeof(msg) - 1);
	}
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.url = url;
	req.body = cn->body;
	buf_init(&req.raw_headers, 256u << 10);
	MHD_get_connection_values(c, MHD_HEADER_KIND, add_header,
				  &req.raw_headers);
	buf_adds(&req.raw_headers, "\r\n");
	if (as2_mime_parse(buf_view(&req.raw_headers), &req.head, NULL)) {
		static const char msg[] = "bad request headers\n";
		buf_release(&req.raw_headers);
		return reply(c, 400, NULL, msg, sizeof(msg) - 1);
	}
	ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(
				AF_INET,
				&((const struct sockaddr_in *)(const void *)sa)
					 ->sin_addr,
				req.peer, sizeof(req.peer));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(
				AF_INET6,
				&((const struct sockaddr_in6 *)(const void *)sa)
					 ->sin6_addr,
				req.peer, sizeof(req.peer));
	}
	memset(&resp, 0, sizeof(resp));
	resp.status = 500;
	buf_init(&resp.headers, 64u << 10);
	buf_init(&resp.body, 8u << 20);
	s->o.handle(s->o.ctx, &req, &resp);
	cn->after = resp.after;
	cn->after_arg = resp.after_arg;
	ok = reply(c, resp.status, &resp.headers, resp.body.ptr, resp.body.len);
	buf_release(&resp.headers);
	buf_release(&resp.body);
	buf_release(&req.raw_headers);
	return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn *cn = *con_cls;

	(void)c;
	(void)toe;
	if (!cn)
		return;
	if (cn->after)
		start_job(cls, cn->after, cn->after_arg);
	buf_release(&cn->body);
	free(cn);
	*con_cls = NULL;
}

enum edi_code as2_serve_start(struct as2_server **out,
			      const struct as2_serve_opts *o,
			      struct edi_error *err)
{
	struct as2_server *s = xcalloc(1, sizeof(*s));
	struct sockaddr_storage ss;
	const char *addr = o->address ? o->address : "127.0.0.1";
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *di;
	enum edi_code rc;

	*out = NULL;
	s->o = *o;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->idle, NULL);
	buf_init(&s->cert, 1);
	buf_init(&s->key, 1);
	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &((struct sockaddr_in *)&ss)->sin_addr) ==
	    1) {
		((struct sockaddr_in *)&ss)->sin_family = AF_INET;
		((struct sockaddr_in *)&ss)->sin_port =
			htons((uint16_t)o->port);
	} else if (inet_pton(AF_INET6, addr,
			     &((struct sockaddr_in6 *)&ss)->sin6_addr) == 1) {
		((struct sockaddr_in6 *)&ss)->sin6_family = AF_INET6;
		((struct sockaddr_in6 *)&ss)->sin6_port =
			htons((uint16_t)o->port);
		flags |= MHD_USE_IPv6;
	} else {
		rc = edi_fail(err, EDI_ECONFIG, NULL,
			      "'%s' is not an IP address to listen on", addr);
		goto fail;
	}
	if (o->tls_cert || o->tls_key) {
		buf_release(&s->cert);
		buf_release(&s->key);
		if (!o->tls_cert || !o->tls_key) {
			rc = edi_fail(err, EDI_ECONFIG, NULL,
				      "tls needs both a certificate and a key");
			goto fail;
		}
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			rc = edi_fail(err, EDI_ECONFIG, NULL,
				      "this libmicrohttpd has no tls");
			goto fail;
		}
		if ((rc = fileio_read_all(o->tls_cert, 1u << 20, &s->cert,
					  err)) ||
		    (rc = fileio_read_all(o->tls_key, 1u << 20, &s->key, err)))
			goto fail;
		flags |= MHD_USE_TLS;
	}
	if (flags & MHD_USE_TLS)
		s->d = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, s,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
			MHD_OPTION_CONNECTION_TIMEOUT,
			(unsigned)(o->timeout_s ? o->timeout_s : 120),
			MHD_OPTION_HTTPS_MEM_CERT, buf_cstr(&s->cert),
			MHD_OPTION_HTTPS_MEM_KEY, buf_cstr(&s->key),
			MHD_OPTION_END);
	else
		s->d = MHD_start_daemon(
			flags, 0, NULL, NULL, on_request, s,
			MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
			MHD_OPTION_CONNECTION_TIMEOUT,
			(unsigned)(o->timeout_s ? o->timeout_s : 120),
			MHD_OPTION_END);
	if (!s->d) {
		rc = edi_fail(err, EDI_ETEMP, NULL,
			      "cannot listen on %s port %u (in use, or a bad "
			      "tls certificate or key)",
			      addr, o->port);
		goto fail;
	}
	di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : o->port;
	*out = s;
	return EDI_OK;
fail:
	buf_release(&s->cert);
	buf_release(&s->key);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->idle);
	free(s);
	return rc;
}

unsigned as2_serve_port(const struct as2_server *s)
{
	return s->port;
}

void as2_serve_stop(struct as2_server *s)
{
	if (!s)
		return;
	if (s->d)
		MHD_stop_daemon(s->d);
	pthread_mutex_lock(&s->mu);
	while (s->njobs)
		pthread_cond_wait(&s->idle, &s->mu);
	pthread_mutex_unlock(&s->mu);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->idle);
	buf_release(&s->cert);
	buf_release(&s->key);
	free(s);
}
