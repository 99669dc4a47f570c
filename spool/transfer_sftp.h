/*
 * transfer_sftp - pull a partner's files into the spool over SFTP, and
 * push what waits in outbound/<partner>/ to it.
 *
 * Pull (the profile's sftp.inbound): list the remote folder, keep the
 * files the profile wants (sftp_select), wait until each is stable or has
 * its done marker (remembered across runs in journal_sftp), take at most
 * max_files, oldest first.  Each file is streamed into a spool receipt
 * (source "sftp:<partner>", partner the profile's id, transport details
 * host/port/user/path/size/mtime) and committed to in/; only then is the
 * remote file deleted or moved to the remote archive folder (and its done
 * marker removed).  Before the first byte the journal notes which entry
 * the file goes to, so a pull killed at any moment neither loses nor
 * doubles a file: a remote file whose entry already reached the spool is
 * only removed the next time, never fetched again.  A transfers row
 * (direction in, status received) records every file.
 *
 * Push (sftp.outbound): upload every file of outbound/<partner>/ under a
 * temporary name, fsync it on the server, rename it to its name, then
 * spool_outbound_sent() writes the receipt and moves it to sent/, and a
 * transfers row (direction out, status sent) is added.  A crash between
 * the rename and the move to sent/ finds the file already on the server
 * next time (same name and size) and only finishes the bookkeeping.
 *
 * One pull and one push per partner at a time: an flock on
 * <spool>/state/sftp-<partner>.pull.lock (.push.lock); a busy lock is
 * EDI_ETEMP.  Connecting is retried (sftp.retries, backoff doubling from
 * sftp.retry_backoff seconds).  The functions return the partner's
 * outcome: EDI_OK, EDI_ETEMP (server down or busy: try again later;
 * nothing lost), EDI_ECONFIG (host key, login, key: a person must act)
 * or another code.  Per-file events go to env->note; nothing prints.
 */
#ifndef EDI_TRANSFER_SFTP_H
#define EDI_TRANSFER_SFTP_H

#include <stddef.h>
#include <time.h>

#include "config.h"
#include "edi_error.h"
#include "journal.h"
#include "registry.h"
#include "spool_layout.h"

struct transfer_env {
	const struct config *cfg;
	const struct spool *sp;
	struct journal *journal;
	time_t (*clock)(void);
	/* one line about a file or a partner ("pulled 'a.x12' as <id>") */
	void (*note)(void *ctx, const char *partner, const char *line);
	void *note_ctx;
};

/* A line for env's note callback about partner p (nothing when unset). */
void transfer_note(const struct transfer_env *env, const struct partner *p,
		   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

struct transfer_counts {
	size_t files;	/* pulled or pushed */
	size_t waiting; /* not stable yet, over max_files, or not sent */
	size_t failed;	/* files that failed (others went on) */
};

enum edi_code transfer_sftp_pull(const struct transfer_env *env,
				 const struct partner *p,
				 struct transfer_counts *counts,
				 struct edi_error *err);
enum edi_code transfer_sftp_push(const struct transfer_env *env,
				 const struct partner *p,
				 struct transfer_counts *counts,
				 struct edi_error *err);

#endif
