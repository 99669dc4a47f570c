/*
 * spool_layout - folders, ids, meta.json and listings; see spool_layout.h.
 */
#define _GNU_SOURCE /* syncfs(2) */
#include "spool_layout.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fileio.h"
#include "json_out.h"
#include "spool_lock.h"
#include "spool_move.h"
#include "xalloc.h"

#define IDS_FILE      "ids"
#define IDS_LOCK_FILE "state/ids.lock"
#define IDS_MAX	      64 /* bytes of state/ids */
#define DAY_LEN	      10 /* YYYY-MM-DD */

static const char *const state_names[SPOOL_NSTATES] = {
	[SPOOL_TMP] = "tmp",	     [SPOOL_IN] = "in",
	[SPOOL_WORK] = "work",	     [SPOOL_ERROR] = "error",
	[SPOOL_HOLD] = "hold",	     [SPOOL_DEFERRED] = "deferred",
	[SPOOL_ARCHIVE] = "archive",
};

/* Folders that hold no entries but belong to the layout. */
static const char *const other_dirs[] = {"out", "outbound", "sent", "state"};

const char *spool_state_name(enum spool_state state)
{
	return (unsigned)state < SPOOL_NSTATES ? state_names[state] : "?";
}

bool spool_state_parse(const char *name, enum spool_state *state)
{
	for (unsigned i = 0; i < SPOOL_NSTATES; i++)
		if (!strcmp(name, state_names[i])) {
			*state = (enum spool_state)i;
			return true;
		}
	return false;
}

enum edi_code spool_path(const struct spool *sp, const char *rel, char *dst,
			 size_t size, struct edi_error *err)
{
	return fileio_join(dst, size, sp->root, rel, err);
}

enum edi_code spool_state_path(const struct spool *sp, enum spool_state state,
			       char *dst, size_t size, struct edi_error *err)
{
	return spool_path(sp, spool_state_name(state), dst, size, err);
}

void spool_close(struct spool *sp)
{
	if (sp->sync) {
		struct edi_error ignore;
		spool_sync(sp, &ignore);
		free(sp->sync->dirs);
		free(sp->sync);
	}
	free(sp->root);
	memset(sp, 0, sizeof(*sp));
}

enum edi_code spool_open(struct spool *sp, const char *root,
			 struct edi_error *err)
{
	char path[FILEIO_PATH_MAX];
	struct spool_lock lock;
	size_t len = strlen(root);
	enum edi_code rc;

	memset(sp, 0, sizeof(*sp));
	if (len == 0)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot open the spool: no folder given");
	while (len > 1 && root[len - 1] == '/')
		len--;
	sp->root = xmemdup0(root, len);
	sp->sync = xcalloc(1, sizeof(*sp->sync));
	rc = fileio_mkdirs(sp->root, SPOOL_DIR_MODE, err);
	for (unsigned i = 0; rc == EDI_OK && i < SPOOL_NSTATES; i++) {
		rc = spool_path(sp, state_names[i], path, sizeof(path), err);
		if (rc == EDI_OK)
			rc = fileio_mkdirs(path, SPOOL_DIR_MODE, err);
	}
	for (size_t i = 0;
	     rc == EDI_OK && i < sizeof(other_dirs) / sizeof(*other_dirs);
	     i++) {
		rc = spool_path(sp, other_dirs[i], path, sizeof(path), err);
		if (rc == EDI_OK)
			rc = fileio_mkdirs(path, SPOOL_DIR_MODE, err);
	}
	if (rc)
		goto fail;
	/* tmp/ belongs to the lock holder: leave it to a live run */
	rc = spool_lock(sp, &lock, err);
	if (rc == EDI_ETEMP)
		return EDI_OK;
	if (rc)
		goto fail;
	rc = spool_tidy_tmp(sp, time(NULL), err);
	spool_unlock(&lock);
	if (rc)
		goto fail;
	sp->tmp_tidied = true;
	return EDI_OK;
fail:
	spool_close(sp);
	return rc;
}

/* --- ids --- */

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool spool_id_valid(const char *id)
{
	size_t n = 0;

	if (!id || id[0] == '.')
		return false;
	for (; id[n]; n++)
		if (n >= SPOOL_ID_MAX - 1 || !id_char(id[n]))
			return false;
	return n > 0;
}

