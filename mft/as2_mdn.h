/*
 * as2_mdn - AS2 receipts (MDNs, RFC 3798 / RFC 4130 7): build and read.
 *
 * as2_mdn_build() writes a multipart/report with a human part and a
 * message/disposition-notification part (Original-Message-ID,
 * Received-Content-MIC, Disposition), signed (multipart/signed, detached)
 * when asked; it returns HTTP headers and body like as2_msg_build().
 * as2_mdn_parse() reads one back, verifying the signature with the
 * partner's certificate when there is one (and failing when a signature
 * was required and is missing or wrong).  It returns the fields; whether
 * the disposition says "processed" without error is in ok.  Untrusted
 * input: bounded like as2_mime; bad input is EDI_EDATA with a message.
 */
#ifndef EDI_AS2_MDN_H
#define EDI_AS2_MDN_H

#include <stdbool.h>

#include "as2_cms.h"
#include "as2_msg.h"
#include "buf.h"
#include "edi_error.h"
#include "strview.h"

#define AS2_DISPOSITION_MAX 256

struct as2_mdn_info {
	const char *our_id;		 /* Original-/Final-Recipient */
	const char *original_message_id; /* with its angle brackets */
	const char *mic;		 /* NULL: none (e.g. on failure) */
	const char *failure; /* NULL: processed; else "decryption-failed"... */
	const char *text;    /* the human-readable part */
};

/*
 * The MDN into out (initialized here).  sign: with k->our_cert/our_key
 * and md, micalg spelled micalg_name.
 */
enum edi_code as2_mdn_build(const struct as2_mdn_info *m, bool sign,
			    const struct as2_keys *k, const EVP_MD *md,
			    const char *micalg_name, struct as2_built *out,
			    struct edi_error *err);

struct as2_mdn {
	char original_message_id[AS2_MSGID_MAX];
	char mic[AS2_MIC_MAX];
	char disposition[AS2_DISPOSITION_MAX];
	bool is_signed;
	bool ok; /* "processed", no error or failure modifier */
};

/*
 * Read an MDN given its Content-Type and body.  their_cert: verify a
 * signature with it (NULL: not checked); require_signed: an unsigned MDN
 * fails.
 */
enum edi_code as2_mdn_parse(struct strview content_type, struct strview body,
			    X509 *their_cert, bool require_signed,
			    struct as2_mdn *out, struct edi_error *err);
/*
 * Is the MDN's MIC the one we computed?  Compares the digest and the
 * algorithm, taking "sha256" and "sha-256" as the same.
 */
bool as2_mdn_mic_matches(const char *got, const char *want);

#endif
