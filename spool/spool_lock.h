/*
 * spool_lock - one edigate run at a time per spool.
 *
 * spool_lock() takes flock(LOCK_EX | LOCK_NB) on <spool>/state/lock and
 * writes the holder's pid into the file, for the message another process
 * gets: EDI_ETEMP, "another edigate run holds the spool lock (pid 1234)"
 * (cron tries again later).  The lock belongs to an open file description
 * opened with O_CLOEXEC: it is released by spool_unlock(), or by the
 * kernel when the process exits or dies, and is not inherited by programs
 * the run executes.  A second spool_lock() in the same process on another
 * struct spool_lock fails like one from another process.
 */
#ifndef EDI_SPOOL_LOCK_H
#define EDI_SPOOL_LOCK_H

#include "edi_error.h"
#include "spool_layout.h"

#define SPOOL_LOCK_FILE "state/lock"

struct spool_lock {
	int fd; /* -1: not held */
};

enum edi_code spool_lock(const struct spool *sp, struct spool_lock *lock,
			 struct edi_error *err);
/* Clear the pid and release; safe on a lock not held. */
void spool_unlock(struct spool_lock *lock);

#endif
