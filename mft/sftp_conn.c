/*
 * sftp_conn - connect, check the host key, log in; see sftp_conn.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "sftp_conn.h"

#include <errno.h>
#include <fcntl.h>
#include <libssh2.h>
#include <libssh2_sftp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sftp_key.h"

/* libssh2_init() once; libssh2 1.10 makes it safe to call again. */
static enum edi_code lib_init(struct edi_error *err)
{
	if (libssh2_init(0) != 0)
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"cannot start libssh2");
	return EDI_OK;
}

static long elapsed_ms(const struct timespec *from)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - from->tv_sec) * 1000 +
	       (now.tv_nsec - from->tv_nsec) / 1000000;
}

/* One TCP connection to host:port within timeout_ms, blocking after. */
static enum edi_code tcp_connect(const char *host, unsigned port,
				 unsigned timeout_ms, const char *where,
				 int *out, struct edi_error *err)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct timespec start;
	char service[16];
	int gai, fd = -1, last = ECONNREFUSED;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	snprintf(service, sizeof(service), "%u", port);
	gai = getaddrinfo(host, service, &hints, &res);
	if (gai != 0)
		return edi_fail(err, gai == EAI_AGAIN ? EDI_ETEMP : EDI_ECONFIG,
				NULL, "cannot find '%s': %s", host,
				gai_strerror(gai));
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (ai = res; ai; ai = ai->ai_next) {
		struct pollfd pfd;
		socklen_t len = sizeof(last);
		long left = (long)timeout_ms - elapsed_ms(&start);
		int flags;

		if (left <= 0) {
			last = ETIMEDOUT;
			break;
		}
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			    ai->ai_protocol);
		if (fd < 0) {
			last = errno;
			continue;
		}
		flags = fcntl(fd, F_GETFL);
		fcntl(fd, F_SETFL, flags | O_NONBLOCK);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			goto connected;
		if (errno != EINPROGRESS) {
			last = errno;
			close(fd);
			fd = -1;
			continue;
		}
		pfd.fd = fd;
		pfd.events = POLLOUT;
		pfd.revents = 0;
		if (poll(&pfd, 1, (int)left) <= 0) {
			last = ETIMEDOUT;
			close(fd);
			fd = -1;
			continue;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &last, &len) != 0)
			last = errno;
		if (last == 0)
			goto connected;
		close(fd);
		fd = -1;
		continue;
	connected:
		fcntl(fd, F_SETFL, flags);
		freeaddrinfo(res);
		*out = fd;
		return EDI_OK;
	}
	freeaddrinfo(res);
	return edi_fail(err, EDI_ETEMP, NULL, "cannot connect to %s: %s", where,
			strerror(last));
}

static const char *session_text(LIBSSH2_SESSION *s, int *code)
{
	char *msg = NULL;

	*code = libssh2_session_last_error(s, &msg, NULL, 0);
	return msg && *msg ? msg : "unknown error";
}

static bool temporary(int code)
{
	return code == LIBSSH2_ERROR_SOCKET_NONE ||
	       code == LIBSSH2_ERROR_BANNER_RECV ||
	       code == LIBSSH2_ERROR_BANNER_SEND ||
	       code == LIBSSH2_ERROR_SOCKET_SEND ||
	       code == LIBSSH2_ERROR_SOCKET_RECV ||
	       code == LIBSSH2_ERROR_SOCKET_DISCONNECT ||
	       code == LIBSSH2_ERROR_SOCKET_TIMEOUT ||
	       code == LIBSSH2_ERROR_TIMEOUT || code == LIBSSH2_ERROR_EAGAIN ||
	       code == LIBSSH2_ERROR_KEX_FAILURE ||
	       code == LIBSSH2_ERROR_CHANNEL_CLOSED ||
	       code == LIBSSH2_ERROR_CHANNEL_EOF_SENT ||
	       code == LIBSSH2_ERROR_CHANNEL_FAILURE;
}

