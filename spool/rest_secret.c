/*
 * rest_secret - the secrets of a rest output (bearer token, basic
 * password) read for one pass and wiped after it; see rest_secret.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "rest_secret.h"

#include <stdlib.h>
#include <string.h>

#include "fileio.h"

/* A secret from the environment or a file, without its final newline. */
static enum edi_code read_secret(const struct config_output *out,
				 const char *what, const char *env,
				 const char *file, struct buf *dst,
				 struct edi_error *err)
{
	enum edi_code rc;

	if (env) {
		const char *v = getenv(env);
		buf_init(dst, DELIVER_REST_SECRET_MAX);
		if (!v || !*v)
			return edi_fail(err, EDI_ECONFIG, NULL,
					"output '%s': environment variable "
					"'%s' (the %s) is not set",
					out->name, env, what);
		if (buf_adds(dst, v) != EDI_OK)
			return edi_fail(err, EDI_ECONFIG, NULL,
					"output '%s': the %s in '%s' is longer "
					"than %u bytes",
					out->name, what, env,
					DELIVER_REST_SECRET_MAX);
	} else {
		rc = fileio_read_all(file, DELIVER_REST_SECRET_MAX, dst, err);
		if (rc)
			return edi_fail(err, EDI_ECONFIG, NULL,
					"output '%s': cannot read the %s from "
					"'%s': %s",
					out->name, what, file,
					rc == EDI_ENOENT ? "no such file"
							 : edi_code_text(rc));
		while (dst->len && (dst->ptr[dst->len - 1] == '\n' ||
				    dst->ptr[dst->len - 1] == '\r' ||
				    dst->ptr[dst->len - 1] == ' '))
			dst->ptr[--dst->len] = '\0';
		if (!dst->len)
			return edi_fail(err, EDI_ECONFIG, NULL,
					"output '%s': the %s file '%s' is "
					"empty",
					out->name, what, file);
	}
	for (size_t i = 0; i < dst->len; i++)
		if ((unsigned char)dst->ptr[i] < 0x20 ||
		    (unsigned char)dst->ptr[i] == 0x7f)
			return edi_fail(err, EDI_ECONFIG, NULL,
					"output '%s': the %s holds a control "
					"character",
					out->name, what);
	return EDI_OK;
}

static void wipe(struct buf *b)
{
	if (b->ptr)
		memset(b->ptr, 0, b->cap);
	buf_release(b);
}

enum edi_code rest_secrets_load(const struct config_output *out,
				struct rest_secrets *sec, struct edi_error *err)
{
	const struct config_rest *r = &out->rest;
	enum edi_code rc;

	memset(&sec->auth, 0, sizeof(sec->auth));
	buf_init(&sec->token, 1);
	buf_init(&sec->password, 1);
	if (r->bearer_token_env || r->bearer_token_file) {
		buf_release(&sec->token);
		rc = read_secret(out, "bearer token", r->bearer_token_env,
				 r->bearer_token_file, &sec->token, err);
		if (rc)
			return rc;
		sec->auth.bearer_token = buf_cstr(&sec->token);
	}
	if (r->basic_user) {
		buf_release(&sec->password);
		rc = read_secret(out, "basic password", r->basic_password_env,
				 r->basic_password_file, &sec->password, err);
		if (rc)
			return rc;
		sec->auth.basic_user = r->basic_user;
		sec->auth.basic_password = buf_cstr(&sec->password);
	}
	sec->auth.client_cert = r->client_cert;
	sec->auth.client_key = r->client_key;
	return EDI_OK;
}

void rest_secrets_wipe(struct rest_secrets *sec)
{
	wipe(&sec->token);
	wipe(&sec->password);
	memset(&sec->auth, 0, sizeof(sec->auth));
}
