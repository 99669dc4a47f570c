/*
 * sftp_file - remote files over an open sftp_conn: list, fetch, put,
 * remove, rename.
 *
 * sftp_list() reads one remote folder (regular files only, with size and
 * mtime).  sftp_fetch() streams a remote file to a caller's sink, which
 * decides where the bytes go (the spool, in edigate); the remote file is
 * left alone.  sftp_put() uploads under a temporary dot name created
 * exclusively (a name in use fails rather than being overwritten), asks
 * the server to fsync it (fsync@openssh.com, when offered), then renames
 * it to the final name; the SFTP rename does not overwrite, so a final
 * name already there fails with EDI_EDATA and the temporary file is
 * removed.  A file being uploaded is therefore never seen under its final
 * name half written.
 *
 * Errors come from sftp_conn_fail(): EDI_ETEMP when the connection broke
 * or timed out (the server may be back later), EDI_ENOENT for a missing
 * remote file or folder, EDI_EIO otherwise; a sink's own error is
 * returned as it is.
 */
#ifndef EDI_SFTP_FILE_H
#define EDI_SFTP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edi_error.h"
#include "sftp_conn.h"

#define SFTP_NAME_MAX	 256   /* bytes of a remote base name, with NUL */
#define SFTP_PATH_MAX	 1024  /* bytes of a remote path, with NUL */
#define SFTP_LIST_MAX	 50000 /* entries one listing keeps */
#define SFTP_CHUNK_BYTES 32768
#define SFTP_TMP_PREFIX	 ".edigate-"
#define SFTP_TMP_SUFFIX	 ".part"

struct sftp_entry {
	char name[SFTP_NAME_MAX];
	uint64_t size;
	int64_t mtime; /* seconds, as the server says */
};

/*
 * The regular files of dir (no "." or "..", no folders or links), at most
 * SFTP_LIST_MAX (EDI_ELIMIT past that), in the order the server gives.
 * *out is malloc'd (free() it), also when there are none.
 */
enum edi_code sftp_list(struct sftp_conn *c, const char *dir,
			struct sftp_entry **out, size_t *n,
			struct edi_error *err);

/* Size and mtime of path; EDI_ENOENT when it is not there. */
enum edi_code sftp_stat(struct sftp_conn *c, const char *path,
			struct sftp_entry *e, struct edi_error *err);

typedef enum edi_code (*sftp_sink_fn)(void *ctx, const void *p, size_t n,
				      struct edi_error *err);

/* Read path to its end, handing every chunk to sink; *size gets bytes. */
enum edi_code sftp_fetch(struct sftp_conn *c, const char *path,
			 sftp_sink_fn sink, void *ctx, uint64_t *size,
			 struct edi_error *err);

typedef long (*sftp_source_fn)(void *ctx, void *p, size_t n);

/*
 * Upload what source gives (bytes read, 0 at the end, -1 on a local read
 * error) as dir/name (see above).  *fsynced says whether the server
 * confirmed an fsync.
 */
enum edi_code sftp_put(struct sftp_conn *c, const char *dir, const char *name,
		       sftp_source_fn source, void *ctx, uint64_t *size,
		       bool *fsynced, struct edi_error *err);

enum edi_code sftp_remove(struct sftp_conn *c, const char *path,
			  struct edi_error *err);
/* Rename; fails (EDI_EDATA or EDI_EIO) when to exists. */
enum edi_code sftp_rename(struct sftp_conn *c, const char *from, const char *to,
			  struct edi_error *err);

/* dst = dir/name ("/" between them unless dir ends with one). */
enum edi_code sftp_join(char *dst, size_t size, const char *dir,
			const char *name, struct edi_error *err);

#endif
