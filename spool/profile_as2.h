/*
 * profile_as2 - the `as2:` section of a partner profile.
 *
 * profile_as2_parse() checks the section (every key, every value) and
 * returns it as a struct as2_partner (mft/as2_msg.h) allocated in the
 * registry's arena, with certificate and key paths made absolute or
 * relative to the profile's folder.  The files must exist (a missing one
 * is a profile mistake) but are read only when a message is sent or
 * received.  Mistakes go to errors as "file:line:col: what is wrong" and
 * NULL is returned; no section gives NULL without errors.
 *
 *   as2:
 *     their_id: ACME-AS2             # their AS2 name (AS2-From of theirs)
 *     our_id: EDIGATE-AS2            # ours (AS2-To of theirs)
 *     url: https://as2.acme.example/as2   # where we send (needed to send)
 *     their_certificate: certs/acme.pem   # verify theirs, encrypt to them
 *     our_certificate: certs/ours.pem     # sign ours, decrypt theirs
 *     our_key: certs/ours.key
 *     ca_file: certs/acme-ca.pem     # https: trust this CA (default: system)
 *     sign: true                     # default true
 *     encrypt: true                  # default true
 *     compress: none                 # before-signing | after-signing
 *     require_signed: true           # inbound; default: as sign
 *     require_encrypted: true        # inbound; default: as encrypt
 *     micalg: sha-256                # sha1 for legacy partners
 *     micalg_spelling: sha-256       # or sha256 (interop)
 *     cipher: aes256-cbc             # aes128-cbc, aes192-cbc, des-ede3-cbc
 *     mdn: sync                      # async | none
 *     signed_mdn: true               # ask for (and require) a signed MDN
 *     mdn_url: http://us.example:4080/as2   # async: where MDNs come back
 *     transfer_encoding: binary      # or base64 (interop)
 *     chunked: false                 # only false: bodies carry a length
 *     content_type: application/edi-x12
 *     subject: EDI message
 *     timeout: 300                   # seconds per attempt
 *     retries: 2                     # resends, same Message-ID
 *     retry_wait: 10                 # seconds between attempts
 *     max_send_rate: 0               # bytes per second, 0: no limit
 *
 * docs/as2.md and docs/partners.md describe the keys.
 */
#ifndef EDI_PROFILE_AS2_H
#define EDI_PROFILE_AS2_H

#include "arena.h"
#include "as2_msg.h"
#include "edi_error.h"
#include "yaml_doc.h"

#define PROFILE_AS2_DEFAULT_TIMEOUT    300
#define PROFILE_AS2_DEFAULT_RETRIES    2
#define PROFILE_AS2_DEFAULT_RETRY_WAIT 10

/*
 * Parse section (the value of `as2:`, NULL: none) of the profile in file
 * into a in arena; see above.
 */
struct as2_partner *profile_as2_parse(struct arena *a,
				      const struct ynode *section,
				      const char *file,
				      struct edi_diag *errors);

#endif
