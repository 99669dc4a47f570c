/*
 * pipeline_entry - one claimed entry: translate it, deliver its records
 * into the group's batches, journal it, stage the partner's
 * acknowledgment, write reason.json.  See pipeline_int.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "acks.h"
#include "deliver_rest.h"
#include "flat_map.h"
#include "json_out.h"
#include "log.h"
#include "map_exec.h"
#include "outbound_erp.h"
#include "rec_csv.h"
#include "rec_json.h"
#include "report.h"
#include "spool_move.h"
#include "x12_translate.h"
#include "xalloc.h"

/* --- one entry: translate, deliver into the group's batches, journal --- */

const struct config_output *pipeline_output_named(const struct config *cfg,
						  const char *name)
{
	for (size_t i = 0; i < cfg->noutputs; i++)
		if (!strcmp(cfg->outputs[i].name, name))
			return &cfg->outputs[i];
	return NULL;
}

static enum edi_code deliver(struct group *g, struct entry *e,
			     struct edi_error *err)
{
	const struct config *cfg = g->p->cfg;
	const struct partner *pt = e->partner;
	size_t nouts = pt && pt->noutputs ? pt->noutputs : cfg->noutputs;
	enum edi_code rc;

	for (size_t i = 0; i < e->nnotes; i++) {
		struct rec_note *n = &e->notes[i];
		struct journal_set js;
		memset(&js, 0, sizeof(js));
		str_copy(js.id, sizeof(js.id), n->id);
		str_copy(js.entry_id, sizeof(js.entry_id), e->id);
		str_copy(js.doc_key, sizeof(js.doc_key), n->doc_key);
		str_copy(js.partner, sizeof(js.partner), pt ? pt->id : "");
		str_copy(js.doc_type, sizeof(js.doc_type), n->doc_type);
		str_copy(js.st01, sizeof(js.st01), n->st01);
		str_copy(js.isa13, sizeof(js.isa13), n->isa13);
		str_copy(js.gs06, sizeof(js.gs06), n->gs06);
		str_copy(js.st02, sizeof(js.st02), n->st02);
		js.status =
			n->alive ? JOURNAL_SET_ACCEPTED : JOURNAL_SET_REJECTED;
		js.created_at = js.updated_at = (int64_t)g->now;
		if (!n->alive) {
			/* a rejected copy (a duplicate interchange, say) must
			 * not overwrite what another entry delivered */
			struct journal_set old;
			if (journal_set_get(g->p->journal, n->id, &old, err) ==
				    EDI_OK &&
			    strcmp(old.entry_id, e->id))
				continue;
		}
		rc = journal_set_put(g->p->journal, &js, err);
		if (rc)
			return rc;
		if (!n->alive || n->internal)
			continue;
		for (size_t k = 0; k < nouts; k++) {
			const struct config_output *out =
				pt && pt->noutputs
					? pipeline_output_named(cfg,
								pt->outputs[k])
					: &cfg->outputs[k];
			struct batch *b;
			bool done = false;
			if (!out)
				continue; /* partners --check reports it */
			rc = journal_delivered(g->p->journal, n->id, out->name,
					       &done, err);
			if (rc)
				return rc;
			if (done)
				continue; /* never twice */
			b = pipeline_batch_for(g, out, n->doc_type, err);
			if (!b)
				return err->code;
			rc = pipeline_batch_append(
				b,
				out->format == CONFIG_FORMAT_CSV
					? sv_make(e->csv.ptr + n->csv_off,
						  n->csv_len)
					: sv_make(e->json.ptr + n->json_off,
						  n->json_len),
				err);
			if (!rc)
				rc = journal_deliver(g->p->journal, n->id,
						     out->name, b->name,
						     (int64_t)g->now, err);
			if (rc)
				return rc;
			g->stats->records++;
		}
	}
	return EDI_OK;
}

