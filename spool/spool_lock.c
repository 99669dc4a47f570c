/*
 * spool_lock - the run lock on state/lock; see spool_lock.h.
 */
#include "spool_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fileio.h"

/* The pid the holder wrote, 0 when there is none (yet). */
static long holder_pid(int fd)
{
	char text[32];
	ssize_t got = pread(fd, text, sizeof(text) - 1, 0);
	long pid = 0;

	if (got <= 0)
		return 0;
	text[got] = '\0';
	for (const char *p = text; *p >= '0' && *p <= '9'; p++) {
		pid = pid * 10 + (*p - '0');
		if (pid > 1000000000L)
			return 0;
	}
	return pid;
}

enum edi_code spool_lock(const struct spool *sp, struct spool_lock *lock,
			 struct edi_error *err)
{
	char path[FILEIO_PATH_MAX], text[32];
	enum edi_code rc;
	long pid;
	int fd, n;

	lock->fd = -1;
	rc = spool_path(sp, SPOOL_LOCK_FILE, path, sizeof(path), err);
	if (rc)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot open the spool lock '%s': %s", path,
				strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;

		if (e == EINTR)
			continue;
		if (e == EWOULDBLOCK) {
			pid = holder_pid(fd);
			close(fd);
			if (pid > 0)
				return edi_fail(err, EDI_ETEMP, NULL,
						"another edigate run holds the "
						"spool lock (pid %ld)",
						pid);
			return edi_fail(err, EDI_ETEMP, NULL,
					"another edigate run holds the spool "
					"lock");
		}
		close(fd);
		return edi_fail(err, EDI_EIO, NULL,
				"cannot lock the spool '%s': %s", path,
				strerror(e));
	}
	n = snprintf(text, sizeof(text), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, text, (size_t)n, 0) != n) {
		int e = errno;

		close(fd);
		return edi_fail(err, fileio_code(e), NULL,
				"cannot write the spool lock '%s': %s", path,
				strerror(e));
	}
	lock->fd = fd;
	return EDI_OK;
}

void spool_unlock(struct spool_lock *lock)
{
	if (lock->fd < 0)
		return;
	/* the pid goes first: a reader must not see a stale holder */
	if (ftruncate(lock->fd, 0) != 0) {
		/* nothing to do: the lock is released below all the same */
	}
	close(lock->fd);
	lock->fd = -1;
}
