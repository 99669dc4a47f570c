/*
 * pipeline - a run over the spool; see pipeline.h for the crash-safety
 * argument.  This file drives one group of entries at a time; the
 * translation itself is x12_translate (or flat_map), the records are
 * written by rec_json/rec_csv.
 */
#define _POSIX_C_SOURCE 200809L
#include "pipeline.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "ack_match.h"
#include "acks.h"
#include "buf.h"
#include "deliver_rest.h"
#include "fileio.h"
#include "flat_map.h"
#include "json_out.h"
#include "log.h"
#include "map_exec.h"
#include "outbound_erp.h"
#include "outbox.h"
#include "rec_csv.h"
#include "rec_json.h"
#include "report.h"
#include "spool_move.h"
#include "x12_translate.h"
#include "xalloc.h"

#define BATCH_DIR "state/batches"
#define MAX_GROUP 10000

/* --- one batch file per (output, doc_type) in a group --- */

struct batch {
	const struct config_output *out;
	char doc_type[32];
	char name[SPOOL_NAME_MAX];
	char tmp_path[FILEIO_PATH_MAX];
	int fd;
	size_t nrecords;
};

/* --- what one entry produced --- */

struct rec_note {
	char id[JOURNAL_ID_MAX];
	char doc_key[JOURNAL_NAME_MAX];
	char doc_type[JOURNAL_WORD_MAX];
	char st01[8], isa13[16], gs06[16], st02[16];
	size_t json_off, json_len; /* in entry.json */
	size_t csv_off, csv_len;   /* in entry.csv */
	unsigned group_seq, isa_seq;
	bool alive;
	bool internal; /* a partner's 997/999: matched, not delivered */
};

struct entry {
	char id[SPOOL_ID_MAX];
	struct spool_meta meta;
	char dir[FILEIO_PATH_MAX]; /* work/<id> */
	const struct partner *partner;
	unsigned attempts;
	bool duplicate_ignored;
	/* records */
	struct rec_note *notes;
	size_t nnotes, cap;
	struct buf json, csv, line;
	unsigned group_seq, isa_seq;
	/* why it goes to error/ */
	const char *stage;    /* NULL: archive */
	struct buf sets_json; /* rejected sets, JSON objects joined by ',' */
	size_t nrejected;
	struct edi_diag file_diag;
	char veto_msg[EDI_MSG_MAX];
	bool journal_failed; /* a journal read failed while translating */
	struct edi_error journal_error;
	/* interchanges checked for duplicates in this entry */
	char last_isa[64];
	bool last_isa_dup;
	struct {
		char sender[24], receiver[24], control[16];
	} * isas;
	size_t nisas;
	struct ack_collector acks;  /* what the partner is answered */
	struct ack_matches acks_in; /* what the partner's 997s say */
};

struct group {
	struct pipeline *p;
	struct pipeline_stats *stats;
	time_t now;
	struct outbox outbox; /* acks and outbound X12 of this group */
	struct batch *batches;
	size_t nbatches, cap;
	char first_id[SPOOL_ID_MAX];
	unsigned first_attempt;
	/* moves to do after the commit */
	struct {
		char id[SPOOL_ID_MAX];
		bool to_error;
		bool to_deferred; /* a REST record entry (deliver_rest) */
	} * moves;
	size_t nmoves;
};

static const char *stage_rank[] = {"receive",  "envelope", "partner",
				   "validate", "map",	   "deliver"};

/* The earlier stage of a and b (NULL counts as none). */
static const char *worse(const char *a, const char *b)
{
	size_t ia = 99, ib = 99;

	for (size_t i = 0; i < sizeof(stage_rank) / sizeof(stage_rank[0]);
	     i++) {
		if (a && !strcmp(a, stage_rank[i]))
			ia = i;
		if (b && !strcmp(b, stage_rank[i]))
			ib = i;
	}
	if (ia == 99)
		return b;
	if (ib == 99)
		return a;
	return ia <= ib ? a : b;
}

