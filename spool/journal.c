/*
 * journal - the spool's journal in SQLite; see journal.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "journal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "xalloc.h"
#include "journal_int.h"

/*
 * migrations[v] brings a journal from user_version v to v + 1; each runs
 * in one transaction with its own PRAGMA user_version, so a crash halfway
 * leaves the old version.  Append, never edit a shipped one.
 */
static const char *const migrations[JOURNAL_SCHEMA_VERSION] = {
	"CREATE TABLE files ("
	" entry_id TEXT NOT NULL PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" partner TEXT,"
	" size INTEGER NOT NULL CHECK (size >= 0),"
	" sha256 TEXT,"
	" state TEXT NOT NULL,"
	" stage TEXT,"
	" received_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0);"
	"CREATE INDEX files_partner_state ON files (partner, state);"
	"CREATE TABLE sets ("
	" id TEXT NOT NULL PRIMARY KEY,"
	" entry_id TEXT NOT NULL REFERENCES files (entry_id),"
	" doc_key TEXT,"
	" doc_ref TEXT,"
	" partner TEXT,"
	" doc_type TEXT,"
	" st01 TEXT,"
	" isa13 TEXT,"
	" gs06 TEXT,"
	" st02 TEXT,"
	" status TEXT NOT NULL"
	"  CHECK (status IN ('accepted', 'rejected', 'delivered')),"
	" output TEXT,"
	" batch TEXT,"
	" created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL);"
	"CREATE INDEX sets_entry ON sets (entry_id);"
	"CREATE INDEX sets_doc_key ON sets (doc_key);"
	"CREATE INDEX sets_doc_ref ON sets (doc_ref);"
	"CREATE INDEX sets_isa13 ON sets (isa13);"
	"CREATE INDEX sets_partner_status ON sets (partner, status);"
	"CREATE TABLE deliveries ("
	" set_id TEXT NOT NULL REFERENCES sets (id),"
	" output TEXT NOT NULL,"
	" batch TEXT,"
	" delivered_at INTEGER NOT NULL,"
	" PRIMARY KEY (set_id, output)) WITHOUT ROWID;"
	"CREATE TABLE events ("
	" seq INTEGER PRIMARY KEY,"
	" entry_id TEXT NOT NULL REFERENCES files (entry_id),"
	" set_id TEXT,"
	" at INTEGER NOT NULL,"
	" event TEXT NOT NULL,"
	" detail TEXT);"
	"CREATE INDEX events_entry ON events (entry_id, at);"
	"CREATE INDEX events_set ON events (set_id) WHERE set_id IS NOT NULL;"
	"CREATE TABLE interchanges ("
	" sender TEXT NOT NULL,"
	" receiver TEXT NOT NULL,"
	" isa13 TEXT NOT NULL,"
	" entry_id TEXT NOT NULL REFERENCES files (entry_id),"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (sender, receiver, isa13)) WITHOUT ROWID;"
	"CREATE INDEX interchanges_isa13 ON interchanges (isa13);"
	"CREATE TABLE batches ("
	" name TEXT NOT NULL PRIMARY KEY,"
	" output TEXT NOT NULL,"
	" entry_id TEXT REFERENCES files (entry_id),"
	" state TEXT NOT NULL CHECK (state IN ('written', 'renamed')),"
	" at INTEGER NOT NULL);"
	"CREATE INDEX batches_written ON batches (at) WHERE state = 'written';"
	"CREATE TABLE counters ("
	" partner TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" value INTEGER NOT NULL,"
	" PRIMARY KEY (partner, name)) WITHOUT ROWID;"
	"PRAGMA user_version = 1;",
};

enum stmt {
	ST_BEGIN,
	ST_COMMIT,
	ST_ROLLBACK,
	ST_SAVEPOINT,
	ST_RELEASE,
	ST_ROLLBACK_TO,
	ST_FILE_PUT,
	ST_FILE_GET,
	ST_EVENT,
	ST_SET_PUT,
	ST_SET_GET,
	ST_DELIVERED,
	ST_DELIVERY_ADD,
	ST_SET_DELIVERED,
	ST_DELIVERY_EVENT,
	ST_IX_SEEN,
	ST_IX_ADD,
	ST_BATCH_PUT,
	ST_BATCHES_WRITTEN,
	ST_COUNTER_NEXT,
	ST_TRACE,
	ST_STATUS,
	ST_COUNT
};