static bool is_day_name(const char *s)
{
	static const char shape[] = "dddd-dd-dd";

	for (size_t i = 0; i < DAY_LEN; i++)
		if (shape[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9')
				    : s[i] != '-')
			return false;
	return s[DAY_LEN] == '\0';
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct names {
	char **v;
	size_t n, cap;
};

static void names_release(struct names *ns)
{
	for (size_t i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

static enum edi_code names_add(struct names *ns, const char *s, const char *dir,
			       struct edi_error *err)
{
	if (ns->n >= SPOOL_LIST_MAX)
		return edi_fail(err, EDI_ELIMIT, NULL,
				"cannot list '%s': more than %d entries", dir,
				SPOOL_LIST_MAX);
	if (ns->n == ns->cap) {
		ns->cap = ns->cap ? ns->cap * 2 : 64;
		ns->v = xreallocarray(ns->v, ns->cap, sizeof(*ns->v));
	}
	ns->v[ns->n++] = xstrdup(s);
	return EDI_OK;
}

/*
 * Names of the sub-folders of dir that pass keep(); a missing dir is
 * empty.  Unsorted.
 */
static enum edi_code list_subdirs(const char *dir, bool (*keep)(const char *),
				  struct names *out, struct edi_error *err)
{
	char path[FILEIO_PATH_MAX];
	enum edi_code rc = EDI_OK;
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);

	if (!d) {
		if (errno == ENOENT)
			return EDI_OK;
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot list '%s': %s", dir, strerror(errno));
	}
	while (rc == EDI_OK && (e = readdir(d)) != NULL) {
		if (!keep(e->d_name))
			continue;
		if (fileio_join(path, sizeof(path), dir, e->d_name, NULL) ||
		    lstat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		rc = names_add(out, e->d_name, dir, err);
	}
	closedir(d);
	return rc;
}

static bool id_name(const char *s)
{
	return spool_id_valid(s);
}

/* The day folders of archive/, newest first. */
static enum edi_code archive_days(const struct spool *sp, struct names *days,
				  char *dir, size_t size, struct edi_error *err)
{
	enum edi_code rc = spool_state_path(sp, SPOOL_ARCHIVE, dir, size, err);

	if (rc == EDI_OK)
		rc = list_subdirs(dir, is_day_name, days, err);
	if (rc == EDI_OK && days->n) /* no days: v is NULL */
		qsort(days->v, days->n, sizeof(*days->v), cmp_name);
	return rc;
}

enum edi_code spool_entry_path(const struct spool *sp, enum spool_state state,
			       const char *id, char *dst, size_t size,
			       struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], day[FILEIO_PATH_MAX];
	struct names days = {0};
	struct stat st;
	enum edi_code rc;

	if (!spool_id_valid(id))
		return edi_fail(err, EDI_EUSAGE, NULL, "invalid entry id '%s'",
				id);
	if (state != SPOOL_ARCHIVE) {
		rc = spool_state_path(sp, state, dir, sizeof(dir), err);
		return rc ? rc : fileio_join(dst, size, dir, id, err);
	}
	rc = archive_days(sp, &days, dir, sizeof(dir), err);
	for (size_t i = days.n; rc == EDI_OK && i-- > 0;) {
		rc = fileio_join(day, sizeof(day), dir, days.v[i], err);
		if (rc == EDI_OK)
			rc = fileio_join(dst, size, day, id, err);
		if (rc == EDI_OK && lstat(dst, &st) == 0) {
			names_release(&days);
			return EDI_OK;
		}
	}
	names_release(&days);
	return rc ? rc
		  : edi_fail(err, EDI_ENOENT, NULL, "no entry '%s' in archive",
			     id);
}

/* Parse "SECONDS COUNTER\n" from state/ids. */
static bool parse_ids(const struct buf *b, long long *t, unsigned *n)
{
	int used = 0;

	if (sscanf(buf_cstr(b), "%lld %u\n%n", t, n, &used) != 2 ||
	    (size_t)used != b->len || *n > SPOOL_ID_COUNTER_MAX)
		return false;
	return true;
}

/* The next (second, counter) after the last one, state/ids locked. */
static enum edi_code next_counter(const struct spool *sp, long long *t,
				  unsigned *n, unsigned reserve,
				  struct edi_error *err)
{
	char state[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX], text[IDS_MAX];
	long long last_t;
	unsigned last_n;
	struct buf b;
	enum edi_code rc;
	int len;

	rc = spool_path(sp, "state", state, sizeof(state), err);
	if (rc == EDI_OK)
		rc = fileio_join(path, sizeof(path), state, IDS_FILE, err);
	if (rc)
		return rc;
	rc = fileio_read_all(path, IDS_MAX, &b, err);
	if (rc == EDI_OK && !parse_ids(&b, &last_t, &last_n))
		rc = edi_fail(err, EDI_EDATA, NULL,
			      "cannot make an entry id: '%s' is damaged "
			      "(remove it to start counting again)",
			      path);
	buf_release(&b);
	if (rc == EDI_ENOENT) {
		rc = EDI_OK; /* the first id of this spool */
	} else if (rc) {
		return rc;
	} else if (*t <= last_t) {
		/* same second, or the clock stepped back: keep the order */
		*t = last_t;
		*n = last_n + 1;
		if (*n > SPOOL_ID_COUNTER_MAX) {
			*t = last_t + 1;
			*n = 1;
		}
	}
	/* a block of ids of this second: the state says the last is used */
	if (reserve > 1 && *n + reserve - 1 > SPOOL_ID_COUNTER_MAX)
		reserve = SPOOL_ID_COUNTER_MAX - *n + 1;
	len = snprintf(text, sizeof(text), "%lld %u\n", *t,
		       *n + (reserve ? reserve : 1) - 1);
	if (reserve > 1 && sp->sync) {
		sp->sync->id_t = *t;
		sp->sync->id_next = *n + 1;
		sp->sync->id_end = *n + reserve - 1;
	}
	return fileio_write_durable(state, IDS_FILE, text, (size_t)len, err);
}

bool spool_utc_fields(long long t, struct tm *tm)
{
	time_t tt = (time_t)t;

	return (long long)tt == t && gmtime_r(&tt, tm) &&
	       tm->tm_year + 1900 >= 1970 && tm->tm_year + 1900 <= 9999;
}

enum edi_code spool_id_new(const struct spool *sp, const char *partner,
			   time_t now, char id[SPOOL_ID_MAX],
			   struct edi_error *err)
{
	char path[FILEIO_PATH_MAX], part[SPOOL_ID_PARTNER_MAX];
	long long t = (long long)now;
	unsigned n = 1;
	struct tm tm;
	enum edi_code rc;
	size_t np = 0;
	int fd;

	id[0] = '\0';
	if (!spool_utc_fields(t, &tm))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot make an entry id for time %lld", t);
	for (; partner && partner[np] && np < sizeof(part) - 1; np++)
		part[np] = id_char(partner[np]) ? partner[np] : '_';
	part[np] = '\0';
	/* within the second of a block reserved earlier: no file work */
	if (sp->sync && sp->sync->id_next && t <= sp->sync->id_t &&
	    sp->sync->id_next <= sp->sync->id_end) {
		t = sp->sync->id_t;
		n = sp->sync->id_next++;
		goto make;
	}
	rc = spool_path(sp, IDS_LOCK_FILE, path, sizeof(path), err);
	if (rc)
		return rc;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot make an entry id: '%s': %s", path,
				strerror(errno));
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			rc = edi_fail(err, EDI_EIO, NULL,
				      "cannot make an entry id: '%s': %s", path,
				      strerror(errno));
			close(fd);
			return rc;
		}
	}
	rc = next_counter(sp, &t, &n,
			  sp->sync && sp->sync->defer ? SPOOL_ID_BLOCK : 1,
			  err);
	close(fd); /* releases the flock */
	if (rc)
		return rc;
make:
	if (!spool_utc_fields(t, &tm))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot make an entry id for time %lld", t);
	snprintf(id, SPOOL_ID_MAX, "%04d%02d%02dT%02d%02d%02dZ-%06u%s%s",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		 tm.tm_min, tm.tm_sec, n, np ? "-" : "", part);
	return EDI_OK;
}

