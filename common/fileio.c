/*
 * fileio - durable writes and small file-system helpers; see fileio.h.
 */
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xalloc.h"

#define READ_CHUNK (64u << 10)

enum edi_code fileio_code(int errnum)
{
	switch (errnum) {
	case ENOENT:
	case ENOTDIR:
		return EDI_ENOENT;
	case EISDIR:
		return EDI_EISDIR;
	case ENAMETOOLONG:
		return EDI_ELIMIT;
	case ENOSPC:
#ifdef EDQUOT
	case EDQUOT:
#endif
	case EMFILE:
	case ENFILE:
	case EAGAIN:
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
	case EWOULDBLOCK:
#endif
	case EBUSY:
	case EINTR:
		return EDI_ETEMP;
	default:
		return EDI_EIO;
	}
}

static enum edi_code fail_errno(struct edi_error *err, int errnum,
				const char *what, const char *path)
{
	return edi_fail(err, fileio_code(errnum), NULL, "%s '%s': %s", what,
			path, strerror(errnum));
}

enum edi_code fileio_join(char *dst, size_t size, const char *dir,
			  const char *name, struct edi_error *err)
{
	size_t ld = strlen(dir), ln = strlen(name);

	if (ld + 1 + ln >= size) {
		if (size)
			dst[0] = '\0';
		return edi_fail(
			err, EDI_ELIMIT, NULL,
			"cannot use '%s/%s': path longer than %zu bytes", dir,
			name, size - 1);
	}
	memcpy(dst, dir, ld);
	dst[ld] = '/';
	memcpy(dst + ld + 1, name, ln + 1);
	return EDI_OK;
}

/* The folder of path: "." without a slash, "/" for "/x". */
static void parent_of(const char *path, char *dst, size_t size)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (!slash) {
		snprintf(dst, size, ".");
		return;
	}
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= size)
		n = size - 1;
	memcpy(dst, path, n);
	dst[n] = '\0';
}

static int open_dir_fd(const char *path)
{
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

enum edi_code fileio_fsync_dir(const char *path, struct edi_error *err)
{
	int fd = open_dir_fd(path);
	int e;

	if (fd < 0)
		return fail_errno(err, errno, "cannot sync folder", path);
	if (fsync(fd) != 0 && errno != EINVAL) {
		e = errno;
		close(fd);
		return fail_errno(err, e, "cannot sync folder", path);
	}
	close(fd);
	return EDI_OK;
}

static bool base_name_ok(const char *name)
{
	return name[0] && strchr(name, '/') == NULL && strcmp(name, ".") &&
	       strcmp(name, "..");
}

static void writer_clear(struct fileio_writer *w)
{
	free(w->tmp_path);
	free(w->tmp_dir);
	free(w->path);
	free(w->dir);
	w->tmp_path = w->tmp_dir = w->path = w->dir = NULL;
	w->fd = -1;
}

enum edi_code fileio_begin_tmp(struct fileio_writer *w, const char *tmp_dir,
			       const char *dir, const char *name,
			       struct edi_error *err)
{
	char path[FILEIO_PATH_MAX], tmpl[FILEIO_PATH_MAX];
	char stem[FILEIO_TMP_STEM + 1];
	enum edi_code rc;
	int n;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->mode = FILEIO_MODE;
	if (!base_name_ok(name))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot write '%s' in '%s': not a file name",
				name, dir);
	rc = fileio_join(path, sizeof(path), dir, name, err);
	if (rc)
		return rc;
	/* a short stem keeps the temp name within NAME_MAX */
	n = (int)strnlen(name, sizeof(stem) - 1);
	memcpy(stem, name, (size_t)n);
	stem[n] = '\0';
	n = snprintf(tmpl, sizeof(tmpl), "%s/.%s.XXXXXX", tmp_dir, stem);
	if (n < 0 || (size_t)n >= sizeof(tmpl))
		return edi_fail(err, EDI_ELIMIT, NULL,
				"cannot write '%s': temp path too long", path);
	w->fd = mkstemp(tmpl);
	if (w->fd < 0)
		return fail_errno(err, errno, "cannot create a temp file in",
				  tmp_dir);
	fcntl(w->fd, F_SETFD, FD_CLOEXEC);
	w->tmp_path = xstrdup(tmpl);
	w->tmp_dir = xstrdup(tmp_dir);
	w->path = xstrdup(path);
	w->dir = xstrdup(dir);
	return EDI_OK;
}