/* Every statement, prepared once by journal_open(); data only as ?N. */
static const char *const stmt_sql[ST_COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_SAVEPOINT] = "SAVEPOINT journal_op",
	[ST_RELEASE] = "RELEASE journal_op",
	[ST_ROLLBACK_TO] = "ROLLBACK TO journal_op",
	[ST_FILE_PUT] =
		"INSERT INTO files (entry_id, name, partner, size, sha256,"
		" state, stage, received_at, updated_at, attempts)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
		" ON CONFLICT (entry_id) DO UPDATE SET name = excluded.name,"
		" partner = excluded.partner, size = excluded.size,"
		" sha256 = excluded.sha256, state = excluded.state,"
		" stage = excluded.stage, updated_at = excluded.updated_at,"
		" attempts = excluded.attempts",
	[ST_FILE_GET] = "SELECT name, partner, size, sha256, state, stage,"
			" received_at, updated_at, attempts"
			" FROM files WHERE entry_id = ?1",
	[ST_EVENT] = "INSERT INTO events (entry_id, set_id, at, event, detail)"
		     " VALUES (?1, ?2, ?3, ?4, ?5)",
	[ST_SET_PUT] =
		"INSERT INTO sets (id, entry_id, doc_key, doc_ref, partner,"
		" doc_type, st01, isa13, gs06, st02, status, created_at,"
		" updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
		"?13)"
		" ON CONFLICT (id) DO UPDATE SET entry_id = excluded.entry_id,"
		" doc_key = excluded.doc_key, doc_ref = excluded.doc_ref,"
		" partner = excluded.partner, doc_type = excluded.doc_type,"
		" st01 = excluded.st01, isa13 = excluded.isa13,"
		" gs06 = excluded.gs06, st02 = excluded.st02,"
		" status = CASE sets.status WHEN 'delivered' THEN 'delivered'"
		" ELSE excluded.status END,"
		" updated_at = excluded.updated_at",
	[ST_SET_GET] = "SELECT entry_id, doc_key, partner, doc_type, st01,"
		       " isa13, gs06, st02, status, output, batch,"
		       " created_at, updated_at FROM sets WHERE id = ?1",
	[ST_DELIVERED] =
		"SELECT 1 FROM deliveries WHERE set_id = ?1 AND output = ?2",
	[ST_DELIVERY_ADD] = "INSERT INTO deliveries (set_id, output, batch,"
			    " delivered_at) VALUES (?1, ?2, ?3, ?4)",
	[ST_SET_DELIVERED] = "UPDATE sets SET status = 'delivered',"
			     " output = ?2, batch = ?3, updated_at = ?4"
			     " WHERE id = ?1",
	[ST_DELIVERY_EVENT] =
		"INSERT INTO events (entry_id, set_id, at, event, detail)"
		" SELECT entry_id, id, ?2, 'delivered', ?3 FROM sets"
		" WHERE id = ?1",
	[ST_IX_SEEN] = "SELECT entry_id FROM interchanges WHERE sender = ?1"
		       " AND receiver = ?2 AND isa13 = ?3 AND at >= ?4",
	[ST_IX_ADD] = "INSERT INTO interchanges (sender, receiver, isa13,"
		      " entry_id, at) VALUES (?1, ?2, ?3, ?4, ?5)"
		      " ON CONFLICT (sender, receiver, isa13) DO UPDATE SET"
		      " entry_id = excluded.entry_id, at = excluded.at",
	[ST_BATCH_PUT] =
		"INSERT INTO batches (name, output, entry_id, state, at)"
		" VALUES (?1, ?2, ?3, ?4, ?5)"
		" ON CONFLICT (name) DO UPDATE SET output = excluded.output,"
		" entry_id = coalesce(excluded.entry_id, batches.entry_id),"
		" state = excluded.state,"
		" at = excluded.at",
	[ST_BATCHES_WRITTEN] = "SELECT name, output, entry_id, at FROM batches"
			       " WHERE state = 'written' ORDER BY at, name",
	[ST_COUNTER_NEXT] = "INSERT INTO counters (partner, name, value)"
			    " VALUES (?1, ?2, ?3)"
			    " ON CONFLICT (partner, name) DO UPDATE SET value ="
			    " CASE WHEN value < ?3 OR value >= ?4 THEN ?3"
			    " ELSE value + 1 END"
			    " RETURNING value",
	[ST_TRACE] = "WITH hit (entry_id) AS ("
		     " SELECT entry_id FROM files WHERE entry_id = ?1"
		     " UNION SELECT entry_id FROM sets WHERE id = ?1"
		     " OR doc_key = ?1 OR doc_ref = ?1 OR isa13 IN (?1, ?2)"
		     " UNION SELECT entry_id FROM events WHERE set_id = ?1"
		     " UNION SELECT entry_id FROM interchanges"
		     " WHERE isa13 IN (?1, ?2))"
		     " SELECT entry_id, set_id, at, event, detail FROM events"
		     " WHERE entry_id IN (SELECT entry_id FROM hit)"
		     " ORDER BY at, seq",
	[ST_STATUS] = "SELECT 0, partner, state, count(*) FROM files"
		      " GROUP BY partner, state"
		      " UNION ALL"
		      " SELECT 1, partner, status, count(*) FROM sets"
		      " GROUP BY partner, status"
		      " ORDER BY 1, 2, 3",
};

struct journal {
	sqlite3 *db;
	bool in_tx; /* journal_begin() succeeded, no commit or rollback yet */
	sqlite3_stmt *stmt[ST_COUNT];
	/* other modules' statements and schemas (journal_int.h) */
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} * cache;
	size_t ncache;
	const char **schemas;
	size_t nschemas;
};

/* Forget other modules' statements and schemas: after a rollback their
 * tables may be gone again. */
static void forget_cache(struct journal *j)
{
	for (size_t i = 0; i < j->ncache; i++)
		sqlite3_finalize(j->cache[i].st);
	free(j->cache);
	free(j->schemas);
	j->cache = NULL;
	j->schemas = NULL;
	j->ncache = j->nschemas = 0;
}

/* Not an SQLite code: SQLite abandoned the caller's transaction. */
#define TX_LOST (-1)

static const char *const set_status_names[] = {
	[JOURNAL_SET_ACCEPTED] = "accepted",
	[JOURNAL_SET_REJECTED] = "rejected",
	[JOURNAL_SET_DELIVERED] = "delivered",
};

static const char *const batch_state_names[] = {
	[JOURNAL_BATCH_WRITTEN] = "written",
	[JOURNAL_BATCH_RENAMED] = "renamed",
};

const char *journal_set_status_name(enum journal_set_status status)
{
	if ((unsigned)status > JOURNAL_SET_DELIVERED)
		return "unknown";
	return set_status_names[status];
}

const char *journal_batch_state_name(enum journal_batch_state state)
{
	if ((unsigned)state > JOURNAL_BATCH_RENAMED)
		return "unknown";
	return batch_state_names[state];
}

static enum edi_code code_of(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return EDI_ETEMP;
	case SQLITE_NOMEM:
		return EDI_ENOMEM;
	}
	return EDI_EIO;
}

static enum edi_code vfail(struct journal *j, int rc, struct edi_error *err,
			   const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));
