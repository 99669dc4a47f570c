/*
 * as2_msg - an AS2 message built from a payload, and opened back; see
 * as2_msg.h.
 */
#include "as2_msg.h"

#include <openssl/err.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "as2_mime.h"

#define LAYER_MAX ((size_t)1 << 31)

enum edi_code as2_keys_load(const struct as2_partner *p, struct as2_keys *k,
			    struct edi_error *err)
{
	enum edi_code rc = EDI_OK;

	memset(k, 0, sizeof(*k));
	if (p->our_cert &&
	    (rc = as2_cms_load_cert(p->our_cert, &k->our_cert, err)) != EDI_OK)
		goto fail;
	if (p->our_key &&
	    (rc = as2_cms_load_key(p->our_key, &k->our_key, err)) != EDI_OK)
		goto fail;
	if (p->their_cert &&
	    (rc = as2_cms_load_cert(p->their_cert, &k->their_cert, err)) !=
		    EDI_OK)
		goto fail;
	return EDI_OK;
fail:
	as2_keys_release(k);
	return rc;
}

void as2_keys_release(struct as2_keys *k)
{
	X509_free(k->our_cert);
	X509_free(k->their_cert);
	EVP_PKEY_free(k->our_key);
	memset(k, 0, sizeof(*k));
}

static enum edi_code add_content(struct buf *e, struct strview content,
				 bool base64)
{
	if (base64)
		return as2_base64_encode(e, content.ptr, content.len);
	return buf_add(e, content.ptr, content.len);
}

/* A MIME entity holding an S/MIME blob of smime_type. */
static enum edi_code smime_entity(struct buf *e, const char *smime_type,
				  const char *file, struct strview der,
				  bool base64)
{
	buf_addf(e,
		 "Content-Type: application/pkcs7-mime; smime-type=%s; "
		 "name=\"%s\"\r\n"
		 "Content-Transfer-Encoding: %s\r\n"
		 "Content-Disposition: attachment; filename=\"%s\"\r\n\r\n",
		 smime_type, file, base64 ? "base64" : "binary", file);
	return add_content(e, der, base64);
}

static void swap(struct buf *a, struct buf *b)
{
	struct buf t = *a;
	*a = *b;
	*b = t;
}

enum edi_code as2_msg_sign_entity(struct strview entity,
				  const struct as2_keys *k, const EVP_MD *md,
				  const char *micalg_name, struct buf *out,
				  struct edi_error *err)
{
	struct buf der;
	enum edi_code rc;
	char b[33];

	buf_init(&der, 1u << 20);
	rc = as2_cms_sign(entity, k->our_cert, k->our_key, md, &der, err);
	if (rc) {
		buf_release(&der);
		return rc;
	}
	as2_mime_random(b);
	buf_addf(out,
		 "Content-Type: multipart/signed; "
		 "protocol=\"application/pkcs7-signature\"; "
		 "micalg=%s; boundary=\"----=_edigate_%s\"\r\n\r\n"
		 "------=_edigate_%s\r\n",
		 micalg_name, b, b);
	buf_add(out, entity.ptr, entity.len);
	buf_addf(out,
		 "\r\n------=_edigate_%s\r\n"
		 "Content-Type: application/pkcs7-signature; "
		 "name=\"smime.p7s\"\r\n"
		 "Content-Transfer-Encoding: base64\r\n"
		 "Content-Disposition: attachment; "
		 "filename=\"smime.p7s\"\r\n\r\n",
		 b);
	as2_base64_encode(out, der.ptr, der.len);
	rc = buf_addf(out, "------=_edigate_%s--\r\n", b);
	buf_release(&der);
	if (rc)
		return edi_fail(err, EDI_ELIMIT, NULL, "message too large");
	return EDI_OK;
}

enum edi_code as2_built_from_entity(struct strview entity,
				    struct as2_built *out,
				    struct edi_error *err)
{
	struct as2_entity top;
	enum edi_code rc;

