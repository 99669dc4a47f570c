/*
 * rec_csv - write canonical records as CSV rows for ERP imports.
 *
 * One row per line item with the header fields repeated on every row
 * (what NetSuite-style imports expect), under a FIXED column set per
 * doc_type (order, order_response, despatch_advice, invoice) so that
 * every file of one doc_type has the same columns whatever a partner's map
 * fills; docs/csv.md lists them.  A record without lines gives one row
 * with the line columns empty.  Lists (references, item ids, allowances)
 * are joined into one cell: "DP=042;IA=1234".
 *
 * A record of another doc_type gets one row of its scalar top-level
 * members, in the record's order; such files only line up when the map
 * always produces the same members.
 *
 * Fields are quoted per RFC 4180 (when they hold a comma, a double quote,
 * CR or LF; quotes inside are doubled).  Rows end with CRLF, the line end
 * RFC 4180 specifies and the one Windows-hosted import tools expect; every
 * CSV reader also accepts it.
 *
 * Both functions append to out and fail with EDI_ELIMIT at the buf's
 * maximum, leaving out as it was: a record's rows are written whole or
 * not at all.
 */
#ifndef EDI_REC_CSV_H
#define EDI_REC_CSV_H

#include <stdbool.h>

#include "buf.h"
#include "edi_error.h"
#include "rec_value.h"

/* True when doc_type has a fixed column set. */
bool rec_csv_known(const char *doc_type);
/*
 * The header row of a doc_type with fixed columns.  EDI_EUSAGE for any
 * other doc_type: its columns come from a record, rec_csv_header_record().
 */
enum edi_code rec_csv_header(struct buf *out, const char *doc_type);
/* The header row for the doc_type of record (any doc_type). */
enum edi_code rec_csv_header_record(struct buf *out,
				    const struct rec_value *record);
/*
 * The rows of one record.  EDI_EINTERNAL when record is not an object.
 */
enum edi_code rec_csv_write(struct buf *out, const struct rec_value *record);

#endif
