/*
 * x12_emit - outbound X12: canonical records to transaction sets by
 * running a map backwards.
 *
 * x12_emit_build() walks the record section of a map (the same YAML that
 * translates inbound sets) with one canonical record (a jansson object,
 * DESIGN §4) and places every value where the forward direction would
 * read it: a path names its segment and element, `each` makes one loop,
 * segment or HL instance per array item, `where` clauses write their
 * qualifier, pairs fill the qualifier/value pairs, and transforms run
 * backwards (ISO dates to CCYYMMDD, implied decimals multiplied back with
 * exact decimals, code tables inverted).  Then it fills what follows from
 * the structure (HL01/HL02/HL03/HL04, the count of a `lines` rule, the
 * sum of a `total` rule the record leaves empty, a required element whose
 * code list has one code) and checks the result
 * against the guide: required segments and elements, lengths, types, code
 * lists, syntax notes and the interchange's delimiters.  Every problem goes
 * to diag as EDI_EDATA naming the record (its label), the record field and
 * the segment/element; then the set is not made and EDI_EDATA returned.
 * x12_emit_write() writes a built set (ST..SE) with an x12_writer; it only
 * fails on the writer's limits.
 *
 * struct x12_emit_ix assembles one interchange from sets of several
 * documents: ISA and GS are opened lazily before the first set that can be
 * written (a record that fails takes no control number), a document change
 * closes the group and opens the next one.  Control numbers come from a
 * callback (the journal's counters in a run, a fixed start for `emit`).
 *
 * Everything a built set points to lives in the arena given; the record
 * must outlive the build.  Nothing here reads the clock or prints.
 */
#ifndef EDI_X12_EMIT_H
#define EDI_X12_EMIT_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "arena.h"
#include "buf.h"
#include "edi_error.h"
#include "map.h"
#include "map_rules.h"
#include "x12_write.h"

#define X12_EMIT_LABEL_MAX 80

struct x12_emit_set; /* a built set, opaque */

/*
 * Build the set for record rec with map m.  label names the record in
 * messages (its id, or "line 3").  delims: those of the interchange the
 * set will go into (a value holding one cannot be written).  rules: the
 * partner's switches and tolerance for the map's rules (NULL: the map's
 * own); a total the record gives that the lines do not add up to (within
 * the tolerance) is refused, as validation would refuse the set.  *out is
 * the built set on EDI_OK; EDI_EDATA: problems in diag.
 */
enum edi_code x12_emit_build(const struct map *m, const json_t *rec,
			     const char *label,
			     const struct x12_write_delims *delims,
			     const struct map_rule_opts *rules, struct arena *a,
			     struct x12_emit_set **out, struct edi_diag *diag,
			     struct edi_error *err);
/* Write a built set as ST..SE with control number st02. */
enum edi_code x12_emit_write(const struct x12_emit_set *s, struct x12_writer *w,
			     const char *st02, struct edi_error *err);

/* "850" for "order", "855" order_response, "856" despatch_advice, "810"
 * invoice; NULL for anything else. */
const char *x12_emit_document(const char *doc_type);
/* The GS01 functional id of a document: "PO", "PR", "SH", "IN"; NULL. */
const char *x12_emit_functional_id(const char *st01);
/* ISA12 for a GS08 version: "004010" -> "00401"; false when not one. */
bool x12_emit_isa_version(const char *version, char isa12[6]);

/* --- one interchange of several sets --- */

struct x12_emit_envelope {
	struct x12_write_delims delims;
	const char *sender_qual, *sender;     /* ISA05/06 */
	const char *receiver_qual, *receiver; /* ISA07/08 */
	const char *gs_sender, *gs_receiver;  /* GS02/03 */
	const char *version;		      /* GS08 "004010" */
	char usage;			      /* ISA15 'P' or 'T' */
	bool ack_requested;		      /* ISA14 */
	const char *date;		      /* CCYYMMDD */
	const char *time;		      /* HHMM */
	/* the next ISA13 ("isa13") or GS06 ("gs06") */
	enum edi_code (*next_control)(void *ctx, const char *which,
				      uint64_t *value, struct edi_error *err);
	void *ctx;
};

struct x12_emit_ix {
	struct x12_writer w;
	const struct x12_emit_envelope *env;
	bool isa_open, gs_open;
	char st01[8];
	uint64_t isa13, gs06;
	unsigned nst; /* sets in the open group */
	size_t nsets; /* sets written */
};

void x12_emit_ix_init(struct x12_emit_ix *ix, struct buf *out,
		      const struct x12_emit_envelope *env);
/*
 * Write the built set s of document st01 (a group change first when
 * needed).  gs06 and st02 (10 bytes) get its control numbers.
 */
enum edi_code x12_emit_ix_add(struct x12_emit_ix *ix, const char *st01,
			      const struct x12_emit_set *s, uint64_t *isa13,
			      uint64_t *gs06, char st02[10],
			      struct edi_error *err);
/* Close the open group and interchange (nothing when no set was added). */
enum edi_code x12_emit_ix_finish(struct x12_emit_ix *ix, struct edi_error *err);

#endif
