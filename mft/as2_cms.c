/*
 * as2_cms - the S/MIME cryptography of AS2; see as2_cms.h.
 */
#include "as2_cms.h"

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "as2_mime.h"

/* OpenSSL's reason for the last failure, for messages. */
static const char *ssl_reason(char *out, size_t size)
{
	unsigned long e = ERR_peek_last_error();

	if (!e)
		snprintf(out, size, "unknown error");
	else
		ERR_error_string_n(e, out, size);
	ERR_clear_error();
	return out;
}

enum edi_code as2_cms_load_cert(const char *path, X509 **out,
				struct edi_error *err)
{
	char why[200];
	BIO *b = BIO_new_file(path, "r");

	*out = NULL;
	if (!b)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"cannot read certificate '%s': %s", path,
				ssl_reason(why, sizeof(why)));
	*out = PEM_read_bio_X509(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!*out)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"'%s' is not a PEM certificate: %s", path,
				ssl_reason(why, sizeof(why)));
	return EDI_OK;
}

enum edi_code as2_cms_load_key(const char *path, EVP_PKEY **out,
			       struct edi_error *err)
{
	char why[200];
	BIO *b = BIO_new_file(path, "r");

	*out = NULL;
	if (!b)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"cannot read private key '%s': %s", path,
				ssl_reason(why, sizeof(why)));
	*out = PEM_read_bio_PrivateKey(b, NULL, NULL, NULL);
	BIO_free(b);
	if (!*out)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"'%s' is not an unencrypted PEM private key: "
				"%s",
				path, ssl_reason(why, sizeof(why)));
	return EDI_OK;
}

static const struct {
	const char *names[3];
	const char *canon, *dashless;
	const EVP_MD *(*md)(void);
} mds[] = {
	{{"sha-256", "sha256", NULL}, "sha-256", "sha256", EVP_sha256},
	{{"sha-1", "sha1", "sha"}, "sha-1", "sha1", EVP_sha1},
	{{"sha-384", "sha384", NULL}, "sha-384", "sha384", EVP_sha384},
	{{"sha-512", "sha512", NULL}, "sha-512", "sha512", EVP_sha512},
	{{"md5", NULL, NULL}, "md5", "md5", EVP_md5},
};

const EVP_MD *as2_md_by_name(const char *md)
{
	for (size_t i = 0; i < sizeof(mds) / sizeof(mds[0]); i++)
		for (size_t k = 0; k < 3 && mds[i].names[k]; k++)
			if (!strcasecmp(md, mds[i].names[k]))
				return mds[i].md();
	return NULL;
}

const char *as2_md_name(const EVP_MD *md, int dashless)
{
	for (size_t i = 0; i < sizeof(mds) / sizeof(mds[0]); i++)
		if (EVP_MD_get_type(mds[i].md()) == EVP_MD_get_type(md))
			return dashless ? mds[i].dashless : mds[i].canon;
	return "unknown";
}

enum edi_code as2_mic(struct strview data, const EVP_MD *md, const char *name,
		      char out[AS2_MIC_MAX], struct edi_error *err)
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned dlen = 0;
	struct buf b;
	char why[200];

	if (!EVP_Digest(data.ptr, data.len, d, &dlen, md, NULL))
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"cannot compute the mic: %s",
				ssl_reason(why, sizeof(why)));
	buf_init(&b, AS2_MIC_MAX);
	as2_base64_encode(&b, d, dlen);
	while (b.len && (b.ptr[b.len - 1] == '\n' || b.ptr[b.len - 1] == '\r'))
		b.len--;
	snprintf(out, AS2_MIC_MAX, "%.*s, %s", (int)b.len, b.ptr, name);
	buf_release(&b);
	return EDI_OK;
}

