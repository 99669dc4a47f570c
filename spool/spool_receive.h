/*
 * spool_receive - put a file a transport received into in/ as an entry.
 *
 * Transports (SFTP pull, the AS2 receiver) hand their bytes to a struct
 * spool_receipt: spool_receive_open() gives the entry its id and creates
 * tmp/<id>/; spool_receive_write() appends (hashing as it goes) to a temp
 * file inside it; spool_receive_commit() fsyncs the file, renames it to its
 * stored name, writes meta.json (source, partner, transport details) and
 * renames tmp/<id> to in/<id>, fsync'ing every folder involved.  Only
 * after commit returns EDI_OK may the transport tell its peer the file is
 * safe (delete the remote file, answer with an MDN).
 *
 * A crash before the commit's data rename leaves only a temp file in
 * tmp/<id>/, which spool_open() removes (the sender still has the file);
 * a crash after it leaves a complete entry that spool_open() moves to in/.
 * So a received file is in in/ once, or not at all; never half.
 * The caller must not hold the spool lock: in/ is for other programs too.
 */
#ifndef EDI_SPOOL_RECEIVE_H
#define EDI_SPOOL_RECEIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "edi_error.h"
#include "fileio.h"
#include "spool_layout.h"

struct spool_receipt {
	const struct spool *sp;
	struct spool_meta meta;	   /* id, name, source, partner, size, sha256 */
	char dir[FILEIO_PATH_MAX]; /* tmp/<id> */
	struct fileio_writer w;
	bool open;
	uint64_t max_bytes; /* 0: no limit */
	void *hash;	    /* EVP_MD_CTX */
};

/*
 * Start receiving name (as the sender called it; stored under a safe
 * name) from source ("sftp:acme", "as2:acme"), for partner (NULL: not
 * known; the pipeline then identifies it from the content).  max_bytes
 * caps the size (0: none): a longer file fails the write with EDI_ELIMIT.
 * On failure nothing is left behind.
 */
enum edi_code spool_receive_open(struct spool_receipt *r,
				 const struct spool *sp, const char *name,
				 const char *source, const char *partner,
				 uint64_t max_bytes, time_t now,
				 struct edi_error *err);
/* Append n bytes; on failure the receipt is aborted. */
enum edi_code spool_receive_write(struct spool_receipt *r, const void *p,
				  size_t n, struct edi_error *err);
/*
 * Make the entry appear in in/ (see above).  transport_json: NULL or one
 * JSON object (at most SPOOL_TRANSPORT_MAX-1 bytes) kept in meta.json as
 * "transport", e.g. {"host":"...","path":"/out/a.x12"}.  The entry id is
 * r->meta.id.  The receipt is finished afterwards, success or not; on
 * failure nothing reached in/.
 */
enum edi_code spool_receive_commit(struct spool_receipt *r,
				   const char *transport_json,
				   struct edi_error *err);
/* Give up: remove tmp/<id>/.  Safe on a finished receipt. */
void spool_receive_abort(struct spool_receipt *r);

/* open + write + commit of one buffer; the id goes to id. */
enum edi_code spool_receive_bytes(const struct spool *sp, const char *name,
				  const char *source, const char *partner,
				  const void *data, size_t len,
				  const char *transport_json, time_t now,
				  char id[SPOOL_ID_MAX], struct edi_error *err);

#endif
