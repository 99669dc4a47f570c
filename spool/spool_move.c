/*
 * spool_move - the moves table, admission, recovery; see spool_move.h.
 *
 * Why admission is crash-safe: the received file is renamed exactly once
 * out of in/, into tmp/<id>/ where meta.json already is (written and
 * fsync'd first), so a crash leaves it either in in/ (tmp/<id>/ then holds
 * only meta.json, which spool_tidy_tmp() removes) or in a complete entry
 * tmp/<id>/ (which spool_tidy_tmp() moves to in/<id>) or, after the last
 * rename, in work/<id>/ (which spool_recover() moves to in/<id>).  Each
 * rename is followed by fsync of the folders it touched before the next
 * step, so no later step can become durable before an earlier one.
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

#include <jansson.h>
#include <openssl/evp.h>

#include "strview.h"
#include "fileio.h"
#include "xalloc.h"

#define HASH_CHUNK (64u << 10)
#define ID_PREFIX  23 /* YYYYMMDDTHHMMSSZ-NNNNNN */

const struct spool_move_rule spool_moves[] = {
	{SPOOL_TMP, SPOOL_IN, "an admission cut short by a crash"},
	{SPOOL_TMP, SPOOL_WORK, "admission: the staged entry is claimed"},
	{SPOOL_IN, SPOOL_WORK, "claim by a run"},
	{SPOOL_IN, SPOOL_HOLD, "parked before processing"},
	{SPOOL_WORK, SPOOL_IN, "recovery: the run that claimed it died"},
	{SPOOL_WORK, SPOOL_ARCHIVE, "processed"},
	{SPOOL_WORK, SPOOL_ERROR, "rejected"},
	{SPOOL_WORK, SPOOL_DEFERRED, "delivery failed transiently"},
	{SPOOL_DEFERRED, SPOOL_WORK, "retry"},
	{SPOOL_DEFERRED, SPOOL_ERROR, "retries used up"},
	{SPOOL_DEFERRED, SPOOL_HOLD, "parked"},
	{SPOOL_ERROR, SPOOL_IN, "replay"},
	{SPOOL_ERROR, SPOOL_HOLD, "parked"},
	{SPOOL_HOLD, SPOOL_IN, "release"},
};
const size_t spool_nmoves = sizeof(spool_moves) / sizeof(spool_moves[0]);

bool spool_move_legal(enum spool_state from, enum spool_state to)
{
	for (size_t i = 0; i < spool_nmoves; i++)
		if (spool_moves[i].from == from && spool_moves[i].to == to)
			return true;
	return false;
}

/* archive/YYYY-MM-DD for now (UTC), created when missing. */
static enum edi_code archive_day(const struct spool *sp, time_t now, char *dst,
				 size_t size, struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], day[40];
	struct tm tm;
	enum edi_code rc;

	if (!gmtime_r(&now, &tm) || tm.tm_year + 1900 > 9999 ||
	    tm.tm_year + 1900 < 1970)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot archive at time %lld", (long long)now);
	snprintf(day, sizeof(day), "%04d-%02d-%02d", tm.tm_year + 1900,
		 tm.tm_mon + 1, tm.tm_mday);
	rc = spool_state_path(sp, SPOOL_ARCHIVE, dir, sizeof(dir), err);
	if (rc == EDI_OK)
		rc = fileio_join(dst, size, dir, day, err);
	if (rc == EDI_OK)
		rc = fileio_mkdirs(dst, SPOOL_DIR_MODE, err);
	return rc;
}

enum edi_code spool_move(const struct spool *sp, const char *id,
			 enum spool_state from, enum spool_state to, time_t now,
			 struct edi_error *err)
{
	char src[FILEIO_PATH_MAX], src_dir[FILEIO_PATH_MAX];
	char dst[FILEIO_PATH_MAX], dst_dir[FILEIO_PATH_MAX];
	const char *to_name = spool_state_name(to);
	struct stat st;
	enum edi_code rc;

