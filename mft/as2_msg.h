/*
 * as2_msg - an AS2 message built from a payload, and opened back.
 *
 * struct as2_partner is one trading relationship as the transport sees
 * it (the spool fills it from a partner profile): both AS2 ids, the URL,
 * the certificate and key files, and what to do to a message (sign,
 * encrypt, compress, MDN) with the interop switches.  as2_keys_load()
 * reads the PEM files it names.
 *
 * as2_msg_build() wraps a payload: MIME entity, compressed (before or
 * after signing), signed (multipart/signed, detached, CMS_BINARY),
 * encrypted; it returns the HTTP headers of the outermost entity, the
 * HTTP body and the MIC (over exactly the signed bytes, or over the
 * payload entity when unsigned) that the MDN must return.
 *
 * as2_msg_open() undoes any nesting of those layers (at most
 * AS2_MSG_MAX_DEPTH), verifying the signature with the partner's
 * certificate and computing the MIC the same way; a failure says which
 * MDN disposition it deserves (enum as2_cms_fail).  Everything it returns
 * is owned by the struct as2_opened (as2_opened_release()).
 */
#ifndef EDI_AS2_MSG_H
#define EDI_AS2_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "as2_cms.h"
#include "buf.h"
#include "edi_error.h"
#include "strview.h"

#define AS2_ID_MAX	   129 /* RFC 4130: 1..128 printable characters */
#define AS2_MSG_MAX_DEPTH  6
#define AS2_CT_MAX	   256
#define AS2_MSGID_MAX	   256
#define AS2_NAME_MAX	   256
#define AS2_DEFAULT_CT	   "application/edi-x12"
#define AS2_DEFAULT_CIPHER "aes256-cbc"

enum as2_compress {
	AS2_COMPRESS_NONE,
	AS2_COMPRESS_BEFORE,
	AS2_COMPRESS_AFTER
};
enum as2_mdn_mode { AS2_MDN_SYNC, AS2_MDN_ASYNC, AS2_MDN_NONE };

struct as2_partner {
	const char *their_id, *our_id; /* AS2-To and AS2-From when sending */
	const char *url;	       /* where messages are POSTed */
	const char *their_cert;	       /* PEM: verify theirs, encrypt to them */
	const char *our_cert, *our_key; /* PEM: sign ours, decrypt theirs */
	const char *ca_file;		/* https: trust these (NULL: system) */
	bool sign, encrypt;		/* what we send */
	bool require_signed, require_encrypted; /* what we accept */
	enum as2_compress compress;
	const char *micalg; /* "sha-256" (default), "sha1" for legacy */
	const char *cipher; /* "aes256-cbc" (default), "aes128-cbc" */
	enum as2_mdn_mode mdn;
	bool signed_mdn;	  /* ask for a signed MDN (and require it) */
	const char *mdn_url;	  /* async: our URL for the MDN */
	bool base64;		  /* Content-Transfer-Encoding base64 */
	bool micalg_dashless;	  /* "sha256" instead of "sha-256" */
	const char *content_type; /* of the payload (AS2_DEFAULT_CT) */
	const char *subject;
	unsigned timeout_s;
	unsigned retries; /* resends after a failure, same Message-ID */
	unsigned retry_wait_s;
	uint64_t max_send_rate; /* bytes/s, 0: no limit */
};

struct as2_keys {
	X509 *our_cert, *their_cert;
	EVP_PKEY *our_key;
};

/* Load the files p names (missing names stay NULL); free with release. */
enum edi_code as2_keys_load(const struct as2_partner *p, struct as2_keys *k,
			    struct edi_error *err);
void as2_keys_release(struct as2_keys *k);

struct as2_built {
	struct buf headers; /* "Name: value\r\n" lines for HTTP */
	struct buf body;
	char mic[AS2_MIC_MAX];
};

/*
 * entity (headers and body) signed: a multipart/signed entity (with its
 * Content-Type header) appended to out; the MIC is the caller's.
 */
enum edi_code as2_msg_sign_entity(struct strview entity,
				  const struct as2_keys *k, const EVP_MD *md,
				  const char *micalg_name, struct buf *out,
				  struct edi_error *err);
/* Split entity into out->headers (plus MIME-Version) and out->body. */
enum edi_code as2_built_from_entity(struct strview entity,
				    struct as2_built *out,
				    struct edi_error *err);
/* Build the message for payload (called filename); out is initialized. */
enum edi_code as2_msg_build(const struct as2_partner *p,
			    const struct as2_keys *k, struct strview payload,
			    const char *filename, struct as2_built *out,
			    struct edi_error *err);
void as2_built_release(struct as2_built *b);

struct as2_open_opts {
	const EVP_MD *mic_md; /* NULL: the signer's micalg, else SHA-256 */
	const char *mic_name; /* how to spell it in the MIC */
	bool require_signed, require_encrypted;
	size_t max_bytes; /* of any layer */
	/* the HTTP Content-Disposition (the payload's file name when the
	 * message is neither signed, encrypted nor compressed) */
	struct strview disposition;
};

struct as2_opened {
	struct buf payload;
	char filename[AS2_NAME_MAX]; /* "" when the sender gave none */
	char content_type[AS2_CT_MAX];
	bool is_signed, is_encrypted, is_compressed;
	char mic[AS2_MIC_MAX];
	enum as2_cms_fail fail; /* why it failed (with the return code) */
};

/*
 * Open an HTTP body whose Content-Type (and Content-Transfer-Encoding,
 * an empty view when none) are given.  out is initialized here.
 */
enum edi_code as2_msg_open(struct strview content_type, struct strview cte,
			   struct strview body, const struct as2_keys *k,
			   const struct as2_open_opts *o,
			   struct as2_opened *out, struct edi_error *err);
void as2_opened_release(struct as2_opened *o);

/*
 * Disposition-Notification-Options: the first signed-receipt-micalg we
 * support into *md and name (spelled as asked); false when none given.
 */
bool as2_msg_want_micalg(struct strview options, const EVP_MD **md, char *name,
			 size_t size);

#endif
