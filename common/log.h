/*
 * log - the process-wide event log (STYLE rule 14: the one global).
 *
 * One line per event on stderr, each with its time, level, event name and
 * the spool entry id it concerns, then key=value pairs:
 *
 *   2026-11-27T09:30:12Z info archived entry=20261127T093012Z-000042
 *     file=po-1001.x12 partner=acme accepted=2 rejected=0
 *
 * or, after log_setup(..., LOG_JSON, ...), one JSON object per line with
 * the same members ({"time":..,"level":..,"event":..,"entry":..,...}).
 * Values given as key=value text are split at spaces; a value with
 * spaces must be quoted by the caller ("file=\"a b.x12\"") and comes out
 * as one JSON string.  Events below the level set are dropped.  Until
 * log_setup() is called nothing below LOG_WARN is written.  log_event()
 * never fails: a line that cannot be written is lost.
 */
#ifndef EDI_LOG_H
#define EDI_LOG_H

#include <stdbool.h>
#include <stdio.h>

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };
enum log_format { LOG_TEXT, LOG_JSON };

void log_setup(FILE *out, enum log_format format, enum log_level level);
bool log_enabled(enum log_level level);
enum log_format log_format_used(void);
/*
 * Log event (a word: "archived", "error", "run") about entry (NULL: none)
 * with fmt giving space-separated key=value pairs (NULL: none).
 */
void log_event(enum log_level level, const char *event, const char *entry,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