enum edi_code fileio_begin(struct fileio_writer *w, const char *dir,
			   const char *name, struct edi_error *err)
{
	return fileio_begin_tmp(w, dir, dir, name, err);
}

void fileio_abort(struct fileio_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	if (w->tmp_path)
		unlink(w->tmp_path);
	writer_clear(w);
}

enum edi_code fileio_write(struct fileio_writer *w, const void *p, size_t n,
			   struct edi_error *err)
{
	const char *at = p;
	enum edi_code rc;

	if (w->fd < 0)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot write: the file is already finished");
	while (n) {
		ssize_t got = write(w->fd, at, n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = fail_errno(err, errno, "cannot write", w->path);
			fileio_abort(w);
			return rc;
		}
		at += got;
		n -= (size_t)got;
		w->nbytes += (uint64_t)got;
	}
	return EDI_OK;
}

enum edi_code fileio_commit(struct fileio_writer *w, struct edi_error *err)
{
	enum edi_code rc = EDI_OK;
	int fd = w->fd;

	if (fd < 0)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot commit: the file is already finished");
	if (fchmod(fd, w->mode) != 0 || (!w->no_sync && fsync(fd) != 0)) {
		rc = fail_errno(err, errno, "cannot sync", w->path);
		fileio_abort(w);
		return rc;
	}
	w->fd = -1;
	if (close(fd) != 0) {
		rc = fail_errno(err, errno, "cannot write", w->path);
		fileio_abort(w);
		return rc;
	}
	if (rename(w->tmp_path, w->path) != 0) {
		rc = edi_fail(err, fileio_code(errno), NULL,
			      "cannot rename '%s' to '%s': %s", w->tmp_path,
			      w->path, strerror(errno));
		fileio_abort(w);
		return rc;
	}
	free(w->tmp_path); /* now w->path: abort must not unlink it */
	w->tmp_path = NULL;
	rc = w->no_dir_sync || w->no_sync ? EDI_OK
					  : fileio_fsync_dir(w->dir, err);
	if (rc == EDI_OK && !w->no_dir_sync && !w->no_sync &&
	    strcmp(w->dir, w->tmp_dir) != 0)
		rc = fileio_fsync_dir(w->tmp_dir, err);
	writer_clear(w);
	return rc;
}

enum edi_code fileio_write_durable(const char *dir, const char *name,
				   const void *data, size_t len,
				   struct edi_error *err)
{
	struct fileio_writer w;
	enum edi_code rc = fileio_begin(&w, dir, name, err);

	if (rc)
		return rc;
	rc = fileio_write(&w, data, len, err);
	if (rc)
		return rc;
	return fileio_commit(&w, err);
}

enum edi_code fileio_rename(const char *from, const char *to,
			    struct edi_error *err)
{
	char dir_from[FILEIO_PATH_MAX], dir_to[FILEIO_PATH_MAX];
	enum edi_code rc;

	if (rename(from, to) != 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot rename '%s' to '%s': %s", from, to,
				strerror(errno));
	parent_of(from, dir_from, sizeof(dir_from));
	parent_of(to, dir_to, sizeof(dir_to));
	rc = fileio_fsync_dir(dir_to, err);
	if (rc == EDI_OK && strcmp(dir_from, dir_to) != 0)
		rc = fileio_fsync_dir(dir_from, err);
	return rc;
}

enum edi_code fileio_read_all(const char *path, size_t max, struct buf *out,
			      struct edi_error *err)
{
	struct stat st;
	enum edi_code rc = EDI_OK;
	int fd;

	buf_init(out, max);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return fail_errno(err, errno, "cannot read", path);
	if (fstat(fd, &st) != 0) {
		rc = fail_errno(err, errno, "cannot read", path);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = fail_errno(err, EISDIR, "cannot read", path);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max)
		goto too_big;
	if (S_ISREG(st.st_mode) &&
	    buf_reserve(out, (size_t)st.st_size) != EDI_OK)
		goto too_big;
	for (;;) {
		size_t room = out->max - out->len;
		size_t want = room < READ_CHUNK ? room : READ_CHUNK;
		char probe;
		ssize_t got;

		if (want == 0) { /* full: anything more is too much */
			got = read(fd, &probe, 1);
		} else {
			if (buf_reserve(out, want) != EDI_OK)
				goto too_big;
			got = read(fd, out->ptr + out->len, want);
		}
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = fail_errno(err, errno, "cannot read", path);
			goto out;
		}
		if (got == 0)
			break;
		if (want == 0)
			goto too_big;
		out->len += (size_t)got;
	}
	if (out->ptr) /* buf_reserve() leaves the new room unset */
		out->ptr[out->len] = '\0';
	goto out;
