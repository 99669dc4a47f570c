/*
 * as2_cms - the S/MIME cryptography of AS2: sign, verify, encrypt,
 * decrypt, compress, and the MIC.
 *
 * OpenSSL CMS does the signing (detached, CMS_BINARY: the bytes signed
 * are exactly the bytes given, no canonicalization) and the enveloping.
 * RFC 3274 compressed-data is written here by hand (Debian's OpenSSL has
 * no zlib in CMS) and read with OpenSSL's CMS parser plus zlib.  The MIC
 * is a digest over exactly the bytes that were signed, in the form AS2
 * returns it: "base64, sha-256".  Keys and certificates are loaded from
 * PEM files; the caller frees them (X509_free, EVP_PKEY_free).  Every
 * failure says what failed with OpenSSL's reason; verification failures
 * also say why as enum as2_cms_fail so the receiver can answer with the
 * right MDN disposition.  Nothing is printed.
 */
#ifndef EDI_AS2_CMS_H
#define EDI_AS2_CMS_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <stddef.h>

#include "buf.h"
#include "edi_error.h"
#include "strview.h"

#define AS2_MIC_MAX 160 /* "base64, sha-512" with the NUL */

/* Why a received message could not be opened (MDN dispositions). */
enum as2_cms_fail {
	AS2_FAIL_NONE,
	AS2_FAIL_AUTHENTICATION, /* signer is not the partner, bad signature */
	AS2_FAIL_INTEGRITY,	 /* content digest differs: changed content */
	AS2_FAIL_DECRYPTION,
	AS2_FAIL_DECOMPRESSION,
	AS2_FAIL_SECURITY, /* unsigned or unencrypted when required */
	AS2_FAIL_OTHER
};

/* What a CMS blob is. */
enum as2_cms_type {
	AS2_CMS_UNKNOWN,
	AS2_CMS_SIGNED,
	AS2_CMS_ENVELOPED,
	AS2_CMS_COMPRESSED
};

enum edi_code as2_cms_load_cert(const char *path, X509 **out,
				struct edi_error *err);
enum edi_code as2_cms_load_key(const char *path, EVP_PKEY **out,
			       struct edi_error *err);

/*
 * The digest named md ("sha-256", "sha256", "sha1", "sha-1", "sha-384",
 * "sha-512", "md5" case-insensitive), NULL when unknown.  as2_md_name()
 * gives the RFC 5751 spelling ("sha-256") or, with dashless, "sha256".
 */
const EVP_MD *as2_md_by_name(const char *md);
const char *as2_md_name(const EVP_MD *md, int dashless);

/* out = "BASE64DIGEST, name" of data with md named name. */
enum edi_code as2_mic(struct strview data, const EVP_MD *md, const char *name,
		      char out[AS2_MIC_MAX], struct edi_error *err);

/* A detached CMS signature (DER) of exactly data into der. */
enum edi_code as2_cms_sign(struct strview data, X509 *cert, EVP_PKEY *key,
			   const EVP_MD *md, struct buf *der,
			   struct edi_error *err);
/*
 * Verify the detached signature der over data with the partner's
 * certificate cert (which must be the signer's; other certificates in
 * the message are not trusted).  *why says why it failed.
 */
enum edi_code as2_cms_verify(struct strview data, struct strview der,
			     X509 *cert, enum as2_cms_fail *why,
			     struct edi_error *err);
/*
 * Verify opaque signed-data der (smime-type=signed-data: the content
 * inside) like as2_cms_verify(); the content goes to content.
 */
enum edi_code as2_cms_verify_opaque(struct strview der, X509 *cert,
				    struct buf *content, enum as2_cms_fail *why,
				    struct edi_error *err);
/* Envelope data for cert with cipher ("aes128-cbc", "aes256-cbc", ...). */
enum edi_code as2_cms_encrypt(struct strview data, X509 *cert,
			      const char *cipher, struct buf *der,
			      struct edi_error *err);
const EVP_CIPHER *as2_cipher_by_name(const char *name);
/* Open enveloped-data der with our key into out (max applies). */
enum edi_code as2_cms_decrypt(struct strview der, X509 *cert, EVP_PKEY *key,
			      struct buf *out, struct edi_error *err);
/* RFC 3274 compressed-data (zlib) of data, DER, into der. */
enum edi_code as2_cms_compress(struct strview data, struct buf *der,
			       struct edi_error *err);
/* Read compressed-data der and inflate it into out (max applies). */
enum edi_code as2_cms_decompress(struct strview der, struct buf *out,
				 struct edi_error *err);
/* The type of the CMS ContentInfo in der (AS2_CMS_UNKNOWN: not CMS). */
enum as2_cms_type as2_cms_type_of(struct strview der);

#endif