static enum edi_code fail(struct journal *j, int rc, struct edi_error *err,
			  const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* "what failed: why", why from SQLite; call before resetting the stmt. */
static enum edi_code vfail(struct journal *j, int rc, struct edi_error *err,
			   const char *fmt, va_list ap)
{
	char what[EDI_MSG_MAX];

	vsnprintf(what, sizeof(what), fmt, ap);
	if (rc == TX_LOST)
		return edi_fail(err, EDI_EIO, NULL,
				"%s: the transaction was rolled back after an "
				"earlier error",
				what);
	return edi_fail(err, code_of(rc), NULL, "%s: %s", what,
			sqlite3_errmsg(j->db));
}

static enum edi_code fail(struct journal *j, int rc, struct edi_error *err,
			  const char *fmt, ...)
{
	va_list ap;
	enum edi_code code;

	va_start(ap, fmt);
	code = vfail(j, rc, err, fmt, ap);
	va_end(ap);
	return code;
}

enum edi_code journal_sql_fail(struct journal *j, int rc, struct edi_error *err,
			       const char *fmt, ...)
{
	va_list ap;
	enum edi_code code;

	va_start(ap, fmt);
	code = vfail(j, rc, err, fmt, ap);
	va_end(ap);
	return code;
}

sqlite3 *journal_db(struct journal *j)
{
	return j->db;
}

bool journal_tx_lost(const struct journal *j)
{
	return j->in_tx && sqlite3_get_autocommit(j->db);
}

enum edi_code journal_exec(struct journal *j, const char *sql,
			   struct edi_error *err)
{
	int rc;

	if (journal_tx_lost(j))
		return fail(j, TX_LOST, err, "cannot change the journal");
	rc = sqlite3_exec(j->db, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return fail(j, rc, err, "cannot change the journal");
	return EDI_OK;
}

/* The caller's transaction is gone: writes now would commit alone. */
static bool tx_lost(const struct journal *j)
{
	return j->in_tx && sqlite3_get_autocommit(j->db);
}

static void done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* The result of one step; bind_rc is the OR of the bindings' results. */
static int step(sqlite3_stmt *st, int bind_rc)
{
	return bind_rc == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
}

/* Bind s as it is ("" stays ""). */
static int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* Bind s, NULL or "" as NULL. */
static int bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (!s || !*s)
		return sqlite3_bind_null(st, i);
	return bind_text(st, i, s);
}

static const char *col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

/* Copy column col into dst[size]; false when it does not fit. */
static bool col_copy(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const char *s = col_text(st, col);
	size_t len = strlen(s);

	if (len >= size)
		return false;
	memcpy(dst, s, len + 1);
	return true;
}

/* A fixed array holds a C string (a NUL within it). */
static bool terminated(const char *a, size_t size)
{
	return memchr(a, '\0', size) != NULL;
}

static bool empty(const char *s)
{
	return !s || !*s;
}

/* --- opening --- */

/* Run one statement of SQL text (no data in it) and copy its first
 * column into out (size bytes) when out is not NULL. */
static int exec_text(sqlite3 *db, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && out) {
		const unsigned char *s = sqlite3_column_text(st, 0);

		snprintf(out, size, "%s", s ? (const char *)s : "");
	}
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		rc = SQLITE_OK;
	sqlite3_finalize(st);
	return rc;
}

static enum edi_code user_version(struct journal *j, const char *path,
				  int *version, struct edi_error *err)
{
	char text[32] = "";
	int rc = exec_text(j->db, "PRAGMA user_version", text, sizeof(text));

	if (rc != SQLITE_OK)
		return fail(j, rc, err,
			    "cannot read the schema of journal '%s'", path);
	*version = (int)strtol(text, NULL, 10);
	return EDI_OK;
}

static enum edi_code migrate(struct journal *j, const char *path,
			     struct edi_error *err)
{
	for (;;) {
		int version, rc;
		enum edi_code code = user_version(j, path, &version, err);

		if (code != EDI_OK)
			return code;
		if (version > JOURNAL_SCHEMA_VERSION)
			return edi_fail(err, EDI_ECONFIG, NULL,
					"journal '%s' has schema version %d, "
					"newer than this edigate's %d",
					path, version, JOURNAL_SCHEMA_VERSION);
		if (version == JOURNAL_SCHEMA_VERSION)
			return EDI_OK;
		rc = sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return fail(j, rc, err, "cannot migrate journal '%s'",
				    path);
		/* Another process may have migrated while we waited. */
		code = user_version(j, path, &version, err);
		if (code == EDI_OK && version >= 0 &&
		    version < JOURNAL_SCHEMA_VERSION) {
			rc = sqlite3_exec(j->db, migrations[version], NULL,
					  NULL, NULL);
			if (rc == SQLITE_OK)
				rc = sqlite3_exec(j->db, "COMMIT", NULL, NULL,
						  NULL);
			if (rc != SQLITE_OK)
				code = fail(j, rc, err,
					    "cannot migrate journal '%s' to "
					    "schema version %d",
					    path, version + 1);
		} else if (code == EDI_OK) {
			rc = sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
			if (rc != SQLITE_OK)
				code = fail(j, rc, err,
					    "cannot migrate journal '%s'",
					    path);
		}
		if (code != EDI_OK) {
			if (!sqlite3_get_autocommit(j->db))
				sqlite3_exec(j->db, "ROLLBACK", NULL, NULL,
					     NULL);
			return code;
		}
	}
}

static enum edi_code setup(struct journal *j, const char *path,
			   struct edi_error *err)
{
	char value[32] = "";
	int rc;