	if (!spool_id_valid(id))
		return edi_fail(err, EDI_EUSAGE, NULL, "invalid entry id '%s'",
				id);
	if (!spool_move_legal(from, to))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot move '%s' from %s to %s: not a legal "
				"move",
				id, spool_state_name(from), to_name);
	rc = spool_state_path(sp, from, src_dir, sizeof(src_dir), err);
	if (rc == EDI_OK)
		rc = fileio_join(src, sizeof(src), src_dir, id, err);
	if (rc)
		return rc;
	if (lstat(src, &st) != 0)
		return errno == ENOENT ? edi_fail(err, EDI_ENOENT, NULL,
						  "no entry '%s' in %s", id,
						  spool_state_name(from))
				       : edi_fail(err, fileio_code(errno), NULL,
						  "cannot move '%s' to %s: %s",
						  id, to_name, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return edi_fail(err, EDI_EDATA, NULL,
				"cannot move '%s' to %s: '%s' is not an entry "
				"folder",
				id, to_name, src);
	if (to == SPOOL_ARCHIVE)
		rc = archive_day(sp, now, dst_dir, sizeof(dst_dir), err);
	else
		rc = spool_state_path(sp, to, dst_dir, sizeof(dst_dir), err);
	if (rc == EDI_OK)
		rc = fileio_join(dst, sizeof(dst), dst_dir, id, err);
	if (rc)
		return rc;
	/* rename(2) would replace an empty folder: say what is wrong */
	if (lstat(dst, &st) == 0)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot move '%s' to %s: an entry with that id "
				"is already there",
				id, to_name);
	if (rename(src, dst) != 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot move '%s' to %s: %s", id, to_name,
				strerror(errno));
	rc = spool_sync_dir(sp, dst_dir, err);
	if (rc == EDI_OK)
		rc = spool_sync_dir(sp, src_dir, err);
	return rc;
}

enum edi_code spool_claim(const struct spool *sp, const char *id,
			  struct edi_error *err)
{
	return spool_move(sp, id, SPOOL_IN, SPOOL_WORK, 0, err);
}

/* Size and SHA-256 (hex) of what fd reads to its end. */
enum edi_code spool_digest_fd(int fd, const char *path, uint64_t *size,
			      char hex[65], struct edi_error *err)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned char *chunk = xmalloc(HASH_CHUNK);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	enum edi_code rc = EDI_OK;
	unsigned mdlen = 0;
	ssize_t got;

	*size = 0;
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		rc = edi_fail(err, EDI_EINTERNAL, NULL,
			      "cannot hash '%s': SHA-256 is not available",
			      path);
		goto out;
	}
	while ((got = read(fd, chunk, HASH_CHUNK)) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = edi_fail(err, fileio_code(errno), NULL,
				      "cannot read '%s': %s", path,
				      strerror(errno));
			goto out;
		}
		EVP_DigestUpdate(ctx, chunk, (size_t)got);
		*size += (uint64_t)got;
	}
	EVP_DigestFinal_ex(ctx, md, &mdlen);
	for (unsigned i = 0; i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
out:
	EVP_MD_CTX_free(ctx);
	free(chunk);
	return rc;
}

static bool same_file_state(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_ino == b->st_ino &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/*
 * Hash in/<name> in place; EDI_ETEMP when it changes meanwhile.  *hashed
 * says which file (inode, size, mtime) was hashed.
 */
static enum edi_code hash_drop(const char *src, const char *name,
			       struct spool_meta *m, struct stat *hashed,
			       struct edi_error *err)
{
	struct stat before, after;
	enum edi_code rc;
	int fd = open(src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK |
				   O_NOCTTY);

	if (fd < 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot admit 'in/%s': %s", name,
				strerror(errno));
	if (fstat(fd, &before) != 0) {
		rc = edi_fail(err, fileio_code(errno), NULL,
			      "cannot admit 'in/%s': %s", name,
			      strerror(errno));
		close(fd);
		return rc;
	}
	if (!S_ISREG(before.st_mode)) {
		close(fd);
		if (S_ISDIR(before.st_mode))
			return edi_fail(err, EDI_EISDIR, NULL,
					"cannot admit 'in/%s': a folder "
					"(entries in in/ are claimed)",
					name);
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot admit 'in/%s': not a regular file",
				name);
	}
	rc = spool_digest_fd(fd, src, &m->size, m->sha256, err);
	if (rc == EDI_OK &&
	    (fstat(fd, &after) != 0 || !same_file_state(&before, &after) ||
	     m->size != (uint64_t)after.st_size))
		rc = edi_fail(err, EDI_ETEMP, NULL,
			      "cannot admit 'in/%s': it changed while it was "
			      "read (still being written?)",
			      name);
	close(fd);
	*hashed = before;
	return rc;
}

