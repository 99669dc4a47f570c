/*
 * outbox - staged outbound X12; see outbox.h.
 */
#include "outbox.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strview.h"
#include "spool_outbound.h"
#include "xalloc.h"

/*
 * Staged files share state/batches/ with every partner's and with the
 * output batches, and their final names are only unique per partner:
 * the staged (and journaled) name is "outbound.<partner>.<name>".
 */
static void staged_name(char *dst, size_t size, const char *partner,
			const char *name)
{
	snprintf(dst, size, "outbound.%s.%s", partner, name);
}

void outbox_init(struct outbox *o, const struct spool *sp, struct journal *j)
{
	memset(o, 0, sizeof(*o));
	o->sp = sp;
	o->journal = j;
}

void outbox_discard(struct outbox *o)
{
	for (size_t i = 0; i < o->n; i++)
		unlink(o->files[i].staged);
	o->n = 0;
}

void outbox_release(struct outbox *o)
{
	outbox_discard(o);
	free(o->files);
	o->files = NULL;
	o->cap = 0;
}

bool outbox_output(const char *output, char partner[SPOOL_ID_PARTNER_MAX])
{
	size_t n = strlen(OUTBOX_OUTPUT_PREFIX);

	if (strncmp(output, OUTBOX_OUTPUT_PREFIX, n))
		return false;
	str_copy(partner, SPOOL_ID_PARTNER_MAX, output + n);
	return spool_id_valid(partner);
}

enum edi_code outbox_stage(struct outbox *o, const char *partner,
			   const char *name, const char *entry_id,
			   const void *data, size_t len, time_t now,
			   struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], final[FILEIO_PATH_MAX];
	char output[sizeof(OUTBOX_OUTPUT_PREFIX) + SPOOL_ID_PARTNER_MAX];
	char staged[SPOOL_NAME_MAX + SPOOL_ID_PARTNER_MAX + 16];
	struct outbox_file *f;
	struct journal_batch b;
	enum edi_code rc;

	/* checks the partner and the name */
	rc = spool_outbound_path(o->sp, partner, name, final, sizeof(final),
				 err);
	if (rc == EDI_OK && strlen(partner) >= SPOOL_ID_PARTNER_MAX)
		rc = edi_fail(err, EDI_ELIMIT, NULL,
			      "partner id '%s' is too long", partner);
	if (rc == EDI_OK)
		rc = spool_path(o->sp, OUTBOX_BATCH_DIR, dir, sizeof(dir), err);
	if (rc == EDI_OK)
		rc = fileio_mkdirs(dir, SPOOL_DIR_MODE, err);
	if (rc)
		return rc;
	if (o->n == o->cap) {
		o->cap = o->cap ? 2 * o->cap : 8;
		o->files = xreallocarray(o->files, o->cap, sizeof(*o->files));
	}
	f = &o->files[o->n];
	str_copy(f->name, sizeof(f->name), name);
	str_copy(f->partner, sizeof(f->partner), partner);
	staged_name(staged, sizeof(staged), partner, name);
	rc = fileio_join(f->staged, sizeof(f->staged), dir, staged, err);
	if (rc == EDI_OK && spool_deferring(o->sp)) {
		/* a run's group: made durable by its sync before the commit */
		rc = fileio_write_unsynced(dir, staged, data, len, err);
		spool_note_unsynced(o->sp);
	} else if (rc == EDI_OK) {
		rc = fileio_write_durable(dir, staged, data, len, err);
	}
	if (rc)
		return rc;
	snprintf(output, sizeof(output), "%s%s", OUTBOX_OUTPUT_PREFIX, partner);
	b.name = staged;
	b.output = output;
	b.entry_id = entry_id ? entry_id : "";
	b.state = JOURNAL_BATCH_WRITTEN;
	b.at = (int64_t)now;
	rc = journal_batch_put(o->journal, &b, err);
	if (rc) {
		unlink(f->staged);
		return rc;
	}
	o->n++;
	return EDI_OK;
}

static enum edi_code publish_file(const struct spool *sp, const char *staged,
				  const char *partner, const char *name,
				  struct edi_error *err)
{
	char dir[FILEIO_PATH_MAX], to[FILEIO_PATH_MAX];
	enum edi_code rc;