	sqlite3_extended_result_codes(j->db, 1);
	sqlite3_busy_timeout(j->db, JOURNAL_BUSY_TIMEOUT_MS);
	sqlite3_db_config(j->db, SQLITE_DBCONFIG_DEFENSIVE, 1, (int *)NULL);
	rc = exec_text(j->db, "PRAGMA journal_mode = WAL", value,
		       sizeof(value));
	if (rc != SQLITE_OK)
		return fail(j, rc, err, "cannot open journal '%s'", path);
	if (strcmp(value, "wal") != 0)
		return edi_fail(err, EDI_EIO, NULL,
				"cannot open journal '%s': the file system "
				"does not allow WAL mode (got '%s')",
				path, value);
	rc = exec_text(j->db, "PRAGMA synchronous = FULL", NULL, 0);
	if (rc == SQLITE_OK)
		rc = exec_text(j->db, "PRAGMA foreign_keys = ON", NULL, 0);
	if (rc == SQLITE_OK)
		rc = exec_text(j->db, "PRAGMA foreign_keys", value,
			       sizeof(value));
	if (rc != SQLITE_OK)
		return fail(j, rc, err, "cannot open journal '%s'", path);
	if (strcmp(value, "1") != 0)
		return edi_fail(err, EDI_EIO, NULL,
				"cannot open journal '%s': this SQLite has "
				"no foreign keys",
				path);
	return migrate(j, path, err);
}

enum edi_code journal_open(struct journal **out, const char *path,
			   struct edi_error *err)
{
	struct journal *j = xcalloc(1, sizeof(*j));
	enum edi_code code;
	int rc;

	*out = NULL;
	rc = sqlite3_open_v2(path, &j->db,
			     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
				     SQLITE_OPEN_NOMUTEX,
			     NULL);
	if (rc != SQLITE_OK)
		code = fail(j, rc, err, "cannot open journal '%s'", path);
	else
		code = setup(j, path, err);
	for (int i = 0; i < ST_COUNT && code == EDI_OK; i++) {
		rc = sqlite3_prepare_v3(j->db, stmt_sql[i], -1,
					SQLITE_PREPARE_PERSISTENT, &j->stmt[i],
					NULL);
		if (rc != SQLITE_OK)
			code = fail(j, rc, err,
				    "cannot prepare statement %d of journal "
				    "'%s'",
				    i, path);
	}
	if (code != EDI_OK) {
		journal_close(j);
		return code;
	}
	*out = j;
	return EDI_OK;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(j->stmt[i]);
	forget_cache(j);
	if (j->db && !sqlite3_get_autocommit(j->db))
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(j->db);
	free(j);
}

void journal_busy_timeout(struct journal *j, int timeout_ms)
{
	sqlite3_busy_timeout(j->db, timeout_ms);
}

/* --- transactions --- */

/* Run a statement without parameters or rows. */
static int run(struct journal *j, enum stmt s)
{
	int rc = sqlite3_step(j->stmt[s]);

	sqlite3_reset(j->stmt[s]);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

enum edi_code journal_begin(struct journal *j, struct edi_error *err)
{
	int rc;

	if (j->in_tx)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot begin a journal transaction: one is "
				"open");
	rc = sqlite3_step(j->stmt[ST_BEGIN]);
	if (rc != SQLITE_DONE) {
		enum edi_code code =
			fail(j, rc, err, "cannot begin a journal transaction");

		sqlite3_reset(j->stmt[ST_BEGIN]);
		return code;
	}
	sqlite3_reset(j->stmt[ST_BEGIN]);
	j->in_tx = true;
	return EDI_OK;
}

enum edi_code journal_commit(struct journal *j, struct edi_error *err)
{
	enum edi_code code = EDI_OK;
	int rc;

	if (!j->in_tx)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot commit the journal: no transaction "
				"is open");
	if (tx_lost(j)) {
		j->in_tx = false;
		return fail(j, TX_LOST, err, "cannot commit the journal");
	}
	rc = sqlite3_step(j->stmt[ST_COMMIT]);
	if (rc != SQLITE_DONE)
		code = fail(j, rc, err, "cannot commit the journal");
	sqlite3_reset(j->stmt[ST_COMMIT]);
	/* A failed COMMIT may leave the transaction open (busy): retry. */
	j->in_tx = !sqlite3_get_autocommit(j->db);
	return code;
}

enum edi_code journal_rollback(struct journal *j, struct edi_error *err)
{
	enum edi_code code = EDI_OK;
	int rc;

	if (!j->in_tx)
		return EDI_OK;
	j->in_tx = false;
	forget_cache(j); /* tables made in the transaction are gone */
	if (sqlite3_get_autocommit(j->db))
		return EDI_OK; /* SQLite rolled back already */
	rc = sqlite3_step(j->stmt[ST_ROLLBACK]);
	if (rc != SQLITE_DONE)
		code = fail(j, rc, err, "cannot roll back the journal");
	sqlite3_reset(j->stmt[ST_ROLLBACK]);
	return code;
}

bool journal_in_transaction(const struct journal *j)
{
	return j->in_tx;
}

/* --- files, events, sets --- */

