/*
 * cmd_serve - `edigate serve`: the AS2 receiver (and the place async MDNs
 * for what we sent come back to).
 *
 * Listens where edigate.yaml's serve: section says (or --address/--port),
 * with TLS when serve.tls_certificate and serve.tls_key are set, until
 * SIGTERM or SIGINT.  Every request is handled by receive_as2 (see
 * receive_as2.h): the payload reaches in/ durably before any MDN goes
 * out.  Every message is an event of the log (stderr, at least level
 * info); `edigate run` processes what arrived.  Exit 0 after a signal, 75 when the port cannot be had, 78
 * for a configuration mistake.
 */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "as2_send.h"
#include "as2_serve.h"
#include "cli.h"
#include "log.h"
#include "receive_as2.h"

static const char serve_usage[] =
	"usage: edigate [-c FILE] [--spool DIR] serve [--address IP] "
	"[--port N]\n"
	"                                            [--port-file FILE]\n"
	"\n"
	"Receive AS2 messages over HTTP(S) from the partners whose profiles\n"
	"have an as2: section (AS2-From = as2.their_id, AS2-To =\n"
	"as2.our_id): decrypt, decompress, verify the signature, store the\n"
	"payload durably in <spool>/in/ (then 'edigate run' processes it),\n"
	"and only then answer with the MDN (signed when asked; in the\n"
	"response, or POSTed to the Receipt-Delivery-Option URL).  A repeated\n"
	"Message-ID gets the first MDN again and is not stored twice.  Async\n"
	"MDNs for messages 'edigate push' sent are matched and recorded.\n"
	"Runs until SIGTERM or SIGINT; a log line per message on stderr\n"
	"(JSON objects with 'edigate --log-json serve').\n"
	"\n"
	"  --address IP      listen here (default serve.address, 127.0.0.1)\n"
	"  --port N          and here (default serve.port, 4080; 0: any free)\n"
	"  --port-file FILE  write the port listened on to FILE\n"
	"\n"
	"TLS: serve.tls_certificate and serve.tls_key in edigate.yaml.\n"
	"docs/as2.md has the set-up of a partner.\n"
	"\n"
	"Exit: 0 stopped by a signal, 75 cannot listen (port in use), 78\n"
	"configuration.\n";

static time_t wall_clock(void)
{
	return time(NULL);
}

/* An event of receive_as2 as an event of the log (stderr). */
static void log_note(void *ctx, const char *line)
{
	char msg[EDI_MSG_MAX + 512];
	size_t n = 0;

	(void)ctx;
	for (; *line && n + 1 < sizeof(msg); line++)
		msg[n++] = *line == '"' ? '\'' : *line; /* quoted below */
	msg[n] = '\0';
	log_event(LOG_INFO, "as2", NULL, "msg=\"%s\"", msg);
}

int cmd_serve(int argc, char **argv, const struct cli_global *g)
{
	const char *address = NULL, *port_file = NULL;
	long port = -1;
	struct cli_env env;
	struct receive_as2 rx;
	struct as2_serve_opts o;
	struct as2_server *srv;
	struct edi_error err;
	sigset_t set;
	int sig, rc;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(serve_usage, stdout);
			return EXIT_OK_;
		} else if (!strcmp(argv[i], "--address") && i + 1 < argc) {
			address = argv[++i];
		} else if (!strcmp(argv[i], "--port") && i + 1 < argc) {
			char *end;
			port = strtol(argv[++i], &end, 10);
			if (*end || port < 0 || port > 65535) {
				cli_error("--port needs a number from 0 to "
					  "65535, not '%s'",
					  argv[i]);
				return EXIT_USAGE;
			}
		} else if (!strcmp(argv[i], "--port-file") && i + 1 < argc) {
			port_file = argv[++i];
		} else {
			cli_error("serve: unknown argument '%s'", argv[i]);
			fputs(serve_usage, stderr);
			return EXIT_USAGE;
		}
	}
	rc = cli_env_open(&env, g, true);
	if (rc != EXIT_OK_)
		return rc;
	memset(&rx, 0, sizeof(rx));
	rx.cfg = &env.cfg;
	rx.reg = &env.reg;
	rx.sp = &env.spool;
	rx.journal = env.journal;
	rx.clock = wall_clock;
	rx.note = log_note;
	/* a listener logs every message (text, or JSON with --log-json) */
	if (!log_enabled(LOG_INFO))
		log_setup(stderr, log_format_used(), LOG_INFO);
	memset(&o, 0, sizeof(o));
	o.address = address ? address : env.cfg.serve.address;
	o.port = port >= 0 ? (unsigned)port : env.cfg.serve.port;
	o.tls_cert = env.cfg.serve.tls_certificate;
	o.tls_key = env.cfg.serve.tls_key;
	o.timeout_s = env.cfg.serve.timeout_s;
	/* room for the MIME and base64 around the largest file */
	o.max_body = (size_t)env.cfg.limits.max_file_bytes / 3 * 4 + (1u << 20);
	o.handle = receive_as2_handle;
	o.ctx = &rx;
	/* signals are taken by sigwait below, not by the listener thread */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	as2_http_init();
	if (as2_serve_start(&srv, &o, &err) != EDI_OK) {
		cli_error("serve: %s", err.msg);
		as2_http_cleanup();
		cli_env_close(&env);
		return err.code == EDI_ECONFIG ? EXIT_CONFIG : EXIT_TEMPFAIL;
	}
	printf("edigate serve: listening on %s port %u (%s)\n", o.address,
	       as2_serve_port(srv), o.tls_cert ? "https" : "http");
	fflush(stdout);
	if (port_file) {
		FILE *f = fopen(port_file, "w");
		if (!f || fprintf(f, "%u\n", as2_serve_port(srv)) < 0 ||
		    fclose(f)) {
			cli_error("serve: cannot write '%s'", port_file);
			as2_serve_stop(srv);
			as2_http_cleanup();
			cli_env_close(&env);
			return EXIT_SOFTWARE;
		}
	}
	for (;;) {
		if (sigwait(&set, &sig) == 0 && sig != SIGHUP)
			break;
	}
	as2_serve_stop(srv);
	as2_http_cleanup();
	printf("edigate serve: stopped\n");
	cli_env_close(&env);
	return EXIT_OK_;
}
