/*
 * x12_ctlset - control numbers seen in one scope; see x12_ctlset.h.
 *
 * Numbers are kept as sorted runs of consecutive keys, so the usual
 * interchange (ST02 0001, 0002, ... or GS06 1, 2, ...) costs one run
 * however many sets it holds, and a lookup is a binary search.
 */
#include "x12_ctlset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void x12_ctlset_init(struct x12_ctlset *s, size_t max)
{
	memset(s, 0, sizeof(*s));
	s->max = max;
}

void x12_ctlset_release(struct x12_ctlset *s)
{
	free(s->runs);
	x12_ctlset_init(s, s->max);
}

void x12_ctlset_reset(struct x12_ctlset *s)
{
	s->n = 0;
	s->overflow = false;
}

/*
 * A key for a control number: numbers of up to 9 digits map to
 * len * 10^9 + value, so consecutive numbers of one width are consecutive
 * keys; anything else to a 64-bit FNV-1a hash above that range.
 */
static unsigned long long ctl_key(struct strview v)
{
	unsigned long long h = 1469598103934665603ull;
	uint64_t n;

	if (v.len <= 9 && sv_to_u64(v, &n))
		return (unsigned long long)v.len * 1000000000ull + n;
	for (size_t i = 0; i < v.len; i++) {
		h ^= (unsigned char)v.ptr[i];
		h *= 1099511628211ull;
	}
	return h | (1ull << 63);
}

bool x12_ctlset_add(struct x12_ctlset *s, struct strview v)
{
	unsigned long long k = ctl_key(v);
	size_t lo = 0, hi = s->n;

	if (s->overflow)
		return true;
	/* first run whose end is >= k */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->runs[mid][1] < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->n && s->runs[lo][0] <= k)
		return false;
	if (lo > 0 && s->runs[lo - 1][1] + 1 == k) {
		s->runs[lo - 1][1] = k;
		if (lo < s->n && s->runs[lo][0] == k + 1) {
			s->runs[lo - 1][1] = s->runs[lo][1];
			memmove(s->runs + lo, s->runs + lo + 1,
				(s->n - lo - 1) * sizeof(s->runs[0]));
			s->n--;
		}
		return true;
	}
	if (lo < s->n && s->runs[lo][0] == k + 1) {
		s->runs[lo][0] = k;
		return true;
	}
	if (s->n >= s->max) {
		s->overflow = true;
		return true;
	}
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->runs = xreallocarray(s->runs, s->cap, sizeof(s->runs[0]));
	}
	memmove(s->runs + lo + 1, s->runs + lo,
		(s->n - lo) * sizeof(s->runs[0]));
	s->runs[lo][0] = s->runs[lo][1] = k;
	s->n++;
	return true;
}