/* reason.json for an entry going to error/ */
static void reason_json(struct group *g, struct entry *e, struct buf *out)
{
	struct json_out j;
	char first[24], last[24];
	struct buf old;
	struct edi_error err;
	char path[FILEIO_PATH_MAX];

	pipeline_iso_time(g->now, last);
	str_copy(first, sizeof(first), last);
	/* a replayed entry keeps its first failure time */
	if (!fileio_join(path, sizeof(path), e->dir, SPOOL_REASON_FILE, &err) &&
	    !fileio_read_all(path, SPOOL_REASON_MAX, &old, &err)) {
		json_error_t je;
		json_t *root = json_loadb(old.ptr, old.len, 0, &je);
		const char *f = json_string_value(
			json_object_get(root, "first_failure"));
		if (f)
			str_copy(first, sizeof(first), f);
		json_decref(root);
		buf_release(&old);
	}
	json_out_init(&j, out);
	json_obj_begin(&j);
	json_key(&j, "entry");
	json_str(&j, e->id);
	json_key(&j, "file");
	json_str(&j, e->meta.name);
	json_key(&j, "stage");
	json_str(&j, e->stage ? e->stage : "deliver");
	if (e->partner) {
		json_key(&j, "partner");
		json_str(&j, e->partner->id);
	}
	json_key(&j, "attempts");
	json_u64(&j, e->attempts);
	json_key(&j, "first_failure");
	json_str(&j, first);
	json_key(&j, "last_failure");
	json_str(&j, last);
	json_key(&j, "errors");
	pipeline_errors_json(&j, &e->file_diag);
	json_key(&j, "sets_rejected");
	json_u64(&j, e->nrejected);
	json_obj_end(&j);
	/* the rejected sets, spliced in before the closing brace */
	if (e->sets_json.len && out->len) {
		out->len--; /* '}' */
		buf_adds(out, ",\"sets\":[");
		buf_add(out, e->sets_json.ptr, e->sets_json.len);
		buf_adds(out, "]}");
	}
}

size_t pipeline_alive_count(const struct entry *e)
{
	size_t n = 0;

	for (size_t i = 0; i < e->nnotes; i++)
		n += e->notes[i].alive;
	return n;
}

static void entry_release(struct entry *e)
{
	free(e->notes);
	free(e->isas);
	buf_release(&e->json);
	buf_release(&e->csv);
	buf_release(&e->line);
	buf_release(&e->sets_json);
	edi_diag_release(&e->file_diag);
	ack_collector_release(&e->acks);
	ack_matches_release(&e->acks_in);
}

enum edi_code pipeline_process_entry(struct group *g, const char *id,
				     struct edi_error *err)
{
	struct pipeline *p = g->p;
	struct entry e;
	struct journal_file jf;
	enum edi_code rc;
	bool to_error;

