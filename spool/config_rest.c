/*
 * config_rest - the rest output keys of edigate.yaml; see config_rest.h.
 *
 * The small helpers repeat config.c's on purpose: config.c keeps its
 * loader private, and these need only the node, the arena and the list
 * of errors.
 */
#include "config_rest.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fileio.h"

struct rl {
	struct arena *a;
	const char *base;
	struct edi_diag *errors;
	const char *what;
};

static void problem(struct rl *l, const struct ynode *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void problem(struct rl *l, const struct ynode *at, const char *fmt, ...)
{
	char msg[EDI_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	edi_diag_addf(l->errors, EDI_ECONFIG, NULL, "%s:%u:%u: %s: %s",
		      at->file, at->line, at->col, l->what, msg);
}

void config_rest_defaults(struct config_rest *r)
{
	memset(r, 0, sizeof(*r));
	r->batch_size = 1;
	r->correlation_header = CONFIG_REST_DEFAULT_CORRELATION;
	r->connect_timeout_s = REST_DEFAULT_CONNECT;
	r->timeout_s = REST_DEFAULT_TIMEOUT;
	retry_policy_default(&r->retry);
	breaker_policy_default(&r->breaker);
}

/* A mapping whose keys are all in known; false when it is not one. */
static bool mapping(struct rl *l, const struct ynode *n, const char *key,
		    const char *const *known)
{
	if (n->kind != YNODE_MAP) {
		problem(l, n, "%s must be a mapping, not a %s", key,
			ynode_kind_name(n->kind));
		return false;
	}
	for (size_t i = 0; known && i < n->n; i += 2) {
		bool found = false;
		for (size_t k = 0; known[k] && !found; k++)
			found = !strcmp(n->items[i]->value, known[k]);
		if (!found)
			problem(l, n->items[i], "unknown key '%s' in %s",
				n->items[i]->value, key);
	}
	return true;
}

static const char *text(struct rl *l, const struct ynode *v, const char *key)
{
	if (v->kind != YNODE_SCALAR) {
		problem(l, v, "%s must be a single value, not a %s", key,
			ynode_kind_name(v->kind));
		return NULL;
	}
	if (ynode_is_null(v) || !v->len) {
		problem(l, v, "%s needs a value", key);
		return NULL;
	}
	return v->value;
}

static bool number(struct rl *l, const struct ynode *v, const char *key,
		   unsigned min, unsigned max, unsigned *out)
{
	const char *s = text(l, v, key);
	uint64_t n = 0;
	size_t i;

	if (!s)
		return false;
	for (i = 0; s[i] >= '0' && s[i] <= '9' && n <= UINT32_MAX; i++)
		n = n * 10 + (uint64_t)(s[i] - '0');
	if (v->quoted || s[i] || i == 0) {
		problem(l, v, "%s must be a whole number, not '%s'", key, s);
		return false;
	}
	if (n < min || n > max) {
		problem(l, v, "%s must be between %u and %u, not %s", key, min,
			max, s);
		return false;
	}
	*out = (unsigned)n;
	return true;
}

/* map.key when present; prefix names map in messages ("retry"). */
static void get_number(struct rl *l, const struct ynode *map,
		       const char *prefix, const char *key, unsigned min,
		       unsigned max, unsigned *out)
{
	const struct ynode *v = ynode_get(map, key);
	char what[64];

	snprintf(what, sizeof(what), "%s%s%s", prefix ? prefix : "",
		 prefix ? "." : "", key);
	if (v)
		number(l, v, what, min, max, out);
}

static const char *path_of(struct rl *l, const struct ynode *v, const char *key)
{
	const char *s = text(l, v, key);

	if (!s)
		return NULL;
	if (strlen(s) >= FILEIO_PATH_MAX - 64) {
		problem(l, v, "%s is too long a path", key);
		return NULL;
	}
	if (s[0] == '/' || !l->base)
		return arena_strdup(l->a, s);
	return arena_printf(l->a, "%s/%s", l->base, s);
}

static bool env_name_ok(const char *s)
{
	if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
	      *s == '_'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static const char *env_of(struct rl *l, const struct ynode *v, const char *key)
{
	const char *s = text(l, v, key);

	if (s && !env_name_ok(s)) {
		problem(l, v,
			"%s must name an environment variable "
			"([A-Za-z_][A-Za-z0-9_]*), not '%s'",
			key, s);
		return NULL;
	}
	return s ? arena_strdup(l->a, s) : NULL;
}

/* An RFC 9110 token. */
static bool header_name_ok(const char *s)
{
	if (!*s || strlen(s) > 128)
		return false;
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= '0' && *s <= '9') ||
		      strchr("!#$%&'*+-.^_`|~", *s)))
			return false;
	return true;
}

