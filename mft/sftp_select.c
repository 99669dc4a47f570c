/*
 * sftp_select - filtering and stability of remote files; see
 * sftp_select.h.
 */
#include "sftp_select.h"

#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static bool matches(void *re, const char *name)
{
	pcre2_match_data *md =
		pcre2_match_data_create_from_pattern((pcre2_code *)re, NULL);
	int rc;

	if (!md)
		return false;
	rc = pcre2_match((pcre2_code *)re, (PCRE2_SPTR)name, strlen(name), 0, 0,
			 md, NULL);
	pcre2_match_data_free(md);
	return rc >= 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return m && n >= m && !memcmp(s + n - m, suffix, m);
}

bool sftp_wanted(const struct sftp_filter *f, const char *name)
{
	bool in = f->ninclude == 0;

	if (!name[0] || name[0] == '.')
		return false;
	if (f->done_marker && ends_with(name, f->done_marker))
		return false;
	for (size_t i = 0; !in && i < f->ninclude; i++)
		in = matches(f->include[i], name);
	for (size_t i = 0; in && i < f->nexclude; i++)
		if (matches(f->exclude[i], name))
			return false;
	return in;
}

enum sftp_readiness sftp_ready(const struct sftp_seen *seen, uint64_t size,
			       int64_t mtime, int64_t now,
			       unsigned stable_seconds, bool marker_required,
			       bool marker_present)
{
	bool same = seen->known && seen->size == size && seen->mtime == mtime;

	if (!same && (stable_seconds || (marker_required && !marker_present)))
		return SFTP_CHANGED;
	if (marker_required && !marker_present)
		return SFTP_WAIT;
	if (!stable_seconds)
		return SFTP_READY;
	/* a clock that stepped back counts as no time passed */
	if (now < seen->first_seen ||
	    (uint64_t)(now - seen->first_seen) < stable_seconds)
		return SFTP_WAIT;
	return SFTP_READY;
}

static int by_age(const void *a, const void *b)
{
	const struct sftp_entry *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

void sftp_sort(struct sftp_entry *e, size_t n)
{
	if (n > 1)
		qsort(e, n, sizeof(*e), by_age);
}
