/*
 * journal_priv - what the journal's own modules share (journal.c,
 * journal_sets.c, journal_ops.c): the connection with its prepared
 * statements, and small binding helpers.  Not for other modules: they use
 * journal.h, or journal_int.h for tables of their own.
 */
#ifndef EDI_JOURNAL_PRIV_H
#define EDI_JOURNAL_PRIV_H

#include <sqlite3.h>
#include <stdbool.h>
#include <string.h>

#include "journal.h"
#include "journal_int.h"

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

/* Not an SQLite code: SQLite abandoned the caller's transaction. */
#define TX_LOST (-1)

/* The caller's transaction is gone: writes now would commit alone. */
static inline bool tx_lost(const struct journal *j)
{
	return j->in_tx && sqlite3_get_autocommit(j->db);
}

static inline void done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

/* The result of one step; bind_rc is the OR of the bindings' results. */
static inline int step(sqlite3_stmt *st, int bind_rc)
{
	return bind_rc == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
}

/* Bind s as it is ("" stays ""). */
static inline int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	return sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

/* Bind s, NULL or "" as NULL. */
static inline int bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (!s || !*s)
		return sqlite3_bind_null(st, i);
	return bind_text(st, i, s);
}

static inline const char *col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return s ? (const char *)s : "";
}

/* Copy column col into dst[size]; false when it does not fit. */
static inline bool col_copy(sqlite3_stmt *st, int col, char *dst, size_t size)
{
	const char *s = col_text(st, col);
	size_t len = strlen(s);

	if (len >= size)
		return false;
	memcpy(dst, s, len + 1);
	return true;
}

/* A fixed array holds a C string (a NUL within it). */
static inline bool terminated(const char *a, size_t size)
{
	return memchr(a, '\0', size) != NULL;
}

static inline bool empty(const char *s)
{
	return !s || !*s;
}

/* Run a statement without results (a savepoint); SQLITE_OK or the code. */
static inline int run(struct journal *j, enum stmt s)
{
	int rc = sqlite3_step(j->stmt[s]);

	sqlite3_reset(j->stmt[s]);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* A write naming an entry or a set that is not in the journal. */
static inline bool missing_parent(int rc)
{
	return rc == SQLITE_CONSTRAINT_FOREIGNKEY;
}

#endif
