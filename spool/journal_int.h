/*
 * journal_int - for modules that keep tables of their own in the journal.
 *
 * The journal (journal.h) owns the SQLite connection and its transaction.
 * A module with tables of its own (transports' receipts, acknowledgments,
 * REST deliveries) creates them with journal_exec("CREATE TABLE IF NOT
 * EXISTS ...") when it first needs them, prepares its own statements on
 * journal_db() and finalizes them itself, and reports SQLite failures
 * with journal_sql_fail() so every journal error reads alike.  Its writes
 * join the caller's journal_begin() transaction when there is one.
 */
#ifndef EDI_JOURNAL_INT_H
#define EDI_JOURNAL_INT_H

#include <sqlite3.h>
#include <stdbool.h>

#include "edi_error.h"
#include "journal.h"

/* The connection; owned by the journal, valid until journal_close(). */
sqlite3 *journal_db(struct journal *j);
/*
 * "what: SQLite's message" as EDI_EIO (EDI_ETEMP when busy or locked);
 * call before resetting the statement that failed.
 */
enum edi_code journal_sql_fail(struct journal *j, int rc, struct edi_error *err,
			       const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * SQLite gave up the caller's transaction after an error: a write now
 * would commit on its own.  Check before writing; fail when true.
 */
bool journal_tx_lost(const struct journal *j);
/* Run sql (no results), e.g. CREATE TABLE IF NOT EXISTS. */
enum edi_code journal_exec(struct journal *j, const char *sql,
			   struct edi_error *err);
/*
 * Run ddl (CREATE ... IF NOT EXISTS) once per connection: later calls
 * with the same pointer do nothing.  A rollback forgets it (the tables
 * may have gone with the transaction).
 */
enum edi_code journal_schema(struct journal *j, const char *ddl,
			     struct edi_error *err);
/*
 * The prepared statement for sql (a string constant: cached by its
 * address), prepared on first use and kept until journal_close() or a
 * rollback.  Call journal_stmt_done() after using it; never finalize it.
 */
enum edi_code journal_stmt(struct journal *j, const char *sql,
			   sqlite3_stmt **st, struct edi_error *err);
void journal_stmt_done(sqlite3_stmt *st);
/* journal_schema(schema), then journal_stmt(sql): a module's usual way in. */
enum edi_code journal_prepare(struct journal *j, const char *schema,
			      const char *sql, sqlite3_stmt **st,
			      struct edi_error *err);
/* Column col as text into dst[size], cut to fit; "" for NULL. */
void journal_col_copy(sqlite3_stmt *st, int col, char *dst, size_t size);
/* Bind s, with NULL or "" as SQL NULL. */
int journal_bind_opt(sqlite3_stmt *st, int i, const char *s);

#endif
