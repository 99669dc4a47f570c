/*
 * sftp_key - what kind of private key a key file holds, before using it.
 *
 * libssh2 1.10 signs with RSA keys only as "ssh-rsa" (SHA-1), which
 * OpenSSH 8.8 and later refuse; the login then fails with a bare
 * "Username/PublicKey combination invalid".  sftp_key_type() reads the
 * key file (OpenSSH "BEGIN OPENSSH PRIVATE KEY", whose public part is
 * readable even when the key is encrypted, and the PEM forms "BEGIN RSA
 * / EC / DSA PRIVATE KEY" and PKCS#8 "BEGIN PRIVATE KEY"), so that the
 * caller can refuse an RSA key with a message that says what to do.
 * Pure apart from reading the one file; nothing is kept.
 */
#ifndef EDI_SFTP_KEY_H
#define EDI_SFTP_KEY_H

#include <stdbool.h>
#include <stddef.h>

#include "edi_error.h"

#define SFTP_KEY_FILE_MAX (64u << 10)

enum sftp_key_type {
	SFTP_KEY_UNKNOWN, /* encrypted PKCS#8 or a format not known here */
	SFTP_KEY_ED25519,
	SFTP_KEY_ECDSA,
	SFTP_KEY_RSA,
	SFTP_KEY_DSA
};

/* "unknown", "ed25519", "ECDSA", "RSA", "DSA". */
const char *sftp_key_type_name(enum sftp_key_type type);

/* The type of the key in text (the whole key file). */
enum sftp_key_type sftp_key_type_of(const char *text, size_t len);
/*
 * Is the key in text protected by a passphrase (an OpenSSH key with a
 * cipher other than "none", PEM "Proc-Type: 4,ENCRYPTED", PKCS#8 "BEGIN
 * ENCRYPTED PRIVATE KEY")?
 */
bool sftp_key_encrypted_in(const char *text, size_t len);

/*
 * Read path and tell its type into *type and whether it is encrypted
 * into *encrypted (may be NULL); EDI_ECONFIG when the file cannot be read
 * (with strerror), is larger than SFTP_KEY_FILE_MAX, or can be read by
 * others than its owner (as OpenSSH, which refuses such keys).
 */
enum edi_code sftp_key_type(const char *path, enum sftp_key_type *type,
			    bool *encrypted, struct edi_error *err);

#endif
