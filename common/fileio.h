/*
 * fileio - durable file writes, directory sync, bounded reads, mkdir -p.
 *
 * A file appears under its name only whole (STYLE rule 15): the bytes go
 * to a temp file with a unique name in the same folder (or in a given
 * temp folder on the same filesystem), the temp file is fsync'd, renamed
 * over the name, and the folder is fsync'd.  fileio_commit() is the one
 * function in edigate that does this; fileio_write_durable() is the
 * one-buffer shorthand.  A reader sees the old file or the new one, never
 * a part; after a crash a temp file may be left behind (its name starts
 * with a dot), never a partial file under the name.  On any failure the
 * temp file is removed.
 *
 * The caller owns a struct fileio_writer; it holds an open descriptor and
 * heap memory from fileio_begin() until fileio_commit() or fileio_abort().
 * Errors name the path and strerror(errno); the code says what kind of
 * failure it was (fileio_code()).  Nothing here prints or exits.
 */
#ifndef EDI_FILEIO_H
#define EDI_FILEIO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "edi_error.h"

#define FILEIO_MODE	0644 /* permissions of a committed file */
#define FILEIO_PATH_MAX 4096 /* bytes of a path, with the NUL */
#define FILEIO_TREE_MAX 64   /* folder depth fileio_remove_tree walks */
#define FILEIO_TMP_STEM 40   /* bytes of the name kept in a temp name */

struct fileio_writer {
	int fd;		 /* the temp file, open for writing; -1 when done */
	char *tmp_path;	 /* where the bytes are being written */
	char *tmp_dir;	 /* the folder of tmp_path */
	char *path;	 /* dir/name: where the file appears at commit */
	char *dir;	 /* the folder of path */
	mode_t mode;	 /* permissions given at commit (FILEIO_MODE) */
	uint64_t nbytes; /* written so far */
	/* commit without fsync'ing the folders: for a caller that fsyncs
	 * the folder itself right after (it must) */
	bool no_dir_sync;
	/* commit without any fsync: for a caller that syncs the whole
	 * filesystem before relying on the file */
	bool no_sync;
};

/*
 * The edi_code for an errno value: EDI_ENOENT (ENOENT, ENOTDIR),
 * EDI_EISDIR, EDI_ETEMP (ENOSPC, EDQUOT, EMFILE, ENFILE, EAGAIN, EBUSY,
 * EINTR: worth a retry later), EDI_ELIMIT (ENAMETOOLONG), else EDI_EIO.
 */
enum edi_code fileio_code(int errnum);

/*
 * Start writing dir/name (name a base name: no '/', not "." or "..").
 * The temp file is dir/.NAME.XXXXXX (mkstemp).  fileio_begin_tmp() puts
 * it in tmp_dir instead, which must be on the same filesystem as dir.
 * On failure nothing is left open or created.
 */
enum edi_code fileio_begin(struct fileio_writer *w, const char *dir,
			   const char *name, struct edi_error *err);
enum edi_code fileio_begin_tmp(struct fileio_writer *w, const char *tmp_dir,
			       const char *dir, const char *name,
			       struct edi_error *err);
/*
 * Append n bytes.  Callers that stream through their own writer may
 * write to w->fd directly instead.  On failure the writer is aborted
 * (temp file removed); fileio_abort() afterwards does nothing.
 */
enum edi_code fileio_write(struct fileio_writer *w, const void *p, size_t n,
			   struct edi_error *err);
/*
 * fsync the temp file, give it w->mode, rename it over dir/name, fsync
 * dir (and tmp_dir when it differs).  The writer is finished afterwards,
 * success or not.  On a failure before the rename the temp file is removed
 * and dir/name is untouched; when only the final folder fsync fails the
 * new file is in place but may not survive a crash (the error says so).
 */
enum edi_code fileio_commit(struct fileio_writer *w, struct edi_error *err);
/* Remove the temp file and free the writer; safe on a finished writer. */
void fileio_abort(struct fileio_writer *w);

/* begin + write + commit of one buffer. */
enum edi_code fileio_write_durable(const char *dir, const char *name,
				   const void *data, size_t len,
				   struct edi_error *err);
/*
 * The same without any fsync: the file appears whole (temp file, rename)
 * but may not survive a crash until the caller syncs the filesystem
 * (the spool's group sync does).
 */
enum edi_code fileio_write_unsynced(const char *dir, const char *name,
				    const void *data, size_t len,
				    struct edi_error *err);

/*
 * rename(2) from to to (same filesystem), then fsync the folder of to and,
 * when it differs, the folder of from.  An existing file at to is
 * replaced (rename semantics); callers that must not replace check first.
 */
enum edi_code fileio_rename(const char *from, const char *to,
			    struct edi_error *err);

/*
 * fsync a folder so that the names created, renamed or removed in it
 * survive a crash.  EINVAL from fsync (filesystems that cannot sync a
 * folder) counts as success.
 */
enum edi_code fileio_fsync_dir(const char *path, struct edi_error *err);

/*
 * Read the whole file at path into out, which this function initializes
 * with maximum max (buf_init); the caller releases it, also on failure.
 * A file larger than max fails with EDI_ELIMIT, a folder with EDI_EISDIR,
 * a missing file with EDI_ENOENT.
 */
enum edi_code fileio_read_all(const char *path, size_t max, struct buf *out,
			      struct edi_error *err);

/*
 * mkdir -p: create path and the missing folders above it with mode; the
 * parent of each folder created is fsync'd so the new folder survives a
 * crash.  An existing folder is fine; an existing non-folder fails.
 */
enum edi_code fileio_mkdirs(const char *path, mode_t mode,
			    struct edi_error *err);

/*
 * rm -r without following symbolic links; a missing path is fine.  Fails
 * with EDI_ELIMIT past FILEIO_TREE_MAX levels.  Not durable: callers that
 * need the removal to survive a crash fsync the parent folder.
 */
enum edi_code fileio_remove_tree(const char *path, struct edi_error *err);

/* dst = dir "/" name; EDI_ELIMIT when it does not fit in size bytes. */
enum edi_code fileio_join(char *dst, size_t size, const char *dir,
			  const char *name, struct edi_error *err);

#endif
