/*
 * as2_mdn - AS2 receipts: build and read; see as2_mdn.h.
 */
#include "as2_mdn.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "as2_mime.h"

#define MDN_MAX (4u << 20)

enum edi_code as2_mdn_build(const struct as2_mdn_info *m, bool sign,
			    const struct as2_keys *k, const EVP_MD *md,
			    const char *micalg_name, struct as2_built *out,
			    struct edi_error *err)
{
	struct buf report, signed_;
	enum edi_code rc;
	char b[33];

	buf_init(&out->headers, 64u << 10);
	buf_init(&out->body, MDN_MAX);
	buf_init(&report, MDN_MAX);
	buf_init(&signed_, MDN_MAX);
	as2_mime_random(b);
	buf_addf(&report,
		 "Content-Type: multipart/report; "
		 "report-type=disposition-notification; "
		 "boundary=\"----=_mdn_%s\"\r\n\r\n"
		 "------=_mdn_%s\r\n"
		 "Content-Type: text/plain\r\n"
		 "Content-Transfer-Encoding: 7bit\r\n\r\n"
		 "%s\r\n"
		 "------=_mdn_%s\r\n"
		 "Content-Type: message/disposition-notification\r\n"
		 "Content-Transfer-Encoding: 7bit\r\n\r\n"
		 "Reporting-UA: edigate\r\n"
		 "Original-Recipient: rfc822; %s\r\n"
		 "Final-Recipient: rfc822; %s\r\n"
		 "Original-Message-ID: %s\r\n",
		 b, b, m->text, b, m->our_id, m->our_id,
		 m->original_message_id);
	if (m->mic && m->mic[0])
		buf_addf(&report, "Received-Content-MIC: %s\r\n", m->mic);
	if (m->failure)
		buf_addf(&report,
			 "Disposition: automatic-action/"
			 "MDN-sent-automatically; processed/error: %s\r\n",
			 m->failure);
	else
		buf_adds(&report, "Disposition: automatic-action/"
				  "MDN-sent-automatically; processed\r\n");
	rc = buf_addf(&report, "\r\n------=_mdn_%s--\r\n", b);
	if (rc) {
		rc = edi_fail(err, EDI_ELIMIT, NULL, "mdn too large");
		goto out;
	}
	if (sign) {
		if (!k->our_cert || !k->our_key) {
			rc = edi_fail(err, EDI_ECONFIG, NULL,
				      "a signed mdn needs our certificate and "
				      "key");
			goto out;
		}
		if ((rc = as2_msg_sign_entity(buf_view(&report), k, md,
					      micalg_name, &signed_, err)))
			goto out;
		rc = as2_built_from_entity(buf_view(&signed_), out, err);
	} else {
		rc = as2_built_from_entity(buf_view(&report), out, err);
	}
out:
	buf_release(&report);
	buf_release(&signed_);
	return rc;
}

static void field(const struct as2_entity *e, const char *name, char *out,
		  size_t size)
{
	struct strview v;

	out[0] = '\0';
	if (as2_mime_header(e, name, &v)) {
		while (v.len &&
		       (v.ptr[v.len - 1] == ' ' || v.ptr[v.len - 1] == '\t'))
			v.len--;
		sv_to_cbuf(v, out, size);
	}
}

static bool disposition_ok(const char *d)
{
	const char *semi = strchr(d, ';');

	if (!semi)
		return false;
	semi++;
	while (*semi == ' ' || *semi == '\t')
		semi++;
	if (!strncasecmp(semi, "processed/warning", 17))
		return true;
	if (strncasecmp(semi, "processed", 9))
		return false;
	semi += 9;
	while (*semi == ' ' || *semi == '\t' || *semi == '\r' || *semi == '\n')
		semi++;
	return *semi == '\0';
}

enum edi_code as2_mdn_parse(struct strview content_type, struct strview body,
			    X509 *their_cert, bool require_signed,
			    struct as2_mdn *out, struct edi_error *err)
{
	struct buf cur, fields;
	struct as2_entity e;
	struct strview ctv, parts[8];
	char type[AS2_CT_MAX], boundary[AS2_MIME_BOUNDARY_MAX + 1];
	size_t nparts;
	enum edi_code rc;
	bool found = false;

