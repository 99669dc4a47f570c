/*
 * journal_sftp - what SFTP pulls remember between runs, in the journal.
 *
 * One row per remote file a pull has looked at and not yet finished with:
 * its size and mtime and when it was first seen so (the stability rule
 * across cron runs), and, once a download started, the spool entry it
 * goes to.  The states:
 *
 *   seen      looked at, waiting to be stable or for its done marker
 *   fetching  being downloaded into entry_id (written before the first
 *             byte): after a crash the next pull looks for that entry in
 *             the spool and, when it is there, only removes the remote
 *             file instead of fetching it a second time
 *   received  entry_id is in in/; the remote file is still to be removed
 *
 * The row goes when the remote file was removed or moved away, or when a
 * listing no longer shows it.  Every call is its own commit unless the
 * caller holds a journal transaction; the table is created on first use.
 *
 *   sftp_pulls(partner, path, size, mtime, first_seen, state, entry_id,
 *              at, PK(partner, path))
 */
#ifndef EDI_JOURNAL_SFTP_H
#define EDI_JOURNAL_SFTP_H

#include <stddef.h>
#include <stdint.h>

#include "edi_error.h"
#include "journal.h"

#define JOURNAL_SFTP_PATH_MAX 1024

enum journal_sftp_state {
	JOURNAL_SFTP_SEEN,
	JOURNAL_SFTP_FETCHING,
	JOURNAL_SFTP_RECEIVED
};

struct journal_sftp_pull {
	char path[JOURNAL_SFTP_PATH_MAX]; /* remote path */
	uint64_t size;
	int64_t mtime;
	int64_t first_seen;
	enum journal_sftp_state state;
	char entry_id[JOURNAL_ID_MAX]; /* "" while seen */
	int64_t at;		       /* last change */
};

/*
 * Every row of partner into *rows (malloc'd, free() it; NULL when none).
 */
enum edi_code journal_sftp_rows(struct journal *j, const char *partner,
				struct journal_sftp_pull **rows, size_t *n,
				struct edi_error *err);
/* Insert or replace the row of (partner, row->path). */
enum edi_code journal_sftp_put(struct journal *j, const char *partner,
			       const struct journal_sftp_pull *row,
			       struct edi_error *err);
/* Delete the row of (partner, path); no row is fine. */
enum edi_code journal_sftp_forget(struct journal *j, const char *partner,
				  const char *path, struct edi_error *err);

#endif
