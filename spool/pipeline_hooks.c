/*
 * pipeline_hooks - the translator's hooks for one spool entry: the
 * partner and duplicate checks (select_map), records kept for delivery,
 * rejected sets with their reasons, dropped groups, and what the
 * partner's acknowledgment will say; flat files too.  See pipeline_int.h.
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

/* --- hooks for the translator --- */

static const struct map *select_map(void *ctx, const struct x12_envelope *env,
				    struct strview document,
				    struct strview version,
				    const char **partner,
				    struct map_rule_opts *rules,
				    struct x12_veto *veto)
{
	struct hook_ctx *h = ctx;
	struct entry *e = h->e;
	struct pipeline *p = h->g->p;
	const struct partner *pt = registry_partner_for_isa(
		p->reg, env->isa.sender_qual, env->isa.sender,
		env->isa.receiver_qual, env->isa.receiver);
	char key[64], since_entry[JOURNAL_ID_MAX];
	struct edi_error err;
	bool seen = false;

	if (!pt) {
		veto->stage = "partner";
		veto->code = X12_UNKNOWN_PARTNER;
		snprintf(
			veto->msg, sizeof(veto->msg),
			"no partner profile has ISA sender %s:%s (and receiver "
			"%s:%s); onboard it, then replay",
			env->isa.sender_qual, env->isa.sender,
			env->isa.receiver_qual, env->isa.receiver);
		return NULL;
	}
	/* the partner boundary: a file a transport received from partner A
	 * (meta source "sftp:A", "as2:A") may only bring A's interchanges */
	if (strchr(e->meta.source, ':') && e->meta.partner[0] &&
	    strcmp(e->meta.partner, pt->id)) {
		veto->stage = "partner";
		veto->code = X12_WRONG_PARTNER;
		snprintf(veto->msg, sizeof(veto->msg),
			 "received from partner '%s' (%s) but ISA sender %s:%s "
			 "belongs to partner '%s'; not delivered as theirs",
			 e->meta.partner, e->meta.source, env->isa.sender_qual,
			 env->isa.sender, pt->id);
		return NULL;
	}
	*partner = pt->id;
	*rules = pt->rules;
	e->partner = pt;
	/* a duplicate interchange: the same sender, receiver and ISA13 */
	snprintf(key, sizeof(key), "%s:%s|%s:%s|%s", env->isa.sender_qual,
		 env->isa.sender, env->isa.receiver_qual, env->isa.receiver,
		 env->isa.control);
	if (strcmp(key, e->last_isa)) {
		char s[24], r[24];
		str_copy(e->last_isa, sizeof(e->last_isa), key);
		snprintf(s, sizeof(s), "%s:%s", env->isa.sender_qual,
			 env->isa.sender);
		snprintf(r, sizeof(r), "%s:%s", env->isa.receiver_qual,
			 env->isa.receiver);
		e->last_isa_dup = false;
		if (journal_interchange_seen(
			    p->journal, s, r, env->isa.control,
			    (int64_t)h->g->now -
				    (int64_t)p->cfg->duplicates.window_days *
					    86400,
			    &seen, since_entry, sizeof(since_entry),
			    &err) != EDI_OK) {
			/* the journal failed: not "no duplicate"; the entry
			 * is left for the next run */
			e->journal_error = err;
			e->journal_failed = true;
		} else if (seen && strcmp(since_entry, e->id)) {
			e->last_isa_dup = true;
		}
		if (e->last_isa_dup) {
			snprintf(e->veto_msg, sizeof(e->veto_msg),
				 "interchange %s from %s was already received "
				 "in entry %s",
				 env->isa.control, s, since_entry);
		} else {
			e->isas = xreallocarray(e->isas, e->nisas + 1,
						sizeof(*e->isas));
			str_copy(e->isas[e->nisas].sender,
				 sizeof(e->isas[0].sender), s);
			str_copy(e->isas[e->nisas].receiver,
				 sizeof(e->isas[0].receiver), r);
			str_copy(e->isas[e->nisas].control,
				 sizeof(e->isas[0].control), env->isa.control);
			e->nisas++;
		}
	}
	if (e->last_isa_dup) {
		if (p->cfg->duplicates.ignore) {
			e->duplicate_ignored = true;
			veto->stage = NULL;
			veto->skip = true;
			return NULL;
		}
		veto->stage = "envelope";
		veto->code = X12_DUPLICATE;
		snprintf(veto->msg, sizeof(veto->msg), "%s", e->veto_msg);
		return NULL;
	}
	return registry_map_for(p->reg, pt, document, version);
}

