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

#include "edi_error.h"

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

/* "edigate: " + message on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parse a positive size_t for option name; false with a message. */
bool cli_parse_count(const char *name, const char *text, size_t *out);
/* Is argv[i] "--help" or "-h"? */
bool cli_is_help(const char *arg);

#endif
