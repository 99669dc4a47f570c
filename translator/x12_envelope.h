/*
 * x12_envelope - the envelope rules of X12, checked segment by segment.
 *
 * The caller feeds every segment a reader hands out, in order, then calls
 * x12_envelope_finish() at the end of input.  The checker follows the
 * nesting ISA/IEA, GS/GE, ST/SE, checks the counts (SE01, GE01, IEA01),
 * the control numbers (ISA13/IEA02, GS06/GE02, ST02/SE02, GS06 unique in
 * its interchange, ST02 unique in its group), GS01 against ST01, and the
 * ISA and GS fields.  Missing trailers (a truncated file) are errors.
 * Each problem goes to the diagnostics list with its location and the
 * TA1/AK9/AK5 code it maps to (edi_codes.def); checking goes on after an
 * error.
 *
 * Memory is constant per open interchange and group, plus the control
 * numbers seen in the open scopes, kept as runs of consecutive numbers
 * (at most limits.max_tracked runs; past that uniqueness is not checked
 * and a warning says so).
 *
 * x12_envelope_feed() returns the events the segment caused, as bits, so
 * that a translator can hold a transaction set from ST to SE.  The info
 * structs (isa, group, set) describe the current (or just closed) scope
 * and stay valid until the next feed.
 */
#ifndef EDI_X12_ENVELOPE_H
#define EDI_X12_ENVELOPE_H

#include <stdbool.h>
#include <stddef.h>

#include "edi_error.h"
#include "x12_ctlset.h"
#include "x12_scan.h"

enum x12_event {
	X12_EV_ISA_BEGIN = 1 << 0,
	X12_EV_ISA_END = 1 << 1,
	X12_EV_GROUP_BEGIN = 1 << 2,
	X12_EV_GROUP_END = 1 << 3,
	X12_EV_SET_BEGIN = 1 << 4,
	X12_EV_SET_END = 1 << 5
};

struct x12_isa_info {
	char sender_qual[3], sender[16], receiver_qual[3], receiver[16];
	char date[7], time[5], version[6], control[10];
	char ack_requested, usage;
	size_t segment, offset;
	size_t ngroups;
	size_t nerrors_at_start;
	size_t ta1_at_start; /* TA1-level errors before its own */
	bool closed;	     /* by its IEA */
	bool accepted;	     /* ended without TA1-level errors */
};

struct x12_group_info {
	char code[3], sender[16], receiver[16], date[9], time[9];
	char control[10], version[13];
	size_t segment, offset;
	size_t nsets;
	long long ge01; /* the count GE01 declares; -1: none or unreadable */
	size_t nerrors_at_start;
	size_t ak9_at_start; /* AK9-level errors before its own */
	bool closed;	     /* by its GE */
	bool accepted;	     /* ended without AK9-level errors */
};

struct x12_set_info {
	char id[4], control[10];
	size_t segment, offset; /* of the ST */
	size_t nsegments;	/* ST..SE counted so far */
	size_t nerrors_at_start;
	size_t nerrors; /* errors inside the set, once it ended */
	bool closed;	/* by its SE */
};

enum x12_env_state {
	X12_ENV_OUTSIDE,
	X12_ENV_INTERCHANGE,
	X12_ENV_GROUP,
	X12_ENV_SET
};

struct x12_env_summary {
	size_t ninterchanges, ngroups, nsets, nsegments;
};

struct x12_envelope {
	const struct x12_limits *limits;
	struct edi_diag *diag;
	enum x12_env_state state;
	bool group_open;
	struct x12_isa_info isa;
	struct x12_group_info group;
	struct x12_set_info set;
	/* the scopes the last feed ended (a segment may end one scope and
	 * begin the next of the same kind) */
	struct x12_isa_info done_isa;
	struct x12_group_info done_group;
	struct x12_set_info done_set;
	struct x12_ctlset groups_seen; /* GS06 in the interchange */
	struct x12_ctlset sets_seen;   /* ST02 in the group */
	struct x12_env_summary sum;
};

void x12_envelope_init(struct x12_envelope *env,
		       const struct x12_limits *limits, struct edi_diag *diag);
void x12_envelope_release(struct x12_envelope *env);
/* Check one segment; returns the x12_event bits it caused. */
unsigned x12_envelope_feed(struct x12_envelope *env,
			   const struct x12_segment *seg);
/* x12_tag_valid(), inline: every segment of a set is asked. */
static inline bool x12_envelope_tag_sound(struct strview t)
{
	unsigned char a, b, c;

	if (t.len != 2 && t.len != 3)
		return false;
	a = (unsigned char)t.ptr[0];
	b = (unsigned char)t.ptr[1];
	c = t.len == 3 ? (unsigned char)t.ptr[2] : 'A';
	return (unsigned char)(a - 'A') < 26 &&
	       ((unsigned char)(b - 'A') < 26 ||
		(unsigned char)(b - '0') < 10) &&
	       ((unsigned char)(c - 'A') < 26 || (unsigned char)(c - '0') < 10);
}

/*
 * Inside a set (and below the limit of control numbers tracked),
 * x12_envelope_feed() of a segment whose tag x12_envelope_plain() likes
 * only counts it: x12_envelope_count() counts n of them at once.
 */
static inline bool x12_envelope_in_set(const struct x12_envelope *env)
{
	return env->state == X12_ENV_SET && !env->sets_seen.overflow;
}

static inline bool x12_envelope_plain(struct strview tag)
{
	if (!x12_envelope_tag_sound(tag))
		return false;
	/* all but the tags of the envelope: ISA, IEA, ST, SE, GS, GE */
	switch (tag.ptr[0]) {
	case 'I':
		return tag.len != 3 ||
		       !((tag.ptr[1] == 'S' && tag.ptr[2] == 'A') ||
			 (tag.ptr[1] == 'E' && tag.ptr[2] == 'A'));
	case 'S':
		return tag.len != 2 || (tag.ptr[1] != 'T' && tag.ptr[1] != 'E');
	case 'G':
		return tag.len != 2 || (tag.ptr[1] != 'S' && tag.ptr[1] != 'E');
	default:
		return true;
	}
}

static inline void x12_envelope_count(struct x12_envelope *env, size_t n)
{
	env->sum.nsegments += n;
	env->set.nsegments += n;
}

/* End of input at offset: closes what is open, with errors. */
unsigned x12_envelope_finish(struct x12_envelope *env, size_t offset);

/*
 * Read everything r hands out through env; diagnostics go to the lists
 * both were given.  Fails only when the reader's source fails.
 */
enum edi_code x12_envelope_check(struct x12_reader *r, struct x12_envelope *env,
				 struct edi_error *err);

/*
 * The functional identifier code (GS01) that belongs to transaction set
 * id (ST01), or NULL when edigate does not know it.
 */
const char *x12_group_code_for(struct strview set_id);

#endif
