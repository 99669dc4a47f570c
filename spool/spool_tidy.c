/*
 * spool_tidy - tidying tmp/ when the spool is opened, and completing an
 * entry folder a crash left half made (also used by spool_recover());
 * see spool_move.h.  An admission cut short keeps its id and goes to in/,
 * never deleted; a dead writer's temp files go; meta.json that is missing
 * or names another file is rebuilt from the file itself.
 */
#include "spool_move.h"
#include "spool_move_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strview.h"
#include "fileio.h"
#include "xalloc.h"

#define TIDY_MAX     100000 /* names in tmp/ looked at by one tidy */
#define DATA_MAX_TRY 16	    /* files looked at in one tmp entry */

static bool is_data_name(const char *name)
{
	return name[0] != '.' && strcmp(name, SPOOL_META_FILE) &&
	       strcmp(name, SPOOL_REASON_FILE);
}

/*
 * Make tmp/<id>/ (dir) a complete entry: drop temp files, find the
 * received file, rebuild meta.json when it is missing or names another
 * file.  *has_data is false when there is no received file.
 */
enum edi_code spool_complete_entry(const struct spool *sp,
				   enum spool_state state, const char *id,
				   const char *dir, time_t now, bool *has_data,
				   struct edi_error *err)
{
	char path[FILEIO_PATH_MAX], data[SPOOL_NAME_MAX] = "";
	char safe[SPOOL_NAME_MAX];
	struct spool_meta m;
	struct dirent *e;
	struct stat st;
	enum edi_code rc = EDI_OK;
	unsigned seen = 0;
	DIR *d = opendir(dir);
	int fd;

	*has_data = false;
	if (!d)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot tidy '%s': %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL && seen < DATA_MAX_TRY) {
		if (fileio_join(path, sizeof(path), dir, e->d_name, NULL) ||
		    lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (e->d_name[0] == '.') { /* a temp file of a dead writer */
			unlink(path);
			continue;
		}
		if (!is_data_name(e->d_name))
			continue;
		seen++;
		/* several: keep the first in name order, deterministic */
		if (!data[0] || strcmp(e->d_name, data) < 0)
			str_copy(data, sizeof(data), e->d_name);
	}
	closedir(d);
	if (!data[0])
		return EDI_OK;
	*has_data = true;
	if (spool_meta_read(sp, state, id, &m, NULL) == EDI_OK) {
		if (fileio_join(path, sizeof(path), dir, m.file, NULL) ==
			    EDI_OK &&
		    lstat(path, &st) == 0)
			return EDI_OK;
	}
	/* meta.json missing or not about this file: rebuild it */
	memset(&m, 0, sizeof(m));
	spool_stored_name(data, safe);
	if (strcmp(safe, data)) {
		char to[FILEIO_PATH_MAX];

		rc = fileio_join(path, sizeof(path), dir, data, err);
		if (rc == EDI_OK)
			rc = fileio_join(to, sizeof(to), dir, safe, err);
		if (rc == EDI_OK)
			rc = fileio_rename(path, to, err);
		if (rc)
			return rc;
	}
	rc = fileio_join(path, sizeof(path), dir, safe, err);
	if (rc)
		return rc;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot read '%s': %s", path, strerror(errno));
	rc = spool_digest_fd(fd, path, &m.size, m.sha256, err);
	close(fd);
	if (rc)
		return rc;
	str_copy(m.id, sizeof(m.id), id);
	str_copy(m.name, sizeof(m.name), data);
	str_copy(m.file, sizeof(m.file), safe);
	snprintf(m.source, sizeof(m.source), "recovered");
	spool_partner_of(id, m.partner);
	m.received = now;
	return spool_meta_write(dir, &m, err);
}

static void kept(struct spool *sp, const struct edi_error *e)
{
	sp->tmp_kept++;
	if (!sp->tmp_problem[0])
		str_copy(sp->tmp_problem, sizeof(sp->tmp_problem), e->msg);
}

static void tidy_entry(struct spool *sp, const char *id, const char *dir,
		       time_t now)
{
	struct edi_error e;
	bool has_data;

	if (spool_complete_entry(sp, SPOOL_TMP, id, dir, now, &has_data, &e) !=
	    EDI_OK) {
		kept(sp, &e);
		return;
	}
	if (!has_data) { /* its file never left in/ */
		if (fileio_remove_tree(dir, &e) != EDI_OK)
			kept(sp, &e);
		else
			sp->tmp_removed++;
		return;
	}
	if (spool_move(sp, id, SPOOL_TMP, SPOOL_IN, now, &e) != EDI_OK)
		kept(sp, &e);
	else
		sp->tmp_restored++;
}

enum edi_code spool_tidy_tmp(struct spool *sp, time_t now,
			     struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
	char **names = NULL;
	size_t n = 0, cap = 0, removed = sp->tmp_removed;
	struct dirent *e;
	struct stat st;
	enum edi_code rc;
	DIR *d;

	rc = spool_state_path(sp, SPOOL_TMP, dir, sizeof(dir), err);
	if (rc)
		return rc;
	d = opendir(dir);
	if (!d)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot tidy '%s': %s", dir, strerror(errno));
	/* a snapshot: tidying changes the folder */
	while ((e = readdir(d)) != NULL && n < TIDY_MAX) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	for (size_t i = 0; i < n; i++) {
		if (fileio_join(path, sizeof(path), dir, names[i], NULL) ||
		    lstat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			/* not ours unless named like an entry: leave it */
			if (spool_id_valid(names[i]))
				tidy_entry(sp, names[i], path, now);
		} else if (now - st.st_mtim.tv_sec >= SPOOL_TMP_GRACE_S) {
			if (unlink(path) == 0)
				sp->tmp_removed++;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (sp->tmp_removed != removed)
		return fileio_fsync_dir(dir, err);
	return EDI_OK;
}