static bool header_value_ok(const char *s)
{
	if (strlen(s) > 1024)
		return false;
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return false;
	return true;
}

static void load_headers(struct rl *l, const struct ynode *n,
			 struct config_rest *r)
{
	/* set by edigate itself; Authorization only through auth, so a
	 * secret never sits in the file */
	static const char *const reserved[] = {
		"Content-Type",	 "Content-Length", "Idempotency-Key",
		"Authorization", "Host",	   "Transfer-Encoding",
		"Expect",	 "Connection",	   NULL};

	if (!mapping(l, n, "headers", NULL))
		return;
	if (n->n / 2 > CONFIG_REST_HEADERS_MAX) {
		problem(l, n, "headers: more than %d headers",
			CONFIG_REST_HEADERS_MAX);
		return;
	}
	r->headers = arena_array(l->a, n->n / 2 + 1, sizeof(*r->headers));
	for (size_t i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->items[i], *v = n->items[i + 1];
		const char *value;
		bool bad = false;

		if (!header_name_ok(k->value)) {
			problem(l, k, "'%s' is not a header name", k->value);
			continue;
		}
		for (size_t j = 0; reserved[j]; j++)
			bad |= !strcasecmp(k->value, reserved[j]);
		if (bad || !strcasecmp(k->value, r->correlation_header)) {
			problem(l, k, "header '%s' is set by edigate%s",
				k->value,
				!strcasecmp(k->value, "Authorization")
					? "; use auth (bearer_token_env or "
					  "_file, basic_user) instead"
					: "");
			continue;
		}
		value = text(l, v, "a header value");
		if (!value)
			continue;
		if (!header_value_ok(value)) {
			problem(l, v,
				"header '%s' has a control character or is "
				"longer than 1024 bytes",
				k->value);
			continue;
		}
		r->headers[r->nheaders].name = arena_strdup(l->a, k->value);
		r->headers[r->nheaders].value = arena_strdup(l->a, value);
		r->nheaders++;
	}
}

static void load_auth(struct rl *l, const struct ynode *n,
		      struct config_rest *r)
{
	static const char *const keys[] = {
		"bearer_token_env",   "bearer_token_file",   "basic_user",
		"basic_password_env", "basic_password_file", NULL};
	const struct ynode *v;

	if (!mapping(l, n, "auth", keys))
		return;
	if ((v = ynode_get(n, "bearer_token_env")))
		r->bearer_token_env = env_of(l, v, "auth.bearer_token_env");
	if ((v = ynode_get(n, "bearer_token_file")))
		r->bearer_token_file = path_of(l, v, "auth.bearer_token_file");
	if ((v = ynode_get(n, "basic_user")) && text(l, v, "auth.basic_user")) {
		if (strchr(v->value, ':'))
			problem(l, v, "auth.basic_user must not contain ':'");
		else
			r->basic_user = arena_strdup(l->a, v->value);
	}
	if ((v = ynode_get(n, "basic_password_env")))
		r->basic_password_env = env_of(l, v, "auth.basic_password_env");
	if ((v = ynode_get(n, "basic_password_file")))
		r->basic_password_file =
			path_of(l, v, "auth.basic_password_file");
	if (ynode_get(n, "bearer_token_env") &&
	    ynode_get(n, "bearer_token_file"))
		problem(l, n,
			"auth: give bearer_token_env or bearer_token_file, "
			"not both");
	if (ynode_get(n, "basic_password_env") &&
	    ynode_get(n, "basic_password_file"))
		problem(l, n,
			"auth: give basic_password_env or "
			"basic_password_file, not both");
	if ((ynode_get(n, "bearer_token_env") ||
	     ynode_get(n, "bearer_token_file")) &&
	    ynode_get(n, "basic_user"))
		problem(l, n, "auth: a bearer token or basic_user, not both");
	if (ynode_get(n, "basic_user") && !ynode_get(n, "basic_password_env") &&
	    !ynode_get(n, "basic_password_file"))
		problem(l, n,
			"auth: basic_user needs basic_password_env or "
			"basic_password_file");
	if (!ynode_get(n, "basic_user") &&
	    (ynode_get(n, "basic_password_env") ||
	     ynode_get(n, "basic_password_file")))
		problem(l, n, "auth: a basic password needs basic_user");
}

static void load_retry(struct rl *l, const struct ynode *n,
		       struct config_rest *r)
{
	static const char *const keys[] = {"attempts", "base_delay", "cap",
					   "jitter", NULL};
	const struct ynode *v;

