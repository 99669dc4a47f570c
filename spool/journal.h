/*
 * journal - what the spool did, in SQLite (<spool>/state/journal.db).
 *
 * The journal records the files that entered the spool, the transaction
 * sets found in them, every event (for `edigate trace`), the deliveries
 * that make delivery idempotent, the interchanges seen (duplicate check),
 * the output batches being renamed into place (crash recovery) and the
 * per-partner control-number counters.  A struct journal is one SQLite
 * connection (WAL, synchronous=FULL, foreign keys on) used by one thread;
 * it owns its prepared statements.  Times are Unix seconds given by the
 * caller: nothing here reads the clock.  Nothing here prints or exits.
 *
 * Transactions.  Without journal_begin() every call is its own durable
 * commit (one fsync each).  The pipeline groups many files into one
 * journal_begin() .. journal_commit(); everything below works inside one
 * long transaction, and a call that fails (a refused delivery, an unknown
 * entry) undoes only its own writes.  If SQLite itself had to abandon the
 * transaction (disk full, I/O error), every later write and the commit
 * fail with EDI_EIO until journal_rollback().  Closing the journal, or a
 * crash, before journal_commit() loses exactly the uncommitted writes.
 *
 * Exactly-once delivery.  A set is delivered when a row in `deliveries`
 * exists; journal_deliver() refuses a second one (EDI_EDATA), also after
 * a replay or a crash and a re-run.  The pipeline writes an output batch
 * under a temporary name, records the batch (`written`) and its
 * deliveries, commits, and only then renames the batch into place and
 * marks it `renamed`.  A crash before the commit leaves nothing delivered
 * (the temporary file is cleaned up, the sets go again); a crash after it
 * leaves a `written` batch that journal_batches_written() hands to
 * recovery, which finishes the rename.  Files that carry a counter value
 * (acknowledgments) follow the same order, since a counter increment is
 * rolled back with its transaction.  synchronous=FULL is what makes a
 * commit survive a power loss before the rename it allows.
 *
 * Errors.  SQLite errors become EDI_EIO, or EDI_ETEMP when the database
 * is busy or locked (another process holds the write lock longer than the
 * busy timeout), with the operation and SQLite's message:
 * "cannot record set 'x': database is locked".  A record that names an
 * entry or set the journal does not hold fails with EDI_ENOENT.
 *
 * Schema (PRAGMA user_version 1; journal_open() migrates older files
 * forward and refuses newer ones with EDI_ECONFIG).  Absent optional
 * values are NULL in the database and "" in C.
 *
 *   files(entry_id PK, name, partner, size, sha256, state, stage,
 *         received_at, updated_at, attempts)
 *       one row per spool entry; state is the spool state (the directory),
 *       stage the pipeline stage that last failed; received_at is kept from
 *       the first journal_file_put().
 *   sets(id PK, entry_id -> files, doc_key, doc_ref, partner, doc_type,
 *        st01, isa13, gs06, st02, status, output, batch, created_at,
 *        updated_at)
 *       one row per transaction set (id: the canonical record id, e.g.
 *       acme.000000123.1.0001); doc_ref is the part of doc_key after its
 *       last ':' (PO-1001); status accepted|rejected|delivered, delivered
 *       set by journal_deliver() only and never taken back; output and
 *       batch of the last delivery.
 *   deliveries(set_id -> sets, output, batch, delivered_at,
 *              PK(set_id, output))
 *       the idempotency key: delivered means a row exists.
 *   events(seq PK, entry_id -> files, set_id, at, event, detail)
 *       the history trace shows; seq orders events of the same second.
 *   interchanges(sender, receiver, isa13, entry_id -> files, at,
 *                PK(sender, receiver, isa13))
 *       the last entry that brought each interchange, for the duplicate
 *       check.
 *   batches(name PK, output, entry_id -> files or NULL, state, at)
 *       output batch files; state written|renamed.
 *   counters(partner, name, value, PK(partner, name))
 *       the last value handed out by journal_counter_next().
 */
#ifndef EDI_JOURNAL_H
#define EDI_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edi_error.h"

/* Where the journal lives, relative to the spool directory. */
#define JOURNAL_FILE "state/journal.db"

#define JOURNAL_SCHEMA_VERSION	1
#define JOURNAL_BUSY_TIMEOUT_MS 5000
/* Sizes of the fixed arrays below, the terminating NUL included. */
#define JOURNAL_ID_MAX	   128 /* entry and set ids, partners, outputs */
#define JOURNAL_NAME_MAX   256 /* file names, doc keys, batch names */
#define JOURNAL_WORD_MAX   32  /* states, stages, types, control numbers */
#define JOURNAL_SHA256_HEX 65
#define JOURNAL_ISA13_LEN  9