/* --- meta.json --- */

void spool_stored_name(const char *name, char dst[SPOOL_NAME_MAX])
{
	size_t n = 0, at = 0;

	if (!strcmp(name, SPOOL_META_FILE) || !strcmp(name, SPOOL_REASON_FILE))
		dst[at++] = '_';
	for (; name[n] && at < SPOOL_NAME_MAX - 1; n++) {
		unsigned char c = (unsigned char)name[n];
		bool ok = c >= 0x20 && c < 0x7f && c != '/';

		if (at == 0 && c == '.')
			ok = false;
		dst[at++] = ok ? (char)c : '_';
	}
	if (at == 0)
		dst[at++] = '_';
	dst[at] = '\0';
}

/* --- listings --- */

enum edi_code spool_list(const struct spool *sp, enum spool_state state,
			 enum edi_code (*fn)(void *ctx, const char *id,
					     struct edi_error *err),
			 void *ctx, struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], day[FILEIO_PATH_MAX];
	struct names ids = {0}, days = {0};
	enum edi_code rc;

	if (state == SPOOL_ARCHIVE) {
		rc = archive_days(sp, &days, dir, sizeof(dir), err);
		for (size_t i = 0; rc == EDI_OK && i < days.n; i++) {
			rc = fileio_join(day, sizeof(day), dir, days.v[i], err);
			if (rc == EDI_OK)
				rc = list_subdirs(day, id_name, &ids, err);
		}
		names_release(&days);
	} else {
		rc = spool_state_path(sp, state, dir, sizeof(dir), err);
		if (rc == EDI_OK)
			rc = list_subdirs(dir, id_name, &ids, err);
	}
	if (rc == EDI_OK && ids.n)
		qsort(ids.v, ids.n, sizeof(*ids.v), cmp_name);
	for (size_t i = 0; rc == EDI_OK && i < ids.n; i++)
		rc = fn(ctx, ids.v[i], err);
	names_release(&ids);
	return rc;
}

