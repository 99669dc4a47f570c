/*
 * pipeline_int - what the pipeline's files share: pipeline.c (groups,
 * batches, recovery, the run), pipeline_hooks.c (the translator's hooks:
 * one entry's records, rejections and acknowledgments) and
 * pipeline_entry.c (one entry: deliver into the group's batches, journal,
 * reason.json).  Not for other modules.
 */
#ifndef EDI_PIPELINE_INT_H
#define EDI_PIPELINE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "ack.h"
#include "ack_match.h"
#include "buf.h"
#include "edi_error.h"
#include "fileio.h"
#include "json_out.h"
#include "outbox.h"
#include "pipeline.h"
#include "rec_json.h"
#include "spool_layout.h"
#include "strview.h"

#define BATCH_DIR "state/batches"

/* --- one batch file per (output, doc_type) in a group --- */

struct batch {
	const struct config_output *out;
	char doc_type[32];
	char name[SPOOL_NAME_MAX];
	char tmp_path[FILEIO_PATH_MAX];
	int fd;
	size_t nrecords;
};

/* --- what one entry produced --- */

struct rec_note {
	char id[JOURNAL_ID_MAX];
	char doc_key[JOURNAL_NAME_MAX];
	char doc_type[JOURNAL_WORD_MAX];
	char st01[8], isa13[16], gs06[16], st02[16];
	size_t json_off, json_len; /* in entry.json */
	size_t csv_off, csv_len;   /* in entry.csv */
	unsigned group_seq, isa_seq;
	bool alive;
	bool internal; /* a partner's 997/999: matched, not delivered */
};

struct entry {
	char id[SPOOL_ID_MAX];
	struct spool_meta meta;
	char dir[FILEIO_PATH_MAX]; /* work/<id> */
	const struct partner *partner;
	unsigned attempts;
	bool duplicate_ignored;
	/* records */
	struct rec_note *notes;
	size_t nnotes, cap;
	struct buf json, csv, line;
	unsigned group_seq, isa_seq;
	/* why it goes to error/ */
	const char *stage;    /* NULL: archive */
	struct buf sets_json; /* rejected sets, JSON objects joined by ',' */
	size_t nrejected;
	struct edi_diag file_diag;
	char veto_msg[EDI_MSG_MAX];
	bool journal_failed; /* a journal read failed while translating */
	struct edi_error journal_error;
	/* interchanges checked for duplicates in this entry */
	char last_isa[64];
	bool last_isa_dup;
	struct {
		char sender[24], receiver[24], control[16];
	} * isas;
	size_t nisas;
	struct ack_collector acks;  /* what the partner is answered */
	struct ack_matches acks_in; /* what the partner's 997s say */
};

struct group {
	struct pipeline *p;
	struct pipeline_stats *stats;
	time_t now;
	struct outbox outbox; /* acks and outbound X12 of this group */
	struct batch *batches;
	size_t nbatches, cap;
	char first_id[SPOOL_ID_MAX];
	unsigned first_attempt;
	/* moves to do after the commit */
	struct {
		char id[SPOOL_ID_MAX];
		bool to_error;
		bool to_deferred; /* a REST record entry (deliver_rest) */
	} * moves;
	size_t nmoves;
	/* JSON member names rendered once for the group's records (the
	 * registry, which holds them, outlives the group); made on first use */
	struct rec_json_names *names;
};

struct hook_ctx {
	struct group *g;
	struct entry *e;
};

/* The earlier pipeline stage of a and b (NULL counts as none). */
const char *pipeline_worse(const char *a, const char *b);
void pipeline_iso_time(time_t t, char out[24]);

/* The group's batch for (output, doc_type), made on first use. */
struct batch *pipeline_batch_for(struct group *g,
				 const struct config_output *out,
				 const char *doc_type, struct edi_error *err);
enum edi_code pipeline_batch_append(struct batch *b, struct strview bytes,
				    struct edi_error *err);
/* Where a batch of out is published. */
enum edi_code pipeline_batch_final_dir(const struct pipeline *p,
				       const struct config_output *out,
				       char *dir, size_t size,
				       struct edi_error *err);
const struct config_output *pipeline_output_named(const struct config *cfg,
						  const char *name);

/* The errors of d as a JSON array (reason.json). */
void pipeline_errors_json(struct json_out *j, const struct edi_diag *d);
/* Read and translate entry e (pipeline_hooks.c). */
enum edi_code pipeline_translate_entry(struct group *g, struct entry *e,
				       struct edi_error *err);
/* Sets of e not dropped since. */
size_t pipeline_alive_count(const struct entry *e);
/* Process one claimed entry into group g (pipeline_entry.c). */
enum edi_code pipeline_process_entry(struct group *g, const char *id,
				     struct edi_error *err);

#endif
