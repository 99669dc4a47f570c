/*
 * journal_ops - interchanges, batches, counters, trace and status; see
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

static const char *const batch_state_names[] = {
	[JOURNAL_BATCH_WRITTEN] = "written",
	[JOURNAL_BATCH_RENAMED] = "renamed",
};

const char *journal_batch_state_name(enum journal_batch_state state)
{
	if ((unsigned)state > JOURNAL_BATCH_RENAMED)
		return "unknown";
	return batch_state_names[state];
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
		code = journal_sql_fail(
			j, rc, err,
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
		return journal_sql_fail(j, TX_LOST, err,
					"cannot record interchange %s", isa13);
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
		code = journal_sql_fail(
			j, rc, err,
			"cannot record interchange %s from '%s' to '%s'", isa13,
			sender, receiver);
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
		return journal_sql_fail(j, TX_LOST, err,
					"cannot record batch '%s'", b->name);
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
		code = journal_sql_fail(j, rc, err, "cannot record batch '%s'",
					b->name);
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
		code = journal_sql_fail(j, rc, err,
					"cannot list the written batches");
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
		return journal_sql_fail(j, TX_LOST, err,
					"cannot count '%s' of '%s'", name,
					partner);
	rc = bind_text(st, 1, partner) | bind_text(st, 2, name) |
	     sqlite3_bind_int64(st, 3, min) | sqlite3_bind_int64(st, 4, max);
	rc = step(st, rc);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st); /* RETURNING: finish the statement */
	}
	if (rc != SQLITE_DONE)
		code = journal_sql_fail(j, rc, err, "cannot count '%s' of '%s'",
					name, partner);
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
		code = journal_sql_fail(j, rc, err, "cannot trace '%s'", key);
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
		code = journal_sql_fail(j, rc, err, "cannot count the journal");
	sqlite3_reset(st);
	return code;
}