enum edi_code journal_file_put(struct journal *j, const struct journal_file *f,
			       struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_FILE_PUT];
	enum edi_code code = EDI_OK;
	int rc;

	if (!terminated(f->entry_id, sizeof(f->entry_id)) ||
	    !terminated(f->name, sizeof(f->name)) ||
	    !terminated(f->partner, sizeof(f->partner)) ||
	    !terminated(f->sha256, sizeof(f->sha256)) ||
	    !terminated(f->state, sizeof(f->state)) ||
	    !terminated(f->stage, sizeof(f->stage)) || f->size > INT64_MAX)
		return edi_fail(err, EDI_ELIMIT, NULL,
				"cannot record file: a field is too long");
	if (empty(f->entry_id) || empty(f->name) || empty(f->state))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot record file '%s': entry id, name and "
				"state are required",
				f->entry_id);
	if (tx_lost(j))
		return fail(j, TX_LOST, err, "cannot record file '%s'",
			    f->entry_id);
	rc = bind_text(st, 1, f->entry_id) | bind_text(st, 2, f->name) |
	     bind_opt(st, 3, f->partner) |
	     sqlite3_bind_int64(st, 4, (sqlite3_int64)f->size) |
	     bind_opt(st, 5, f->sha256) | bind_text(st, 6, f->state) |
	     bind_opt(st, 7, f->stage) |
	     sqlite3_bind_int64(st, 8, f->received_at) |
	     sqlite3_bind_int64(st, 9, f->updated_at) |
	     sqlite3_bind_int64(st, 10, f->attempts);
	rc = step(st, rc);
	if (rc != SQLITE_DONE)
		code = fail(j, rc, err, "cannot record file '%s'", f->entry_id);
	done(st);
	return code;
}

enum edi_code journal_file_get(struct journal *j, const char *entry_id,
			       struct journal_file *out, struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_FILE_GET];
	enum edi_code code = EDI_OK;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strlen(entry_id) >= sizeof(out->entry_id))
		return edi_fail(err, EDI_ENOENT, NULL,
				"no entry '%s' in the journal", entry_id);
	rc = step(st, bind_text(st, 1, entry_id));
	if (rc == SQLITE_ROW) {
		snprintf(out->entry_id, sizeof(out->entry_id), "%s", entry_id);
		if (!col_copy(st, 0, out->name, sizeof(out->name)) ||
		    !col_copy(st, 1, out->partner, sizeof(out->partner)) ||
		    !col_copy(st, 3, out->sha256, sizeof(out->sha256)) ||
		    !col_copy(st, 4, out->state, sizeof(out->state)) ||
		    !col_copy(st, 5, out->stage, sizeof(out->stage)))
			code = edi_fail(err, EDI_ELIMIT, NULL,
					"cannot read file '%s' from the "
					"journal: a field is too long",
					entry_id);
		out->size = (uint64_t)sqlite3_column_int64(st, 2);
		out->received_at = sqlite3_column_int64(st, 6);
		out->updated_at = sqlite3_column_int64(st, 7);
		out->attempts = (unsigned)sqlite3_column_int64(st, 8);
	} else if (rc == SQLITE_DONE) {
		code = edi_fail(err, EDI_ENOENT, NULL,
				"no entry '%s' in the journal", entry_id);
	} else {
		code = fail(j, rc, err,
			    "cannot read file '%s' from the journal", entry_id);
	}
	done(st);
	return code;
}

/* A write naming an entry or a set that is not in the journal. */
static bool missing_parent(int rc)
{
	return rc == SQLITE_CONSTRAINT_FOREIGNKEY;
}

enum edi_code journal_event(struct journal *j, const char *entry_id,
			    const char *set_id, const char *event,
			    const char *detail, int64_t at,
			    struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_EVENT];
	enum edi_code code = EDI_OK;
	int rc;

	if (empty(entry_id) || empty(event))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot record an event: entry id and event "
				"are required");
	if (tx_lost(j))
		return fail(j, TX_LOST, err, "cannot record event '%s' of '%s'",
			    event, entry_id);
	rc = bind_text(st, 1, entry_id) | bind_opt(st, 2, set_id) |
	     sqlite3_bind_int64(st, 3, at) | bind_text(st, 4, event) |
	     bind_opt(st, 5, detail);
	rc = step(st, rc);
	if (missing_parent(rc))
		code = edi_fail(err, EDI_ENOENT, NULL,
				"cannot record event '%s': no entry '%s' in "
				"the journal",
				event, entry_id);
	else if (rc != SQLITE_DONE)
		code = fail(j, rc, err, "cannot record event '%s' of '%s'",
			    event, entry_id);
	done(st);
	return code;
}

/* The business part of a doc_key: after its last ':'. */
static const char *doc_ref(const char *doc_key)
{
	const char *colon = strrchr(doc_key, ':');

	return colon ? colon + 1 : doc_key;
}

enum edi_code journal_set_put(struct journal *j, const struct journal_set *s,
			      struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_SET_PUT];
	enum edi_code code = EDI_OK;
	int rc;

	if (!terminated(s->id, sizeof(s->id)) ||
	    !terminated(s->entry_id, sizeof(s->entry_id)) ||
	    !terminated(s->doc_key, sizeof(s->doc_key)) ||
	    !terminated(s->partner, sizeof(s->partner)) ||
	    !terminated(s->doc_type, sizeof(s->doc_type)) ||
	    !terminated(s->st01, sizeof(s->st01)) ||
	    !terminated(s->isa13, sizeof(s->isa13)) ||
	    !terminated(s->gs06, sizeof(s->gs06)) ||
	    !terminated(s->st02, sizeof(s->st02)))
		return edi_fail(err, EDI_ELIMIT, NULL,
				"cannot record set: a field is too long");
	if (empty(s->id) || empty(s->entry_id))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot record set '%s': set id and entry id "
				"are required",
				s->id);
	if (s->status != JOURNAL_SET_ACCEPTED &&
	    s->status != JOURNAL_SET_REJECTED)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot record set '%s': status must be "
				"accepted or rejected (journal_deliver() "
				"delivers)",
				s->id);
	if (tx_lost(j))
		return fail(j, TX_LOST, err, "cannot record set '%s'", s->id);
	rc = bind_text(st, 1, s->id) | bind_text(st, 2, s->entry_id) |
	     bind_opt(st, 3, s->doc_key) |
	     bind_opt(st, 4, doc_ref(s->doc_key)) |
	     bind_opt(st, 5, s->partner) | bind_opt(st, 6, s->doc_type) |
	     bind_opt(st, 7, s->st01) | bind_opt(st, 8, s->isa13) |
	     bind_opt(st, 9, s->gs06) | bind_opt(st, 10, s->st02) |
	     bind_text(st, 11, set_status_names[s->status]) |
	     sqlite3_bind_int64(st, 12,
				s->created_at ? s->created_at : s->updated_at) |
	     sqlite3_bind_int64(st, 13, s->updated_at);
	rc = step(st, rc);
	if (missing_parent(rc))
		code = edi_fail(err, EDI_ENOENT, NULL,
				"cannot record set '%s': no entry '%s' in the "
				"journal",
				s->id, s->entry_id);
	else if (rc != SQLITE_DONE)
		code = fail(j, rc, err, "cannot record set '%s'", s->id);
	done(st);
	return code;
}

