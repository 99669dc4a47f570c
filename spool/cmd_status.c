/*
 * cmd_status - the operator's read-only views: `edigate trace KEY` (an
 * entry's or a document's history from the journal, with its outbound
 * sets and their acknowledgments) and `edigate status` (counts per spool
 * state, per partner, acknowledgments and REST breakers; --json for
 * scripts).  Split from cmd_ops.c, which keeps the commands that move
 * entries.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "acks_report.h"
#include "buf.h"
#include "cli.h"
#include "deliver_rest.h"
#include "fileio.h"
#include "json_out.h"
#include "report.h"
#include "spool_move.h"

/* --- trace --- */

struct trace_ctx {
	size_t n;
	char last_entry[JOURNAL_ID_MAX];
};

static enum edi_code trace_one(void *ctx, const struct journal_event_row *ev,
			       struct edi_error *err)
{
	struct trace_ctx *c = ctx;
	char when[24];
	struct tm tm;
	time_t t = (time_t)ev->at;

	(void)err;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%SZ", &tm);
	if (strcmp(c->last_entry, ev->entry_id)) {
		printf("entry %s\n", ev->entry_id);
		snprintf(c->last_entry, sizeof(c->last_entry), "%s",
			 ev->entry_id);
	}
	printf("  %s  %-10s %s%s%s\n", when, ev->event,
	       ev->set_id && *ev->set_id ? ev->set_id : "",
	       ev->set_id && *ev->set_id && ev->detail && *ev->detail ? " "
								      : "",
	       ev->detail ? ev->detail : "");
	c->n++;
	return EDI_OK;
}

int cmd_trace(int argc, char **argv, const struct cli_global *g)
{
	struct cli_env env;
	struct trace_ctx c;
	struct edi_error err;
	static const enum spool_state states[] = {
		SPOOL_IN, SPOOL_WORK, SPOOL_ERROR, SPOOL_HOLD, SPOOL_ARCHIVE};
	int rc;

	if (argc == 2 && cli_is_help(argv[1])) {
		puts("usage: edigate trace KEY\n\n"
		     "Where a document is and every state it went through, "
		     "with times.  KEY is\nan entry id, a record id, an "
		     "order or invoice number (the business key),\nor an "
		     "interchange control number (ISA13).");
		return EXIT_OK_;
	}
	if (argc != 2) {
		cli_error("trace: name one key (entry id, record id, order "
			  "number or ISA13)");
		return EXIT_USAGE;
	}
	rc = cli_env_open(&env, g, false);
	if (rc)
		return rc;
	memset(&c, 0, sizeof(c));
	if (journal_trace(env.journal, argv[1], trace_one, &c, &err) !=
		    EDI_OK &&
	    err.code != EDI_ENOENT) {
		cli_error("trace: %s", err.msg);
		cli_env_close(&env);
		return EXIT_SOFTWARE;
	}
	{ /* what edigate sent under that key, and the partner's 997 */
		struct buf ob;
		size_t nout = 0;
		buf_init(&ob, SIZE_MAX / 2);
		if (acks_trace(env.journal, argv[1], (int64_t)time(NULL), &ob,
			       &nout, &err) == EDI_OK)
			fwrite(ob.ptr ? ob.ptr : "", 1, ob.len, stdout);
		buf_release(&ob);
		c.n += nout;
	}
	{ /* REST deliveries of the record, or of the record entry */
		struct buf rb;
		size_t nrest = 0;
		buf_init(&rb, SIZE_MAX / 2);
		if (deliver_rest_trace(env.journal, argv[1], &rb, &nrest,
				       &err) == EDI_OK)
			fwrite(rb.ptr ? rb.ptr : "", 1, rb.len, stdout);
		buf_release(&rb);
		c.n += nrest;
	}
	/* how it came (SFTP pull, AS2) or went: the transfers table */
	c.n += cli_transfer_trace(env.journal, argv[1]);
	if (c.n && spool_id_valid(c.last_entry)) {
		struct spool_meta meta;
		for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
			if (spool_meta_read(&env.spool, states[i], c.last_entry,
					    &meta, &err) == EDI_OK) {
				printf("now in %s/\n",
				       spool_state_name(states[i]));
				break;
			}
	}
	cli_env_close(&env);
	if (!c.n) {
		cli_error("trace: nothing known about '%s'", argv[1]);
		return EXIT_NOINPUT;
	}
	return EXIT_OK_;
}