static void iso_time(time_t t, char out[24])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void copy_str(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src ? src : "");
}

/* --- batches --- */

static struct batch *batch_for(struct group *g, const struct config_output *out,
			       const char *doc_type, struct edi_error *err)
{
	struct batch *b;
	char dir[FILEIO_PATH_MAX];
	const char *ext = out->format == CONFIG_FORMAT_CSV ? "csv" : "jsonl";

	for (size_t i = 0; i < g->nbatches; i++)
		if (g->batches[i].out == out &&
		    !strcmp(g->batches[i].doc_type, doc_type))
			return &g->batches[i];
	if (g->nbatches == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 8;
		g->batches = xreallocarray(g->batches, g->cap, sizeof(*b));
	}
	b = &g->batches[g->nbatches];
	memset(b, 0, sizeof(*b));
	b->out = out;
	b->fd = -1;
	copy_str(b->doc_type, sizeof(b->doc_type), doc_type);
	snprintf(b->name, sizeof(b->name), "%s.%u.%s.%s", g->first_id,
		 g->first_attempt, doc_type, ext);
	if (spool_path(g->p->spool, BATCH_DIR, dir, sizeof(dir), err) ||
	    fileio_mkdirs(dir, 0750, err) ||
	    fileio_join(b->tmp_path, sizeof(b->tmp_path), dir, b->name, err))
		return NULL;
	b->fd = open(b->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		     0644);
	if (b->fd < 0) {
		edi_fail(err, fileio_code(errno), NULL,
			 "cannot write batch '%s': %s", b->tmp_path,
			 strerror(errno));
		return NULL;
	}
	g->nbatches++;
	if (out->format == CONFIG_FORMAT_CSV) {
		struct buf h;
		enum edi_code rc;
		buf_init(&h, 1 << 20);
		rec_csv_header(&h, doc_type);
		rc = h.len && write(b->fd, h.ptr, h.len) != (ssize_t)h.len
			     ? EDI_EIO
			     : EDI_OK;
		buf_release(&h);
		if (rc)
			return NULL;
	}
	return b;
}

static enum edi_code batch_append(struct batch *b, struct strview bytes,
				  struct edi_error *err)
{
	size_t done = 0;

	while (done < bytes.len) {
		ssize_t n = write(b->fd, bytes.ptr + done, bytes.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return edi_fail(err, fileio_code(errno), NULL,
					"cannot write batch '%s': %s",
					b->tmp_path, strerror(errno));
		done += (size_t)n;
	}
	b->nrecords++;
	return EDI_OK;
}

/* The final place of a batch: out/<output>/<name> (or the output's dir). */
static enum edi_code batch_final_dir(const struct pipeline *p,
				     const struct config_output *out, char *dir,
				     size_t size, struct edi_error *err)
{
	char rel[FILEIO_PATH_MAX];

	if (out->dir) {
		if (strlen(out->dir) >= size)
			return edi_fail(err, EDI_ELIMIT, NULL,
					"output folder '%s' is too long",
					out->dir);
		snprintf(dir, size, "%s", out->dir);
		return EDI_OK;
	}
	/* a rest output's batch waits for deliver_rest, which sends it */
	if (out->kind == CONFIG_OUTPUT_REST)
		snprintf(rel, sizeof(rel), "%s/%s", DELIVER_REST_QUEUE,
			 out->name);
	else
		snprintf(rel, sizeof(rel), "out/%s", out->name);
	return spool_path(p->spool, rel, dir, size, err);
}

/* --- hooks for the translator --- */

struct hook_ctx {
	struct group *g;
	struct entry *e;
};

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
		copy_str(e->last_isa, sizeof(e->last_isa), key);
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
			copy_str(e->isas[e->nisas].sender,
				 sizeof(e->isas[0].sender), s);
			copy_str(e->isas[e->nisas].receiver,
				 sizeof(e->isas[0].receiver), r);
			copy_str(e->isas[e->nisas].control,
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
	copy_str(n->st01, sizeof(n->st01), env->done_set.id);
	copy_str(n->isa13, sizeof(n->isa13), env->isa.control);
	copy_str(n->gs06, sizeof(n->gs06), env->group.control);
	copy_str(n->st02, sizeof(n->st02), env->done_set.control);
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
	rec_json_write(&e->json, r->record);
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

static void add_errors_json(struct json_out *j, const struct edi_diag *d)
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
	copy_str(n->st01, sizeof(n->st01), si->id);
	copy_str(n->isa13, sizeof(n->isa13), env->isa.control);
	copy_str(n->gs06, sizeof(n->gs06), env->group.control);
	copy_str(n->st02, sizeof(n->st02), si->control);
	n->alive = false;
	e->nrejected++;
	e->stage = worse(e->stage, r->stage);
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
	add_errors_json(&j, r->errors);
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
		e->stage = worse(e->stage, "envelope");
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
	e->stage = worse(e->stage, "map");
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
	add_errors_json(&j, r->errors);
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

static enum edi_code translate_entry(struct group *g, struct entry *e,
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
			e->stage = worse(e->stage, "envelope");
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
			e->stage = worse(e->stage, "receive");
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
				e->stage = worse(e->stage, "receive");
			g->stats->sets_accepted += fs.accepted;
			g->stats->sets_rejected += fs.rejected;
		}
	}
	close(fd);
	return rc;
}