static bool status_parse(const char *text, enum journal_set_status *status)
{
	for (size_t i = 0; i <= JOURNAL_SET_DELIVERED; i++) {
		if (strcmp(text, set_status_names[i]) == 0) {
			*status = (enum journal_set_status)i;
			return true;
		}
	}
	return false;
}

enum edi_code journal_set_get(struct journal *j, const char *set_id,
			      struct journal_set *out, struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_SET_GET];
	enum edi_code code = EDI_OK;
	int rc;

	memset(out, 0, sizeof(*out));
	if (strlen(set_id) >= sizeof(out->id))
		return edi_fail(err, EDI_ENOENT, NULL,
				"no set '%s' in the journal", set_id);
	rc = step(st, bind_text(st, 1, set_id));
	if (rc == SQLITE_ROW) {
		snprintf(out->id, sizeof(out->id), "%s", set_id);
		if (!col_copy(st, 0, out->entry_id, sizeof(out->entry_id)) ||
		    !col_copy(st, 1, out->doc_key, sizeof(out->doc_key)) ||
		    !col_copy(st, 2, out->partner, sizeof(out->partner)) ||
		    !col_copy(st, 3, out->doc_type, sizeof(out->doc_type)) ||
		    !col_copy(st, 4, out->st01, sizeof(out->st01)) ||
		    !col_copy(st, 5, out->isa13, sizeof(out->isa13)) ||
		    !col_copy(st, 6, out->gs06, sizeof(out->gs06)) ||
		    !col_copy(st, 7, out->st02, sizeof(out->st02)) ||
		    !col_copy(st, 9, out->output, sizeof(out->output)) ||
		    !col_copy(st, 10, out->batch, sizeof(out->batch)))
			code = edi_fail(err, EDI_ELIMIT, NULL,
					"cannot read set '%s' from the "
					"journal: a field is too long",
					set_id);
		else if (!status_parse(col_text(st, 8), &out->status))
			code = edi_fail(err, EDI_EIO, NULL,
					"cannot read set '%s' from the "
					"journal: unknown status '%s'",
					set_id, col_text(st, 8));
		out->created_at = sqlite3_column_int64(st, 11);
		out->updated_at = sqlite3_column_int64(st, 12);
	} else if (rc == SQLITE_DONE) {
		code = edi_fail(err, EDI_ENOENT, NULL,
				"no set '%s' in the journal", set_id);
	} else {
		code = fail(j, rc, err, "cannot read set '%s' from the journal",
			    set_id);
	}
	done(st);
	return code;
}

/* --- deliveries --- */

enum edi_code journal_delivered(struct journal *j, const char *set_id,
				const char *output, bool *delivered,
				struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_DELIVERED];
	enum edi_code code = EDI_OK;
	int rc;

	*delivered = false;
	rc = bind_text(st, 1, set_id) | bind_text(st, 2, output);
	rc = step(st, rc);
	if (rc == SQLITE_ROW)
		*delivered = true;
	else if (rc != SQLITE_DONE)
		code = fail(j, rc, err,
			    "cannot look up the delivery of set '%s' to '%s'",
			    set_id, output);
	done(st);
	return code;
}

/* Step one statement of journal_deliver(); the error stays for fail(). */
static int deliver_step(sqlite3_stmt *st, int bind_rc)
{
	int rc = step(st, bind_rc);

	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

enum edi_code journal_deliver(struct journal *j, const char *set_id,
			      const char *output, const char *batch, int64_t at,
			      struct edi_error *err)
{
	sqlite3_stmt *add = j->stmt[ST_DELIVERY_ADD];
	sqlite3_stmt *upd = j->stmt[ST_SET_DELIVERED];
	sqlite3_stmt *ev = j->stmt[ST_DELIVERY_EVENT];
	enum edi_code code = EDI_OK;
	char detail[JOURNAL_ID_MAX + JOURNAL_NAME_MAX + 32];
	int rc;

	if (empty(set_id) || empty(output))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot record a delivery: set id and output "
				"are required");
	if (tx_lost(j))
		return fail(j, TX_LOST, err,
			    "cannot record the delivery of set '%s' to '%s'",
			    set_id, output);
	if (empty(batch))
		snprintf(detail, sizeof(detail), "output=%s", output);
	else
		snprintf(detail, sizeof(detail), "output=%s batch=%s", output,
			 batch);
	/* Three writes, all or nothing, also inside a caller's transaction. */
	rc = run(j, ST_SAVEPOINT);
	if (rc != SQLITE_OK)
		return fail(j, rc, err,
			    "cannot record the delivery of set '%s' to '%s'",
			    set_id, output);
	rc = deliver_step(add, bind_text(add, 1, set_id) |
				       bind_text(add, 2, output) |
				       bind_opt(add, 3, batch) |
				       sqlite3_bind_int64(add, 4, at));
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		code = edi_fail(err, EDI_EDATA, NULL,
				"set '%s' was already delivered to '%s'",
				set_id, output);
	else if (missing_parent(rc))
		code = edi_fail(err, EDI_ENOENT, NULL,
				"cannot record the delivery of set '%s': no "
				"such set in the journal",
				set_id);
	if (rc == SQLITE_OK)
		rc = deliver_step(upd, bind_text(upd, 1, set_id) |
					       bind_text(upd, 2, output) |
					       bind_opt(upd, 3, batch) |
					       sqlite3_bind_int64(upd, 4, at));
	if (rc == SQLITE_OK)
		rc = deliver_step(ev, bind_text(ev, 1, set_id) |
					      sqlite3_bind_int64(ev, 2, at) |
					      bind_text(ev, 3, detail));
	if (rc != SQLITE_OK && code == EDI_OK)
		code = fail(j, rc, err,
			    "cannot record the delivery of set '%s' to '%s'",
			    set_id, output);
	done(add);
	done(upd);
	done(ev);
	if (code != EDI_OK) {
		/* Errors here are moot: the caller learns of the first. */
		run(j, ST_ROLLBACK_TO);
		run(j, ST_RELEASE);
		return code;
	}
	rc = run(j, ST_RELEASE);
	if (rc != SQLITE_OK) {
		code = fail(j, rc, err,
			    "cannot record the delivery of set '%s' to '%s'",
			    set_id, output);
		run(j, ST_ROLLBACK_TO);
		run(j, ST_RELEASE);
	}
	return code;
}

