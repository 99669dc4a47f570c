/*
 * retry - when to try a failed delivery again: capped exponential backoff
 * with full jitter, Retry-After, and which HTTP answers are worth a retry.
 *
 * Pure functions, no clock and no randomness of their own: the caller
 * passes the time and a random number, so the policy is testable.  After
 * the n-th failure of a delivery the next attempt comes retry_backoff_s()
 * seconds later: min(cap, base * 2^(n-1)), and with full jitter a
 * uniformly chosen value in [0, that] (AWS "full jitter").  A Retry-After
 * the server sent is a floor: the next attempt is never earlier.
 * Retryable are connection failures and timeouts (decided by the caller),
 * HTTP 408, 425, 429 and 5xx; every other 4xx (and 1xx/3xx, which a push
 * does not expect) is permanent.  Nothing here fails, prints or allocates.
 */
#ifndef EDI_RETRY_H
#define EDI_RETRY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define RETRY_AFTER_MAX_S   (7u * 86400) /* a longer Retry-After is cut */
#define RETRY_DEFAULT_TRIES 10
#define RETRY_DEFAULT_BASE  30
#define RETRY_DEFAULT_CAP   3600

struct retry_policy {
	unsigned attempts;     /* attempts in all before giving up (>= 1) */
	unsigned base_delay_s; /* backoff after the first failure */
	unsigned cap_s;	       /* the backoff never grows past this */
	bool full_jitter;      /* false: exactly the exponential value */
};

enum retry_class {
	RETRY_DONE,	 /* 2xx: delivered */
	RETRY_TRANSIENT, /* try again later */
	RETRY_PERMANENT	 /* the request itself is wrong: stop */
};

/* The defaults above, full jitter. */
void retry_policy_default(struct retry_policy *p);

/* What an HTTP status means for a push. */
enum retry_class retry_classify_http(long status);

/*
 * Seconds to wait after failures failures (>= 1): the exponential value,
 * or with full jitter rnd mapped onto [0, that value].
 */
uint64_t retry_backoff_s(const struct retry_policy *p, unsigned failures,
			 uint64_t rnd);

/*
 * A Retry-After header value: delta-seconds ("120") or an HTTP-date
 * (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", the obsolete RFC 850 and
 * asctime forms).  *delay_s is the wait from now (0 for a date in the
 * past), at most RETRY_AFTER_MAX_S.  False for anything else.
 */
bool retry_after_parse(const char *value, time_t now, uint64_t *delay_s);

/*
 * When to try next after failures failures at now: now + the backoff, or
 * later when a Retry-After (retry_after_s, when has_retry_after) says so.
 */
time_t retry_next_at(const struct retry_policy *p, unsigned failures,
		     time_t now, bool has_retry_after, uint64_t retry_after_s,
		     uint64_t rnd);

/* Has a delivery that failed failures times used up its attempts? */
bool retry_exhausted(const struct retry_policy *p, unsigned failures);

#endif
