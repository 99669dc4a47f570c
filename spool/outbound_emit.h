/*
 * outbound_emit - canonical records (JSON Lines) of one partner into one
 * outbound X12 interchange; what `edigate emit` and the erp-in pickup of
 * `run` share.
 *
 * outbound_parse() reads JSON Lines into a struct outbound_recs: one
 * struct outbound_rec per non-blank line, with its document (ST01) from
 * the record's doc_type or the forced one.  Records are parsed again when
 * emitted and freed one by one, so memory follows the input's bytes and
 * the largest record, not the parsed size of every record.  A line that is not a JSON
 * object or names no known document is marked failed with a message in
 * diag.  outbound_emit() writes every record that is neither failed nor
 * skipped into one interchange for the partner (its profile's `x12:`
 * envelope: ids, delimiters, version, usage, ISA14), one functional group
 * per document in order of first appearance, one set per record, each
 * through the partner's map for that document and version run backwards
 * (x12_emit).  A record that cannot be mapped is marked failed with its
 * problems in diag (record id, field, segment/element); the others still
 * go out.  Control numbers come from the caller's callback, asked only
 * when a set is actually written.
 */
#ifndef EDI_OUTBOUND_EMIT_H
#define EDI_OUTBOUND_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "edi_error.h"
#include "strview.h"
#include "journal.h"
#include "registry.h"
#include "x12_emit.h"

#define OUTBOUND_MAX_RECORDS 100000 /* records in one input */

struct outbound_rec {
	size_t offset, len;		/* the line in the input */
	size_t line;			/* 1-based line of the input */
	char label[X12_EMIT_LABEL_MAX]; /* the record's id, else "line N" */
	char id[JOURNAL_ID_MAX];	/* the record's id, "" when none */
	char doc_key[JOURNAL_NAME_MAX]; /* "" when none */
	const char *st01;		/* "850".. NULL: unknown */
	bool failed;			/* cannot be mapped (see diag) */
	bool skip;			/* the caller's: already sent */
	bool sent;			/* written by outbound_emit() */
	uint64_t isa13, gs06;
	char st02[10];
};

struct outbound_recs {
	struct outbound_rec *v;
	size_t n;
	struct strview data; /* the input: must outlive recs */
};

struct outbound_opts {
	const char *version; /* GS08 override; NULL: the profile's */
	time_t now;	     /* ISA09/10, GS04/05 (UTC) */
	enum edi_code (*next_control)(void *ctx, const char *which,
				      uint64_t *value, struct edi_error *err);
	void *ctx;
};

/*
 * Parse data (JSON Lines) into recs; force_doc ("850".. or NULL) overrides
 * every record's doc_type.  EDI_ELIMIT past OUTBOUND_MAX_RECORDS.
 */
enum edi_code outbound_parse(struct strview data, const char *force_doc,
			     struct outbound_recs *recs, struct edi_diag *diag,
			     struct edi_error *err);
void outbound_recs_release(struct outbound_recs *recs);

/*
 * Emit recs for partner p into out (nothing when no record can be
 * written); *nsets counts the sets written.  EDI_ECONFIG when the
 * profile cannot address an interchange (no ids) or the version is bad;
 * records that cannot be mapped do not make it fail.
 */
enum edi_code outbound_emit(const struct registry *reg, const struct partner *p,
			    struct outbound_recs *recs,
			    const struct outbound_opts *o, struct buf *out,
			    size_t *nsets, struct edi_diag *diag,
			    struct edi_error *err);

#endif
