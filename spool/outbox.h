/*
 * outbox - outbound X12 made by a run, published crash-safely.
 *
 * Acknowledgments and outbound documents take control numbers from the
 * journal's counters (outbox_next_control()), which are committed with the
 * run's journal transaction.  The file that carries them must appear in
 * outbound/<partner>/ if and only if that transaction commits, so it goes
 * the way of an output batch: outbox_stage() writes it durably into
 * state/batches/ and records it as a `written` batch of output
 * "outbound:<partner>" (inside the caller's transaction); after
 * journal_commit() outbox_publish() renames every staged file into
 * outbound/<partner>/ and marks the batches renamed.  After a crash the
 * pipeline's recovery finishes the renames of committed batches
 * (outbox_recover_one()) and drops uncommitted ones, whose counter values
 * were rolled back with them: a control number is never used twice and
 * never lost with a file.  After journal_rollback() call
 * outbox_discard().
 */
#ifndef EDI_OUTBOX_H
#define EDI_OUTBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "edi_error.h"
#include "fileio.h"
#include "journal.h"
#include "spool_layout.h"

#define OUTBOX_OUTPUT_PREFIX "outbound:"
#define OUTBOX_BATCH_DIR     "state/batches"
#define OUTBOX_CONTROL_MAX   999999999 /* ISA13 and GS06: nine digits */

struct outbox_file {
	char name[SPOOL_NAME_MAX];
	char partner[SPOOL_ID_PARTNER_MAX];
	char staged[FILEIO_PATH_MAX];
};

struct outbox {
	const struct spool *sp;
	struct journal *journal;
	struct outbox_file *files;
	size_t n, cap;
};

void outbox_init(struct outbox *o, const struct spool *sp, struct journal *j);
/* Drop what was staged and not published (files removed); free. */
void outbox_release(struct outbox *o);

/*
 * Stage data as outbound/<partner>/<name> (a base name, see
 * outbox_name()); entry_id: the spool entry it answers or came from, or
 * NULL.  Must run inside the caller's journal transaction.
 */
enum edi_code outbox_stage(struct outbox *o, const char *partner,
			   const char *name, const char *entry_id,
			   const void *data, size_t len, time_t now,
			   struct edi_error *err);
/*
 * After journal_commit(): rename the staged files into place and record
 * them as renamed (one more commit).  A failure leaves the rest for
 * recovery, which will finish them.
 */
enum edi_code outbox_publish(struct outbox *o, time_t now,
			     struct edi_error *err);
/* After journal_rollback(): remove the staged files. */
void outbox_discard(struct outbox *o);

/* Is output an outbox output?  Its partner goes to partner. */
bool outbox_output(const char *output, char partner[SPOOL_ID_PARTNER_MAX]);
/*
 * Recovery of one committed batch of an outbox output: rename
 * state/batches/<name> into outbound/<partner>/ when it is still there.
 * *renamed says whether it was.
 */
enum edi_code outbox_recover_one(const struct spool *sp, const char *name,
				 const char *output, bool *renamed,
				 struct edi_error *err);

/*
 * The next control number `which` ("isa13", "gs06") for partner, from
 * the journal's counters in [1, OUTBOX_CONTROL_MAX]; part of the caller's
 * transaction.
 */
enum edi_code outbox_next_control(struct journal *j, const char *partner,
				  const char *which, int64_t *value,
				  struct edi_error *err);

/*
 * A file name for outbound X12: <UTC time>-<kind>-<ISA13>.x12, e.g.
 * 20261127T093012Z-997-000000017.x12 (kind: "997", "999", "ta1", "855"..).
 */
void outbox_name(char dst[SPOOL_NAME_MAX], time_t now, const char *kind,
		 int64_t isa13);

#endif
