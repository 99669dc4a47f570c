/*
 * cmd_emit - `edigate emit FILE --partner ID [--doc 855|856|810|850]`.
 *
 * Canonical records (JSON Lines; "-" reads stdin) to one outbound X12
 * interchange on stdout, through the partner's maps run backwards
 * (outbound_emit).  No spool is needed and no journal counter is used:
 * ISA13 is --control (default 1), the groups' GS06 count up from it.
 * Records that cannot be mapped are reported on stderr with their id and
 * the field, segment and element; the others still come out (exit 65).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "outbound_emit.h"
#include "x12_emit.h"

#define EMIT_INPUT_MAX ((size_t)256 << 20)

static const char emit_usage[] =
	"usage: edigate emit FILE --partner ID [--doc 850|855|856|810]\n"
	"                    [--control N] [--version V] [--maps DIR]\n"
	"                    [--partners DIR]\n"
	"\n"
	"Turn canonical records (JSON Lines, one record a line; '-' reads\n"
	"stdin) into one outbound X12 interchange on stdout: a functional\n"
	"group per document type, a transaction set per record, through the\n"
	"partner's maps run backwards, with the envelope of the partner's\n"
	"profile (x12: ids, delimiters, version, usage).  The document of a\n"
	"record is its doc_type (order 850, order_response 855,\n"
	"despatch_advice 856, invoice 810) unless --doc says.  A record that\n"
	"cannot be mapped is reported on stderr with its id, field, segment\n"
	"and element; the others still come out.  No spool is used: control\n"
	"numbers are not taken from the journal (see 'run' and erp-in/).\n"
	"\n"
	"  --partner ID     the partner profile (required)\n"
	"  --doc DOC        850, 855, 856 or 810 for every record\n"
	"  --control N      ISA13 and the first GS06 (default 1)\n"
	"  --version V      GS08 instead of the profile's (e.g. 005010)\n"
	"  --maps DIR       maps folder (default ./maps, else the installed "
	"maps)\n"
	"  --partners DIR   partner profiles (default ./partners)\n"
	"\n"
	"Exit: 0 every record written, 65 a record could not be mapped, 64\n"
	"usage, 66 the input cannot be read, 78 a map or profile mistake.\n";

struct fixed_control {
	uint64_t isa13, gs06;
};

static enum edi_code fixed_next(void *ctx, const char *which, uint64_t *value,
				struct edi_error *err)
{
	struct fixed_control *c = ctx;

	(void)err;
	*value = !strcmp(which, "isa13") ? c->isa13 : c->gs06++;
	return EDI_OK;
}

static int read_input(const char *file, struct buf *in)
{
	struct edi_error err;
	char chunk[65536];
	size_t n;

	if (strcmp(file, "-")) {
		if (fileio_read_all(file, EMIT_INPUT_MAX, in, &err) == EDI_OK)
			return EXIT_OK_;
		cli_error("%s", err.msg);
		return err.code == EDI_ELIMIT ? EXIT_DATAERR : EXIT_NOINPUT;
	}
	buf_init(in, EMIT_INPUT_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		if (buf_add(in, chunk, n) != EDI_OK) {
			cli_error("standard input is larger than %zu bytes",
				  EMIT_INPUT_MAX);
			return EXIT_DATAERR;
		}
	if (ferror(stdin)) {
		cli_error("cannot read standard input: %s", strerror(errno));
		return EXIT_NOINPUT;
	}
	return EXIT_OK_;
}

static void print_diag(const char *file, const struct edi_diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		fprintf(stderr, "%s: %s\n", file, d->items[i].msg);
	if (edi_diag_dropped(d))
		fprintf(stderr, "%s: %zu more problems not shown\n", file,
			edi_diag_dropped(d));
}

int cmd_emit(int argc, char **argv, const struct cli_global *g)
{
	const char *file = NULL, *partner = NULL, *doc = NULL;
	const char *version = NULL, *maps = NULL, *partners = NULL;
	struct fixed_control ctl = {1, 1};
	struct outbound_recs recs;
	struct outbound_opts o;
	struct registry reg;
	struct edi_diag diag, errors;
	struct edi_error err;
	const struct partner *p;
	struct buf in, out;
	size_t nsets = 0, nfailed = 0;
	int rc;

	(void)g;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (cli_is_help(a)) {
			fputs(emit_usage, stdout);
			return EXIT_OK_;
		}
		if (!strcmp(a, "--partner") || !strcmp(a, "--doc") ||
		    !strcmp(a, "--control") || !strcmp(a, "--version") ||
		    !strcmp(a, "--maps") || !strcmp(a, "--partners")) {
			const char *v = i + 1 < argc ? argv[++i] : NULL;
			size_t n;
			if (!v) {
				cli_error("%s needs an argument", a);
				return EXIT_USAGE;
			}
			if (!strcmp(a, "--partner"))
				partner = v;
			else if (!strcmp(a, "--doc"))
				doc = v;
			else if (!strcmp(a, "--version"))
				version = v;
			else if (!strcmp(a, "--maps"))
				maps = v;
			else if (!strcmp(a, "--partners"))
				partners = v;
			else if (!cli_parse_count("--control", v, &n) ||
				 n > 999999999) {
				cli_error("--control takes 1 to 999999999");
				return EXIT_USAGE;
			} else
				ctl.isa13 = ctl.gs06 = n;
		} else if (a[0] == '-' && a[1]) {
			cli_error("unknown option '%s'", a);
			fputs(emit_usage, stderr);
			return EXIT_USAGE;
		} else if (file) {
			cli_error("emit takes one FILE");
			return EXIT_USAGE;
		} else {
			file = a;
		}
	}
	if (!file || !partner) {
		cli_error(!file ? "emit needs a FILE ('-' for stdin)"
				: "emit needs --partner ID");
		fputs(emit_usage, stderr);
		return EXIT_USAGE;
	}
	if (doc && !x12_emit_functional_id(doc)) {
		cli_error("--doc takes 850, 855, 856 or 810, not '%s'", doc);
		return EXIT_USAGE;
	}
	rc = cli_load_registry(&reg, maps, partners, &errors);
	if (rc != EXIT_OK_)
		return rc;
	p = registry_partner(&reg, partner);
	if (!p) {
		cli_error("no partner profile '%s'", partner);
		registry_release(&reg);
		return EXIT_CONFIG;
	}
	rc = read_input(file, &in);
	if (rc != EXIT_OK_) {
		registry_release(&reg);
		return rc;
	}
	edi_diag_init(&diag, 1000);
	buf_init(&out, SIZE_MAX / 2);
	memset(&o, 0, sizeof(o));
	o.version = version;
	o.now = time(NULL);
	o.next_control = fixed_next;
	o.ctx = &ctl;
	if (outbound_parse(buf_view(&in), doc, &recs, &diag, &err) ||
	    outbound_emit(&reg, p, &recs, &o, &out, &nsets, &diag, &err)) {
		cli_error("%s", err.msg);
		rc = err.code == EDI_ECONFIG ? EXIT_CONFIG : EXIT_DATAERR;
	}
	print_diag(strcmp(file, "-") ? file : "stdin", &diag);
	for (size_t i = 0; i < recs.n; i++)
		nfailed += recs.v[i].failed;
	if (!rc && out.len && fwrite(out.ptr, 1, out.len, stdout) != out.len) {
		cli_error("cannot write the interchange: %s", strerror(errno));
		rc = EXIT_SOFTWARE;
	}
	if (!rc && (nfailed || diag.nerrors))
		rc = EXIT_DATAERR;
	if (recs.n)
		fprintf(stderr,
			"%s: %zu records: %zu sets written, %zu "
			"rejected\n",
			strcmp(file, "-") ? file : "stdin", recs.n, nsets,
			nfailed);
	outbound_recs_release(&recs);
	edi_diag_release(&diag);
	buf_release(&out);
	buf_release(&in);
	registry_release(&reg);
	return rc;
}
