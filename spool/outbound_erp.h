/*
 * outbound_erp - ERP export files dropped in <spool>/erp-in/ become
 * outbound X12 in outbound/<partner>/ (docs/outbound.md).
 *
 * outbound_erp_pickup() (start of a run) admits every file waiting in
 * erp-in/ as a spool entry in in/ with meta source "erp-in" and the
 * partner its name gives (<partner>*.jsonl: the longest profile id the
 * name starts with, followed by '.', '_' or '-'), else the `partner` of
 * its first record; the file is removed from erp-in/ only after the entry
 * is durable (a crash in between admits it twice, which the record ids
 * make harmless).  Names starting with a dot are still being written and
 * wait.
 *
 * outbound_erp_entry() is the pipeline's work for such an entry, inside
 * the group's journal transaction: each record (JSON Lines, DESIGN §4)
 * must carry an `id`, the idempotency key; records already in
 * journal_outbound for the partner (a replay, a crash) are skipped; the
 * rest become one interchange staged through the group's outbox with
 * control numbers from the journal's counters, and one journal_outbound
 * row per set.  A record that cannot be mapped (or has no id, or names
 * another partner) is an error in diag and the entry goes to error/ with
 * stage "map" (or "partner" when no partner profile serves the file):
 * the accepted records of the file still go out, and a replay after the
 * fix sends only what is missing.  Journal and disk failures are returned
 * (EDI_EIO...) and the entry stays for the next run.
 */
#ifndef EDI_OUTBOUND_ERP_H
#define EDI_OUTBOUND_ERP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "edi_error.h"
#include "journal.h"
#include "outbox.h"
#include "registry.h"
#include "spool_layout.h"

#define OUTBOUND_ERP_DIR    "erp-in"
#define OUTBOUND_ERP_SOURCE "erp-in"
#define OUTBOUND_ERP_MAX    ((size_t)64 << 20) /* bytes in one file */

/* Is an entry's meta source that of an ERP export? */
bool outbound_erp_source(const char *source);

/* Admit what waits in erp-in/ (made on first use); *admitted counts. */
enum edi_code outbound_erp_pickup(const struct spool *sp,
				  const struct registry *reg, time_t now,
				  size_t *admitted, struct edi_error *err);

struct outbound_erp_result {
	const struct partner *partner; /* NULL: none found */
	const char *stage;	       /* NULL: all sent; "map", "partner" */
	size_t records, sent, skipped, failed;
};

/*
 * Emit the records of the entry in entry_dir (meta m) for its partner;
 * problems go to diag.  Must run inside the journal transaction that
 * outbox belongs to.
 */
enum edi_code outbound_erp_entry(const struct registry *reg, struct journal *j,
				 struct outbox *outbox, const char *entry_dir,
				 const struct spool_meta *m, time_t now,
				 struct outbound_erp_result *res,
				 struct edi_diag *diag, struct edi_error *err);

#endif
