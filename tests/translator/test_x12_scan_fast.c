/*
 * test_x12_scan_fast - the reader's fast path gives exactly what the
 * general code gives.
 *
 * The one-pass scan is compared with memchr() and x12_split() on every
 * short string over an alphabet of delimiters and on long random ones;
 * whole inputs (clean, and mutated with line ends, blanks, NULs, stray
 * delimiters and ISAs) are read with the fast path (SIMD and portable)
 * and without it, from memory and in small reads, and every segment,
 * diagnostic and marked transaction set (as x12_set_from_segs makes it,
 * against x12_set_split) must be the same.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "suites.h"
#include "x12_envelope.h"
#include "x12_fixture.h"
#include "x12_scan_fast.h"
#include "x12_set.h"

/* --- the scan of one segment --- */

struct want {
	enum x12_fast_result res;
	struct x12_fast_seg seg;
	struct strview el[128];
};

/* What memchr() and x12_split() say about p[0..n). */
static void reference(const struct x12_delims *d, const char *p, size_t n,
		      size_t max, struct want *w)
{
	const char *t = n ? memchr(p, d->terminator, n) : NULL;
	struct strview raw;

	memset(w, 0, sizeof(*w));
	if (!t || (size_t)(t - p) > max) {
		w->res = X12_FAST_NOT_HERE;
		return;
	}
	raw = sv_make(p, (size_t)(t - p));
	w->res = X12_FAST_FOUND;
	w->seg.len = raw.len;
	w->seg.nel = (unsigned)x12_split(raw, d->element, w->el, 128) - 1;
	for (size_t i = 0; i < raw.len; i++) {
		char c = raw.ptr[i];
		w->seg.has_component |= c == d->component;
		w->seg.has_repetition |=
			d->repetition && c == d->repetition && c != d->element;
		w->seg.has_newline |= c == '\r' || c == '\n';
	}
}

static void check_scan(const struct x12_fast_delims *f,
		       const struct x12_delims *d, const char *p, size_t n,
		       size_t max)
{
	struct want w;
	struct strview el[160];
	struct x12_fast_seg got;

	reference(d, p, n, max, &w);
	for (int way = 0; way < 2; way++) {
		enum x12_fast_result res =
			way ? x12_fast_scan_portable(f, p, n, max, el, 160,
						     &got)
			    : x12_fast_scan(f, p, n, max, el, 160, &got);

		ck_assert_msg(res == w.res, "'%.*s': result %d, want %d",
			      (int)n, p, res, w.res);
		if (res != X12_FAST_FOUND)
			continue;
		ck_assert_uint_eq(got.len, w.seg.len);
		ck_assert_uint_eq(got.nel, w.seg.nel);
		ck_assert(got.has_component == w.seg.has_component);
		ck_assert(got.has_repetition == w.seg.has_repetition);
		ck_assert(got.has_newline == w.seg.has_newline);
		for (unsigned k = 0; k <= got.nel; k++)
			ck_assert(el[k].ptr == w.el[k].ptr &&
				  el[k].len == w.el[k].len);
	}
}

static const struct x12_delims scan_delims[] = {
	{'*', ':', '^', '~', {0}, 0, true},
	{'*', ':', 0, '~', {0}, 0, true},
	{'|', '>', '^', '\x1d', {0}, 0, true},
};

START_TEST(test_scan_all_short_strings)
{
	/* every delimiter, a letter, the line ends, a blank and a NUL */
	static const char alpha[] = "A*:^~\r\n \0\x1d|>";
	const struct x12_delims *d = &scan_delims[_i];
	struct x12_limits l;
	struct x12_fast_delims f;
	char s[8];
	size_t idx[8];

	x12_limits_default(&l);
	x12_fast_delims_init(&f, d, &l);
	ck_assert(f.on);
	for (size_t len = 0; len <= 5; len++) {
		memset(idx, 0, sizeof(idx));
		for (;;) {
			size_t i;

			for (size_t k = 0; k < len; k++)
				s[k] = alpha[idx[k]];
			check_scan(&f, d, s, len, 1000);
			check_scan(&f, d, s, len, 2);
			for (i = 0; i < len; i++) {
				if (++idx[i] < sizeof(alpha) - 1)
					break;
				idx[i] = 0;
			}
			if (i == len)
				break;
		}
	}
}
END_TEST

static unsigned long long rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)(rng_state >> 33) % n;
}

