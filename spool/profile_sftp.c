/*
 * profile_sftp - parsing a profile's `sftp:` section; see profile_sftp.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "profile_sftp.h"
#include "profile_parse.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

static unsigned number(struct profile_parse *ps, const struct ynode *sec,
		       const char *key, unsigned min, unsigned max,
		       unsigned dflt)
{
	const struct ynode *v = ynode_get(sec, key);
	unsigned long long n = 0;
	size_t i;

	if (!v)
		return dflt;
	if (v->kind != YNODE_SCALAR || !v->len) {
		profile_problem(ps, v, "sftp.%s must be a whole number", key);
		return dflt;
	}
	for (i = 0; i < v->len && v->value[i] >= '0' && v->value[i] <= '9' &&
		    n <= UINT32_MAX;
	     i++)
		n = n * 10 + (unsigned)(v->value[i] - '0');
	if (i != v->len) {
		profile_problem(ps, v,
				"sftp.%s must be a whole number, not '%s'", key,
				v->value);
		return dflt;
	}
	if (n < min || n > max) {
		profile_problem(ps, v,
				"sftp.%s must be between %u and %u, not %s",
				key, min, max, v->value);
		return dflt;
	}
	return (unsigned)n;
}

/* A local file named in the profile: relative to the profile's folder. */
static const char *local_path(struct profile_parse *ps, const char *path)
{
	const char *slash = strrchr(ps->file, '/');

	if (!path || path[0] == '/' || !slash)
		return path;
	return arena_printf(ps->a, "%.*s/%s", (int)(slash - ps->file), ps->file,
			    path);
}

static void patterns(struct profile_parse *ps, const struct ynode *sec,
		     const char *key, void ***out, size_t *n)
{
	const struct ynode *v = ynode_get(sec, key);
	const struct ynode *const *items;
	size_t count;

	*out = NULL;
	*n = 0;
	if (!v || ynode_is_null(v))
		return;
	if (v->kind == YNODE_SCALAR) {
		items = (const struct ynode *const *)&v;
		count = 1;
	} else if (v->kind == YNODE_SEQ) {
		items = (const struct ynode *const *)v->items;
		count = v->n;
	} else {
		profile_problem(ps, v,
				"sftp.%s must be a pattern or a list of them",
				key);
		return;
	}
	if (count > PROFILE_SFTP_MAX_PATTERNS) {
		profile_problem(ps, v, "sftp.%s has more than %d patterns", key,
				PROFILE_SFTP_MAX_PATTERNS);
		return;
	}
	*out = arena_array(ps->a, count ? count : 1, sizeof(void *));
	for (size_t i = 0; i < count; i++) {
		const struct ynode *it = items[i];
		PCRE2_SIZE eoff;
		int ecode;
		pcre2_code *re;

		if (it->kind != YNODE_SCALAR) {
			profile_problem(ps, it,
					"sftp.%s: a pattern is one value", key);
			continue;
		}
		re = pcre2_compile((PCRE2_SPTR)it->value, it->len, 0, &ecode,
				   &eoff, NULL);
		if (!re) {
			PCRE2_UCHAR msg[120];
			pcre2_get_error_message(ecode, msg, sizeof(msg));
			profile_problem(ps, it,
					"sftp.%s: bad pattern '%s': %s at %zu",
					key, it->value, (const char *)msg,
					(size_t)eoff);
			continue;
		}
		(*out)[(*n)++] = re;
	}
}

static void after_pull(struct profile_parse *ps, const struct ynode *sec,
		       struct partner_sftp *s)
{
	const struct ynode *v = ynode_get(sec, "after_pull");
	const struct ynode *m;

	s->after_pull = PROFILE_SFTP_DELETE;
	if (!v)
		return;
	if (v->kind == YNODE_SCALAR && !strcmp(v->value, "delete"))
		return;
	if (v->kind == YNODE_MAP && v->n == 2 &&
	    !strcmp(v->items[0]->value, "move") &&
	    (m = v->items[1])->kind == YNODE_SCALAR && m->len &&
	    !memchr(m->value, '\n', m->len)) {
		s->after_pull = PROFILE_SFTP_MOVE;
		s->archive = m->value;
		return;
	}
	profile_problem(
		ps, v,
		"sftp.after_pull must be delete or {move: REMOTE-FOLDER}");
}

static bool remote_ok(struct profile_parse *ps, const struct ynode *sec,
		      const char *key, const char *value)
{
	if (value && strlen(value) > 512) {
		profile_problem(ps, ynode_get(sec, key), "sftp.%s is too long",
				key);
		return false;
	}
	return true;
}

