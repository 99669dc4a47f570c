/*
 * deliver_rest - hand the records of rest outputs to the ERP, exactly
 * once from the ERP's point of view.
 *
 * The pipeline publishes a rest output's batch (JSON Lines) into
 * <spool>/state/rest/<output>/ instead of out/, under the same journal
 * protocol as file outputs (written, committed, renamed; recovery renames
 * again).  deliver_rest_run(), called by `run` after the pipeline, then:
 *
 * 1. splits each published batch into one spool entry per record (meta
 *    source "rest:<output>", the record as <id>.json) that goes in/ ->
 *    work/ -> deferred/, and journals a pending row (rest_table.h) for
 *    it, skipping records the journal already has; a batch's rows commit
 *    in one transaction after its entries are durable, then the batch is
 *    removed;
 * 2. sends the due entries of deferred/ (their row's next_at has come),
 *    batch_size records per request, while the output's circuit breaker
 *    (state/breakers/<output>) allows it: each is claimed deferred ->
 *    work (its row read again: a record sent meanwhile is archived, not
 *    sent), then the answer is journaled (rows, transfers, reason.json)
 *    in one transaction, then each entry moves to archive/ (2xx), back to deferred/ with its next attempt time as
 *    the folder's mtime (transient: connection error, timeout, 408, 425,
 *    429, 5xx, honouring Retry-After), or to error/ with reason.json,
 *    stage "deliver" (a permanent 4xx, or attempts used up).
 *
 * Every request carries Idempotency-Key (the record id; for a batch
 * "batch-" and the SHA-256 of its ids, each record keeping its own id)
 * and the correlation id.  A crash anywhere leaves each record as an
 * entry in in/, work/ or deferred/ (or still in its batch); a split cut
 * short may make a second entry of a record, which is archived unsent once
 * the first is sent.  The pipeline's deliver_rest_route() puts an entry
 * that comes back through in/ (a crash, a replay of error/, a release
 * from hold/) into deferred/ again, or archive/ when its row says sent.
 * So a record is re-sent only when the ERP's answer was not recorded,
 * and then with the same Idempotency-Key.
 *
 * Secrets (bearer token, basic password) are read from the environment
 * or their files when an output is sent to, kept only for that, and
 * appear in no message, row, file or log.
 *
 * deliver_rest.c sends; rest_queue.c splits, routes and reports status.
 */
#ifndef EDI_DELIVER_REST_H
#define EDI_DELIVER_REST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "breaker.h"
#include "buf.h"
#include "config.h"
#include "edi_error.h"
#include "journal.h"
#include "json_out.h"
#include "spool_layout.h"

#define DELIVER_REST_QUEUE	"state/rest"	 /* + /<output>/ */
#define DELIVER_REST_BREAKERS	"state/breakers" /* + /<output> */
#define DELIVER_REST_SOURCE	"rest:"		 /* meta source prefix */
#define DELIVER_REST_RECORD_MAX (256u << 20)	 /* bytes of one record */
#define DELIVER_REST_SECRET_MAX (64u << 10)	 /* bytes of a secret file */
#define DELIVER_REST_LINE_MAX	(256u << 20)	 /* bytes of a batch line */

struct deliver_rest_stats {
	size_t queued;	 /* records taken from published batches */
	size_t requests; /* HTTP requests made */
	size_t sent;	 /* records the ERP accepted */
	size_t deferred; /* records put back for a later attempt */
	size_t failed;	 /* records put in error/ */
	size_t held;	 /* due records not sent: breaker open */
	size_t open_breakers;
};

struct deliver_rest {
	const struct config *cfg;
	struct spool *spool;
	struct journal *journal;
	const char *only_partner; /* run --partner: others wait */
	time_t (*clock)(void);
	uint64_t (*random)(void); /* NULL: getrandom(2) */
};

/*
 * Split published batches, then send what is due (see above).  Fails for
 * a spool or journal failure, or EDI_ECONFIG when a secret cannot be read
 * (the other outputs are still served; the records wait).
 */
enum edi_code deliver_rest_run(struct deliver_rest *d,
			       struct deliver_rest_stats *stats,
			       struct edi_error *err);

/*
 * For the pipeline: entry meta (in work/, source "rest:<output>") goes
 * to *to: SPOOL_ARCHIVE when its record was sent already, else
 * SPOOL_DEFERRED with its row made pending (a failed row - a replay -
 * starts its attempts again).  Writes join the caller's transaction.
 */
enum edi_code deliver_rest_route(struct journal *j,
				 const struct spool_meta *meta, time_t now,
				 enum spool_state *to, struct edi_error *err);

/* Is source ("rest:erp") that of a record entry? */
bool deliver_rest_source(const char *source);

/*
 * For `trace KEY`: a line per REST delivery of the record (or record
 * entry) KEY added to out; *n counts them.
 */
enum edi_code deliver_rest_trace(struct journal *j, const char *key,
				 struct buf *out, size_t *n,
				 struct edi_error *err);

/* The breaker of output (closed when there is no file yet). */
enum edi_code deliver_rest_breaker(const struct spool *sp, const char *output,
				   struct breaker *b, struct edi_error *err);

/*
 * For `status`: each rest output with its breaker and its records
 * pending, sent and failed, as text lines added to text, or (json not
 * NULL) as the value of a "rest" key: an array of objects.
 */
enum edi_code deliver_rest_status(const struct config *cfg,
				  const struct spool *sp, struct journal *j,
				  struct json_out *json, struct buf *text,
				  struct edi_error *err);

#endif