static const char *sftp_status_text(unsigned long st)
{
	switch (st) {
	case LIBSSH2_FX_EOF:
		return "end of file";
	case LIBSSH2_FX_NO_SUCH_FILE:
	case LIBSSH2_FX_NO_SUCH_PATH:
		return "No such file or directory";
	case LIBSSH2_FX_PERMISSION_DENIED:
		return "Permission denied";
	case LIBSSH2_FX_FILE_ALREADY_EXISTS:
		return "File exists";
	case LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM:
	case LIBSSH2_FX_QUOTA_EXCEEDED:
		return "No space left on the server";
	case LIBSSH2_FX_OP_UNSUPPORTED:
		return "operation not supported by the server";
	case LIBSSH2_FX_NOT_A_DIRECTORY:
		return "Not a directory";
	case LIBSSH2_FX_NO_CONNECTION:
	case LIBSSH2_FX_CONNECTION_LOST:
		return "connection lost";
	default:
		return "failure reported by the server";
	}
}

enum edi_code sftp_conn_fail(struct sftp_conn *c, struct edi_error *err,
			     const char *fmt, ...)
{
	char what[EDI_MSG_MAX];
	const char *text;
	enum edi_code code = EDI_EIO;
	va_list ap;
	int lib;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (!c->session)
		return edi_fail(err, EDI_ETEMP, NULL, "%s: not connected",
				what);
	text = session_text(c->session, &lib);
	if (lib == LIBSSH2_ERROR_SFTP_PROTOCOL && c->sftp) {
		unsigned long st = libssh2_sftp_last_error(c->sftp);
		if (st == LIBSSH2_FX_NO_SUCH_FILE ||
		    st == LIBSSH2_FX_NO_SUCH_PATH)
			code = EDI_ENOENT;
		else if (st == LIBSSH2_FX_NO_CONNECTION ||
			 st == LIBSSH2_FX_CONNECTION_LOST ||
			 st == LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM ||
			 st == LIBSSH2_FX_QUOTA_EXCEEDED)
			code = EDI_ETEMP;
		else if (st == LIBSSH2_FX_FILE_ALREADY_EXISTS)
			code = EDI_EDATA;
		return edi_fail(err, code, NULL, "%s on %s: %s", what, c->where,
				sftp_status_text(st));
	}
	if (temporary(lib))
		code = EDI_ETEMP;
	return edi_fail(err, code, NULL, "%s on %s: %s", what, c->where, text);
}

/* "SHA256:" and the unpadded base64 of the hash, as OpenSSH shows it. */
static void fingerprint(LIBSSH2_SESSION *s, char out[SFTP_FINGERPRINT_MAX])
{
	const char *hash = libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_SHA256);
	unsigned char b64[64];
	int n;

	if (!hash) {
		snprintf(out, SFTP_FINGERPRINT_MAX, "SHA256:(unknown)");
		return;
	}
	n = EVP_EncodeBlock(b64, (const unsigned char *)hash, 32);
	while (n > 0 && b64[n - 1] == '=')
		n--;
	snprintf(out, SFTP_FINGERPRINT_MAX, "SHA256:%.*s", n, (char *)b64);
}

static const char *hostkey_name(int type)
{
	switch (type) {
	case LIBSSH2_HOSTKEY_TYPE_RSA:
		return "ssh-rsa";
	case LIBSSH2_HOSTKEY_TYPE_DSS:
		return "ssh-dss";
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
		return "ecdsa-sha2-nistp256";
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
		return "ecdsa-sha2-nistp384";
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
		return "ecdsa-sha2-nistp521";
	case LIBSSH2_HOSTKEY_TYPE_ED25519:
		return "ssh-ed25519";
	default:
		return NULL;
	}
}

static int knownhost_bit(int type)
{
	switch (type) {
	case LIBSSH2_HOSTKEY_TYPE_RSA:
		return LIBSSH2_KNOWNHOST_KEY_SSHRSA;
	case LIBSSH2_HOSTKEY_TYPE_DSS:
		return LIBSSH2_KNOWNHOST_KEY_SSHDSS;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_256;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_384;
	case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
		return LIBSSH2_KNOWNHOST_KEY_ECDSA_521;
	case LIBSSH2_HOSTKEY_TYPE_ED25519:
		return LIBSSH2_KNOWNHOST_KEY_ED25519;
	default:
		return LIBSSH2_KNOWNHOST_KEY_UNKNOWN;
	}
}