/* --- one entry: translate, deliver into the group's batches, journal --- */

static const struct config_output *output_named(const struct config *cfg,
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
		copy_str(js.id, sizeof(js.id), n->id);
		copy_str(js.entry_id, sizeof(js.entry_id), e->id);
		copy_str(js.doc_key, sizeof(js.doc_key), n->doc_key);
		copy_str(js.partner, sizeof(js.partner), pt ? pt->id : "");
		copy_str(js.doc_type, sizeof(js.doc_type), n->doc_type);
		copy_str(js.st01, sizeof(js.st01), n->st01);
		copy_str(js.isa13, sizeof(js.isa13), n->isa13);
		copy_str(js.gs06, sizeof(js.gs06), n->gs06);
		copy_str(js.st02, sizeof(js.st02), n->st02);
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
					? output_named(cfg, pt->outputs[k])
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
			b = batch_for(g, out, n->doc_type, err);
			if (!b)
				return err->code;
			rc = batch_append(
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

	iso_time(g->now, last);
	copy_str(first, sizeof(first), last);
	/* a replayed entry keeps its first failure time */
	if (!fileio_join(path, sizeof(path), e->dir, SPOOL_REASON_FILE, &err) &&
	    !fileio_read_all(path, SPOOL_REASON_MAX, &old, &err)) {
		json_error_t je;
		json_t *root = json_loadb(old.ptr, old.len, 0, &je);
		const char *f = json_string_value(
			json_object_get(root, "first_failure"));
		if (f)
			copy_str(first, sizeof(first), f);
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
	add_errors_json(&j, &e->file_diag);
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

static size_t alive_count(const struct entry *e)
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

static enum edi_code process_entry(struct group *g, const char *id,
				   struct edi_error *err)
{
	struct pipeline *p = g->p;
	struct entry e;
	struct journal_file jf;
	enum edi_code rc;
	bool to_error;

	memset(&e, 0, sizeof(e));
	ack_collector_init(&e.acks);
	copy_str(e.id, sizeof(e.id), id);
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
		copy_str(g->moves[g->nmoves].id, sizeof(g->moves[0].id), id);
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
		copy_str(g->first_id, sizeof(g->first_id), id);
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
		rc = translate_entry(g, &e, err);
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
	copy_str(jf.entry_id, sizeof(jf.entry_id), id);
	copy_str(jf.name, sizeof(jf.name), e.meta.name);
	copy_str(jf.partner, sizeof(jf.partner),
		 e.partner ? e.partner->id : e.meta.partner);
	copy_str(jf.sha256, sizeof(jf.sha256), e.meta.sha256);
	to_error = e.stage || e.nrejected || e.file_diag.nerrors;
	copy_str(jf.state, sizeof(jf.state), to_error ? "error" : "archive");
	copy_str(jf.stage, sizeof(jf.stage),
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
			 e.attempts, alive_count(&e), e.nrejected,
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
	copy_str(g->moves[g->nmoves].id, sizeof(g->moves[0].id), id);
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
			  alive_count(&e), e.nrejected,
			  to_error ? (e.stage ? e.stage : "validate") : "-");
	}
out:
	entry_release(&e);
	return rc;
}

/* --- a group: claim, process, commit, then publish and move --- */

static void group_release(struct group *g)
{
	for (size_t i = 0; i < g->nbatches; i++)
		if (g->batches[i].fd >= 0)
			close(g->batches[i].fd);
	free(g->batches);
	free(g->moves);
	outbox_release(&g->outbox);
	memset(g, 0, sizeof(*g));
}

static enum edi_code finish_group(struct group *g, struct edi_error *err)
{
	struct pipeline *p = g->p;
	enum edi_code rc = EDI_OK;

	for (size_t i = 0; i < g->nbatches; i++) {
		struct batch *b = &g->batches[i];
		struct journal_batch jb = {b->name, b->out->name, g->first_id,
					   JOURNAL_BATCH_WRITTEN,
					   (int64_t)g->now};
		/* its data is made durable by the sync below */
		spool_note_unsynced(p->spool);
		close(b->fd);
		b->fd = -1;
		rc = journal_batch_put(p->journal, &jb, err);
		if (rc)
			return rc;
	}
	/* one syncfs: every batch, staged acknowledgment, meta.json and
	 * reason.json of the group is durable before the journal says so */
	rc = spool_sync(p->spool, err);
	if (rc)
		return rc;
	rc = journal_commit(p->journal, err);
	if (rc)
		return rc;
	/* delivered: publish the batches, then move the originals */
	for (size_t i = 0; i < g->nbatches; i++) {
		struct batch *b = &g->batches[i];
		char dir[FILEIO_PATH_MAX], to[FILEIO_PATH_MAX];
		rc = batch_final_dir(p, b->out, dir, sizeof(dir), err);
		if (!rc)
			rc = fileio_mkdirs(dir, 0750, err);
		if (!rc)
			rc = fileio_join(to, sizeof(to), dir, b->name, err);
		if (!rc)
			rc = fileio_rename(b->tmp_path, to, err); /* and
			* fsyncs both folders */
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < g->nmoves; i++) {
		rc = spool_move(p->spool, g->moves[i].id, SPOOL_WORK,
				g->moves[i].to_deferred ? SPOOL_DEFERRED
				: g->moves[i].to_error	? SPOOL_ERROR
							: SPOOL_ARCHIVE,
				g->now, err);
		if (rc)
			return rc;
	}
	rc = journal_begin(p->journal, err);
	for (size_t i = 0; !rc && i < g->nbatches; i++) {
		struct journal_batch jb = {
			g->batches[i].name, g->batches[i].out->name,
			g->first_id, JOURNAL_BATCH_RENAMED, (int64_t)g->now};
		rc = journal_batch_put(p->journal, &jb, err);
	}
	if (!rc)
		rc = journal_commit(p->journal, err);
	/* acknowledgments into outbound/<partner>/ (recovery finishes
	 * what a crash interrupts: they are journaled batches) */
	if (!rc)
		rc = outbox_publish(&g->outbox, g->now, err);
	return rc;
}

/* Names listed once per pass. */
struct names {
	char **v;
	size_t n, cap;
};

static enum edi_code push_name(void *ctx, const char *name,
			       struct edi_error *err)
{
	struct names *l = ctx;

	(void)err;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
	}
	l->v[l->n++] = xstrdup(name);
	return EDI_OK;
}

static void names_free(struct names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

struct collect {
	struct pipeline *p;
	char (*ids)[SPOOL_ID_MAX];
	size_t n, max;
	time_t now;
	struct edi_error first_err;
	bool failed;
};

/* Does this dropped file (or entry) belong to --partner? */
static bool wanted(const struct pipeline *p, const char *path,
		   const char *meta_partner)
{
	char head[X12_ISA_LOOKAHEAD];
	struct x12_delims d;
	enum x12_isa_form form;
	size_t isa_len, i = 0;
	struct edi_error err;
	struct strview isa, q5, id6, q7, id8;
	const struct partner *pt;
	ssize_t n;
	int fd;

	if (!p->only_partner)
		return true;
	if (meta_partner && *meta_partner)
		return !strcmp(meta_partner, p->only_partner);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n <= 0)
		return false;
	while (i < (size_t)n &&
	       (head[i] == ' ' || head[i] == '\r' || head[i] == '\n' ||
		(unsigned char)head[i] == 0xef ||
		(unsigned char)head[i] == 0xbb ||
		(unsigned char)head[i] == 0xbf))
		i++;
	if ((size_t)n - i < 4 || memcmp(head + i, "ISA", 3) ||
	    x12_delims_detect(head + i, (size_t)n - i, true, &d, &form,
			      &isa_len, &err) != EDI_OK)
		return false;
	isa = sv_make(head + i, isa_len - 1);
	q5 = x12_part(isa, d.element, 5);
	id6 = sv_trim(x12_part(isa, d.element, 6));
	q7 = x12_part(isa, d.element, 7);
	id8 = sv_trim(x12_part(isa, d.element, 8));
	{
		char a[4], b[16], c[4], e[16];
		sv_to_cbuf(q5, a, sizeof(a));
		sv_to_cbuf(id6, b, sizeof(b));
		sv_to_cbuf(q7, c, sizeof(c));
		sv_to_cbuf(id8, e, sizeof(e));
		pt = registry_partner_for_isa(p->reg, a, b, c, e);
	}
	return pt && !strcmp(pt->id, p->only_partner);
}

static enum edi_code admit_drop(void *ctx, const char *name,
				struct edi_error *err)
{
	struct collect *c = ctx;
	char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
	enum edi_code rc;

	if (c->n >= c->max)
		return EDI_ELIMIT; /* stop: the group is full */
	if (spool_state_path(c->p->spool, SPOOL_IN, dir, sizeof(dir), err) ||
	    fileio_join(path, sizeof(path), dir, name, err))
		return err->code;
	if (!wanted(c->p, path, NULL))
		return EDI_OK;
	rc = spool_admit(c->p->spool, name, NULL, c->now, c->ids[c->n], err);
	if (rc == EDI_ETEMP || rc == EDI_ENOENT)
		return EDI_OK; /* still being written, or gone: next run */
	if (rc)
		return rc;
	c->n++;
	return EDI_OK;
}

static enum edi_code claim_entry(void *ctx, const char *id,
				 struct edi_error *err)
{
	struct collect *c = ctx;
	struct spool_meta meta;
	enum edi_code rc;

	if (c->n >= c->max)
		return EDI_ELIMIT;
	if (c->p->only_partner) {
		char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
		if (spool_meta_read(c->p->spool, SPOOL_IN, id, &meta, err) ||
		    spool_entry_path(c->p->spool, SPOOL_IN, id, dir,
				     sizeof(dir), err) ||
		    fileio_join(path, sizeof(path), dir, meta.file, err) ||
		    !wanted(c->p, path, meta.partner))
			return EDI_OK;
	}
	rc = spool_claim(c->p->spool, id, err);
	if (rc == EDI_ENOENT)
		return EDI_OK;
	if (rc)
		return rc;
	snprintf(c->ids[c->n++], SPOOL_ID_MAX, "%s", id);
	return EDI_OK;
}

/* Batches the journal holds as written: publish them now. */
struct redo {
	char (*names)[SPOOL_NAME_MAX];
	char (*outputs)[JOURNAL_ID_MAX];
	size_t n;
};

static enum edi_code redo_batch(void *ctx, const struct journal_batch *b,
				struct edi_error *err)
{
	struct redo *r = ctx;

	(void)err;
	r->names = xreallocarray(r->names, r->n + 1, sizeof(*r->names));
	r->outputs = xreallocarray(r->outputs, r->n + 1, sizeof(*r->outputs));
	copy_str(r->names[r->n], sizeof(r->names[0]), b->name);
	copy_str(r->outputs[r->n], sizeof(r->outputs[0]), b->output);
	r->n++;
	return EDI_OK;
}

static enum edi_code publish_again(struct group *g, const char *name,
				   const char *output, struct edi_error *err)
{
	struct pipeline *p = g->p;
	const struct config_output *out = output_named(p->cfg, output);
	char tmpdir[FILEIO_PATH_MAX], from[FILEIO_PATH_MAX];
	char dir[FILEIO_PATH_MAX], to[FILEIO_PATH_MAX];
	char partner[SPOOL_ID_PARTNER_MAX];
	struct stat st;
	enum edi_code rc;

	if (outbox_output(output, partner)) { /* acks, outbound X12 */
		bool renamed;

		rc = outbox_recover_one(p->spool, name, output, &renamed, err);
		if (rc == EDI_OK && renamed)
			g->stats->batches_redone++;
		return rc;
	}
	if (!out)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"batch '%s' was written for output '%s', which "
				"the configuration no longer has",
				name, output);
	if ((rc = spool_path(p->spool, BATCH_DIR, tmpdir, sizeof(tmpdir),
			     err)) ||
	    (rc = fileio_join(from, sizeof(from), tmpdir, name, err)) ||
	    (rc = batch_final_dir(p, out, dir, sizeof(dir), err)) ||
	    (rc = fileio_mkdirs(dir, 0750, err)) ||
	    (rc = fileio_join(to, sizeof(to), dir, name, err)))
		return rc;
	if (stat(from, &st) == 0) {
		rc = fileio_rename(from, to, err);
		if (!rc)
			rc = fileio_fsync_dir(dir, err);
		if (rc)
			return rc;
		g->stats->batches_redone++;
	}
	return EDI_OK;
}

