/*
 * test_profile_sftp - the `sftp:` section of partner profiles: defaults,
 * every value read, paths relative to the profile's folder, and every
 * mistake reported as "file:line:col: what is wrong"; and edigate.yaml's
 * run.pull / run.push.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "config.h"
#include "profile_sftp.h"
#include "suites.h"
#include "yaml_doc.h"

#define FILE_NAME "/etc/edigate/partners/acme.yaml"

struct fx {
	struct arena a;
	struct edi_diag errors;
	struct partner_sftp *s;
};

/* Parse text (a whole profile) and its sftp: section. */
static void parse(struct fx *f, const char *text)
{
	struct ynode *root;
	struct edi_error err;

	arena_init(&f->a, 4096);
	edi_diag_init(&f->errors, 100);
	ck_assert_int_eq(ydoc_parse(&f->a, FILE_NAME,
				    sv_make(text, strlen(text)), &root, NULL,
				    &err),
			 EDI_OK);
	f->s = profile_sftp_parse(&f->a, ynode_get(root, "sftp"), FILE_NAME,
				  &f->errors);
}

static void done(struct fx *f)
{
	profile_sftp_release(f->s);
	edi_diag_release(&f->errors);
	arena_release(&f->a);
}

#define BASE                          \
	"id: acme\n"                  \
	"sftp:\n"                     \
	"  host: sftp.acme.example\n" \
	"  user: edigate\n"           \
	"  key: keys/acme_ed25519\n"  \
	"  known_hosts: /etc/edigate/known\n"

START_TEST(minimal_section_gets_defaults)
{
	struct fx f;

	parse(&f, BASE "  inbound: /outbox\n");
	ck_assert_uint_eq(f.errors.n, 0);
	ck_assert_ptr_nonnull(f.s);
	ck_assert_str_eq(f.s->host, "sftp.acme.example");
	ck_assert_uint_eq(f.s->port, 22);
	ck_assert_str_eq(f.s->key, "/etc/edigate/partners/keys/acme_ed25519");
	ck_assert_str_eq(f.s->known_hosts, "/etc/edigate/known");
	ck_assert_str_eq(f.s->inbound, "/outbox");
	ck_assert_ptr_null(f.s->outbound);
	ck_assert_int_eq(f.s->after_pull, PROFILE_SFTP_DELETE);
	ck_assert_uint_eq(f.s->stable_seconds, PROFILE_SFTP_DEFAULT_STABLE);
	ck_assert_uint_eq(f.s->max_files, PROFILE_SFTP_DEFAULT_MAX_FILES);
	ck_assert_uint_eq(f.s->retries, PROFILE_SFTP_DEFAULT_RETRIES);
	ck_assert_uint_eq(f.s->ninclude, 0);
	done(&f);
}
END_TEST

START_TEST(every_key_read)
{
	struct fx f;

	parse(&f, BASE "  port: 2222\n"
		       "  inbound: out\n"
		       "  outbound: /in\n"
		       "  include: ['\\.x12$', '\\.edi$']\n"
		       "  exclude: '^test'\n"
		       "  after_pull: {move: /out/done}\n"
		       "  done_marker: .ok\n"
		       "  max_files: 7\n"
		       "  connect_timeout: 3\n"
		       "  transfer_timeout: 9\n"
		       "  retries: 0\n"
		       "  retry_backoff: 1\n");
	ck_assert_uint_eq(f.errors.n, 0);
	ck_assert_uint_eq(f.s->port, 2222);
	ck_assert_str_eq(f.s->inbound, "out");
	ck_assert_str_eq(f.s->outbound, "/in");
	ck_assert_uint_eq(f.s->ninclude, 2);
	ck_assert_uint_eq(f.s->nexclude, 1);
	ck_assert_int_eq(f.s->after_pull, PROFILE_SFTP_MOVE);
	ck_assert_str_eq(f.s->archive, "/out/done");
	ck_assert_str_eq(f.s->done_marker, ".ok");
	/* a done marker alone: no stability wait unless asked */
	ck_assert_uint_eq(f.s->stable_seconds, 0);
	ck_assert_uint_eq(f.s->max_files, 7);
	ck_assert_uint_eq(f.s->connect_timeout_s, 3);
	ck_assert_uint_eq(f.s->transfer_timeout_s, 9);
	ck_assert_uint_eq(f.s->retries, 0);
	ck_assert_uint_eq(f.s->retry_backoff_s, 1);
	done(&f);
}
END_TEST

START_TEST(no_section_is_no_sftp)
{
	struct fx f;

	parse(&f, "id: acme\n");
	ck_assert_ptr_null(f.s);
	ck_assert_uint_eq(f.errors.n, 0);
	done(&f);
}
END_TEST