/* Hash the staged file at path again and rewrite meta.json in entry. */
static enum edi_code rehash(const char *entry, const char *path,
			    struct spool_meta *m, struct edi_error *err)
{
	enum edi_code rc;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot read '%s': %s", path, strerror(errno));
	rc = spool_digest_fd(fd, path, &m->size, m->sha256, err);
	close(fd);
	return rc ? rc : spool_meta_write(entry, m, err);
}

/* The partner part of an id made by spool_id_new(), or "". */
void spool_partner_of(const char *id, char dst[SPOOL_ID_PARTNER_MAX])
{
	const char *p = strlen(id) > ID_PREFIX && id[ID_PREFIX] == '-'
				? id + ID_PREFIX + 1
				: "";

	str_copy(dst, SPOOL_ID_PARTNER_MAX, p);
}

enum edi_code spool_admit(const struct spool *sp, const char *name,
			  const char *partner, time_t now,
			  char id[SPOOL_ID_MAX], struct edi_error *err)
{
	char in_dir[FILEIO_PATH_MAX], src[FILEIO_PATH_MAX];
	char tmp_dir[FILEIO_PATH_MAX], entry[FILEIO_PATH_MAX];
	char data[FILEIO_PATH_MAX];
	struct stat hashed = {0}, moved;
	struct spool_meta m;
	enum edi_code rc;

	id[0] = '\0';
	memset(&m, 0, sizeof(m));
	if (!name[0] || name[0] == '.' || strchr(name, '/'))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot admit '%s': not a file name in in/",
				name);
	rc = spool_state_path(sp, SPOOL_IN, in_dir, sizeof(in_dir), err);
	if (rc == EDI_OK)
		rc = fileio_join(src, sizeof(src), in_dir, name, err);
	if (rc == EDI_OK)
		rc = hash_drop(src, name, &m, &hashed, err);
	if (rc == EDI_OK)
		rc = spool_id_new(sp, partner, now, m.id, err);
	if (rc == EDI_OK)
		rc = spool_state_path(sp, SPOOL_TMP, tmp_dir, sizeof(tmp_dir),
				      err);
	if (rc == EDI_OK)
		rc = fileio_join(entry, sizeof(entry), tmp_dir, m.id, err);
	if (rc)
		return rc;
	str_copy(m.name, sizeof(m.name), name);
	spool_stored_name(name, m.file);
	snprintf(m.source, sizeof(m.source), "in");
	spool_partner_of(m.id, m.partner);
	m.received = now;
	rc = fileio_join(data, sizeof(data), entry, m.file, err);
	if (rc)
		return rc;

	/* 1. tmp/<id>/ with meta.json: the file is still only in in/ */
	if (mkdir(entry, SPOOL_DIR_MODE) != 0)
		return edi_fail(err, fileio_code(errno), NULL,
				"cannot admit 'in/%s': cannot create '%s': %s",
				name, entry, strerror(errno));
	rc = spool_sync_dir(sp, tmp_dir, err);
	if (rc == EDI_OK && spool_deferring(sp)) {
		/* a run's group: its spool_sync() makes meta.json durable
		 * before anything relies on it (a cut-short one is rebuilt
		 * from the file by tidying and recovery) */
		rc = spool_meta_write_unsynced(entry, &m, err);
		spool_note_unsynced(sp);
	} else if (rc == EDI_OK) {
		rc = spool_meta_write_ex(entry, &m, false, err); /* the
			* entry folder is fsync'd after the file joins it */
	}
	if (rc) {
		fileio_remove_tree(entry, NULL);
		return rc;
	}
	/* 2. the one rename that takes the file out of in/ */
	if (rename(src, data) != 0) {
		rc = edi_fail(err, fileio_code(errno), NULL,
			      "cannot admit 'in/%s': %s", name,
			      strerror(errno));
		fileio_remove_tree(entry, NULL);
		return rc;
	}
	/* from here on a failure leaves a complete entry in tmp/ */
	/* the entry's own folder now: a later crash must not find the
	 * entry without its file */
	if (spool_deferring(sp))
		spool_note_unsynced(sp); /* the group's syncfs covers it */
	else
		rc = fileio_fsync_dir(entry, err);
	if (rc == EDI_OK)
		rc = spool_sync_dir(sp, in_dir, err);
	/* a writer may have replaced in/<name> after it was hashed */
	if (rc == EDI_OK &&
	    (lstat(data, &moved) != 0 || !same_file_state(&hashed, &moved)))
		rc = rehash(entry, data, &m, err);
	/* 3. claimed */
	if (rc == EDI_OK)
		rc = spool_move(sp, m.id, SPOOL_TMP, SPOOL_WORK, now, err);
	if (rc == EDI_OK)
		str_copy(id, SPOOL_ID_MAX, m.id);
	return rc;
}