	memset(out, 0, sizeof(*out));
	buf_init(&cur, MDN_MAX);
	buf_init(&fields, 1u << 16);
	buf_addf(&cur, "Content-Type: %.*s\r\n\r\n", (int)content_type.len,
		 content_type.ptr);
	if (buf_add(&cur, body.ptr, body.len)) {
		rc = edi_fail(err, EDI_ELIMIT, NULL, "mdn larger than %u bytes",
			      MDN_MAX);
		goto out;
	}
	if ((rc = as2_mime_parse(buf_view(&cur), &e, err)))
		goto out;
	if (!as2_mime_header(&e, "Content-Type", &ctv) ||
	    !as2_mime_type(ctv, type, sizeof(type))) {
		rc = edi_fail(err, EDI_EDATA, NULL, "mdn has no content-type");
		goto out;
	}
	if (!strcmp(type, "multipart/signed")) {
		struct as2_entity sig;
		struct buf der, inner;
		enum as2_cms_fail why;

		if (!as2_mime_param(ctv, "boundary", boundary,
				    sizeof(boundary))) {
			rc = edi_fail(err, EDI_EDATA, NULL,
				      "signed mdn has no boundary");
			goto out;
		}
		if ((rc = as2_mime_parts(e.body, boundary, parts, 8, &nparts,
					 err)))
			goto out;
		if (nparts != 2) {
			rc = edi_fail(err, EDI_EDATA, NULL,
				      "signed mdn has %zu parts, not 2",
				      nparts);
			goto out;
		}
		if (their_cert) {
			if ((rc = as2_mime_parse(parts[1], &sig, err)))
				goto out;
			buf_init(&der, 1u << 20);
			rc = as2_mime_decode(&sig, &der, err);
			if (!rc)
				rc = as2_cms_verify(parts[0], buf_view(&der),
						    their_cert, &why, err);
			buf_release(&der);
			if (rc) {
				char why_msg[EDI_MSG_MAX];
				snprintf(why_msg, sizeof(why_msg), "%s",
					 err ? err->msg : "");
				rc = edi_fail(err, EDI_EDATA, NULL,
					      "mdn signature: %s", why_msg);
				goto out;
			}
			out->is_signed = true;
		}
		buf_init(&inner, MDN_MAX);
		buf_add(&inner, parts[0].ptr, parts[0].len);
		buf_release(&cur);
		cur = inner;
		if ((rc = as2_mime_parse(buf_view(&cur), &e, err)))
			goto out;
		if (!as2_mime_header(&e, "Content-Type", &ctv) ||
		    !as2_mime_type(ctv, type, sizeof(type))) {
			rc = edi_fail(err, EDI_EDATA, NULL,
				      "signed mdn has no content-type");
			goto out;
		}
	}
	if (require_signed && !out->is_signed) {
		rc = edi_fail(err, EDI_EDATA, NULL,
			      "the mdn is not signed and a signed mdn was "
			      "asked for");
		goto out;
	}
	if (strcmp(type, "multipart/report") ||
	    !as2_mime_param(ctv, "boundary", boundary, sizeof(boundary))) {
		rc = edi_fail(err, EDI_EDATA, NULL,
			      "mdn is '%s', not multipart/report", type);
		goto out;
	}
	if ((rc = as2_mime_parts(e.body, boundary, parts, 8, &nparts, err)))
		goto out;
	for (size_t i = 0; i < nparts && !found; i++) {
		struct as2_entity p, f;
		struct strview pct;
		char ptype[AS2_CT_MAX];

		if (as2_mime_parse(parts[i], &p, NULL) ||
		    !as2_mime_header(&p, "Content-Type", &pct) ||
		    !as2_mime_type(pct, ptype, sizeof(ptype)) ||
		    strcmp(ptype, "message/disposition-notification"))
			continue;
		buf_reset(&fields);
		buf_add(&fields, p.body.ptr, p.body.len);
		if (buf_adds(&fields, "\r\n\r\n") ||
		    (rc = as2_mime_parse(buf_view(&fields), &f, err)))
			goto out;
		field(&f, "Original-Message-ID", out->original_message_id,
		      sizeof(out->original_message_id));
		field(&f, "Received-Content-MIC", out->mic, sizeof(out->mic));
		field(&f, "Disposition", out->disposition,
		      sizeof(out->disposition));
		found = true;
	}
	if (!found || !out->disposition[0]) {
		rc = edi_fail(err, EDI_EDATA, NULL,
			      "mdn has no disposition notification");
		goto out;
	}
	out->ok = disposition_ok(out->disposition);
out:
	buf_release(&cur);
	buf_release(&fields);
	return rc;
}

/* "digest, alg" split; alg compared without dashes. */
bool as2_mdn_mic_matches(const char *got, const char *want)
{
	const char *gc = strchr(got, ','), *wc = strchr(want, ',');
	char ga[32], wa[32];
	size_t n = 0;

	if (!gc || !wc || gc - got != wc - want ||
	    memcmp(got, want, (size_t)(gc - got)))
		return false;
	for (gc++; *gc && n + 1 < sizeof(ga); gc++)
		if (*gc != ' ' && *gc != '-')
			ga[n++] = (char)(*gc | 0x20);
	ga[n] = '\0';
	n = 0;
	for (wc++; *wc && n + 1 < sizeof(wa); wc++)
		if (*wc != ' ' && *wc != '-')
			wa[n++] = (char)(*wc | 0x20);
	wa[n] = '\0';
	return !strcmp(ga, wa);
}
