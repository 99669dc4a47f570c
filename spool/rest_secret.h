/*
 * rest_secret - the secrets a rest output authenticates with.
 *
 * The bearer token and the basic password come from an environment
 * variable or a file named in edigate.yaml (config_rest); they are read
 * when a pass has something to send, handed to libcurl through struct
 * rest_auth, and wiped (zeroed, then freed) when the pass ends, so they
 * never reach an output, a log, the journal or a spool file.  A secret
 * that is unset, unreadable, empty, longer than DELIVER_REST_SECRET_MAX
 * or holds a control character fails with EDI_ECONFIG naming the output
 * and where the secret should be, never the secret itself.
 */
#ifndef EDI_REST_SECRET_H
#define EDI_REST_SECRET_H

#include "buf.h"
#include "config.h"
#include "deliver_rest.h"
#include "edi_error.h"
#include "rest_push.h"

struct rest_secrets {
	struct rest_auth auth; /* points into token and password */
	struct buf token, password;
};

/* Read the secrets out's rest section names into sec (zeroed or wiped
 * before).  On failure sec still needs rest_secrets_wipe(). */
enum edi_code rest_secrets_load(const struct config_output *out,
				struct rest_secrets *sec,
				struct edi_error *err);
/* Zero and free the secrets; safe on a zeroed sec. */
void rest_secrets_wipe(struct rest_secrets *sec);

#endif
