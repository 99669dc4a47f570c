/*
 * test_sftp - the pure parts of the SFTP transport: which remote names a
 * pull takes (sftp_wanted), when a file is stable (sftp_ready), the order
 * of a poll (sftp_sort), and telling an RSA key from an ed25519 or ECDSA
 * one before logging in (sftp_key_type_of).
 */
#include <check.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "buf.h"
#include "sftp_key.h"
#include "sftp_select.h"
#include "suites.h"

static void *re(const char *pattern)
{
	int ecode;
	PCRE2_SIZE eoff;
	pcre2_code *c =
		pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0,
			      &ecode, &eoff, NULL);

	ck_assert_ptr_nonnull(c);
	return c;
}

START_TEST(wanted_without_patterns_takes_all_but_dot_names)
{
	struct sftp_filter f = {NULL, 0, NULL, 0, NULL};

	ck_assert(sftp_wanted(&f, "a.x12"));
	ck_assert(sftp_wanted(&f, "README"));
	ck_assert(!sftp_wanted(&f, ".a.x12.part"));
	ck_assert(!sftp_wanted(&f, ""));
}
END_TEST

START_TEST(wanted_include_and_exclude)
{
	void *inc[2] = {re("\\.x12$"), re("^PO_")};
	void *exc[1] = {re("^test")};
	struct sftp_filter f = {inc, 2, exc, 1, NULL};
	static const struct {
		const char *name;
		bool wanted;
	} cases[] = {
		{"a.x12", true},       {"PO_1.txt", true},
		{"a.X12", false},      {"a.x12.tmp", false},
		{"test-a.x12", false}, {"notes.txt", false},
		{".PO_1.x12", false},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(sftp_wanted(&f, cases[i].name) == cases[i].wanted,
			      "%s", cases[i].name);
	pcre2_code_free(inc[0]);
	pcre2_code_free(inc[1]);
	pcre2_code_free(exc[0]);
}
END_TEST

START_TEST(wanted_never_takes_the_done_marker)
{
	struct sftp_filter f = {NULL, 0, NULL, 0, ".done"};

	ck_assert(sftp_wanted(&f, "a.x12"));
	ck_assert(!sftp_wanted(&f, "a.x12.done"));
	ck_assert(sftp_wanted(&f, "done")); /* only the suffix counts */
}
END_TEST

START_TEST(ready_new_file_waits_then_is_taken)
{
	struct sftp_seen none = {false, 0, 0, 0};
	struct sftp_seen seen = {true, 100, 5000, 1000};

	ck_assert_int_eq(sftp_ready(&none, 100, 5000, 1000, 30, false, false),
			 SFTP_CHANGED);
	ck_assert_int_eq(sftp_ready(&seen, 100, 5000, 1029, 30, false, false),
			 SFTP_WAIT);
	ck_assert_int_eq(sftp_ready(&seen, 100, 5000, 1030, 30, false, false),
			 SFTP_READY);
}
END_TEST

START_TEST(ready_growing_file_starts_over)
{
	struct sftp_seen seen = {true, 100, 5000, 1000};

	/* bigger, or the same size with a new mtime: changed */
	ck_assert_int_eq(sftp_ready(&seen, 200, 5000, 2000, 30, false, false),
			 SFTP_CHANGED);
	ck_assert_int_eq(sftp_ready(&seen, 100, 5001, 2000, 30, false, false),
			 SFTP_CHANGED);
}
END_TEST

START_TEST(ready_without_stability_wait)
{
	struct sftp_seen none = {false, 0, 0, 0};

	ck_assert_int_eq(sftp_ready(&none, 1, 1, 1, 0, false, false),
			 SFTP_READY);
}
END_TEST

START_TEST(ready_done_marker)
{
	struct sftp_seen none = {false, 0, 0, 0};
	struct sftp_seen seen = {true, 10, 10, 100};

	/* no marker: never, remembered as seen */
	ck_assert_int_eq(sftp_ready(&none, 10, 10, 100, 0, true, false),
			 SFTP_CHANGED);
	ck_assert_int_eq(sftp_ready(&seen, 10, 10, 5000, 0, true, false),
			 SFTP_WAIT);
	/* marker and no stability wait: at once, even when first seen */
	ck_assert_int_eq(sftp_ready(&none, 10, 10, 100, 0, true, true),
			 SFTP_READY);
	/* marker and a stability wait: both must hold */
	ck_assert_int_eq(sftp_ready(&seen, 10, 10, 105, 30, true, true),
			 SFTP_WAIT);
	ck_assert_int_eq(sftp_ready(&seen, 10, 10, 130, 30, true, true),
			 SFTP_READY);
}
END_TEST

START_TEST(ready_clock_stepping_back_waits)
{
	struct sftp_seen seen = {true, 10, 10, 1000};

	ck_assert_int_eq(sftp_ready(&seen, 10, 10, 500, 30, false, false),
			 SFTP_WAIT);
}
END_TEST

START_TEST(sort_oldest_first_then_name)
{
	struct sftp_entry e[4];

	memset(e, 0, sizeof(e));
	snprintf(e[0].name, sizeof(e[0].name), "c");
	e[0].mtime = 30;
	snprintf(e[1].name, sizeof(e[1].name), "b");
	e[1].mtime = 10;
	snprintf(e[2].name, sizeof(e[2].name), "a");
	e[2].mtime = 30;
	snprintf(e[3].name, sizeof(e[3].name), "d");
	e[3].mtime = 20;
	sftp_sort(e, 4);
	ck_assert_str_eq(e[0].name, "b");
	ck_assert_str_eq(e[1].name, "d");
	ck_assert_str_eq(e[2].name, "a");
	ck_assert_str_eq(e[3].name, "c");
}
END_TEST

/* --- key types --- */

static void put_string(struct buf *b, const char *s, size_t n)
{
	unsigned char len[4] = {(unsigned char)(n >> 24),
				(unsigned char)(n >> 16),
				(unsigned char)(n >> 8), (unsigned char)n};
	buf_add(b, len, 4);
	buf_add(b, s, n);
}

/* An OpenSSH private key file whose public part names type. */
static void openssh_key_ciphered(const char *type, const char *cipher,
				 struct buf *out)
{
	struct buf raw, pub;
	unsigned char b64[4096];
	int n;

	buf_init(&raw, 1 << 16);
	buf_init(&pub, 1 << 16);
	put_string(&pub, type, strlen(type));
	put_string(&pub, "0123456789abcdef", 16);
	buf_add(&raw, "openssh-key-v1", 15); /* with its NUL */
	put_string(&raw, cipher, strlen(cipher));
	put_string(&raw, "bcrypt", 6);
	put_string(&raw, "salt", 4);
	buf_add(&raw, "\0\0\0\1", 4);
	put_string(&raw, pub.ptr, pub.len);
	put_string(&raw, "encrypted private part", 22);
	n = EVP_EncodeBlock(b64, (const unsigned char *)raw.ptr, (int)raw.len);
	buf_init(out, 1 << 16);
	buf_adds(out, "-----BEGIN OPENSSH PRIVATE KEY-----\n");
	for (int i = 0; i < n; i += 70) {
		buf_add(out, b64 + i, (size_t)(n - i < 70 ? n - i : 70));
		buf_addc(out, '\n');
	}
	buf_adds(out, "-----END OPENSSH PRIVATE KEY-----\n");
	buf_release(&raw);
	buf_release(&pub);
}

static void openssh_key(const char *type, struct buf *out)
{
	openssh_key_ciphered(type, "aes256-ctr", out);
}

START_TEST(key_type_of_openssh_keys)
{
	static const struct {
		const char *type;
		enum sftp_key_type want;
	} cases[] = {
		{"ssh-ed25519", SFTP_KEY_ED25519},
		{"ecdsa-sha2-nistp256", SFTP_KEY_ECDSA},
		{"ssh-rsa", SFTP_KEY_RSA},
		{"ssh-dss", SFTP_KEY_DSA},
		{"sk-ssh-ed25519@openssh.com", SFTP_KEY_UNKNOWN},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct buf key;
		openssh_key(cases[i].type, &key);
		ck_assert_msg(sftp_key_type_of(key.ptr, key.len) ==
				      cases[i].want,
			      "%s", cases[i].type);
		buf_release(&key);
	}
}
END_TEST

START_TEST(key_type_of_pem_headers_and_garbage)
{
	static const char rsa[] = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n"
				  "-----END RSA PRIVATE KEY-----\n";
	static const char ec[] = "-----BEGIN EC PRIVATE KEY-----\nMHc\n"
				 "-----END EC PRIVATE KEY-----\n";
	static const char cut[] = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl";
	static const char junk[] = "not a key at all";

	ck_assert_int_eq(sftp_key_type_of(rsa, sizeof(rsa) - 1), SFTP_KEY_RSA);
	ck_assert_int_eq(sftp_key_type_of(ec, sizeof(ec) - 1), SFTP_KEY_ECDSA);
	ck_assert_int_eq(sftp_key_type_of(cut, sizeof(cut) - 1),
			 SFTP_KEY_UNKNOWN);
	ck_assert_int_eq(sftp_key_type_of(junk, sizeof(junk) - 1),
			 SFTP_KEY_UNKNOWN);
	ck_assert_int_eq(sftp_key_type_of("", 0), SFTP_KEY_UNKNOWN);
}
END_TEST

START_TEST(key_type_of_pkcs8_rsa)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	BIO *bio = BIO_new(BIO_s_mem());
	char *pem;
	long n;

	ck_assert_ptr_nonnull(k);
	ck_assert(PEM_write_bio_PrivateKey(bio, k, NULL, NULL, 0, NULL, NULL));
	n = BIO_get_mem_data(bio, &pem);
	ck_assert_int_eq(sftp_key_type_of(pem, (size_t)n), SFTP_KEY_RSA);
	BIO_free(bio);
	EVP_PKEY_free(k);
}
END_TEST

