/*
 * profile_parse - shared by the profile section parsers; see
 * profile_parse.h.
 */
#include "profile_parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void profile_problem(struct profile_parse *ps, const struct ynode *at,
		     const char *fmt, ...)
{
	char msg[EDI_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->nerrors++;
	if (at)
		edi_diag_addf(ps->errors, EDI_ECONFIG, NULL, "%s:%u:%u: %s",
			      at->file, at->line, at->col, msg);
	else
		edi_diag_addf(ps->errors, EDI_ECONFIG, NULL, "%s: %s", ps->file,
			      msg);
}

const char *profile_text(struct profile_parse *ps, const struct ynode *sec,
			 const char *key, bool required)
{
	const struct ynode *v = ynode_get(sec, key);

	if (!v || ynode_is_null(v)) {
		if (required)
			profile_problem(ps, sec, "%s needs '%s'", ps->section,
					key);
		return NULL;
	}
	if (v->kind != YNODE_SCALAR || !v->len) {
		profile_problem(ps, v, "%s.%s must be a single non-empty value",
				ps->section, key);
		return NULL;
	}
	if (memchr(v->value, '\n', v->len) || memchr(v->value, '\r', v->len)) {
		profile_problem(ps, v, "%s.%s must be one line", ps->section,
				key);
		return NULL;
	}
	return v->value;
}
