/*
 * journal_outbound - the X12 transaction sets edigate sent, and the
 * partners' acknowledgments of them.
 *
 * Every outbound set (855, 856, 810, 850 made from ERP records) is
 * recorded when its file is staged (in the same transaction as its
 * control numbers).  An inbound 997/999 is matched to the sets it
 * acknowledges by partner, GS06 (AK102) and ST02 (AK202): each becomes
 * accepted, accepted with errors or rejected, with the partner's reasons
 * in words.  A set still pending after the partner's window is overdue
 * (a question of the clock, asked by status and trace).  The table is
 * created on first use (journal_int.h).
 *
 *   outbound_sets(partner, isa13, gs06, st02, st01, doc_key, record_id,
 *                 file, entry_id, sent_at, due_at, ack, ack_detail,
 *                 ack_at, ack_entry, PK(partner, gs06, st02))
 */
#ifndef EDI_JOURNAL_OUTBOUND_H
#define EDI_JOURNAL_OUTBOUND_H

#include <stdbool.h>
#include <stdint.h>

#include "edi_error.h"
#include "journal.h"

#define JOURNAL_ACK_DETAIL_MAX 1024

enum journal_ack {
	JOURNAL_ACK_PENDING,
	JOURNAL_ACK_ACCEPTED, /* AK501/IK501 A */
	JOURNAL_ACK_ERRORS,   /* E: accepted with errors */
	JOURNAL_ACK_REJECTED  /* R (and M, W, X) */
};

struct journal_outbound {
	char partner[JOURNAL_ID_MAX];
	char isa13[JOURNAL_WORD_MAX];
	char gs06[JOURNAL_WORD_MAX];
	char st02[JOURNAL_WORD_MAX];
	char st01[JOURNAL_WORD_MAX];
	char doc_key[JOURNAL_NAME_MAX]; /* "" when none */
	char record_id[JOURNAL_ID_MAX]; /* the ERP record's id, or "" */
	char file[JOURNAL_NAME_MAX];	/* the outbound file's name */
	char entry_id[JOURNAL_ID_MAX];	/* the spool entry it came from */
	int64_t sent_at;		/* when staged */
	int64_t due_at;			/* its 997 is overdue after; 0: never */
	enum journal_ack ack;
	char ack_detail[JOURNAL_ACK_DETAIL_MAX];
	int64_t ack_at;			/* 0 while pending */
	char ack_entry[JOURNAL_ID_MAX]; /* the entry that brought the ack */
};

/* "pending", "accepted", "accepted-with-errors", "rejected". */
const char *journal_ack_name(enum journal_ack ack);

/* Record an outbound set (ack pending); a second one with the same
 * partner, GS06 and ST02 fails with EDI_EDATA. */
enum edi_code journal_outbound_add(struct journal *j,
				   const struct journal_outbound *o,
				   struct edi_error *err);
/*
 * A partner acknowledged set st02 of group gs06 (st02 NULL or "": every
 * set of the group still pending, for an AK9 without AK2s).  *nmatched
 * counts the sets updated; EDI_ENOENT when none was sent.
 */
enum edi_code journal_outbound_ack(struct journal *j, const char *partner,
				   const char *gs06, const char *st02,
				   enum journal_ack ack, const char *detail,
				   const char *ack_entry, int64_t at,
				   unsigned *nmatched, struct edi_error *err);
/*
 * Call fn with every outbound set key names (a record id, doc_key or its
 * part after the last ':', an ISA13, a file name, an entry id), oldest
 * first; partner NULL: any.  With key NULL: every set of partner still
 * pending.  A non-zero return from fn stops the walk and is returned.
 */
enum edi_code journal_outbound_find(
	struct journal *j, const char *partner, const char *key,
	enum edi_code (*fn)(void *ctx, const struct journal_outbound *o,
			    struct edi_error *err),
	void *ctx, struct edi_error *err);

/* Outbound sets of one partner by acknowledgment state. */
struct journal_outbound_count {
	const char *partner;
	unsigned pending, overdue, accepted, errors, rejected;
};
/*
 * Call fn once per partner with outbound sets, in partner order; a set
 * still pending with due_at before now counts as overdue (not pending).
 */
enum edi_code journal_outbound_counts(
	struct journal *j, int64_t now,
	enum edi_code (*fn)(void *ctx, const struct journal_outbound_count *c,
			    struct edi_error *err),
	void *ctx, struct edi_error *err);

/*
 * Acknowledgments edigate sent: one per received interchange (the entry
 * that brought it and its ISA13), so that a replay does not answer the
 * same interchange twice.  *sent says whether one was recorded.
 *
 *   acks_sent(entry_id, isa13, partner, file, at, PK(entry_id, isa13))
 */
enum edi_code journal_ack_sent(struct journal *j, const char *entry_id,
			       const char *isa13, bool *sent,
			       struct edi_error *err);
enum edi_code journal_ack_sent_add(struct journal *j, const char *entry_id,
				   const char *isa13, const char *partner,
				   const char *file, int64_t at,
				   struct edi_error *err);

#endif
