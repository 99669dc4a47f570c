/*
 * retry - backoff, Retry-After and the retryable statuses; see retry.h.
 *
 * HTTP-dates are turned into seconds with a days-from-civil computation
 * rather than timegm(), which is not POSIX.
 */
#include "retry.h"

#include <string.h>

void retry_policy_default(struct retry_policy *p)
{
	p->attempts = RETRY_DEFAULT_TRIES;
	p->base_delay_s = RETRY_DEFAULT_BASE;
	p->cap_s = RETRY_DEFAULT_CAP;
	p->full_jitter = true;
}

enum retry_class retry_classify_http(long status)
{
	if (status >= 200 && status <= 299)
		return RETRY_DONE;
	if (status == 408 || status == 425 || status == 429 ||
	    (status >= 500 && status <= 599))
		return RETRY_TRANSIENT;
	return RETRY_PERMANENT;
}

uint64_t retry_backoff_s(const struct retry_policy *p, unsigned failures,
			 uint64_t rnd)
{
	uint64_t d = p->base_delay_s;

	if (failures < 1)
		failures = 1;
	for (unsigned i = 1; i < failures && d < p->cap_s; i++)
		d *= 2;
	if (d > p->cap_s)
		d = p->cap_s;
	if (p->full_jitter)
		d = rnd % (d + 1);
	return d;
}

bool retry_exhausted(const struct retry_policy *p, unsigned failures)
{
	return failures >= p->attempts;
}

time_t retry_next_at(const struct retry_policy *p, unsigned failures,
		     time_t now, bool has_retry_after, uint64_t retry_after_s,
		     uint64_t rnd)
{
	uint64_t d = retry_backoff_s(p, failures, rnd);

	if (has_retry_after) {
		if (retry_after_s > RETRY_AFTER_MAX_S)
			retry_after_s = RETRY_AFTER_MAX_S;
		if (retry_after_s > d)
			d = retry_after_s;
	}
	return now + (time_t)d;
}

/* --- HTTP-date --- */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int month_of(const char *s)
{
	static const char *const names[] = {"Jan", "Feb", "Mar", "Apr",
					    "May", "Jun", "Jul", "Aug",
					    "Sep", "Oct", "Nov", "Dec"};

	for (int i = 0; i < 12; i++)
		if (!strncmp(s, names[i], 3))
			return i + 1;
	return 0;
}

/* n digits at *s into *out; advances *s. */
static bool digits(const char **s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if ((*s)[i] < '0' || (*s)[i] > '9')
			return false;
		v = v * 10 + ((*s)[i] - '0');
	}
	*s += n;
	*out = v;
	return true;
}

static bool hms(const char **s, int *h, int *mi, int *se)
{
	if (!digits(s, 2, h) || **s != ':')
		return false;
	(*s)++;
	if (!digits(s, 2, mi) || **s != ':')
		return false;
	(*s)++;
	return digits(s, 2, se) && *h < 24 && *mi < 60 && *se < 61;
}

static bool http_date(const char *s, int64_t *t)
{
	int day = 0, mon, year = 0, h, mi, se;
	const char *comma = strchr(s, ',');

	if (comma && comma - s == 3) {
		/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
		s = comma + 1;
		if (*s++ != ' ' || !digits(&s, 2, &day) || *s++ != ' ' ||
		    !(mon = month_of(s)))
			return false;
		s += 3;
		if (*s++ != ' ' || !digits(&s, 4, &year) || *s++ != ' ' ||
		    !hms(&s, &h, &mi, &se) || strcmp(s, " GMT"))
			return false;
	} else if (comma) {
		/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
		s = comma + 1;
		if (*s++ != ' ' || !digits(&s, 2, &day) || *s++ != '-' ||
		    !(mon = month_of(s)))
			return false;
		s += 3;
		if (*s++ != '-' || !digits(&s, 2, &year) || *s++ != ' ' ||
		    !hms(&s, &h, &mi, &se) || strcmp(s, " GMT"))
			return false;
		year += year < 70 ? 2000 : 1900;
	} else {
		/* asctime: Sun Nov  6 08:49:37 1994 */
		if (strlen(s) < 24 || s[3] != ' ' || !(mon = month_of(s + 4)) ||
		    s[7] != ' ')
			return false;
		s += 8;
		if (*s == ' ')
			s++;
		if (!digits(&s, s[1] == ' ' ? 1 : 2, &day) || *s++ != ' ' ||
		    !hms(&s, &h, &mi, &se) || *s++ != ' ' ||
		    !digits(&s, 4, &year) || *s)
			return false;
	}
	if (day < 1 || day > 31)
		return false;
	*t = days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 +
	     h * 3600 + mi * 60 + se;
	return true;
}

bool retry_after_parse(const char *value, time_t now, uint64_t *delay_s)
{
	const char *s = value;
	uint64_t n = 0;
	int64_t t;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s >= '0' && *s <= '9') {
		for (; *s >= '0' && *s <= '9'; s++)
			if (n <= RETRY_AFTER_MAX_S)
				n = n * 10 + (uint64_t)(*s - '0');
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s)
			return false;
		*delay_s = n > RETRY_AFTER_MAX_S ? RETRY_AFTER_MAX_S : n;
		return true;
	}
	if (!http_date(s, &t))
		return false;
	if (t <= (int64_t)now)
		*delay_s = 0;
	else if (t - (int64_t)now > (int64_t)RETRY_AFTER_MAX_S)
		*delay_s = RETRY_AFTER_MAX_S;
	else
		*delay_s = (uint64_t)(t - (int64_t)now);
	return true;
}
