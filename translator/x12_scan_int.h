/*
 * x12_scan_int - byte classes the reader (x12_scan.c), the delimiter
 * detection (x12_delims.c) and the element helpers (x12_element.c)
 * share; not for other modules.
 */
#ifndef EDI_X12_SCAN_INT_H
#define EDI_X12_SCAN_INT_H

#include <stdbool.h>

static inline bool x12_is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	       (c >= 'a' && c <= 'z');
}

/* A byte that may serve as a delimiter: not a letter, digit or space. */
static inline bool x12_is_delim_char(char c)
{
	return !x12_is_alnum(c) && c != ' ';
}

static inline bool x12_is_newline(char c)
{
	return c == '\r' || c == '\n';
}

#endif
