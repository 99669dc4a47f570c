/*
 * transfer_sftp_int - what the SFTP pull (transfer_sftp.c) and push
 * (transfer_sftp_push.c) share; not for other modules.
 */
#ifndef EDI_TRANSFER_SFTP_INT_H
#define EDI_TRANSFER_SFTP_INT_H

#include <stddef.h>

#include "edi_error.h"
#include "sftp_conn.h"
#include "transfer_sftp.h"

/* sftp://user@host:port/path (a relative path under /~/), cut to fit. */
void transfer_sftp_remote_url(char *dst, size_t size,
			      const struct partner_sftp *s, const char *path);
/*
 * Take the partner's lock for what ("pull" or "push") in state/, so two
 * runs never work one partner's server at once: EDI_ETEMP when another
 * holds it.  *fd is -1 on failure.
 */
enum edi_code transfer_sftp_partner_lock(const struct transfer_env *env,
					 const struct partner *p,
					 const char *what, int *fd,
					 struct edi_error *err);
void transfer_sftp_partner_unlock(int fd);
/* Connect to p's server, retrying EDI_ETEMP failures as its profile says
 * (retries, doubling backoff), with a note before each wait. */
enum edi_code transfer_sftp_connect_partner(const struct transfer_env *env,
					    const struct partner *p,
					    struct sftp_conn *c,
					    struct edi_error *err);

#endif
