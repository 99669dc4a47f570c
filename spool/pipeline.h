/*
 * pipeline - one run over the spool (DESIGN.md §3): claim what waits in
 * in/, translate it, deliver accepted records to the partner's outputs,
 * archive the originals or put them in error/ with their reasons.
 *
 * Files are handled in groups of config.run.batch_files.  For a group:
 * every entry is claimed into work/; each is translated and its accepted
 * records are appended to one batch file per output, written in
 * state/batches/; the batch files are fsync'd; then ONE journal
 * transaction records the files, sets, deliveries, batches (as written),
 * events and the state each entry is going to; after the commit the
 * batches are renamed into out/<output>/ (a rest output's into
 * state/rest/<output>/, which deliver_rest sends) and the entries moved to
 * archive/ or error/.
 *
 * Why nothing is lost or doubled: before the commit nothing is delivered
 * (batches sit in state/batches/, entries in work/; a new run moves work/
 * back to in/ and starts again).  After the commit the deliveries are
 * recorded: a new run first renames any batch the journal holds as
 * written, and sets already delivered are never written again (the
 * journal's deliveries table is the idempotency key), so a re-run or a
 * replay only delivers what was not delivered.
 */
#ifndef EDI_PIPELINE_H
#define EDI_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "edi_error.h"
#include "journal.h"
#include "registry.h"
#include "spool_layout.h"

struct pipeline_stats {
	size_t files;	 /* entries processed */
	size_t archived; /* every set accepted */
	size_t errored;	 /* something went to error/ */
	size_t sets_accepted, sets_rejected;
	size_t records;	       /* records written to outputs */
	size_t recovered;      /* entries moved back from work/ */
	size_t batches_redone; /* batches renamed by recovery */
	size_t acks;	       /* acknowledgment files made */
	size_t acks_matched;   /* our sets a partner's 997 settled */
	size_t erp_files;      /* files admitted from erp-in/ */
	size_t outbound_sets;  /* outbound X12 sets made from them */
};

struct pipeline {
	const struct config *cfg;
	const struct registry *reg;
	struct spool *spool;
	struct journal *journal;
	const char *only_partner; /* run --partner: others stay in in/ */
	bool progress;		  /* a line per file on stderr (a tty) */
	time_t (*clock)(void);	  /* time source (tests may fix it) */
};

/*
 * Recover what a dead run left (batches written but not renamed, entries
 * in work/), then process everything in in/ once.
 */
enum edi_code pipeline_run_once(struct pipeline *p,
				struct pipeline_stats *stats,
				struct edi_error *err);

#endif