static void note_set(struct entry *e, const struct x12_envelope *env,
		     const struct rec_value *rec, struct rec_note *n)
{
	struct strview v;

	memset(n, 0, sizeof(*n));
	v = rec_get_text(rec, "id");
	sv_to_cbuf(v, n->id, sizeof(n->id));
	v = rec_get_text(rec, "doc_key");
	sv_to_cbuf(v, n->doc_key, sizeof(n->doc_key));
	v = rec_get_text(rec, "doc_type");
	sv_to_cbuf(v, n->doc_type, sizeof(n->doc_type));
	str_copy(n->st01, sizeof(n->st01), env->done_set.id);
	str_copy(n->isa13, sizeof(n->isa13), env->isa.control);
	str_copy(n->gs06, sizeof(n->gs06), env->group.control);
	str_copy(n->st02, sizeof(n->st02), env->done_set.control);
	n->group_seq = e->group_seq;
	n->isa_seq = e->isa_seq;
	n->alive = true;
}

static void on_record(void *ctx, const struct x12_set_result *r)
{
	struct hook_ctx *h = ctx;
	struct entry *e = h->e;
	struct rec_note *n;
	bool want_csv = false;

	if (e->nnotes == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->notes = xreallocarray(e->notes, e->cap, sizeof(*e->notes));
	}
	n = &e->notes[e->nnotes++];
	note_set(e, r->env, r->record, n);
	n->json_off = e->json.len;
	if (!h->g->names)
		h->g->names = rec_json_names_new();
	rec_json_write_names(&e->json, r->record, h->g->names);
	buf_addc(&e->json, '\n');
	n->json_len = e->json.len - n->json_off;
	for (size_t i = 0; i < h->g->p->cfg->noutputs; i++)
		want_csv |=
			h->g->p->cfg->outputs[i].format == CONFIG_FORMAT_CSV;
	n->csv_off = e->csv.len;
	if (want_csv)
		rec_csv_write(&e->csv, r->record);
	n->csv_len = e->csv.len - n->csv_off;
	ack_on_set(&e->acks, r, true);
	if (r->map && !strcmp(r->map->doc_type, ACK_MATCH_DOC_TYPE)) {
		size_t first = e->acks_in.n;
		n->internal = true;
		ack_match_read(r->record, &e->acks_in);
		for (size_t i = first; i < e->acks_in.n; i++)
			e->acks_in.v[i].tag = e->nnotes - 1;
	}
}

void pipeline_errors_json(struct json_out *j, const struct edi_diag *d)
{
	json_arr_begin(j);
	for (size_t i = 0; i < d->n; i++)
		report_json_error(j, &d->items[i]);
	json_arr_end(j);
}