	buf_init(&out->headers, 64u << 10);
	buf_init(&out->body, LAYER_MAX);
	if ((rc = as2_mime_parse(entity, &top, err)))
		return rc;
	for (size_t i = 0; i < top.nheaders; i++)
		buf_addf(&out->headers, "%.*s: %.*s\r\n",
			 (int)top.headers[i].name.len, top.headers[i].name.ptr,
			 (int)top.headers[i].value.len,
			 top.headers[i].value.ptr);
	buf_adds(&out->headers, "MIME-Version: 1.0\r\n");
	if (buf_add(&out->body, top.body.ptr, top.body.len))
		return edi_fail(err, EDI_ELIMIT, NULL, "message too large");
	return EDI_OK;
}

enum edi_code as2_msg_build(const struct as2_partner *p,
			    const struct as2_keys *k, struct strview payload,
			    const char *filename, struct as2_built *out,
			    struct edi_error *err)
{
	const EVP_MD *md = as2_md_by_name(p->micalg ? p->micalg : "sha-256");
	const char *ct = p->content_type ? p->content_type : AS2_DEFAULT_CT;
	struct buf cur, next, der;
	enum edi_code rc;

	buf_init(&out->headers, 64u << 10);
	buf_init(&out->body, LAYER_MAX);
	out->mic[0] = '\0';
	if (!md)
		return edi_fail(err, EDI_ECONFIG, NULL, "unknown micalg '%s'",
				p->micalg);
	if ((p->sign && (!k->our_cert || !k->our_key)) ||
	    (p->encrypt && !k->their_cert))
		return edi_fail(err, EDI_ECONFIG, NULL,
				"signing needs our certificate and key, "
				"encryption their certificate");
	buf_init(&cur, LAYER_MAX);
	buf_init(&next, LAYER_MAX);
	buf_init(&der, LAYER_MAX);
	buf_addf(&cur,
		 "Content-Type: %s\r\nContent-Transfer-Encoding: %s\r\n"
		 "Content-Disposition: attachment; filename=\"%s\"\r\n\r\n",
		 ct, p->base64 ? "base64" : "binary", filename);
	if ((rc = add_content(&cur, payload, p->base64)))
		goto limit;
	/* unsigned: the MIC covers the payload entity (RFC 4130 7.3.1) */
	if (!p->sign) {
		struct strview over =
			p->encrypt || p->compress ? buf_view(&cur) : payload;
		if ((rc = as2_mic(over, md, as2_md_name(md, p->micalg_dashless),
				  out->mic, err)))
			goto out;
	}
	if (p->compress == AS2_COMPRESS_BEFORE ||
	    (p->compress == AS2_COMPRESS_AFTER && !p->sign)) {
		buf_release(&der);
		if ((rc = as2_cms_compress(buf_view(&cur), &der, err)))
			goto out;
		buf_release(&next); /* the layer before is not needed */
		if ((rc = smime_entity(&next, "compressed-data", "smime.p7z",
				       buf_view(&der), p->base64)))
			goto limit;
		swap(&cur, &next);
	}
	if (p->sign) {
		const char *mname = as2_md_name(md, p->micalg_dashless);
		if ((rc = as2_mic(buf_view(&cur), md, mname, out->mic, err)))
			goto out;
		buf_release(&next); /* the layer before is not needed */
		if ((rc = as2_msg_sign_entity(buf_view(&cur), k, md, mname,
					      &next, err)))
			goto out;
		swap(&cur, &next);
		if (p->compress == AS2_COMPRESS_AFTER) {
			buf_release(&der);
			if ((rc = as2_cms_compress(buf_view(&cur), &der, err)))
				goto out;
			buf_release(&next); /* the layer before is not needed */
			if ((rc = smime_entity(&next, "compressed-data",
					       "smime.p7z", buf_view(&der),
					       p->base64)))
				goto limit;
			swap(&cur, &next);
		}
	}
	if (p->encrypt) {
		buf_release(&der);
		if ((rc = as2_cms_encrypt(buf_view(&cur), k->their_cert,
					  p->cipher ? p->cipher
						    : AS2_DEFAULT_CIPHER,
					  &der, err)))
			goto out;
		buf_release(&next); /* the layer before is not needed */
		if ((rc = smime_entity(&next, "enveloped-data", "smime.p7m",
				       buf_view(&der), p->base64)))
			goto limit;
		swap(&cur, &next);
	}
	as2_built_release(out);
	buf_release(&next);
	buf_release(&der);
	rc = as2_built_from_entity(buf_view(&cur), out, err);
	goto out;
limit:
	rc = edi_fail(err, EDI_ELIMIT, NULL, "message too large");
out:
	buf_release(&cur);
	buf_release(&next);
	buf_release(&der);
	return rc;
}

