/*
 * cmd_ack - `edigate ack FILE [--type 997|999|ta1] [--partner ID]`.
 *
 * Validates FILE as `validate` does (envelopes and every set against its
 * map) and prints the acknowledgment edigate would send for each
 * interchange in it: a TA1 when the partner's profile (or --type ta1)
 * calls for one, and a 997 or 999 per functional group.  Control numbers
 * are --control N (default 1) and count up; the journal's counters are
 * not touched.  Exit 0 when the acknowledgments accept everything, 65
 * when they reject something, 66 when FILE cannot be read.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ack.h"
#include "acks.h"
#include "cli.h"
#include "registry.h"
#include "x12_translate.h"
#include "xalloc.h"

static const char ack_usage[] =
	"usage: edigate ack [--type 997|999|ta1] [--partner ID] [--control N]\n"
	"                   [--maps DIR] [--partners DIR] FILE\n"
	"\n"
	"Print the acknowledgment edigate would send for FILE: per\n"
	"interchange a TA1 when asked for (ISA14 = 1, a broken envelope, or\n"
	"the profile's acks.ta1: always), and a 997 (or 999) per functional\n"
	"group with AK2/AK5 per set, AK3/AK4 (IK3/IK4) for every segment and\n"
	"element error, and AK9 with the counts.  Sender and receiver are\n"
	"swapped; the version is the inbound one; delimiters are the\n"
	"partner's (profile x12.delimiters) or the inbound ones.\n"
	"\n"
	"  --type T        997, 999 or ta1 (default: the partner profile's\n"
	"                  acks.type, else 997)\n"
	"  --partner ID    the partner whose profile and maps apply (default:\n"
	"                  found from the ISA ids)\n"
	"  --control N     first control number for ISA13 and GS06 (default\n"
	"                  1); `run` takes them from the journal instead\n"
	"  --maps DIR, --partners DIR   as for translate\n"
	"\n"
	"Exit: 0 everything accepted, 65 something rejected, 66 FILE cannot\n"
	"be read, 78 a map or profile has a mistake.\n";

struct ack_run {
	const struct registry *reg;
	const struct partner *forced;
	struct ack_collector c;
	struct edi_diag *diag;
};

static const struct map *select_map(void *ctx, const struct x12_envelope *env,
				    struct strview document,
				    struct strview version,
				    const char **partner,
				    struct map_rule_opts *rules,
				    struct x12_veto *veto)
{
	struct ack_run *a = ctx;

	(void)veto;
	return registry_select(a->reg, a->forced, env->isa.sender_qual,
			       env->isa.sender, env->isa.receiver_qual,
			       env->isa.receiver, document, version, partner,
			       rules);
}

static void set_passed(void *ctx, const struct x12_set_result *r)
{
	struct ack_run *a = ctx;
	ack_on_set(&a->c, r, true);
}

static void set_rejected(void *ctx, const struct x12_set_result *r)
{
	struct ack_run *a = ctx;
	ack_on_set(&a->c, r, false);
}

static void group_end(void *ctx, const struct x12_envelope *env, bool ok)
{
	struct ack_run *a = ctx;
	(void)ok;
	ack_on_group_end(&a->c, env, a->diag);
}

static void interchange_end(void *ctx, const struct x12_envelope *env, bool ok)
{
	struct ack_run *a = ctx;
	(void)ok;
	ack_on_interchange_end(&a->c, env, a->diag);
}

static bool rejects(const struct ack_interchange *ic)
{
	if (!ic->accepted)
		return true;
	for (size_t g = 0; g < ic->ngroups; g++) {
		if (!ic->groups[g].envelope_ok)
			return true;
		for (size_t s = 0; s < ic->groups[g].nsets; s++)
			if (!ic->groups[g].sets[s].accepted)
				return true;
	}
	return false;
}

static int answer(struct ack_run *a, const char *path, const char *type,
		  uint64_t control)
{
	struct acks_clock clk;
	bool any_rejected = false;
	struct buf out;

	acks_clock_at(&clk, time(NULL));
	buf_init(&out, SIZE_MAX / 2);
	for (size_t i = 0; i < a->c.n; i++) {
		struct ack_interchange ic = a->c.items[i];
		const struct partner *p =
			a->forced ? a->forced
				  : registry_partner_for_isa(
					    a->reg, ic.isa.sender_qual,
					    ic.isa.sender, ic.isa.receiver_qual,
					    ic.isa.receiver);
		const char *kind = type ? type : p ? p->ack_type : "997";
		struct x12_write_delims d;
		struct ack_opts o;
		struct edi_error err;
		uint64_t *gs06;
		size_t ngroups = 0;

		any_rejected |= rejects(&ic);
		if (!acks_options(p, type, &clk, &o, &d)) {
			cli_error("%s: interchange %s: partner '%s' gets no "
				  "acknowledgments (acks: none)",
				  path, ic.isa.control, p->id);
			continue;
		}
		if (!strcmp(kind, "ta1") || !strcmp(kind, "none"))
			ic.ngroups = 0; /* a TA1 at most */
		if (!ack_needed(&ic, &o, &ngroups)) {
			cli_error("%s: interchange %s: nothing to acknowledge "
				  "(no TA1 asked for, no group to answer)",
				  path, ic.isa.control);
			continue;
		}
		gs06 = xreallocarray(NULL, ngroups ? ngroups : 1,
				     sizeof(*gs06));
		for (size_t g = 0; g < ngroups; g++)
			gs06[g] = control + g;
		o.isa13 = control;
		o.gs06 = gs06;
		o.ngs06 = ngroups;
		if (ack_write(&ic, &o, &out, &err) != EDI_OK)
			cli_error("%s: cannot write the acknowledgment of "
				  "interchange %s: %s",
				  path, ic.isa.control, err.msg);
		free(gs06);
		control++;
	}
	fwrite(out.ptr ? out.ptr : "", 1, out.len, stdout);
	buf_release(&out);
	return any_rejected ? EXIT_DATAERR : EXIT_OK_;
}

