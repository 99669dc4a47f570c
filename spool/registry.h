/*
 * registry - the partner profiles and maps one run works with.
 *
 * registry_load() reads every *.yaml under the maps folder and the
 * partners folder (a file whose top level has `map:` is a map, one with
 * `id:` a partner profile, so partner maps can live next to their
 * profiles), resolves the maps' `extends`, and checks every profile: its
 * ids, the maps it names, its rule switches.  Every mistake goes to
 * errors as "file:line:col: what is wrong"; a registry with errors must
 * not be used (EDI_ECONFIG).  The registry owns everything it loaded.
 *
 * docs/partners.md describes the profile format.
 */
#ifndef EDI_REGISTRY_H
#define EDI_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "edi_error.h"
#include "map.h"
#include "map_rules.h"
#include "profile_x12.h"
#include "strview.h"

/* Limits on what is loaded. */
#define REGISTRY_MAX_FILES	10000
#define REGISTRY_MAX_FILE_BYTES (8u << 20)
#define REGISTRY_MAX_IDS	32 /* interchange ids per side of a profile */

/* One X12 interchange id: qualifier (ISA05/07) and id (ISA06/08). */
struct partner_isa_id {
	const char *qual;
	const char *id;
};

struct partner_map_choice {
	const char *document; /* ST01, "850" */
	const char *version;  /* NULL: any version */
	const char *map_id;
	const struct map *map;
};

struct partner_flat {
	const char *pattern; /* PCRE2 on the file's base name */
	void *regex;
	const char *map_id;
	const struct map *map;
};

struct partner_sftp; /* profile_sftp.h */
struct as2_partner;  /* mft/as2_msg.h, profile_as2.h */

struct partner {
	const char *id;
	const char *name;
	const char *file;
	bool enabled;
	struct partner_isa_id *them, *us; /* their ids, ours */
	size_t nthem, nus;
	struct partner_map_choice *maps;
	size_t nmaps;
	struct partner_flat *flat;
	size_t nflat;
	struct map_rule_opts rules;
	const char **outputs;
	size_t noutputs;
	const char *ack_type;	   /* "997" (default), "999", "none" */
	const char *ta1;	   /* "auto" (default), "always", "never" */
	unsigned ack_window_hours; /* their 997 is overdue after; 0 never */
	struct partner_x12 x12;	   /* how we write X12 to them */
	struct partner_sftp *sftp; /* the sftp: section; NULL: none */
	struct as2_partner *as2;   /* the as2: section; NULL: none */
};

struct registry {
	struct arena arena;
	struct map_set maps;
	struct partner *partners;
	size_t npartners;
	const char *maps_dir, *partners_dir;
	size_t nmap_files, nprofile_files;
};

/*
 * Load maps_dir and partners_dir (either may be NULL: none).  Returns
 * EDI_OK, EDI_ECONFIG with the mistakes in errors, or EDI_ENOENT when a
 * folder does not exist (errors says which).
 */
enum edi_code registry_load(struct registry *reg, const char *maps_dir,
			    const char *partners_dir, struct edi_diag *errors);
void registry_release(struct registry *reg);

const struct partner *registry_partner(const struct registry *reg,
				       const char *id);
/*
 * The enabled partner whose ids match an interchange: sender among their
 * ids and receiver among ours (when the profile lists ours).  NULL: none.
 */
const struct partner *registry_partner_for_isa(const struct registry *reg,
					       const char *sender_qual,
					       const char *sender,
					       const char *receiver_qual,
					       const char *receiver);
/*
 * The map for a document and version: the partner's choice when it has
 * one, else the most specific shipped map.  NULL: none.
 */
const struct map *registry_map_for(const struct registry *reg,
				   const struct partner *p,
				   struct strview document,
				   struct strview version);

/*
 * What translate and validate use for a set: the forced partner, else the
 * one the ISA ids name (NULL: none), its rule switches into *rules, and
 * the map registry_map_for() gives.
 */
const struct map *registry_select(const struct registry *reg,
				  const struct partner *forced,
				  const char *sender_qual, const char *sender,
				  const char *receiver_qual,
				  const char *receiver, struct strview document,
				  struct strview version, const char **partner,
				  struct map_rule_opts *rules);

#endif
