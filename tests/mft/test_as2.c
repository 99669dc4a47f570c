/*
 * test_as2 - the AS2 building blocks: MIME parsing of hostile input,
 * multipart splitting, the MIC, RFC 3274 compressed-data, sign/verify
 * and the failure kinds, message and MDN round trips.
 */
#include <check.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <string.h>

#include "as2_cms.h"
#include "as2_mdn.h"
#include "as2_mime.h"
#include "as2_msg.h"
#include "suites.h"

START_TEST(test_mime_parse_headers_and_body)
{
	static const char raw[] = "Content-Type: multipart/signed;\r\n"
				  "\tboundary=\"b1\"; micalg=sha-256\r\n"
				  "X-Empty:\n"
				  "\r\n"
				  "body\r\nmore";
	struct as2_entity e;
	struct strview v;
	char out[64];

	ck_assert_int_eq(
		as2_mime_parse(sv_make(raw, sizeof(raw) - 1), &e, NULL),
		EDI_OK);
	ck_assert_uint_eq(e.nheaders, 2);
	ck_assert(as2_mime_header(&e, "content-TYPE", &v));
	ck_assert(as2_mime_type(v, out, sizeof(out)));
	ck_assert_str_eq(out, "multipart/signed");
	ck_assert(as2_mime_param(v, "Boundary", out, sizeof(out)));
	ck_assert_str_eq(out, "b1");
	ck_assert(as2_mime_param(v, "micalg", out, sizeof(out)));
	ck_assert_str_eq(out, "sha-256");
	ck_assert(!as2_mime_param(v, "protocol", out, sizeof(out)));
	ck_assert(as2_mime_header(&e, "x-empty", &v));
	ck_assert_uint_eq(v.len, 0);
	ck_assert_uint_eq(e.body.len, 10);
	ck_assert_int_eq(memcmp(e.body.ptr, "body\r\nmore", 10), 0);
}
END_TEST

/* Hostile entities: each fails cleanly with EDI_EDATA. */
START_TEST(test_mime_parse_hostile)
{
	static const char *const bad[] = {
		"",
		"Content-Type: text/plain\r\n",	     /* no blank line */
		"Content-Type text/plain\r\n\r\nx",  /* no colon */
		"Content Type: text/plain\r\n\r\nx", /* space in the name */
		" folded: first\r\n\r\nx",	     /* continuation first */
		": no name\r\n\r\nx",
		"A\x01: ctl\r\n\r\nx",
	};
	struct as2_entity e;
	struct edi_error err;
	struct buf many;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		ck_assert_int_eq(as2_mime_parse(sv_cstr(bad[i]), &e, &err),
				 EDI_EDATA);
		ck_assert(err.msg[0]);
	}
	/* a NUL inside a header name */
	ck_assert_int_eq(
		as2_mime_parse(sv_make("A\0B: x\r\n\r\n", 10), &e, &err),
		EDI_EDATA);
	/* more headers than allowed */
	buf_init(&many, 1u << 20);
	for (int i = 0; i <= AS2_MIME_MAX_HEADERS; i++)
		buf_addf(&many, "X-%d: v\r\n", i);
	buf_adds(&many, "\r\n");
	ck_assert_int_eq(as2_mime_parse(buf_view(&many), &e, &err), EDI_EDATA);
	ck_assert_ptr_nonnull(strstr(err.msg, "more than"));
	/* a header block past the limit */
	buf_reset(&many);
	buf_adds(&many, "X: ");
	for (unsigned i = 0; i < AS2_MIME_MAX_HEADER_BYTES + 10; i++)
		buf_addc(&many, 'a');
	buf_adds(&many, "\r\n\r\n");
	ck_assert_int_eq(as2_mime_parse(buf_view(&many), &e, &err), EDI_EDATA);
	buf_release(&many);
}
END_TEST

