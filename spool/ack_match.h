/*
 * ack_match - a partner's 997 or 999 matched to what edigate sent.
 *
 * The shipped maps x12-997 and x12-999 read a partner's acknowledgment
 * into a record of doc_type "functional_ack" (group_control, status, sets
 * with control, status, errors, segments and elements).  ack_match_read()
 * turns one such record into what it says of each of our sets: one item
 * per AK2 (or, for a 997 without AK2s, one for the whole group), with the
 * outcome (AK501: A accepted, E accepted with errors, R/M/W/X rejected)
 * and the partner's reasons in words.  ack_match_apply() records them in
 * the journal's outbound sets (journal_outbound_ack()) and as events of
 * the entry that brought the acknowledgment; an acknowledgment of a set
 * edigate never sent is an event, not an error.
 */
#ifndef EDI_ACK_MATCH_H
#define EDI_ACK_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "edi_error.h"
#include "journal.h"
#include "journal_outbound.h"
#include "rec_value.h"

#define ACK_MATCH_DOC_TYPE "functional_ack"

struct ack_match {
	char gs06[16];
	char st02[16]; /* "" for the whole group */
	enum journal_ack ack;
	char detail[JOURNAL_ACK_DETAIL_MAX];
	size_t tag;   /* the caller's (which record it came from) */
	bool dropped; /* its record was dropped after all: not applied */
};

struct ack_matches {
	struct ack_match *v;
	size_t n, cap;
};

void ack_matches_release(struct ack_matches *m);
/* Add what rec (a functional_ack record) says to m. */
void ack_match_read(const struct rec_value *rec, struct ack_matches *m);
/*
 * Record m for partner; *nmatched counts our sets it settled, *nunknown
 * the items that name nothing edigate sent.
 */
enum edi_code ack_match_apply(struct journal *j, const char *partner,
			      const struct ack_matches *m, const char *entry_id,
			      int64_t now, size_t *nmatched, size_t *nunknown,
			      struct edi_error *err);

#endif
