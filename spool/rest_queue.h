/*
 * rest_queue - the queue side of deliver_rest: a rest output's published
 * batches become one spool entry per record in deferred/, an entry back
 * from in/ is routed again, and `status` is told about each output.
 *
 * deliver_rest.h describes the protocol and declares the public
 * functions (deliver_rest_route, deliver_rest_source,
 * deliver_rest_breaker, deliver_rest_status), which live in
 * rest_queue.c; this header is for deliver_rest.c only: the record entry
 * both halves work with, and the split.  Failures are the spool's and
 * the journal's (fileio codes, EDI_EIO); nothing here prints.  A line
 * that is not a canonical record with an id gets the stable key
 * <batch>.line<N> instead, so it is still sent once.
 */
#ifndef EDI_REST_QUEUE_H
#define EDI_REST_QUEUE_H

#include <time.h>

#include "buf.h"
#include "deliver_rest.h"
#include "rest_table.h"

/* One record entry (meta source "rest:<output>"). */
struct rest_item {
	char id[SPOOL_ID_MAX];
	char output[JOURNAL_ID_MAX];
	char record_id[JOURNAL_ID_MAX];
	char correlation_id[JOURNAL_ID_MAX];
	char partner[SPOOL_ID_PARTNER_MAX];
	char file[SPOOL_NAME_MAX];
	struct rest_row row;
	struct buf body;     /* the record, while claimed */
	enum spool_state to; /* where a sent (or failed) entry goes */
};

/* The item an entry's meta.json describes (transport: record_id...). */
void rest_item_from_meta(const struct spool_meta *m, struct rest_item *it);
/* A pending row for it, due at now. */
void rest_item_row(struct rest_row *r, const struct rest_item *it, time_t now);

/*
 * Split every batch published into state/rest/<output>/ into record
 * entries in deferred/ with pending rows (a record the journal already
 * has is skipped), then remove the batch.  stats->queued counts them.
 */
enum edi_code rest_queue_split(struct deliver_rest *d,
			       const struct config_output *out, time_t now,
			       struct deliver_rest_stats *stats,
			       struct edi_error *err);

#endif
