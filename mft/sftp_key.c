/*
 * sftp_key - the type of a private key file; see sftp_key.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "sftp_key.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

const char *sftp_key_type_name(enum sftp_key_type type)
{
	switch (type) {
	case SFTP_KEY_UNKNOWN:
		return "unknown";
	case SFTP_KEY_ED25519:
		return "ed25519";
	case SFTP_KEY_ECDSA:
		return "ECDSA";
	case SFTP_KEY_RSA:
		return "RSA";
	case SFTP_KEY_DSA:
		return "DSA";
	}
	return "unknown";
}

static const char *find(const char *text, size_t len, const char *what)
{
	size_t n = strlen(what);

	for (size_t i = 0; i + n <= len; i++)
		if (text[i] == what[0] && !memcmp(text + i, what, n))
			return text + i;
	return NULL;
}

/* The next SSH "string" (uint32 length, bytes) at *p, within end. */
static bool ssh_string(const unsigned char **p, const unsigned char *end,
		       const unsigned char **s, uint32_t *n)
{
	uint32_t len;

	if (end - *p < 4)
		return false;
	len = (uint32_t)(*p)[0] << 24 | (uint32_t)(*p)[1] << 16 |
	      (uint32_t)(*p)[2] << 8 | (uint32_t)(*p)[3];
	*p += 4;
	if ((size_t)(end - *p) < len)
		return false;
	*s = *p;
	*n = len;
	*p += len;
	return true;
}

static enum sftp_key_type type_of_name(const unsigned char *s, uint32_t n)
{
	if (n == 11 && !memcmp(s, "ssh-ed25519", 11))
		return SFTP_KEY_ED25519;
	if (n > 11 && !memcmp(s, "ecdsa-sha2-", 11))
		return SFTP_KEY_ECDSA;
	if (n == 7 && !memcmp(s, "ssh-rsa", 7))
		return SFTP_KEY_RSA;
	if (n == 7 && !memcmp(s, "ssh-dss", 7))
		return SFTP_KEY_DSA;
	return SFTP_KEY_UNKNOWN;
}

/* openssh-key-v1: magic, cipher, kdf, kdf options, count, public key. */
static enum sftp_key_type openssh_type(const char *body, size_t len,
				       bool *encrypted)
{
	static const char magic[] = "openssh-key-v1";
	struct buf b64;
	unsigned char *raw;
	const unsigned char *p, *end, *s, *pub;
	uint32_t n, npub;
	int got;
	enum sftp_key_type type = SFTP_KEY_UNKNOWN;

	buf_init(&b64, SFTP_KEY_FILE_MAX);
	for (size_t i = 0; i < len && body[i] != '-'; i++)
		if (body[i] != '\n' && body[i] != '\r' && body[i] != ' ' &&
		    body[i] != '\t')
			buf_addc(&b64, body[i]);
	while (b64.len % 4)
		buf_addc(&b64, '=');
	raw = OPENSSL_malloc(b64.len / 4 * 3 + 1);
	if (!raw) {
		buf_release(&b64);
		return SFTP_KEY_UNKNOWN;
	}
	got = EVP_DecodeBlock(raw, (const unsigned char *)b64.ptr,
			      (int)b64.len);
	buf_release(&b64);
	if (got < (int)sizeof(magic))
		goto out;
	if (memcmp(raw, magic, sizeof(magic))) /* with its NUL */
		goto out;
	p = raw + sizeof(magic);
	end = raw + got;
	if (!ssh_string(&p, end, &s, &n))
		goto out;
	*encrypted = !(n == 4 && !memcmp(s, "none", 4));
	if (!ssh_string(&p, end, &s, &n) || !ssh_string(&p, end, &s, &n) ||
	    end - p < 4)
		goto out;
	p += 4; /* number of keys */
	if (!ssh_string(&p, end, &pub, &npub))
		goto out;
	end = pub + npub;
	if (ssh_string(&pub, end, &s, &n))
		type = type_of_name(s, n);
out:
	OPENSSL_free(raw);
	return type;
}