	memset(&e, 0, sizeof(e));
	ack_collector_init(&e.acks);
	str_copy(e.id, sizeof(e.id), id);
	buf_init(&e.json, SIZE_MAX / 2);
	buf_init(&e.csv, SIZE_MAX / 2);
	buf_init(&e.line, SIZE_MAX / 2);
	buf_init(&e.sets_json, SIZE_MAX / 2);
	edi_diag_init(&e.file_diag, p->cfg->limits.max_errors);
	rc = spool_meta_read(p->spool, SPOOL_WORK, id, &e.meta, err);
	if (!rc)
		rc = spool_entry_path(p->spool, SPOOL_WORK, id, e.dir,
				      sizeof(e.dir), err);
	if (rc)
		goto out;
	if (deliver_rest_source(e.meta.source)) {
		/* a REST record back from error/, hold/ or a dead run */
		enum spool_state to;
		rc = deliver_rest_route(p->journal, &e.meta, g->now, &to, err);
		if (rc)
			goto out;
		g->moves = xreallocarray(g->moves, g->nmoves + 1,
					 sizeof(*g->moves));
		str_copy(g->moves[g->nmoves].id, sizeof(g->moves[0].id), id);
		g->moves[g->nmoves].to_error = false;
		g->moves[g->nmoves].to_deferred = to == SPOOL_DEFERRED;
		g->nmoves++;
		goto out;
	}
	memset(&jf, 0, sizeof(jf));
	if (journal_file_get(p->journal, id, &jf, err) == EDI_OK)
		e.attempts = jf.attempts;
	e.attempts++;
	if (!g->first_id[0]) {
		str_copy(g->first_id, sizeof(g->first_id), id);
		g->first_attempt = e.attempts;
	}
	if (outbound_erp_source(e.meta.source)) { /* ERP records out */
		struct outbound_erp_result er;
		rc = outbound_erp_entry(p->reg, p->journal, &g->outbox, e.dir,
					&e.meta, g->now, &er, &e.file_diag,
					err);
		e.partner = er.partner;
		e.stage = er.stage;
		e.nrejected = er.failed;
		g->stats->outbound_sets += er.sent;
	} else {
		rc = pipeline_translate_entry(g, &e, err);
	}
	if (!rc && e.journal_failed) {
		*err = e.journal_error;
		rc = EDI_EIO;
	}
	if (rc == EDI_EIO || rc == EDI_ENOMEM || rc == EDI_ETEMP)
		goto out; /* the entry stays in work/; recovery retries it */
	rc = EDI_OK;
	/* the journal: the file, its sets and deliveries, its events */
	memset(&jf, 0, sizeof(jf));
	str_copy(jf.entry_id, sizeof(jf.entry_id), id);
	str_copy(jf.name, sizeof(jf.name), e.meta.name);
	str_copy(jf.partner, sizeof(jf.partner),
		 e.partner ? e.partner->id : e.meta.partner);
	str_copy(jf.sha256, sizeof(jf.sha256), e.meta.sha256);
	to_error = e.stage || e.nrejected || e.file_diag.nerrors;
	str_copy(jf.state, sizeof(jf.state), to_error ? "error" : "archive");
	str_copy(jf.stage, sizeof(jf.stage),
		 to_error ? (e.stage ? e.stage : "validate") : "");
	jf.size = e.meta.size;
	jf.received_at = (int64_t)e.meta.received;
	jf.updated_at = (int64_t)g->now;
	jf.attempts = e.attempts;
	rc = journal_file_put(p->journal, &jf, err);
	if (!rc)
		rc = deliver(g, &e, err);
	if (rc)
		goto out;
	for (size_t i = 0; !rc && !to_error && i < e.nisas; i++)
		rc = journal_interchange_add(
			p->journal, e.isas[i].sender, e.isas[i].receiver,
			e.isas[i].control, id, (int64_t)g->now, err);
	if (rc)
		goto out;
	{
		char detail[200];
		snprintf(detail, sizeof(detail),
			 "attempt %u: %zu sets accepted, %zu rejected%s%s",
			 e.attempts, pipeline_alive_count(&e), e.nrejected,
			 to_error ? "; stage " : "",
			 to_error ? (e.stage ? e.stage : "validate") : "");
		rc = journal_event(p->journal, id, NULL, "processed", detail,
				   (int64_t)g->now, err);
		if (!rc)
			rc = journal_event(p->journal, id, NULL,
					   to_error ? "error" : "archived",
					   e.stage ? e.stage : "",
					   (int64_t)g->now, err);
		for (size_t i = 0; !rc && i < e.nnotes; i++)
			rc = journal_event(
				p->journal, id, e.notes[i].id,
				e.notes[i].alive ? "accepted" : "rejected",
				e.notes[i].doc_key, (int64_t)g->now, err);
	}
	if (!rc && e.acks_in.n && e.partner) { /* their 997s of our sets */
		size_t nmatched = 0, nunknown = 0;
		for (size_t i = 0; i < e.acks_in.n; i++) /* group dropped? */
			e.acks_in.v[i].dropped =
				!e.notes[e.acks_in.v[i].tag].alive;
		rc = ack_match_apply(p->journal, e.partner->id, &e.acks_in, id,
				     (int64_t)g->now, &nmatched, &nunknown,
				     err);
		g->stats->acks_matched += nmatched;
	}
	if (!rc) { /* the partner's 997/999/TA1, staged with this group */
		size_t nacks = 0;
		rc = acks_stage(p->reg, p->journal, &g->outbox, &e.acks, id,
				strchr(e.meta.source, ':') ? e.meta.partner
							   : NULL,
				g->now, &nacks, err);
		g->stats->acks += nacks;
	}
	if (rc)
		goto out;
	if (to_error) {
		struct buf reason;
		buf_init(&reason, SPOOL_REASON_MAX);
		reason_json(g, &e, &reason);
		rc = spool_write_reason(p->spool, id, reason.ptr, reason.len,
					err);
		buf_release(&reason);
		if (rc)
			goto out;
	}
	g->moves = xreallocarray(g->moves, g->nmoves + 1, sizeof(*g->moves));
	str_copy(g->moves[g->nmoves].id, sizeof(g->moves[0].id), id);
	g->moves[g->nmoves].to_error = to_error;
	g->moves[g->nmoves].to_deferred = false;
	g->nmoves++;
	g->stats->files++;
	if (to_error)
		g->stats->errored++;
	else
		g->stats->archived++;
	{ /* one line per file: on a terminal, with -v or --log-json */
		char name[SPOOL_NAME_MAX];
		spool_stored_name(e.meta.name, name);
		for (char *q = name; (q = strchr(q, '"')) != NULL;)
			*q = '_'; /* the value is quoted in the line */
		log_event(LOG_INFO, to_error ? "error" : "archived", id,
			  "file=\"%s\" partner=%s accepted=%zu rejected=%zu "
			  "stage=%s",
			  name,
			  e.partner	      ? e.partner->id
			  : e.meta.partner[0] ? e.meta.partner
					      : "-",
			  pipeline_alive_count(&e), e.nrejected,
			  to_error ? (e.stage ? e.stage : "validate") : "-");
	}
out:
	entry_release(&e);
	return rc;
}
