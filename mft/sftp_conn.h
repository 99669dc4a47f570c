/*
 * sftp_conn - one SSH connection with an SFTP channel (libssh2).
 *
 * sftp_conn_open() connects to host:port within the connect timeout,
 * checks the server's host key strictly against the known_hosts file (an
 * unknown or changed key is refused, naming its SHA256 fingerprint, and
 * `edigate partners keyscan` prints what to add), refuses an RSA or DSA
 * private key before trying it (libssh2 1.10 cannot sign with rsa-sha2,
 * which OpenSSH 8.8 and later require; use ed25519 or ECDSA), logs in
 * with the private key and opens the SFTP subsystem.  Every later
 * operation is bounded by the transfer timeout.  The connection owns its
 * socket and libssh2 handles; sftp_conn_close() frees them and is safe on
 * a connection that failed to open.
 *
 * Failures: EDI_ETEMP for what a later attempt may cure (connection
 * refused or timed out, the server going away, a name that does not
 * resolve right now), EDI_ECONFIG for what needs a person (host key
 * unknown or changed, login refused, RSA key, unreadable key or
 * known_hosts file).  Messages name the server as "host:port".
 *
 * sftp_keyscan() fetches the server's host keys for onboarding.
 * Nothing here prints, and nothing here knows of X12 or the spool.
 */
#ifndef EDI_SFTP_CONN_H
#define EDI_SFTP_CONN_H

#include <stddef.h>

#include "buf.h"
#include "edi_error.h"

#define SFTP_HOST_MAX	     256
#define SFTP_FINGERPRINT_MAX 64 /* "SHA256:" + 43 base64 + NUL */

struct sftp_opts {
	const char *host;
	unsigned port;
	const char *user;
	const char *key_path;	 /* private key (ed25519 or ECDSA) */
	const char *passphrase;	 /* NULL: the key is not encrypted */
	const char *known_hosts; /* OpenSSH known_hosts file */
	unsigned connect_timeout_ms;
	unsigned transfer_timeout_ms;
};

struct sftp_conn {
	int fd;
	void *session;				/* LIBSSH2_SESSION */
	void *sftp;				/* LIBSSH2_SFTP */
	char where[SFTP_HOST_MAX + 16];		/* "host:port" */
	char fingerprint[SFTP_FINGERPRINT_MAX]; /* of the host key */
};

/* Connect, check the host key, log in, open SFTP (see above). */
enum edi_code sftp_conn_open(struct sftp_conn *c, const struct sftp_opts *o,
			     struct edi_error *err);
void sftp_conn_close(struct sftp_conn *c);

/*
 * The libssh2 error of the session as an edi code and text: socket
 * errors, timeouts and disconnects are EDI_ETEMP, SFTP statuses
 * "no such file" EDI_ENOENT, others EDI_EIO.  For sftp_file.
 */
enum edi_code sftp_conn_fail(struct sftp_conn *c, struct edi_error *err,
			     const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Append to out, for every host key type the server at host:port offers
 * (ed25519, ECDSA, RSA), a known_hosts line ("[host]:port TYPE BASE64",
 * plain host for port 22) followed by a comment line with its SHA256
 * fingerprint.  EDI_ETEMP when the server cannot be reached.
 */
enum edi_code sftp_keyscan(const char *host, unsigned port, unsigned timeout_ms,
			   struct buf *out, struct edi_error *err);

#endif