static const char *knownhost_method(int typemask)
{
	switch (typemask & LIBSSH2_KNOWNHOST_KEY_MASK) {
	case LIBSSH2_KNOWNHOST_KEY_SSHRSA:
		return "ssh-rsa";
	case LIBSSH2_KNOWNHOST_KEY_ECDSA_256:
		return "ecdsa-sha2-nistp256";
	case LIBSSH2_KNOWNHOST_KEY_ECDSA_384:
		return "ecdsa-sha2-nistp384";
	case LIBSSH2_KNOWNHOST_KEY_ECDSA_521:
		return "ecdsa-sha2-nistp521";
	case LIBSSH2_KNOWNHOST_KEY_ED25519:
		return "ssh-ed25519";
	default:
		return NULL;
	}
}

/* The name known_hosts uses for host:port. */
static void known_name(const char *host, unsigned port, char *out, size_t size)
{
	if (port == 22)
		snprintf(out, size, "%s", host);
	else
		snprintf(out, size, "[%s]:%u", host, port);
}

/*
 * Ask the server for a host key of a type known_hosts has for it (as
 * OpenSSH does), so that a server offering several types is checked
 * against the one we know.  Hashed entries are not looked at: then the
 * server's preference stands.
 */
static void prefer_known_types(LIBSSH2_SESSION *s, LIBSSH2_KNOWNHOSTS *kh,
			       const char *host, unsigned port)
{
	struct libssh2_knownhost *prev = NULL, *cur;
	char name[SFTP_HOST_MAX + 16], pref[256] = "";
	size_t used = 0;

	known_name(host, port, name, sizeof(name));
	while (libssh2_knownhost_get(kh, &cur, prev) == 0) {
		const char *m = knownhost_method(cur->typemask);
		prev = cur;
		if (!m || !cur->name ||
		    (strcmp(cur->name, name) && strcmp(cur->name, host)))
			continue;
		if (strstr(pref, m))
			continue;
		int w = snprintf(pref + used, sizeof(pref) - used, "%s%s",
				 used ? "," : "", m);
		if (w > 0 && (size_t)w < sizeof(pref) - used)
			used += (size_t)w;
	}
	if (used)
		libssh2_session_method_pref(s, LIBSSH2_METHOD_HOSTKEY, pref);
}

static enum edi_code check_host_key(struct sftp_conn *c, LIBSSH2_KNOWNHOSTS *kh,
				    const struct sftp_opts *o,
				    struct edi_error *err)
{
	struct libssh2_knownhost *found = NULL;
	const char *key, *name;
	size_t len = 0;
	int type = 0, check;

	key = libssh2_session_hostkey(c->session, &len, &type);
	name = hostkey_name(type);
	fingerprint(c->session, c->fingerprint);
	if (!key || !name)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"%s offers a host key of a type libssh2 cannot "
				"check",
				c->where);
	check = libssh2_knownhost_checkp(kh, o->host, (int)o->port, key, len,
					 LIBSSH2_KNOWNHOST_TYPE_PLAIN |
						 LIBSSH2_KNOWNHOST_KEYENC_RAW |
						 knownhost_bit(type),
					 &found);
	switch (check) {
	case LIBSSH2_KNOWNHOST_CHECK_MATCH:
		return EDI_OK;
	case LIBSSH2_KNOWNHOST_CHECK_MISMATCH:
		return edi_fail(err, EDI_ECONFIG, NULL,
				"host key of %s has changed: the server now "
				"shows %s %s, which is not the key in '%s'; "
				"refusing to connect (if the partner confirms "
				"the new key, replace its line: edigate "
				"partners keyscan)",
				c->where, name, c->fingerprint, o->known_hosts);
	case LIBSSH2_KNOWNHOST_CHECK_NOTFOUND:
		return edi_fail(err, EDI_ECONFIG, NULL,
				"host %s is not in '%s': its %s key is %s; "
				"check the fingerprint with the partner, then "
				"add the line 'edigate partners keyscan' "
				"prints",
				c->where, o->known_hosts, name, c->fingerprint);
	default:
		return edi_fail(err, EDI_ECONFIG, NULL,
				"cannot check the host key of %s against '%s'",
				c->where, o->known_hosts);
	}
}

