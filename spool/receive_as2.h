/*
 * receive_as2 - what `edigate serve` does with one inbound AS2 POST.
 *
 * receive_as2_handle() is the as2_serve handler.  It finds the partner
 * whose profile's as2.their_id and as2.our_id are the request's AS2-From
 * and AS2-To (none: an MDN "unknown-trading-relationship"), then:
 *
 * - an MDN (multipart/report, possibly signed) is an async receipt for
 *   something we sent: transfer_as2_mdn() matches and records it;
 * - a Message-ID already received from that partner is not spooled
 *   again: the MDN stored with it is returned (sync, or POSTed again).
 *   The Message-ID and its entry id are journaled ("receiving") before
 *   the entry is committed, so after a crash a resend whose entry landed
 *   (in/, work/, the journal, or complete in tmp/) is a duplicate (its
 *   MDN is made then) and one whose entry did not is received anew;
 * - else the message is opened (as2_msg_open: decrypt, decompress,
 *   verify with the partner's certificate, MIC) and the payload written
 *   durably into in/ with spool_receive (source "as2:<partner>", the AS2
 *   headers in meta.json's transport) BEFORE any MDN is built, so
 *   "processed" is never said about bytes that are not on disk.  When the
 *   spool cannot take it the answer is HTTP 503 without an MDN (the
 *   sender retries).  A message that cannot be opened gets an MDN with
 *   processed/error: authentication-failed, integrity-check-failed,
 *   decryption-failed, decompression-failed, insufficient-message-
 *   security or unexpected-processing-error, and nothing is spooled.
 *
 * The MDN is signed when the sender asks (Disposition-Notification-
 * Options) and returned in the response or, with Receipt-Delivery-Option,
 * POSTed there after the response (as2_serve's after job); a refusal
 * always goes back in the response (a message that did not verify does
 * not get to choose a URL we POST to).  Every
 * message is recorded in journal_as2 (with its MDN) and journal_transfer.
 * Events go to note(); nothing prints.
 */
#ifndef EDI_RECEIVE_AS2_H
#define EDI_RECEIVE_AS2_H

#include <time.h>

#include "as2_serve.h"
#include "config.h"
#include "journal.h"
#include "registry.h"
#include "spool_layout.h"

struct receive_as2 {
	const struct config *cfg;
	const struct registry *reg;
	const struct spool *sp;
	struct journal *journal;
	time_t (*clock)(void);
	void (*note)(void *ctx, const char *line);
	void *note_ctx;
};

void receive_as2_handle(void *ctx, const struct as2_serve_request *req,
			struct as2_serve_response *resp);

#endif
