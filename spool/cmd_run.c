/*
 * cmd_run - `edigate run [--once|--watch SECONDS] [--partner ID]`: process
 * the spool (what cron calls).
 *
 * Takes the spool lock (a second run says so and exits 75), recovers what
 * a dead run left, processes everything in in/, and prints one summary
 * line (and a line per file on a terminal).  Exit 0 when every file was
 * accepted, 65 when something went to error/, 75 when only temporary
 * failures stopped it (the lock, a full disk), 78 for a configuration
 * mistake.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "deliver_rest.h"
#include "log.h"
#include "pipeline.h"
#include "spool_lock.h"

static const char run_usage[] =
	"usage: edigate [-c FILE] [--spool DIR] run [--once | --watch SECONDS]"
	"\n                                          [--partner ID]\n"
	"\n"
	"Process the spool: claim the files in <spool>/in/, check and\n"
	"translate them, write accepted records to the partners' outputs\n"
	"(<spool>/out/<output>/, or REST calls to the ERP: what fails\n"
	"transiently waits in <spool>/deferred/ for a later run), archive\n"
	"the originals, and put what was rejected in <spool>/error/ with\n"
	"its reasons (see 'edigate errors').\n"
	"A run that died is finished by the next one; nothing is lost and\n"
	"no record is delivered twice.\n"
	"\n"
	"  --once           one pass, then exit (the default; for cron)\n"
	"  --watch SECONDS  pass again every SECONDS until stopped (SIGTERM)\n"
	"  --partner ID     only this partner's files; others wait\n"
	"\n"
	"Exit: 0 all accepted, 65 something went to error/, 75 a temporary\n"
	"failure (another run holds the lock, ...), 78 configuration.\n";

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static time_t wall_clock(void)
{
	return time(NULL);
}

static void summary(const struct pipeline_stats *s, FILE *out)
{
	fprintf(out,
		"edigate run: %zu %s: %zu archived, %zu to error/; %zu sets "
		"accepted, %zu rejected; %zu records delivered",
		s->files, s->files == 1 ? "file" : "files", s->archived,
		s->errored, s->sets_accepted, s->sets_rejected, s->records);
	if (s->recovered || s->batches_redone)
		fprintf(out, "; recovered %zu from work/, %zu batches",
			s->recovered, s->batches_redone);
	if (s->erp_files || s->outbound_sets)
		fprintf(out, "; erp-in: %zu files, %zu outbound sets",
			s->erp_files, s->outbound_sets);
	if (s->acks || s->acks_matched)
		fprintf(out, "; acks: %zu sent, %zu of ours answered", s->acks,
			s->acks_matched);
	/* for a log collector the same as one JSON event */
	if (log_format_used() == LOG_JSON)
		log_event(
			LOG_INFO, "run", NULL,
			"files=%zu archived=%zu errored=%zu sets_accepted=%zu "
			"sets_rejected=%zu records=%zu recovered=%zu "
			"erp_files=%zu outbound_sets=%zu acks=%zu "
			"acks_matched=%zu",
			s->files, s->archived, s->errored, s->sets_accepted,
			s->sets_rejected, s->records, s->recovered,
			s->erp_files, s->outbound_sets, s->acks,
			s->acks_matched);
}

/* The REST part of the summary line, when there was any. */
static void rest_summary(const struct deliver_rest_stats *r, FILE *out)
{
	if (r->requests || r->queued || r->held || r->open_breakers)
		fprintf(out,
			"; rest: %zu sent in %zu requests, %zu deferred, %zu "
			"to error/, %zu held by %zu open breakers",
			r->sent, r->requests, r->deferred, r->failed, r->held,
			r->open_breakers);
	fputc('\n', out);
}

static void rest_add(struct deliver_rest_stats *t,
		     const struct deliver_rest_stats *r)
{
	t->queued += r->queued;
	t->requests += r->requests;
	t->sent += r->sent;
	t->deferred += r->deferred;
	t->failed += r->failed;
	t->held = r->held;
	t->open_breakers = r->open_breakers;
}