static enum edi_code check_key_file(const struct sftp_opts *o,
				    struct edi_error *err)
{
	enum sftp_key_type type;
	bool encrypted;
	enum edi_code rc = sftp_key_type(o->key_path, &type, &encrypted, err);

	if (rc)
		return rc;
	if (encrypted && !o->passphrase)
		return edi_fail(
			err, EDI_ECONFIG, NULL,
			"key '%s' is protected by a passphrase, which "
			"edigate cannot give: use a key without one "
			"(ssh-keygen -N '') and protect the file (chmod "
			"600)",
			o->key_path);
	switch (type) {
	case SFTP_KEY_RSA:
		return edi_fail(err, EDI_ECONFIG, NULL,
				"key '%s' is an RSA key, which edigate cannot "
				"use: libssh2 1.10 signs only with ssh-rsa "
				"(SHA-1), which OpenSSH 8.8 and later refuse; "
				"make an ed25519 key (ssh-keygen -t ed25519) "
				"or an ECDSA key and give the partner its .pub",
				o->key_path);
	case SFTP_KEY_DSA:
		return edi_fail(err, EDI_ECONFIG, NULL,
				"key '%s' is a DSA key, which OpenSSH no "
				"longer accepts; use an ed25519 or ECDSA key",
				o->key_path);
	case SFTP_KEY_UNKNOWN:
	case SFTP_KEY_ED25519:
	case SFTP_KEY_ECDSA:
		break;
	}
	return EDI_OK;
}

static enum edi_code handshake(struct sftp_conn *c, const char *host,
			       unsigned port, unsigned timeout_ms,
			       LIBSSH2_KNOWNHOSTS **kh_out,
			       const char *known_hosts, const char *pref,
			       struct edi_error *err)
{
	LIBSSH2_KNOWNHOSTS *kh = NULL;
	enum edi_code rc;
	int lib;

	(void)lib;
	rc = tcp_connect(host, port, timeout_ms, c->where, &c->fd, err);
	if (rc)
		return rc;
	c->session = libssh2_session_init();
	if (!c->session)
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"cannot start an SSH session");
	libssh2_session_set_blocking(c->session, 1);
	libssh2_session_set_timeout(c->session, (long)timeout_ms);
	if (known_hosts) {
		kh = libssh2_knownhost_init(c->session);
		if (!kh || libssh2_knownhost_readfile(
				   kh, known_hosts,
				   LIBSSH2_KNOWNHOST_FILE_OPENSSH) < 0) {
			if (kh)
				libssh2_knownhost_free(kh);
			return edi_fail(err, EDI_ECONFIG, NULL,
					"cannot read known_hosts '%s': %s",
					known_hosts,
					access(known_hosts, R_OK) != 0
						? strerror(errno)
						: "not a known_hosts file");
		}
		prefer_known_types(c->session, kh, host, port);
		*kh_out = kh;
	}
	if (pref && libssh2_session_method_pref(
			    c->session, LIBSSH2_METHOD_HOSTKEY, pref) != 0)
		return edi_fail(err, EDI_EINTERNAL, NULL,
				"libssh2 does not know host key type '%s'",
				pref);
	if (libssh2_session_handshake(c->session, c->fd) != 0) {
		const char *text = session_text(c->session, &lib);
		return edi_fail(err, pref ? EDI_ENOENT : EDI_ETEMP, NULL,
				"SSH handshake with %s failed: %s", c->where,
				text);
	}
	return EDI_OK;
}

