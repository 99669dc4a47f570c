/*
 * rest_table - the journal's record of REST deliveries, one row per
 * (record, output).
 *
 *   rest_deliveries(record_id, output, entry_id, partner, correlation_id,
 *                   status, attempts, next_at, last_http, detail,
 *                   created_at, updated_at; PRIMARY KEY(record_id, output))
 *
 * status is pending (waiting in deferred/, next attempt at next_at), sent
 * (the endpoint answered 2xx: never sent again) or failed (in error/,
 * permanently rejected or out of attempts; a replay makes it pending
 * again).  entry_id names the spool entry holding the record.  The table
 * is created on first use (journal_int.h); writes join the caller's
 * transaction when there is one.  detail never holds a credential: it is
 * built from rest_push results, whose excerpts are redacted.
 */
#ifndef EDI_REST_TABLE_H
#define EDI_REST_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "edi_error.h"
#include "journal.h"

#define REST_DETAIL_MAX 512

struct rest_row {
	char record_id[JOURNAL_ID_MAX];
	char output[JOURNAL_ID_MAX];
	char entry_id[JOURNAL_ID_MAX];
	char partner[JOURNAL_ID_MAX];
	char correlation_id[JOURNAL_ID_MAX];
	char status[JOURNAL_WORD_MAX]; /* pending, sent, failed */
	unsigned attempts;	       /* requests that failed */
	int64_t next_at;
	long last_http; /* 0: none */
	char detail[REST_DETAIL_MAX];
	int64_t created_at, updated_at;
};

/* The row of (record_id, output) into *row; EDI_ENOENT when none. */
enum edi_code rest_row_get(struct journal *j, const char *record_id,
			   const char *output, struct rest_row *row,
			   struct edi_error *err);
/* Insert or replace the row (created_at kept from the first put). */
enum edi_code rest_row_put(struct journal *j, const struct rest_row *row,
			   struct edi_error *err);
/* fn for every row whose record_id or entry_id is key (for `trace`). */
enum edi_code rest_rows_for(struct journal *j, const char *key,
			    enum edi_code (*fn)(void *ctx,
						const struct rest_row *row,
						struct edi_error *err),
			    void *ctx, struct edi_error *err);
/* Rows per output and status, for `status`: fn(output, status, n). */
enum edi_code rest_row_counts(struct journal *j,
			      enum edi_code (*fn)(void *ctx, const char *output,
						  const char *status, int64_t n,
						  struct edi_error *err),
			      void *ctx, struct edi_error *err);

#endif