	if (!mapping(l, n, "retry", keys))
		return;
	get_number(l, n, "retry", "attempts", 1, 1000, &r->retry.attempts);
	get_number(l, n, "retry", "base_delay", 0, 86400,
		   &r->retry.base_delay_s);
	get_number(l, n, "retry", "cap", 0, 7 * 86400, &r->retry.cap_s);
	if ((v = ynode_get(n, "jitter")) && text(l, v, "retry.jitter")) {
		if (!strcmp(v->value, "full"))
			r->retry.full_jitter = true;
		else if (!strcmp(v->value, "none"))
			r->retry.full_jitter = false;
		else
			problem(l, v,
				"retry.jitter must be full or none, not '%s'",
				v->value);
	}
	if (r->retry.cap_s < r->retry.base_delay_s)
		problem(l, n,
			"retry.cap (%u) must not be smaller than "
			"retry.base_delay (%u)",
			r->retry.cap_s, r->retry.base_delay_s);
}

static void load_breaker(struct rl *l, const struct ynode *n,
			 struct config_rest *r)
{
	static const char *const keys[] = {"failure_threshold", "open_seconds",
					   "half_open_trials", NULL};

	if (!mapping(l, n, "breaker", keys))
		return;
	get_number(l, n, "breaker", "failure_threshold", 1, 1000,
		   &r->breaker.failure_threshold);
	get_number(l, n, "breaker", "open_seconds", 1, 86400,
		   &r->breaker.open_s);
	get_number(l, n, "breaker", "half_open_trials", 1, 100,
		   &r->breaker.half_open_trials);
}

void config_rest_load(struct arena *a, const char *base,
		      struct edi_diag *errors, const struct ynode *n,
		      struct config_rest *r, const char *what)
{
	static const char *const keys[] = {"kind",
					   "url",
					   "method",
					   "batch_size",
					   "headers",
					   "auth",
					   "correlation_header",
					   "client_cert",
					   "client_key",
					   "ca_file",
					   "connect_timeout",
					   "timeout",
					   "retry",
					   "breaker",
					   NULL};
	struct rl l = {a, base, errors, what};
	const struct ynode *v;

	config_rest_defaults(r);
	if (n->kind != YNODE_MAP)
		return;
	for (size_t i = 0; i < n->n; i += 2) {
		const struct ynode *k = n->items[i];
		bool found = false;
		for (size_t j = 0; keys[j] && !found; j++)
			found = !strcmp(k->value, keys[j]);
		if (found)
			continue;
		if (strstr(k->value, "verify") || strstr(k->value, "insecure"))
			problem(&l, k,
				"unknown key '%s': TLS verification cannot be "
				"turned off; give the server's CA in ca_file",
				k->value);
		else
			edi_diag_addf(
				errors, EDI_ECONFIG, NULL,
				"%s:%u:%u: unknown key '%s' in %s (known: "
				"kind, url, method and the keys listed "
				"in docs/configuration.md, REST outputs)",
				k->file, k->line, k->col, k->value, what);
	}
	get_number(&l, n, NULL, "batch_size", 1, CONFIG_REST_BATCH_MAX,
		   &r->batch_size);
	get_number(&l, n, NULL, "connect_timeout", 1, 600,
		   &r->connect_timeout_s);
	get_number(&l, n, NULL, "timeout", 1, 3600, &r->timeout_s);
	if ((v = ynode_get(n, "correlation_header")) &&
	    text(&l, v, "correlation_header")) {
		if (!header_name_ok(v->value))
			problem(&l, v, "'%s' is not a header name", v->value);
		else
			r->correlation_header = arena_strdup(a, v->value);
	}
	if ((v = ynode_get(n, "headers")))
		load_headers(&l, v, r);
	if ((v = ynode_get(n, "auth")))
		load_auth(&l, v, r);
	if ((v = ynode_get(n, "client_cert")))
		r->client_cert = path_of(&l, v, "client_cert");
	if ((v = ynode_get(n, "client_key")))
		r->client_key = path_of(&l, v, "client_key");
	if ((v = ynode_get(n, "ca_file")))
		r->ca_file = path_of(&l, v, "ca_file");
	if (ynode_get(n, "client_key") && !ynode_get(n, "client_cert"))
		problem(&l, ynode_get(n, "client_key"),
			"client_key needs client_cert");
	if ((v = ynode_get(n, "retry")))
		load_retry(&l, v, r);
	if ((v = ynode_get(n, "breaker")))
		load_breaker(&l, v, r);
}
