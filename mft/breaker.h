/*
 * breaker - a circuit breaker per endpoint, kept in a small file.
 *
 * closed: requests go through; failure_threshold failures in a row open
 * the breaker.  open: nothing is sent until open_s seconds have passed;
 * then the breaker is half-open and lets half_open_trials requests
 * through; that many successes close it, one failure opens it again for
 * open_s.  A success in closed state resets the count.  The caller decides
 * what a failure is (for a push: connection errors, timeouts, 408, 425,
 * 429, 5xx; a permanent 4xx means the endpoint is up).
 *
 * struct breaker is plain data the caller owns.  breaker_load() and
 * breaker_save() keep it as a few "key value" lines in a file written
 * durably (fileio), so the state survives a run and a crash; a missing
 * file is a closed breaker.  The counter of trials let through while
 * half-open is not kept: a run that died during a trial gives the next
 * run a fresh trial.  Loading fails with EDI_EDATA (the file named) when
 * the file is damaged; nothing here prints.
 */
#ifndef EDI_BREAKER_H
#define EDI_BREAKER_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "edi_error.h"

#define BREAKER_FILE_MAX	 4096
#define BREAKER_DEFAULT_FAILURES 5
#define BREAKER_DEFAULT_OPEN_S	 300
#define BREAKER_DEFAULT_TRIALS	 1

enum breaker_state { BREAKER_CLOSED, BREAKER_OPEN, BREAKER_HALF_OPEN };

struct breaker_policy {
	unsigned failure_threshold; /* failures in a row that open it */
	unsigned open_s;	    /* seconds it stays open */
	unsigned half_open_trials;  /* requests let through, successes needed */
};

struct breaker {
	enum breaker_state state;
	unsigned failures;  /* in a row (closed), or that opened it */
	unsigned trials;    /* let through while half-open (not saved) */
	unsigned successes; /* while half-open */
	int64_t open_until; /* open: when a trial may go */
	int64_t changed_at; /* last change of state */
	uint64_t opened;    /* times it opened, ever */
};

void breaker_policy_default(struct breaker_policy *p);
/* A closed breaker. */
void breaker_init(struct breaker *b);
/*
 * May a request go now?  Moves open -> half-open when open_s has passed;
 * while half-open counts the trials let through.
 */
bool breaker_allow(struct breaker *b, const struct breaker_policy *p,
		   time_t now);
void breaker_success(struct breaker *b, const struct breaker_policy *p,
		     time_t now);
void breaker_failure(struct breaker *b, const struct breaker_policy *p,
		     time_t now);
/* "closed", "open", "half-open". */
const char *breaker_state_name(enum breaker_state state);

/* Read dir/name into *b; a missing file gives a closed breaker. */
enum edi_code breaker_load(const char *dir, const char *name, struct breaker *b,
			   struct edi_error *err);
/* Write *b durably as dir/name (dir must exist). */
enum edi_code breaker_save(const char *dir, const char *name,
			   const struct breaker *b, struct edi_error *err);

#endif
