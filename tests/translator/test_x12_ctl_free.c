/*
 * test_x12_ctl_free - the reader's "no control byte" flag is never wrong.
 *
 * The element checks skip their own scan for bytes <= 0x1f and 0x7f when
 * a segment's ctl_free says the reader's scan saw none in the tag and the
 * values.  Here every byte value 0x00-0xff is put at every position of a
 * segment, with ordinary delimiters and with control bytes as separators
 * and terminator, and the input is read from memory (the batch scan, each
 * SIMD way) and in small reads (the general path); every segment the
 * reader hands out, and every one of the sets x12_set_from_segs makes,
 * with the flag set must have no such byte in its tag or any value.
 */
#include <check.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "suites.h"
#include "x12_envelope.h"
#include "x12_fixture.h"
#include "x12_set.h"

static bool is_ctl(unsigned char c)
{
	return c <= 0x1f || c == 0x7f;
}

/* The exact test: no control byte in the tag or a value of raw. */
static bool values_clean(struct strview raw, char element)
{
	for (size_t i = 0; i < raw.len; i++)
		if (raw.ptr[i] != element && is_ctl((unsigned char)raw.ptr[i]))
			return false;
	return true;
}

static bool seg_clean(const struct x12_seg *s)
{
	for (unsigned k = 0; k <= s->nel; k++)
		for (size_t i = 0; i < s->el[k].len; i++)
			if (is_ctl((unsigned char)s->el[k].ptr[i]))
				return false;
	return true;
}

/* Read input one way; returns how many segments had the flag. */
static size_t read_checked(struct strview input, enum x12_fast_mode mode,
			   size_t max_read)
{
	struct fx_src src = {input.ptr, input.len, 0, 0, max_read};
	struct x12_limits limits;
	struct x12_reader r;
	struct x12_envelope env;
	struct x12_segment seg;
	struct edi_diag d, sd;
	struct edi_error err;
	struct arena a;
	enum x12_next next;
	size_t flagged = 0;

	x12_limits_default(&limits);
	edi_diag_init(&d, 1000);
	edi_diag_init(&sd, 1000);
	arena_init(&a, 4096);
	if (!max_read)
		x12_reader_init_mem(&r, input, &limits, &d);
	else
		x12_reader_init_src(&r, (struct x12_source){fx_src_read, &src},
				    &limits, &d);
	r.fast_mode = mode;
	x12_envelope_init(&env, &limits, &d);
	while ((next = x12_reader_next(&r, &seg, &err)) == X12_NEXT_SEGMENT) {
		unsigned ev = x12_envelope_feed(&env, &seg);

		if (seg.ctl_free) {
			flagged++;
			ck_assert_msg(!seg.cleaned,
				      "flag on a cleaned segment");
			ck_assert_msg(values_clean(seg.raw, r.delims.element),
				      "mode %d, reads of %zu: segment %zu "
				      "flagged, has a control byte",
				      mode, max_read, seg.index);
		}
		if (ev & X12_EV_SET_END) {
			struct strview span;
			size_t offset, nsegs, nels;
			const struct x12_span_seg *segs =
				x12_reader_marked_segs(&r, &nsegs);
			struct strview *els = x12_reader_marked_els(&r, &nels);
			struct x12_set set;

			if (env.done_set.closed &&
			    x12_reader_marked(&r, &span, &offset) == EDI_OK) {
				x12_set_from_segs(&set, &a, span, &r.delims,
						  offset, segs, nsegs, els,
						  nels, &limits, &sd);
				for (size_t i = 0; i < set.nsegs; i++)
					ck_assert_msg(
						!set.segs[i].ctl_free ||
							seg_clean(&set.segs[i]),
						"set segment %zu flagged, "
						"has a control byte",
						set.segs[i].index);
				/* the general split: never known */
				ck_assert_int_eq(
					x12_set_split(&set, &a, span, &r.delims,
						      offset, segs[0].index,
						      &limits, &sd, &err),
					EDI_OK);
				for (size_t i = 0; i < set.nsegs; i++)
					ck_assert(!set.segs[i].ctl_free);
			}
			x12_reader_unmark(&r);
		}
		if (ev & X12_EV_SET_BEGIN)
			x12_reader_mark(&r);
	}
	ck_assert_int_eq(next, X12_NEXT_END);
	x12_envelope_release(&env);
	x12_reader_release(&r);
	edi_diag_release(&d);
	edi_diag_release(&sd);
	arena_release(&a);
	return flagged;
}

static const struct fx_delims ctl_delims[] = {
	{'*', '^', ':', '~', "00501", "000000001", ""},
	{'*', 'U', '>', '~', "00401", "000000001", "\r\n"},
	{'\x1d', '^', '\x1f', '\x1c', "00501", "000000001", ""},
	{'\x1d', 'U', ':', '~', "00401", "000000001", ""},
	{'|', '\x1e', '\x1f', '\n', "00501", "000000001", ""},
	{'\x7f', '^', ':', '~', "00501", "000000001", ""},
};

/*
 * One interchange: a set whose REF segments carry byte b at each
 * position of "REF*ZZ*ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789*X" (the tag,
 * the separators and the values).
 */
static void ctl_input(struct buf *in, const struct fx_delims *dl,
		      unsigned char b)
{
	static const char ref[] = "REF*ZZ*ABCDEFGHIJKLMNOPQRSTUVWXYZ01234"
				  "56789*X";

	fx_isa(in, dl);
	fx_body(in, dl, "GS*PO*S*R*20261127*0930*1*X*005010~ST*850*0001~");
	fx_body(in, dl, "BEG*00*SA*PO1**20261127~");
	for (size_t k = 0; k < sizeof(ref) - 1; k++) {
		char seg[sizeof(ref) + 1];

		memcpy(seg, ref, sizeof(ref));
		/* the delimiters first, then the byte as it is */
		{
			struct buf one;

			buf_init(&one, 1 << 10);
			fx_body(&one, dl, seg);
			((char *)one.ptr)[k] = (char)b;
			buf_add(in, one.ptr, one.len);
			buf_release(&one);
		}
		fx_body(in, dl, "~");
		fx_body(in, dl, "REF*ZZ*CLEAN VALUE*ANOTHER ONE~");
	}
	fx_body(in, dl, "SE*3*0001~GE*1*1~IEA*1*000000001~");
}

START_TEST(test_ctl_free_never_wrong)
{
	static const size_t reads[] = {0, 1, 7, 64};
	const struct fx_delims *dl = &ctl_delims[_i];
	size_t flagged = 0;

	for (unsigned b = 0; b < 256; b++) {
		struct buf in;

		buf_init(&in, 1 << 20);
		ctl_input(&in, dl, (unsigned char)b);
		for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
			for (int mode = X12_FAST_BEST; mode <= X12_FAST_OFF;
			     mode++)
				flagged += read_checked(
					buf_view(&in), (enum x12_fast_mode)mode,
					reads[i]);
		buf_release(&in);
	}
	/* the fast path does set it where it can (not with a control
	 * byte or DEL as element separator, nor with a line end as
	 * terminator: the general code reads those) */
	if (!is_ctl((unsigned char)dl->element) &&
	    !is_ctl((unsigned char)dl->terminator))
		ck_assert_uint_gt(flagged, 0);
}
END_TEST

Suite *x12_ctl_free_suite(void)
{
	Suite *s = suite_create("x12_ctl_free");
	TCase *tc = tcase_create("flag");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_ctl_free_never_wrong, 0,
			    (int)(sizeof(ctl_delims) / sizeof(ctl_delims[0])));
	suite_add_tcase(s, tc);
	return s;
}
