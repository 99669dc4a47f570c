/*
 * outbound_emit - records of one partner to one interchange; see
 * outbound_emit.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "outbound_emit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "xalloc.h"

enum edi_code outbound_parse(struct strview data, const char *force_doc,
			     struct outbound_recs *recs, struct edi_diag *diag,
			     struct edi_error *err)
{
	size_t line = 0, pos = 0, cap = 0;

	memset(recs, 0, sizeof(*recs));
	recs->data = data;
	while (pos < data.len) {
		const char *p = data.ptr + pos;
		const char *nl = memchr(p, '\n', data.len - pos);
		size_t len = nl ? (size_t)(nl - p) : data.len - pos;
		struct outbound_rec *r;
		json_error_t je;
		const char *doc;
		json_t *rec;

		pos += len + (nl != NULL);
		line++;
		if (sv_is_blank(sv_make(p, len)))
			continue;
		if (recs->n >= OUTBOUND_MAX_RECORDS)
			return edi_fail(err, EDI_ELIMIT, NULL,
					"more than %d records in one input",
					OUTBOUND_MAX_RECORDS);
		if (recs->n == cap) {
			cap = cap ? cap * 2 : 64;
			recs->v = xreallocarray(recs->v, cap, sizeof(*recs->v));
		}
		r = &recs->v[recs->n++];
		memset(r, 0, sizeof(*r));
		r->line = line;
		snprintf(r->label, sizeof(r->label), "line %zu", line);
		r->offset = (size_t)(p - data.ptr);
		r->len = len;
		rec = json_loadb(p, len, JSON_REJECT_DUPLICATES, &je);
		if (!rec || !json_is_object(rec)) {
			r->failed = true;
			edi_diag_addf(diag, EDI_EDATA, NULL,
				      "record '%s': not a JSON object%s%s",
				      r->label, rec ? "" : ": ",
				      rec ? "" : je.text);
			json_decref(rec);
			continue;
		}
		doc = json_string_value(json_object_get(rec, "id"));
		if (doc && strlen(doc) >= sizeof(r->id)) {
			r->failed = true;
			edi_diag_addf(diag, EDI_EDATA, NULL,
				      "record '%s': id: longer than %zu "
				      "characters",
				      r->label, sizeof(r->id) - 1);
			json_decref(rec);
			continue;
		}
		str_copy(r->id, sizeof(r->id), doc);
		str_copy(r->doc_key, sizeof(r->doc_key),
			 json_string_value(json_object_get(rec, "doc_key")));
		if (r->id[0])
			str_copy(r->label, sizeof(r->label), r->id);
		doc = json_string_value(json_object_get(rec, "doc_type"));
		r->st01 = force_doc ? force_doc : x12_emit_document(doc);
		json_decref(rec);
		if (!r->st01) {
			r->failed = true;
			edi_diag_addf(diag, EDI_EDATA, NULL,
				      "record '%s': doc_type: '%s' is not "
				      "order, order_response, despatch_advice "
				      "or invoice",
				      r->label, doc ? doc : "");
		}
	}
	return EDI_OK;
}

void outbound_recs_release(struct outbound_recs *recs)
{
	free(recs->v);
	memset(recs, 0, sizeof(*recs));
}

/* The profile's envelope; strings point into the profile or x. */
struct envelope {
	struct x12_emit_envelope e;
	char date[9], time[5];
};

static enum edi_code envelope_for(const struct partner *p,
				  const struct outbound_opts *o,
				  struct envelope *env, struct edi_error *err)
{
	struct x12_emit_envelope *e = &env->e;
	char isa12[6];
	struct tm tm;

