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

#include <jansson.h>

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

static bool utc_fields(long long t, struct tm *tm)
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
	if (!utc_fields(t, &tm))
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
	if (!utc_fields(t, &tm))
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

/* "2026-11-27T09:30:12Z" */
static void iso_time(time_t t, char out[32])
{
	struct tm tm;

	if (!utc_fields((long long)t, &tm)) {
		snprintf(out, 32, "1970-01-01T00:00:00Z");
		return;
	}
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static bool parse_iso_time(const char *s, time_t *out)
{
	int y, mo, d, h, mi, se, used = 0;
	struct tm tm;
	long long t;

	if (strlen(s) != 20 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se,
		   &used) != 6 ||
	    used != 20 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || se > 59 || h < 0 || mi < 0 || se < 0)
		return false;
	t = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
	    mi * 60 + se;
	/* the round trip rejects dates such as February 30 */
	if (!utc_fields(t, &tm) || tm.tm_mday != d || tm.tm_mon + 1 != mo)
		return false;
	*out = (time_t)t;
	return true;
}

static enum edi_code write_meta_file(const char *dir, const struct buf *b,
				     bool dir_sync, bool file_sync,
				     struct edi_error *err)
{
	struct fileio_writer w;
	char path[FILEIO_PATH_MAX];
	enum edi_code rc;
	size_t done = 0;
	int fd;

	if (!dir_sync) {
		/* in tmp/<id>/, which nobody reads yet: written in place (a
		 * cut-short meta.json there is rebuilt by spool_tidy_tmp) and
		 * fsync'd; the caller fsyncs the folder */
		rc = fileio_join(path, sizeof(path), dir, SPOOL_META_FILE, err);
		if (rc)
			return rc;
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd < 0)
			return edi_fail(err, fileio_code(errno), NULL,
					"cannot write '%s': %s", path,
					strerror(errno));
		while (done < b->len) {
			ssize_t n = write(fd, b->ptr + done, b->len - done);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
			done += (size_t)n;
		}
		if (done < b->len || (file_sync && fsync(fd) != 0)) {
			rc = edi_fail(err, fileio_code(errno), NULL,
				      "cannot write '%s': %s", path,
				      strerror(errno));
			close(fd);
			return rc;
		}
		close(fd);
		return EDI_OK;
	}
	rc = fileio_begin(&w, dir, SPOOL_META_FILE, err);
	if (rc)
		return rc;
	rc = fileio_write(&w, b->ptr, b->len, err);
	if (rc)
		return rc;
	return fileio_commit(&w, err);
}

static enum edi_code meta_write(const char *entry_dir,
				const struct spool_meta *m, bool dir_sync,
				bool file_sync, struct edi_error *err)
{
	char when[32];
	struct json_out j;
	struct buf b;
	enum edi_code rc;

	iso_time(m->received, when);
	buf_init(&b, SPOOL_META_MAX);
	json_out_init(&j, &b);
	json_obj_begin(&j);
	json_key(&j, "id");
	json_str(&j, m->id);
	json_key(&j, "name");
	json_str(&j, m->name);
	json_key(&j, "file");
	json_str(&j, m->file);
	json_key(&j, "source");
	json_str(&j, m->source);
	if (m->partner[0]) {
		json_key(&j, "partner");
		json_str(&j, m->partner);
	}
	json_key(&j, "received");
	json_str(&j, when);
	json_key(&j, "size");
	json_u64(&j, m->size);
	json_key(&j, "sha256");
	json_str(&j, m->sha256);
	if (m->transport[0]) {
		json_key(&j, "transport");
		json_raw(&j, sv_cstr(m->transport));
	}
	json_obj_end(&j);
	rc = json_out_result(&j);
	if (rc == EDI_OK)
		rc = buf_addc(&b, '\n');
	if (rc)
		rc = edi_fail(err, rc, NULL,
			      "cannot write meta.json of '%s': too large",
			      m->id);
	else
		rc = write_meta_file(entry_dir, &b, dir_sync, file_sync, err);
	buf_release(&b);
	return rc;
}

enum edi_code spool_meta_write_ex(const char *entry_dir,
				  const struct spool_meta *m, bool dir_sync,
				  struct edi_error *err)
{
	return meta_write(entry_dir, m, dir_sync, true, err);
}

