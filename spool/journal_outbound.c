/*
 * journal_outbound - outbound sets and their acks; see journal_outbound.h.
 */
#include "journal_outbound.h"

#include <string.h>

#include "journal_int.h"

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS outbound_sets ("
	" partner TEXT NOT NULL,"
	" isa13 TEXT NOT NULL,"
	" gs06 TEXT NOT NULL,"
	" st02 TEXT NOT NULL,"
	" st01 TEXT NOT NULL,"
	" doc_key TEXT,"
	" doc_ref TEXT,"
	" record_id TEXT,"
	" file TEXT NOT NULL,"
	" entry_id TEXT,"
	" sent_at INTEGER NOT NULL,"
	" due_at INTEGER,"
	" ack TEXT NOT NULL DEFAULT 'pending',"
	" ack_detail TEXT,"
	" ack_at INTEGER,"
	" ack_entry TEXT,"
	" PRIMARY KEY (partner, gs06, st02)) WITHOUT ROWID;"
	"CREATE INDEX IF NOT EXISTS outbound_sets_pending"
	" ON outbound_sets (partner, sent_at) WHERE ack = 'pending';"
	"CREATE INDEX IF NOT EXISTS outbound_sets_record"
	" ON outbound_sets (record_id);"
	"CREATE INDEX IF NOT EXISTS outbound_sets_doc_ref"
	" ON outbound_sets (doc_ref);"
	"CREATE INDEX IF NOT EXISTS outbound_sets_isa13"
	" ON outbound_sets (isa13);"
	"CREATE TABLE IF NOT EXISTS acks_sent ("
	" entry_id TEXT NOT NULL,"
	" isa13 TEXT NOT NULL,"
	" partner TEXT NOT NULL,"
	" file TEXT NOT NULL,"
	" at INTEGER NOT NULL,"
	" PRIMARY KEY (entry_id, isa13)) WITHOUT ROWID;";

#define COLUMNS                                                       \
	"partner, isa13, gs06, st02, st01, doc_key, record_id, file," \
	" entry_id, sent_at, ack, ack_detail, ack_at, ack_entry, due_at"

static const char *const ack_names[] = {
	[JOURNAL_ACK_PENDING] = "pending",
	[JOURNAL_ACK_ACCEPTED] = "accepted",
	[JOURNAL_ACK_ERRORS] = "accepted-with-errors",
	[JOURNAL_ACK_REJECTED] = "rejected",
};

const char *journal_ack_name(enum journal_ack ack)
{
	if ((unsigned)ack >= sizeof(ack_names) / sizeof(ack_names[0]))
		return "unknown";
	return ack_names[ack];
}

static enum journal_ack ack_parse(const char *s)
{
	for (unsigned i = 0; i < sizeof(ack_names) / sizeof(ack_names[0]); i++)
		if (s && !strcmp(s, ack_names[i]))
			return (enum journal_ack)i;
	return JOURNAL_ACK_PENDING;
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

static const char *doc_ref(const char *doc_key)
{
	const char *c = strrchr(doc_key, ':');

	return c ? c + 1 : doc_key;
}

enum edi_code journal_outbound_add(struct journal *j,
				   const struct journal_outbound *o,
				   struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	if (!terminated(o->partner, sizeof(o->partner)) ||
	    !terminated(o->isa13, sizeof(o->isa13)) ||
	    !terminated(o->gs06, sizeof(o->gs06)) ||
	    !terminated(o->st02, sizeof(o->st02)) ||
	    !terminated(o->st01, sizeof(o->st01)) ||
	    !terminated(o->doc_key, sizeof(o->doc_key)) ||
	    !terminated(o->record_id, sizeof(o->record_id)) ||
	    !terminated(o->file, sizeof(o->file)) ||
	    !terminated(o->entry_id, sizeof(o->entry_id)))
		return edi_fail(err, EDI_ELIMIT, NULL,
				"cannot record an outbound set: a field is "
				"too long");
	if (journal_tx_lost(j))
		return edi_fail(err, EDI_EIO, NULL,
				"cannot record outbound set %s: the "
				"transaction was rolled back after an earlier "
				"error",
				o->st02);
	rc = journal_prepare(
		j, schema,
		"INSERT INTO outbound_sets (partner, isa13, gs06, st02,"
		" st01, doc_key, doc_ref, record_id, file, entry_id,"
		" sent_at, due_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
		" ?8, ?9, ?10, ?11, ?12)",
		&st, err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, o->partner, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, o->isa13, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 3, o->gs06, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 4, o->st02, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 5, o->st01, -1, SQLITE_STATIC);
	src |= journal_bind_opt(st, 6, o->doc_key);
	src |= journal_bind_opt(st, 7,
				o->doc_key[0] ? doc_ref(o->doc_key) : "");
	src |= journal_bind_opt(st, 8, o->record_id);
	src |= sqlite3_bind_text(st, 9, o->file, -1, SQLITE_STATIC);
	src |= journal_bind_opt(st, 10, o->entry_id);
	src |= sqlite3_bind_int64(st, 11, o->sent_at);
	src |= o->due_at ? sqlite3_bind_int64(st, 12, o->due_at)
			 : sqlite3_bind_null(st, 12);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	if (src == SQLITE_DONE)
		rc = EDI_OK;
	else if ((src & 0xff) == SQLITE_CONSTRAINT)
		rc = edi_fail(err, EDI_EDATA, NULL,
			      "outbound set %s of group %s to '%s' is already "
			      "recorded",
			      o->st02, o->gs06, o->partner);
	else
		rc = journal_sql_fail(j, src, err,
				      "cannot record outbound set %s", o->st02);
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_outbound_ack(struct journal *j, const char *partner,
				   const char *gs06, const char *st02,
				   enum journal_ack ack, const char *detail,
				   const char *ack_entry, int64_t at,
				   unsigned *nmatched, struct edi_error *err)
{
	bool whole = !st02 || !st02[0];
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	*nmatched = 0;
	if (journal_tx_lost(j))
		return edi_fail(err, EDI_EIO, NULL,
				"cannot record an acknowledgment: the "
				"transaction was rolled back after an earlier "
				"error");
	rc = journal_prepare(
		j, schema,
		whole ? "UPDATE outbound_sets SET ack = ?4,"
			" ack_detail = ?5, ack_at = ?6, ack_entry = ?7"
			" WHERE partner = ?1 AND gs06 = ?2"
			" AND ack = 'pending' AND ?3 IS NULL"
		      : "UPDATE outbound_sets SET ack = ?4,"
			" ack_detail = ?5, ack_at = ?6, ack_entry = ?7"
			" WHERE partner = ?1 AND gs06 = ?2 AND st02 = ?3",
		&st, err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, partner, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, gs06, -1, SQLITE_STATIC);
	src |= journal_bind_opt(st, 3, whole ? NULL : st02);
	src |= sqlite3_bind_text(st, 4, journal_ack_name(ack), -1,
				 SQLITE_STATIC);
	src |= journal_bind_opt(st, 5, detail);
	src |= sqlite3_bind_int64(st, 6, at);
	src |= journal_bind_opt(st, 7, ack_entry);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	if (src == SQLITE_DONE) {
		*nmatched = (unsigned)sqlite3_changes(journal_db(j));
		rc = *nmatched
			     ? EDI_OK
			     : edi_fail(err, EDI_ENOENT, NULL,
					"no set %s of group %s was sent to "
					"'%s'",
					whole ? "(any)" : st02, gs06, partner);
	} else {
		rc = journal_sql_fail(j, src, err,
				      "cannot record the acknowledgment of "
				      "group %s",
				      gs06);
	}
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_outbound_find(
	struct journal *j, const char *partner, const char *key,
	enum edi_code (*fn)(void *ctx, const struct journal_outbound *o,
			    struct edi_error *err),
	void *ctx, struct edi_error *err)
{
	struct journal_outbound o;
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	rc = journal_prepare(
		j, schema,
		key ? "SELECT " COLUMNS " FROM outbound_sets"
		      " WHERE (?1 IS NULL OR partner = ?1) AND"
		      " (record_id = ?2 OR doc_key = ?2 OR doc_ref = ?2"
		      " OR isa13 = ?2 OR file = ?2 OR entry_id = ?2"
		      " OR ack_entry = ?2)"
		      " ORDER BY sent_at, gs06, st02"
		    : "SELECT " COLUMNS " FROM outbound_sets"
		      " WHERE (?1 IS NULL OR partner = ?1) AND"
		      " ack = 'pending' AND ?2 IS NULL"
		      " ORDER BY sent_at, gs06, st02",
		&st, err);
	if (rc)
		return rc;
	src |= journal_bind_opt(st, 1, partner);
	src |= journal_bind_opt(st, 2, key);
	while (rc == EDI_OK && src == SQLITE_OK &&
	       (src = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&o, 0, sizeof(o));
		journal_col_copy(st, 0, o.partner, sizeof(o.partner));
		journal_col_copy(st, 1, o.isa13, sizeof(o.isa13));
		journal_col_copy(st, 2, o.gs06, sizeof(o.gs06));
		journal_col_copy(st, 3, o.st02, sizeof(o.st02));
		journal_col_copy(st, 4, o.st01, sizeof(o.st01));
		journal_col_copy(st, 5, o.doc_key, sizeof(o.doc_key));
		journal_col_copy(st, 6, o.record_id, sizeof(o.record_id));
		journal_col_copy(st, 7, o.file, sizeof(o.file));
		journal_col_copy(st, 8, o.entry_id, sizeof(o.entry_id));
		o.sent_at = sqlite3_column_int64(st, 9);
		o.ack = ack_parse((const char *)sqlite3_column_text(st, 10));
		journal_col_copy(st, 11, o.ack_detail, sizeof(o.ack_detail));
		o.ack_at = sqlite3_column_int64(st, 12);
		journal_col_copy(st, 13, o.ack_entry, sizeof(o.ack_entry));
		o.due_at = sqlite3_column_int64(st, 14);
		rc = fn(ctx, &o, err);
		src = SQLITE_OK;
	}
	if (rc == EDI_OK && src != SQLITE_DONE && src != SQLITE_OK)
		rc = journal_sql_fail(j, src, err,
				      "cannot read the outbound sets");
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_ack_sent(struct journal *j, const char *entry_id,
			       const char *isa13, bool *sent,
			       struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	*sent = false;
	rc = journal_prepare(j, schema,
			     "SELECT 1 FROM acks_sent WHERE entry_id = ?1"
			     " AND isa13 = ?2",
			     &st, err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, entry_id, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, isa13, -1, SQLITE_STATIC);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	if (src == SQLITE_ROW)
		*sent = true;
	else if (src != SQLITE_DONE)
		rc = journal_sql_fail(j, src, err,
				      "cannot look up the acknowledgment of "
				      "'%s'",
				      entry_id);
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_ack_sent_add(struct journal *j, const char *entry_id,
				   const char *isa13, const char *partner,
				   const char *file, int64_t at,
				   struct edi_error *err)
{
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src = SQLITE_OK;

	if (journal_tx_lost(j))
		return edi_fail(err, EDI_EIO, NULL,
				"cannot record an acknowledgment: the "
				"transaction was rolled back after an earlier "
				"error");
	rc = journal_prepare(
		j, schema,
		"INSERT OR REPLACE INTO acks_sent (entry_id, isa13,"
		" partner, file, at) VALUES (?1, ?2, ?3, ?4, ?5)",
		&st, err);
	if (rc)
		return rc;
	src |= sqlite3_bind_text(st, 1, entry_id, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 2, isa13, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 3, partner, -1, SQLITE_STATIC);
	src |= sqlite3_bind_text(st, 4, file, -1, SQLITE_STATIC);
	src |= sqlite3_bind_int64(st, 5, at);
	src = src == SQLITE_OK ? sqlite3_step(st) : SQLITE_ERROR;
	rc = src == SQLITE_DONE ? EDI_OK
				: journal_sql_fail(j, src, err,
						   "cannot record the "
						   "acknowledgment of '%s'",
						   entry_id);
	journal_stmt_done(st);
	return rc;
}

enum edi_code journal_outbound_counts(
	struct journal *j, int64_t now,
	enum edi_code (*fn)(void *ctx, const struct journal_outbound_count *c,
			    struct edi_error *err),
	void *ctx, struct edi_error *err)
{
	struct journal_outbound_count c;
	sqlite3_stmt *st = NULL;
	enum edi_code rc;
	int src;

	rc = journal_prepare(
		j, schema,
		"SELECT partner,"
		" sum(ack = 'pending' AND (due_at IS NULL OR due_at >= ?1)),"
		" sum(ack = 'pending' AND due_at < ?1),"
		" sum(ack = 'accepted'), sum(ack = 'accepted-with-errors'),"
		" sum(ack = 'rejected')"
		" FROM outbound_sets GROUP BY partner ORDER BY partner",
		&st, err);
	if (rc)
		return rc;
	src = sqlite3_bind_int64(st, 1, now);
	while (rc == EDI_OK && src == SQLITE_OK &&
	       (src = sqlite3_step(st)) == SQLITE_ROW) {
		c.partner = (const char *)sqlite3_column_text(st, 0);
		c.pending = (unsigned)sqlite3_column_int64(st, 1);
		c.overdue = (unsigned)sqlite3_column_int64(st, 2);
		c.accepted = (unsigned)sqlite3_column_int64(st, 3);
		c.errors = (unsigned)sqlite3_column_int64(st, 4);
		c.rejected = (unsigned)sqlite3_column_int64(st, 5);
		if (!c.partner)
			c.partner = "";
		rc = fn(ctx, &c, err);
		src = SQLITE_OK;
	}
	if (rc == EDI_OK && src != SQLITE_DONE && src != SQLITE_OK)
		rc = journal_sql_fail(j, src, err,
				      "cannot count the outbound sets");
	journal_stmt_done(st);
	return rc;
}
