/*
 * journal_transfer - what transports received and sent, in the journal.
 *
 * One row per transfer: a file pulled over SFTP or received over AS2
 * (direction "in", with the spool entry it became), a file pushed or sent
 * (direction "out", with the receipt: remote name, AS2 Message-ID and MDN
 * disposition).  `status` and `trace` show them; the AS2 receiver finds a
 * repeated Message-ID here.  The table is created on first use
 * (journal_int.h); writes join the caller's transaction.
 *
 *   transfers(seq PK, direction, partner, transport, name, entry_id,
 *             remote, message_id, status, detail, at)
 */
#ifndef EDI_JOURNAL_TRANSFER_H
#define EDI_JOURNAL_TRANSFER_H

#include <stdint.h>

#include "edi_error.h"
#include "journal.h"

#define JOURNAL_DETAIL_MAX 1024

struct journal_transfer {
	char direction[JOURNAL_WORD_MAX]; /* "in" or "out" */
	char partner[JOURNAL_ID_MAX];
	char transport[JOURNAL_WORD_MAX];  /* "sftp", "as2", "rest" */
	char name[JOURNAL_NAME_MAX];	   /* the file's name */
	char entry_id[JOURNAL_ID_MAX];	   /* spool entry received, or "" */
	char remote[JOURNAL_NAME_MAX];	   /* remote path or URL */
	char message_id[JOURNAL_NAME_MAX]; /* AS2 Message-ID, or "" */
	char status[JOURNAL_WORD_MAX];	   /* received, sent, failed... */
	char detail[JOURNAL_DETAIL_MAX];   /* receipt or reason, words */
	int64_t at;
};

/* Add t; strings must be NUL-terminated in their arrays (EDI_ELIMIT). */
enum edi_code journal_transfer_add(struct journal *j,
				   const struct journal_transfer *t,
				   struct edi_error *err);
/*
 * The latest transfer of partner in direction with this Message-ID into
 * *t; EDI_ENOENT when there is none.
 */
enum edi_code journal_transfer_by_message(struct journal *j,
					  const char *partner,
					  const char *direction,
					  const char *message_id,
					  struct journal_transfer *t,
					  struct edi_error *err);
/*
 * Call fn with every transfer of entry_id or with name, oldest first.
 * A non-zero return from fn stops the walk and is returned.
 */
enum edi_code journal_transfers_of(
	struct journal *j, const char *key,
	enum edi_code (*fn)(void *ctx, const struct journal_transfer *t,
			    struct edi_error *err),
	void *ctx, struct edi_error *err);

#endif
