/*
 * cli - the edigate command line: shared option parsing and exit codes.
 *
 * Each command is a function cmd_<name>(argc, argv, opts) that returns a
 * sysexits(3) code.  Commands print their results to stdout and their
 * diagnostics to stderr; library code below them never prints.
 */
#ifndef EDI_CLI_H
#define EDI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "config.h"
#include "edi_error.h"
#include "journal.h"
#include "registry.h"
#include "spool_layout.h"

enum cli_exit {
	EXIT_OK_ = 0,
	EXIT_USAGE = 64,
	EXIT_DATAERR = 65,
	EXIT_NOINPUT = 66,
	EXIT_SOFTWARE = 70,
	EXIT_TEMPFAIL = 75,
	EXIT_CONFIG = 78
};

/* Options that come before the command. */
struct cli_global {
	const char *config_path; /* -c FILE */
	const char *spool_dir;	 /* --spool DIR */
};

int cmd_validate(int argc, char **argv, const struct cli_global *g);
int cmd_translate(int argc, char **argv, const struct cli_global *g);
int cmd_partners(int argc, char **argv, const struct cli_global *g);
int cmd_run(int argc, char **argv, const struct cli_global *g);
int cmd_errors(int argc, char **argv, const struct cli_global *g);
int cmd_replay(int argc, char **argv, const struct cli_global *g);
int cmd_hold(int argc, char **argv, const struct cli_global *g);
int cmd_release(int argc, char **argv, const struct cli_global *g);
int cmd_trace(int argc, char **argv, const struct cli_global *g);
int cmd_status(int argc, char **argv, const struct cli_global *g);
int cmd_ack(int argc, char **argv, const struct cli_global *g);
int cmd_emit(int argc, char **argv, const struct cli_global *g);
int cmd_pull(int argc, char **argv, const struct cli_global *g);
int cmd_push(int argc, char **argv, const struct cli_global *g);
int cmd_serve(int argc, char **argv, const struct cli_global *g);
/* `partners keyscan HOST[:PORT]` (argv[0] is "keyscan"). */
int cmd_keyscan(int argc, char **argv);

/* What the spool commands work with. */
struct cli_env {
	struct config cfg;
	struct registry reg;
	bool have_reg;
	struct spool spool;
	bool have_spool;
	struct journal *journal;
	struct config_output default_output; /* when none are configured */
};

/*
 * Load the configuration (-c FILE, else ./edigate.yaml when present, else
 * the defaults), apply --spool, open the spool and its journal and, when
 * with_registry, load the maps and partner profiles.  On failure prints
 * why and returns the exit code (78 configuration, 75/70 otherwise).
 */
int cli_env_open(struct cli_env *env, const struct cli_global *g,
		 bool with_registry);
void cli_env_close(struct cli_env *env);

enum cli_transfer_dir { CLI_PULL, CLI_PUSH };
/*
 * Pull or push (cmd_transfer.c) for every enabled partner with a
 * transport, or only the one named: a log event per file (log.h; verbose
 * raises the level to info), failures on stderr, one summary line on
 * stdout (none when no partner has the transport).  Returns the
 * exit code: 0, 75 only temporary failures, 78 a partner needs a person
 * (host key, login), 70 other failures.
 */
int cli_transfer(struct cli_env *env, enum cli_transfer_dir dir,
		 const char *only, bool verbose);
/*
 * Print the journal's transfers of key (entry id, file name or AS2
 * Message-ID) for trace, one line each; returns how many.
 */
size_t cli_transfer_trace(struct journal *j, const char *key);
/* The exit code that says more: 78, then 70, then 75, then 0. */
int cli_transfer_worst(int a, int b);

/* "edigate: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parse a positive size_t for option name; false with a message. */
bool cli_parse_count(const char *name, const char *text, size_t *out);
/* Is argv[i] "--help" or "-h"? */
bool cli_is_help(const char *arg);
/*
 * ./NAME when it is a folder, else (when installed_too) the installed
 * PREFIX/share/edigate/NAME, else NULL.
 */
const char *cli_default_dir(const char *name, bool installed_too);
/*
 * Load maps and partner profiles (NULL folders: the defaults); on a
 * mistake print every one to stderr and return EXIT_CONFIG (or
 * EXIT_NOINPUT for a missing folder), else EXIT_OK_.
 */
int cli_load_registry(struct registry *reg, const char *maps_dir,
		      const char *partners_dir, struct edi_diag *errors);

#endif
