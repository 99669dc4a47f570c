/*
 * cmd_transfer - `edigate pull`, `edigate push` and `edigate partners
 * keyscan`: moving partners' files over their transports.
 *
 * pull fetches every enabled partner's waiting files (SFTP) into in/;
 * push sends what waits in outbound/<partner>/.  Partners are done one
 * after the other; one whose server is down is reported and the others
 * go on (the next run tries it again).  Each file is an event of the
 * log (stderr: on a terminal, with -v or --verbose, JSON with
 * --log-json); under cron only failures (stderr) and one summary line
 * (stdout).
 * Exit 0 when every partner went through, 75 when only temporary failures
 * stopped some (server down, a pull already running), 78 when a partner
 * needs a person (host key, login, key), 70 for other failures.
 * `run` calls cli_transfer() for its pull and push.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "journal_transfer.h"
#include "log.h"
#include "profile_sftp.h"
#include "sftp_conn.h"
#include "transfer_as2.h"
#include "transfer_sftp.h"

static const char pull_usage[] =
	"usage: edigate [-c FILE] [--spool DIR] pull [--partner ID] "
	"[--verbose]\n"
	"\n"
	"Fetch the files waiting on partners' SFTP servers (the sftp: section\n"
	"of their profiles) into <spool>/in/, for the next 'edigate run'.\n"
	"A file is taken once it is stable (size and mtime unchanged for\n"
	"sftp.stable_seconds, across runs) or its done marker is there, and\n"
	"is removed from the server (or moved to sftp.after_pull's folder)\n"
	"only after it is safely in the spool.  A partner whose server is\n"
	"down is retried by the next pull; the others are not held up.\n"
	"\n"
	"  --partner ID   only this partner\n"
	"  --verbose      a line per file on stderr also when not on a\n"
	"                 terminal (as the global -v; --log-json: JSON)\n"
	"\n"
	"Exit: 0 ok, 75 only temporary failures (server down: try later),\n"
	"78 a partner needs attention (host key, login, key), 70 other.\n";

static const char push_usage[] =
	"usage: edigate [-c FILE] [--spool DIR] push [--partner ID] "
	"[--verbose]\n"
	"\n"
	"Send the files waiting in <spool>/outbound/<partner>/ to the\n"
	"partners (SFTP: uploaded under a temporary name, fsync'd, renamed\n"
	"into sftp.outbound), then move each to <spool>/sent/YYYY-MM-DD/\n"
	"<partner>/ next to its receipt (.receipt.json).  A partner whose\n"
	"server is down keeps its files for the next push.\n"
	"AS2 (as2.url): signed, encrypted, compressed as the profile says,\n"
	"POSTed, and the MDN checked (signature, Message-ID, MIC,\n"
	"disposition); it is kept as <name>.mdn.  A refused message stays\n"
	"in outbound/ (docs/as2.md).\n"
	"\n"
	"  --partner ID   only this partner\n"
	"  --verbose      a line per file on stderr also when not on a\n"
	"                 terminal (as the global -v; --log-json: JSON)\n"
	"\n"
	"Exit: 0 ok, 75 only temporary failures (server down: try later),\n"
	"78 a partner needs attention (host key, login, key), 70 other.\n";

static const char keyscan_usage[] =
	"usage: edigate partners keyscan HOST[:PORT] [--timeout SECONDS]\n"
	"\n"
	"Connect to an SSH server and print its host keys as known_hosts\n"
	"lines, each followed by a comment with its SHA256 fingerprint.\n"
	"Compare the fingerprint with the one the partner gives you (by\n"
	"phone or a signed mail) before adding the line to the file the\n"
	"profile's sftp.known_hosts names:\n"
	"\n"
	"  edigate partners keyscan sftp.acme.example:2222 >> "
	"partners/keys/known_hosts\n"
	"\n"
	"IPv6 addresses go in brackets: [2001:db8::1]:22.  Exit 0, 75 when\n"
	"the server cannot be reached.\n";

static time_t wall_clock(void)
{
	return time(NULL);
}

/* A transport's note as an event of the log (text or JSON, stderr). */
static void log_note(void *ctx, const char *partner, const char *line)
{
	const char *what = ctx;
	char msg[EDI_MSG_MAX + 128];
	size_t n = 0;

	for (; *line && n + 1 < sizeof(msg); line++)
		msg[n++] = *line == '"' ? '\'' : *line; /* quoted below */
	msg[n] = '\0';
	log_event(LOG_INFO, what, NULL, "partner=%s msg=\"%s\"", partner, msg);
}