static enum edi_code cms_to_der(CMS_ContentInfo *cms, struct buf *der,
				const char *what, struct edi_error *err)
{
	unsigned char *p = NULL;
	int n = i2d_CMS_ContentInfo(cms, &p);
	char why[200];
	enum edi_code rc;

	if (n <= 0)
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"cannot encode %s: %s", what,
				ssl_reason(why, sizeof(why)));
	rc = buf_add(der, p, (size_t)n);
	OPENSSL_free(p);
	if (rc)
		return edi_fail(err, rc, NULL, "%s larger than %zu bytes", what,
				der->max);
	return EDI_OK;
}

static CMS_ContentInfo *cms_from_der(struct strview der)
{
	const unsigned char *p = (const unsigned char *)der.ptr;

	if (der.len > (size_t)(1u << 31))
		return NULL;
	return d2i_CMS_ContentInfo(NULL, &p, (long)der.len);
}

enum as2_cms_type as2_cms_type_of(struct strview der)
{
	CMS_ContentInfo *cms = cms_from_der(der);
	enum as2_cms_type t = AS2_CMS_UNKNOWN;

	if (!cms) {
		ERR_clear_error();
		return t;
	}
	switch (OBJ_obj2nid(CMS_get0_type(cms))) {
	case NID_pkcs7_signed:
		t = AS2_CMS_SIGNED;
		break;
	case NID_pkcs7_enveloped:
		t = AS2_CMS_ENVELOPED;
		break;
	case NID_id_smime_ct_compressedData:
		t = AS2_CMS_COMPRESSED;
		break;
	}
	CMS_ContentInfo_free(cms);
	return t;
}

enum edi_code as2_cms_sign(struct strview data, X509 *cert, EVP_PKEY *key,
			   const EVP_MD *md, struct buf *der,
			   struct edi_error *err)
{
	int flags = CMS_BINARY | CMS_DETACHED | CMS_PARTIAL;
	BIO *in = BIO_new_mem_buf(data.ptr, (int)data.len);
	CMS_ContentInfo *cms;
	enum edi_code rc = EDI_OK;
	char why[200];

	if (!in || data.len > (size_t)(1u << 31))
		return edi_fail(err, EDI_ELIMIT, NULL, "cannot sign %zu bytes",
				data.len);
	cms = CMS_sign(NULL, NULL, NULL, NULL, (unsigned)flags);
	if (!cms || !CMS_add1_signer(cms, cert, key, md, (unsigned)flags) ||
	    !CMS_final(cms, in, NULL, (unsigned)flags))
		rc = edi_fail(err, EDI_EINTERNAL, NULL, "cannot sign: %s",
			      ssl_reason(why, sizeof(why)));
	else
		rc = cms_to_der(cms, der, "the signature", err);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return rc;
}

/* CMS_verify with the partner's certificate only; why it failed. */
static enum edi_code verify_cms(CMS_ContentInfo *cms, BIO *dcont, BIO *out,
				X509 *cert, enum as2_cms_fail *why,
				struct edi_error *err)
{
	STACK_OF(X509) *certs = NULL;
	enum edi_code rc = EDI_OK;
	char reason[200];
	unsigned long e;

	*why = AS2_FAIL_NONE;
	if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
		*why = AS2_FAIL_AUTHENTICATION;
		return edi_fail(err, EDI_EDATA, NULL,
				"the signature is not cms signed-data: %s",
				ssl_reason(reason, sizeof(reason)));
	}
	certs = sk_X509_new_null();
	if (!certs || !sk_X509_push(certs, cert)) {
		sk_X509_free(certs);
		*why = AS2_FAIL_OTHER;
		return edi_fail(err, EDI_ENOMEM, NULL, "out of memory");
	}
	if (CMS_verify(cms, certs, NULL, dcont, out,
		       CMS_BINARY | CMS_NOINTERN | CMS_NO_SIGNER_CERT_VERIFY) ==
	    1)
		goto done;
	e = ERR_peek_last_error();
	if (ERR_GET_LIB(e) == ERR_LIB_CMS &&
	    ERR_GET_REASON(e) == CMS_R_CONTENT_VERIFY_ERROR) {
		*why = AS2_FAIL_INTEGRITY;
		rc = edi_fail(err, EDI_EDATA, NULL,
			      "the signed content was changed (digest "
			      "differs): %s",
			      ssl_reason(reason, sizeof(reason)));
	} else {
		*why = AS2_FAIL_AUTHENTICATION;
		rc = edi_fail(err, EDI_EDATA, NULL,
			      "the signature is not the partner's: %s",
			      ssl_reason(reason, sizeof(reason)));
	}
