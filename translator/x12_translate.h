/*
 * x12_translate - drive one X12 input from bytes to canonical records.
 *
 * x12_translate_run() reads segments, checks the envelope, holds every
 * transaction set from ST to SE (x12_reader_mark), and for each set that
 * is sound at the envelope level: chooses its map (hooks->select_map),
 * places and checks it against the guide (map_guide), runs the map's rules
 * (map_rules) and builds its record (map_exec).  The caller gets one call
 * per set, accepted (on_record) or rejected (on_set_rejected, with every
 * error of that set), and one per group and interchange end with whether
 * the envelope around the sets was sound: a group with an AK9-level error
 * or an interchange with a TA1-level error rejects the sets inside it, so
 * a caller that delivers records holds them until then.
 *
 * Memory: one set's bytes in the reader's window plus one arena per set,
 * reset between sets.  Nothing here prints or touches files.
 */
#ifndef EDI_X12_TRANSLATE_H
#define EDI_X12_TRANSLATE_H

#include <stdbool.h>

#include "arena.h"
#include "buf.h"
#include "edi_error.h"
#include "map.h"
#include "map_exec.h"
#include "map_rules.h"
#include "rec_value.h"
#include "x12_envelope.h"
#include "x12_scan.h"

/* What one set was, for the hooks. */
struct x12_set_result {
	const struct x12_envelope *env; /* isa, group and set info */
	const struct map *map;		/* NULL when none was found */
	const char *partner;		/* profile id, or NULL */
	const struct rec_value *record; /* accepted sets, unless json */
	/* accepted: the record was written to json_out's buf instead */
	bool json;
	const struct edi_diag *errors; /* rejected sets: why */
	const char *stage; /* rejected: "envelope", "validate" or "map" */
};

/* select_map's way to refuse a set with its own stage and reason. */
struct x12_veto {
	const char *stage; /* "partner", "envelope", ...; NULL: no veto */
	enum edi_code code;
	char msg[EDI_MSG_MAX];
	bool skip; /* neither accepted nor rejected (an ignored duplicate) */
};

struct x12_translate_hooks {
	void *ctx;
	/*
	 * The map for a set (ST01 `document`, GS08 `version`) and the
	 * partner profile id (NULL: none); NULL when there is no map.  May
	 * also fill *rules with the partner's rule options.
	 */
	const struct map *(*select_map)(void *ctx,
					const struct x12_envelope *env,
					struct strview document,
					struct strview version,
					const char **partner,
					struct map_rule_opts *rules,
					struct x12_veto *veto);
	void (*on_record)(void *ctx, const struct x12_set_result *r);
	void (*on_set_rejected)(void *ctx, const struct x12_set_result *r);
	void (*on_group_end)(void *ctx, const struct x12_envelope *env,
			     bool accepted);
	void (*on_interchange_end)(void *ctx, const struct x12_envelope *env,
				   bool accepted);
};

struct x12_translate_opts {
	const struct x12_limits *limits;
	const char *file;	    /* for source.file */
	const char *correlation_id; /* for every record */
	/*
	 * Check only (edigate validate): no records are built; a set that
	 * passes reaches on_record with record NULL, and a set without a map
	 * passes with a warning (its envelope was checked).
	 */
	bool validate_only;
};

struct x12_translate_stats {
	size_t sets, accepted, rejected, skipped;
	struct x12_env_summary envelope; /* interchanges, groups, ... */
};

/*
 * Translate everything r hands out.  File-level diagnostics (envelope)
 * go to diag; per-set errors reach the hooks.  Fails only when the
 * reader's source fails.
 */
enum edi_code x12_translate_run(struct x12_reader *r, struct edi_diag *diag,
				const struct x12_translate_opts *opts,
				const struct x12_translate_hooks *hooks,
				struct x12_translate_stats *stats,
				struct edi_error *err);

/*
 * x12_translate_run() with records written as JSON where json_out says,
 * for speed: once a set has passed its checks, json_out(hooks->ctx) gives
 * the buf its record goes to (NULL: the tree, as usual).  When
 * map_exec_json_ready() accepts it, the record's JSON is appended as
 * rec_json_write_names() would write it (nothing when the record fails,
 * see map_exec_json()), and on_record is called with json true and no
 * tree.
 */
enum edi_code x12_translate_run_json(struct x12_reader *r,
				     struct edi_diag *diag,
				     const struct x12_translate_opts *opts,
				     const struct x12_translate_hooks *hooks,
				     struct buf *(*json_out)(void *ctx),
				     struct x12_translate_stats *stats,
				     struct edi_error *err);

#endif
