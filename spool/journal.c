/*
 * journal - opening, migrations, prepared statements and transactions of
 * the spool's journal (see journal.h); journal_sets.c and journal_ops.c
 * hold the rest, journal_priv.h what they share.
 */
#define _POSIX_C_SOURCE 200809L
#include "journal.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "journal_priv.h"
#include "xalloc.h"

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

enum edi_code journal_prepare(struct journal *j, const char *schema,
			      const char *sql, sqlite3_stmt **st,
			      struct edi_error *err)
{
	enum edi_code rc = journal_schema(j, schema, err);

	if (rc == EDI_OK)
		rc = journal_stmt(j, sql, st, err);
	return rc;
}

void journal_col_copy(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	size_t n = s ? strlen((const char *)s) : 0;

	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

int journal_bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (!s || !s[0])
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}
