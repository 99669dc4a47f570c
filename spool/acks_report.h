/*
 * acks_report - outbound sets and partners' acknowledgments, for people.
 *
 * `edigate status` shows per partner how many outbound sets (855, 856,
 * 810, 850 edigate sent) are pending, overdue (no 997 within the
 * partner's acks.window_hours), accepted, accepted with errors or
 * rejected; `edigate trace KEY` shows each outbound set the key names
 * (record id, order or invoice number, ISA13, file) with its
 * acknowledgment and the partner's reasons.
 */
#ifndef EDI_ACKS_REPORT_H
#define EDI_ACKS_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "edi_error.h"
#include "journal.h"
#include "json_out.h"

/* Append the counts to out (text), or as member "outbound" to j. */
enum edi_code acks_status(struct journal *journal, int64_t now,
			  struct json_out *j, struct buf *out,
			  struct edi_error *err);
/* Append the outbound sets key names to out; *n counts them. */
enum edi_code acks_trace(struct journal *journal, const char *key, int64_t now,
			 struct buf *out, size_t *n, struct edi_error *err);

#endif