struct journal;

/*
 * A spool entry.  Strings live in the struct's own arrays; a put refuses
 * one that is not NUL-terminated within its array (EDI_ELIMIT), and
 * entry_id, name and state must not be empty (EDI_EUSAGE).
 */
struct journal_file {
	char entry_id[JOURNAL_ID_MAX];
	char name[JOURNAL_NAME_MAX];	 /* the file's name as received */
	char partner[JOURNAL_ID_MAX];	 /* "" until identified */
	char sha256[JOURNAL_SHA256_HEX]; /* lower-case hex */
	char state[JOURNAL_WORD_MAX];	 /* spool state: in, work, error... */
	char stage[JOURNAL_WORD_MAX];	 /* failed stage, "" when none */
	uint64_t size;			 /* bytes */
	int64_t received_at;
	int64_t updated_at;
	unsigned attempts;
};

enum journal_set_status {
	JOURNAL_SET_ACCEPTED,
	JOURNAL_SET_REJECTED,
	JOURNAL_SET_DELIVERED
};

/* A transaction set (or flat-file document); strings as in journal_file. */
struct journal_set {
	char id[JOURNAL_ID_MAX];       /* record id, the idempotency key */
	char entry_id[JOURNAL_ID_MAX]; /* must be in files */
	char doc_key[JOURNAL_NAME_MAX];
	char partner[JOURNAL_ID_MAX];
	char doc_type[JOURNAL_WORD_MAX]; /* order, invoice... */
	char st01[JOURNAL_WORD_MAX];
	char isa13[JOURNAL_WORD_MAX];
	char gs06[JOURNAL_WORD_MAX];
	char st02[JOURNAL_WORD_MAX];
	enum journal_set_status status;
	char output[JOURNAL_ID_MAX];  /* set by journal_deliver() */
	char batch[JOURNAL_NAME_MAX]; /* set by journal_deliver() */
	int64_t created_at;	      /* kept from the first put */
	int64_t updated_at;
};

enum journal_batch_state { JOURNAL_BATCH_WRITTEN, JOURNAL_BATCH_RENAMED };

/* An output batch; entry_id may be NULL or "" (a batch of many entries). */
struct journal_batch {
	const char *name;
	const char *output;
	const char *entry_id;
	enum journal_batch_state state;
	int64_t at;
};

/* One event as trace hands it out; set_id and detail "" when absent. */
struct journal_event_row {
	const char *entry_id;
	const char *set_id;
	int64_t at;
	const char *event;
	const char *detail;
};

enum journal_count_kind { JOURNAL_COUNT_FILES, JOURNAL_COUNT_SETS };

/* One line of status: files per state or sets per status, per partner. */
struct journal_count {
	enum journal_count_kind kind;
	const char *partner; /* "" for files of no known partner */
	const char *state;   /* file state or set status */
	int64_t n;
};

const char *journal_set_status_name(enum journal_set_status status);
const char *journal_batch_state_name(enum journal_batch_state state);

/*
 * Open (creating it when missing) the journal at path, whose directory
 * must exist, and bring its schema to JOURNAL_SCHEMA_VERSION.  *out is
 * NULL on failure.
 */
enum edi_code journal_open(struct journal **out, const char *path,
			   struct edi_error *err);
/* Roll back an open transaction, release everything; NULL is fine. */
void journal_close(struct journal *j);
/* How long a call waits for another process's write lock (ms). */
void journal_busy_timeout(struct journal *j, int timeout_ms);

/*
 * Explicit transactions; no nesting (EDI_EUSAGE).  journal_begin() takes
 * the write lock at once, so a busy database fails here (EDI_ETEMP), not
 * halfway through.  A commit that fails with EDI_ETEMP leaves the
 * transaction open: commit again or roll back.
 */
enum edi_code journal_begin(struct journal *j, struct edi_error *err);
enum edi_code journal_commit(struct journal *j, struct edi_error *err);
enum edi_code journal_rollback(struct journal *j, struct edi_error *err);
bool journal_in_transaction(const struct journal *j);

/* Insert or update a file row (received_at is kept from the first put). */
enum edi_code journal_file_put(struct journal *j, const struct journal_file *f,
			       struct edi_error *err);
/* Fill *out; EDI_ENOENT when the journal has no such entry. */
enum edi_code journal_file_get(struct journal *j, const char *entry_id,
			       struct journal_file *out, struct edi_error *err);