START_TEST(test_scan_long_strings)
{
	static const char alpha[] = "ABC0123*****:^~\r\n \x01";
	const struct x12_delims *d = &scan_delims[0];
	struct x12_limits l;
	struct x12_fast_delims f;
	char s[200];

	rng_state = 7;
	x12_limits_default(&l);
	x12_fast_delims_init(&f, d, &l);
	for (int t = 0; t < 20000; t++) {
		size_t n = rnd(sizeof(s) + 1);

		for (size_t k = 0; k < n; k++)
			s[k] = alpha[rnd(sizeof(alpha) - 1)];
		check_scan(&f, d, s, n, rnd(4) ? 1000 : rnd(60));
	}
}
END_TEST

START_TEST(test_scan_asks_for_room)
{
	const struct x12_delims *d = &scan_delims[0];
	struct x12_limits l;
	struct x12_fast_delims f;
	struct x12_fast_seg got;
	struct strview el[64];
	const char *s = "A*B*C*D*E*F*G*H*I*J*K*L*M*N*O*P*Q*R*S*T~";

	x12_limits_default(&l);
	x12_fast_delims_init(&f, d, &l);
	ck_assert_int_eq(x12_fast_scan(&f, s, strlen(s), 1000, el, 20, &got),
			 X12_FAST_ROOM);
	ck_assert_int_eq(x12_fast_scan(&f, s, strlen(s), 1000, el, 64, &got),
			 X12_FAST_FOUND);
	ck_assert_uint_eq(got.nel, 19);
}
END_TEST

/* --- whole inputs, read three ways --- */

static void render_set(const struct x12_set *set, struct buf *out)
{
	for (size_t i = 0; i < set->nsegs; i++) {
		const struct x12_seg *s = &set->segs[i];

		buf_addf(out, "  %zu %zu %u %u %d%d%d %u:", s->index, s->offset,
			 s->set_pos, s->key, s->cleaned, s->has_component,
			 s->has_repetition, s->nel);
		for (unsigned k = 0; k <= s->nel; k++)
			buf_addf(out, "|%.*s", (int)s->el[k].len, s->el[k].ptr);
		buf_addc(out, '\n');
	}
}

/* How read_way() skips the segments the envelope only counts. */
enum skip_way {
	SKIP_NONE,  /* hands out every segment */
	SKIP_AHEAD, /* asks x12_envelope_plain() of each tag ahead */
	SKIP_PLAIN  /* x12_reader_skip_plain(), as the translator does */
};

/*
 * Read input in the given way (max_read 0: from memory), marking each
 * set from ST to SE as the translator does, and render what was read.
 * With skip, the segments the envelope only counts are skipped, and
 * only sets and diagnostics are rendered.
 */
static void read_way(struct strview input, enum x12_fast_mode mode,
		     size_t max_read, enum skip_way skip, struct buf *out)
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

	x12_limits_default(&limits);
	limits.chunk = 16;
	limits.max_segment = 300;
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
	for (;;) {
		unsigned ev, n;

		if (skip == SKIP_PLAIN && x12_envelope_in_set(&env))
			x12_envelope_count(&env, x12_reader_skip_plain(&r));
		if (skip == SKIP_AHEAD && x12_envelope_in_set(&env)) {
			struct x12_ahead at = x12_reader_ahead(&r);
			const struct strview *tag;
			size_t k = 0;

			while ((tag = x12_ahead_tag(&r, &at)) &&
			       x12_envelope_plain(*tag)) {
				x12_ahead_next(&r, &at);
				k++;
			}
			x12_envelope_count(&env, k);
			x12_reader_skip(&r, &at);
		}
		if ((next = x12_reader_next(&r, &seg, &err)) !=
		    X12_NEXT_SEGMENT)
			break;
		ev = x12_envelope_feed(&env, &seg);
		n = x12_element_count(&seg);
		if (skip)
			goto sets;
		buf_addf(out, "S %zu %zu %u %d %.*s %u:", seg.index, seg.offset,
			 seg.key, seg.cleaned, (int)seg.tag.len, seg.tag.ptr,
			 n);
		for (unsigned k = 0; k <= n + 1; k++) {
			struct strview v = x12_element(&seg, k);
			buf_addf(out, "|%.*s@%zu", (int)v.len, v.ptr,
				 x12_element_offset(&seg, k));
		}
		buf_addc(out, '\n');
	sets:
		if (ev & X12_EV_SET_END) {
			struct strview span;
			size_t offset, nsegs, nels;
			const struct x12_span_seg *segs =
				x12_reader_marked_segs(&r, &nsegs);
			struct strview *els = x12_reader_marked_els(&r, &nels);
			struct x12_set set;

			/* a set closed by its SE (the translator splits no
			 * other) is in one interchange: one set of delimiters */
			if (env.done_set.closed &&
			    x12_reader_marked(&r, &span, &offset) == EDI_OK) {
				/* made from what the reader kept, and split
				 * the general way: the same */
				struct buf one, two;

				buf_init(&one, 1 << 24);
				buf_init(&two, 1 << 24);
				x12_set_from_segs(&set, &a, span, &r.delims,
						  offset, segs, nsegs, els,
						  nels, &limits, &sd);
				render_set(&set, &one);
				ck_assert_int_eq(
					x12_set_split(&set, &a, span, &r.delims,
						      offset, segs[0].index,
						      &limits, &sd, &err),
					EDI_OK);
				render_set(&set, &two);
				ck_assert_str_eq(one.ptr ? one.ptr : "",
						 two.ptr ? two.ptr : "");
				buf_add(out, one.ptr, one.len);
				buf_release(&one);
				buf_release(&two);
			}
			x12_reader_unmark(&r);
		}
		if (ev & X12_EV_SET_BEGIN)
			x12_reader_mark(&r);
	}
	ck_assert_int_eq(next, X12_NEXT_END);
	x12_envelope_finish(&env, x12_reader_offset(&r));
	for (size_t i = 0; i < d.n; i++)
		buf_addf(out, "D %s %zu %zu %u %s\n",
			 edi_code_name(d.items[i].code), d.items[i].loc.offset,
			 d.items[i].loc.segment, d.items[i].loc.element,
			 d.items[i].msg);
	x12_envelope_release(&env);
	x12_reader_release(&r);
	edi_diag_release(&d);
	edi_diag_release(&sd);
	arena_release(&a);
}