void as2_built_release(struct as2_built *b)
{
	buf_release(&b->headers);
	buf_release(&b->body);
}

static enum edi_code fail_as(struct as2_opened *out, enum as2_cms_fail why,
			     enum edi_code rc)
{
	out->fail = why;
	return rc;
}

/* The MIC of opaque signed content: over the content (the bytes signed). */
static enum edi_code opaque_mic(const struct as2_open_opts *o,
				const struct buf *content,
				struct as2_opened *out, struct edi_error *err)
{
	const EVP_MD *md = o->mic_md ? o->mic_md : EVP_sha256();
	enum edi_code rc;

	out->is_signed = true;
	rc = as2_mic(buf_view(content), md,
		     o->mic_name ? o->mic_name : as2_md_name(md, 0), out->mic,
		     err);
	return rc ? fail_as(out, AS2_FAIL_OTHER, rc) : EDI_OK;
}

bool as2_msg_want_micalg(struct strview options, const EVP_MD **md, char *name,
			 size_t size)
{
	char list[AS2_MIME_VALUE_MAX];
	const char *at;
	size_t i = 0, n = sizeof(list);

	/* signed-receipt-micalg=optional, sha-256, sha1 */
	at = NULL;
	for (size_t k = 0; k + 21 <= options.len; k++)
		if (!strncasecmp(options.ptr + k, "signed-receipt-micalg",
				 21)) {
			at = options.ptr + k + 21;
			break;
		}
	if (!at)
		return false;
	n = (size_t)(options.ptr + options.len - at);
	if (n >= sizeof(list))
		n = sizeof(list) - 1;
	memcpy(list, at, n);
	list[n] = '\0';
	i = strcspn(list, "=");
	if (!list[i])
		return false;
	i++;
	while (list[i] && list[i] != ';') {
		char word[32];
		size_t w = 0;
		while (list[i] == ' ' || list[i] == '\t' || list[i] == ',')
			i++;
		while (list[i] && list[i] != ',' && list[i] != ';' &&
		       list[i] != ' ' && w + 1 < sizeof(word))
			word[w++] = list[i++];
		word[w] = '\0';
		while (list[i] && list[i] != ',' && list[i] != ';')
			i++;
		if (!w || !strcasecmp(word, "optional") ||
		    !strcasecmp(word, "required"))
			continue;
		if ((*md = as2_md_by_name(word)) && w < size) {
			memcpy(name, word, w + 1);
			return true;
		}
	}
	return false;
}

enum edi_code as2_msg_open(struct strview content_type, struct strview cte,
			   struct strview body, const struct as2_keys *k,
			   const struct as2_open_opts *o,
			   struct as2_opened *out, struct edi_error *err)
{
	size_t max = o->max_bytes ? o->max_bytes : LAYER_MAX;
	struct buf cur, next;
	enum edi_code rc = EDI_OK;
	int depth;

