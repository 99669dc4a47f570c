/*
 * spool_layout - the spool's folders, entry ids, entry metadata, listings.
 *
 * A spool is a folder with the subfolders of DESIGN.md §2 (tmp in work
 * error hold deferred archive out outbound sent state); spool_open()
 * creates what is missing and tidies tmp/.  An entry is a folder
 * <state>/<id>/ (archive: archive/YYYY-MM-DD/<id>/) holding the received
 * file under its original base name (made safe, see spool_stored_name()),
 * meta.json (spool_meta) and, in error/, reason.json.  The folder an entry
 * sits in is its state; spool_move.h moves entries between states.
 *
 * Entry ids look like 20261127T093012Z-000042-acme: the UTC second of
 * arrival, a six-digit counter, and the partner when known.  spool_id_new()
 * keeps the last second and counter in state/ids under an flock on
 * state/ids.lock, so ids are unique and sort in the order they were made
 * across processes, even within one second and when the clock steps back
 * (the second used is never earlier than the last one used).
 *
 * struct spool owns the root path (spool_open/spool_close).  Functions
 * fail with EDI_ENOENT for a missing entry (naming the id), EDI_EDATA for
 * damaged metadata, EDI_EUSAGE for a bad id, else the file-system code
 * from fileio_code(); messages name the path or id and strerror.
 */
#ifndef EDI_SPOOL_LAYOUT_H
#define EDI_SPOOL_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "edi_error.h"

#define SPOOL_ID_MAX	     128	 /* bytes of an entry id, with NUL */
#define SPOOL_ID_PARTNER_MAX 40		 /* bytes of the partner part */
#define SPOOL_ID_COUNTER_MAX 999999	 /* ids per second */
#define SPOOL_NAME_MAX	     256	 /* stored file name, with NUL */
#define SPOOL_ORIG_NAME_MAX  1024	 /* received name (UTF-8), with NUL */
#define SPOOL_SOURCE_MAX     64		 /* meta "source", with NUL */
#define SPOOL_TRANSPORT_MAX  4096	 /* meta "transport" JSON, with NUL */
#define SPOOL_META_MAX	     (64u << 10) /* bytes of meta.json */
#define SPOOL_REASON_MAX     (16u << 20) /* bytes of reason.json */
#define SPOOL_LIST_MAX	     1000000	 /* entries one listing handles */
#define SPOOL_TMP_GRACE_S    3600	 /* age of a stale temp file */
#define SPOOL_DIR_MODE	     0750
#define SPOOL_META_FILE	     "meta.json"
#define SPOOL_REASON_FILE    "reason.json"

/* The states an entry can be in: the folder it sits in. */
enum spool_state {
	SPOOL_TMP,	/* being put together (admission) */
	SPOOL_IN,	/* waiting to be processed */
	SPOOL_WORK,	/* claimed by a run */
	SPOOL_ERROR,	/* rejected, with reason.json; replayable */
	SPOOL_HOLD,	/* parked by an operator */
	SPOOL_DEFERRED, /* delivery failed transiently; retried later */
	SPOOL_ARCHIVE	/* processed: archive/YYYY-MM-DD/<id> */
};
#define SPOOL_NSTATES (SPOOL_ARCHIVE + 1)

/*
 * Folders whose fsync is put off while a run works through a group (see
 * spool_defer_sync()): a rename is atomic either way, and the pipeline's
 * journal decides what is delivered, so the folders are fsync'd once per
 * group instead of after every move.
 */
struct spool_sync {
	bool defer;
	bool unsynced; /* file data written without fsync while deferring */
	char **dirs;
	size_t n, cap;
	/* ids reserved for this process (a block per second, taken while
	 * deferring): the state file already counts them as used */
	long long id_t;
	unsigned id_next, id_end;
};

#define SPOOL_ID_BLOCK 256 /* ids reserved at once by a run */

struct spool {
	char *root;
	struct spool_sync *sync; /* owned; NULL until spool_open() */
	/* what spool_open() did to tmp/ */
	bool tmp_tidied;     /* false: another run holds the lock */
	size_t tmp_restored; /* cut-short admissions moved to in/ */
	size_t tmp_removed;  /* leftovers removed */
	size_t tmp_kept;     /* left alone after a failure to tidy them */
	char tmp_problem[EDI_MSG_MAX]; /* the first such failure, or "" */
};

/* What meta.json of an entry says. */
struct spool_meta {
	char id[SPOOL_ID_MAX];
	char name[SPOOL_ORIG_NAME_MAX];	    /* as received (for people) */
	char file[SPOOL_NAME_MAX];	    /* the stored file in the entry */
	char source[SPOOL_SOURCE_MAX];	    /* "in", "sftp:acme", "recovered" */
	char partner[SPOOL_ID_PARTNER_MAX]; /* "" when not known */
	time_t received;
	uint64_t size;
	char sha256[65]; /* lower-case hex */
	/* what the transport recorded (remote path, AS2 headers...): one
	 * JSON object as text, "" when none */
	char transport[SPOOL_TRANSPORT_MAX];
};

/* t (seconds since the epoch) as UTC fields; false outside the years
 * 1970-9999, which ids and meta.json can hold. */
bool spool_utc_fields(long long t, struct tm *tm);

/* "tmp", "in", "work", "error", "hold", "deferred", "archive". */
const char *spool_state_name(enum spool_state state);
/* The state named name; false when there is none. */
bool spool_state_parse(const char *name, enum spool_state *state);