START_TEST(test_mime_parts_exact_bytes)
{
	static const char body[] = "preamble\r\n"
				   "--b1\r\n"
				   "Content-Type: a/b\r\n\r\none\r\n\r\n"
				   "--b1\r\n"
				   "two\n"
				   "--b1--\r\nepilogue";
	struct strview parts[4];
	size_t n;

	ck_assert_int_eq(as2_mime_parts(sv_make(body, sizeof(body) - 1), "b1",
					parts, 4, &n, NULL),
			 EDI_OK);
	ck_assert_uint_eq(n, 2);
	/* the CRLF before a boundary belongs to the boundary */
	ck_assert_uint_eq(parts[0].len, 26);
	ck_assert_int_eq(
		memcmp(parts[0].ptr, "Content-Type: a/b\r\n\r\none\r\n", 26),
		0);
	ck_assert_uint_eq(parts[1].len, 3);
	ck_assert_int_eq(memcmp(parts[1].ptr, "two", 3), 0);
}
END_TEST

/* A line starting with a longer boundary is content, not a boundary. */
START_TEST(test_mime_parts_boundary_prefix)
{
	static const char body[] = "--b1\r\n"
				   "x\r\n--b12 is content\r\n"
				   "--b1  \r\n"
				   "y\r\n"
				   "--b1--";
	struct strview parts[4];
	size_t n;

	ck_assert_int_eq(as2_mime_parts(sv_make(body, sizeof(body) - 1), "b1",
					parts, 4, &n, NULL),
			 EDI_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(parts[0].len, 19);
	ck_assert_int_eq(memcmp(parts[0].ptr, "x\r\n--b12 is content", 19), 0);
	ck_assert_uint_eq(parts[1].len, 1);
}
END_TEST

START_TEST(test_mime_parts_hostile)
{
	static const struct {
		const char *body, *boundary;
	} bad[] = {
		{"no boundary at all", "b1"},
		{"--b1\r\npart\r\n", "b1"}, /* no closing boundary */
		{"--b1--\r\n", "b1"},	    /* no parts */
		{"--b1\r\na\r\n--b1\r\nb\r\n--b1\r\nc\r\n--b1--", "b1"},
		{"--\r\n", ""}, /* empty boundary */
		{"--x\r\n",
		 "0123456789012345678901234567890123456789012345678901234567"
		 "890123456789"}, /* too long */
		{"--b1", "b1"},
	};
	struct strview parts[2];
	struct edi_error err;
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(as2_mime_parts(sv_cstr(bad[i].body),
						bad[i].boundary, parts, 2, &n,
						&err),
				 EDI_EDATA);
}
END_TEST

START_TEST(test_mime_param_quoting)
{
	char out[32];
	struct strview v = sv_cstr("multipart/signed; x=\"a;b=c\"; "
				   "boundary=\"q\\\"x\"; name=plain");

	ck_assert(as2_mime_param(v, "boundary", out, sizeof(out)));
	ck_assert_str_eq(out, "q\"x");
	ck_assert(as2_mime_param(v, "name", out, sizeof(out)));
	ck_assert_str_eq(out, "plain");
	ck_assert(!as2_mime_param(v, "b", out, sizeof(out)));
	ck_assert(!as2_mime_param(sv_cstr("a/b; boundary=\"toolong-value\""),
				  "boundary", out, 5));
}
END_TEST

START_TEST(test_mime_filename_is_made_safe)
{
	char out[64];

	ck_assert(as2_mime_filename(
		sv_cstr("attachment; filename=\"../../etc/passwd\""), out,
		sizeof(out)));
	ck_assert_str_eq(out, "passwd");
	ck_assert(as2_mime_filename(sv_cstr("attachment; filename=..\\.x12"),
				    out, sizeof(out)));
	ck_assert_str_eq(out, "x12");
	ck_assert(!as2_mime_filename(sv_cstr("attachment; filename=\"..\""),
				     out, sizeof(out)));
	ck_assert(!as2_mime_filename(sv_cstr("attachment"), out, sizeof(out)));
}
END_TEST

START_TEST(test_base64_round_trip_and_errors)
{
	unsigned char data[300];
	struct buf enc, dec;
	struct edi_error err;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7);
	buf_init(&enc, 1u << 20);
	buf_init(&dec, 1u << 20);
	ck_assert_int_eq(as2_base64_encode(&enc, data, sizeof(data)), EDI_OK);
	ck_assert_ptr_nonnull(strstr(enc.ptr, "\r\n")); /* 76 a line */
	ck_assert_int_eq(as2_base64_decode(buf_view(&enc), &dec, &err), EDI_OK);
	ck_assert_uint_eq(dec.len, sizeof(data));
	ck_assert_int_eq(memcmp(dec.ptr, data, sizeof(data)), 0);
	buf_reset(&dec);
	ck_assert_int_eq(as2_base64_decode(sv_cstr("QU*J"), &dec, &err),
			 EDI_EDATA);
	ck_assert_int_eq(as2_base64_decode(sv_cstr("QQ==QQ"), &dec, &err),
			 EDI_EDATA);
	buf_release(&enc);
	buf_release(&dec);
}
END_TEST