static int ack_file(struct ack_run *a, const char *path, const char *type,
		    uint64_t control)
{
	struct x12_limits limits;
	struct x12_reader reader;
	struct x12_translate_stats stats;
	struct edi_diag diag;
	struct edi_error err;
	struct stat st;
	int fd = !strcmp(path, "-") ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0 || fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
		cli_error("cannot read '%s': %s", path,
			  fd < 0 ? strerror(errno) : "is a directory");
		if (fd > 0)
			close(fd);
		return EXIT_NOINPUT;
	}
	x12_limits_default(&limits);
	edi_diag_init(&diag, limits.max_errors);
	x12_reader_init_src(&reader,
			    (struct x12_source){x12_source_fd_read, &fd},
			    &limits, &diag);
	a->diag = &diag;
	a->c.delims = &reader.delims;
	a->c.file_diag = &diag;
	{
		struct x12_translate_hooks hooks = {
			a,	   select_map,	   set_passed, set_rejected,
			group_end, interchange_end};
		/* records are built (and dropped): a set without a map is
		 * rejected, as in `run` */
		struct x12_translate_opts opts = {&limits, path, NULL, false};
		if (x12_translate_run(&reader, &diag, &opts, &hooks, &stats,
				      &err) != EDI_OK) {
			cli_error("cannot read '%s': %s", path, err.msg);
			rc = EXIT_NOINPUT;
			goto out;
		}
	}
	if (!a->c.n) {
		cli_error("%s: no interchange to acknowledge (%s)", path,
			  diag.n ? diag.items[0].msg : "no ISA");
		rc = EXIT_DATAERR;
		goto out;
	}
	rc = answer(a, path, type, control);
out:
	x12_reader_release(&reader);
	edi_diag_release(&diag);
	if (fd > 0)
		close(fd);
	return rc;
}

int cmd_ack(int argc, char **argv, const struct cli_global *g)
{
	struct ack_run a;
	struct registry reg;
	struct edi_diag errors;
	const char *type = NULL, *partner = NULL, *file = NULL;
	const char *maps_dir = NULL, *partners_dir = NULL;
	size_t control = 1;
	int rc;

	(void)g;
	memset(&a, 0, sizeof(a));
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (cli_is_help(opt)) {
			fputs(ack_usage, stdout);
			return EXIT_OK_;
		}
		if (!strcmp(opt, "--type") || !strcmp(opt, "--partner") ||
		    !strcmp(opt, "--control") || !strcmp(opt, "--maps") ||
		    !strcmp(opt, "--partners")) {
			if (!next) {
				cli_error("ack: %s needs a value", opt);
				return EXIT_USAGE;
			}
			i++;
			if (!strcmp(opt, "--type"))
				type = next;
			else if (!strcmp(opt, "--partner"))
				partner = next;
			else if (!strcmp(opt, "--maps"))
				maps_dir = next;
			else if (!strcmp(opt, "--partners"))
				partners_dir = next;
			else if (!cli_parse_count(opt, next, &control) ||
				 control > 999999999)
				return EXIT_USAGE;
		} else if (opt[0] == '-' && opt[1]) {
			cli_error("ack: unknown option '%s'", opt);
			fputs(ack_usage, stderr);
			return EXIT_USAGE;
		} else if (file) {
			cli_error("ack: one file at a time");
			return EXIT_USAGE;
		} else {
			file = opt;
		}
	}
	if (!file) {
		cli_error("ack: name the file to acknowledge");
		fputs(ack_usage, stderr);
		return EXIT_USAGE;
	}
	if (type && strcmp(type, "997") && strcmp(type, "999") &&
	    strcmp(type, "ta1")) {
		cli_error("ack: --type must be 997, 999 or ta1, not '%s'",
			  type);
		return EXIT_USAGE;
	}
	rc = cli_load_registry(&reg, maps_dir, partners_dir, &errors);
	if (rc != EXIT_OK_)
		return rc;
	a.reg = &reg;
	if (partner && !(a.forced = registry_partner(&reg, partner))) {
		cli_error("ack: no partner profile '%s'", partner);
		registry_release(&reg);
		return EXIT_USAGE;
	}
	ack_collector_init(&a.c);
	rc = ack_file(&a, file, type, control);
	ack_collector_release(&a.c);
	registry_release(&reg);
	if (fflush(stdout) != 0) {
		cli_error("cannot write the output: %s", strerror(errno));
		return EXIT_SOFTWARE;
	}
	return rc;
}