done:
	sk_X509_free(certs); /* cert stays the caller's */
	return rc;
}

enum edi_code as2_cms_verify(struct strview data, struct strview der,
			     X509 *cert, enum as2_cms_fail *why,
			     struct edi_error *err)
{
	CMS_ContentInfo *cms = cms_from_der(der);
	BIO *in = BIO_new_mem_buf(data.ptr, (int)data.len);
	enum edi_code rc;

	if (!in) {
		*why = AS2_FAIL_OTHER;
		rc = edi_fail(err, EDI_ENOMEM, NULL, "out of memory");
	} else {
		rc = verify_cms(cms, in, NULL, cert, why, err);
	}
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	return rc;
}

static enum edi_code bio_to_buf(BIO *b, struct buf *out, const char *what,
				struct edi_error *err);

enum edi_code as2_cms_verify_opaque(struct strview der, X509 *cert,
				    struct buf *content, enum as2_cms_fail *why,
				    struct edi_error *err)
{
	CMS_ContentInfo *cms = cms_from_der(der);
	BIO *o = BIO_new(BIO_s_mem());
	enum edi_code rc;

	if (!o) {
		*why = AS2_FAIL_OTHER;
		rc = edi_fail(err, EDI_ENOMEM, NULL, "out of memory");
	} else if (cms && CMS_is_detached(cms) == 1) {
		*why = AS2_FAIL_INTEGRITY;
		rc = edi_fail(err, EDI_EDATA, NULL,
			      "signed-data without its content");
	} else if (!(rc = verify_cms(cms, NULL, o, cert, why, err)) &&
		   (rc = bio_to_buf(o, content, "the signed content", err))) {
		*why = AS2_FAIL_OTHER;
	}
	BIO_free(o);
	CMS_ContentInfo_free(cms);
	return rc;
}

static const struct {
	const char *name;
	const EVP_CIPHER *(*cipher)(void);
} ciphers[] = {
	{"aes128-cbc", EVP_aes_128_cbc}, {"aes192-cbc", EVP_aes_192_cbc},
	{"aes256-cbc", EVP_aes_256_cbc}, {"des-ede3-cbc", EVP_des_ede3_cbc},
	{"3des", EVP_des_ede3_cbc},
};

const EVP_CIPHER *as2_cipher_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++)
		if (!strcasecmp(name, ciphers[i].name))
			return ciphers[i].cipher();
	return NULL;
}

enum edi_code as2_cms_encrypt(struct strview data, X509 *cert,
			      const char *cipher, struct buf *der,
			      struct edi_error *err)
{
	const EVP_CIPHER *c = as2_cipher_by_name(cipher);
	STACK_OF(X509) *certs = sk_X509_new_null();
	BIO *in = BIO_new_mem_buf(data.ptr, (int)data.len);
	CMS_ContentInfo *cms = NULL;
	enum edi_code rc;
	char why[200];

	if (!c) {
		rc = edi_fail(err, EDI_ECONFIG, NULL, "unknown cipher '%s'",
			      cipher);
		goto out;
	}
	if (!certs || !in || !sk_X509_push(certs, cert)) {
		rc = edi_fail(err, EDI_ENOMEM, NULL, "out of memory");
		goto out;
	}
	cms = CMS_encrypt(certs, in, c, CMS_BINARY);
	if (!cms)
		rc = edi_fail(err, EDI_EINTERNAL, NULL, "cannot encrypt: %s",
			      ssl_reason(why, sizeof(why)));
	else
		rc = cms_to_der(cms, der, "the encrypted message", err);
out:
	sk_X509_free(certs);
	BIO_free(in);
	CMS_ContentInfo_free(cms);
	return rc;
}

