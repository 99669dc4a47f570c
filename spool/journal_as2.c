/*
 * journal_as2 - AS2 messages and MDNs in the journal; see journal_as2.h.
 */
#include "journal_as2.h"

#include <string.h>

#include "journal_int.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS as2_messages ("
	" direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),"
	" partner TEXT NOT NULL,"
	" message_id TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" entry_id TEXT,"
	" mic TEXT,"
	" status TEXT NOT NULL,"
	" detail TEXT,"
	" sent_path TEXT,"
	" mdn BLOB,"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (direction, partner, message_id));"
	"CREATE INDEX IF NOT EXISTS as2_messages_name"
	" ON as2_messages (partner, name, status);";

#define COLUMNS                                                        \
	"direction, partner, message_id, name, entry_id, mic, status," \
	" detail, sent_path, at"

static void row(sqlite3_stmt *st, struct journal_as2 *m)
{
	memset(m, 0, sizeof(*m));
	journal_col_copy(st, 0, m->direction, sizeof(m->direction));
	journal_col_copy(st, 1, m->partner, sizeof(m->partner));
	journal_col_copy(st, 2, m->message_id, sizeof(m->message_id));
	journal_col_copy(st, 3, m->name, sizeof(m->name));
	journal_col_copy(st, 4, m->entry_id, sizeof(m->entry_id));
	journal_col_copy(st, 5, m->mic, sizeof(m->mic));
	journal_col_copy(st, 6, m->status, sizeof(m->status));
	journal_col_copy(st, 7, m->detail, sizeof(m->detail));
	journal_col_copy(st, 8, m->sent_path, sizeof(m->sent_path));
	m->at = sqlite3_column_int64(st, 9);
}

enum edi_code journal_as2_put(struct journal *j, const struct journal_as2 *m,
			      struct strview mdn, struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	if (journal_tx_lost(j))
		return edi_fail(err, EDI_EIO, NULL,
				"cannot record as2 message '%s': the "
				"transaction was rolled back after an earlier "
				"error",
				m->message_id);
	rc = journal_prepare(
		j, schema,
		"INSERT OR REPLACE INTO as2_messages (" COLUMNS
		", mdn) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10,"
		" ?11)",
		&st, err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, m->direction, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, m->partner, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 3, m->message_id, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 4, m->name, -1, SQLITE_STATIC);
	src |= journal_bind_opt(st, 5, m->entry_id);
	src |= journal_bind_opt(st, 6, m->mic);
	src |= sqlite3_bind_text(st, 7, m->status, -1, SQLITE_STATIC);
	src |= journal_bind_opt(st, 8, m->detail);
	src |= journal_bind_opt(st, 9, m->sent_path);
	src |= sqlite3_bind_int64(st, 10, m->at);
	if (mdn.len)
		src |= sqlite3_bind_blob64(st, 11, mdn.ptr, mdn.len,
					   SQLITE_STATIC);
	else
		src |= sqlite3_bind_null(st, 11);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	rc = src == SQLITE_DONE
		     ? EDI_OK
		     : journal_sql_fail(j, src, err,
					"cannot record as2 message '%s'",
					m->message_id);
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_as2_get(struct journal *j, const char *direction,
			      const char *partner, const char *message_id,
			      struct journal_as2 *m, struct buf *mdn,
			      struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	rc = journal_prepare(j, schema,
			     "SELECT " COLUMNS ", mdn FROM as2_messages"
			     " WHERE direction = ?1 AND partner = ?2"
			     " AND message_id = ?3",
			     &st, err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, direction, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, partner, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 3, message_id, -1, SQLITE_STATIC);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	if (src == SQLITE_ROW) {
		row(st, m);
		if (mdn) {
			const void *p = sqlite3_column_blob(st, 10);
			int n = sqlite3_column_bytes(st, 10);
			if (p && n > 0 && buf_add(mdn, p, (size_t)n))
				rc = edi_fail(err, EDI_ELIMIT, NULL,
					      "stored mdn of '%s' too large",
					      message_id);
		}
	} else if (src == SQLITE_DONE) {
		rc = edi_fail(err, EDI_ENOENT, NULL,
			      "no as2 message '%s' of '%s'", message_id,
			      partner);
	} else {
		rc = journal_sql_fail(j, src, err,
				      "cannot read as2 message '%s'",
				      message_id);
	}
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_as2_unfinished(struct journal *j, const char *partner,
				     const char *name, struct journal_as2 *m,
				     struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	rc = journal_prepare(j, schema,
			     "SELECT " COLUMNS " FROM as2_messages"
			     " WHERE direction = 'out' AND partner = ?1"
			     " AND name = ?2 AND status = 'sending'"
			     " ORDER BY at DESC LIMIT 1",
			     &st, err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, partner, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	if (src == SQLITE_ROW)
		row(st, m);
	else if (src == SQLITE_DONE)
		rc = edi_fail(err, EDI_ENOENT, NULL,
			      "no unfinished send of '%s'", name);
	else
		rc = journal_sql_fail(j, src, err,
				      "cannot read as2 sends of '%s'", name);
	journal_stmt_done(st);
	return rc;
}
