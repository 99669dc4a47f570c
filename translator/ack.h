/*
 * ack - what edigate answers a partner: 997, 999 and TA1.
 *
 * A struct ack_collector listens to a translation (x12_translate's hooks
 * forward each set result, group end and interchange end to it, with the
 * file's diagnostics) and keeps, per interchange, what an acknowledgment
 * needs: the ISA (for TA1 and for swapping sender and receiver), the
 * interchange-level error (TA105), and per functional group its GS01,
 * GS06, GS08, the AK9-level errors and counts, and per set its ST01/ST02,
 * whether it was accepted, its AK5-level codes and its segment (AK3/IK3)
 * and element (AK4/IK4) errors with their positions.  The codes come from
 * the one table (common/edi_codes.def): every diagnostic carries its level
 * and acknowledgment code.
 *
 * ack_write() then writes one interchange answering one received
 * interchange: a TA1 when asked for (ISA14 = 1, or always, or the
 * envelope was broken), and unless the interchange was rejected as a
 * whole, one 997 or 999 per functional group (never for a group of
 * acknowledgments).  Sender and receiver are swapped, the version is the
 * inbound one, the control numbers are the caller's.
 *
 * The collector owns its memory (ack_collector_release()).  Nothing here
 * prints, reads the clock or touches files.
 */
#ifndef EDI_ACK_H
#define EDI_ACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "edi_error.h"
#include "x12_envelope.h"
#include "x12_translate.h"
#include "x12_write.h"

#define ACK_MAX_CODES	   5  /* AK502..AK506, AK905..AK909 */
#define ACK_MAX_SEG_ERRORS 50 /* AK3 loops per set kept */
#define ACK_MAX_EL_ERRORS  10 /* AK4 per AK3 (the 997 allows 99) */
#define ACK_BAD_DATA_MAX   99 /* AK404 */

struct ack_element_error {
	unsigned element, component; /* 1-based; component 0: none */
	int code;		     /* AK403 / IK403 */
	enum edi_code why;
};

struct ack_segment_error {
	char tag[4];
	size_t position; /* in the set, ST = 1 */
	int code;	 /* AK304; 0: only element errors (written as 8) */
	enum edi_code why;
	struct ack_element_error elements[ACK_MAX_EL_ERRORS];
	size_t nelements;
};

struct ack_set {
	char id[4], control[10];
	bool accepted;
	int codes[ACK_MAX_CODES]; /* AK502.. when not accepted */
	size_t ncodes;
	struct ack_segment_error *segments;
	size_t nsegments;
};

struct ack_group {
	char code[3], control[10], version[13];
	char sender[16], receiver[16]; /* GS02, GS03 */
	long long declared;	       /* GE01; -1 none */
	size_t received;	       /* STs in the group */
	bool envelope_ok;	       /* no AK9-level error */
	int codes[ACK_MAX_CODES];
	size_t ncodes;
	struct ack_set *sets;
	size_t nsets, cap;
};

struct ack_interchange {
	struct x12_isa_info isa; /* as received */
	struct x12_delims delims;
	bool accepted; /* no TA1-level error */
	int ta1_code;  /* TA105 when not accepted */
	struct ack_group *groups;
	size_t ngroups, cap;
};

struct ack_collector {
	/* the reader's delimiters, copied into each interchange (set by the
	 * caller before the run; NULL: none known) */
	const struct x12_delims *delims;
	/* the file's diagnostics (envelope errors of a set's own ST or SE
	 * are there, not in the set's list); NULL: none */
	const struct edi_diag *file_diag;
	struct ack_interchange *items;
	size_t n, cap;
	size_t diag_ak9, diag_ta1; /* diagnostics looked at so far */
	bool in_interchange, in_group;
};

void ack_collector_init(struct ack_collector *c);
void ack_collector_release(struct ack_collector *c);

/* Forward x12_translate's hooks (accepted: on_record). */
void ack_on_set(struct ack_collector *c, const struct x12_set_result *r,
		bool accepted);
void ack_on_group_end(struct ack_collector *c, const struct x12_envelope *env,
		      const struct edi_diag *file_diag);
void ack_on_interchange_end(struct ack_collector *c,
			    const struct x12_envelope *env,
			    const struct edi_diag *file_diag);

enum ack_kind { ACK_997, ACK_999 };
enum ack_ta1 { ACK_TA1_AUTO, ACK_TA1_ALWAYS, ACK_TA1_NEVER };

struct ack_opts {
	enum ack_kind kind;
	enum ack_ta1 ta1;
	/* delimiters; NULL: the inbound interchange's */
	const struct x12_write_delims *delims;
	const char *suffix; /* after each segment when delims is NULL */
	const char *date6, *date8, *time4; /* YYMMDD, CCYYMMDD, HHMM */
	uint64_t isa13;			   /* our control numbers */
	const uint64_t *gs06; /* one per group answered (ack_needed()) */
	size_t ngs06;
	char usage; /* 'P', 'T'; 0: as received */
};

/* Does ic call for any answer (a TA1 or a group to acknowledge)?  How
 * many GS06 numbers will ack_write() use? */
bool ack_needed(const struct ack_interchange *ic, const struct ack_opts *o,
		size_t *ngroups);
/*
 * Write the answer to ic into out.  EDI_EDATA when an id or delimiter
 * cannot be written (err says which).
 */
enum edi_code ack_write(const struct ack_interchange *ic,
			const struct ack_opts *o, struct buf *out,
			struct edi_error *err);

#endif