/* --- interchanges --- */

enum edi_code journal_interchange_seen(struct journal *j, const char *sender,
				       const char *receiver, const char *isa13,
				       int64_t since, bool *seen,
				       char *entry_id_out, size_t size,
				       struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_IX_SEEN];
	enum edi_code code = EDI_OK;
	int rc;

	*seen = false;
	if (entry_id_out && size)
		entry_id_out[0] = '\0';
	rc = bind_text(st, 1, sender) | bind_text(st, 2, receiver) |
	     bind_text(st, 3, isa13) | sqlite3_bind_int64(st, 4, since);
	rc = step(st, rc);
	if (rc == SQLITE_ROW) {
		*seen = true;
		if (entry_id_out && !col_copy(st, 0, entry_id_out, size))
			code = edi_fail(err, EDI_ELIMIT, NULL,
					"entry id of interchange %s is longer "
					"than %zu bytes",
					isa13, size);
	} else if (rc != SQLITE_DONE) {
		code = fail(j, rc, err,
			    "cannot look up interchange %s from '%s' to '%s'",
			    isa13, sender, receiver);
	}
	done(st);
	return code;
}

enum edi_code journal_interchange_add(struct journal *j, const char *sender,
				      const char *receiver, const char *isa13,
				      const char *entry_id, int64_t at,
				      struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_IX_ADD];
	enum edi_code code = EDI_OK;
	int rc;

	if (empty(sender) || empty(receiver) || empty(isa13) || empty(entry_id))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot record an interchange: sender, "
				"receiver, ISA13 and entry id are required");
	if (tx_lost(j))
		return fail(j, TX_LOST, err, "cannot record interchange %s",
			    isa13);
	rc = bind_text(st, 1, sender) | bind_text(st, 2, receiver) |
	     bind_text(st, 3, isa13) | bind_text(st, 4, entry_id) |
	     sqlite3_bind_int64(st, 5, at);
	rc = step(st, rc);
	if (missing_parent(rc))
		code = edi_fail(err, EDI_ENOENT, NULL,
				"cannot record interchange %s: no entry '%s' "
				"in the journal",
				isa13, entry_id);
	else if (rc != SQLITE_DONE)
		code = fail(j, rc, err,
			    "cannot record interchange %s from '%s' to '%s'",
			    isa13, sender, receiver);
	done(st);
	return code;
}

/* --- batches --- */

enum edi_code journal_batch_put(struct journal *j,
				const struct journal_batch *b,
				struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_BATCH_PUT];
	enum edi_code code = EDI_OK;
	int rc;

	if (empty(b->name) || empty(b->output))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot record a batch: name and output are "
				"required");
	if ((unsigned)b->state > JOURNAL_BATCH_RENAMED)
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot record batch '%s': unknown state %d",
				b->name, (int)b->state);
	if (tx_lost(j))
		return fail(j, TX_LOST, err, "cannot record batch '%s'",
			    b->name);
	rc = bind_text(st, 1, b->name) | bind_text(st, 2, b->output) |
	     bind_opt(st, 3, b->entry_id) |
	     bind_text(st, 4, batch_state_names[b->state]) |
	     sqlite3_bind_int64(st, 5, b->at);
	rc = step(st, rc);
	if (missing_parent(rc))
		code = edi_fail(err, EDI_ENOENT, NULL,
				"cannot record batch '%s': no entry '%s' in "
				"the journal",
				b->name, b->entry_id);
	else if (rc != SQLITE_DONE)
		code = fail(j, rc, err, "cannot record batch '%s'", b->name);
	done(st);
	return code;
}

struct batch_copy {
	char *name;
	char *output;
	char *entry_id;
	int64_t at;
};

enum edi_code journal_batches_written(
	struct journal *j,
	enum edi_code (*fn)(void *ctx, const struct journal_batch *b,
			    struct edi_error *err),
	void *ctx, struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_BATCHES_WRITTEN];
	struct batch_copy *rows = NULL;
	size_t n = 0, cap = 0;
	enum edi_code code = EDI_OK;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			rows = xreallocarray(rows, cap, sizeof(*rows));
		}
		rows[n].name = xstrdup(col_text(st, 0));
		rows[n].output = xstrdup(col_text(st, 1));
		rows[n].entry_id = xstrdup(col_text(st, 2));
		rows[n].at = sqlite3_column_int64(st, 3);
		n++;
	}
	if (rc != SQLITE_DONE)
		code = fail(j, rc, err, "cannot list the written batches");
	sqlite3_reset(st);
	for (size_t i = 0; i < n && code == EDI_OK; i++) {
		struct journal_batch b = {
			.name = rows[i].name,
			.output = rows[i].output,
			.entry_id = rows[i].entry_id,
			.state = JOURNAL_BATCH_WRITTEN,
			.at = rows[i].at,
		};

		code = fn(ctx, &b, err);
	}
	for (size_t i = 0; i < n; i++) {
		free(rows[i].name);
		free(rows[i].output);
		free(rows[i].entry_id);
	}
	free(rows);
	return code;
}

