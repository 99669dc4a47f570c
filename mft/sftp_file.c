/*
 * sftp_file - remote file operations; see sftp_file.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "sftp_file.h"

#include <libssh2.h>
#include <libssh2_sftp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

enum edi_code sftp_join(char *dst, size_t size, const char *dir,
			const char *name, struct edi_error *err)
{
	size_t n = strlen(dir);
	int w = snprintf(dst, size, "%s%s%s", dir,
			 n && dir[n - 1] == '/' ? "" : "/", name);

	if (w < 0 || (size_t)w >= size)
		return edi_fail(err, EDI_ELIMIT, NULL,
				"remote path '%s/%s' is too long", dir, name);
	return EDI_OK;
}

enum edi_code sftp_list(struct sftp_conn *c, const char *dir,
			struct sftp_entry **out, size_t *n,
			struct edi_error *err)
{
	LIBSSH2_SFTP_HANDLE *h;
	size_t cap = 64;
	enum edi_code rc = EDI_OK;

	*n = 0;
	*out = xcalloc(cap, sizeof(**out));
	h = libssh2_sftp_open_ex(c->sftp, dir, (unsigned)strlen(dir), 0, 0,
				 LIBSSH2_SFTP_OPENDIR);
	if (!h)
		return sftp_conn_fail(c, err, "cannot list '%s'", dir);
	for (;;) {
		char name[SFTP_NAME_MAX];
		LIBSSH2_SFTP_ATTRIBUTES a;
		int got = libssh2_sftp_readdir_ex(h, name, sizeof(name), NULL,
						  0, &a);
		if (got == 0)
			break;
		if (got < 0) {
			rc = sftp_conn_fail(c, err, "cannot list '%s'", dir);
			break;
		}
		if ((size_t)got >= sizeof(name) - 1 || memchr(name, '/', got))
			continue; /* cut short or odd: not ours to take */
		name[got] = '\0';
		if (!(a.flags & LIBSSH2_SFTP_ATTR_PERMISSIONS) ||
		    !LIBSSH2_SFTP_S_ISREG(a.permissions))
			continue;
		if (*n == SFTP_LIST_MAX) {
			rc = edi_fail(err, EDI_ELIMIT, NULL,
				      "'%s' on %s holds more than %d files",
				      dir, c->where, SFTP_LIST_MAX);
			break;
		}
		if (*n == cap) {
			cap *= 2;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		memcpy((*out)[*n].name, name, (size_t)got + 1);
		(*out)[*n].size =
			a.flags & LIBSSH2_SFTP_ATTR_SIZE ? a.filesize : 0;
		(*out)[*n].mtime = a.flags & LIBSSH2_SFTP_ATTR_ACMODTIME
					   ? (int64_t)a.mtime
					   : 0;
		(*n)++;
	}
	libssh2_sftp_close_handle(h);
	return rc;
}

enum edi_code sftp_stat(struct sftp_conn *c, const char *path,
			struct sftp_entry *e, struct edi_error *err)
{
	LIBSSH2_SFTP_ATTRIBUTES a;
	const char *base = strrchr(path, '/');

	memset(e, 0, sizeof(*e));
	if (libssh2_sftp_stat_ex(c->sftp, path, (unsigned)strlen(path),
				 LIBSSH2_SFTP_STAT, &a) != 0)
		return sftp_conn_fail(c, err, "cannot look at '%s'", path);
	snprintf(e->name, sizeof(e->name), "%s", base ? base + 1 : path);
	e->size = a.flags & LIBSSH2_SFTP_ATTR_SIZE ? a.filesize : 0;
	e->mtime = a.flags & LIBSSH2_SFTP_ATTR_ACMODTIME ? (int64_t)a.mtime : 0;
	return EDI_OK;
}

enum edi_code sftp_fetch(struct sftp_conn *c, const char *path,
			 sftp_sink_fn sink, void *ctx, uint64_t *size,
			 struct edi_error *err)
{
	LIBSSH2_SFTP_HANDLE *h;
	char *chunk;
	enum edi_code rc = EDI_OK;

	*size = 0;
	h = libssh2_sftp_open_ex(c->sftp, path, (unsigned)strlen(path),
				 LIBSSH2_FXF_READ, 0, LIBSSH2_SFTP_OPENFILE);
	if (!h)
		return sftp_conn_fail(c, err, "cannot open '%s'", path);
	chunk = xmalloc(SFTP_CHUNK_BYTES);
	for (;;) {
		ssize_t got = libssh2_sftp_read(h, chunk, SFTP_CHUNK_BYTES);
		if (got == 0)
			break;
		if (got < 0) {
			rc = sftp_conn_fail(c, err, "cannot read '%s'", path);
			break;
		}
		rc = sink(ctx, chunk, (size_t)got, err);
		if (rc)
			break;
		*size += (uint64_t)got;
	}
	free(chunk);
	libssh2_sftp_close_handle(h);
	return rc;
}