static enum edi_code bio_to_buf(BIO *b, struct buf *out, const char *what,
				struct edi_error *err)
{
	char *p;
	long n = BIO_get_mem_data(b, &p);

	if (n < 0 || buf_add(out, p, (size_t)n))
		return edi_fail(err, EDI_ELIMIT, NULL,
				"%s larger than %zu bytes", what, out->max);
	return EDI_OK;
}

enum edi_code as2_cms_decrypt(struct strview der, X509 *cert, EVP_PKEY *key,
			      struct buf *out, struct edi_error *err)
{
	CMS_ContentInfo *cms = cms_from_der(der);
	BIO *o = BIO_new(BIO_s_mem());
	enum edi_code rc;
	char why[200];

	if (!cms || OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_enveloped)
		rc = edi_fail(err, EDI_EDATA, NULL,
			      "the message is not cms enveloped-data: %s",
			      ssl_reason(why, sizeof(why)));
	else if (!o || CMS_decrypt(cms, key, cert, NULL, o, CMS_BINARY) != 1)
		rc = edi_fail(err, EDI_EDATA, NULL,
			      "cannot decrypt the message with our key: %s",
			      ssl_reason(why, sizeof(why)));
	else
		rc = bio_to_buf(o, out, "the decrypted message", err);
	BIO_free(o);
	CMS_ContentInfo_free(cms);
	return rc;
}

/* DER tag and length. */
static void der_head(struct buf *b, unsigned char tag, size_t len)
{
	unsigned char h[10];
	size_t n = 0;

	h[n++] = tag;
	if (len < 128) {
		h[n++] = (unsigned char)len;
	} else {
		unsigned char l[8];
		size_t k = 0;
		for (size_t v = len; v; v >>= 8)
			l[k++] = (unsigned char)(v & 0xff);
		h[n++] = (unsigned char)(0x80 | k);
		while (k)
			h[n++] = l[--k];
	}
	buf_add(b, h, n);
}

static size_t der_head_len(size_t len)
{
	size_t n = 2;

	for (size_t v = len; len >= 128 && v; v >>= 8)
		n++;
	return n;
}

static const unsigned char oid_compressed[] = {
	0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86, 0xf7,
	0x0d, 0x01, 0x09, 0x10, 0x01, 0x09}; /* 1.2.840.113549.1.9.16.1.9 */
static const unsigned char alg_zlib[] = {
	0x30, 0x0d, 0x06, 0x0b, 0x2a, 0x86, 0x48, 0x86,
	0xf7, 0x0d, 0x01, 0x09, 0x10, 0x03, 0x08}; /* 1.2.840.113549.1.9.16.3.8 */
static const unsigned char oid_data[] = {0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
					 0xf7, 0x0d, 0x01, 0x07, 0x01};
static const unsigned char version0[] = {0x02, 0x01, 0x00};

enum edi_code as2_cms_compress(struct strview data, struct buf *der,
			       struct edi_error *err)
{
	uLongf zlen = compressBound((uLong)data.len);
	size_t oct, e0, eci, cd, a0, ci;
	struct buf z;
	int zr;