/* --- counters --- */

enum edi_code journal_counter_next(struct journal *j, const char *partner,
				   const char *name, int64_t min, int64_t max,
				   int64_t *value, struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_COUNTER_NEXT];
	enum edi_code code = EDI_OK;
	int rc;

	if (!partner || empty(name) || min >= max)
		return edi_fail(
			err, EDI_EUSAGE, NULL,
			"cannot count '%s' of '%s': a name and a range "
			"min < max are required (%" PRId64 " .. %" PRId64 ")",
			name ? name : "", partner ? partner : "", min, max);
	if (tx_lost(j))
		return fail(j, TX_LOST, err, "cannot count '%s' of '%s'", name,
			    partner);
	rc = bind_text(st, 1, partner) | bind_text(st, 2, name) |
	     sqlite3_bind_int64(st, 3, min) | sqlite3_bind_int64(st, 4, max);
	rc = step(st, rc);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st); /* RETURNING: finish the statement */
	}
	if (rc != SQLITE_DONE)
		code = fail(j, rc, err, "cannot count '%s' of '%s'", name,
			    partner);
	done(st);
	return code;
}

/* --- operator queries --- */

/* "123" -> "000000123" in pad; other keys are copied as they are. */
static void isa13_padded(const char *key, char *pad, size_t size)
{
	size_t len = strlen(key);

	if (len == 0 || len >= JOURNAL_ISA13_LEN ||
	    strspn(key, "0123456789") != len) {
		snprintf(pad, size, "%s", key);
		return;
	}
	snprintf(pad, size, "%0*d%s", (int)(JOURNAL_ISA13_LEN - len), 0, key);
}

enum edi_code journal_trace(
	struct journal *j, const char *key,
	enum edi_code (*fn)(void *ctx, const struct journal_event_row *ev,
			    struct edi_error *err),
	void *ctx, struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_TRACE];
	char pad[JOURNAL_ISA13_LEN + 1];
	enum edi_code code = EDI_OK;
	size_t n = 0;
	int rc;

	if (empty(key))
		return edi_fail(err, EDI_EUSAGE, NULL,
				"cannot trace: no key given");
	isa13_padded(key, pad, sizeof(pad));
	rc = bind_text(st, 1, key) | bind_text(st, 2, pad);
	if (rc != SQLITE_OK)
		rc = SQLITE_ERROR;
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct journal_event_row ev = {
			.entry_id = col_text(st, 0),
			.set_id = col_text(st, 1),
			.at = sqlite3_column_int64(st, 2),
			.event = col_text(st, 3),
			.detail = col_text(st, 4),
		};

		n++;
		code = fn(ctx, &ev, err);
		if (code != EDI_OK)
			break;
		rc = SQLITE_OK;
	}
	if (code == EDI_OK && rc != SQLITE_DONE)
		code = fail(j, rc, err, "cannot trace '%s'", key);
	else if (code == EDI_OK && n == 0)
		code = edi_fail(err, EDI_ENOENT, NULL,
				"nothing in the journal matches '%s'", key);
	done(st);
	return code;
}

enum edi_code journal_status(struct journal *j,
			     enum edi_code (*fn)(void *ctx,
						 const struct journal_count *c,
						 struct edi_error *err),
			     void *ctx, struct edi_error *err)
{
	sqlite3_stmt *st = j->stmt[ST_STATUS];
	enum edi_code code = EDI_OK;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct journal_count c = {
			.kind = sqlite3_column_int(st, 0) ? JOURNAL_COUNT_SETS
							  : JOURNAL_COUNT_FILES,
			.partner = col_text(st, 1),
			.state = col_text(st, 2),
			.n = sqlite3_column_int64(st, 3),
		};

		code = fn(ctx, &c, err);
		if (code != EDI_OK)
			break;
	}
	if (code == EDI_OK && rc != SQLITE_DONE)
		code = fail(j, rc, err, "cannot count the journal");
	sqlite3_reset(st);
	return code;
}

enum edi_code journal_schema(struct journal *j, const char *ddl,
			     struct edi_error *err)
{
	enum edi_code rc;

	for (size_t i = 0; i < j->nschemas; i++)
		if (j->schemas[i] == ddl)
			return EDI_OK;
	rc = journal_exec(j, ddl, err);
	if (rc)
		return rc;
	j->schemas =
		xreallocarray(j->schemas, j->nschemas + 1, sizeof(*j->schemas));
	j->schemas[j->nschemas++] = ddl;
	return EDI_OK;
}

enum edi_code journal_stmt(struct journal *j, const char *sql,
			   sqlite3_stmt **st, struct edi_error *err)
{
	int src;

	for (size_t i = 0; i < j->ncache; i++)
		if (j->cache[i].sql == sql) {
			*st = j->cache[i].st;
			return EDI_OK;
		}
	src = sqlite3_prepare_v3(j->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st,
				 NULL);
	if (src != SQLITE_OK)
		return fail(j, src, err, "cannot prepare a journal statement");
	j->cache = xreallocarray(j->cache, j->ncache + 1, sizeof(*j->cache));
	j->cache[j->ncache].sql = sql;
	j->cache[j->ncache].st = *st;
	j->ncache++;
	return EDI_OK;
}

void journal_stmt_done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}