static int exit_for(enum edi_code worst)
{
	if (worst == EDI_OK)
		return EXIT_OK_;
	if (worst == EDI_ETEMP)
		return EXIT_TEMPFAIL;
	if (worst == EDI_ECONFIG)
		return EXIT_CONFIG;
	return EXIT_SOFTWARE;
}

/* ECONFIG over others over ETEMP over OK: what the exit says. */
static enum edi_code worse(enum edi_code a, enum edi_code b)
{
	if (a == EDI_ECONFIG || b == EDI_ECONFIG)
		return EDI_ECONFIG;
	if (a != EDI_OK && a != EDI_ETEMP)
		return a;
	if (b != EDI_OK && b != EDI_ETEMP)
		return b;
	return a == EDI_ETEMP || b == EDI_ETEMP ? EDI_ETEMP : EDI_OK;
}

int cli_transfer(struct cli_env *env, enum cli_transfer_dir dir,
		 const char *only, bool verbose)
{
	const char *what = dir == CLI_PULL ? "pull" : "push";
	struct transfer_env tenv;
	struct transfer_counts total = {0, 0, 0};
	enum edi_code worst = EDI_OK;
	size_t npartners = 0, nfailed = 0;

	memset(&tenv, 0, sizeof(tenv));
	tenv.cfg = &env->cfg;
	tenv.sp = &env->spool;
	tenv.journal = env->journal;
	tenv.clock = wall_clock;
	tenv.note = log_note;
	tenv.note_ctx = (void *)what;
	if (verbose && !log_enabled(LOG_INFO))
		log_setup(stderr, log_format_used(), LOG_INFO);
	for (size_t i = 0; i < env->reg.npartners; i++) {
		const struct partner *p = &env->reg.partners[i];
		struct transfer_counts counts = {0, 0, 0};
		struct edi_error err;
		enum edi_code rc = EDI_OK;

		if (only && strcmp(p->id, only))
			continue;
		if (!p->enabled)
			continue;
		memset(&err, 0, sizeof(err));
		if (dir == CLI_PULL) {
			if (!p->sftp || !p->sftp->inbound)
				continue;
			rc = transfer_sftp_pull(&tenv, p, &counts, &err);
		} else if (p->sftp && p->sftp->outbound) {
			rc = transfer_sftp_push(&tenv, p, &counts, &err);
		} else if (p->as2 && p->as2->url) {
			rc = transfer_as2_push(&tenv, p, &counts, &err);
		}
		/*
		 * Other transports push here, one branch each, e.g.
		 *   else if (p->as2) rc = <as2 send>(&tenv, p, &counts,
		 *                                     &err);
		 * with the same contract as transfer_sftp_push(): counts,
		 * EDI_ETEMP for "try later", EDI_ECONFIG for "needs a
		 * person", notes through tenv.note.
		 */
		else {
			continue;
		}
		npartners++;
		total.files += counts.files;
		total.waiting += counts.waiting;
		total.failed += counts.failed;
		if (rc != EDI_OK) {
			nfailed++;
			cli_error("%s %s: %s%s", what, p->id, err.msg,
				  rc == EDI_ETEMP ? " (will try again)" : "");
		} else if (counts.failed) {
			rc = EDI_EIO;
		}
		worst = worse(worst, rc);
	}
	if (!npartners)
		return EXIT_OK_; /* nobody to pull from or push to: quiet */
	printf("edigate %s: %zu %s %s %zu %s", what, total.files,
	       total.files == 1 ? "file" : "files",
	       dir == CLI_PULL ? "from" : "to", npartners,
	       npartners == 1 ? "partner" : "partners");
	if (total.waiting)
		printf(", %zu waiting", total.waiting);
	if (total.failed)
		printf(", %zu failed", total.failed);
	if (nfailed)
		printf("; %zu %s not reached", nfailed,
		       nfailed == 1 ? "partner" : "partners");
	putchar('\n');
	fflush(stdout);
	return exit_for(worst);
}

int cli_transfer_worst(int a, int b)
{
	static const int order[] = {EXIT_CONFIG, EXIT_SOFTWARE, EXIT_TEMPFAIL};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (a == order[i] || b == order[i])
			return order[i];
	return a ? a : b;
}

static enum edi_code trace_transfer(void *ctx, const struct journal_transfer *t,
				    struct edi_error *err)
{
	size_t *n = ctx;
	char when[24];
	struct tm tm;
	time_t at = (time_t)t->at;

