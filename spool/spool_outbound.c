/*
 * spool_outbound - outbound/ and sent/; see spool_outbound.h.
 */
#include "spool_outbound.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "xalloc.h"

#define OUTBOUND_LIST_MAX 1000000

static bool name_valid(const char *name)
{
	return name[0] && name[0] != '.' && !strchr(name, '/') &&
	       strlen(name) < SPOOL_NAME_MAX;
}

static enum edi_code check(const char *partner, const char *name,
			   struct edi_error *err)
{
	if (!spool_id_valid(partner))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"'%s' is not a partner id", partner);
	if (name && !name_valid(name))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"'%s' is not a file name for outbound/%s", name,
				partner);
	return EDI_OK;
}

enum edi_code spool_outbound_path(const struct spool *sp, const char *partner,
				  const char *name, char *dst, size_t size,
				  struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], rel[FILEIO_PATH_MAX];
	enum edi_code rc = check(partner, name, err);

	if (rc)
		return rc;
	snprintf(rel, sizeof(rel), "outbound/%s", partner);
	if (!name)
		return spool_path(sp, rel, dst, size, err);
	rc = spool_path(sp, rel, dir, sizeof(dir), err);
	if (rc == EDI_OK)
		rc = fileio_join(dst, size, dir, name, err);
	return rc;
}

enum edi_code spool_outbound_write(const struct spool *sp, const char *partner,
				   const char *name, const void *data,
				   size_t len, struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX];
	enum edi_code rc;

	rc = spool_outbound_path(sp, partner, NULL, dir, sizeof(dir), err);
	if (rc == EDI_OK)
		rc = check(partner, name, err);
	if (rc == EDI_OK)
		rc = fileio_mkdirs(dir, SPOOL_DIR_MODE, err);
	if (rc == EDI_OK)
		rc = fileio_write_durable(dir, name, data, len, err);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names in dir (files when want_dirs is false, else folders), sorted. */
static enum edi_code list_dir(const char *dir, bool want_dirs,
			      enum edi_code (*fn)(void *ctx, const char *name,
						  struct edi_error *err),
			      void *ctx, struct edi_error *err)
{
	char path[FILEIO_PATH_MAX];
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	struct stat st;
	enum edi_code rc = EDI_OK;
	DIR *d = opendir(dir);

	if (!d) {
		if (errno == ENOENT)
			return EDI_OK;
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot list '%s': %s", dir, strerror(errno));
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' ||
		    fileio_join(path, sizeof(path), dir, e->d_name, NULL) ||
		    lstat(path, &st) != 0 ||
		    (want_dirs ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
			continue;
		if (n == OUTBOUND_LIST_MAX) {
			rc = edi_fail(err, EDI_ELIMIT, NULL,
				      "more than %d files in '%s'",
				      OUTBOUND_LIST_MAX, dir);
			break;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (rc == EDI_OK && n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		if (rc == EDI_OK)
			rc = fn(ctx, names[i], err);
		free(names[i]);
	}
	free(names);
	return rc;
}

enum edi_code spool_outbound_list(const struct spool *sp, const char *partner,
				  enum edi_code (*fn)(void *ctx,
						      const char *name,
						      struct edi_error *err),
				  void *ctx, struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX];
	enum edi_code rc;

	rc = spool_outbound_path(sp, partner, NULL, dir, sizeof(dir), err);
	if (rc == EDI_OK)
		rc = list_dir(dir, false, fn, ctx, err);
	return rc;
}

enum edi_code spool_outbound_partners(
	const struct spool *sp,
	enum edi_code (*fn)(void *ctx, const char *partner,
			    struct edi_error *err),
	void *ctx, struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX];
	enum edi_code rc;

	rc = spool_path(sp, "outbound", dir, sizeof(dir), err);
	if (rc == EDI_OK)
		rc = list_dir(dir, true, fn, ctx, err);
	return rc;
}

enum edi_code spool_outbound_sent(const struct spool *sp, const char *partner,
				  const char *name, const char *receipt_json,
				  time_t now, char *sent_path,
				  struct edi_error *err)
{
	char from[FILEIO_PATH_MAX], rel[FILEIO_PATH_MAX];
	char dir[FILEIO_PATH_MAX], to[FILEIO_PATH_MAX];
	char receipt[SPOOL_NAME_MAX + sizeof(SPOOL_RECEIPT_SUFFIX)];
	struct tm tm;
	enum edi_code rc;

	rc = spool_outbound_path(sp, partner, name, from, sizeof(from), err);
	if (rc)
		return rc;
	if (!gmtime_r(&now, &tm) || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 1970)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot file '%s' as sent at time %lld", name,
				(long long)now);
	snprintf(rel, sizeof(rel), "sent/%04d-%02d-%02d/%s", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, partner);
	rc = spool_path(sp, rel, dir, sizeof(dir), err);
	if (rc == EDI_OK)
		rc = fileio_mkdirs(dir, SPOOL_DIR_MODE, err);
	if (rc == EDI_OK)
		rc = fileio_join(to, sizeof(to), dir, name, err);
	if (rc == EDI_OK && receipt_json) {
		snprintf(receipt, sizeof(receipt), "%s%s", name,
			 SPOOL_RECEIPT_SUFFIX);
		rc = fileio_write_durable(dir, receipt, receipt_json,
					  strlen(receipt_json), err);
	}
	if (rc == EDI_OK)
		rc = fileio_rename(from, to, err);
	if (rc == EDI_OK && sent_path)
		snprintf(sent_path, FILEIO_PATH_MAX, "%s", to);
	return rc;
}