enum edi_code spool_meta_write_unsynced(const char *entry_dir,
					const struct spool_meta *m,
					struct edi_error *err)
{
	return meta_write(entry_dir, m, false, false, err);
}

enum edi_code spool_meta_write(const char *entry_dir,
			       const struct spool_meta *m,
			       struct edi_error *err)
{
	return spool_meta_write_ex(entry_dir, m, true, err);
}

/* Copy the string member key of o into dst; false when missing or long. */
static bool meta_str(json_t *o, const char *key, char *dst, size_t size,
		     bool required)
{
	json_t *v = json_object_get(o, key);
	const char *s;

	if (!v) {
		dst[0] = '\0';
		return !required;
	}
	if (!json_is_string(v) || json_string_length(v) >= size)
		return false;
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v)) /* a \u0000 inside */
		return false;
	memcpy(dst, s, json_string_length(v) + 1);
	return true;
}

static bool sha256_hex(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') ||
		      (s[n] >= 'a' && s[n] <= 'f')))
			return false;
	return n == 64;
}

static const char *meta_problem(json_t *o, const char *id, struct spool_meta *m)
{
	char when[32], safe[SPOOL_NAME_MAX];
	json_t *size, *tr;

	if (!json_is_object(o))
		return "not a JSON object";
	if (!meta_str(o, "id", m->id, sizeof(m->id), true))
		return "no id";
	if (strcmp(m->id, id))
		return "it names another id";
	if (!meta_str(o, "name", m->name, sizeof(m->name), true))
		return "no name";
	if (!meta_str(o, "file", m->file, sizeof(m->file), true))
		return "no file";
	spool_stored_name(m->file, safe);
	if (strcmp(safe, m->file))
		return "the file name is not safe";
	if (!meta_str(o, "source", m->source, sizeof(m->source), false) ||
	    !meta_str(o, "partner", m->partner, sizeof(m->partner), false))
		return "a bad source or partner";
	if (!meta_str(o, "received", when, sizeof(when), true) ||
	    !parse_iso_time(when, &m->received))
		return "no received time (YYYY-MM-DDTHH:MM:SSZ)";
	size = json_object_get(o, "size");
	if (!json_is_integer(size) || json_integer_value(size) < 0)
		return "no size";
	m->size = (uint64_t)json_integer_value(size);
	if (!meta_str(o, "sha256", m->sha256, sizeof(m->sha256), true) ||
	    !sha256_hex(m->sha256))
		return "no sha256";
	tr = json_object_get(o, "transport");
	if (tr) {
		char *text = json_is_object(tr) ? json_dumps(tr, JSON_COMPACT)
						: NULL;
		bool fits = text && strlen(text) < sizeof(m->transport);

		if (fits)
			memcpy(m->transport, text, strlen(text) + 1);
		free(text);
		if (!fits)
			return "a bad transport";
	}
	return NULL;
}

enum edi_code spool_meta_read(const struct spool *sp, enum spool_state state,
			      const char *id, struct spool_meta *m,
			      struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], path[FILEIO_PATH_MAX];
	const char *problem;
	json_error_t jerr;
	struct stat st;
	struct buf b;
	json_t *root;
	enum edi_code rc;

	memset(m, 0, sizeof(*m));
	rc = spool_entry_path(sp, state, id, dir, sizeof(dir), err);
	if (rc == EDI_OK && lstat(dir, &st) != 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"no entry '%s' in %s", id,
				spool_state_name(state));
	if (rc == EDI_OK)
		rc = fileio_join(path, sizeof(path), dir, SPOOL_META_FILE, err);
	if (rc)
		return rc;
	rc = fileio_read_all(path, SPOOL_META_MAX, &b, err);
	if (rc) {
		buf_release(&b);
		return rc;
	}
	root = json_loadb(b.ptr ? b.ptr : "", b.len, JSON_REJECT_DUPLICATES,
			  &jerr);
	buf_release(&b);
	if (!root)
		return edi_fail(err, EDI_EDATA, NULL,
				"damaged meta.json in entry '%s': %s", id,
				jerr.text);
	problem = meta_problem(root, id, m);
	json_decref(root);
	if (problem)
		return edi_fail(err, EDI_EDATA, NULL,
				"damaged meta.json in entry '%s': %s", id,
				problem);
	return EDI_OK;
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
