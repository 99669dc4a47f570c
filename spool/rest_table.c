/*
 * rest_table - the rest_deliveries table; see rest_table.h.
 */
#include "rest_table.h"

#include <stdio.h>
#include <string.h>

#include "journal_int.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS rest_deliveries("
	" record_id TEXT NOT NULL, output TEXT NOT NULL,"
	" entry_id TEXT NOT NULL, partner TEXT NOT NULL DEFAULT '',"
	" correlation_id TEXT NOT NULL DEFAULT '', status TEXT NOT NULL,"
	" attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,"
	" last_http INTEGER NOT NULL DEFAULT 0,"
	" detail TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL, PRIMARY KEY(record_id, output));"
	"CREATE INDEX IF NOT EXISTS rest_deliveries_entry"
	" ON rest_deliveries(entry_id);";

#define COLUMNS                                                         \
	"record_id, output, entry_id, partner, correlation_id, status," \
	" attempts, next_at, last_http, detail, created_at, updated_at"

static void read_row(sqlite3_stmt *st, struct rest_row *row)
{
	memset(row, 0, sizeof(*row));
	journal_col_copy(st, 0, row->record_id, sizeof(row->record_id));
	journal_col_copy(st, 1, row->output, sizeof(row->output));
	journal_col_copy(st, 2, row->entry_id, sizeof(row->entry_id));
	journal_col_copy(st, 3, row->partner, sizeof(row->partner));
	journal_col_copy(st, 4, row->correlation_id,
			 sizeof(row->correlation_id));
	journal_col_copy(st, 5, row->status, sizeof(row->status));
	row->attempts = (unsigned)sqlite3_column_int64(st, 6);
	row->next_at = sqlite3_column_int64(st, 7);
	row->last_http = (long)sqlite3_column_int64(st, 8);
	journal_col_copy(st, 9, row->detail, sizeof(row->detail));
	row->created_at = sqlite3_column_int64(st, 10);
	row->updated_at = sqlite3_column_int64(st, 11);
}

enum edi_code rest_row_get(struct journal *j, const char *record_id,
			   const char *output, struct rest_row *row,
			   struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src;

	rc = journal_prepare(j, schema,
			     "SELECT " COLUMNS " FROM rest_deliveries"
			     " WHERE record_id = ?1 AND output = ?2",
			     &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, record_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, output, -1, SQLITE_STATIC);
	src = sqlite3_step(st);
	if (src == SQLITE_ROW) {
		read_row(st, row);
		rc = EDI_OK;
	} else if (src == SQLITE_DONE) {
		rc = edi_fail(err, EDI_ENOENT, NULL,
			      "no REST delivery of '%s' to '%s'", record_id,
			      output);
	} else {
		rc = journal_sql_fail(j, src, err,
				      "cannot read the delivery of '%s'",
				      record_id);
	}
	journal_stmt_done(st);
	return rc;
}

enum edi_code rest_row_put(struct journal *j, const struct rest_row *row,
			   struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src;

	if (journal_tx_lost(j))
		return edi_fail(err, EDI_EIO, NULL,
				"cannot record the delivery of '%s': the "
				"journal transaction was lost",
				row->record_id);
	rc = journal_prepare(
		j, schema,
		"INSERT INTO rest_deliveries(record_id, output, entry_id,"
		" partner, correlation_id, status, attempts, next_at,"
		" last_http, detail, created_at, updated_at)"
		" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
		" ?12) ON CONFLICT(record_id, output) DO UPDATE SET"
		" entry_id = excluded.entry_id,"
		" partner = excluded.partner,"
		" correlation_id = excluded.correlation_id,"
		" status = excluded.status,"
		" attempts = excluded.attempts,"
		" next_at = excluded.next_at,"
		" last_http = excluded.last_http,"
		" detail = excluded.detail,"
		" updated_at = excluded.updated_at",
		&st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, row->record_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row->output, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row->entry_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->partner, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, row->correlation_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, row->status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, row->attempts);
	sqlite3_bind_int64(st, 8, row->next_at);
	sqlite3_bind_int64(st, 9, row->last_http);
	sqlite3_bind_text(st, 10, row->detail, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 11, row->created_at);
	sqlite3_bind_int64(st, 12, row->updated_at);
	src = sqlite3_step(st);
	rc = src == SQLITE_DONE
		     ? EDI_OK
		     : journal_sql_fail(j, src, err,
					"cannot record the delivery of '%s'",
					row->record_id);
	journal_stmt_done(st);
	return rc;
}

enum edi_code rest_rows_for(struct journal *j, const char *key,
			    enum edi_code (*fn)(void *ctx,
						const struct rest_row *row,
						struct edi_error *err),
			    void *ctx, struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	struct rest_row row;
	enum edi_code rc;
	int src;

	rc = journal_prepare(j, schema,
			     "SELECT " COLUMNS " FROM rest_deliveries"
			     " WHERE record_id = ?1 OR entry_id = ?1"
			     " ORDER BY created_at, record_id, output",
			     &st, err);
	if (rc)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		read_row(st, &row);
		rc = fn(ctx, &row, err);
		if (rc)
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = journal_sql_fail(
			j, src, err, "cannot read the deliveries of '%s'", key);
	journal_stmt_done(st);
	return rc;
}

enum edi_code rest_row_counts(struct journal *j,
			      enum edi_code (*fn)(void *ctx, const char *output,
						  const char *status, int64_t n,
						  struct edi_error *err),
			      void *ctx, struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src;

	rc = journal_prepare(
		j, schema,
		"SELECT output, status, count(*) FROM rest_deliveries"
		" GROUP BY output, status ORDER BY output, status",
		&st, err);
	if (rc)
		return rc;
	while ((src = sqlite3_step(st)) == SQLITE_ROW) {
		rc = fn(ctx, (const char *)sqlite3_column_text(st, 0),
			(const char *)sqlite3_column_text(st, 1),
			sqlite3_column_int64(st, 2), err);
		if (rc)
			break;
	}
	if (!rc && src != SQLITE_DONE)
		rc = journal_sql_fail(j, src, err,
				      "cannot count the REST deliveries");
	journal_stmt_done(st);
	return rc;
}
