/*
 * test_config_rest - the keys of a rest output in edigate.yaml: defaults,
 * every setting, and mistakes reported as file:line:col.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fileio.h"
#include "suites.h"

struct rfx {
	char dir[64];
	char path[128];
	struct config cfg;
	struct edi_diag diag;
	enum edi_code rc;
};

static void load(struct rfx *f, const char *yaml)
{
	struct edi_error err;

	snprintf(f->dir, sizeof(f->dir), "/tmp/edigate-cfgrest-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/edigate.yaml", f->dir);
	ck_assert_int_eq(fileio_write_durable(f->dir, "edigate.yaml", yaml,
					      strlen(yaml), &err),
			 EDI_OK);
	edi_diag_init(&f->diag, 50);
	f->rc = config_load(&f->cfg, f->path, &f->diag);
}

static void done(struct rfx *f)
{
	struct edi_error err;

	config_release(&f->cfg);
	edi_diag_release(&f->diag);
	ck_assert_int_eq(fileio_remove_tree(f->dir, &err), EDI_OK);
}

/* Is there a problem "<file>:<pos>: ...<text>..."? */
static bool has(const struct rfx *f, const char *pos, const char *text)
{
	char want[300];

	snprintf(want, sizeof(want), "%s:%s: ", f->path, pos);
	for (size_t i = 0; i < f->diag.n; i++)
		if (!strncmp(f->diag.items[i].msg, want, strlen(want)) &&
		    strstr(f->diag.items[i].msg, text))
			return true;
	return false;
}

static void dump(const struct rfx *f)
{
	for (size_t i = 0; i < f->diag.n; i++)
		fprintf(stderr, "  %s\n", f->diag.items[i].msg);
}

START_TEST(defaults_for_a_plain_rest_output)
{
	struct rfx f;
	const struct config_rest *r;

	load(&f, "outputs:\n  erp: {kind: rest, url: 'https://erp/x'}\n");
	ck_assert_int_eq(f.rc, EDI_OK);
	r = &f.cfg.outputs[0].rest;
	ck_assert_uint_eq(r->batch_size, 1);
	ck_assert_str_eq(r->correlation_header, "X-Correlation-ID");
	ck_assert_uint_eq(r->retry.attempts, RETRY_DEFAULT_TRIES);
	ck_assert(r->retry.full_jitter);
	ck_assert_uint_eq(r->breaker.failure_threshold,
			  BREAKER_DEFAULT_FAILURES);
	ck_assert_ptr_null(r->ca_file);
	ck_assert_ptr_null(r->bearer_token_env);
	done(&f);
}
END_TEST

START_TEST(every_setting)
{
	struct rfx f;
	const struct config_rest *r;
	char want[200];

	load(&f, "outputs:\n"
		 "  erp:\n"
		 "    kind: rest\n"
		 "    url: https://erp.example/api/orders\n"
		 "    method: PUT\n"
		 "    batch_size: 25\n"
		 "    headers: {X-Tenant: acme, X-Source: edigate}\n"
		 "    correlation_header: X-Request-ID\n"
		 "    auth: {bearer_token_file: secrets/erp.token}\n"
		 "    client_cert: tls/client.pem\n"
		 "    client_key: /etc/edigate/client.key\n"
		 "    ca_file: tls/ca.pem\n"
		 "    connect_timeout: 5\n"
		 "    timeout: 20\n"
		 "    retry: {attempts: 4, base_delay: 2, cap: 60, jitter: "
		 "none}\n"
		 "    breaker: {failure_threshold: 3, open_seconds: 30, "
		 "half_open_trials: 2}\n");
	if (f.rc)
		dump(&f);
	ck_assert_int_eq(f.rc, EDI_OK);
	r = &f.cfg.outputs[0].rest;
	ck_assert_int_eq(f.cfg.outputs[0].method, CONFIG_METHOD_PUT);
	ck_assert_uint_eq(r->batch_size, 25);
	ck_assert_uint_eq(r->nheaders, 2);
	ck_assert_str_eq(r->headers[0].name, "X-Tenant");
	ck_assert_str_eq(r->headers[0].value, "acme");
	ck_assert_str_eq(r->correlation_header, "X-Request-ID");
	snprintf(want, sizeof(want), "%s/secrets/erp.token", f.dir);
	ck_assert_str_eq(r->bearer_token_file, want);
	snprintf(want, sizeof(want), "%s/tls/ca.pem", f.dir);
	ck_assert_str_eq(r->ca_file, want);
	ck_assert_str_eq(r->client_key, "/etc/edigate/client.key");
	ck_assert_uint_eq(r->connect_timeout_s, 5);
	ck_assert_uint_eq(r->timeout_s, 20);
	ck_assert_uint_eq(r->retry.attempts, 4);
	ck_assert_uint_eq(r->retry.base_delay_s, 2);
	ck_assert_uint_eq(r->retry.cap_s, 60);
	ck_assert(!r->retry.full_jitter);
	ck_assert_uint_eq(r->breaker.failure_threshold, 3);
	ck_assert_uint_eq(r->breaker.open_s, 30);
	ck_assert_uint_eq(r->breaker.half_open_trials, 2);
	done(&f);
}
END_TEST

START_TEST(mistakes_are_reported_where_they_are)
{
	struct rfx f;

	load(&f, "outputs:\n"
		 "  erp:\n"
		 "    kind: rest\n"
		 "    url: https://erp/x\n"
		 "    batch_size: 0\n"
		 "    headers: {Authorization: Bearer abc, 'X Bad': 1}\n"
		 "    auth: {bearer_token_env: 9LIVES, basic_user: u}\n"
		 "    insecure: true\n"
		 "    retry: {attempts: many, base_delay: 90, cap: 60, "
		 "jitter: half}\n"
		 "    breaker: {failure_threshold: 0, opens: 3}\n"
		 "    client_key: k.pem\n");
	ck_assert_int_eq(f.rc, EDI_ECONFIG);
	ck_assert(has(&f, "5:17", "batch_size must be between 1 and 1000"));
	ck_assert(has(&f, "6:15",
		      "header 'Authorization' is set by edigate; "
		      "use auth"));
	ck_assert(has(&f, "6:42", "'X Bad' is not a header name"));
	ck_assert(has(&f, "7:30", "must name an environment variable"));
	ck_assert(has(&f, "7:11", "a bearer token or basic_user, not both"));
	ck_assert(has(&f, "7:11", "basic_user needs basic_password_env"));
	ck_assert(has(&f, "8:5", "TLS verification cannot be turned off"));
	ck_assert(has(&f, "9:23", "retry.attempts must be a whole number"));
	ck_assert(has(&f, "9:62", "retry.jitter must be full or none"));
	ck_assert(has(&f, "9:12", "retry.cap (60) must not be smaller"));
	ck_assert(has(&f, "10:34",
		      "breaker.failure_threshold must be between 1"));
	ck_assert(has(&f, "10:37", "unknown key 'opens' in breaker"));
	ck_assert(has(&f, "11:17", "client_key needs client_cert"));
	if (f.diag.n != 13)
		dump(&f);
	ck_assert_uint_eq(f.diag.n, 13);
	done(&f);
}
END_TEST

Suite *config_rest_suite(void)
{
	Suite *s = suite_create("config_rest");
	TCase *tc = tcase_create("keys");

	tcase_add_test(tc, defaults_for_a_plain_rest_output);
	tcase_add_test(tc, every_setting);
	tcase_add_test(tc, mistakes_are_reported_where_they_are);
	suite_add_tcase(s, tc);
	return s;
}
