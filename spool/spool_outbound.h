/*
 * spool_outbound - X12 waiting to be sent, and what was sent.
 *
 * outbound/<partner>/<name> holds one file to send to a partner
 * (acknowledgments, outbound 855/856/810/850), written whole by
 * spool_outbound_write() (temp file, fsync, rename, fsync folder), so a
 * transport never sees half a file.  A transport that delivered a file
 * calls spool_outbound_sent(): the receipt is written durably next to
 * where the file goes, then the file is moved to
 * sent/YYYY-MM-DD/<partner>/<name>.  A crash in between leaves the file in
 * outbound/ and it is sent again (the partner's duplicate check and our
 * unique control numbers make that visible, never a loss).
 *
 * Partner ids and names are checked (spool_id_valid(); names are base
 * names without a leading dot); a bad one fails with EDI_EUSAGE.
 */
#ifndef EDI_SPOOL_OUTBOUND_H
#define EDI_SPOOL_OUTBOUND_H

#include <stddef.h>
#include <time.h>

#include "edi_error.h"
#include "fileio.h"
#include "spool_layout.h"

#define SPOOL_RECEIPT_SUFFIX ".receipt.json"

/* Write data as outbound/<partner>/<name> (folders made when missing). */
enum edi_code spool_outbound_write(const struct spool *sp, const char *partner,
				   const char *name, const void *data,
				   size_t len, struct edi_error *err);
/* dst = outbound/<partner>/<name> (name NULL: the folder). */
enum edi_code spool_outbound_path(const struct spool *sp, const char *partner,
				  const char *name, char *dst, size_t size,
				  struct edi_error *err);
/*
 * Call fn for every file waiting in outbound/<partner>/, in name order
 * (producers start names with a UTC time stamp, so that is the order they
 * were made).  Dot names (being written) are skipped.  No folder: no
 * files.  A non-zero return from fn stops the listing and is returned.
 */
enum edi_code spool_outbound_list(const struct spool *sp, const char *partner,
				  enum edi_code (*fn)(void *ctx,
						      const char *name,
						      struct edi_error *err),
				  void *ctx, struct edi_error *err);
/*
 * The partners that have a folder in outbound/, in name order.
 */
enum edi_code spool_outbound_partners(
	const struct spool *sp,
	enum edi_code (*fn)(void *ctx, const char *partner,
			    struct edi_error *err),
	void *ctx, struct edi_error *err);
/*
 * outbound/<partner>/<name> was delivered: write receipt_json (one JSON
 * object, or NULL) as sent/YYYY-MM-DD/<partner>/<name>.receipt.json, then
 * move the file there.  sent_path (size FILEIO_PATH_MAX, may be NULL)
 * gets where the file now is.
 */
enum edi_code spool_outbound_sent(const struct spool *sp, const char *partner,
				  const char *name, const char *receipt_json,
				  time_t now, char *sent_path,
				  struct edi_error *err);

#endif