static enum edi_code recover(struct group *g, struct edi_error *err)
{
	struct pipeline *p = g->p;
	struct redo r = {NULL, NULL, 0};
	char dir[FILEIO_PATH_MAX];
	enum edi_code rc;

	rc = journal_batches_written(p->journal, redo_batch, &r, err);
	for (size_t i = 0; !rc && i < r.n; i++)
		rc = publish_again(g, r.names[i], r.outputs[i], err);
	if (!rc && r.n)
		rc = journal_begin(p->journal, err);
	for (size_t i = 0; !rc && i < r.n; i++) {
		struct journal_batch jb = {r.names[i], r.outputs[i], "",
					   JOURNAL_BATCH_RENAMED,
					   (int64_t)g->now};
		rc = journal_batch_put(p->journal, &jb, err);
	}
	if (!rc && r.n)
		rc = journal_commit(p->journal, err);
	free(r.names);
	free(r.outputs);
	if (rc)
		return rc;
	/* what is left in state/batches was never committed: drop it */
	if (!spool_path(p->spool, BATCH_DIR, dir, sizeof(dir), err)) {
		struct edi_error ignore;
		fileio_remove_tree(dir, &ignore);
		fileio_mkdirs(dir, 0750, &ignore);
	}
	return spool_recover(p->spool, &g->stats->recovered, err);
}

