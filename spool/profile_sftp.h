/*
 * profile_sftp - the `sftp:` section of a partner profile.
 *
 * profile_sftp_parse() checks the section (every key, every value) and
 * returns it as a struct partner_sftp allocated in the registry's arena,
 * with the include/exclude patterns compiled (PCRE2) and key and
 * known_hosts paths made absolute or relative to the profile's folder.
 * Mistakes go to errors as "file:line:col: what is wrong" and NULL is
 * returned; no section gives NULL without errors.  The key files are not
 * read here (a missing key fails that partner's transfers with a clear
 * message, not the whole registry).  profile_sftp_release() frees the
 * compiled patterns (the registry calls it).
 *
 *   sftp:
 *     host: sftp.acme.example      # required
 *     port: 22
 *     user: edigate                # required
 *     key: keys/acme_ed25519       # required; ed25519 or ECDSA
 *     known_hosts: keys/known_hosts   # required
 *     inbound: /outbox             # remote folder to pull from
 *     include: ['\.x12$']          # PCRE2 on the base name (any: all)
 *     exclude: ['^test']
 *     after_pull: delete           # or {move: /outbox/done}
 *     stable_seconds: 30           # unchanged this long before a pull
 *     done_marker: .done           # or: pull X once X.done exists
 *     max_files: 100               # per pull
 *     outbound: /inbox             # remote folder to push to
 *     connect_timeout: 15          # seconds
 *     transfer_timeout: 120        # seconds without progress
 *     retries: 2                   # more attempts to connect
 *     retry_backoff: 5             # seconds before the first, doubling
 *
 * docs/sftp.md and docs/partners.md describe the keys.
 */
#ifndef EDI_PROFILE_SFTP_H
#define EDI_PROFILE_SFTP_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "edi_error.h"
#include "yaml_doc.h"

#define PROFILE_SFTP_MAX_PATTERNS      64
#define PROFILE_SFTP_DEFAULT_PORT      22
#define PROFILE_SFTP_DEFAULT_STABLE    30
#define PROFILE_SFTP_DEFAULT_MAX_FILES 100
#define PROFILE_SFTP_DEFAULT_CONNECT   15
#define PROFILE_SFTP_DEFAULT_TRANSFER  120
#define PROFILE_SFTP_DEFAULT_RETRIES   2
#define PROFILE_SFTP_DEFAULT_BACKOFF   5

enum profile_sftp_after { PROFILE_SFTP_DELETE, PROFILE_SFTP_MOVE };

struct partner_sftp {
	const char *host;
	unsigned port;
	const char *user;
	const char *key;
	const char *known_hosts;
	const char *inbound;  /* NULL: no pull */
	const char *outbound; /* NULL: no push */
	void **include;	      /* pcre2_code * */
	size_t ninclude;
	void **exclude;
	size_t nexclude;
	enum profile_sftp_after after_pull;
	const char *archive; /* PROFILE_SFTP_MOVE: remote folder */
	unsigned stable_seconds;
	const char *done_marker; /* NULL: none */
	unsigned max_files;
	unsigned connect_timeout_s;
	unsigned transfer_timeout_s;
	unsigned retries;
	unsigned retry_backoff_s;
};

/*
 * Parse section (the value of `sftp:`, NULL: none) of the profile in
 * file into a in arena; see above.
 */
struct partner_sftp *profile_sftp_parse(struct arena *a,
					const struct ynode *section,
					const char *file,
					struct edi_diag *errors);
/* Free the compiled patterns; s may be NULL. */
void profile_sftp_release(struct partner_sftp *s);

#endif