enum edi_code sftp_conn_open(struct sftp_conn *c, const struct sftp_opts *o,
			     struct edi_error *err)
{
	LIBSSH2_KNOWNHOSTS *kh = NULL;
	enum edi_code rc;
	int lib;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	snprintf(c->where, sizeof(c->where), "%s:%u", o->host, o->port);
	if (!o->known_hosts)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"no known_hosts file for %s: host keys are "
				"always checked",
				c->where);
	if ((rc = lib_init(err)) != EDI_OK)
		return rc;
	/* before the network: a key that cannot work says so at once */
	if ((rc = check_key_file(o, err)) != EDI_OK)
		return rc;
	rc = handshake(c, o->host, o->port, o->connect_timeout_ms, &kh,
		       o->known_hosts, NULL, err);
	if (rc == EDI_OK)
		rc = check_host_key(c, kh, o, err);
	if (kh)
		libssh2_knownhost_free(kh);
	if (rc)
		goto fail;
	if (libssh2_userauth_publickey_fromfile_ex(
		    c->session, o->user, (unsigned)strlen(o->user), NULL,
		    o->key_path, o->passphrase) != 0) {
		const char *text = session_text(c->session, &lib);
		if (temporary(lib))
			rc = edi_fail(err, EDI_ETEMP, NULL,
				      "login as '%s' on %s failed: %s", o->user,
				      c->where, text);
		else
			rc = edi_fail(err, EDI_ECONFIG, NULL,
				      "login as '%s' on %s with key '%s' was "
				      "refused (%s): is the key's .pub in the "
				      "account's authorized_keys, and the key "
				      "ed25519 or ECDSA?",
				      o->user, c->where, o->key_path, text);
		goto fail;
	}
	c->sftp = libssh2_sftp_init(c->session);
	if (!c->sftp) {
		rc = sftp_conn_fail(c, err, "cannot start SFTP");
		goto fail;
	}
	libssh2_session_set_timeout(c->session, (long)o->transfer_timeout_ms);
	return EDI_OK;
fail:
	sftp_conn_close(c);
	return rc;
}

void sftp_conn_close(struct sftp_conn *c)
{
	if (c->sftp)
		libssh2_sftp_shutdown(c->sftp);
	c->sftp = NULL;
	if (c->session) {
		/* short: a dead server must not hold up the close */
		libssh2_session_set_timeout(c->session, 2000);
		libssh2_session_disconnect(c->session, "bye");
		libssh2_session_free(c->session);
	}
	c->session = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

enum edi_code sftp_keyscan(const char *host, unsigned port, unsigned timeout_ms,
			   struct buf *out, struct edi_error *err)
{
	static const char *const types[] = {
		"ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
		"ecdsa-sha2-nistp521", "ssh-rsa"};
	char name[SFTP_HOST_MAX + 16];
	enum edi_code rc, last = EDI_OK;
	size_t found = 0;
	struct edi_error e;

	if ((rc = lib_init(err)) != EDI_OK)
		return rc;
	known_name(host, port, name, sizeof(name));
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct sftp_conn c;
		unsigned char b64[4096];
		const char *key;
		size_t len = 0;
		int type = 0;

		memset(&c, 0, sizeof(c));
		c.fd = -1;
		snprintf(c.where, sizeof(c.where), "%s:%u", host, port);
		rc = handshake(&c, host, port, timeout_ms, NULL, NULL, types[i],
			       &e);
		if (rc == EDI_OK) {
			key = libssh2_session_hostkey(c.session, &len, &type);
			if (key && len <= sizeof(b64) / 4 * 3 - 3) {
				int n = EVP_EncodeBlock(
					b64, (const unsigned char *)key,
					(int)len);
				fingerprint(c.session, c.fingerprint);
				buf_addf(out, "%s %s %.*s\n", name, types[i], n,
					 (char *)b64);
				buf_addf(out, "# %s %s %s\n", c.where, types[i],
					 c.fingerprint);
				found++;
			}
		} else if (rc != EDI_ENOENT) {
			last = rc;
			if (err)
				*err = e;
		}
		sftp_conn_close(&c);
		if (rc == EDI_ETEMP && !found)
			return last; /* not reachable: no point going on */
	}
	if (!found)
		return last ? last
			    : edi_fail(err, EDI_EIO, NULL,
				       "%s:%u offered no host key libssh2 "
				       "knows",
				       host, port);
	return EDI_OK;
}
