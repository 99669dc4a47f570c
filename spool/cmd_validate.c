/*
 * cmd_validate - `edigate validate FILE... [--partner ID] [--json]`.
 *
 * Streams each file through the X12 reader, the envelope checker and,
 * when maps are available, the guide and rules of each set's map (the
 * translate driver without building records), and prints "FILE: OK (...)"
 * or one line per error, in segment order.  --envelope checks envelopes
 * only (WEDI SNIP 1, the fast path).  Exit 0 when every file is valid, 65
 * when any is not, 66 when any cannot be read (that wins), 78 when a map
 * or profile has a mistake.
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
#include "registry.h"
#include "x12_envelope.h"
#include "x12_scan.h"
#include "x12_translate.h"

static const char validate_usage[] =
	"usage: edigate validate [--json] [--partner ID] [--envelope]\n"
	"                        [--max-errors N] [--maps DIR] [--partners DIR]"
	"\n"
	"                        FILE...\n"
	"\n"
	"Check X12 files: delimiters, ISA/GS/ST envelopes, segment and set\n"
	"counts, control numbers, ISA and GS fields, and every transaction\n"
	"set against its map (segment order and use, elements, code lists,\n"
	"syntax notes, balancing, check digits, partner rules).  '-' reads\n"
	"stdin.  Prints 'FILE: OK (...)' or one line per error with its\n"
	"segment number, tag, element and byte offset, and the\n"
	"acknowledgment code it maps to.\n"
	"\n"
	"  --json           one JSON object per file (JSON Lines)\n"
	"  --partner ID     check with this partner's maps and rules "
	"(default:\n"
	"                   found from the ISA ids, else the shipped maps)\n"
	"  --envelope       envelopes only (WEDI SNIP 1), no maps: fastest\n"
	"  --max-errors N   errors kept per file (default 100)\n"
	"  --maps DIR, --partners DIR   as for translate\n"
	"\n"
	"Exit: 0 all valid, 65 something invalid, 66 a file could not be "
	"read,\n78 a map or profile has a mistake.\n";

struct validate {
	const struct registry *reg; /* NULL: envelopes only */
	const struct partner *forced;
	struct edi_diag *diag; /* the file's */
};

static const struct map *select_map(void *ctx, const struct x12_envelope *env,
				    struct strview document,
				    struct strview version,
				    const char **partner,
				    struct map_rule_opts *rules,
				    struct x12_veto *veto)
{
	struct validate *v = ctx;

	(void)veto; /* the spool's hook vetoes; here every set is checked */
	return registry_select(v->reg, v->forced, env->isa.sender_qual,
			       env->isa.sender, env->isa.receiver_qual,
			       env->isa.receiver, document, version, partner,
			       rules);
}

/* A set's own errors (or warnings) join the file's. */
static void take(struct validate *v, const struct edi_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		edi_diag_add(v->diag, &d->items[i]);
}

static void set_passed(void *ctx, const struct x12_set_result *r)
{
	take(ctx, r->errors);
}

static void set_rejected(void *ctx, const struct x12_set_result *r)
{
	if (strcmp(r->stage, "envelope")) /* else already in the file's */
		take(ctx, r->errors);
}

static int by_segment(const void *a, const void *b)
{
	const struct edi_error *x = a, *y = b;

	if (x->loc.segment != y->loc.segment)
		return x->loc.segment < y->loc.segment ? -1 : 1;
	if (x->loc.element != y->loc.element)
		return x->loc.element < y->loc.element ? -1 : 1;
	return 0;
}

/* Stable: equal keys keep the order they were found in. */
static void sort_diag(struct edi_diag *d)
{
	for (size_t i = 1; i < d->n; i++) {
		struct edi_error e = d->items[i];
		size_t j = i;
		while (j > 0 && by_segment(&d->items[j - 1], &e) > 0) {
			d->items[j] = d->items[j - 1];
			j--;
		}
		d->items[j] = e;
	}
}

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