int cmd_run(int argc, char **argv, const struct cli_global *g)
{
	struct cli_env env;
	struct pipeline p;
	struct pipeline_stats stats, total;
	struct deliver_rest dr;
	struct deliver_rest_stats rstats, rtotal;
	struct spool_lock lock = {-1};
	struct edi_error err;
	const char *partner = NULL;
	int xfer = EXIT_OK_; /* the worst pull/push exit code */
	unsigned long watch = 0;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(run_usage, stdout);
			return EXIT_OK_;
		} else if (!strcmp(argv[i], "--once")) {
			watch = 0;
		} else if (!strcmp(argv[i], "--watch") && i + 1 < argc) {
			size_t n;
			if (!cli_parse_count("--watch", argv[++i], &n))
				return EXIT_USAGE;
			watch = n;
		} else if (!strcmp(argv[i], "--partner") && i + 1 < argc) {
			partner = argv[++i];
		} else {
			cli_error("run: unknown argument '%s'", argv[i]);
			fputs(run_usage, stderr);
			return EXIT_USAGE;
		}
	}
	rc = cli_env_open(&env, g, true);
	if (rc != EXIT_OK_)
		return rc;
	if (partner && !registry_partner(&env.reg, partner)) {
		cli_error("run: no partner profile '%s'", partner);
		cli_env_close(&env);
		return EXIT_USAGE;
	}
	if (spool_lock(&env.spool, &lock, &err) != EDI_OK) {
		cli_error("%s", err.msg);
		cli_env_close(&env);
		return err.code == EDI_ETEMP ? EXIT_TEMPFAIL : EXIT_SOFTWARE;
	}
	memset(&p, 0, sizeof(p));
	p.cfg = &env.cfg;
	p.reg = &env.reg;
	p.spool = &env.spool;
	p.journal = env.journal;
	p.only_partner = partner;
	p.progress = isatty(2);
	p.clock = wall_clock;
	memset(&total, 0, sizeof(total));
	memset(&rtotal, 0, sizeof(rtotal));
	memset(&rstats, 0, sizeof(rstats));
	memset(&dr, 0, sizeof(dr));
	dr.cfg = &env.cfg;
	dr.spool = &env.spool;
	dr.journal = env.journal;
	dr.only_partner = partner;
	dr.clock = wall_clock;
	if (watch) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigaction(SIGTERM, &sa, NULL);
		sigaction(SIGINT, &sa, NULL);
	}
	for (;;) {
		/* run.pull: partners' files into in/ first (transfer_sftp) */
		if (env.cfg.run.pull)
			xfer = cli_transfer_worst(
				xfer,
				cli_transfer(&env, CLI_PULL, partner, false));
		if (pipeline_run_once(&p, &stats, &err) != EDI_OK) {
			cli_error("run stopped: %s", err.msg);
			summary(&stats, stdout);
			rest_summary(&rstats, stdout);
			spool_unlock(&lock);
			cli_env_close(&env);
			return err.code == EDI_ECONFIG ? EXIT_CONFIG
						       : EXIT_TEMPFAIL;
		}
		total.files += stats.files;
		total.archived += stats.archived;
		total.errored += stats.errored;
		total.sets_accepted += stats.sets_accepted;
		total.sets_rejected += stats.sets_rejected;
		total.records += stats.records;
		total.recovered += stats.recovered;
		total.batches_redone += stats.batches_redone;
		total.erp_files += stats.erp_files;
		total.outbound_sets += stats.outbound_sets;
		total.acks += stats.acks;
		total.acks_matched += stats.acks_matched;
		/* the ERP's REST outputs: what the pass published, and what
		 * waited in deferred/ and is due now */
		if (deliver_rest_run(&dr, &rstats, &err) != EDI_OK) {
			cli_error("run stopped: %s", err.msg);
			summary(&stats, stdout);
			rest_summary(&rstats, stdout);
			spool_unlock(&lock);
			cli_env_close(&env);
			return err.code == EDI_ECONFIG ? EXIT_CONFIG
						       : EXIT_TEMPFAIL;
		}
		rest_add(&rtotal, &rstats);
		if (watch &&
		    (stats.files || rstats.requests || rstats.queued)) {
			summary(&stats, stdout);
			rest_summary(&rstats, stdout);
		}
		/* run.push: what waits in outbound/, acks included */
		if (env.cfg.run.push)
			xfer = cli_transfer_worst(
				xfer,
				cli_transfer(&env, CLI_PUSH, partner, false));
		if (!watch || stop_requested)
			break;
		for (unsigned long s = 0; s < watch && !stop_requested; s++)
			sleep(1);
		if (stop_requested)
			break;
		fflush(stdout);
	}
	if (!watch) {
		summary(&total, stdout);
		rest_summary(&rtotal, stdout);
	}
	spool_unlock(&lock);
	cli_env_close(&env);
	fflush(stdout);
	if (xfer != EXIT_OK_ && !total.errored)
		return xfer; /* a partner's server down: 75, cron retries */
	return total.errored || rtotal.failed ? EXIT_DATAERR : EXIT_OK_;
}