	memset(out, 0, sizeof(*out));
	buf_init(&out->payload, max);
	buf_init(&cur, max + (64u << 10));
	buf_init(&next, max + (64u << 10));
	buf_addf(&cur, "Content-Type: %.*s\r\n", (int)content_type.len,
		 content_type.ptr);
	if (cte.len)
		buf_addf(&cur, "Content-Transfer-Encoding: %.*s\r\n",
			 (int)cte.len, cte.ptr);
	if (o->disposition.len)
		buf_addf(&cur, "Content-Disposition: %.*s\r\n",
			 (int)o->disposition.len, o->disposition.ptr);
	buf_adds(&cur, "\r\n");
	if (buf_add(&cur, body.ptr, body.len)) {
		rc = fail_as(out, AS2_FAIL_OTHER,
			     edi_fail(err, EDI_ELIMIT, NULL,
				      "message larger than %zu bytes", max));
		goto done;
	}
	for (depth = 0; depth < AS2_MSG_MAX_DEPTH; depth++) {
		struct as2_entity e;
		struct strview ctv;
		char type[AS2_CT_MAX];

		if ((rc = as2_mime_parse(buf_view(&cur), &e, err))) {
			rc = fail_as(out, AS2_FAIL_OTHER, rc);
			goto done;
		}
		if (!as2_mime_header(&e, "Content-Type", &ctv) ||
		    !as2_mime_type(ctv, type, sizeof(type))) {
			rc = fail_as(out, AS2_FAIL_OTHER,
				     edi_fail(err, EDI_EDATA, NULL,
					      "a mime entity has no "
					      "content-type"));
			goto done;
		}
		buf_release(&next); /* the layer before is not needed */
		if (!strcmp(type, "application/pkcs7-mime") ||
		    !strcmp(type, "application/x-pkcs7-mime")) {
			struct buf der;
			struct strview blob = e.body, cv;
			enum as2_cms_type t;
			char enc[32];
			buf_init(&der, max + (64u << 10));
			rc = EDI_OK;
			/* binary content is used where it lies: no copy */
			if (as2_mime_header(&e, "Content-Transfer-Encoding",
					    &cv) &&
			    as2_mime_type(cv, enc, sizeof(enc)) &&
			    strcmp(enc, "binary") && strcmp(enc, "8bit") &&
			    strcmp(enc, "7bit")) {
				rc = as2_mime_decode(&e, &der, err);
				blob = buf_view(&der);
			}
			t = rc ? AS2_CMS_UNKNOWN : as2_cms_type_of(blob);
			if (rc) {
				rc = fail_as(out, AS2_FAIL_OTHER, rc);
			} else if (t == AS2_CMS_ENVELOPED) {
				out->is_encrypted = true;
				if (!k->our_key || !k->our_cert)
					rc = edi_fail(err, EDI_ECONFIG, NULL,
						      "no key of ours to "
						      "decrypt with");
				else
					rc = as2_cms_decrypt(blob, k->our_cert,
							     k->our_key, &next,
							     err);
				if (rc)
					rc = fail_as(out, AS2_FAIL_DECRYPTION,
						     rc);
			} else if (t == AS2_CMS_SIGNED) {
				/* opaque signing: the content is inside */
				enum as2_cms_fail why;
				if (!k->their_cert) {
					why = AS2_FAIL_AUTHENTICATION;
					rc = edi_fail(err, EDI_ECONFIG, NULL,
						      "no partner certificate "
						      "to verify the signature "
						      "with");
				} else {
					rc = as2_cms_verify_opaque(
						blob, k->their_cert, &next,
						&why, err);
				}
				if (rc)
					rc = fail_as(out, why, rc);
				else
					rc = opaque_mic(o, &next, out, err);
			} else if (t == AS2_CMS_COMPRESSED) {
				out->is_compressed = true;
				rc = as2_cms_decompress(blob, &next, err);
				if (rc)
					rc = fail_as(out,
						     AS2_FAIL_DECOMPRESSION,
						     rc);
			} else {
				rc = fail_as(out, AS2_FAIL_OTHER,
					     edi_fail(err, EDI_EDATA, NULL,
						      "pkcs7-mime content is "
						      "not enveloped, signed "
						      "or compressed data"));
			}
			buf_release(&der);
			if (rc)
				goto done;
		} else if (!strcmp(type, "multipart/signed")) {
			char boundary[AS2_MIME_BOUNDARY_MAX + 1];
			char micalg[32];
			struct strview parts[4];
			struct as2_entity sig;
			struct buf der;
			size_t nparts;
			enum as2_cms_fail why;
			const EVP_MD *md = o->mic_md;
			const char *mname = o->mic_name;

			if (!as2_mime_param(ctv, "boundary", boundary,
					    sizeof(boundary))) {
				rc = fail_as(out, AS2_FAIL_OTHER,
					     edi_fail(err, EDI_EDATA, NULL,
						      "multipart/signed has no "
						      "boundary"));
				goto done;
			}
			if ((rc = as2_mime_parts(e.body, boundary, parts, 4,
						 &nparts, err)) ||
			    nparts != 2 ||
			    (rc = as2_mime_parse(parts[1], &sig, err))) {
				if (!rc)
					rc = edi_fail(err, EDI_EDATA, NULL,
						      "multipart/signed has "
						      "%zu parts, not 2",
						      nparts);
				rc = fail_as(out, AS2_FAIL_INTEGRITY, rc);
				goto done;
			}
			buf_init(&der, 1u << 20);
			rc = as2_mime_decode(&sig, &der, err);
			if (!rc && !k->their_cert)
				rc = edi_fail(err, EDI_ECONFIG, NULL,
					      "no partner certificate to "
					      "verify the signature with");
			if (rc) {
				buf_release(&der);
				rc = fail_as(out, AS2_FAIL_AUTHENTICATION, rc);
				goto done;
			}
			rc = as2_cms_verify(parts[0], buf_view(&der),
					    k->their_cert, &why, err);
			buf_release(&der);
			if (rc) {
				rc = fail_as(out, why, rc);
				goto done;
			}
			out->is_signed = true;
			if (!md &&
			    as2_mime_param(ctv, "micalg", micalg,
					   sizeof(micalg)) &&
			    (md = as2_md_by_name(micalg)))
				mname = as2_md_name(md, 0);
			if (!md) {
				md = EVP_sha256();
				mname = "sha-256";
			}
			if ((rc = as2_mic(parts[0], md,
					  mname ? mname : as2_md_name(md, 0),
					  out->mic, err))) {
				rc = fail_as(out, AS2_FAIL_OTHER, rc);
				goto done;
			}
			if (buf_add(&next, parts[0].ptr, parts[0].len)) {
				rc = fail_as(out, AS2_FAIL_OTHER,
					     edi_fail(err, EDI_ELIMIT, NULL,
						      "message too large"));
				goto done;
			}
		} else {
			struct strview disp;
			if ((rc = as2_mime_decode(&e, &out->payload, err))) {
				rc = fail_as(out, AS2_FAIL_OTHER, rc);
				goto done;
			}
			snprintf(out->content_type, sizeof(out->content_type),
				 "%s", type);
			if (as2_mime_header(&e, "Content-Disposition", &disp))
				as2_mime_filename(disp, out->filename,
						  sizeof(out->filename));
			if (!out->is_signed) {
				const EVP_MD *md =
					o->mic_md ? o->mic_md : EVP_sha256();
				struct strview over =
					out->is_encrypted || out->is_compressed
						? e.raw
						: buf_view(&out->payload);
				if ((rc = as2_mic(over, md,
						  o->mic_name
							  ? o->mic_name
							  : as2_md_name(md, 0),
						  out->mic, err))) {
					rc = fail_as(out, AS2_FAIL_OTHER, rc);
					goto done;
				}
			}
			if (o->require_signed && !out->is_signed)
				rc = fail_as(out, AS2_FAIL_SECURITY,
					     edi_fail(err, EDI_EDATA, NULL,
						      "the message is not "
						      "signed and the profile "
						      "requires it"));
			else if (o->require_encrypted && !out->is_encrypted)
				rc = fail_as(out, AS2_FAIL_SECURITY,
					     edi_fail(err, EDI_EDATA, NULL,
						      "the message is not "
						      "encrypted and the "
						      "profile requires it"));
			goto done;
		}
		swap(&cur, &next);
	}
	rc = fail_as(out, AS2_FAIL_OTHER,
		     edi_fail(err, EDI_EDATA, NULL,
			      "message nested more than %d layers deep",
			      AS2_MSG_MAX_DEPTH));
done:
	buf_release(&cur);
	buf_release(&next);
	ERR_clear_error();
	return rc;
}

void as2_opened_release(struct as2_opened *o)
{
	buf_release(&o->payload);
}
