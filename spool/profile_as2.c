/*
 * profile_as2 - parsing a profile's `as2:` section; see profile_as2.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "profile_as2.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "profile_parse.h"
#include "as2_send.h"

static int choice(struct profile_parse *ps, const struct ynode *sec,
		  const char *key, const char *const *names, int dflt)
{
	const struct ynode *v = ynode_get(sec, key);
	char list[200] = "";

	if (!v)
		return dflt;
	for (int i = 0; names[i]; i++)
		if (v->kind == YNODE_SCALAR && !strcmp(v->value, names[i]))
			return i;
	for (int i = 0; names[i]; i++) {
		size_t n = strlen(list);
		snprintf(list + n, sizeof(list) - n, "%s%s", i ? ", " : "",
			 names[i]);
	}
	profile_problem(ps, v, "as2.%s must be one of %s", key, list);
	return dflt;
}

static bool flag(struct profile_parse *ps, const struct ynode *sec,
		 const char *key, bool dflt)
{
	static const char *const names[] = {"false", "true", "no", "yes",
					    "off",   "on",   NULL};
	return choice(ps, sec, key, names, dflt ? 1 : 0) % 2 == 1;
}

static uint64_t number(struct profile_parse *ps, const struct ynode *sec,
		       const char *key, uint64_t max, uint64_t dflt)
{
	const struct ynode *v = ynode_get(sec, key);
	uint64_t n;

	if (!v)
		return dflt;
	if (v->kind != YNODE_SCALAR ||
	    !sv_to_u64(sv_make(v->value, v->len), &n) || n > max) {
		profile_problem(ps, v,
				"as2.%s must be a whole number from 0 to %llu",
				key, (unsigned long long)max);
		return dflt;
	}
	return n;
}

/* A file the profile names: relative to the profile's folder; must exist. */
static const char *file_path(struct profile_parse *ps, const struct ynode *sec,
			     const char *key, bool required)
{
	const char *v = profile_text(ps, sec, key, required);
	const char *slash, *path;
	struct stat st;

	if (!v)
		return NULL;
	slash = strrchr(ps->file, '/');
	if (v[0] == '/' || !slash)
		path = arena_strdup(ps->a, v);
	else
		path = arena_printf(ps->a, "%.*s/%s", (int)(slash - ps->file),
				    ps->file, v);
	if (stat(path, &st) != 0) {
		profile_problem(ps, ynode_get(sec, key),
				"as2.%s: cannot read '%s': %s", key, path,
				strerror(errno));
		return NULL;
	}
	return path;
}

static bool url_ok(const char *u)
{
	return !strncmp(u, "http://", 7) || !strncmp(u, "https://", 8);
}

