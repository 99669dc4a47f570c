/*
 * test_profile_as2 - the as2: section of a partner profile: defaults,
 * paths relative to the profile, and every kind of mistake.
 */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "fileio.h"
#include "profile_as2.h"
#include "suites.h"
#include "yaml_doc.h"

static char dir[64];

static void setup(void)
{
	static const char *const files[] = {"their.pem", "ours.pem",
					    "ours.key"};
	snprintf(dir, sizeof(dir), "/tmp/edigate-pas2-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(
			fileio_write_durable(dir, files[i], "x", 1, NULL),
			EDI_OK);
}

static void teardown(void)
{
	fileio_remove_tree(dir, NULL);
}

/* Parse text as a profile's as2: section; errors into d. */
static struct as2_partner *parse(struct arena *a, const char *text,
				 struct edi_diag *d)
{
	char file[128];
	struct ynode *root;
	struct edi_error err;

	snprintf(file, sizeof(file), "%s/acme.yaml", dir);
	ck_assert_int_eq(ydoc_parse(a, file, sv_cstr(text), &root, NULL, &err),
			 EDI_OK);
	return profile_as2_parse(a, ynode_get(root, "as2"), file, d);
}

static bool has_error(const struct edi_diag *d, const char *part)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->items[i].msg, part))
			return true;
	return false;
}

START_TEST(test_profile_defaults_and_paths)
{
	struct arena a;
	struct edi_diag d;
	struct as2_partner *p;
	char want[128];

	arena_init(&a, 4096);
	edi_diag_init(&d, 50);
	p = parse(&a,
		  "as2:\n"
		  "  their_id: ACME AS2\n"
		  "  our_id: US\n"
		  "  url: https://as2.acme.example/as2\n"
		  "  their_certificate: their.pem\n"
		  "  our_certificate: ours.pem\n"
		  "  our_key: ours.key\n",
		  &d);
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p->their_id, "ACME AS2");
	snprintf(want, sizeof(want), "%s/their.pem", dir);
	ck_assert_str_eq(p->their_cert, want);
	ck_assert(p->sign && p->encrypt && p->signed_mdn);
	ck_assert(p->require_signed && p->require_encrypted);
	ck_assert_int_eq(p->mdn, AS2_MDN_SYNC);
	ck_assert_int_eq(p->compress, AS2_COMPRESS_NONE);
	ck_assert_str_eq(p->micalg, "sha-256");
	ck_assert_str_eq(p->cipher, "aes256-cbc");
	ck_assert(!p->base64 && !p->micalg_dashless);
	ck_assert_uint_eq(p->retries, PROFILE_AS2_DEFAULT_RETRIES);
	edi_diag_release(&d);
	arena_release(&a);
}
END_TEST

START_TEST(test_profile_switches)
{
	struct arena a;
	struct edi_diag d;
	struct as2_partner *p;

	arena_init(&a, 4096);
	edi_diag_init(&d, 50);
	p = parse(&a,
		  "as2:\n"
		  "  their_id: A\n"
		  "  our_id: B\n"
		  "  sign: false\n"
		  "  encrypt: no\n"
		  "  require_signed: yes\n"
		  "  their_certificate: their.pem\n"
		  "  compress: after-signing\n"
		  "  micalg: sha1\n"
		  "  micalg_spelling: sha256\n"
		  "  cipher: aes128-cbc\n"
		  "  mdn: async\n"
		  "  mdn_url: http://us.example:4080/as2\n"
		  "  transfer_encoding: base64\n"
		  "  chunked: false\n"
		  "  max_send_rate: 1000\n",
		  &d);
	ck_assert_uint_eq(d.nerrors, 0);
	ck_assert_ptr_nonnull(p);
	ck_assert(!p->sign && !p->encrypt && p->require_signed);
	ck_assert(!p->require_encrypted && !p->signed_mdn);
	ck_assert_int_eq(p->compress, AS2_COMPRESS_AFTER);
	ck_assert_int_eq(p->mdn, AS2_MDN_ASYNC);
	ck_assert(p->base64 && p->micalg_dashless);
	ck_assert_uint_eq(p->max_send_rate, 1000);
	edi_diag_release(&d);
	arena_release(&a);
}
END_TEST