too_big:
	rc = edi_fail(err, EDI_ELIMIT, NULL,
		      "cannot read '%s': larger than %zu bytes", path, max);
out:
	close(fd);
	if (rc)
		buf_reset(out);
	return rc;
}

/* mkdir one folder; *made tells whether it was created. */
static enum edi_code mkdir_one(const char *path, mode_t mode, bool *made,
			       struct edi_error *err)
{
	struct stat st;

	*made = false;
	if (mkdir(path, mode) == 0) {
		*made = true;
		return EDI_OK;
	}
	if (errno != EEXIST)
		return fail_errno(err, errno, "cannot create folder", path);
	if (stat(path, &st) != 0)
		return fail_errno(err, errno, "cannot create folder", path);
	if (!S_ISDIR(st.st_mode))
		return fail_errno(err, ENOTDIR, "cannot create folder", path);
	return EDI_OK;
}

enum edi_code fileio_mkdirs(const char *path, mode_t mode,
			    struct edi_error *err)
{
	char p[FILEIO_PATH_MAX], parent[FILEIO_PATH_MAX];
	size_t len = strlen(path);
	enum edi_code rc;
	bool made;

	struct stat st;

	if (len == 0)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot create folder '': empty path");
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return EDI_OK; /* the usual case: nothing to make */
	if (len >= sizeof(p))
		return edi_fail(err, EDI_ELIMIT, NULL,
				"cannot create folder '%s': path too long",
				path);
	memcpy(p, path, len + 1);
	for (size_t i = 1; i <= len; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		if (p[i - 1] == '/')
			continue; /* "a//b" or a trailing slash */
		p[i] = '\0';
		rc = mkdir_one(p, mode, &made, err);
		if (rc == EDI_OK && made) {
			parent_of(p, parent, sizeof(parent));
			rc = fileio_fsync_dir(parent, err);
		}
		if (rc)
			return rc;
		p[i] = path[i];
	}
	return EDI_OK;
}

static enum edi_code remove_tree(char *path, size_t size, int depth,
				 struct edi_error *err)
{
	size_t len = strlen(path);
	struct dirent *e;
	struct stat st;
	enum edi_code rc = EDI_OK;
	DIR *d;

	if (lstat(path, &st) != 0)
		return errno == ENOENT
			       ? EDI_OK
			       : fail_errno(err, errno, "cannot remove", path);
	if (!S_ISDIR(st.st_mode)) {
		if (unlink(path) != 0 && errno != ENOENT)
			return fail_errno(err, errno, "cannot remove", path);
		return EDI_OK;
	}
	if (depth >= FILEIO_TREE_MAX)
		return edi_fail(err, EDI_ELIMIT, NULL,
				"cannot remove '%s': more than %d levels deep",
				path, FILEIO_TREE_MAX);
	d = opendir(path);
	if (!d)
		return fail_errno(err, errno, "cannot remove", path);
	while (rc == EDI_OK && (e = readdir(d)) != NULL) {
		size_t ln = strlen(e->d_name);

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (len + 1 + ln >= size) {
			rc = edi_fail(err, EDI_ELIMIT, NULL,
				      "cannot remove '%s/%s': path too long",
				      path, e->d_name);
			break;
		}
		path[len] = '/';
		memcpy(path + len + 1, e->d_name, ln + 1);
		rc = remove_tree(path, size, depth + 1, err);
		path[len] = '\0';
	}
	closedir(d);
	if (rc == EDI_OK && rmdir(path) != 0 && errno != ENOENT)
		rc = fail_errno(err, errno, "cannot remove", path);
	return rc;
}

enum edi_code fileio_remove_tree(const char *path, struct edi_error *err)
{
	char p[FILEIO_PATH_MAX];
	size_t len = strlen(path);

	if (len == 0 || len >= sizeof(p))
		return edi_fail(err, EDI_EUSAGE, NULL, "cannot remove '%s'",
				path);
	memcpy(p, path, len + 1);
	return remove_tree(p, sizeof(p), 0, err);
}

enum edi_code fileio_write_unsynced(const char *dir, const char *name,
				    const void *data, size_t len,
				    struct edi_error *err)
{
	struct fileio_writer w;
	enum edi_code rc = fileio_begin(&w, dir, name, err);

	if (rc)
		return rc;
	w.no_sync = true;
	rc = fileio_write(&w, data, len, err);
	if (rc)
		return rc;
	return fileio_commit(&w, err);
}