static void same_every_way(struct strview input)
{
	static const size_t reads[] = {0, 1, 7, 64, 4096};
	struct buf want;

	buf_init(&want, 1 << 26);
	read_way(input, X12_FAST_OFF, 0, SKIP_NONE, &want);
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		for (int mode = X12_FAST_BEST; mode <= X12_FAST_OFF; mode++) {
			struct buf got;

			buf_init(&got, 1 << 26);
			read_way(input, (enum x12_fast_mode)mode, reads[i],
				 SKIP_NONE, &got);
			ck_assert_msg(
				got.len == want.len &&
					!memcmp(got.ptr, want.ptr, want.len),
				"mode %d, reads of %zu: differs", mode,
				reads[i]);
			buf_release(&got);
		}
	buf_release(&want);
	/* skipping what is only counted: the same sets and diagnostics */
	buf_init(&want, 1 << 26);
	read_way(input, X12_FAST_OFF, 0, SKIP_AHEAD, &want);
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		for (int mode = X12_FAST_BEST; mode <= X12_FAST_PORTABLE;
		     mode++)
			for (int way = SKIP_AHEAD; way <= SKIP_PLAIN; way++) {
				struct buf got;

				buf_init(&got, 1 << 26);
				read_way(input, (enum x12_fast_mode)mode,
					 reads[i], (enum skip_way)way, &got);
				ck_assert_msg(got.len == want.len &&
						      !memcmp(got.ptr, want.ptr,
							      want.len),
					      "skipping %d, mode %d, reads of "
					      "%zu: differs",
					      way, mode, reads[i]);
				buf_release(&got);
			}
	buf_release(&want);
}

static const struct fx_delims input_delims[] = {
	{'*', 'U', '>', '~', "00401", "000000001", ""},
	{'*', '^', ':', '~', "00501", "000000001", "\r\n"},
	{'*', 'U', ':', '~', "00501", "000000001", "\n"},
	{'|', '^', '>', '\x1d', "00501", "000000001", ""},
	{'*', 'U', '>', '\n', "00401", "000000001", ""},
	{'*', 'U', '>', '\r', "00401", "000000001", "\n"},
};

START_TEST(test_reader_same_every_way)
{
	struct buf in;

	buf_init(&in, 1 << 20);
	fx_850(&in, &input_delims[_i], 30);
	fx_850(&in, &input_delims[_i], 3); /* a second interchange */
	same_every_way(buf_view(&in));
	buf_release(&in);
}
END_TEST

