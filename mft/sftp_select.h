/*
 * sftp_select - which remote files a pull takes, and when (pure).
 *
 * A pull looks at a remote folder and takes only files meant for it
 * (sftp_wanted(): not a dot name, which is how uploads in progress are
 * usually named; not a done marker itself; matching one of the include
 * patterns when there are any and none of the exclude patterns, PCRE2 on
 * the base name) and only once they are complete (sftp_ready(): the done
 * marker is there when one is required, and size and mtime have not
 * changed for stable_seconds, as seen by earlier looks that the caller
 * remembers across runs).  sftp_sort() orders files oldest first so a
 * cap on files per poll takes the oldest.  The patterns are compiled by
 * the caller (pcre2_code *); nothing here allocates, reads the clock or
 * touches the network.
 */
#ifndef EDI_SFTP_SELECT_H
#define EDI_SFTP_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sftp_file.h"

struct sftp_filter {
	void *const *include; /* pcre2_code *; none: every name */
	size_t ninclude;
	void *const *exclude;
	size_t nexclude;
	const char *done_marker; /* suffix such as ".done", or NULL */
};

/* Is name a file for the pull (see above)? */
bool sftp_wanted(const struct sftp_filter *f, const char *name);

/* What an earlier look saw of a file; known false: never seen. */
struct sftp_seen {
	bool known;
	uint64_t size;
	int64_t mtime;
	int64_t first_seen; /* when it was first seen with this size+mtime */
};

enum sftp_readiness {
	SFTP_READY,   /* take it now */
	SFTP_WAIT,    /* unchanged, but not for long enough (or no marker) */
	SFTP_CHANGED, /* new or changed: remember it as first seen now */
};

/*
 * Is a file of size and mtime ready at now?  marker_required and
 * marker_present: the done marker rule.  stable_seconds 0: no waiting for
 * size and mtime.  SFTP_CHANGED also when a marker is missing and the
 * file is new or changed, so the caller keeps its memory current.
 */
enum sftp_readiness sftp_ready(const struct sftp_seen *seen, uint64_t size,
			       int64_t mtime, int64_t now,
			       unsigned stable_seconds, bool marker_required,
			       bool marker_present);

/* Oldest mtime first, then by name. */
void sftp_sort(struct sftp_entry *e, size_t n);

#endif
