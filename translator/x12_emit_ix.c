/*
 * x12_emit_ix - the names of the outbound documents and the interchange
 * around built sets; see x12_emit.h.
 */
#include <stdio.h>
#include <string.h>

#include "x12_emit.h"

/* --- names --- */

static const char *const docs[][3] = {{"order", "850", "PO"},
				      {"order_response", "855", "PR"},
				      {"despatch_advice", "856", "SH"},
				      {"invoice", "810", "IN"}};

const char *x12_emit_document(const char *doc_type)
{
	for (size_t i = 0; doc_type && i < sizeof(docs) / sizeof(docs[0]); i++)
		if (!strcmp(docs[i][0], doc_type))
			return docs[i][1];
	return NULL;
}

const char *x12_emit_functional_id(const char *st01)
{
	for (size_t i = 0; st01 && i < sizeof(docs) / sizeof(docs[0]); i++)
		if (!strcmp(docs[i][1], st01))
			return docs[i][2];
	return NULL;
}

bool x12_emit_isa_version(const char *version, char isa12[6])
{
	if (!version || strlen(version) < 5)
		return false;
	for (int i = 0; i < 5; i++)
		if (version[i] < '0' || version[i] > '9')
			return false;
	memcpy(isa12, version, 5);
	isa12[5] = '\0';
	return true;
}

/* --- the interchange --- */

void x12_emit_ix_init(struct x12_emit_ix *ix, struct buf *out,
		      const struct x12_emit_envelope *env)
{
	memset(ix, 0, sizeof(*ix));
	ix->env = env;
	x12_writer_init(&ix->w, out, &env->delims);
}

static enum edi_code open_isa(struct x12_emit_ix *ix, struct edi_error *err)
{
	const struct x12_emit_envelope *e = ix->env;
	struct x12_isa_out isa;
	char isa12[6];
	enum edi_code rc;

	if (!x12_emit_isa_version(e->version, isa12))
		return edi_fail(err, EDI_ECONFIG, NULL,
				"'%s' is not an X12 version like 004010",
				e->version ? e->version : "");
	rc = e->next_control(e->ctx, "isa13", &ix->isa13, err);
	if (rc)
		return rc;
	memset(&isa, 0, sizeof(isa));
	isa.sender_qual = e->sender_qual;
	isa.sender = e->sender;
	isa.receiver_qual = e->receiver_qual;
	isa.receiver = e->receiver;
	isa.date = e->date + 2; /* YYMMDD */
	isa.time = e->time;
	isa.version = isa12;
	isa.control = ix->isa13;
	isa.ack_requested = e->ack_requested;
	isa.usage = e->usage ? e->usage : 'P';
	rc = x12_write_isa(&ix->w, &isa, err);
	if (!rc)
		ix->isa_open = true;
	return rc;
}

static enum edi_code open_gs(struct x12_emit_ix *ix, const char *st01,
			     struct edi_error *err)
{
	const struct x12_emit_envelope *e = ix->env;
	struct x12_gs_out gs;
	enum edi_code rc;

	rc = e->next_control(e->ctx, "gs06", &ix->gs06, err);
	if (rc)
		return rc;
	memset(&gs, 0, sizeof(gs));
	gs.functional_id = x12_emit_functional_id(st01);
	if (!gs.functional_id)
		return edi_fail(err, EDI_EDATA, NULL,
				"no functional group for document %s", st01);
	gs.sender = e->gs_sender;
	gs.receiver = e->gs_receiver;
	gs.date = e->date;
	gs.time = e->time;
	gs.control = ix->gs06;
	gs.version = e->version;
	rc = x12_write_gs(&ix->w, &gs, err);
	if (rc)
		return rc;
	ix->gs_open = true;
	ix->nst = 0;
	snprintf(ix->st01, sizeof(ix->st01), "%s", st01);
	return EDI_OK;
}

enum edi_code x12_emit_ix_add(struct x12_emit_ix *ix, const char *st01,
			      const struct x12_emit_set *s, uint64_t *isa13,
			      uint64_t *gs06, char st02[10],
			      struct edi_error *err)
{
	enum edi_code rc = EDI_OK;

	if (!ix->isa_open)
		rc = open_isa(ix, err);
	if (!rc && ix->gs_open && strcmp(ix->st01, st01)) {
		rc = x12_write_ge(&ix->w, err);
		ix->gs_open = false;
	}
	if (!rc && !ix->gs_open)
		rc = open_gs(ix, st01, err);
	if (rc)
		return rc;
	snprintf(st02, 10, "%04u", ++ix->nst);
	rc = x12_emit_write(s, &ix->w, st02, err);
	if (rc)
		return rc;
	ix->nsets++;
	*isa13 = ix->isa13;
	*gs06 = ix->gs06;
	return EDI_OK;
}

enum edi_code x12_emit_ix_finish(struct x12_emit_ix *ix, struct edi_error *err)
{
	enum edi_code rc = EDI_OK;

	if (ix->gs_open)
		rc = x12_write_ge(&ix->w, err);
	ix->gs_open = false;
	if (!rc && ix->isa_open)
		rc = x12_write_iea(&ix->w, err);
	ix->isa_open = false;
	return rc;
}