static void on_set_rejected(void *ctx, const struct x12_set_result *r)
{
	struct hook_ctx *h = ctx;
	struct entry *e = h->e;
	const struct x12_set_info *si = &r->env->done_set;
	const struct x12_envelope *env = r->env;
	struct json_out j;
	struct rec_note *n;
	struct map_source src;
	struct arena a;

	if (!e->partner)
		e->partner = registry_partner_for_isa(
			h->g->p->reg, env->isa.sender_qual, env->isa.sender,
			env->isa.receiver_qual, env->isa.receiver);
	/* the set is journaled too, under the id its record would have */
	if (e->nnotes == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->notes = xreallocarray(e->notes, e->cap, sizeof(*e->notes));
	}
	n = &e->notes[e->nnotes++];
	memset(n, 0, sizeof(*n));
	memset(&src, 0, sizeof(src));
	src.partner = e->partner ? e->partner->id : NULL;
	src.sender_qual = env->isa.sender_qual;
	src.sender = env->isa.sender;
	arena_init(&a, 1024);
	snprintf(n->id, sizeof(n->id), "%s.%s.%s.%s",
		 map_exec_partner_key(&src, &a), env->isa.control,
		 env->group.control, si->control);
	arena_release(&a);
	str_copy(n->st01, sizeof(n->st01), si->id);
	str_copy(n->isa13, sizeof(n->isa13), env->isa.control);
	str_copy(n->gs06, sizeof(n->gs06), env->group.control);
	str_copy(n->st02, sizeof(n->st02), si->control);
	n->alive = false;
	e->nrejected++;
	e->stage = pipeline_worse(e->stage, r->stage);
	if (e->sets_json.len)
		buf_addc(&e->sets_json, ',');
	json_out_init(&j, &e->sets_json);
	json_obj_begin(&j);
	json_key(&j, "set");
	json_str(&j, si->id);
	json_key(&j, "control");
	json_str(&j, si->control);
	json_key(&j, "segment");
	json_u64(&j, si->segment);
	json_key(&j, "stage");
	json_str(&j, r->stage);
	if (r->partner) {
		json_key(&j, "partner");
		json_str(&j, r->partner);
	}
	json_key(&j, "errors");
	pipeline_errors_json(&j, r->errors);
	json_obj_end(&j);
	ack_on_set(&e->acks, r, false);
}

/* A broken group or interchange envelope rejects the sets it held. */
static void drop_records(struct entry *e, bool in_group, unsigned seq)
{
	for (size_t i = 0; i < e->nnotes; i++) {
		struct rec_note *n = &e->notes[i];
		if (!n->alive || (in_group ? n->group_seq : n->isa_seq) != seq)
			continue;
		n->alive = false;
		e->nrejected++;
		e->stage = pipeline_worse(e->stage, "envelope");
	}
}

static void on_group_end(void *ctx, const struct x12_envelope *env,
			 bool accepted)
{
	struct entry *e = ((struct hook_ctx *)ctx)->e;

	if (!accepted)
		drop_records(e, true, e->group_seq);
	e->group_seq++;
	ack_on_group_end(&e->acks, env, &e->file_diag);
}

static void on_interchange_end(void *ctx, const struct x12_envelope *env,
			       bool accepted)
{
	struct entry *e = ((struct hook_ctx *)ctx)->e;

	if (!accepted)
		drop_records(e, false, e->isa_seq);
	e->isa_seq++;
	ack_on_interchange_end(&e->acks, env, &e->file_diag);
}

/* --- flat files --- */

static const struct map *flat_map_for(const struct registry *reg,
				      const char *name,
				      const struct partner **who)
{
	for (size_t p = 0; p < reg->npartners; p++) {
		const struct partner *pt = &reg->partners[p];
		if (!pt->enabled)
			continue;
		for (size_t i = 0; i < pt->nflat; i++) {
			pcre2_match_data *md = pcre2_match_data_create(1, NULL);
			int rc =
				pcre2_match(pt->flat[i].regex, (PCRE2_SPTR)name,
					    strlen(name), 0, 0, md, NULL);
			pcre2_match_data_free(md);
			if (rc >= 0) {
				*who = pt;
				return pt->flat[i].map;
			}
		}
	}
	return NULL;
}

static void flat_record(void *ctx, const struct flat_result *r)
{
	struct hook_ctx *h = ctx;
	struct x12_envelope env;
	struct x12_set_result res;

	memset(&env, 0, sizeof(env));
	memset(&res, 0, sizeof(res));
	res.env = &env;
	res.record = r->record;
	on_record(ctx, &res);
	(void)h;
}

static void flat_rejected(void *ctx, const struct flat_result *r)
{
	struct hook_ctx *h = ctx;
	struct entry *e = h->e;
	struct json_out j;

	e->nrejected++;
	e->stage = pipeline_worse(e->stage, "map");
	if (e->sets_json.len)
		buf_addc(&e->sets_json, ',');
	json_out_init(&j, &e->sets_json);
	json_obj_begin(&j);
	json_key(&j, "document");
	json_strv(&j, r->key);
	json_key(&j, "lines");
	json_str(&j, "");
	json_key(&j, "first_line");
	json_u64(&j, r->first_line);
	json_key(&j, "last_line");
	json_u64(&j, r->last_line);
	json_key(&j, "stage");
	json_str(&j, "map");
	json_key(&j, "errors");
	pipeline_errors_json(&j, r->errors);
	json_obj_end(&j);
}