enum edi_code sftp_remove(struct sftp_conn *c, const char *path,
			  struct edi_error *err)
{
	if (libssh2_sftp_unlink_ex(c->sftp, path, (unsigned)strlen(path)) != 0)
		return sftp_conn_fail(c, err, "cannot remove '%s'", path);
	return EDI_OK;
}

enum edi_code sftp_rename(struct sftp_conn *c, const char *from, const char *to,
			  struct edi_error *err)
{
	/* SFTP v3 (OpenSSH) ignores the flags and never overwrites */
	if (libssh2_sftp_rename_ex(c->sftp, from, (unsigned)strlen(from), to,
				   (unsigned)strlen(to),
				   LIBSSH2_SFTP_RENAME_ATOMIC |
					   LIBSSH2_SFTP_RENAME_NATIVE) != 0)
		return sftp_conn_fail(c, err, "cannot rename '%s' to '%s'",
				      from, to);
	return EDI_OK;
}

static enum edi_code write_all(struct sftp_conn *c, LIBSSH2_SFTP_HANDLE *h,
			       const char *p, size_t n, const char *path,
			       struct edi_error *err)
{
	while (n) {
		ssize_t put = libssh2_sftp_write(h, p, n);
		if (put <= 0)
			return sftp_conn_fail(c, err, "cannot write '%s'",
					      path);
		p += put;
		n -= (size_t)put;
	}
	return EDI_OK;
}

enum edi_code sftp_put(struct sftp_conn *c, const char *dir, const char *name,
		       sftp_source_fn source, void *ctx, uint64_t *size,
		       bool *fsynced, struct edi_error *err)
{
	char tmp_name[SFTP_NAME_MAX + 32], tmp[SFTP_PATH_MAX],
		final[SFTP_PATH_MAX];
	LIBSSH2_SFTP_HANDLE *h;
	char *chunk;
	enum edi_code rc;
	struct edi_error ignored;

	*size = 0;
	*fsynced = false;
	snprintf(tmp_name, sizeof(tmp_name),
		 SFTP_TMP_PREFIX "%s" SFTP_TMP_SUFFIX, name);
	if ((rc = sftp_join(tmp, sizeof(tmp), dir, tmp_name, err)) != EDI_OK ||
	    (rc = sftp_join(final, sizeof(final), dir, name, err)) != EDI_OK)
		return rc;
	h = libssh2_sftp_open_ex(c->sftp, tmp, (unsigned)strlen(tmp),
				 LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT |
					 LIBSSH2_FXF_EXCL,
				 0640, LIBSSH2_SFTP_OPENFILE);
	if (!h) {
		rc = sftp_conn_fail(c, err, "cannot create '%s'", tmp);
		if (rc == EDI_ETEMP || rc == EDI_ENOENT)
			return rc;
		/* left by an upload that died: ours (the dot name), and the
		 * caller holds the partner's lock, so nobody writes it now */
		if (libssh2_sftp_unlink_ex(c->sftp, tmp,
					   (unsigned)strlen(tmp)) != 0)
			return rc;
		h = libssh2_sftp_open_ex(c->sftp, tmp, (unsigned)strlen(tmp),
					 LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT |
						 LIBSSH2_FXF_EXCL,
					 0640, LIBSSH2_SFTP_OPENFILE);
		if (!h)
			return sftp_conn_fail(c, err, "cannot create '%s'",
					      tmp);
	}
	chunk = xmalloc(SFTP_CHUNK_BYTES);
	for (;;) {
		long got = source(ctx, chunk, SFTP_CHUNK_BYTES);
		if (got == 0)
			break;
		if (got < 0) {
			rc = edi_fail(err, EDI_EIO, NULL,
				      "cannot read the file to send as '%s'",
				      name);
			break;
		}
		rc = write_all(c, h, chunk, (size_t)got, tmp, err);
		if (rc)
			break;
		*size += (uint64_t)got;
	}
	free(chunk);
	if (rc == EDI_OK)
		*fsynced = libssh2_sftp_fsync(h) == 0;
	if (libssh2_sftp_close_handle(h) != 0 && rc == EDI_OK)
		rc = sftp_conn_fail(c, err, "cannot finish '%s'", tmp);
	if (rc == EDI_OK)
		rc = sftp_rename(c, tmp, final, err);
	if (rc && rc != EDI_ETEMP)
		sftp_remove(c, tmp, &ignored);
	return rc;
}
