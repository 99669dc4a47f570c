/*
 * flat_map - CSV and fixed-width files to canonical records.
 *
 * flat_translate() splits a flat file into rows (CSV per RFC 4180 with the
 * map's delimiter and quote, a header row naming the columns when the map
 * says so; fixed width by the map's columns, trailing blanks dropped),
 * groups consecutive rows with the same group_by value into one document
 * and builds its record with the map's record section (`each: row` for
 * the lines; other paths read the group's first row).  Rows of one group
 * must be adjacent: a value that comes back after another group is an
 * error, since it would make a second document with the same key.
 *
 * The whole text is in memory (flat files are small; at most
 * FLAT_MAX_BYTES); records and errors reach the caller through hooks, one
 * call per group.  Nothing here touches files.
 */
#ifndef EDI_FLAT_MAP_H
#define EDI_FLAT_MAP_H

#include <stddef.h>

#include "edi_error.h"
#include "map.h"
#include "rec_value.h"

#define FLAT_MAX_BYTES	 (256u << 20)
#define FLAT_MAX_COLUMNS 1024

struct flat_result {
	const struct rec_value *record; /* accepted */
	const struct edi_diag *errors;	/* rejected */
	struct strview key;		/* the group_by value */
	size_t first_line, last_line;
};

struct flat_hooks {
	void *ctx;
	void (*on_record)(void *ctx, const struct flat_result *r);
	void (*on_rejected)(void *ctx, const struct flat_result *r);
};

struct flat_opts {
	const char *partner;	    /* profile id */
	const char *file;	    /* for source.file */
	const char *correlation_id; /* or NULL */
	size_t max_errors;
};

struct flat_stats {
	size_t documents, accepted, rejected;
};

/*
 * Translate text with map m (format csv or fixed).  File-level problems
 * (no header, an empty file) go to diag; per-document errors to the
 * hooks.  EDI_ELIMIT when text is over FLAT_MAX_BYTES.
 */
enum edi_code flat_translate(const struct map *m, struct strview text,
			     const struct flat_opts *opts,
			     const struct flat_hooks *hooks,
			     struct flat_stats *stats, struct edi_diag *diag,
			     struct edi_error *err);

#endif