/* One mistake per line: each gives its own message. */
START_TEST(test_profile_mistakes)
{
	static const struct {
		const char *yaml, *error;
	} cases[] = {
		{"as2: [a]\n", "as2 must be a mapping"},
		{"as2: {our_id: B, sign: false, encrypt: false}\n",
		 "as2 needs 'their_id'"},
		{"as2: {their_id: \"a\\\"b\", our_id: B, sign: false, "
		 "encrypt: false}\n",
		 "as2.their_id must be 1 to 128"},
		{"as2: {their_id: A, our_id: B, url: ftp://x}\n",
		 "as2.url must start with http"},
		{"as2: {their_id: A, our_id: B, their_certificate: no.pem}\n",
		 "as2.their_certificate: cannot read"},
		{"as2: {their_id: A, our_id: B}\n", "as2 needs 'our_key'"},
		{"as2: {their_id: A, our_id: B, sign: maybe}\n",
		 "as2.sign must be one of"},
		{"as2: {their_id: A, our_id: B, compress: zip}\n",
		 "as2.compress must be one of none, before-signing, "
		 "after-signing"},
		{"as2: {their_id: A, our_id: B, micalg: md5}\n",
		 "as2.micalg must be"},
		{"as2: {their_id: A, our_id: B, cipher: rc2}\n",
		 "as2.cipher must be"},
		{"as2: {their_id: A, our_id: B, mdn: async}\n",
		 "as2 needs 'mdn_url'"},
		{"as2: {their_id: A, our_id: B, chunked: true}\n",
		 "never chunked"},
		{"as2: {their_id: A, our_id: B, retries: -1}\n",
		 "as2.retries must be a whole number"},
		{"as2: {their_id: A, our_id: B, transfer_encoding: qp}\n",
		 "as2.transfer_encoding must be one of binary, base64"},
		{"as2: {their_id: A, our_id: B, colour: red}\n",
		 "unknown key 'colour' in as2"},
		{"as2: {their_id: A, our_id: B, sign: false, encrypt: false, "
		 "signed_mdn: true}\n",
		 "as2.signed_mdn needs their_certificate"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena a;
		struct edi_diag d;
		struct as2_partner *p;

		arena_init(&a, 4096);
		edi_diag_init(&d, 50);
		p = parse(&a, cases[i].yaml, &d);
		ck_assert_msg(p == NULL, "case %zu parsed", i);
		ck_assert_msg(has_error(&d, cases[i].error),
			      "case %zu: no '%s' (first: %s)", i,
			      cases[i].error, d.n ? d.items[0].msg : "none");
		/* messages carry file:line:col */
		ck_assert_ptr_nonnull(strstr(d.items[0].msg, "acme.yaml:"));
		edi_diag_release(&d);
		arena_release(&a);
	}
}
END_TEST

START_TEST(test_profile_no_section)
{
	struct arena a;
	struct edi_diag d;

	arena_init(&a, 4096);
	edi_diag_init(&d, 50);
	ck_assert_ptr_null(parse(&a, "id: x\n", &d));
	ck_assert_uint_eq(d.nerrors, 0);
	edi_diag_release(&d);
	arena_release(&a);
}
END_TEST

/* The serve: section of edigate.yaml (config.c). */
START_TEST(test_config_serve_section)
{
	static const char good[] = "serve:\n"
				   "  address: 0.0.0.0\n"
				   "  port: 0\n"
				   "  tls_certificate: certs/s.pem\n"
				   "  tls_key: /etc/s.key\n"
				   "  timeout: 30\n";
	static const char bad[] = "serve:\n"
				  "  port: 70000\n"
				  "  tls_key: k.pem\n"
				  "  colour: red\n";
	char path[128], want[160];
	struct config cfg;
	struct edi_diag d;

	snprintf(path, sizeof(path), "%s/edigate.yaml", dir);
	edi_diag_init(&d, 50);
	config_defaults(&cfg);
	ck_assert_str_eq(cfg.serve.address, CONFIG_DEFAULT_SERVE_ADDRESS);
	ck_assert_uint_eq(cfg.serve.port, CONFIG_DEFAULT_SERVE_PORT);
	ck_assert_ptr_null(cfg.serve.tls_certificate);
	config_release(&cfg);
	ck_assert_int_eq(fileio_write_durable(dir, "edigate.yaml", good,
					      sizeof(good) - 1, NULL),
			 EDI_OK);
	ck_assert_int_eq(config_load(&cfg, path, &d), EDI_OK);
	ck_assert_str_eq(cfg.serve.address, "0.0.0.0");
	ck_assert_uint_eq(cfg.serve.port, 0);
	snprintf(want, sizeof(want), "%s/certs/s.pem", dir);
	ck_assert_str_eq(cfg.serve.tls_certificate, want);
	ck_assert_str_eq(cfg.serve.tls_key, "/etc/s.key");
	ck_assert_uint_eq(cfg.serve.timeout_s, 30);
	config_release(&cfg);
	ck_assert_int_eq(fileio_write_durable(dir, "edigate.yaml", bad,
					      sizeof(bad) - 1, NULL),
			 EDI_OK);
	ck_assert_int_eq(config_load(&cfg, path, &d), EDI_ECONFIG);
	ck_assert(has_error(&d, "serve.port"));
	ck_assert(has_error(&d, "serve needs both tls_certificate and "
				"tls_key"));
	ck_assert(has_error(&d, "colour"));
	config_release(&cfg);
	edi_diag_release(&d);
}
END_TEST

Suite *profile_as2_suite(void)
{
	Suite *s = suite_create("profile_as2");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_profile_defaults_and_paths);
	tcase_add_test(tc, test_profile_switches);
	tcase_add_test(tc, test_profile_mistakes);
	tcase_add_test(tc, test_profile_no_section);
	tcase_add_test(tc, test_config_serve_section);
	suite_add_tcase(s, tc);
	return s;
}