/* One mistake per case: the message with its file:line:col. */
START_TEST(mistakes_are_located)
{
	static const struct {
		const char *text;
		const char *msg;
	} cases[] = {
		{"id: a\nsftp: sftp.acme.example\n",
		 FILE_NAME ":2:7: sftp must be a mapping"},
		{"id: a\nsftp:\n  user: u\n  key: k\n  known_hosts: h\n"
		 "  inbound: /o\n",
		 FILE_NAME ":3:3: sftp needs 'host'"},
		{BASE "  inbound: /o\n  prot: 22\n",
		 FILE_NAME ":8:3: unknown key 'prot' in sftp"},
		{BASE "  inbound: /o\n  port: 70000\n", FILE_NAME
		 ":8:9: sftp.port must be between 1 and 65535, not 70000"},
		{BASE "  inbound: /o\n  port: twenty\n",
		 FILE_NAME ":8:9: sftp.port must be a whole number, not "
			   "'twenty'"},
		{BASE "  inbound: /o\n  include: ['(']\n",
		 FILE_NAME ":8:13: sftp.include: bad pattern '(': missing "
			   "closing parenthesis at 1"},
		{BASE "  inbound: /o\n  after_pull: keep\n",
		 FILE_NAME ":8:15: sftp.after_pull must be delete or {move: "
			   "REMOTE-FOLDER}"},
		{BASE "  inbound: /o\n  done_marker: a/b\n",
		 FILE_NAME ":8:16: sftp.done_marker is a suffix"},
		{BASE, FILE_NAME ":3:3: sftp needs inbound"},
		{BASE "  inbound: [a, b]\n",
		 FILE_NAME ":7:12: sftp.inbound must be a single non-empty "
			   "value"},
		{BASE "  inbound: /o\n  max_files: 0\n",
		 FILE_NAME ":8:14: sftp.max_files must be between 1 and "
			   "100000, not 0"},
		{BASE "  inbound: /o\n  host: 'a b'\n",
		 NULL}, /* duplicate key: the YAML reader decides */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fx f;
		if (!cases[i].msg)
			continue;
		parse(&f, cases[i].text);
		ck_assert_msg(f.s == NULL, "case %zu: parsed", i);
		ck_assert_msg(f.errors.n >= 1, "case %zu: no error", i);
		ck_assert_msg(!strncmp(f.errors.items[0].msg, cases[i].msg,
				       strlen(cases[i].msg)),
			      "case %zu: got '%s', wanted '%s...'", i,
			      f.errors.items[0].msg, cases[i].msg);
		done(&f);
	}
}
END_TEST

START_TEST(bad_host_refused)
{
	struct fx f;

	parse(&f, "id: a\nsftp:\n  host: 'sftp acme'\n  user: u\n  key: k\n"
		  "  known_hosts: h\n  inbound: /o\n");
	ck_assert_ptr_null(f.s);
	ck_assert_str_eq(f.errors.items[0].msg,
			 FILE_NAME ":3:9: sftp.host 'sftp acme' is not a host "
				   "name or address");
	done(&f);
}
END_TEST

/* edigate.yaml's run.pull and run.push (what run does with transports) */
static enum edi_code load_config(const char *text, struct config *cfg,
				 struct edi_diag *d)
{
	char path[] = "/tmp/edigate-cfg-XXXXXX";
	int fd = mkstemp(path);
	enum edi_code rc;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	edi_diag_init(d, 10);
	rc = config_load(cfg, path, d);
	unlink(path);
	return rc;
}

START_TEST(run_pull_push_default_on)
{
	struct config cfg;

	config_defaults(&cfg);
	ck_assert(cfg.run.pull && cfg.run.push);
	config_release(&cfg);
}
END_TEST

START_TEST(run_pull_push_switched_off)
{
	struct config cfg;
	struct edi_diag d;

	ck_assert_int_eq(
		load_config("run: {pull: false, push: no}\n", &cfg, &d),
		EDI_OK);
	ck_assert(!cfg.run.pull && !cfg.run.push);
	config_release(&cfg);
	edi_diag_release(&d);
}
END_TEST

START_TEST(run_pull_bad_value_located)
{
	struct config cfg;
	struct edi_diag d;

	ck_assert_int_eq(load_config("run:\n  pull: sometimes\n", &cfg, &d),
			 EDI_ECONFIG);
	ck_assert_uint_ge(d.n, 1);
	ck_assert_msg(strstr(d.items[0].msg, ":2:9: run.pull must be false "
					     "or true or no or yes or off or "
					     "on, not 'sometimes'"),
		      "%s", d.items[0].msg);
	config_release(&cfg);
	edi_diag_release(&d);
}
END_TEST

Suite *profile_sftp_suite(void)
{
	Suite *s = suite_create("profile_sftp");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, minimal_section_gets_defaults);
	tcase_add_test(tc, every_key_read);
	tcase_add_test(tc, no_section_is_no_sftp);
	tcase_add_test(tc, mistakes_are_located);
	tcase_add_test(tc, bad_host_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("run-config");
	tcase_add_test(tc, run_pull_push_default_on);
	tcase_add_test(tc, run_pull_push_switched_off);
	tcase_add_test(tc, run_pull_bad_value_located);
	suite_add_tcase(s, tc);
	return s;
}
