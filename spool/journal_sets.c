/*
 * journal_sets - files, events, transaction sets and deliveries; see
 * journal.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "journal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal_priv.h"
#include "xalloc.h"

static const char *const set_status_names[] = {
	[JOURNAL_SET_ACCEPTED] = "accepted",
	[JOURNAL_SET_REJECTED] = "rejected",
	[JOURNAL_SET_DELIVERED] = "delivered",
};

const char *journal_set_status_name(enum journal_set_status status)
{
	if ((unsigned)status > JOURNAL_SET_DELIVERED)
		return "unknown";
	return set_status_names[status];
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
		return journal_sql_fail(j, TX_LOST, err,
					"cannot record file '%s'", f->entry_id);
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
		code = journal_sql_fail(j, rc, err, "cannot record file '%s'",
					f->entry_id);
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
		code = journal_sql_fail(
			j, rc, err, "cannot read file '%s' from the journal",
			entry_id);
	}
	done(st);
	return code;
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
		return journal_sql_fail(j, TX_LOST, err,
					"cannot record event '%s' of '%s'",
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
		code = journal_sql_fail(j, rc, err,
					"cannot record event '%s' of '%s'",
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
		return journal_sql_fail(j, TX_LOST, err,
					"cannot record set '%s'", s->id);
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
		code = journal_sql_fail(j, rc, err, "cannot record set '%s'",
					s->id);
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
		code = journal_sql_fail(j, rc, err,
					"cannot read set '%s' from the journal",
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
		code = journal_sql_fail(
			j, rc, err,
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
		return journal_sql_fail(
			j, TX_LOST, err,
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
		return journal_sql_fail(
			j, rc, err,
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
		code = journal_sql_fail(
			j, rc, err,
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
		code = journal_sql_fail(
			j, rc, err,
			"cannot record the delivery of set '%s' to '%s'",
			set_id, output);
		run(j, ST_ROLLBACK_TO);
		run(j, ST_RELEASE);
	}
	return code;
}