static enum file_result validate_file(struct validate *v, const char *path,
				      const struct x12_limits *limits,
				      bool json, struct buf *out)
{
	enum edi_code rc;
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
	if (v->reg) {
		struct x12_translate_hooks hooks = {
			v, select_map, set_passed, set_rejected, NULL, NULL};
		struct x12_translate_opts opts = {limits, path, NULL, true};
		struct x12_translate_stats stats;
		v->diag = &diag;
		rc = x12_translate_run(&reader, &diag, &opts, &hooks, &stats,
				       &err);
		none = stats.envelope;
	} else {
		rc = x12_envelope_check(&reader, &env, &err);
		none = env.sum;
	}
	if (rc != EDI_OK) {
		snprintf(failure, sizeof(failure), "%s", err.msg);
		res = FILE_UNREADABLE;
	} else {
		res = diag.nerrors ? FILE_INVALID : FILE_VALID;
	}
	sort_diag(&diag);
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
	struct validate v = {0};
	struct registry reg;
	struct edi_diag errors;
	struct buf out;
	const char *partner = NULL, *maps_dir = NULL, *partners_dir = NULL;
	bool json = false, envelope_only = false, any_invalid = false,
	     any_unreadable = false;
	int nfiles = 0, rc;

	(void)g;
	x12_limits_default(&limits);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (cli_is_help(a)) {
			fputs(validate_usage, stdout);
			return EXIT_OK_;
		}
		if (!strcmp(a, "--json")) {
			json = true;
		} else if (!strcmp(a, "--envelope")) {
			envelope_only = true;
		} else if (!strcmp(a, "--max-errors") ||
			   !strcmp(a, "--partner") || !strcmp(a, "--maps") ||
			   !strcmp(a, "--partners")) {
			if (!next) {
				cli_error("validate: %s needs a value", a);
				return EXIT_USAGE;
			}
			if (!strcmp(a, "--max-errors")) {
				if (!cli_parse_count(a, next,
						     &limits.max_errors))
					return EXIT_USAGE;
			} else if (!strcmp(a, "--partner")) {
				partner = next;
			} else if (!strcmp(a, "--maps")) {
				maps_dir = next;
			} else {
				partners_dir = next;
			}
			argv[i] = argv[i + 1] = NULL;
			i++;
		} else if (a[0] == '-' && a[1] != '\0') {
			cli_error("validate: unknown option '%s'", a);
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
	if (!envelope_only && !maps_dir && !cli_default_dir("maps", true)) {
		if (partner) {
			cli_error("validate: --partner needs maps, and no maps "
				  "folder was found (--maps DIR)");
			return EXIT_USAGE;
		}
		envelope_only = true; /* nothing to check sets against */
		cli_error("validate: no maps folder (./maps, or the installed "
			  "maps; --maps DIR): checking envelopes only");
	}
	if (!envelope_only) {
		rc = cli_load_registry(&reg, maps_dir, partners_dir, &errors);
		if (rc != EXIT_OK_)
			return rc;
		v.reg = &reg;
		if (partner && !(v.forced = registry_partner(&reg, partner))) {
			cli_error("validate: no partner profile '%s'", partner);
			registry_release(&reg);
			return EXIT_USAGE;
		}
	}
	buf_init(&out, SIZE_MAX / 2);
	for (int i = 1; i < argc; i++) {
		if (!argv[i] || (argv[i][0] == '-' && argv[i][1] != '\0'))
			continue;
		switch (validate_file(&v, argv[i], &limits, json, &out)) {
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
	if (v.reg)
		registry_release(&reg);
	if (fflush(stdout) != 0) {
		cli_error("cannot write the output: %s", strerror(errno));
		return EXIT_SOFTWARE;
	}
	if (any_unreadable)
		return EXIT_NOINPUT;
	return any_invalid ? EXIT_DATAERR : EXIT_OK_;
}
