/*
 * cmd_validate - `edigate validate FILE... [--json]`.
 *
 * Streams each file through the X12 reader and the envelope checker and
 * prints "FILE: OK (...)" or one line per error.  Exit 0 when every file
 * is valid, 65 when any is not, 66 when any cannot be read (that wins).
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "json_out.h"
#include "report.h"
#include "x12_envelope.h"
#include "x12_scan.h"

static const char validate_usage[] =
	"usage: edigate validate [--json] [--max-errors N] FILE...\n"
	"\n"
	"Check X12 files: delimiters, ISA/GS/ST envelopes, segment and set\n"
	"counts, control numbers, ISA and GS fields.  '-' reads stdin.\n"
	"Prints 'FILE: OK (...)' or one line per error with its segment\n"
	"number, tag, element and byte offset, and the acknowledgment code\n"
	"it maps to.\n"
	"\n"
	"  --json           one JSON object per file (JSON Lines)\n"
	"  --max-errors N   errors kept per file (default 100)\n"
	"\n"
	"Exit: 0 all valid, 65 something invalid, 66 a file could not be "
	"read.\n";

enum file_result { FILE_VALID, FILE_INVALID, FILE_UNREADABLE };

static const char *plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void summary_text(struct buf *out, const char *file,
			 const struct x12_env_summary *s,
			 const struct edi_diag *d)
{
	buf_addf(out, "%s: OK (%zu %s, %zu %s, %zu %s", file, s->ninterchanges,
		 plural(s->ninterchanges, "interchange", "interchanges"),
		 s->ngroups, plural(s->ngroups, "group", "groups"), s->nsets,
		 plural(s->nsets, "transaction set", "transaction sets"));
	if (d->nwarnings)
		buf_addf(out, "; %zu %s", d->nwarnings,
			 plural(d->nwarnings, "warning", "warnings"));
	buf_adds(out, ")\n");
}

static void result_json(struct buf *out, const char *file,
			const struct x12_env_summary *s,
			const struct edi_diag *d, const char *failure)
{
	struct json_out j;

	json_out_init(&j, out);
	json_obj_begin(&j);
	json_key(&j, "file");
	json_str(&j, file);
	json_key(&j, "valid");
	json_bool(&j, !failure && d->nerrors == 0);
	if (failure) {
		json_key(&j, "failure");
		json_str(&j, failure);
	}
	json_key(&j, "interchanges");
	json_u64(&j, s->ninterchanges);
	json_key(&j, "groups");
	json_u64(&j, s->ngroups);
	json_key(&j, "sets");
	json_u64(&j, s->nsets);
	json_key(&j, "segments");
	json_u64(&j, s->nsegments);
	report_json(&j, d);
	json_obj_end(&j);
	buf_addc(out, '\n');
}

static enum file_result validate_file(const char *path,
				      const struct x12_limits *limits,
				      bool json, struct buf *out)
{
	struct edi_diag diag;
	struct x12_reader reader;
	struct x12_envelope env;
	struct edi_error err;
	struct stat st;
	struct x12_env_summary none = {0};
	char failure[EDI_MSG_MAX + 64];
	enum file_result res;
	bool is_stdin = !strcmp(path, "-");
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);

	edi_diag_init(&diag, limits->max_errors);
	failure[0] = '\0';
	if (fd < 0) {
		snprintf(failure, sizeof(failure), "%s", strerror(errno));
		res = FILE_UNREADABLE;
		goto done;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(failure, sizeof(failure), "is a directory");
		res = FILE_UNREADABLE;
		goto done;
	}
	x12_reader_init_src(&reader,
			    (struct x12_source){x12_source_fd_read, &fd},
			    limits, &diag);
	x12_envelope_init(&env, limits, &diag);
	if (x12_envelope_check(&reader, &env, &err) != EDI_OK) {
		snprintf(failure, sizeof(failure), "%s", err.msg);
		res = FILE_UNREADABLE;
	} else {
		res = diag.nerrors ? FILE_INVALID : FILE_VALID;
	}
	none = env.sum;
	x12_envelope_release(&env);
	x12_reader_release(&reader);
done:
	if (fd > 0)
		close(fd);
	if (failure[0])
		cli_error("cannot read '%s': %s", path, failure);
	if (json) {
		result_json(out, path, &none, &diag,
			    failure[0] ? failure : NULL);
	} else if (!failure[0]) {
		if (res == FILE_VALID)
			summary_text(out, path, &none, &diag);
		report_text(out, path, &diag); /* errors, or the warnings */
	}
	edi_diag_release(&diag);
	return res;
}

int cmd_validate(int argc, char **argv, const struct cli_global *g)
{
	struct x12_limits limits;
	struct buf out;
	bool json = false, any_invalid = false, any_unreadable = false;
	int nfiles = 0;

	(void)g;
	x12_limits_default(&limits);
	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			fputs(validate_usage, stdout);
			return EXIT_OK_;
		}
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else if (!strcmp(argv[i], "--max-errors")) {
			if (!cli_parse_count("--max-errors",
					     i + 1 < argc ? argv[i + 1] : NULL,
					     &limits.max_errors))
				return EXIT_USAGE;
			i++;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			cli_error("validate: unknown option '%s'", argv[i]);
			fputs(validate_usage, stderr);
			return EXIT_USAGE;
		} else {
			nfiles++;
		}
	}
	if (!nfiles) {
		cli_error("validate: name at least one file");
		fputs(validate_usage, stderr);
		return EXIT_USAGE;
	}
	buf_init(&out, SIZE_MAX / 2);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--max-errors")) {
			i++;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			continue;
		switch (validate_file(argv[i], &limits, json, &out)) {
		case FILE_VALID:
			break;
		case FILE_INVALID:
			any_invalid = true;
			break;
		case FILE_UNREADABLE:
			any_unreadable = true;
			break;
		}
		if (out.len)
			fwrite(out.ptr, 1, out.len, stdout);
		buf_reset(&out);
	}
	buf_release(&out);
	if (fflush(stdout) != 0) {
		cli_error("cannot write the output: %s", strerror(errno));
		return EXIT_SOFTWARE;
	}
	if (any_unreadable)
		return EXIT_NOINPUT;
	return any_invalid ? EXIT_DATAERR : EXIT_OK_;
}