struct recover_ctx {
	const struct spool *sp;
	size_t nmoved;
	enum edi_code first;
	struct edi_error first_err;
};

static enum edi_code recover_one(void *p, const char *id, struct edi_error *err)
{
	struct recover_ctx *c = p;
	char dir[FILEIO_PATH_MAX];
	struct edi_error e;
	bool has_data;
	enum edi_code rc;

	(void)err;
	/* a run that died before its group's sync may leave a meta.json cut
	 * short (written without fsync): rebuild it from the file */
	rc = spool_entry_path(c->sp, SPOOL_WORK, id, dir, sizeof(dir), &e);
	if (rc == EDI_OK)
		rc = spool_complete_entry(c->sp, SPOOL_WORK, id, dir,
					  time(NULL), &has_data, &e);
	if (rc == EDI_OK)
		rc = spool_move(c->sp, id, SPOOL_WORK, SPOOL_IN, 0, &e);
	if (rc == EDI_OK) {
		c->nmoved++;
	} else if (c->first == EDI_OK) {
		c->first = rc;
		c->first_err = e;
	}
	return EDI_OK; /* try the others */
}

enum edi_code spool_recover(const struct spool *sp, size_t *nmoved,
			    struct edi_error *err)
{
	struct recover_ctx c;
	enum edi_code rc;

	memset(&c, 0, sizeof(c));
	c.sp = sp;
	rc = spool_list(sp, SPOOL_WORK, recover_one, &c, err);
	if (nmoved)
		*nmoved = c.nmoved;
	if (rc)
		return rc;
	if (c.first && err)
		*err = c.first_err;
	return c.first;
}

enum edi_code spool_write_reason(const struct spool *sp, const char *id,
				 const char *json, size_t len,
				 struct edi_error *err)
{
	static const enum spool_state where[] = {SPOOL_WORK, SPOOL_ERROR};
	char dir[FILEIO_PATH_MAX];
	json_error_t jerr;
	struct stat st;
	json_t *doc;
	enum edi_code rc;

	if (!spool_id_valid(id))
		return edi_fail(err, EDI_EUSAGE, NULL, "invalid entry id '%s'",
				id);
	if (len > SPOOL_REASON_MAX)
		return edi_fail(err, EDI_ELIMIT, NULL,
				"cannot write the reason of '%s': larger than "
				"%u bytes",
				id, SPOOL_REASON_MAX);
	doc = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!doc || !json_is_object(doc)) {
		json_decref(doc);
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot write the reason of '%s': not a JSON "
				"object%s%s",
				id, doc ? "" : ": ", doc ? "" : jerr.text);
	}
	json_decref(doc);
	for (size_t i = 0; i < 2; i++) {
		rc = spool_entry_path(sp, where[i], id, dir, sizeof(dir), err);
		if (rc)
			return rc;
		if (lstat(dir, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (!spool_deferring(sp))
				return fileio_write_durable(
					dir, SPOOL_REASON_FILE, json, len, err);
			/* the group's spool_sync() makes it durable before the
			 * entry is moved to error/ for good */
			spool_note_unsynced(sp);
			return fileio_write_unsynced(dir, SPOOL_REASON_FILE,
						     json, len, err);
		}
	}
	return edi_fail(err, EDI_ENOENT, NULL, "no entry '%s' in work or error",
			id);
}