struct drop {
	char *name;
	struct timespec mtime;
};

static int cmp_drop(const void *pa, const void *pb)
{
	const struct drop *a = pa, *b = pb;

	if (a->mtime.tv_sec != b->mtime.tv_sec)
		return a->mtime.tv_sec < b->mtime.tv_sec ? -1 : 1;
	if (a->mtime.tv_nsec != b->mtime.tv_nsec)
		return a->mtime.tv_nsec < b->mtime.tv_nsec ? -1 : 1;
	return strcmp(a->name, b->name);
}

enum edi_code spool_list_drops(const struct spool *sp,
			       enum edi_code (*fn)(void *ctx, const char *name,
						   struct edi_error *err),
			       void *ctx, struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
	struct drop *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	struct stat st;
	enum edi_code rc;
	DIR *d;

	rc = spool_state_path(sp, SPOOL_IN, dir, sizeof(dir), err);
	if (rc)
		return rc;
	d = opendir(dir);
	if (!d)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot list '%s': %s", dir, strerror(errno));
	while (rc == EDI_OK && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' ||
		    fileio_join(path, sizeof(path), dir, e->d_name, NULL) ||
		    lstat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (n >= SPOOL_LIST_MAX) {
			rc = edi_fail(err, EDI_ELIMIT, NULL,
				      "cannot list '%s': more than %d files",
				      dir, SPOOL_LIST_MAX);
			break;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		v[n].name = xstrdup(e->d_name);
		v[n++].mtime = st.st_mtim;
	}
	closedir(d);
	if (rc == EDI_OK && n)
		qsort(v, n, sizeof(*v), cmp_drop);
	for (size_t i = 0; rc == EDI_OK && i < n; i++)
		rc = fn(ctx, v[i].name, err);
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return rc;
}

void spool_defer_sync(const struct spool *sp, bool defer)
{
	if (sp->sync)
		sp->sync->defer = defer;
}

enum edi_code spool_sync_dir(const struct spool *sp, const char *dir,
			     struct edi_error *err)
{
	struct spool_sync *s = sp->sync;

	if (!s || !s->defer)
		return fileio_fsync_dir(dir, err);
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->dirs[i], dir))
			return EDI_OK;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->dirs = xreallocarray(s->dirs, s->cap, sizeof(*s->dirs));
	}
	s->dirs[s->n++] = xstrdup(dir);
	return EDI_OK;
}

bool spool_deferring(const struct spool *sp)
{
	return sp->sync && sp->sync->defer;
}

void spool_note_unsynced(const struct spool *sp)
{
	if (sp->sync)
		sp->sync->unsynced = true;
}

enum edi_code spool_sync(const struct spool *sp, struct edi_error *err)
{
	struct spool_sync *s = sp->sync;
	enum edi_code rc = EDI_OK, first = EDI_OK;

	if (!s)
		return EDI_OK;
	if (s->unsynced) {
		/* one syncfs instead of an fsync per file and folder */
		int fd = open(sp->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd < 0 || syncfs(fd) != 0) {
			rc = edi_fail(err, fileio_code(errno), NULL,
				      "cannot sync the filesystem of '%s': %s",
				      sp->root, strerror(errno));
			if (fd >= 0)
				close(fd);
			return rc;
		}
		close(fd);
		s->unsynced = false;
		for (size_t i = 0; i < s->n; i++)
			free(s->dirs[i]);
		s->n = 0;
		return EDI_OK;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct stat st;
		/* a folder renamed away since (tmp/<id>) is fsync'd where it
		 * went */
		if (stat(s->dirs[i], &st) == 0) {
			rc = fileio_fsync_dir(s->dirs[i], err);
			if (rc && !first)
				first = rc;
		}
		free(s->dirs[i]);
	}
	s->n = 0;
	return first;
}