START_TEST(key_encrypted_or_not)
{
	static const char pem[] = "-----BEGIN RSA PRIVATE KEY-----\n"
				  "Proc-Type: 4,ENCRYPTED\nMIIE\n";
	static const char pkcs8[] = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n";
	struct buf key;

	openssh_key_ciphered("ssh-ed25519", "none", &key);
	ck_assert(!sftp_key_encrypted_in(key.ptr, key.len));
	ck_assert_int_eq(sftp_key_type_of(key.ptr, key.len), SFTP_KEY_ED25519);
	buf_release(&key);
	openssh_key_ciphered("ssh-ed25519", "aes256-ctr", &key);
	ck_assert(sftp_key_encrypted_in(key.ptr, key.len));
	buf_release(&key);
	ck_assert(sftp_key_encrypted_in(pem, sizeof(pem) - 1));
	ck_assert(sftp_key_encrypted_in(pkcs8, sizeof(pkcs8) - 1));
	ck_assert(!sftp_key_encrypted_in("junk", 4));
}
END_TEST

START_TEST(key_readable_by_others_refused)
{
	char path[] = "/tmp/edigate-key-XXXXXX";
	int fd = mkstemp(path);
	enum sftp_key_type t;
	bool enc;
	struct edi_error err;
	struct buf key;

	ck_assert_int_ge(fd, 0);
	openssh_key_ciphered("ssh-ed25519", "none", &key);
	ck_assert_int_eq(write(fd, key.ptr, key.len), (ssize_t)key.len);
	close(fd);
	buf_release(&key);
	ck_assert_int_eq(chmod(path, 0600), 0);
	ck_assert_int_eq(sftp_key_type(path, &t, &enc, &err), EDI_OK);
	ck_assert_int_eq(t, SFTP_KEY_ED25519);
	ck_assert(!enc);
	ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_int_eq(sftp_key_type(path, &t, &enc, &err), EDI_ECONFIG);
	ck_assert_msg(strstr(err.msg, "can be read by others (mode 0644)") &&
			      strstr(err.msg, "chmod 600"),
		      "%s", err.msg);
	unlink(path);
}
END_TEST

