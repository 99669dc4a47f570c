/*
 * config_rest - the settings of an output of kind rest in edigate.yaml.
 *
 * config.c parses the url and method of a rest output and hands the
 * mapping to config_rest_load() for the rest: batch_size, headers, auth
 * (a bearer token or a basic password read from an environment variable
 * or a file, a client certificate and key for mutual TLS), ca_file,
 * timeouts, retry and breaker.  Secrets are not read here: the
 * configuration names where they are, deliver_rest reads them when it
 * sends, so a rotated token file takes effect on the next run and no
 * secret sits in struct config.  There is no key that turns TLS
 * verification off.  Every mistake is added to errors as
 * "file:line:col: what is wrong"; strings live in the config's arena.
 */
#ifndef EDI_CONFIG_REST_H
#define EDI_CONFIG_REST_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "breaker.h"
#include "edi_error.h"
#include "rest_push.h"
#include "retry.h"
#include "yaml_doc.h"

#define CONFIG_REST_BATCH_MAX		1000 /* records in one request */
#define CONFIG_REST_HEADERS_MAX		32
#define CONFIG_REST_DEFAULT_CORRELATION "X-Correlation-ID"

struct config_rest {
	unsigned batch_size; /* 1: one record per request, else a JSON array */
	struct rest_header *headers; /* extra headers, in file order */
	size_t nheaders;
	const char *correlation_header;
	/* auth: at most one of bearer and basic */
	const char *bearer_token_env, *bearer_token_file;
	const char *basic_user;
	const char *basic_password_env, *basic_password_file;
	const char *client_cert, *client_key; /* mutual TLS */
	const char *ca_file;		      /* NULL: system CAs */
	unsigned connect_timeout_s, timeout_s;
	struct retry_policy retry;
	struct breaker_policy breaker;
};

void config_rest_defaults(struct config_rest *r);
/*
 * Read the rest keys of the output mapping n (what names it in messages,
 * e.g. "output 'erp'"); base is the config file's folder for relative
 * paths (NULL: as given).
 */
void config_rest_load(struct arena *a, const char *base,
		      struct edi_diag *errors, const struct ynode *n,
		      struct config_rest *r, const char *what);

#endif