	(void)err;
	gmtime_r(&at, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%SZ", &tm);
	printf("transfer %s %s %s %s '%s'%s%s %s%s%s\n", when, t->transport,
	       t->direction, t->partner, t->name,
	       t->entry_id[0] ? " entry " : "", t->entry_id, t->status,
	       t->remote[0] ? " " : "", t->remote);
	(*n)++;
	return EDI_OK;
}

size_t cli_transfer_trace(struct journal *j, const char *key)
{
	struct edi_error err;
	size_t n = 0;

	journal_transfers_of(j, key, trace_transfer, &n, &err);
	return n;
}

static int transfer_cmd(int argc, char **argv, const struct cli_global *g,
			enum cli_transfer_dir dir)
{
	const char *usage = dir == CLI_PULL ? pull_usage : push_usage;
	const char *partner = NULL;
	bool verbose = false;
	struct cli_env env;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(usage, stdout);
			return EXIT_OK_;
		} else if (!strcmp(argv[i], "--partner") && i + 1 < argc) {
			partner = argv[++i];
		} else if (!strcmp(argv[i], "--verbose") ||
			   !strcmp(argv[i], "-v")) {
			verbose = true;
		} else {
			cli_error("%s: unknown argument '%s'", argv[0],
				  argv[i]);
			fputs(usage, stderr);
			return EXIT_USAGE;
		}
	}
	rc = cli_env_open(&env, g, true);
	if (rc != EXIT_OK_)
		return rc;
	if (partner && !registry_partner(&env.reg, partner)) {
		cli_error("%s: no partner profile '%s'", argv[0], partner);
		cli_env_close(&env);
		return EXIT_USAGE;
	}
	rc = cli_transfer(&env, dir, partner, verbose);
	cli_env_close(&env);
	return rc;
}

int cmd_pull(int argc, char **argv, const struct cli_global *g)
{
	return transfer_cmd(argc, argv, g, CLI_PULL);
}

int cmd_push(int argc, char **argv, const struct cli_global *g)
{
	return transfer_cmd(argc, argv, g, CLI_PUSH);
}

/* HOST, HOST:PORT, [V6]:PORT or [V6] into host and port. */
static bool split_host(const char *arg, char *host, size_t size, unsigned *port)
{
	const char *colon, *end = NULL;
	size_t n;

	*port = 22;
	if (arg[0] == '[') {
		end = strchr(arg, ']');
		if (!end)
			return false;
		n = (size_t)(end - arg - 1);
		arg++;
		colon = end[1] == ':' ? end + 1 : NULL;
		if (end[1] && !colon)
			return false;
	} else {
		colon = strchr(arg, ':');
		if (colon && strchr(colon + 1, ':'))
			return false; /* a bare IPv6 address: use [..] */
		n = colon ? (size_t)(colon - arg) : strlen(arg);
	}
	if (!n || n >= size)
		return false;
	memcpy(host, arg, n);
	host[n] = '\0';
	if (colon) {
		char *stop;
		unsigned long v = strtoul(colon + 1, &stop, 10);
		if (!colon[1] || *stop || v == 0 || v > 65535)
			return false;
		*port = (unsigned)v;
	}
	return true;
}

int cmd_keyscan(int argc, char **argv)
{
	char host[SFTP_HOST_MAX];
	const char *target = NULL;
	size_t timeout_s = 10;
	unsigned port;
	struct buf out;
	struct edi_error err;
	enum edi_code rc;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(keyscan_usage, stdout);
			return EXIT_OK_;
		} else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
			if (!cli_parse_count("--timeout", argv[++i],
					     &timeout_s) ||
			    timeout_s > 600)
				return EXIT_USAGE;
		} else if (!target && argv[i][0] != '-') {
			target = argv[i];
		} else {
			cli_error("keyscan: unknown argument '%s'", argv[i]);
			fputs(keyscan_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (!target) {
		fputs(keyscan_usage, stderr);
		return EXIT_USAGE;
	}
	if (!split_host(target, host, sizeof(host), &port)) {
		cli_error("keyscan: '%s' is not HOST, HOST:PORT or [ADDRESS]"
			  ":PORT",
			  target);
		return EXIT_USAGE;
	}
	buf_init(&out, 1u << 20);
	rc = sftp_keyscan(host, port, (unsigned)timeout_s * 1000, &out, &err);
	if (rc != EDI_OK) {
		cli_error("keyscan: %s", err.msg);
		buf_release(&out);
		return rc == EDI_ETEMP ? EXIT_TEMPFAIL : EXIT_SOFTWARE;
	}
	fwrite(out.ptr, 1, out.len, stdout);
	buf_release(&out);
	return EXIT_OK_;
}
