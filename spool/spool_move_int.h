/*
 * spool_move_int - what spool_move.c (admission, recovery) and
 * spool_tidy.c (tmp/ at open) share; not for other modules.
 */
#ifndef EDI_SPOOL_MOVE_INT_H
#define EDI_SPOOL_MOVE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "edi_error.h"
#include "spool_layout.h"

/* Size and SHA-256 (lower-case hex) of what fd reads to its end; path
 * names it in errors. */
enum edi_code spool_digest_fd(int fd, const char *path, uint64_t *size,
			      char hex[65], struct edi_error *err);
/* The partner part of an id made by spool_id_new(), or "". */
void spool_partner_of(const char *id, char dst[SPOOL_ID_PARTNER_MAX]);
/*
 * Make the entry folder dir (id, in state) complete: drop temp files,
 * find the received file, rebuild meta.json when it is missing or names
 * another file.  *has_data is false when there is no received file.
 */
enum edi_code spool_complete_entry(const struct spool *sp,
				   enum spool_state state, const char *id,
				   const char *dir, time_t now, bool *has_data,
				   struct edi_error *err);

#endif
