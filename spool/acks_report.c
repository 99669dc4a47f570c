/*
 * acks_report - outbound sets for status and trace; see acks_report.h.
 */
#include "acks_report.h"

#include <string.h>
#include <time.h>

#include "journal_outbound.h"

struct status_ctx {
	struct json_out *j;
	struct buf *out;
	size_t n;
};

static enum edi_code status_row(void *ctx,
				const struct journal_outbound_count *c,
				struct edi_error *err)
{
	struct status_ctx *s = ctx;

	(void)err;
	if (s->j) {
		json_obj_begin(s->j);
		json_key(s->j, "partner");
		json_str(s->j, c->partner);
		json_key(s->j, "pending");
		json_u64(s->j, c->pending);
		json_key(s->j, "overdue");
		json_u64(s->j, c->overdue);
		json_key(s->j, "accepted");
		json_u64(s->j, c->accepted);
		json_key(s->j, "accepted_with_errors");
		json_u64(s->j, c->errors);
		json_key(s->j, "rejected");
		json_u64(s->j, c->rejected);
		json_obj_end(s->j);
	} else {
		if (!s->n)
			buf_adds(s->out, "outbound sets and their 997s:\n");
		buf_addf(s->out,
			 "  %-16s pending %u  overdue %u  accepted %u  "
			 "with errors %u  rejected %u\n",
			 c->partner, c->pending, c->overdue, c->accepted,
			 c->errors, c->rejected);
	}
	s->n++;
	return EDI_OK;
}

enum edi_code acks_status(struct journal *journal, int64_t now,
			  struct json_out *j, struct buf *out,
			  struct edi_error *err)
{
	struct status_ctx s = {j, out, 0};
	enum edi_code rc;

	if (j) {
		json_key(j, "outbound");
		json_arr_begin(j);
	}
	rc = journal_outbound_counts(journal, now, status_row, &s, err);
	if (j)
		json_arr_end(j);
	return rc;
}

struct trace_ctx {
	struct buf *out;
	int64_t now;
	size_t *n;
};

static void when(int64_t at, char dst[24])
{
	time_t t = (time_t)at;
	struct tm tm;

	if (!gmtime_r(&t, &tm))
		memset(&tm, 0, sizeof(tm));
	strftime(dst, 24, "%Y-%m-%d %H:%M:%SZ", &tm);
}

static enum edi_code trace_row(void *ctx, const struct journal_outbound *o,
			       struct edi_error *err)
{
	struct trace_ctx *c = ctx;
	char sent[24], acked[24];

	(void)err;
	if (!*c->n)
		buf_adds(c->out, "outbound:\n");
	when(o->sent_at, sent);
	buf_addf(c->out,
		 "  %s  sent       %s set %s (group %s, interchange %s) to "
		 "%s in %s%s%s\n",
		 sent, o->st01, o->st02, o->gs06, o->isa13, o->partner, o->file,
		 o->record_id[0] ? ", record " : "", o->record_id);
	if (o->ack != JOURNAL_ACK_PENDING) {
		when(o->ack_at, acked);
		buf_addf(c->out, "  %s  %-10s by entry %s: %s\n", acked,
			 journal_ack_name(o->ack), o->ack_entry, o->ack_detail);
	} else if (o->due_at && o->due_at < c->now) {
		when(o->due_at, acked);
		buf_addf(c->out, "  %s  overdue    no 997 yet\n", acked);
	} else {
		buf_adds(c->out,
			 "                        pending    no 997 yet\n");
	}
	(*c->n)++;
	return EDI_OK;
}

enum edi_code acks_trace(struct journal *journal, const char *key, int64_t now,
			 struct buf *out, size_t *n, struct edi_error *err)
{
	struct trace_ctx c = {out, now, n};

	return journal_outbound_find(journal, NULL, key, trace_row, &c, err);
}
