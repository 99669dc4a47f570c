/*
 * spool_meta - the meta.json part of spool_layout.h: writing an entry's
 * metadata (durably, or unsynced for the group sync) and reading it back
 * with every field checked, so a damaged file is named rather than
 * trusted.  Split from spool_layout.c, which keeps folders, ids and
 * listings; the API stays in spool_layout.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "buf.h"
#include "fileio.h"
#include "json_out.h"
#include "spool_layout.h"
#include "xalloc.h"

/* "2026-11-27T09:30:12Z" */
static void iso_time(time_t t, char out[32])
{
	struct tm tm;

	if (!spool_utc_fields((long long)t, &tm)) {
		snprintf(out, 32, "1970-01-01T00:00:00Z");
		return;
	}
	/* the fields are in range (spool_utc_fields); the remainders only
	 * tell the compiler so */
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ",
		 (unsigned)(tm.tm_year + 1900) % 10000u,
		 (unsigned)(tm.tm_mon + 1) % 100u, (unsigned)tm.tm_mday % 100u,
		 (unsigned)tm.tm_hour % 100u, (unsigned)tm.tm_min % 100u,
		 (unsigned)tm.tm_sec % 100u);
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
	if (!spool_utc_fields(t, &tm) || tm.tm_mday != d || tm.tm_mon + 1 != mo)
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