struct as2_partner *profile_as2_parse(struct arena *a,
				      const struct ynode *section,
				      const char *file, struct edi_diag *errors)
{
	static const char *const keys[] = {"their_id",
					   "our_id",
					   "url",
					   "their_certificate",
					   "our_certificate",
					   "our_key",
					   "ca_file",
					   "sign",
					   "encrypt",
					   "compress",
					   "require_signed",
					   "require_encrypted",
					   "micalg",
					   "micalg_spelling",
					   "cipher",
					   "mdn",
					   "signed_mdn",
					   "mdn_url",
					   "transfer_encoding",
					   "chunked",
					   "content_type",
					   "subject",
					   "timeout",
					   "retries",
					   "retry_wait",
					   "max_send_rate",
					   NULL};
	static const char *const compress[] = {"none", "before-signing",
					       "after-signing", NULL};
	static const char *const mdn[] = {"sync", "async", "none", NULL};
	static const char *const spelling[] = {"sha-256", "sha256", NULL};
	static const char *const encodings[] = {"binary", "base64", NULL};
	struct profile_parse ps = {a, errors, file, "as2", 0};
	struct as2_partner *p;

	if (!section)
		return NULL;
	if (section->kind != YNODE_MAP) {
		profile_problem(
			&ps, section,
			"as2 must be a mapping such as {their_id: ACME, "
			"our_id: US, ...}");
		return NULL;
	}
	for (size_t i = 0; i + 1 < section->n; i += 2) {
		size_t k = 0;
		while (keys[k] && strcmp(section->items[i]->value, keys[k]))
			k++;
		if (!keys[k])
			profile_problem(
				&ps, section->items[i],
				"unknown key '%s' in as2 (see docs/as2.md)",
				section->items[i]->value);
	}
	p = arena_zalloc(a, sizeof(*p));
	p->their_id = profile_text(&ps, section, "their_id", true);
	p->our_id = profile_text(&ps, section, "our_id", true);
	if (p->their_id && !as2_id_valid(p->their_id))
		profile_problem(
			&ps, ynode_get(section, "their_id"),
			"as2.their_id must be 1 to 128 printable characters "
			"without quotes or backslashes");
	if (p->our_id && !as2_id_valid(p->our_id))
		profile_problem(
			&ps, ynode_get(section, "our_id"),
			"as2.our_id must be 1 to 128 printable characters "
			"without quotes or backslashes");
	p->url = profile_text(&ps, section, "url", false);
	if (p->url && !url_ok(p->url))
		profile_problem(&ps, ynode_get(section, "url"),
				"as2.url must start with http:// or https://");
	p->sign = flag(&ps, section, "sign", true);
	p->encrypt = flag(&ps, section, "encrypt", true);
	p->require_signed = flag(&ps, section, "require_signed", p->sign);
	p->require_encrypted =
		flag(&ps, section, "require_encrypted", p->encrypt);
	p->compress = (enum as2_compress)choice(&ps, section, "compress",
						compress, AS2_COMPRESS_NONE);
	p->their_cert = file_path(&ps, section, "their_certificate",
				  p->sign || p->encrypt || p->require_signed);
	p->our_cert = file_path(&ps, section, "our_certificate",
				p->sign || p->require_encrypted);
	p->our_key = file_path(&ps, section, "our_key",
			       p->sign || p->require_encrypted);
	p->ca_file = file_path(&ps, section, "ca_file", false);
	p->micalg = profile_text(&ps, section, "micalg", false);
	if (!p->micalg)
		p->micalg = "sha-256";
	else if (!as2_md_by_name(p->micalg) || !strncmp(p->micalg, "md5", 3))
		profile_problem(
			&ps, ynode_get(section, "micalg"),
			"as2.micalg must be sha-256, sha-384, sha-512 or "
			"(legacy) sha1");
	p->micalg_dashless =
		choice(&ps, section, "micalg_spelling", spelling, 0) == 1;
	p->cipher = profile_text(&ps, section, "cipher", false);
	if (!p->cipher)
		p->cipher = AS2_DEFAULT_CIPHER;
	else if (!as2_cipher_by_name(p->cipher))
		profile_problem(&ps, ynode_get(section, "cipher"),
				"as2.cipher must be aes128-cbc, aes192-cbc, "
				"aes256-cbc or des-ede3-cbc");
	p->mdn = (enum as2_mdn_mode)choice(&ps, section, "mdn", mdn,
					   AS2_MDN_SYNC);
	p->signed_mdn = flag(&ps, section, "signed_mdn", p->sign);
	p->mdn_url =
		profile_text(&ps, section, "mdn_url", p->mdn == AS2_MDN_ASYNC);
	if (p->mdn_url && !url_ok(p->mdn_url))
		profile_problem(
			&ps, ynode_get(section, "mdn_url"),
			"as2.mdn_url must start with http:// or https://");
	if (p->signed_mdn && !p->their_cert)
		profile_problem(
			&ps, section,
			"as2.signed_mdn needs their_certificate to check the "
			"mdn's signature");
	p->base64 =
		choice(&ps, section, "transfer_encoding", encodings, 0) == 1;
	if (flag(&ps, section, "chunked", false))
		profile_problem(
			&ps, ynode_get(section, "chunked"),
			"as2.chunked: edigate always sends a length, never "
			"chunked bodies (set false or leave out)");
	p->content_type = profile_text(&ps, section, "content_type", false);
	p->subject = profile_text(&ps, section, "subject", false);
	p->timeout_s = (unsigned)number(&ps, section, "timeout", 86400,
					PROFILE_AS2_DEFAULT_TIMEOUT);
	p->retries = (unsigned)number(&ps, section, "retries", 100,
				      PROFILE_AS2_DEFAULT_RETRIES);
	p->retry_wait_s = (unsigned)number(&ps, section, "retry_wait", 3600,
					   PROFILE_AS2_DEFAULT_RETRY_WAIT);
	p->max_send_rate =
		number(&ps, section, "max_send_rate", UINT64_MAX / 2, 0);
	return ps.nerrors ? NULL : p;
}