	memset(env, 0, sizeof(*env));
	if (!p->nus || !p->nthem)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"partner '%s' has no interchange ids (them "
				"and us) to address an interchange",
				p->id);
	e->sender_qual = p->us[0].qual;
	e->sender = p->us[0].id;
	e->receiver_qual = p->them[0].qual;
	e->receiver = p->them[0].id;
	e->gs_sender = p->x12.gs_us ? p->x12.gs_us : p->us[0].id;
	e->gs_receiver = p->x12.gs_them ? p->x12.gs_them : p->them[0].id;
	e->version = o->version	      ? o->version
		     : p->x12.version ? p->x12.version
				      : "004010";
	if (!x12_emit_isa_version(e->version, isa12) || strlen(e->version) > 12)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"'%s' is not an X12 version like 004010",
				e->version);
	e->delims.element = p->x12.element ? p->x12.element : '*';
	e->delims.component = p->x12.component ? p->x12.component : '>';
	e->delims.repetition = p->x12.repetition;
	e->delims.segment = p->x12.segment ? p->x12.segment : '~';
	e->delims.suffix = p->x12.suffix ? p->x12.suffix : "";
	if (strcmp(isa12, "00402") < 0)
		e->delims.repetition = 0; /* ISA11 is 'U' before 00402 */
	e->usage = p->x12.usage ? p->x12.usage : 'P';
	e->ack_requested = p->x12.ack_requested;
	gmtime_r(&o->now, &tm);
	strftime(env->date, sizeof(env->date), "%Y%m%d", &tm);
	strftime(env->time, sizeof(env->time), "%H%M", &tm);
	e->date = env->date;
	e->time = env->time;
	e->next_control = o->next_control;
	e->ctx = o->ctx;
	return EDI_OK;
}

/* The record names another partner? */
static bool other_partner(const struct outbound_rec *r, const json_t *rec,
			  const char *id, struct edi_diag *diag)
{
	const char *named = json_string_value(json_object_get(rec, "partner"));

	if (!named || !strcmp(named, id))
		return false;
	edi_diag_addf(diag, EDI_EDATA, NULL,
		      "record '%s': partner: the record is for '%s', not '%s'",
		      r->label, named, id);
	return true;
}

static enum edi_code emit_one(const struct registry *reg,
			      const struct partner *p, struct envelope *env,
			      struct x12_emit_ix *ix, struct outbound_rec *r,
			      const json_t *rec, struct arena *a, size_t *nsets,
			      struct edi_diag *diag, struct edi_error *err)
{
	const struct map *m;
	struct x12_emit_set *set;
	enum edi_code rc;

	if (other_partner(r, rec, p->id, diag)) {
		r->failed = true;
		return EDI_OK;
	}
	m = registry_map_for(reg, p, sv_cstr(r->st01), sv_cstr(env->e.version));
	if (!m) {
		r->failed = true;
		edi_diag_addf(diag, EDI_EDATA, NULL,
			      "record '%s': no map for %s version %s", r->label,
			      r->st01, env->e.version);
		return EDI_OK;
	}
	arena_reset(a);
	rc = x12_emit_build(m, rec, r->label, &env->e.delims, &p->rules, a,
			    &set, diag, err);
	if (rc == EDI_EDATA) {
		r->failed = true;
		return EDI_OK;
	}
	if (!rc)
		rc = x12_emit_ix_add(ix, r->st01, set, &r->isa13, &r->gs06,
				     r->st02, err);
	if (rc)
		return rc;
	r->sent = true;
	++*nsets;
	return EDI_OK;
}

enum edi_code outbound_emit(const struct registry *reg, const struct partner *p,
			    struct outbound_recs *recs,
			    const struct outbound_opts *o, struct buf *out,
			    size_t *nsets, struct edi_diag *diag,
			    struct edi_error *err)
{
	struct envelope env;
	struct x12_emit_ix ix;
	struct arena a;
	enum edi_code rc;
	bool *done;

	*nsets = 0;
	rc = envelope_for(p, o, &env, err);
	if (rc)
		return rc;
	x12_emit_ix_init(&ix, out, &env.e);
	arena_init(&a, 64 * 1024);
	done = xcalloc(recs->n ? recs->n : 1, sizeof(*done));
	/* one group per document, in order of first appearance */
	for (size_t i = 0; !rc && i < recs->n; i++) {
		const char *doc = recs->v[i].st01;
		if (done[i] || !doc)
			continue;
		for (size_t k = i; !rc && k < recs->n; k++) {
			struct outbound_rec *r = &recs->v[k];
			json_t *rec;
			if (done[k] || !r->st01 || strcmp(r->st01, doc))
				continue;
			done[k] = true;
			if (r->failed || r->skip)
				continue;
			rec = json_loadb(recs->data.ptr + r->offset, r->len,
					 JSON_REJECT_DUPLICATES, NULL);
			if (!rec) { /* parsed once already */
				r->failed = true;
				continue;
			}
			rc = emit_one(reg, p, &env, &ix, r, rec, &a, nsets,
				      diag, err);
			json_decref(rec);
		}
	}
	if (!rc)
		rc = x12_emit_ix_finish(&ix, err);
	free(done);
	arena_release(&a);
	return rc;
}
