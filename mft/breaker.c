/*
 * breaker - the circuit breaker state machine and its file; see
 * breaker.h.
 */
#include "breaker.h"

#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "fileio.h"

void breaker_policy_default(struct breaker_policy *p)
{
	p->failure_threshold = BREAKER_DEFAULT_FAILURES;
	p->open_s = BREAKER_DEFAULT_OPEN_S;
	p->half_open_trials = BREAKER_DEFAULT_TRIALS;
}

void breaker_init(struct breaker *b)
{
	memset(b, 0, sizeof(*b));
	b->state = BREAKER_CLOSED;
}

const char *breaker_state_name(enum breaker_state state)
{
	switch (state) {
	case BREAKER_CLOSED:
		return "closed";
	case BREAKER_OPEN:
		return "open";
	case BREAKER_HALF_OPEN:
		return "half-open";
	}
	return "?";
}

static void trip(struct breaker *b, const struct breaker_policy *p, time_t now)
{
	b->state = BREAKER_OPEN;
	b->open_until = (int64_t)now + p->open_s;
	b->changed_at = (int64_t)now;
	b->trials = b->successes = 0;
	b->opened++;
}

bool breaker_allow(struct breaker *b, const struct breaker_policy *p,
		   time_t now)
{
	unsigned trials = p->half_open_trials ? p->half_open_trials : 1;

	switch (b->state) {
	case BREAKER_CLOSED:
		return true;
	case BREAKER_OPEN:
		if ((int64_t)now < b->open_until)
			return false;
		b->state = BREAKER_HALF_OPEN;
		b->changed_at = (int64_t)now;
		b->trials = b->successes = 0;
		/* fall through */
	case BREAKER_HALF_OPEN:
		if (b->trials >= trials)
			return false;
		b->trials++;
		return true;
	}
	return false;
}

void breaker_success(struct breaker *b, const struct breaker_policy *p,
		     time_t now)
{
	unsigned trials = p->half_open_trials ? p->half_open_trials : 1;

	switch (b->state) {
	case BREAKER_CLOSED:
		b->failures = 0;
		return;
	case BREAKER_OPEN:
		return; /* an answer to a request sent before it opened */
	case BREAKER_HALF_OPEN:
		if (++b->successes >= trials) {
			b->state = BREAKER_CLOSED;
			b->failures = b->trials = b->successes = 0;
			b->changed_at = (int64_t)now;
		}
		return;
	}
}

void breaker_failure(struct breaker *b, const struct breaker_policy *p,
		     time_t now)
{
	unsigned threshold = p->failure_threshold ? p->failure_threshold : 1;

	switch (b->state) {
	case BREAKER_CLOSED:
		if (++b->failures >= threshold)
			trip(b, p, now);
		return;
	case BREAKER_OPEN:
		return;
	case BREAKER_HALF_OPEN:
		b->failures++;
		trip(b, p, now);
		return;
	}
}

/* --- the file: "key value" lines --- */

static bool parse_i64(const char *s, const char *end, int64_t *out)
{
	int64_t v = 0;
	bool neg = false;

	if (s < end && *s == '-') {
		neg = true;
		s++;
	}
	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - 9) / 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	*out = neg ? -v : v;
	return true;
}

enum edi_code breaker_load(const char *dir, const char *name, struct breaker *b,
			   struct edi_error *err)
{
	char path[FILEIO_PATH_MAX];
	struct buf text;
	enum edi_code rc;
	const char *p, *end;

	breaker_init(b);
	rc = fileio_join(path, sizeof(path), dir, name, err);
	if (rc)
		return rc;
	rc = fileio_read_all(path, BREAKER_FILE_MAX, &text, err);
	if (rc == EDI_ENOENT) {
		buf_release(&text);
		return EDI_OK;
	}
	if (rc) {
		buf_release(&text);
		return rc;
	}
	p = text.ptr;
	end = text.ptr + text.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *sp, *le = nl ? nl : end;
		int64_t v = 0;
		bool ok;

		sp = memchr(p, ' ', (size_t)(le - p));
		ok = sp != NULL;
		if (ok && !strncmp(p, "state ", 6)) {
			if (le - sp - 1 == 6 && !memcmp(sp + 1, "closed", 6))
				b->state = BREAKER_CLOSED;
			else if (le - sp - 1 == 4 && !memcmp(sp + 1, "open", 4))
				b->state = BREAKER_OPEN;
			else if (le - sp - 1 == 9 &&
				 !memcmp(sp + 1, "half-open", 9))
				b->state = BREAKER_HALF_OPEN;
			else
				ok = false;
		} else if (ok) {
			ok = parse_i64(sp + 1, le, &v) && v >= 0;
			if (ok && !strncmp(p, "failures ", 9))
				b->failures =
					(unsigned)(v > 1000000 ? 1000000 : v);
			else if (ok && !strncmp(p, "open_until ", 11))
				b->open_until = v;
			else if (ok && !strncmp(p, "changed_at ", 11))
				b->changed_at = v;
			else if (ok && !strncmp(p, "opened ", 7))
				b->opened = (uint64_t)v;
			/* unknown keys: written by a newer edigate */
		}
		if (!ok) {
			buf_release(&text);
			breaker_init(b);
			return edi_fail(err, EDI_EDATA, NULL,
					"breaker file '%s' is damaged: '%.*s'",
					path, (int)(le - p > 60 ? 60 : le - p),
					p);
		}
		p = nl ? nl + 1 : end;
	}
	buf_release(&text);
	return EDI_OK;
}

enum edi_code breaker_save(const char *dir, const char *name,
			   const struct breaker *b, struct edi_error *err)
{
	char text[256];
	int n = snprintf(text, sizeof(text),
			 "state %s\nfailures %u\nopen_until %lld\n"
			 "changed_at %lld\nopened %llu\n",
			 breaker_state_name(b->state), b->failures,
			 (long long)b->open_until, (long long)b->changed_at,
			 (unsigned long long)b->opened);

	return fileio_write_durable(dir, name, text, (size_t)n, err);
}