struct partner_sftp *profile_sftp_parse(struct arena *a,
					const struct ynode *section,
					const char *file,
					struct edi_diag *errors)
{
	static const char *const keys[] = {"host",
					   "port",
					   "user",
					   "key",
					   "known_hosts",
					   "inbound",
					   "include",
					   "exclude",
					   "after_pull",
					   "stable_seconds",
					   "done_marker",
					   "max_files",
					   "outbound",
					   "connect_timeout",
					   "transfer_timeout",
					   "retries",
					   "retry_backoff"};
	struct profile_parse ps = {a, errors, file, "sftp", 0};
	struct partner_sftp *s;
	const char *host;

	if (!section)
		return NULL;
	if (section->kind != YNODE_MAP) {
		profile_problem(
			&ps, section,
			"sftp must be a mapping such as {host: ..., user: ..., "
			"key: ..., known_hosts: ..., inbound: ...}");
		return NULL;
	}
	for (size_t i = 0; i + 1 < section->n; i += 2) {
		size_t k = 0, nkeys = sizeof(keys) / sizeof(keys[0]);
		while (k < nkeys && strcmp(section->items[i]->value, keys[k]))
			k++;
		if (k == nkeys)
			profile_problem(
				&ps, section->items[i],
				"unknown key '%s' in sftp (host, port, user, "
				"key, known_hosts, inbound, include, exclude, "
				"after_pull, stable_seconds, done_marker, "
				"max_files, outbound, connect_timeout, "
				"transfer_timeout, retries, retry_backoff)",
				section->items[i]->value);
	}
	s = arena_zalloc(a, sizeof(*s));
	host = profile_text(&ps, section, "host", true);
	if (host &&
	    (strlen(host) > 255 || strchr(host, '/') || strchr(host, ' '))) {
		profile_problem(&ps, ynode_get(section, "host"),
				"sftp.host '%s' is not a host name or address",
				host);
		host = NULL;
	}
	s->host = host;
	s->port = number(&ps, section, "port", 1, 65535,
			 PROFILE_SFTP_DEFAULT_PORT);
	s->user = profile_text(&ps, section, "user", true);
	s->key = local_path(&ps, profile_text(&ps, section, "key", true));
	s->known_hosts = local_path(
		&ps, profile_text(&ps, section, "known_hosts", true));
	s->inbound = profile_text(&ps, section, "inbound", false);
	s->outbound = profile_text(&ps, section, "outbound", false);
	remote_ok(&ps, section, "inbound", s->inbound);
	remote_ok(&ps, section, "outbound", s->outbound);
	if (!s->inbound && !s->outbound)
		profile_problem(
			&ps, section,
			"sftp needs inbound (a remote folder to pull from), "
			"outbound (one to push to), or both");
	patterns(&ps, section, "include", &s->include, &s->ninclude);
	patterns(&ps, section, "exclude", &s->exclude, &s->nexclude);
	after_pull(&ps, section, s);
	s->done_marker = profile_text(&ps, section, "done_marker", false);
	if (s->done_marker && strchr(s->done_marker, '/')) {
		profile_problem(
			&ps, ynode_get(section, "done_marker"),
			"sftp.done_marker is a suffix such as .done, not a "
			"path");
		s->done_marker = NULL;
	}
	s->stable_seconds =
		number(&ps, section, "stable_seconds", 0, 86400,
		       s->done_marker ? 0 : PROFILE_SFTP_DEFAULT_STABLE);
	s->max_files = number(&ps, section, "max_files", 1, 100000,
			      PROFILE_SFTP_DEFAULT_MAX_FILES);
	s->connect_timeout_s = number(&ps, section, "connect_timeout", 1, 600,
				      PROFILE_SFTP_DEFAULT_CONNECT);
	s->transfer_timeout_s = number(&ps, section, "transfer_timeout", 1,
				       3600, PROFILE_SFTP_DEFAULT_TRANSFER);
	s->retries = number(&ps, section, "retries", 0, 10,
			    PROFILE_SFTP_DEFAULT_RETRIES);
	s->retry_backoff_s = number(&ps, section, "retry_backoff", 0, 600,
				    PROFILE_SFTP_DEFAULT_BACKOFF);
	if (ps.nerrors) {
		profile_sftp_release(s);
		return NULL;
	}
	return s;
}

void profile_sftp_release(struct partner_sftp *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->ninclude; i++)
		pcre2_code_free(s->include[i]);
	for (size_t i = 0; i < s->nexclude; i++)
		pcre2_code_free(s->exclude[i]);
	s->ninclude = s->nexclude = 0;
}
