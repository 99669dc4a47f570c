/*
 * acks - the acknowledgments a partner gets, by its profile.
 *
 * acks_options() turns a partner profile (acks: type, ta1; x12:
 * delimiters) into the translator's struct ack_opts.  acks_stage() answers
 * every interchange an ack_collector saw in one spool entry: it finds the
 * partner from the ISA ids, takes ISA13 and GS06 from the partner's
 * counters in the journal, writes the 997/999/TA1 (translator/ack) and
 * stages it in the outbox, all inside the caller's journal transaction,
 * so the control numbers and the file commit together (outbox.h).  An
 * interchange already answered (a replay) is not answered again.
 */
#ifndef EDI_ACKS_H
#define EDI_ACKS_H

#include <stddef.h>
#include <time.h>

#include "ack.h"
#include "edi_error.h"
#include "journal.h"
#include "outbox.h"
#include "registry.h"

/* Dates and times for an ack made at one moment. */
struct acks_clock {
	char date6[7], date8[9], time4[5];
};
void acks_clock_at(struct acks_clock *c, time_t now);

/*
 * Options for partner p (NULL: the defaults, 997 and TA1 on request);
 * type: NULL (the profile's), "997", "999" or "ta1" (a TA1 only).
 * False when the partner gets no acknowledgments at all (type none and
 * ta1 never).  d receives the delimiters when the profile names them.
 */
bool acks_options(const struct partner *p, const char *type,
		  const struct acks_clock *clk, struct ack_opts *o,
		  struct x12_write_delims *d);

/*
 * Stage the answers to what c collected for entry_id.  only_partner:
 * the partner a transport received the file from (NULL: any); an
 * interchange whose ISA names another partner is not answered (it went
 * to error/ at the partner boundary).  *nstaged counts the files staged.
 */
enum edi_code acks_stage(const struct registry *reg, struct journal *j,
			 struct outbox *ob, const struct ack_collector *c,
			 const char *entry_id, const char *only_partner,
			 time_t now, size_t *nstaged, struct edi_error *err);

#endif
