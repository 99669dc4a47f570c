/*
 * main - the edigate command: global options, then one command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"

#ifndef EDIGATE_VERSION
#define EDIGATE_VERSION "0.1.0"
#endif

static const char usage_text[] =
	"usage: edigate [-c FILE] [--spool DIR] COMMAND [ARGS...]\n"
	"\n"
	"EDI translator and managed-file-transfer gateway for X12.\n"
	"\n"
	"Commands:\n"
	"  validate FILE... [--json]   check X12 files: envelopes, and every\n"
	"                              set against its map, with locations\n"
	"  translate FILE...           canonical records (JSON Lines or CSV)\n"
	"                              of every accepted transaction set\n"
	"  ack FILE [--type T]         the 997/999/TA1 edigate would send\n"
	"  emit FILE --partner ID      outbound X12 (850/855/856/810) from\n"
	"                              canonical records (JSON Lines)\n"
	"  partners [--check]          list partner profiles and maps; check\n"
	"                              every one\n"
	"  run [--once|--watch S]      process the spool (cron): claim, "
	"check,\n"
	"                              translate, deliver, archive\n"
	"  errors [--json]             the error spool; 'errors show ID'\n"
	"  replay ID...|--all          error/ (or hold/) -> in/, processed by\n"
	"                              the next run\n"
	"  hold ID..., release ID...   park and unpark entries\n"
	"  trace KEY                   where a document is, every state with\n"
	"                              times (entry id, record id, order\n"
	"                              number or ISA13)\n"
	"  status [--json]             counts per state and partner\n"
	"  pull [--partner ID]         fetch partners' files (SFTP) into "
	"in/\n"
	"  push [--partner ID]         send outbound/<partner>/ files (SFTP)"
	"\n"
	"                              (AS2: signed, encrypted, MDN checked)\n"
	"  serve [--port N]            receive AS2 messages and async MDNs\n"
	"  partners keyscan HOST[:PORT]  host keys to add to known_hosts\n"
	"  help                        this text\n"
	"  version                     print the version\n"
	"\n"
	"Global options:\n"
	"  -c FILE        configuration file (default edigate.yaml)\n"
	"  --spool DIR    spool directory (overrides the configuration)\n"
	"  -v, --verbose  log a line per file (run, pull, push) on stderr\n"
	"  --log-json     log events as JSON objects, one per line\n"
	"  -h, --help     help; 'edigate COMMAND --help' for a command\n"
	"\n"
	"Exit status (sysexits): 0 ok, 64 usage, 65 data error, 66 missing\n"
	"input, 70 internal error, 75 temporary failure, 78 configuration.\n";

int main(int argc, char **argv)
{
	struct cli_global g = {0};
	bool log_json = false;
	int verbose = 0;
	int i = 1;

	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--spool")) {
			if (i + 1 >= argc) {
				cli_error("%s needs an argument", argv[i]);
				return EXIT_USAGE;
			}
			if (argv[i][1] == 'c')
				g.config_path = argv[i + 1];
			else
				g.spool_dir = argv[i + 1];
			i += 2;
		} else if (cli_is_help(argv[i])) {
			fputs(usage_text, stdout);
			return EXIT_OK_;
		} else if (!strcmp(argv[i], "--log-json")) {
			log_json = true;
			i++;
		} else if (!strcmp(argv[i], "-v") ||
			   !strcmp(argv[i], "--verbose")) {
			verbose++;
			i++;
		} else if (!strcmp(argv[i], "--version")) {
			puts("edigate " EDIGATE_VERSION);
			return EXIT_OK_;
		} else {
			cli_error("unknown option '%s'", argv[i]);
			fputs(usage_text, stderr);
			return EXIT_USAGE;
		}
	}
	if (i >= argc) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	/* the event log: a line per file on a terminal, with -v, or as JSON
	 * with --log-json (cron gets the summary line only) */
	log_setup(stderr, log_json ? LOG_JSON : LOG_TEXT,
		  verbose > 1			     ? LOG_DEBUG
		  : verbose || log_json || isatty(2) ? LOG_INFO
						     : LOG_WARN);
	argc -= i;
	argv += i;
	if (!strcmp(argv[0], "validate"))
		return cmd_validate(argc, argv, &g);
	if (!strcmp(argv[0], "translate"))
		return cmd_translate(argc, argv, &g);
	if (!strcmp(argv[0], "partners"))
		return cmd_partners(argc, argv, &g);
	if (!strcmp(argv[0], "run"))
		return cmd_run(argc, argv, &g);
	if (!strcmp(argv[0], "errors"))
		return cmd_errors(argc, argv, &g);
	if (!strcmp(argv[0], "replay"))
		return cmd_replay(argc, argv, &g);
	if (!strcmp(argv[0], "hold"))
		return cmd_hold(argc, argv, &g);
	if (!strcmp(argv[0], "release"))
		return cmd_release(argc, argv, &g);
	if (!strcmp(argv[0], "trace"))
		return cmd_trace(argc, argv, &g);
	if (!strcmp(argv[0], "status"))
		return cmd_status(argc, argv, &g);
	if (!strcmp(argv[0], "ack"))
		return cmd_ack(argc, argv, &g);
	if (!strcmp(argv[0], "emit"))
		return cmd_emit(argc, argv, &g);
	if (!strcmp(argv[0], "pull"))
		return cmd_pull(argc, argv, &g);
	if (!strcmp(argv[0], "push"))
		return cmd_push(argc, argv, &g);
	if (!strcmp(argv[0], "serve"))
		return cmd_serve(argc, argv, &g);
	if (!strcmp(argv[0], "help")) {
		fputs(usage_text, stdout);
		return EXIT_OK_;
	}
	if (!strcmp(argv[0], "version")) {
		puts("edigate " EDIGATE_VERSION);
		return EXIT_OK_;
	}
	cli_error("unknown command '%s'; 'edigate --help' lists them", argv[0]);
	return EXIT_USAGE;
}
