/*
 * ack_match - partners' acknowledgments; see ack_match.h.
 */
#include "ack_match.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void ack_matches_release(struct ack_matches *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static void copy_sv(char *dst, size_t size, struct strview v)
{
	size_t n = v.len < size - 1 ? v.len : size - 1;

	if (n)
		memcpy(dst, v.ptr, n);
	dst[n] = '\0';
}

static void add(char *dst, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add(char *dst, size_t size, const char *fmt, ...)
{
	size_t len = strlen(dst);
	va_list ap;

	if (len + 1 >= size)
		return;
	va_start(ap, fmt);
	vsnprintf(dst + len, size - len, fmt, ap);
	va_end(ap);
}

/* What the codes say, for people (997 meanings; the 999 shares them). */
static const char *ak502_text(struct strview c)
{
	static const char *const t[] = {
		NULL,
		"transaction set not supported",
		"trailer missing",
		"control numbers in header and trailer do not match",
		"number of included segments does not match actual count",
		"one or more segments in error",
		"missing or invalid transaction set identifier",
		"missing or invalid transaction set control number"};
	uint64_t n;

	if (sv_eq_cstr(c, "23"))
		return "control number not unique within the group";
	return sv_to_u64(c, &n) && n >= 1 && n <= 7 ? t[n] : "";
}

static const char *ak304_text(struct strview c)
{
	static const char *const t[] = {
		NULL,
		"unrecognized segment id",
		"unexpected segment",
		"mandatory segment missing",
		"loop occurs over maximum times",
		"segment exceeds maximum use",
		"segment not in defined transaction set",
		"segment not in proper sequence",
		"segment has data element errors"};
	uint64_t n;

	return sv_to_u64(c, &n) && n >= 1 && n <= 8 ? t[n] : "";
}

static const char *ak403_text(struct strview c)
{
	static const char *const t[] = {
		NULL,
		"mandatory data element missing",
		"conditional required data element missing",
		"too many data elements",
		"data element too short",
		"data element too long",
		"invalid character in data element",
		"invalid code value",
		"invalid date",
		"invalid time",
		"exclusion condition violated",
		NULL,
		"too many repetitions",
		"too many components"};
	uint64_t n;

	return sv_to_u64(c, &n) && n >= 1 && n <= 13 && t[n] ? t[n] : "";
}

static enum journal_ack ack_of(struct strview s)
{
	if (sv_eq_cstr(s, "A"))
		return JOURNAL_ACK_ACCEPTED;
	if (sv_eq_cstr(s, "E") || sv_eq_cstr(s, "P"))
		return JOURNAL_ACK_ERRORS;
	return JOURNAL_ACK_REJECTED; /* R, M, W, X */
}

static struct ack_match *next(struct ack_matches *m)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 8;
		m->v = xreallocarray(m->v, m->cap, sizeof(*m->v));
	}
	memset(&m->v[m->n], 0, sizeof(m->v[0]));
	return &m->v[m->n++];
}

static void describe_set(const struct rec_value *set, char *d, size_t size)
{
	const struct rec_value *errs = rec_get(set, "errors");
	const struct rec_value *segs = rec_get(set, "segments");
	struct strview st = rec_get_text(set, "status");

	add(d, size, "AK501 %.*s", (int)st.len, st.ptr);
	for (const struct rec_value *e = errs ? errs->first : NULL; e;
	     e = e->next)
		add(d, size, "; AK502 %.*s (%s)", (int)e->text.len, e->text.ptr,
		    ak502_text(e->text));
	for (const struct rec_value *s = segs ? segs->first : NULL; s;
	     s = s->next) {
		struct strview tag = rec_get_text(s, "tag");
		struct strview pos = rec_get_text(s, "position");
		struct strview code = rec_get_text(s, "code");
		const struct rec_value *els = rec_get(s, "elements");
		add(d, size, "; segment %.*s at %.*s", (int)tag.len, tag.ptr,
		    (int)pos.len, pos.ptr);
		if (code.len)
			add(d, size, ": %s (%.*s)", ak304_text(code),
			    (int)code.len, code.ptr);
		for (const struct rec_value *e = els ? els->first : NULL; e;
		     e = e->next) {
			struct strview ep = rec_get_text(e, "position");
			struct strview ec = rec_get_text(e, "code");
			struct strview data = rec_get_text(e, "data");
			add(d, size, "; element %.*s%.*s: %s (%.*s)",
			    (int)tag.len, tag.ptr, (int)ep.len, ep.ptr,
			    ak403_text(ec), (int)ec.len, ec.ptr);
			if (data.len)
				add(d, size, " '%.*s'", (int)data.len,
				    data.ptr);
		}
	}
}

void ack_match_read(const struct rec_value *rec, struct ack_matches *m)
{
	struct strview gs06 = rec_get_text(rec, "group_control");
	struct strview kind = rec_get_text(rec, "functional_id");
	const struct rec_value *sets = rec_get(rec, "sets");
	const struct rec_value *ge = rec_get(rec, "group_errors");
	struct ack_match *a;

	if (sets && sets->first) {
		for (const struct rec_value *s = sets->first; s; s = s->next) {
			a = next(m);
			copy_sv(a->gs06, sizeof(a->gs06), gs06);
			copy_sv(a->st02, sizeof(a->st02),
				rec_get_text(s, "control"));
			a->ack = ack_of(rec_get_text(s, "status"));
			describe_set(s, a->detail, sizeof(a->detail));
		}
		return;
	}
	/* no AK2: the AK9 speaks for every set of the group */
	a = next(m);
	copy_sv(a->gs06, sizeof(a->gs06), gs06);
	a->ack = ack_of(rec_get_text(rec, "status"));
	add(a->detail, sizeof(a->detail), "group %.*s: AK901 %.*s",
	    (int)kind.len, kind.ptr, (int)rec_get_text(rec, "status").len,
	    rec_get_text(rec, "status").ptr);
	for (const struct rec_value *e = ge ? ge->first : NULL; e; e = e->next)
		add(a->detail, sizeof(a->detail), "; AK905 %.*s",
		    (int)e->text.len, e->text.ptr);
}

enum edi_code ack_match_apply(struct journal *j, const char *partner,
			      const struct ack_matches *m, const char *entry_id,
			      int64_t now, size_t *nmatched, size_t *nunknown,
			      struct edi_error *err)
{
	enum edi_code rc = EDI_OK;

	for (size_t i = 0; rc == EDI_OK && i < m->n; i++) {
		const struct ack_match *a = &m->v[i];
		char what[JOURNAL_ACK_DETAIL_MAX + 96];
		struct edi_error e2;
		unsigned n = 0;

		if (a->dropped) /* a broken envelope around that 997 */
			continue;
		rc = journal_outbound_ack(j, partner, a->gs06, a->st02, a->ack,
					  a->detail, entry_id, now, &n, &e2);
		if (rc == EDI_ENOENT) {
			(*nunknown)++;
			snprintf(what, sizeof(what),
				 "acknowledges set %s of group %s, which "
				 "edigate did not send to '%s'",
				 a->st02[0] ? a->st02 : "(all)", a->gs06,
				 partner);
			rc = journal_event(j, entry_id, NULL, "ack-unmatched",
					   what, now, err);
			continue;
		}
		if (rc) {
			*err = e2;
			return rc;
		}
		*nmatched += n;
		snprintf(what, sizeof(what), "set %s of group %s %s: %s",
			 a->st02[0] ? a->st02 : "(all)", a->gs06,
			 journal_ack_name(a->ack), a->detail);
		rc = journal_event(j, entry_id, NULL, "ack-received", what, now,
				   err);
	}
	return rc;
}