	if (data.len > (size_t)(1u << 31))
		return edi_fail(err, EDI_ELIMIT, NULL,
				"cannot compress %zu bytes", data.len);
	buf_init(&z, (size_t)zlen + 1);
	if (buf_reserve(&z, (size_t)zlen)) {
		buf_release(&z);
		return edi_fail(err, EDI_ENOMEM, NULL, "out of memory");
	}
	zr = compress2((Bytef *)z.ptr, &zlen, (const Bytef *)data.ptr,
		       (uLong)data.len, Z_DEFAULT_COMPRESSION);
	if (zr != Z_OK) {
		buf_release(&z);
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"zlib cannot compress: error %d", zr);
	}
	oct = der_head_len(zlen) + zlen;
	e0 = der_head_len(oct) + oct;
	eci = sizeof(oid_data) + e0;
	cd = sizeof(version0) + sizeof(alg_zlib) + der_head_len(eci) + eci;
	a0 = der_head_len(cd) + cd; /* the SEQUENCE inside [0] */
	ci = sizeof(oid_compressed) + der_head_len(a0) + a0;
	if (buf_reserve(der, der_head_len(ci) + ci)) {
		buf_release(&z);
		return edi_fail(err, EDI_ELIMIT, NULL,
				"compressed message larger than %zu bytes",
				der->max);
	}
	der_head(der, 0x30, ci);
	buf_add(der, oid_compressed, sizeof(oid_compressed));
	der_head(der, 0xa0, a0);
	der_head(der, 0x30, cd);
	buf_add(der, version0, sizeof(version0));
	buf_add(der, alg_zlib, sizeof(alg_zlib));
	der_head(der, 0x30, eci);
	buf_add(der, oid_data, sizeof(oid_data));
	der_head(der, 0xa0, oct);
	der_head(der, 0x04, zlen);
	buf_add(der, z.ptr, zlen);
	buf_release(&z);
	return EDI_OK;
}

enum edi_code as2_cms_decompress(struct strview der, struct buf *out,
				 struct edi_error *err)
{
	CMS_ContentInfo *cms = cms_from_der(der);
	ASN1_OCTET_STRING **pos;
	z_stream zs;
	enum edi_code rc = EDI_OK;
	char why[200];
	int zr = Z_OK;

	if (!cms ||
	    OBJ_obj2nid(CMS_get0_type(cms)) != NID_id_smime_ct_compressedData) {
		CMS_ContentInfo_free(cms);
		return edi_fail(err, EDI_EDATA, NULL,
				"the message is not cms compressed-data: %s",
				ssl_reason(why, sizeof(why)));
	}
	pos = CMS_get0_content(cms);
	if (!pos || !*pos) {
		CMS_ContentInfo_free(cms);
		return edi_fail(err, EDI_EDATA, NULL,
				"compressed-data has no content");
	}
	memset(&zs, 0, sizeof(zs));
	if (inflateInit(&zs) != Z_OK) {
		CMS_ContentInfo_free(cms);
		return edi_fail(err, EDI_ENOMEM, NULL, "zlib: out of memory");
	}
	zs.next_in = (Bytef *)ASN1_STRING_get0_data(*pos);
	zs.avail_in = (uInt)ASN1_STRING_length(*pos);
	while (zr != Z_STREAM_END) {
		unsigned char chunk[16384];
		zs.next_out = chunk;
		zs.avail_out = sizeof(chunk);
		zr = inflate(&zs, Z_NO_FLUSH);
		if (zr != Z_OK && zr != Z_STREAM_END) {
			rc = edi_fail(err, EDI_EDATA, NULL,
				      "cannot decompress: zlib %s",
				      zs.msg ? zs.msg : "data is cut short");
			break;
		}
		if (buf_add(out, chunk, sizeof(chunk) - zs.avail_out)) {
			rc = edi_fail(err, EDI_ELIMIT, NULL,
				      "decompressed message larger than %zu "
				      "bytes",
				      out->max);
			break;
		}
		if (zr == Z_OK && zs.avail_in == 0 && zs.avail_out != 0) {
			rc = edi_fail(err, EDI_EDATA, NULL,
				      "cannot decompress: data is cut short");
			break;
		}
	}
	inflateEnd(&zs);
	CMS_ContentInfo_free(cms);
	return rc;
}