/* Does the file start like X12 (after a BOM and white space)? */
static bool looks_like_x12(int fd)
{
	unsigned char b[512];
	ssize_t n = pread(fd, b, sizeof(b), 0);
	ssize_t i = 0;

	if (n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
		i = 3;
	while (i < n &&
	       (b[i] == ' ' || b[i] == '\r' || b[i] == '\n' || b[i] == '\t' ||
		b[i] == 0x40 || b[i] == 0x15 || b[i] == 0x25))
		i++;
	return n - i >= 3 &&
	       ((b[i] == 'I' && b[i + 1] == 'S' && b[i + 2] == 'A') ||
		(b[i] == 0xc9 && b[i + 1] == 0xe2 && b[i + 2] == 0xc1));
}

static void limits_from(const struct config *cfg, struct x12_limits *l)
{
	if (cfg->limits.max_errors)
		l->max_errors = cfg->limits.max_errors;
	if (cfg->limits.max_segment_bytes)
		l->max_segment = cfg->limits.max_segment_bytes;
	if (cfg->limits.max_set_bytes)
		l->max_set = cfg->limits.max_set_bytes;
}

enum edi_code pipeline_translate_entry(struct group *g, struct entry *e,
				       struct edi_error *err)
{
	const struct config *cfg = g->p->cfg;
	struct hook_ctx h = {g, e};
	struct x12_limits limits;
	struct x12_reader reader;
	struct x12_translate_stats st;
	char path[FILEIO_PATH_MAX];
	enum edi_code rc = EDI_OK;
	int fd;

	x12_limits_default(&limits);
	limits_from(cfg, &limits);
	if (fileio_join(path, sizeof(path), e->dir, e->meta.file, err))
		return err->code;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot read '%s': %s", path, strerror(errno));
	if (looks_like_x12(fd)) {
		struct x12_translate_hooks hooks = {
			&h,	      select_map,
			on_record,    on_set_rejected,
			on_group_end, on_interchange_end};
		struct x12_translate_opts opts = {&limits, e->meta.name, e->id,
						  false};
		x12_reader_init_src(
			&reader, (struct x12_source){x12_source_fd_read, &fd},
			&limits, &e->file_diag);
		e->acks.delims = &reader.delims;
		e->acks.file_diag = &e->file_diag;
		rc = x12_translate_run(&reader, &e->file_diag, &opts, &hooks,
				       &st, err);
		x12_reader_release(&reader);
		if (e->file_diag.nerrors)
			e->stage = pipeline_worse(e->stage, "envelope");
		g->stats->sets_accepted += st.accepted;
		g->stats->sets_rejected += st.rejected;
	} else {
		const struct partner *who = NULL;
		const struct map *m =
			flat_map_for(g->p->reg, e->meta.name, &who);
		if (!m) {
			struct edi_loc loc = edi_loc_none();
			loc.offset = 0;
			edi_diag_addf(&e->file_diag, X12_NO_ISA, &loc,
				      "'%s' is not X12 and no partner's flat "
				      "pattern matches its name",
				      e->meta.name);
			e->stage = pipeline_worse(e->stage, "receive");
		} else {
			struct buf text;
			struct flat_hooks fh = {&h, flat_record, flat_rejected};
			struct flat_opts fo = {who->id, e->meta.name, e->id,
					       limits.max_errors};
			struct flat_stats fs;
			e->partner = who;
			rc = fileio_read_all(path, FLAT_MAX_BYTES, &text, err);
			if (!rc)
				rc = flat_translate(m, buf_view(&text), &fo,
						    &fh, &fs, &e->file_diag,
						    err);
			buf_release(&text);
			if (e->file_diag.nerrors)
				e->stage = pipeline_worse(e->stage, "receive");
			g->stats->sets_accepted += fs.accepted;
			g->stats->sets_rejected += fs.rejected;
		}
	}
	close(fd);
	return rc;
}
