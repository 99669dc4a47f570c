/*
 * cmd_ops - the operator's commands on the spool: errors, errors show,
 * replay, hold, release (trace and status are in cmd_status.c).
 *
 * Every id given on the command line is checked with spool_id_valid()
 * before it is used; a wrong or unknown id is a clear error (exit 64 or
 * 66).  Nothing here translates: replay moves an entry back to in/ and
 * the next `edigate run` processes it (with the maps and profiles as
 * they are then).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "acks_report.h"
#include "cli.h"
#include "deliver_rest.h"
#include "fileio.h"
#include "json_out.h"
#include "report.h"
#include "spool_move.h"

/* --- reading reason.json --- */

static json_t *read_reason(const struct spool *sp, enum spool_state state,
			   const char *id)
{
	char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
	struct edi_error err;
	struct buf text;
	json_error_t je;
	json_t *root;

	if (spool_entry_path(sp, state, id, dir, sizeof(dir), &err) ||
	    fileio_join(path, sizeof(path), dir, SPOOL_REASON_FILE, &err) ||
	    fileio_read_all(path, SPOOL_REASON_MAX, &text, &err))
		return NULL;
	root = json_loadb(text.ptr, text.len, 0, &je);
	buf_release(&text);
	return root;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* One error object of reason.json as a text line. */
static void error_line(struct buf *out, const char *indent, json_t *e)
{
	json_t *ack = json_object_get(e, "ack");

	buf_adds(out, indent);
	if (json_integer_value(json_object_get(e, "segment")))
		buf_addf(out, "segment %lld (%s), ",
			 json_integer_value(json_object_get(e, "segment")),
			 jstr(e, "tag"));
	if (json_integer_value(json_object_get(e, "element")))
		buf_addf(out, "element %lld, ",
			 json_integer_value(json_object_get(e, "element")));
	if (json_object_get(e, "offset"))
		buf_addf(out, "offset %lld: ",
			 json_integer_value(json_object_get(e, "offset")));
	buf_adds(out, jstr(e, "message"));
	if (ack)
		buf_addf(out, " (%s %lld)", jstr(ack, "element"),
			 json_integer_value(json_object_get(ack, "code")));
	buf_addc(out, '\n');
}

/* The first error message of an entry, for the listing. */
static const char *first_error(json_t *reason)
{
	json_t *errors = json_object_get(reason, "errors");
	json_t *sets = json_object_get(reason, "sets");

	if (json_array_size(errors))
		return jstr(json_array_get(errors, 0), "message");
	if (json_array_size(sets)) {
		json_t *se = json_object_get(json_array_get(sets, 0), "errors");
		if (json_array_size(se))
			return jstr(json_array_get(se, 0), "message");
	}
	return "";
}

/* --- errors --- */

struct list_ctx {
	const struct spool *sp;
	struct buf *out;
	struct json_out *j;
	const char *partner;
	size_t n;
};

static enum edi_code list_one(void *ctx, const char *id, struct edi_error *err)
{
	struct list_ctx *c = ctx;
	json_t *reason = read_reason(c->sp, SPOOL_ERROR, id);
	struct spool_meta meta;
	const char *partner;

	(void)err;
	memset(&meta, 0, sizeof(meta));
	spool_meta_read(c->sp, SPOOL_ERROR, id, &meta, err);
	partner = reason && *jstr(reason, "partner") ? jstr(reason, "partner")
						     : meta.partner;
	if (c->partner && strcmp(c->partner, partner)) {
		json_decref(reason);
		return EDI_OK;
	}
	c->n++;
	if (c->j) {
		json_obj_begin(c->j);
		json_key(c->j, "id");
		json_str(c->j, id);
		json_key(c->j, "file");
		json_str(c->j, meta.name);
		json_key(c->j, "partner");
		json_str(c->j, partner);
		json_key(c->j, "stage");
		json_str(c->j, reason ? jstr(reason, "stage") : "");
		json_key(c->j, "attempts");
		json_u64(c->j,
			 reason ? (uint64_t)json_integer_value(
					  json_object_get(reason, "attempts"))
				: 0);
		json_key(c->j, "last_failure");
		json_str(c->j, reason ? jstr(reason, "last_failure") : "");
		json_key(c->j, "error");
		json_str(c->j, reason ? first_error(reason) : "");
		json_obj_end(c->j);
	} else {
		buf_addf(c->out, "%-36s %-8s %-10s %s: %s\n", id,
			 reason ? jstr(reason, "stage") : "?",
			 *partner ? partner : "-", meta.name,
			 reason ? first_error(reason) : "(no reason.json)");
	}
	json_decref(reason);
	return EDI_OK;
}

static int errors_show(struct cli_env *env, const char *id)
{
	enum spool_state where = SPOOL_ERROR;
	struct buf out;
	json_t *reason, *sets, *errors;
	struct spool_meta meta;
	struct edi_error err;

	if (!spool_id_valid(id)) {
		cli_error("errors show: '%s' is not an entry id", id);
		return EXIT_USAGE;
	}
	if (spool_meta_read(&env->spool, SPOOL_ERROR, id, &meta, &err) !=
	    EDI_OK) {
		where = SPOOL_HOLD;
		if (spool_meta_read(&env->spool, SPOOL_HOLD, id, &meta, &err) !=
		    EDI_OK) {
			cli_error("errors show: no entry '%s' in error/ or "
				  "hold/ ('edigate errors' lists them)",
				  id);
			return EXIT_NOINPUT;
		}
	}
	reason = read_reason(&env->spool, where, id);
	buf_init(&out, SIZE_MAX / 2);
	buf_addf(&out, "entry %s (%s)%s\n", id, meta.name,
		 where == SPOOL_HOLD ? ", on hold" : "");
	if (!reason) {
		buf_adds(&out, "no reason.json\n");
	} else {
		buf_addf(&out, "partner %s, stage %s, attempts %lld\n",
			 *jstr(reason, "partner") ? jstr(reason, "partner")
						  : "unknown",
			 jstr(reason, "stage"),
			 json_integer_value(
				 json_object_get(reason, "attempts")));
		buf_addf(&out, "first failure %s, last failure %s\n",
			 jstr(reason, "first_failure"),
			 jstr(reason, "last_failure"));
		if (*jstr(reason, "output")) /* a REST record (deliver_rest) */
			buf_addf(&out,
				 "record %s to output %s (%s), HTTP %lld\n",
				 jstr(reason, "record_id"),
				 jstr(reason, "output"), jstr(reason, "url"),
				 json_integer_value(json_object_get(
					 reason, "http_status")));
		errors = json_object_get(reason, "errors");
		if (json_array_size(errors)) {
			buf_adds(&out, "errors in the file:\n");
			for (size_t i = 0; i < json_array_size(errors); i++)
				error_line(&out, "  ",
					   json_array_get(errors, i));
		}
		sets = json_object_get(reason, "sets");
		for (size_t i = 0; i < json_array_size(sets); i++) {
			json_t *s = json_array_get(sets, i);
			json_t *se = json_object_get(s, "errors");
			if (json_object_get(s, "set"))
				buf_addf(&out,
					 "transaction set %s '%s' at segment "
					 "%lld, rejected (stage %s):\n",
					 jstr(s, "set"), jstr(s, "control"),
					 json_integer_value(
						 json_object_get(s, "segment")),
					 jstr(s, "stage"));
			else
				buf_addf(&out,
					 "document '%s' (lines %lld-%lld), "
					 "rejected (stage %s):\n",
					 jstr(s, "document"),
					 json_integer_value(json_object_get(
						 s, "first_line")),
					 json_integer_value(json_object_get(
						 s, "last_line")),
					 jstr(s, "stage"));
			for (size_t k = 0; k < json_array_size(se); k++)
				error_line(&out, "  ", json_array_get(se, k));
		}
	}
	buf_addf(&out, "\nfix %s, then: edigate replay %s\n",
		 !strcmp(jstr(reason, "stage"), "deliver")
			 ? "the endpoint or the output's settings"
			 : "the partner profile or map",
		 id);
	fwrite(out.ptr, 1, out.len, stdout);
	buf_release(&out);
	json_decref(reason);
	return EXIT_OK_;
}

int cmd_errors(int argc, char **argv, const struct cli_global *g)
{
	struct cli_env env;
	struct buf out;
	struct json_out j;
	struct list_ctx c;
	struct edi_error err;
	bool json = false;
	int rc;

	for (int i = 1; i < argc; i++)
		if (cli_is_help(argv[i])) {
			puts("usage: edigate errors [--json]\n"
			     "       edigate errors show ID\n"
			     "\n"
			     "List the error spool (entries edigate rejected, "
			     "with their stage and\nfirst error), or show one "
			     "entry's reasons: every error with its\nlocation "
			     "and acknowledgment code.  Replay with 'edigate "
			     "replay ID'.");
			return EXIT_OK_;
		}
	if (argc >= 2 && !strcmp(argv[1], "show")) {
		if (argc != 3) {
			cli_error("errors show: name one entry id");
			return EXIT_USAGE;
		}
		rc = cli_env_open(&env, g, false);
		if (rc)
			return rc;
		rc = errors_show(&env, argv[2]);
		cli_env_close(&env);
		return rc;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else {
			cli_error("errors: unknown argument '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	rc = cli_env_open(&env, g, false);
	if (rc)
		return rc;
	buf_init(&out, SIZE_MAX / 2);
	memset(&c, 0, sizeof(c));
	c.sp = &env.spool;
	c.out = &out;
	if (json) {
		json_out_init(&j, &out);
		json_arr_begin(&j);
		c.j = &j;
	}
	rc = spool_list(&env.spool, SPOOL_ERROR, list_one, &c, &err);
	if (json) {
		json_arr_end(&j);
		buf_addc(&out, '\n');
	} else if (!c.n) {
		buf_adds(&out, "the error spool is empty\n");
	}
	fwrite(out.ptr, 1, out.len, stdout);
	buf_release(&out);
	cli_env_close(&env);
	if (rc) {
		cli_error("%s", err.msg);
		return EXIT_SOFTWARE;
	}
	return EXIT_OK_;
}

/* --- replay, hold, release --- */

struct move_ctx {
	struct cli_env *env;
	const char *partner;
	bool dry_run;
	size_t n;
	int rc;
};

static int move_one(struct cli_env *env, const char *cmd, const char *id,
		    enum spool_state from, enum spool_state alt_from,
		    enum spool_state to, bool dry_run)
{
	struct edi_error err;
	struct spool_meta meta;
	enum spool_state at = from;

	if (!spool_id_valid(id)) {
		cli_error("%s: '%s' is not an entry id", cmd, id);
		return EXIT_USAGE;
	}
	if (spool_meta_read(&env->spool, from, id, &meta, &err) != EDI_OK) {
		if (alt_from != from &&
		    spool_meta_read(&env->spool, alt_from, id, &meta, &err) ==
			    EDI_OK) {
			at = alt_from;
		} else if (to == SPOOL_HOLD &&
			   spool_meta_read(&env->spool, SPOOL_DEFERRED, id,
					   &meta, &err) == EDI_OK) {
			at = SPOOL_DEFERRED; /* a delivery waiting to retry */
		} else {
			cli_error("%s: no entry '%s' in %s/", cmd, id,
				  spool_state_name(from));
			return EXIT_NOINPUT;
		}
	}
	if (dry_run) {
		printf("would move %s (%s) from %s/ to %s/\n", id, meta.name,
		       spool_state_name(at), spool_state_name(to));
		return EXIT_OK_;
	}
	if (spool_move(&env->spool, id, at, to, time(NULL), &err) != EDI_OK) {
		cli_error("%s", err.msg);
		return EXIT_SOFTWARE;
	}
	journal_event(env->journal, id, NULL, cmd, spool_state_name(to),
		      (int64_t)time(NULL), &err);
	printf("%s: %s (%s) %s/ -> %s/\n", cmd, id, meta.name,
	       spool_state_name(at), spool_state_name(to));
	return EXIT_OK_;
}

static enum edi_code replay_all_one(void *ctx, const char *id,
				    struct edi_error *err)
{
	struct move_ctx *c = ctx;
	int rc;

	if (c->partner) {
		json_t *reason = read_reason(&c->env->spool, SPOOL_ERROR, id);
		struct spool_meta meta;
		bool match;
		memset(&meta, 0, sizeof(meta));
		spool_meta_read(&c->env->spool, SPOOL_ERROR, id, &meta, err);
		match = !strcmp(reason && *jstr(reason, "partner")
					? jstr(reason, "partner")
					: meta.partner,
				c->partner);
		json_decref(reason);
		if (!match)
			return EDI_OK;
	}
	rc = move_one(c->env, "replay", id, SPOOL_ERROR, SPOOL_ERROR, SPOOL_IN,
		      c->dry_run);
	if (rc && !c->rc)
		c->rc = rc;
	c->n++;
	return EDI_OK;
}

static int moves(int argc, char **argv, const struct cli_global *g,
		 const char *cmd, enum spool_state from,
		 enum spool_state alt_from, enum spool_state to)
{
	struct cli_env env;
	struct move_ctx c;
	struct edi_error err;
	bool all = false, dry_run = false;
	const char *partner = NULL;
	int rc, nids = 0, worst = EXIT_OK_;

	for (int i = 1; i < argc; i++) {
		if (cli_is_help(argv[i])) {
			printf("usage: edigate %s ID...%s\n", cmd,
			       !strcmp(cmd, "replay")
				       ? " | --all [--partner ID] [--dry-run]"
				       : "");
			return EXIT_OK_;
		}
		if (!strcmp(argv[i], "--all") && !strcmp(cmd, "replay")) {
			all = true;
		} else if (!strcmp(argv[i], "--dry-run")) {
			dry_run = true;
		} else if (!strcmp(argv[i], "--partner") && i + 1 < argc) {
			partner = argv[++i];
		} else if (argv[i][0] == '-') {
			cli_error("%s: unknown option '%s'", cmd, argv[i]);
			return EXIT_USAGE;
		} else {
			nids++;
		}
	}
	if (!all && !nids) {
		cli_error("%s: name at least one entry id%s", cmd,
			  !strcmp(cmd, "replay") ? " (or --all)" : "");
		return EXIT_USAGE;
	}
	rc = cli_env_open(&env, g, false);
	if (rc)
		return rc;
	if (all) {
		memset(&c, 0, sizeof(c));
		c.env = &env;
		c.partner = partner;
		c.dry_run = dry_run;
		if (spool_list(&env.spool, SPOOL_ERROR, replay_all_one, &c,
			       &err) != EDI_OK) {
			cli_error("%s", err.msg);
			worst = EXIT_SOFTWARE;
		}
		if (!c.n)
			printf("replay: nothing to replay%s%s\n",
			       partner ? " for partner " : "",
			       partner ? partner : "");
		if (c.rc)
			worst = c.rc;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--partner")) {
			i++;
			continue;
		}
		if (argv[i][0] == '-')
			continue;
		rc = move_one(&env, cmd, argv[i], from, alt_from, to, dry_run);
		if (rc && worst == EXIT_OK_)
			worst = rc;
	}
	cli_env_close(&env);
	return worst;
}

int cmd_replay(int argc, char **argv, const struct cli_global *g)
{
	return moves(argc, argv, g, "replay", SPOOL_ERROR, SPOOL_HOLD,
		     SPOOL_IN);
}

int cmd_hold(int argc, char **argv, const struct cli_global *g)
{
	return moves(argc, argv, g, "hold", SPOOL_ERROR, SPOOL_IN, SPOOL_HOLD);
}

int cmd_release(int argc, char **argv, const struct cli_global *g)
{
	return moves(argc, argv, g, "release", SPOOL_HOLD, SPOOL_HOLD,
		     SPOOL_IN);
}
