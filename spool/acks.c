/*
 * acks - acknowledgments by profile; see acks.h.
 */
#include "acks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_outbound.h"
#include "xalloc.h"

void acks_clock_at(struct acks_clock *c, time_t now)
{
	struct tm tm;

	if (!gmtime_r(&now, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(c->date8, sizeof(c->date8), "%Y%m%d", &tm);
	/* YYMMDD from the 8-digit date: no %y (format-y2k) */
	memcpy(c->date6, c->date8 + 2, 6);
	c->date6[6] = '\0';
	strftime(c->time4, sizeof(c->time4), "%H%M", &tm);
}

bool acks_options(const struct partner *p, const char *type,
		  const struct acks_clock *clk, struct ack_opts *o,
		  struct x12_write_delims *d)
{
	const char *kind = type ? type : p ? p->ack_type : "997";
	const char *ta1 = p && p->ta1 ? p->ta1 : "auto";

	memset(o, 0, sizeof(*o));
	o->date6 = clk->date6;
	o->date8 = clk->date8;
	o->time4 = clk->time4;
	o->suffix = p ? p->x12.suffix : "\n";
	o->kind = !strcmp(kind, "999") ? ACK_999 : ACK_997;
	o->ta1 = !strcmp(ta1, "always")	 ? ACK_TA1_ALWAYS
		 : !strcmp(ta1, "never") ? ACK_TA1_NEVER
					 : ACK_TA1_AUTO;
	if (type && !strcmp(type, "ta1"))
		o->ta1 = ACK_TA1_ALWAYS;
	if (p && p->x12.delimiters_set) {
		d->element = p->x12.element;
		d->component = p->x12.component;
		d->repetition = p->x12.repetition;
		d->segment = p->x12.segment;
		d->suffix = p->x12.suffix;
		o->delims = d;
	}
	if (p && !type && !strcmp(kind, "none") && o->ta1 == ACK_TA1_NEVER)
		return false;
	return true;
}

/* Only a TA1 (acks type none or ta1): no groups answered. */
static bool ta1_only(const struct partner *p, const char *type)
{
	const char *kind = type ? type : p ? p->ack_type : "997";

	return !strcmp(kind, "none") || !strcmp(kind, "ta1");
}

static enum edi_code stage_one(const struct registry *reg, struct journal *j,
			       struct outbox *ob,
			       const struct ack_interchange *ic,
			       const char *entry_id, const char *only_partner,
			       time_t now, size_t *nstaged,
			       struct edi_error *err)
{
	const struct partner *p = registry_partner_for_isa(
		reg, ic->isa.sender_qual, ic->isa.sender, ic->isa.receiver_qual,
		ic->isa.receiver);
	struct ack_interchange only_ta1;
	const struct ack_interchange *answer = ic;
	struct x12_write_delims d;
	struct acks_clock clk;
	struct ack_opts o;
	uint64_t *gs06 = NULL;
	int64_t isa13 = 0;
	size_t ngroups = 0;
	char name[SPOOL_NAME_MAX], detail[SPOOL_NAME_MAX + 128];
	struct buf out;
	bool sent = false;
	enum edi_code rc;

	if (!p || !p->enabled) /* unknown partner: nobody to answer */
		return EDI_OK;
	if (only_partner && only_partner[0] && strcmp(only_partner, p->id))
		return EDI_OK;
	acks_clock_at(&clk, now);
	if (!acks_options(p, NULL, &clk, &o, &d))
		return EDI_OK;
	if (ta1_only(p, NULL)) {
		only_ta1 = *ic;
		only_ta1.ngroups = 0;
		answer = &only_ta1;
	}
	if (!ack_needed(answer, &o, &ngroups))
		return EDI_OK;
	rc = journal_ack_sent(j, entry_id, ic->isa.control, &sent, err);
	if (rc || sent)
		return rc;
	rc = outbox_next_control(j, p->id, "isa13", &isa13, err);
	gs06 = xreallocarray(NULL, ngroups ? ngroups : 1, sizeof(*gs06));
	for (size_t i = 0; !rc && i < ngroups; i++) {
		int64_t v;
		rc = outbox_next_control(j, p->id, "gs06", &v, err);
		gs06[i] = (uint64_t)v;
	}
	if (rc) {
		free(gs06);
		return rc;
	}
	o.isa13 = (uint64_t)isa13;
	o.gs06 = gs06;
	o.ngs06 = ngroups;
	buf_init(&out, 64u << 20);
	rc = ack_write(answer, &o, &out, err);
	outbox_name(name, now,
		    !ngroups		? "ta1"
		    : o.kind == ACK_999 ? "999"
					: "997",
		    isa13);
	if (rc == EDI_OK)
		rc = outbox_stage(ob, p->id, name, entry_id, out.ptr, out.len,
				  now, err);
	if (rc == EDI_OK)
		rc = journal_ack_sent_add(j, entry_id, ic->isa.control, p->id,
					  name, (int64_t)now, err);
	if (rc == EDI_OK) {
		snprintf(detail, sizeof(detail),
			 "%s for interchange %s (%zu %s) as %s",
			 !ngroups	     ? "TA1"
			 : o.kind == ACK_999 ? "999"
					     : "997",
			 ic->isa.control, ngroups,
			 ngroups == 1 ? "group" : "groups", name);
		rc = journal_event(j, entry_id, NULL, "ack", detail,
				   (int64_t)now, err);
	}
	if (rc == EDI_OK)
		(*nstaged)++;
	buf_release(&out);
	free(gs06);
	return rc;
}

enum edi_code acks_stage(const struct registry *reg, struct journal *j,
			 struct outbox *ob, const struct ack_collector *c,
			 const char *entry_id, const char *only_partner,
			 time_t now, size_t *nstaged, struct edi_error *err)
{
	enum edi_code rc = EDI_OK;

	for (size_t i = 0; rc == EDI_OK && i < c->n; i++)
		rc = stage_one(reg, j, ob, &c->items[i], entry_id, only_partner,
			       now, nstaged, err);
	return rc;
}