/*
 * Append an event of entry_id (which must be in files) and optionally of
 * a set (set_id NULL or "": none); detail may be NULL.
 */
enum edi_code journal_event(struct journal *j, const char *entry_id,
			    const char *set_id, const char *event,
			    const char *detail, int64_t at,
			    struct edi_error *err);

/*
 * Insert or update a set row.  status must be accepted or rejected
 * (EDI_EUSAGE otherwise); a set already delivered stays delivered.
 * output and batch of *s are ignored.
 */
enum edi_code journal_set_put(struct journal *j, const struct journal_set *s,
			      struct edi_error *err);
/* Fill *out; EDI_ENOENT when the journal has no such set. */
enum edi_code journal_set_get(struct journal *j, const char *set_id,
			      struct journal_set *out, struct edi_error *err);

/* Whether set_id was delivered to output: *delivered. */
enum edi_code journal_delivered(struct journal *j, const char *set_id,
				const char *output, bool *delivered,
				struct edi_error *err);
/*
 * Record that set_id went to output in batch (NULL: none): a deliveries
 * row, the set's status, output and batch, and a "delivered" event, all
 * or nothing.  EDI_EDATA when it was delivered to output before (nothing
 * changes), EDI_ENOENT when the set is not in the journal.
 */
enum edi_code journal_deliver(struct journal *j, const char *set_id,
			      const char *output, const char *batch, int64_t at,
			      struct edi_error *err);

/*
 * Whether the interchange (sender, receiver as "ZZ:ACME", ISA13) was
 * recorded at or after since: *seen, and the entry that brought it in
 * entry_id_out (size bytes; may be NULL).  A replay of the same entry
 * finds its own id, which is not a duplicate.
 */
enum edi_code journal_interchange_seen(struct journal *j, const char *sender,
				       const char *receiver, const char *isa13,
				       int64_t since, bool *seen,
				       char *entry_id_out, size_t size,
				       struct edi_error *err);
/*
 * Record the interchange as brought by entry_id at at, replacing an older
 * record of the same key (control numbers wrap); call it after
 * journal_interchange_seen() said no duplicate.
 */
enum edi_code journal_interchange_add(struct journal *j, const char *sender,
				      const char *receiver, const char *isa13,
				      const char *entry_id, int64_t at,
				      struct edi_error *err);

/* Insert or update a batch row; no entry id keeps the one recorded. */
enum edi_code journal_batch_put(struct journal *j,
				const struct journal_batch *b,
				struct edi_error *err);
/*
 * Call fn for every batch in state written, oldest first.  The rows are
 * read before the first call, so fn may update them (journal_batch_put).
 * A non-zero return from fn stops the walk and is returned; the strings
 * are valid during the call only.
 */
enum edi_code journal_batches_written(
	struct journal *j,
	enum edi_code (*fn)(void *ctx, const struct journal_batch *b,
			    struct edi_error *err),
	void *ctx, struct edi_error *err);

/*
 * Hand out the next value of the counter (partner, name) in [min, max]:
 * min the first time, then one more each call, back to min after max (or
 * when the stored value is outside the range).  min < max, or EDI_EUSAGE,
 * so a value never comes twice in a row.  The increment is part of the
 * current transaction: committed with it, rolled back with it.
 */
enum edi_code journal_counter_next(struct journal *j, const char *partner,
				   const char *name, int64_t min, int64_t max,
				   int64_t *value, struct edi_error *err);

/*
 * Call fn with every event, in time order, of every entry that key names:
 * an entry id, a set id, a doc_key or its business part (the part after
 * its last ':', e.g. PO-1001), or an ISA13 (digits are also tried padded
 * to 9 with zeros: "123" finds 000000123).  EDI_ENOENT when there is no
 * such event.  A non-zero return from fn stops the walk and is returned.
 * fn may call other journal functions, but not journal_trace(); the
 * strings are valid during the call only.
 */
enum edi_code journal_trace(
	struct journal *j, const char *key,
	enum edi_code (*fn)(void *ctx, const struct journal_event_row *ev,
			    struct edi_error *err),
	void *ctx, struct edi_error *err);

/*
 * Call fn with the number of files per partner and state, then of sets
 * per partner and status, each sorted by partner and state.  Stops and
 * returns like journal_trace(); fn may not call journal_status().
 */
enum edi_code journal_status(struct journal *j,
			     enum edi_code (*fn)(void *ctx,
						 const struct journal_count *c,
						 struct edi_error *err),
			     void *ctx, struct edi_error *err);

#endif
