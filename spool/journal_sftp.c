/*
 * journal_sftp - the sftp_pulls table; see journal_sftp.h.
 */
#include "journal_sftp.h"

#include <stdlib.h>
#include <string.h>

#include "journal_int.h"
#include "xalloc.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS sftp_pulls ("
	" partner TEXT NOT NULL,"
	" path TEXT NOT NULL,"
	" size INTEGER NOT NULL,"
	" mtime INTEGER NOT NULL,"
	" first_seen INTEGER NOT NULL,"
	" state TEXT NOT NULL"
	"  CHECK (state IN ('seen', 'fetching', 'received')),"
	" entry_id TEXT,"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (partner, path));";

static const char *const state_names[] = {"seen", "fetching", "received"};

enum edi_code journal_sftp_rows(struct journal *j, const char *partner,
				struct journal_sftp_pull **rows, size_t *n,
				struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	enum edi_code rc;
	int src;

	*rows = NULL;
	*n = 0;
	rc = journal_prepare(
		j, schema,
		"SELECT path, size, mtime, first_seen, state, entry_id, at"
		" FROM sftp_pulls WHERE partner = ?1 ORDER BY path",
		&st, err);
	if (rc)
		return rc;
	src = sqlite3_bind_text(st, 1, partner, -1, SQLITE_STATIC);
	while (src == SQLITE_OK && (src = sqlite3_step(st)) == SQLITE_ROW) {
		struct journal_sftp_pull *r;
		const unsigned char *state;

		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*rows = xreallocarray(*rows, cap, sizeof(**rows));
		}
		r = &(*rows)[(*n)++];
		memset(r, 0, sizeof(*r));
		journal_col_copy(st, 0, r->path, sizeof(r->path));
		r->size = (uint64_t)sqlite3_column_int64(st, 1);
		r->mtime = sqlite3_column_int64(st, 2);
		r->first_seen = sqlite3_column_int64(st, 3);
		state = sqlite3_column_text(st, 4);
		r->state = JOURNAL_SFTP_SEEN;
		for (int i = 0; state && i < 3; i++)
			if (!strcmp((const char *)state, state_names[i]))
				r->state = (enum journal_sftp_state)i;
		journal_col_copy(st, 5, r->entry_id, sizeof(r->entry_id));
		r->at = sqlite3_column_int64(st, 6);
		src = SQLITE_OK;
	}
	if (src != SQLITE_DONE) {
		rc = journal_sql_fail(j, src, err,
				      "cannot read the SFTP pull state of '%s'",
				      partner);
		free(*rows);
		*rows = NULL;
		*n = 0;
	}
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_sftp_put(struct journal *j, const char *partner,
			       const struct journal_sftp_pull *row,
			       struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	if (!memchr(row->path, '\0', sizeof(row->path)) ||
	    !memchr(row->entry_id, '\0', sizeof(row->entry_id)))
		return edi_fail(err, EDI_ELIMIT, NULL,
				"cannot record a pull: a field is too long");
	if (journal_tx_lost(j))
		return edi_fail(err, EDI_EIO, NULL,
				"cannot record the pull of '%s': the "
				"transaction was rolled back after an earlier "
				"error",
				row->path);
	rc = journal_prepare(
		j, schema,
		"INSERT OR REPLACE INTO sftp_pulls (partner, path, size,"
		" mtime, first_seen, state, entry_id, at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		&st, err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, partner, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, row->path, -1, SQLITE_STATIC);
	src |= sqlite3_bind_int64(st, 3, (sqlite3_int64)row->size);
	src |= sqlite3_bind_int64(st, 4, row->mtime);
	src |= sqlite3_bind_int64(st, 5, row->first_seen);
	src |= sqlite3_bind_text(st, 6, state_names[row->state], -1,
				 SQLITE_STATIC);
	if (row->entry_id[0])
		src |= sqlite3_bind_text(st, 7, row->entry_id, -1,
					 SQLITE_STATIC);
	else
		src |= sqlite3_bind_null(st, 7);
	src |= sqlite3_bind_int64(st, 8, row->at);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	rc = src == SQLITE_DONE
		     ? EDI_OK
		     : journal_sql_fail(j, src, err,
					"cannot record the pull of '%s'",
					row->path);
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_sftp_forget(struct journal *j, const char *partner,
				  const char *path, struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	if (journal_tx_lost(j))
		return edi_fail(err, EDI_EIO, NULL,
				"cannot forget the pull of '%s': the "
				"transaction was rolled back after an earlier "
				"error",
				path);
	rc = journal_prepare(
		j, schema,
		"DELETE FROM sftp_pulls WHERE partner = ?1 AND path = ?2", &st,
		err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, partner, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	rc = src == SQLITE_DONE
		     ? EDI_OK
		     : journal_sql_fail(j, src, err,
					"cannot forget the pull of '%s'", path);
	journal_stmt_done(st);
	return rc;
}
