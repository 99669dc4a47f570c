/*
 * transfer_as2 - send what waits in outbound/<partner>/ to an AS2 partner,
 * and take in the asynchronous MDNs that come back for it.
 *
 * Push: for every file, oldest first, a journal row (as2_messages,
 * status "sending") fixes its Message-ID before the first byte, so a
 * send that was cut short (crash, server down) is resent later under the
 * same Message-ID and the partner's duplicate check answers it.  The
 * message is built and POSTed by as2_send() (retries inside, same bytes).
 * Success is a verified sync MDN (signature, Original-Message-ID, MIC,
 * disposition "processed") or, for async MDNs, an HTTP 2xx; then
 * spool_outbound_sent() moves the file to sent/ with its receipt, the
 * sync MDN is written next to it (<name>.mdn), and a transfers row
 * records it.  A server that cannot be reached stops the partner
 * (EDI_ETEMP, files stay); a refused message (negative MDN, MIC
 * mismatch, HTTP 4xx) is counted as failed, stays in outbound/ and is
 * recorded (status "failed", the next push tries it under a new
 * Message-ID); certificate or key trouble is EDI_ECONFIG.
 *
 * Async MDN: transfer_as2_mdn() matches an MDN that arrived at `serve`
 * to what we sent (partner and Original-Message-ID), verifies it like a
 * sync one, writes it next to the sent file and records the outcome
 * (status "delivered" or "refused").  Nothing prints; per-file notes go
 * to env->note.
 */
#ifndef EDI_TRANSFER_AS2_H
#define EDI_TRANSFER_AS2_H

#include "as2_mdn.h"
#include "edi_error.h"
#include "registry.h"
#include "transfer_sftp.h"

enum edi_code transfer_as2_push(const struct transfer_env *env,
				const struct partner *p,
				struct transfer_counts *counts,
				struct edi_error *err);

/*
 * An async MDN (already parsed and, when the profile wants it, its
 * signature verified) for partner p; raw is the MDN as received.
 * EDI_ENOENT: we sent no such message; EDI_EDATA: it refuses the message
 * or its MIC differs (recorded all the same).
 */
enum edi_code transfer_as2_mdn(const struct transfer_env *env,
			       const struct partner *p,
			       const struct as2_mdn *mdn, struct strview raw,
			       struct edi_error *err);

#endif