START_TEST(test_reader_same_on_mutated_input)
{
	/* what the general code handles and the fast path must leave it */
#define BIT(s)                   \
	{                        \
		s, sizeof(s) - 1 \
	}
	static const struct {
		const char *p;
		size_t n;
	} bits[] = {BIT("\r"), BIT("\n"), BIT("\r\n"), BIT(" "), BIT("\t"),
		    BIT("\0"), BIT("\x1a"), BIT("*"), BIT("~"), BIT(">"),
		    BIT("^"), BIT(":"), BIT("ISA*"), BIT("IEA*1~"), BIT("~~"),
		    BIT("SE*"), BIT("ST*"), BIT("GE*1*1~"), BIT("12a"),
		    BIT("x\ry~"), BIT("\x80\xff"),
		    /* tags the envelope only counts, or must look at: the scan
		 * tells them apart for x12_reader_skip_plain() */
		    BIT("~IT1*"), BIT("~SAC*"), BIT("~G1*"), BIT("~N9\0*"),
		    BIT("~N\0*"), BIT("~N9a*"), BIT("~9N*"), BIT("~ABCD*"),
		    BIT("~Z~"), BIT("~N9:1*"), BIT("~NA^B*"), BIT("~N\x01~"),
		    BIT("~N9\0~")};
#undef BIT
	struct buf base;

	buf_init(&base, 1 << 20);
	fx_850(&base, &input_delims[1], 12);
	fx_850(&base, &input_delims[0], 4);
	rng_state = 11 + (unsigned long long)_i;
	for (int t = 0; t < 12; t++) {
		struct buf in;
		size_t at = 0;

		buf_init(&in, 1 << 20);
		for (int k = 0, nmut = 1 + (int)rnd(4); k < nmut; k++) {
			size_t to = at + rnd((unsigned)(base.len - at) + 1);
			unsigned b = rnd(sizeof(bits) / sizeof(*bits));

			buf_add(&in, base.ptr + at, to - at);
			buf_add(&in, bits[b].p, bits[b].n);
			at = to;
		}
		buf_add(&in, base.ptr + at, base.len - at);
		same_every_way(buf_view(&in));
		buf_release(&in);
	}
	buf_release(&base);
}
END_TEST

START_TEST(test_reader_skips_only_plain_tags)
{
	/* every tag of up to 3 bytes over awkward ones (NUL too) starting
	 * with alpha[_i], inside a set: the scan's verdict on each must be
	 * x12_envelope_plain()'s (fewer tags than the diagnostics kept) */
	static const char alpha[] = "AIGSZ09a -\x01"; /* 12 with the NUL */
	static const char *const envelope[] = {"SE", "ST",  "GE",
					       "GS", "IEA", "ISA"};
	size_t na = sizeof(alpha); /* with the NUL */
	struct buf in;
	unsigned nseg = 0;

	buf_init(&in, 1 << 20);
	fx_isa(&in, &FX_STD);
	fx_body(&in, &FX_STD,
		"GS*PO*SENDER*RECEIVER*20261127*0930*1*X*004010~"
		"ST*850*0001~");
	for (size_t len = 1; len <= 3; len++)
		for (size_t k = 0, nk = len == 1   ? 1
					: len == 2 ? na
						   : na * na;
		     k < nk; k++) {
			char tag[4] = {alpha[_i]};
			bool skip = false;

			for (size_t i = 1, v = k; i < len; i++, v /= na)
				tag[i] = alpha[v % na];
			for (size_t e = 0; e < 6; e++)
				skip |= strlen(envelope[e]) == len &&
					!memcmp(tag, envelope[e], len);
			if (skip)
				continue;
			buf_add(&in, tag, len);
			buf_adds(&in, "*X~");
			nseg++;
		}
	buf_addf(&in, "SE*%u*0001~GE*1*1~IEA*1*000000001~", nseg + 2);
	same_every_way(buf_view(&in));
	buf_release(&in);
}
END_TEST

START_TEST(test_reader_same_with_long_segments)
{
	struct buf in;

	buf_init(&in, 1 << 20);
	fx_isa(&in, &FX_STD);
	fx_body(&in, &FX_STD,
		"GS*PO*SENDER*RECEIVER*20261127*0930*1*X*004010~"
		"ST*850*0001~");
	/* over limits.max_segment (300): dropped with an error */
	buf_adds(&in, "REF*ZZ*");
	for (int i = 0; i < 400; i++)
		buf_addc(&in, i % 3 ? 'x' : '*');
	buf_adds(&in, "~N1*ST*");
	for (int i = 0; i < 250; i++)
		buf_addc(&in, '*');
	fx_body(&in, &FX_STD, "~SE*4*0001~GE*1*1~IEA*1*000000001~");
	same_every_way(buf_view(&in));
	buf_release(&in);
}
END_TEST

Suite *x12_scan_fast_suite(void)
{
	Suite *s = suite_create("x12_scan_fast");
	TCase *tc = tcase_create("scan");

	tcase_add_loop_test(tc, test_scan_all_short_strings, 0,
			    sizeof(scan_delims) / sizeof(scan_delims[0]));
	tcase_add_test(tc, test_scan_long_strings);
	tcase_add_test(tc, test_scan_asks_for_room);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	tc = tcase_create("reader");
	tcase_add_loop_test(tc, test_reader_same_every_way, 0,
			    sizeof(input_delims) / sizeof(input_delims[0]));
	tcase_add_loop_test(tc, test_reader_same_on_mutated_input, 0, 8);
	tcase_add_test(tc, test_reader_same_with_long_segments);
	tcase_add_loop_test(tc, test_reader_skips_only_plain_tags, 0, 12);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}