/* --- status --- */

struct count_ctx {
	size_t n;
};

static enum edi_code count_one(void *ctx, const char *id, struct edi_error *err)
{
	(void)id;
	(void)err;
	((struct count_ctx *)ctx)->n++;
	return EDI_OK;
}

struct status_ctx {
	struct json_out *j;
	struct buf *out;
};

static enum edi_code status_row(void *ctx, const struct journal_count *c,
				struct edi_error *err)
{
	struct status_ctx *s = ctx;

	(void)err;
	if (s->j) {
		json_obj_begin(s->j);
		json_key(s->j, "kind");
		json_str(s->j,
			 c->kind == JOURNAL_COUNT_FILES ? "files" : "sets");
		json_key(s->j, "partner");
		json_str(s->j, c->partner);
		json_key(s->j, "state");
		json_str(s->j, c->state);
		json_key(s->j, "count");
		json_i64(s->j, c->n);
		json_obj_end(s->j);
	} else {
		buf_addf(s->out, "  %-5s %-16s %-10s %lld\n",
			 c->kind == JOURNAL_COUNT_FILES ? "files" : "sets",
			 *c->partner ? c->partner : "(unknown)", c->state,
			 (long long)c->n);
	}
	return EDI_OK;
}

int cmd_status(int argc, char **argv, const struct cli_global *g)
{
	static const enum spool_state states[] = {
		SPOOL_IN,   SPOOL_WORK,	    SPOOL_ERROR,
		SPOOL_HOLD, SPOOL_DEFERRED, SPOOL_ARCHIVE};
	struct cli_env env;
	struct buf out;
	struct json_out j;
	struct status_ctx sc;
	struct edi_error err;
	bool json = false;
	int rc;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			puts("usage: edigate status [--json]\n\nEntries per "
			     "spool state, and files and transaction sets per "
			     "partner\nand state from the journal; REST "
			     "outputs with their breakers\nand records "
			     "pending, sent and failed.");
			return EXIT_OK_;
		}
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else {
			cli_error("status: unknown argument '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	rc = cli_env_open(&env, g, false);
	if (rc)
		return rc;
	buf_init(&out, SIZE_MAX / 2);
	if (json) {
		json_out_init(&j, &out);
		json_obj_begin(&j);
		json_key(&j, "spool");
		json_str(&j, env.cfg.spool_dir);
		json_key(&j, "states");
		json_obj_begin(&j);
	} else {
		buf_addf(&out, "spool %s\n", env.cfg.spool_dir);
	}
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		struct count_ctx c = {0};
		spool_list(&env.spool, states[i], count_one, &c, &err);
		if (states[i] == SPOOL_IN)
			spool_list_drops(&env.spool, count_one, &c, &err);
		if (json) {
			json_key(&j, spool_state_name(states[i]));
			json_u64(&j, c.n);
		} else {
			buf_addf(&out, "  %-9s %zu\n",
				 spool_state_name(states[i]), c.n);
		}
	}
	if (json) {
		json_obj_end(&j);
		json_key(&j, "journal");
		json_arr_begin(&j);
	} else {
		buf_adds(&out, "journal:\n");
	}
	sc.j = json ? &j : NULL;
	sc.out = &out;
	rc = journal_status(env.journal, status_row, &sc, &err) == EDI_OK
		     ? EXIT_OK_
		     : EXIT_SOFTWARE;
	if (json)
		json_arr_end(&j);
	/* rest outputs: breakers and records waiting */
	if (deliver_rest_status(&env.cfg, &env.spool, env.journal,
				json ? &j : NULL, &out, &err) != EDI_OK) {
		cli_error("status: %s", err.msg);
		rc = EXIT_SOFTWARE;
	}
	/* outbound sets and the partners' 997s of them */
	if (acks_status(env.journal, (int64_t)time(NULL), json ? &j : NULL,
			&out, &err) != EDI_OK) {
		cli_error("status: %s", err.msg);
		rc = EXIT_SOFTWARE;
	}
	if (json) {
		json_obj_end(&j);
		buf_addc(&out, '\n');
	}
	fwrite(out.ptr, 1, out.len, stdout);
	buf_release(&out);
	cli_env_close(&env);
	return rc;
}