/*
 * Retention: day folders (archive/YYYY-MM-DD, sent/YYYY-MM-DD) older than
 * retention.archive_days and retention.sent_days are removed (0 keeps
 * them all).  The journal keeps their history.
 */
static void expire_days(struct pipeline *p, const char *rel, unsigned days,
			time_t now)
{
	char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX], cutoff[16];
	struct edi_error err;
	struct dirent *d;
	struct tm tm;
	time_t limit;
	DIR *dp;

	if (!days || spool_path(p->spool, rel, dir, sizeof(dir), &err))
		return;
	limit = now - (time_t)days * 86400;
	gmtime_r(&limit, &tm);
	strftime(cutoff, sizeof(cutoff), "%Y-%m-%d", &tm);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp)) != NULL) {
		/* YYYY-MM-DD names compare as dates */
		if (strlen(d->d_name) != 10 || d->d_name[4] != '-' ||
		    strcmp(d->d_name, cutoff) >= 0)
			continue;
		if (!fileio_join(path, sizeof(path), dir, d->d_name, &err))
			fileio_remove_tree(path, &err);
	}
	closedir(dp);
}

static void expire_archive(struct pipeline *p, time_t now)
{
	expire_days(p, "archive", p->cfg->retention.archive_days, now);
	expire_days(p, "sent", p->cfg->retention.sent_days, now);
}