	rc = spool_outbound_path(sp, partner, NULL, dir, sizeof(dir), err);
	if (rc == EDI_OK)
		rc = fileio_mkdirs(dir, SPOOL_DIR_MODE, err);
	if (rc == EDI_OK)
		rc = fileio_join(to, sizeof(to), dir, name, err);
	if (rc == EDI_OK && spool_deferring(sp)) {
		/* both folders are fsync'd once at the end of the group */
		char from_dir[FILEIO_PATH_MAX];
		if (rename(staged, to) != 0)
			return edi_fail(err, fileio_code(errno), NULL,
					"cannot rename '%s' to '%s': %s",
					staged, to, strerror(errno));
		rc = spool_path(sp, OUTBOX_BATCH_DIR, from_dir,
				sizeof(from_dir), err);
		if (rc == EDI_OK)
			rc = spool_sync_dir(sp, from_dir, err);
		if (rc == EDI_OK)
			rc = spool_sync_dir(sp, dir, err);
	} else if (rc == EDI_OK) {
		rc = fileio_rename(staged, to, err);
	}
	return rc;
}

enum edi_code outbox_publish(struct outbox *o, time_t now,
			     struct edi_error *err)
{
	char output[sizeof(OUTBOX_OUTPUT_PREFIX) + SPOOL_ID_PARTNER_MAX];
	enum edi_code rc = EDI_OK;
	size_t done = 0;

	if (!o->n)
		return EDI_OK;
	for (; done < o->n && rc == EDI_OK; done++)
		rc = publish_file(o->sp, o->files[done].staged,
				  o->files[done].partner, o->files[done].name,
				  err);
	if (rc == EDI_OK)
		rc = journal_begin(o->journal, err);
	for (size_t i = 0; i < done && rc == EDI_OK; i++) {
		char staged[SPOOL_NAME_MAX + SPOOL_ID_PARTNER_MAX + 16];
		struct journal_batch b = {staged, output, "",
					  JOURNAL_BATCH_RENAMED, (int64_t)now};
		staged_name(staged, sizeof(staged), o->files[i].partner,
			    o->files[i].name);
		snprintf(output, sizeof(output), "%s%s", OUTBOX_OUTPUT_PREFIX,
			 o->files[i].partner);
		rc = journal_batch_put(o->journal, &b, err);
	}
	if (rc == EDI_OK)
		rc = journal_commit(o->journal, err);
	else if (journal_in_transaction(o->journal))
		journal_rollback(o->journal, NULL);
	/* published or left for recovery: not ours to remove any more */
	o->n = 0;
	return rc;
}

enum edi_code outbox_recover_one(const struct spool *sp, const char *name,
				 const char *output, bool *renamed,
				 struct edi_error *err)
{
	char partner[SPOOL_ID_PARTNER_MAX], dir[FILEIO_PATH_MAX];
	char staged[FILEIO_PATH_MAX], prefix[SPOOL_ID_PARTNER_MAX + 16];
	struct stat st;
	enum edi_code rc;

	*renamed = false;
	if (!outbox_output(output, partner))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"'%s' is not an outbound output", output);
	snprintf(prefix, sizeof(prefix), "outbound.%s.", partner);
	if (strncmp(name, prefix, strlen(prefix)) || !name[strlen(prefix)])
		return edi_fail(err, EDI_EDATA, NULL,
				"outbound batch '%s' is not named %s<file>",
				name, prefix);
	rc = spool_path(sp, OUTBOX_BATCH_DIR, dir, sizeof(dir), err);
	if (rc == EDI_OK)
		rc = fileio_join(staged, sizeof(staged), dir, name, err);
	if (rc || stat(staged, &st) != 0)
		return rc;
	rc = publish_file(sp, staged, partner, name + strlen(prefix), err);
	if (rc == EDI_OK)
		*renamed = true;
	return rc;
}

enum edi_code outbox_next_control(struct journal *j, const char *partner,
				  const char *which, int64_t *value,
				  struct edi_error *err)
{
	return journal_counter_next(j, partner, which, 1, OUTBOX_CONTROL_MAX,
				    value, err);
}

void outbox_name(char dst[SPOOL_NAME_MAX], time_t now, const char *kind,
		 int64_t isa13)
{
	struct tm tm;
	char when[32] = "19700101T000000Z";

	if (gmtime_r(&now, &tm))
		strftime(when, sizeof(when), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(dst, SPOOL_NAME_MAX, "%s-%s-%09lld.x12", when, kind,
		 (long long)isa13);
}