START_TEST(test_mic_values)
{
	char mic[AS2_MIC_MAX];

	ck_assert_int_eq(
		as2_mic(SV_LIT("abc"), EVP_sha256(), "sha-256", mic, NULL),
		EDI_OK);
	ck_assert_str_eq(
		mic, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=, sha-256");
	ck_assert_int_eq(as2_mic(SV_LIT("abc"), EVP_sha1(), "sha1", mic, NULL),
			 EDI_OK);
	ck_assert_str_eq(mic, "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=, sha1");
	ck_assert(as2_mdn_mic_matches("AAA=, sha256", "AAA=, sha-256"));
	ck_assert(as2_mdn_mic_matches("AAA=,SHA-256", "AAA=, sha-256"));
	ck_assert(!as2_mdn_mic_matches("AAB=, sha-256", "AAA=, sha-256"));
	ck_assert(!as2_mdn_mic_matches("AAA=, sha1", "AAA=, sha-256"));
	ck_assert(!as2_mdn_mic_matches("", "AAA=, sha-256"));
	ck_assert_ptr_eq(as2_md_by_name("SHA256"), EVP_sha256());
	ck_assert_ptr_null(as2_md_by_name("sha-999"));
}
END_TEST

START_TEST(test_micalg_options)
{
	const EVP_MD *md = NULL;
	char name[32];

	ck_assert(as2_msg_want_micalg(
		sv_cstr("signed-receipt-protocol=optional, pkcs7-signature; "
			"signed-receipt-micalg=optional, sha256, sha1"),
		&md, name, sizeof(name)));
	ck_assert_ptr_eq(md, EVP_sha256());
	ck_assert_str_eq(name, "sha256");
	ck_assert(as2_msg_want_micalg(
		sv_cstr("signed-receipt-micalg=required, md9, sha-1"), &md,
		name, sizeof(name)));
	ck_assert_str_eq(name, "sha-1");
	ck_assert(!as2_msg_want_micalg(sv_cstr("signed-receipt-protocol=x"),
				       &md, name, sizeof(name)));
}
END_TEST

START_TEST(test_compressed_round_trip)
{
	struct buf data, der, out;
	struct edi_error err;

	buf_init(&data, 4u << 20);
	for (int i = 0; i < 40000; i++)
		buf_addf(&data, "PO1*%d*2*EA*1.50~\n", i);
	for (size_t n = 0; n <= 1; n++) {
		struct strview in = n ? buf_view(&data) : SV_LIT("");
		buf_init(&der, 8u << 20);
		buf_init(&out, 8u << 20);
		ck_assert_int_eq(as2_cms_compress(in, &der, &err), EDI_OK);
		ck_assert_int_eq(as2_cms_type_of(buf_view(&der)),
				 AS2_CMS_COMPRESSED);
		ck_assert_int_eq(as2_cms_decompress(buf_view(&der), &out, &err),
				 EDI_OK);
		ck_assert_uint_eq(out.len, in.len);
		ck_assert(!in.len || !memcmp(out.ptr, in.ptr, in.len));
		buf_release(&der);
		buf_release(&out);
	}
	/* cut short, garbage, and over the limit */
	buf_init(&der, 8u << 20);
	as2_cms_compress(buf_view(&data), &der, &err);
	buf_init(&out, 8u << 20);
	ck_assert_int_eq(
		as2_cms_decompress(sv_make(der.ptr, der.len / 2), &out, &err),
		EDI_EDATA);
	ck_assert_int_eq(
		as2_cms_decompress(SV_LIT("\x30\x03\x02\x01\x00"), &out, &err),
		EDI_EDATA);
	buf_release(&out);
	buf_init(&out, 1000);
	ck_assert_int_eq(as2_cms_decompress(buf_view(&der), &out, &err),
			 EDI_ELIMIT);
	buf_release(&out);
	/* the zlib stream altered: a clean error */
	der.ptr[der.len - 5] ^= 0x55;
	buf_init(&out, 8u << 20);
	ck_assert_int_ne(as2_cms_decompress(buf_view(&der), &out, &err),
			 EDI_OK);
	buf_release(&out);
	buf_release(&der);
	buf_release(&data);
}
END_TEST

/* A throw-away key and self-signed certificate. */
static void make_identity(const char *cn, X509 **cert, EVP_PKEY **key)
{
	X509_NAME *name;

	*key = EVP_RSA_gen(2048);
	ck_assert_ptr_nonnull(*key);
	*cert = X509_new();
	ASN1_INTEGER_set(X509_get_serialNumber(*cert), (long)cn[0]);
	X509_gmtime_adj(X509_getm_notBefore(*cert), 0);
	X509_gmtime_adj(X509_getm_notAfter(*cert), 3600);
	X509_set_pubkey(*cert, *key);
	name = X509_get_subject_name(*cert);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
				   (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(*cert, name);
	ck_assert_int_gt(X509_sign(*cert, *key, EVP_sha256()), 0);
}

START_TEST(test_sign_verify_and_failure_kinds)
{
	X509 *a, *c;
	EVP_PKEY *ka, *kc;
	struct buf der;
	struct edi_error err;
	enum as2_cms_fail why;
	static const char data[] = "Content-Type: text/plain\r\n\r\nx\n";

	make_identity("a", &a, &ka);
	make_identity("c", &c, &kc);
	buf_init(&der, 1u << 20);
	ck_assert_int_eq(
		as2_cms_sign(SV_LIT(data), a, ka, EVP_sha256(), &der, &err),
		EDI_OK);
	ck_assert_int_eq(
		as2_cms_verify(SV_LIT(data), buf_view(&der), a, &why, &err),
		EDI_OK);
	ck_assert_int_eq(why, AS2_FAIL_NONE);
	/* one byte changed: integrity */
	ck_assert_int_eq(as2_cms_verify(SV_LIT("Content-Type: text/plain\r\n"
					       "\r\ny\n"),
					buf_view(&der), a, &why, &err),
			 EDI_EDATA);
	ck_assert_int_eq(why, AS2_FAIL_INTEGRITY);
	/* another partner's certificate: authentication */
	ck_assert_int_eq(
		as2_cms_verify(SV_LIT(data), buf_view(&der), c, &why, &err),
		EDI_EDATA);
	ck_assert_int_eq(why, AS2_FAIL_AUTHENTICATION);
	/* not CMS at all */
	ck_assert_int_eq(
		as2_cms_verify(SV_LIT(data), SV_LIT("junk"), a, &why, &err),
		EDI_EDATA);
	ck_assert_int_eq(why, AS2_FAIL_AUTHENTICATION);
	buf_release(&der);
	X509_free(a);
	X509_free(c);
	EVP_PKEY_free(ka);
	EVP_PKEY_free(kc);
}
END_TEST

START_TEST(test_opaque_signed_data)
{
	static const char data[] = "Content-Type: a/b\r\n\r\nbody\n";
	X509 *a, *c;
	EVP_PKEY *ka, *kc;
	BIO *in;
	CMS_ContentInfo *cms;
	unsigned char *der = NULL;
	int n;
	struct buf content;
	enum as2_cms_fail why;
	struct edi_error err;

	make_identity("a", &a, &ka);
	make_identity("c", &c, &kc);
	in = BIO_new_mem_buf(data, sizeof(data) - 1);
	cms = CMS_sign(a, ka, NULL, in, CMS_BINARY);
	ck_assert_ptr_nonnull(cms);
	n = i2d_CMS_ContentInfo(cms, &der);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(as2_cms_type_of(sv_make((const char *)der, (size_t)n)),
			 AS2_CMS_SIGNED);
	buf_init(&content, 1u << 20);
	ck_assert_int_eq(
		as2_cms_verify_opaque(sv_make((const char *)der, (size_t)n), a,
				      &content, &why, &err),
		EDI_OK);
	ck_assert_uint_eq(content.len, sizeof(data) - 1);
	ck_assert_int_eq(memcmp(content.ptr, data, content.len), 0);
	buf_reset(&content);
	ck_assert_int_eq(
		as2_cms_verify_opaque(sv_make((const char *)der, (size_t)n), c,
				      &content, &why, &err),
		EDI_EDATA);
	ck_assert_int_eq(why, AS2_FAIL_AUTHENTICATION);
	buf_release(&content);
	OPENSSL_free(der);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	X509_free(a);
	X509_free(c);
	EVP_PKEY_free(ka);
	EVP_PKEY_free(kc);
}
END_TEST

/* Identities made once for the round trips (before the tests fork). */
static struct {
	X509 *s_cert, *r_cert;
	EVP_PKEY *s_key, *r_key;
} ids;

static void make_ids(void)
{
	make_identity("s", &ids.s_cert, &ids.s_key);
	make_identity("r", &ids.r_cert, &ids.r_key);
}

static void free_ids(void)
{
	X509_free(ids.s_cert);
	X509_free(ids.r_cert);
	EVP_PKEY_free(ids.s_key);
	EVP_PKEY_free(ids.r_key);
}

/* Every combination of the layers: built by one side, opened by the
 * other, with the same MIC on both. */
START_TEST(test_message_round_trip)
{
	static const char payload[] = "ISA*00*...~\nIEA*1*000000001~\n";
	struct as2_keys sender, receiver;
	int combo = _i;
	struct as2_partner p;
	struct as2_built b;
	struct as2_opened o;
	struct as2_open_opts oo;
	struct strview ct;
	struct as2_entity top;
	struct buf whole;
	struct edi_error err;

	memset(&sender, 0, sizeof(sender));
	memset(&receiver, 0, sizeof(receiver));
	sender.our_cert = receiver.their_cert = ids.s_cert;
	sender.our_key = ids.s_key;
	receiver.our_cert = sender.their_cert = ids.r_cert;
	receiver.our_key = ids.r_key;
	X509_up_ref(ids.s_cert);
	X509_up_ref(ids.s_cert);
	X509_up_ref(ids.r_cert);
	X509_up_ref(ids.r_cert);
	EVP_PKEY_up_ref(ids.s_key);
	EVP_PKEY_up_ref(ids.r_key);
	memset(&p, 0, sizeof(p));
	p.our_id = "S";
	p.their_id = "R";
	p.sign = combo & 1;
	p.encrypt = combo & 2;
	p.compress = (enum as2_compress)((combo >> 2) % 3);
	p.base64 = combo & 16;
	p.micalg = combo & 32 ? "sha1" : "sha-256";
	p.micalg_dashless = combo & 32;
	ck_assert_int_eq(
		as2_msg_build(&p, &sender, SV_LIT(payload), "po.x12", &b, &err),
		EDI_OK);
	/* the HTTP headers and body, as the receiver sees them */
	buf_init(&whole, 1u << 20);
	buf_add(&whole, b.headers.ptr, b.headers.len);
	buf_adds(&whole, "\r\n");
	buf_add(&whole, b.body.ptr, b.body.len);
	ck_assert_int_eq(as2_mime_parse(buf_view(&whole), &top, &err), EDI_OK);
	ck_assert(as2_mime_header(&top, "Content-Type", &ct));
	memset(&oo, 0, sizeof(oo));
	if (!p.sign) {
		oo.mic_md = as2_md_by_name(p.micalg);
		oo.mic_name = as2_md_name(oo.mic_md, p.micalg_dashless);
	}
	oo.require_signed = p.sign;
	oo.require_encrypted = p.encrypt;
	{
		struct strview cte = SV_LIT("");
		as2_mime_header(&top, "Content-Transfer-Encoding", &cte);
		as2_mime_header(&top, "Content-Disposition", &oo.disposition);
		ck_assert_msg(as2_msg_open(ct, cte, top.body, &receiver, &oo,
					   &o, &err) == EDI_OK,
			      "combo %d: %s", combo, err.msg);
	}
	ck_assert_uint_eq(o.payload.len, sizeof(payload) - 1);
	ck_assert_int_eq(memcmp(o.payload.ptr, payload, o.payload.len), 0);
	ck_assert_str_eq(o.filename, "po.x12");
	ck_assert_int_eq(o.is_signed, p.sign);
	ck_assert_int_eq(o.is_encrypted, p.encrypt);
	ck_assert_int_eq(o.is_compressed, p.compress != AS2_COMPRESS_NONE);
	ck_assert(as2_mdn_mic_matches(o.mic, b.mic));
	as2_opened_release(&o);
	buf_release(&whole);
	as2_built_release(&b);
	as2_keys_release(&sender);
	as2_keys_release(&receiver);
}
END_TEST

START_TEST(test_open_requires_what_the_profile_says)
{
	struct as2_keys none;
	struct as2_open_opts oo;
	struct as2_opened o;
	struct edi_error err;

	memset(&none, 0, sizeof(none));
	memset(&oo, 0, sizeof(oo));
	oo.require_signed = true;
	ck_assert_int_eq(as2_msg_open(SV_LIT("application/edi-x12"), SV_LIT(""),
				      SV_LIT("ISA~"), &none, &oo, &o, &err),
			 EDI_EDATA);
	ck_assert_int_eq(o.fail, AS2_FAIL_SECURITY);
	as2_opened_release(&o);
	/* a pkcs7-mime that is not CMS */
	oo.require_signed = false;
	ck_assert_int_eq(as2_msg_open(SV_LIT("application/pkcs7-mime"),
				      SV_LIT("binary"), SV_LIT("junk"), &none,
				      &oo, &o, &err),
			 EDI_EDATA);
	ck_assert_int_eq(o.fail, AS2_FAIL_OTHER);
	as2_opened_release(&o);
	/* multipart/signed with one part only */
	ck_assert_int_eq(as2_msg_open(SV_LIT("multipart/signed; boundary=b"),
				      SV_LIT(""),
				      SV_LIT("--b\r\nA: b\r\n\r\nx\r\n--b--"),
				      &none, &oo, &o, &err),
			 EDI_EDATA);
	ck_assert_int_eq(o.fail, AS2_FAIL_INTEGRITY);
	as2_opened_release(&o);
	/* nested deeper than allowed is refused, not recursed */
	ck_assert_int_eq(as2_msg_open(SV_LIT("multipart/signed"), SV_LIT(""),
				      SV_LIT("x"), &none, &oo, &o, &err),
			 EDI_EDATA);
	as2_opened_release(&o);
}
END_TEST

START_TEST(test_mdn_round_trip)
{
	struct as2_keys k;
	struct as2_mdn_info m;
	struct as2_built b;
	struct as2_mdn got;
	struct as2_entity top;
	struct buf whole;
	struct strview ct;
	struct edi_error err;

	memset(&k, 0, sizeof(k));
	make_identity("m", &k.our_cert, &k.our_key);
	for (int fail = 0; fail <= 1; fail++) {
		memset(&m, 0, sizeof(m));
		m.our_id = "R";
		m.original_message_id = "<1@x>";
		m.mic = "AAA=, sha-256";
		m.failure = fail ? "decryption-failed" : NULL;
		m.text = "hello";
		ck_assert_int_eq(as2_mdn_build(&m, true, &k, EVP_sha256(),
					       "sha-256", &b, &err),
				 EDI_OK);
		buf_init(&whole, 1u << 20);
		buf_add(&whole, b.headers.ptr, b.headers.len);
		buf_adds(&whole, "\r\n");
		buf_add(&whole, b.body.ptr, b.body.len);
		ck_assert_int_eq(as2_mime_parse(buf_view(&whole), &top, &err),
				 EDI_OK);
		ck_assert(as2_mime_header(&top, "Content-Type", &ct));
		ck_assert_int_eq(as2_mdn_parse(ct, top.body, k.our_cert, true,
					       &got, &err),
				 EDI_OK);
		ck_assert(got.is_signed);
		ck_assert_int_eq(got.ok, !fail);
		ck_assert_str_eq(got.original_message_id, "<1@x>");
		if (!fail)
			ck_assert_str_eq(got.mic, "AAA=, sha-256");
		else
			ck_assert_ptr_nonnull(
				strstr(got.disposition, "decryption-failed"));
		/* the report changed after signing */
		whole.ptr[whole.len - 60] ^= 1;
		ck_assert_int_eq(as2_mime_parse(buf_view(&whole), &top, &err),
				 EDI_OK);
		ck_assert_int_ne(as2_mdn_parse(ct, top.body, k.our_cert, true,
					       &got, &err),
				 EDI_OK);
		buf_release(&whole);
		as2_built_release(&b);
	}
	/* unsigned when a signature was asked for */
	ck_assert_int_eq(as2_mdn_build(&m, false, &k, NULL, NULL, &b, &err),
			 EDI_OK);
	ck_assert_int_eq(as2_mdn_parse(SV_LIT("multipart/report; boundary=x"),
				       SV_LIT("--x\r\n\r\n--x--"), NULL, true,
				       &got, &err),
			 EDI_EDATA);
	as2_built_release(&b);
	as2_keys_release(&k);
}
END_TEST

Suite *as2_suite(void)
{
	Suite *s = suite_create("as2");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_mime_parse_headers_and_body);
	tcase_add_test(tc, test_mime_parse_hostile);
	tcase_add_test(tc, test_mime_parts_exact_bytes);
	tcase_add_test(tc, test_mime_parts_hostile);
	tcase_add_test(tc, test_mime_parts_boundary_prefix);
	tcase_add_test(tc, test_mime_param_quoting);
	tcase_add_test(tc, test_mime_filename_is_made_safe);
	tcase_add_test(tc, test_base64_round_trip_and_errors);
	tcase_add_test(tc, test_mic_values);
	tcase_add_test(tc, test_micalg_options);
	tcase_add_test(tc, test_compressed_round_trip);
	tcase_add_test(tc, test_sign_verify_and_failure_kinds);
	tcase_add_test(tc, test_opaque_signed_data);
	tcase_add_unchecked_fixture(tc, make_ids, free_ids);
	tcase_add_loop_test(tc, test_message_round_trip, 0, 64);
	tcase_add_test(tc, test_open_requires_what_the_profile_says);
	tcase_add_test(tc, test_mdn_round_trip);
	suite_add_tcase(s, tc);
	return s;
}