enum edi_code pipeline_run_once(struct pipeline *p,
				struct pipeline_stats *stats,
				struct edi_error *err)
{
	struct group g;
	struct collect c;
	enum edi_code rc;
	size_t group_max =
		p->cfg->run.batch_files ? p->cfg->run.batch_files : 100;

	memset(stats, 0, sizeof(*stats));
	memset(&g, 0, sizeof(g));
	g.p = p;
	g.stats = stats;
	g.now = p->clock();
	rc = recover(&g, err);
	if (!rc) /* ERP exports in erp-in/ become entries of in/ */
		rc = outbound_erp_pickup(p->spool, p->reg, g.now,
					 &stats->erp_files, err);
	if (rc)
		return rc;
	if (group_max > MAX_GROUP)
		group_max = MAX_GROUP;
	memset(&c, 0, sizeof(c));
	c.p = p;
	c.max = group_max;
	c.ids = xreallocarray(NULL, group_max, sizeof(*c.ids));
	/* list what waits once per pass (not once per group: listing
	 * stats every file), then work through it in groups; files that
	 * arrive meanwhile are taken by the next pass */
	for (int pass = 0; !rc && pass < 8; pass++) {
		struct names ents = {0}, drops = {0};
		size_t ie = 0, id = 0;

		rc = spool_list(p->spool, SPOOL_IN, push_name, &ents, err);
		if (!rc)
			rc = spool_list_drops(p->spool, push_name, &drops, err);
		if (rc || ents.n + drops.n == 0) {
			names_free(&ents);
			names_free(&drops);
			break;
		}
		while (!rc && (ie < ents.n || id < drops.n)) {
			c.n = 0;
			c.now = p->clock();
			/* the folders are fsync'd once per group (pipeline.h) */
			spool_defer_sync(p->spool, true);
			while (!rc && c.n < c.max && ie < ents.n)
				rc = claim_entry(&c, ents.v[ie++], err);
			while (!rc && c.n < c.max && id < drops.n)
				rc = admit_drop(&c, drops.v[id++], err);
			if (rc || !c.n)
				continue;
			memset(&g, 0, sizeof(g));
			g.p = p;
			g.stats = stats;
			g.now = c.now;
			outbox_init(&g.outbox, p->spool, p->journal);
			rc = journal_begin(p->journal, err);
			for (size_t i = 0; !rc && i < c.n; i++)
				rc = process_entry(&g, c.ids[i], err);
			if (!rc)
				rc = finish_group(&g, err);
			if (rc && journal_in_transaction(p->journal)) {
				struct edi_error e2;
				journal_rollback(p->journal, &e2);
				outbox_discard(&g.outbox);
			}
			{
				struct edi_error e3;
				enum edi_code rs = spool_sync(p->spool, &e3);
				if (!rc && rs) {
					rc = rs;
					*err = e3;
				}
			}
			group_release(&g);
		}
		names_free(&ents);
		names_free(&drops);
	}
	free(c.ids);
	{
		struct edi_error e4;
		spool_sync(p->spool, &e4);
	}
	spool_defer_sync(p->spool, false);
	if (!rc)
		expire_archive(p, p->clock());
	return rc;
}