static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return 0;
}

static enum sftp_key_type pkcs8_type(const char *text, size_t len)
{
	BIO *bio = BIO_new_mem_buf(text, (int)len);
	EVP_PKEY *key;
	enum sftp_key_type type = SFTP_KEY_UNKNOWN;

	if (!bio)
		return type;
	key = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
	if (key) {
		switch (EVP_PKEY_get_base_id(key)) {
		case EVP_PKEY_RSA:
		case EVP_PKEY_RSA_PSS:
			type = SFTP_KEY_RSA;
			break;
		case EVP_PKEY_EC:
			type = SFTP_KEY_ECDSA;
			break;
		case EVP_PKEY_ED25519:
			type = SFTP_KEY_ED25519;
			break;
		case EVP_PKEY_DSA:
			type = SFTP_KEY_DSA;
			break;
		default:
			break;
		}
		EVP_PKEY_free(key);
	}
	BIO_free(bio);
	return type;
}

enum sftp_key_type sftp_key_type_of(const char *text, size_t len)
{
	static const char openssh[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	const char *at;

	if (find(text, len, "-----BEGIN RSA PRIVATE KEY-----"))
		return SFTP_KEY_RSA;
	if (find(text, len, "-----BEGIN DSA PRIVATE KEY-----"))
		return SFTP_KEY_DSA;
	if (find(text, len, "-----BEGIN EC PRIVATE KEY-----"))
		return SFTP_KEY_ECDSA;
	if ((at = find(text, len, openssh)) != NULL) {
		bool encrypted = false;
		at += sizeof(openssh) - 1;
		return openssh_type(at, len - (size_t)(at - text), &encrypted);
	}
	if (find(text, len, "-----BEGIN PRIVATE KEY-----"))
		return pkcs8_type(text, len);
	return SFTP_KEY_UNKNOWN;
}

bool sftp_key_encrypted_in(const char *text, size_t len)
{
	static const char openssh[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	const char *at;

	if (find(text, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----") ||
	    find(text, len, "Proc-Type: 4,ENCRYPTED"))
		return true;
	if ((at = find(text, len, openssh)) != NULL) {
		bool encrypted = false;
		at += sizeof(openssh) - 1;
		openssh_type(at, len - (size_t)(at - text), &encrypted);
		return encrypted;
	}
	return false;
}

enum edi_code sftp_key_type(const char *path, enum sftp_key_type *type,
			    bool *encrypted, struct edi_error *err)
{
	char chunk[4096];
	struct buf text;
	struct stat st;
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*type = SFTP_KEY_UNKNOWN;
	if (encrypted)
		*encrypted = false;
	if (fd < 0)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"cannot read key '%s': %s", path,
				strerror(errno));
	if (fstat(fd, &st) == 0 && (st.st_mode & 077)) {
		close(fd);
		return edi_fail(err, EDI_ECONFIG, NULL,
				"key '%s' can be read by others (mode %04o); "
				"a private key must be the owner's only: "
				"chmod 600 '%s'",
				path, (unsigned)(st.st_mode & 07777), path);
	}
	buf_init(&text, SFTP_KEY_FILE_MAX);
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || buf_add(&text, chunk, (size_t)got) != EDI_OK) {
			int e = errno;
			close(fd);
			buf_release(&text);
			return edi_fail(err, EDI_ECONFIG, NULL,
					"cannot read key '%s': %s", path,
					got < 0 ? strerror(e)
						: "larger than 64 KiB");
		}
	}
	close(fd);
	*type = sftp_key_type_of(text.ptr ? text.ptr : "", text.len);
	if (encrypted)
		*encrypted = sftp_key_encrypted_in(text.ptr ? text.ptr : "",
						   text.len);
	buf_release(&text);
	return EDI_OK;
}
