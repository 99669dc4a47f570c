/*
 * journal_transfer - the transfers table; see journal_transfer.h.
 */
#include "journal_transfer.h"

#include <string.h>

#include "journal_int.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS transfers ("
	" seq INTEGER PRIMARY KEY,"
	" direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
	" partner TEXT NOT NULL,"
	" transport TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" entry_id TEXT,"
	" remote TEXT,"
	" message_id TEXT,"
	" status TEXT NOT NULL,"
	" detail TEXT,"
	" at INTEGER NOT NULL);"
	"CREATE INDEX IF NOT EXISTS transfers_message"
	" ON transfers (partner, direction, message_id)"
	" WHERE message_id IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS transfers_entry ON transfers (entry_id);"
	"CREATE INDEX IF NOT EXISTS transfers_name ON transfers (name);";

#define COLUMNS                                                              \
	"direction, partner, transport, name, entry_id, remote, message_id," \
	" status, detail, at"

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static void row(sqlite3_stmt *st, struct journal_transfer *t)
{
	memset(t, 0, sizeof(*t));
	journal_col_copy(st, 0, t->direction, sizeof(t->direction));
	journal_col_copy(st, 1, t->partner, sizeof(t->partner));
	journal_col_copy(st, 2, t->transport, sizeof(t->transport));
	journal_col_copy(st, 3, t->name, sizeof(t->name));
	journal_col_copy(st, 4, t->entry_id, sizeof(t->entry_id));
	journal_col_copy(st, 5, t->remote, sizeof(t->remote));
	journal_col_copy(st, 6, t->message_id, sizeof(t->message_id));
	journal_col_copy(st, 7, t->status, sizeof(t->status));
	journal_col_copy(st, 8, t->detail, sizeof(t->detail));
	t->at = sqlite3_column_int64(st, 9);
}

enum edi_code journal_transfer_add(struct journal *j,
				   const struct journal_transfer *t,
				   struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	if (!terminated(t->direction, sizeof(t->direction)) ||
	    !terminated(t->partner, sizeof(t->partner)) ||
	    !terminated(t->transport, sizeof(t->transport)) ||
	    !terminated(t->name, sizeof(t->name)) ||
	    !terminated(t->entry_id, sizeof(t->entry_id)) ||
	    !terminated(t->remote, sizeof(t->remote)) ||
	    !terminated(t->message_id, sizeof(t->message_id)) ||
	    !terminated(t->status, sizeof(t->status)) ||
	    !terminated(t->detail, sizeof(t->detail)))
		return edi_fail(
			err, EDI_ELIMIT, NULL,
			"cannot record a transfer: a field is too long");
	if (journal_tx_lost(j))
		return edi_fail(err, EDI_EIO, NULL,
				"cannot record transfer '%s': the transaction "
				"was rolled back after an earlier error",
				t->name);
	rc = journal_prepare(
		j, schema,
		"INSERT INTO transfers (" COLUMNS
		") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
		&st, err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, t->direction, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, t->partner, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 3, t->transport, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 4, t->name, -1, SQLITE_STATIC);
	src |= journal_bind_opt(st, 5, t->entry_id);
	src |= journal_bind_opt(st, 6, t->remote);
	src |= journal_bind_opt(st, 7, t->message_id);
	src |= sqlite3_bind_text(st, 8, t->status, -1, SQLITE_STATIC);
	src |= journal_bind_opt(st, 9, t->detail);
	src |= sqlite3_bind_int64(st, 10, t->at);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	rc = src == SQLITE_DONE
		     ? EDI_OK
		     : journal_sql_fail(j, src, err,
					"cannot record transfer '%s'", t->name);
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_transfer_by_message(struct journal *j,
					  const char *partner,
					  const char *direction,
					  const char *message_id,
					  struct journal_transfer *t,
					  struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	rc = journal_prepare(j, schema,
			     "SELECT " COLUMNS
			     " FROM transfers WHERE partner = ?1"
			     " AND direction = ?2 AND message_id = ?3"
			     " ORDER BY seq DESC LIMIT 1",
			     &st, err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, partner, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, direction, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 3, message_id, -1, SQLITE_STATIC);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	if (src == SQLITE_ROW) {
		row(st, t);
		rc = EDI_OK;
	} else if (src == SQLITE_DONE) {
		rc = edi_fail(err, EDI_ENOENT, NULL,
			      "no transfer with Message-ID '%s'", message_id);
	} else {
		rc = journal_sql_fail(j, src, err,
				      "cannot look up Message-ID '%s'",
				      message_id);
	}
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_transfers_of(
	struct journal *j, const char *key,
	enum edi_code (*fn)(void *ctx, const struct journal_transfer *t,
			    struct edi_error *err),
	void *ctx, struct edi_error *err)
{
	struct journal_transfer t;
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src;

	rc = journal_prepare(j, schema,
			     "SELECT " COLUMNS
			     " FROM transfers WHERE entry_id = ?1"
			     " OR name = ?1 OR message_id = ?1 ORDER BY seq",
			     &st, err);
	if (rc)
		return rc;
	src = sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	while (rc == EDI_OK && src == SQLITE_OK &&
	       (src = sqlite3_step(st)) == SQLITE_ROW) {
		row(st, &t);
		rc = fn(ctx, &t, err);
		src = SQLITE_OK;
	}
	if (rc == EDI_OK && src != SQLITE_DONE && src != SQLITE_OK)
		rc = journal_sql_fail(j, src, err,
				      "cannot read the transfers of '%s'", key);
	journal_stmt_done(st);
	return rc;
}
