/*
 * journal_as2 - AS2 messages and their MDNs, in the journal.
 *
 * One row per message and direction: for a message we received (in) the
 * spool entry it became and the MDN we answered with, kept whole so a
 * repeated Message-ID from the same partner gets the same MDN back and is
 * not spooled again; for a message we sent (out) the MIC its MDN must
 * return, where the sent file went, its status ("sending" before the
 * first byte, so a resend after a crash reuses the Message-ID; then
 * "sent", "awaiting-mdn", "failed") and the MDN received.  The table is
 * created on first use (journal_int.h); writes join the caller's
 * transaction.
 *
 *   as2_messages(direction, partner, message_id, name, entry_id, mic,
 *                status, detail, sent_path, mdn, at,
 *                PRIMARY KEY (direction, partner, message_id))
 */
#ifndef EDI_JOURNAL_AS2_H
#define EDI_JOURNAL_AS2_H

#include <stdint.h>

#include "as2_cms.h"
#include "as2_msg.h"
#include "buf.h"
#include "edi_error.h"
#include "fileio.h"
#include "journal.h"

struct journal_as2 {
	char direction[JOURNAL_WORD_MAX]; /* "in" or "out" */
	char partner[JOURNAL_ID_MAX];
	char message_id[AS2_MSGID_MAX];
	char name[JOURNAL_NAME_MAX];
	char entry_id[JOURNAL_ID_MAX];
	char mic[AS2_MIC_MAX];
	char status[JOURNAL_WORD_MAX];
	char detail[512];
	char sent_path[FILEIO_PATH_MAX];
	int64_t at;
};

/* Insert or replace m (keyed by direction, partner, message_id); mdn may
 * be empty. */
enum edi_code journal_as2_put(struct journal *j, const struct journal_as2 *m,
			      struct strview mdn, struct edi_error *err);
/*
 * The row of (direction, partner, message_id) into *m and, when mdn is
 * not NULL, its MDN appended to mdn.  EDI_ENOENT when there is none.
 */
enum edi_code journal_as2_get(struct journal *j, const char *direction,
			      const char *partner, const char *message_id,
			      struct journal_as2 *m, struct buf *mdn,
			      struct edi_error *err);
/*
 * The latest out row of partner for file name whose status is "sending"
 * (a send that did not finish): its Message-ID is reused.  EDI_ENOENT:
 * none.
 */
enum edi_code journal_as2_unfinished(struct journal *j, const char *partner,
				     const char *name, struct journal_as2 *m,
				     struct edi_error *err);

#endif