/*
 * Open the spool at root: create root and its subfolders when missing
 * (fsync'ing the parents), then, when no other process holds the spool
 * lock, tidy tmp/ (spool_tidy_tmp() in spool_move.h): an admission cut
 * short by a crash goes to in/ keeping its id, never deleted; plain temp
 * files older than SPOOL_TMP_GRACE_S are removed (younger ones may be
 * written by a receiver right now).  A leftover that cannot be tidied
 * does not fail the open: it is counted in tmp_kept and described in
 * tmp_problem for the caller to log.  Failure leaves sp closed.
 */
enum edi_code spool_open(struct spool *sp, const char *root,
			 struct edi_error *err);
void spool_close(struct spool *sp);

/*
 * Put off the fsync of folders after moves and admissions until
 * spool_sync(), or (defer false) go back to fsync'ing at once.  Used by
 * the pipeline around a group: a crash in between can only bring an entry
 * back to the state it was in before (never lose one), which the journal
 * makes harmless.
 */
void spool_defer_sync(const struct spool *sp, bool defer);
/*
 * Make everything done since the last call durable: when files were
 * written without their own fsync (spool_note_unsynced()), one syncfs(2)
 * of the spool's filesystem, which covers their data and every folder;
 * else an fsync of every folder put off, once each.  The spool (with
 * state/ and the outputs' folders) is one filesystem: renames across
 * filesystems are not possible anyway.
 */
enum edi_code spool_sync(const struct spool *sp, struct edi_error *err);
/*
 * Is a run deferring syncs?  Then a writer inside the group may leave out
 * the fsync of a file it writes (an entry's meta.json, reason.json, an
 * output batch, a staged acknowledgment) and call spool_note_unsynced():
 * the pipeline calls spool_sync() before its journal commit and again at
 * the end of the group, so nothing the journal relies on is undurable.
 */
bool spool_deferring(const struct spool *sp);
void spool_note_unsynced(const struct spool *sp);
/* Write m as meta.json in entry_dir without fsync (see above). */
enum edi_code spool_meta_write_unsynced(const char *entry_dir,
					const struct spool_meta *m,
					struct edi_error *err);
/* fsync dir now, or note it for spool_sync() when deferred. */
enum edi_code spool_sync_dir(const struct spool *sp, const char *dir,
			     struct edi_error *err);

/* dst = <root>/<rel>; EDI_ELIMIT when too long. */
enum edi_code spool_path(const struct spool *sp, const char *rel, char *dst,
			 size_t size, struct edi_error *err);
/* <root>/<state>, the folder of a state. */
enum edi_code spool_state_path(const struct spool *sp, enum spool_state state,
			       char *dst, size_t size, struct edi_error *err);
/*
 * The folder of entry id in state.  For SPOOL_ARCHIVE the day folders are
 * searched (newest first) and EDI_ENOENT says the entry is not there;
 * other states give the path whether or not the entry exists.
 */
enum edi_code spool_entry_path(const struct spool *sp, enum spool_state state,
			       const char *id, char *dst, size_t size,
			       struct edi_error *err);

/*
 * Is id usable as an entry id: 1 to SPOOL_ID_MAX-1 bytes of
 * [A-Za-z0-9._-], not starting with a dot?  Check every id a user gives.
 */
bool spool_id_valid(const char *id);

/*
 * A new id for a file arriving at now (UTC), with partner (NULL or "":
 * none; other characters than [A-Za-z0-9._-] become '_', cut to
 * SPOOL_ID_PARTNER_MAX-1 bytes) as its last part.  The counter state is
 * written durably before the id is handed out.
 */
enum edi_code spool_id_new(const struct spool *sp, const char *partner,
			   time_t now, char id[SPOOL_ID_MAX],
			   struct edi_error *err);

/*
 * The name a received file is stored under inside its entry: name with
 * bytes outside printable ASCII (and '/') replaced by '_', a leading dot
 * replaced by '_', "meta.json" and "reason.json" prefixed with '_', cut
 * to SPOOL_NAME_MAX-1 bytes.  An empty name becomes "_".
 */
void spool_stored_name(const char *name, char dst[SPOOL_NAME_MAX]);

/* Write m as <entry_dir>/meta.json, durably (fileio). */
/* The same; dir_sync false leaves the fsync of entry_dir to the caller,
 * who must do it before relying on meta.json. */
enum edi_code spool_meta_write_ex(const char *entry_dir,
				  const struct spool_meta *m, bool dir_sync,
				  struct edi_error *err);
enum edi_code spool_meta_write(const char *entry_dir,
			       const struct spool_meta *m,
			       struct edi_error *err);
/*
 * Read meta.json of entry id in state.  Fails with EDI_ENOENT when the
 * entry or its meta.json is missing, EDI_EDATA when meta.json is damaged
 * or names another id or an unsafe file.
 */
enum edi_code spool_meta_read(const struct spool *sp, enum spool_state state,
			      const char *id, struct spool_meta *m,
			      struct edi_error *err);

/*
 * Call fn for every entry in state, in id order (the order of arrival).
 * Only folders whose names are valid ids count; archive is listed across
 * its day folders.  A non-zero return from fn stops the listing and is
 * returned.  More than SPOOL_LIST_MAX entries fail with EDI_ELIMIT before
 * fn is called.
 */
enum edi_code spool_list(const struct spool *sp, enum spool_state state,
			 enum edi_code (*fn)(void *ctx, const char *id,
					     struct edi_error *err),
			 void *ctx, struct edi_error *err);
/*
 * Call fn for every plain file dropped into in/ (not yet admitted: no
 * id), oldest modification first, then by name.  Names starting with a
 * dot are files still being written and are skipped.
 */
enum edi_code spool_list_drops(const struct spool *sp,
			       enum edi_code (*fn)(void *ctx, const char *name,
						   struct edi_error *err),
			       void *ctx, struct edi_error *err);

#endif
