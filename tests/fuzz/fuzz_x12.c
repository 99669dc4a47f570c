/*
 * fuzz_x12 - libFuzzer target for the X12 reader and envelope checker.
 *
 * Each input is read twice: once from memory and once through a source
 * that returns it in small reads, with the read size and a first split
 * taken from the input's length.  Both must see the same segments and the
 * same diagnostics (a difference aborts), and nothing may crash or trip
 * ASan/UBSan.  Every transaction set is also held with a mark, and the
 * marked span must start with "ST".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "buf.h"
#include "x12_envelope.h"
#include "x12_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct src {
	const uint8_t *p;
	size_t len, pos, split, max_read;
};

static ssize_t src_read(void *ctx, char *dst, size_t n)
{
	struct src *s = ctx;
	size_t k = s->len - s->pos;

	if (s->pos < s->split && s->split - s->pos < k)
		k = s->split - s->pos;
	if (k > n)
		k = n;
	if (k > s->max_read)
		k = s->max_read;
	memcpy(dst, s->p + s->pos, k);
	s->pos += k;
	return (ssize_t)k;
}

static void run(struct x12_reader *r, struct edi_diag *d,
		const struct x12_limits *limits, struct buf *out)
{
	struct x12_envelope env;
	struct x12_segment seg;
	struct edi_error err;
	struct strview span;
	size_t offset;

	x12_envelope_init(&env, limits, d);
	while (x12_reader_next(r, &seg, &err) == X12_NEXT_SEGMENT) {
		unsigned ev = x12_envelope_feed(&env, &seg);
		buf_addf(out, "%zu %zu %.*s\n", seg.index, seg.offset,
			 (int)seg.raw.len, seg.raw.ptr);
		if (ev & X12_EV_SET_BEGIN)
			x12_reader_mark(r);
		if ((ev & X12_EV_SET_END) && env.set.closed &&
		    x12_reader_marked(r, &span, &offset) == EDI_OK) {
			if (span.len < 2 || span.ptr[0] != 'S')
				abort();
			x12_reader_unmark(r);
		}
	}
	x12_envelope_finish(&env, x12_reader_offset(r));
	for (size_t i = 0; i < d->n; i++)
		buf_addf(out, "D %d %zu %zu\n", d->items[i].code,
			 d->items[i].loc.offset, d->items[i].loc.segment);
	x12_envelope_release(&env);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct x12_limits limits;
	struct x12_reader r;
	struct edi_diag d1, d2;
	struct buf a, b;
	struct src s = {data, size, 0, size / 3, 1 + size % 13};
	bool ebcdic;

	x12_limits_default(&limits);
	limits.max_segment = 4096;
	limits.max_set = 1 << 16;
	limits.chunk = 16;
	buf_init(&a, SIZE_MAX / 2);
	buf_init(&b, SIZE_MAX / 2);

	edi_diag_init(&d1, 50);
	x12_reader_init_mem(&r, (struct strview){(const char *)data, size},
			    &limits, &d1);
	run(&r, &d1, &limits, &a);
	x12_reader_release(&r);

	edi_diag_init(&d2, 50);
	x12_reader_init_src(&r, (struct x12_source){src_read, &s}, &limits,
			    &d2);
	run(&r, &d2, &limits, &b);
	ebcdic = r.ebcdic; /* memory mode does not transcode */
	x12_reader_release(&r);

	if (!ebcdic && !sv_eq(buf_view(&a), buf_view(&b))) {
		fprintf(stderr, "memory:\n%s\nchunked:\n%s\n", buf_cstr(&a),
			buf_cstr(&b));
		abort();
	}
	edi_diag_release(&d1);
	edi_diag_release(&d2);
	buf_release(&a);
	buf_release(&b);
	return 0;
}