START_TEST(key_type_of_missing_file)
{
	enum sftp_key_type t;
	struct edi_error err;

	ck_assert_int_eq(sftp_key_type("/nonexistent/key", &t, NULL, &err),
			 EDI_ECONFIG);
	ck_assert_str_eq(err.msg, "cannot read key '/nonexistent/key': No "
				  "such file or directory");
}
END_TEST

Suite *sftp_suite(void)
{
	Suite *s = suite_create("sftp");
	TCase *tc = tcase_create("select");

	tcase_add_test(tc, wanted_without_patterns_takes_all_but_dot_names);
	tcase_add_test(tc, wanted_include_and_exclude);
	tcase_add_test(tc, wanted_never_takes_the_done_marker);
	tcase_add_test(tc, ready_new_file_waits_then_is_taken);
	tcase_add_test(tc, ready_growing_file_starts_over);
	tcase_add_test(tc, ready_without_stability_wait);
	tcase_add_test(tc, ready_done_marker);
	tcase_add_test(tc, ready_clock_stepping_back_waits);
	tcase_add_test(tc, sort_oldest_first_then_name);
	suite_add_tcase(s, tc);
	tc = tcase_create("key");
	tcase_add_test(tc, key_type_of_openssh_keys);
	tcase_add_test(tc, key_type_of_pem_headers_and_garbage);
	tcase_add_test(tc, key_type_of_pkcs8_rsa);
	tcase_add_test(tc, key_type_of_missing_file);
	tcase_add_test(tc, key_encrypted_or_not);
	tcase_add_test(tc, key_readable_by_others_refused);
	suite_add_tcase(s, tc);
	return s;
}
