/*
 * profile_parse - what the parsers of profile sections share (as2:,
 * sftp:, x12:): a mistake as "file:line:col: what", and one-line text
 * values.  Every section parser keeps going after a mistake so that all
 * of them are reported at once; nerrors counts them.
 */
#ifndef EDI_PROFILE_PARSE_H
#define EDI_PROFILE_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "edi_error.h"
#include "yaml_doc.h"

struct profile_parse {
	struct arena *a;
	struct edi_diag *errors;
	const char *file;    /* for mistakes without a node */
	const char *section; /* "as2", "sftp": names keys in messages */
	size_t nerrors;
};

/* A mistake at node at (NULL: the file). */
void profile_problem(struct profile_parse *ps, const struct ynode *at,
		     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * The text of key in sec: NULL when absent (a mistake when required), or
 * not one non-empty line (a mistake).
 */
const char *profile_text(struct profile_parse *ps, const struct ynode *sec,
			 const char *key, bool required);

#endif
