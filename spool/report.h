/*
 * report - diagnostics of one input as text lines or a JSON object.
 *
 * Text: one line per diagnostic,
 *   FILE: segment 17 (SE), element 1, offset 512: SE01 says 99 segments,
 *   the set has 16 (AK502 4)
 * with "warning: " before the location of a warning.  JSON: the members
 * "errors", "warnings" and "not_shown" of an object the caller opened.
 * Both append to a struct buf; nothing is printed here.
 */
#ifndef EDI_REPORT_H
#define EDI_REPORT_H

#include "buf.h"
#include "edi_error.h"
#include "json_out.h"

/* The name of the acknowledgment element a level's code goes into. */
const char *report_ack_element(enum edi_level level);
void report_text(struct buf *out, const char *file, const struct edi_diag *d);
void report_json(struct json_out *j, const struct edi_diag *d);
/* One diagnostic as a JSON object. */
void report_json_error(struct json_out *j, const struct edi_error *e);

#endif
