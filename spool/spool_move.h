/*
 * spool_move - the spool's state machine: every legal move of an entry.
 *
 * An entry changes state only through spool_move(): one rename(2) of its
 * folder inside the spool, then fsync of the folder it went to and of the
 * one it left, so a crash leaves it in exactly one of the two.  The legal
 * moves are the rows of spool_moves[] (docs: DESIGN.md §2):
 *
 *   tmp      -> in        an admission cut short by a crash (spool_open)
 *   tmp      -> work      admission: the staged entry is claimed
 *   in       -> work      claim by a run
 *   in       -> hold      parked by an operator before processing
 *   work     -> in        recovery: the run that claimed it died
 *   work     -> archive   processed (archive/YYYY-MM-DD/<id>)
 *   work     -> error     rejected (reason.json written first)
 *   work     -> deferred  delivery failed transiently
 *   deferred -> work      retry
 *   deferred -> error     retries used up
 *   deferred -> hold      parked by an operator
 *   error    -> in        replay
 *   error    -> hold      parked by an operator
 *   hold     -> in        release
 *
 * Nothing leaves archive (retention deletes it).  Any other move fails
 * with EDI_EUSAGE; a missing entry with EDI_ENOENT naming the id; a target
 * already holding the id with EDI_EUSAGE.  Callers that change entries in
 * work/ hold the spool lock (spool_lock.h).
 */
#ifndef EDI_SPOOL_MOVE_H
#define EDI_SPOOL_MOVE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "edi_error.h"
#include "spool_layout.h"

struct spool_move_rule {
	enum spool_state from;
	enum spool_state to;
	const char *why;
};

extern const struct spool_move_rule spool_moves[];
extern const size_t spool_nmoves;

/* Is from -> to a row of spool_moves[]? */
bool spool_move_legal(enum spool_state from, enum spool_state to);

/*
 * Move entry id from one state to another.  now is the processing time:
 * a move to archive goes to archive/YYYY-MM-DD/ of now in UTC (created
 * when missing); other moves ignore it.
 */
enum edi_code spool_move(const struct spool *sp, const char *id,
			 enum spool_state from, enum spool_state to, time_t now,
			 struct edi_error *err);

/*
 * Admit the plain file in/<name> (a base name; dot names are skipped as
 * unfinished) that another program dropped there: give it an id (partner:
 * a hint for the id and meta, NULL when unknown), and make it the entry
 * work/<id>/ claimed by this run.  Crash-safe: the file is hashed in
 * place, meta.json is written into tmp/<id>/, the file is renamed into
 * tmp/<id>/ and tmp/<id> to work/<id>, with fsyncs between; at any
 * instant the file is in in/ or in an entry, never in both or neither.
 * A file that changes while it is hashed fails with EDI_ETEMP and stays;
 * one replaced in in/ between the hash and the rename is hashed again
 * before the entry is claimed.  Call with the spool lock held.
 */
enum edi_code spool_admit(const struct spool *sp, const char *name,
			  const char *partner, time_t now,
			  char id[SPOOL_ID_MAX], struct edi_error *err);

/* Claim an entry already in in/ (replayed or released): in -> work. */
enum edi_code spool_claim(const struct spool *sp, const char *id,
			  struct edi_error *err);

/*
 * Move every entry in work/ back to in/ keeping its id: the run that
 * claimed them is gone.  Call with the spool lock held.  *nmoved counts
 * the entries moved; on failure the others are still tried and the first
 * error is returned.
 */
enum edi_code spool_recover(const struct spool *sp, size_t *nmoved,
			    struct edi_error *err);

/*
 * Write json (len bytes, checked to be one JSON object) durably as the
 * reason.json of entry id.  The entry is looked for in work/ first (the
 * pipeline writes the reason, then moves work -> error, so an error entry
 * is complete when it appears), then in error/ (an update).
 */
enum edi_code spool_write_reason(const struct spool *sp, const char *id,
				 const char *json, size_t len,
				 struct edi_error *err);

/*
 * Tidy tmp/ (spool_open() calls it with the spool lock held): an entry
 * folder holding a received file goes to in/ keeping its id (meta.json is
 * rebuilt from the file when missing, source "recovered"); an entry folder
 * without one is removed (its file is still in in/); temp files inside
 * an entry folder are removed; plain files directly in tmp/ are removed
 * once older than SPOOL_TMP_GRACE_S before now (a receiver may be writing
 * a younger one).  Folders not named like ids are left alone.  Counts go
 * to sp->tmp_restored and sp->tmp_removed; a leftover that cannot be
 * tidied stays, counted in sp->tmp_kept and described in sp->tmp_problem.
 * Fails only when tmp/ cannot be read.
 */
enum edi_code spool_tidy_tmp(struct spool *sp, time_t now,
			     struct edi_error *err);

#endif
