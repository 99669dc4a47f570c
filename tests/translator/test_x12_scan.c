/*
 * test_x12_scan - delimiters, layouts and chunk boundaries of the reader.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "suites.h"
#include "x12_envelope.h"
#include "x12_fixture.h"
#include "x12_scan.h"

/* Read input from memory; collect segments (tags joined by ' ') and
 * diagnostics. */
struct readout {
	char tags[2048];
	struct x12_delims delims; /* of the last segment */
	size_t nsegments;
	struct edi_diag diag;
	struct x12_segment last;
	char last_raw[256];
};

static void read_all(struct strview in, struct readout *o)
{
	struct x12_limits limits;
	struct x12_reader r;
	struct x12_segment seg;
	struct edi_error err;

	memset(o, 0, sizeof(*o));
	x12_limits_default(&limits);
	edi_diag_init(&o->diag, 100);
	x12_reader_init_mem(&r, in, &limits, &o->diag);
	while (x12_reader_next(&r, &seg, &err) == X12_NEXT_SEGMENT) {
		size_t used = strlen(o->tags);
		snprintf(o->tags + used, sizeof(o->tags) - used, "%s%.*s",
			 used ? " " : "", (int)seg.tag.len, seg.tag.ptr);
		o->delims = *seg.delims;
		o->nsegments++;
		sv_to_cbuf(seg.raw, o->last_raw, sizeof(o->last_raw));
	}
	x12_reader_release(&r);
}

static bool has_code(const struct edi_diag *d, enum edi_code code)
{
	return fx_find(d, code, 0, 0) != NULL;
}

/* --- delimiters --- */

static const struct {
	struct fx_delims d;
	char want_rep;
} delim_cases[] = {
	{{'*', 'U', '>', '~', "00401", "000000001", ""}, 0},
	{{'*', '^', ':', '~', "00501", "000000001", "\r\n"}, '^'},
	{{'*', 'U', ':', '~', "00501", "000000001", "\n"}, 0},
	{{'*', ':', ':', '~', "00501", "000000001", ""}, 0}, /* rep = comp */
	{{'*', '^', '>', '~', "00401", "000000001", ""}, 0}, /* before 00402 */
	{{'|', '^', '>', '\x1d', "00501", "000000001", ""}, '^'},
	{{'!', '}', '^', '\'', "00403", "000000001", ""}, '}'},
	{{'\x1d', '\x1c', '\x1f', '\x1e', "00501", "000000001", ""}, '\x1c'},
	{{'\x7f', 'U', ':', '~', "00401", "000000001", ""}, 0},
	{{'*', 'U', '>', '\n', "00401", "000000001", ""}, 0},
	{{'*', 'U', '>', '\r', "00401", "000000001", "\n"}, 0},
	{{'~', 'U', '^', '_', "00501", "000000001", "\n"}, 0},
};

START_TEST(test_delimiters_from_fixed_isa)
{
	const struct fx_delims *d = &delim_cases[_i].d;
	struct buf in;
	struct readout o;

	buf_init(&in, 1 << 20);
	fx_850(&in, d, 2);
	read_all(buf_view(&in), &o);
	ck_assert_str_eq(o.tags, "ISA GS ST BEG PO1 PID PO1 PID CTT SE GE IEA");
	ck_assert_int_eq(o.delims.element, d->element);
	ck_assert_int_eq(o.delims.component, d->component);
	ck_assert_int_eq(o.delims.terminator, d->terminator);
	ck_assert_int_eq(o.delims.repetition, delim_cases[_i].want_rep);
	ck_assert_uint_eq(o.diag.nerrors, 0);
	{
		char want[32];
		snprintf(want, sizeof(want), "IEA%c1%c000000001", d->element,
			 d->element);
		ck_assert_str_eq(o.last_raw, want);
	}
	edi_diag_release(&o.diag);
	buf_release(&in);
}
END_TEST

START_TEST(test_strict_check_falls_back_to_counting)
{
	/* ISA06 one character short: the fixed offsets do not agree */
	const char *isa =
		"ISA*00*          *00*          *ZZ*SENDER        "
		"*ZZ*RECEIVER       *261127*0930*U*00401*000000001*0*P*>~"
		"IEA*0*000000001~";
	struct readout o;

	read_all(sv_cstr(isa), &o);
	ck_assert_str_eq(o.tags, "ISA IEA");
	ck_assert(has_code(&o.diag, X12_ISA_WIDTH));
	ck_assert_int_eq(o.delims.component, '>');
	ck_assert_int_eq(o.delims.terminator, '~');
	edi_diag_release(&o.diag);
}
END_TEST

START_TEST(test_unpadded_isa)
{
	const char *in =
		"ISA*00**00**ZZ*S*ZZ*R*261127*0930*^*00501*000000001*0*"
		"P*:~GS*PO*S*R*20261127*0930*1*X*005010~GE*0*1~"
		"IEA*1*000000001~";
	struct readout o;

	read_all(sv_cstr(in), &o);
	ck_assert_str_eq(o.tags, "ISA GS GE IEA");
	ck_assert_int_eq(o.delims.repetition, '^');
	ck_assert_int_eq(o.delims.component, ':');
	ck_assert(has_code(&o.diag, X12_ISA_WIDTH));
	ck_assert_uint_eq(o.diag.nerrors, 0);
	edi_diag_release(&o.diag);
}
END_TEST

START_TEST(test_isa_hard_wrapped)
{
	struct buf in, wrapped;
	struct readout o;

	buf_init(&in, 1 << 20);
	buf_init(&wrapped, 1 << 20);
	fx_850(&in, &FX_STD, 3);
	for (size_t i = 0; i < in.len; i += 80) {
		buf_add(&wrapped, in.ptr + i,
			in.len - i < 80 ? in.len - i : 80);
		buf_adds(&wrapped, "\r\n");
	}
	read_all(buf_view(&wrapped), &o);
	ck_assert_str_eq(o.tags,
			 "ISA GS ST BEG PO1 PID PO1 PID PO1 PID CTT SE GE IEA");
	ck_assert_uint_eq(o.diag.nerrors + o.diag.nwarnings, 0);
	ck_assert_int_eq(o.delims.terminator, '~');
	ck_assert(o.delims.strip_newlines);
	edi_diag_release(&o.diag);
	buf_release(&in);
	buf_release(&wrapped);
}
END_TEST

START_TEST(test_wrapped_segment_is_cleaned)
{
	struct buf in;
	struct x12_limits limits;
	struct x12_reader r;
	struct x12_segment seg;
	struct edi_diag d;
	struct edi_error err;

	buf_init(&in, 1 << 20);
	fx_isa(&in, &FX_STD);
	buf_adds(&in, "GS*PO*SEN\r\nDER*RECEIVER~");
	x12_limits_default(&limits);
	edi_diag_init(&d, 10);
	x12_reader_init_mem(&r, buf_view(&in), &limits, &d);
	ck_assert_int_eq(x12_reader_next(&r, &seg, &err), X12_NEXT_SEGMENT);
	ck_assert_int_eq(x12_reader_next(&r, &seg, &err), X12_NEXT_SEGMENT);
	ck_assert(seg.cleaned);
	ck_assert(sv_eq_cstr(seg.raw, "GS*PO*SENDER*RECEIVER"));
	ck_assert(sv_eq_cstr(x12_element(&seg, 2), "SENDER"));
	ck_assert_uint_eq(seg.offset, 106);
	x12_reader_release(&r);
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

START_TEST(test_bom_and_white_space)
{
	struct buf in;
	struct readout o;
	struct fx_delims d = FX_STD;

	d.after = "  \r\n\t";
	buf_init(&in, 1 << 20);
	buf_adds(&in, "\xef\xbb\xbf");
	fx_850(&in, &d, 1);
	buf_adds(&in, "\x1a"); /* DOS end-of-file mark */
	read_all(buf_view(&in), &o);
	ck_assert_str_eq(o.tags, "ISA GS ST BEG PO1 PID CTT SE GE IEA");
	ck_assert_uint_eq(o.diag.nerrors + o.diag.nwarnings, 0);
	edi_diag_release(&o.diag);
	buf_release(&in);
}
END_TEST

START_TEST(test_newline_terminator_with_crlf)
{
	struct buf in;
	struct readout o;
	struct fx_delims d = FX_STD;

	d.terminator = '\n';
	buf_init(&in, 1 << 20);
	fx_isa(&in, &d);
	/* CR before each LF: the CR is not data */
	buf_adds(&in, "GS*PO*S*R*20261127*0930*1*X*004010\r\nGE*0*1\r\n"
		      "IEA*1*000000001\r\n");
	read_all(buf_view(&in), &o);
	ck_assert_str_eq(o.tags, "ISA GS GE IEA");
	ck_assert_str_eq(o.last_raw, "IEA*1*000000001");
	edi_diag_release(&o.diag);
	buf_release(&in);
}
END_TEST

START_TEST(test_several_interchanges_own_delimiters)
{
	struct buf in;
	struct readout o;
	struct fx_delims d2 = {'|',	'^',	     '\\', '\x1d',
			       "00501", "000000002", ""};

	buf_init(&in, 1 << 20);
	fx_850(&in, &FX_STD, 1);
	buf_adds(&in, "\r\n");
	fx_850(&in, &d2, 1);
	read_all(buf_view(&in), &o);
	ck_assert_str_eq(o.tags, "ISA GS ST BEG PO1 PID CTT SE GE IEA "
				 "ISA GS ST BEG PO1 PID CTT SE GE IEA");
	ck_assert_int_eq(o.delims.element, '|');
	ck_assert_int_eq(o.delims.terminator, '\x1d');
	ck_assert_uint_eq(o.diag.nerrors, 0);
	edi_diag_release(&o.diag);
	buf_release(&in);
}
END_TEST

START_TEST(test_utf8_ellipsis_terminator)
{
	const char *in =
		"ISA*00*          *00*          *ZZ*SENDER         *ZZ*"
		"RECEIVER       "
		"*261127*0930*U*00401*000000001*0*P*>\xe2\x80\xa6"
		"\nGS*PO*S*R*20261127*0930*1*X*004010\xe2\x80\xa6"
		"ST*850*0001\xe2\x80\xa6REF*ZZ*caf\xe2\x82\xac\xe2\x80\xa6"
		"SE*3*0001\xe2\x80\xa6GE*1*1\xe2\x80\xa6IEA*1*"
		"000000001\xe2\x80\xa6";
	struct readout o;

	read_all(sv_cstr(in), &o);
	ck_assert_str_eq(o.tags, "ISA GS ST REF SE GE IEA");
	ck_assert_uint_eq(o.diag.nerrors + o.diag.nwarnings, 0);
	edi_diag_release(&o.diag);
}
END_TEST

START_TEST(test_ebcdic_input)
{
	/* cp037: the ISA and a few segments, NEL (0x15) after terminators */
	static const char ascii_to_cp037[128] = {
		['A'] = '\xc1',	 ['B'] = '\xc2', ['C'] = '\xc3', ['D'] = '\xc4',
		['E'] = '\xc5',	 ['F'] = '\xc6', ['G'] = '\xc7', ['H'] = '\xc8',
		['I'] = '\xc9',	 ['J'] = '\xd1', ['K'] = '\xd2', ['L'] = '\xd3',
		['M'] = '\xd4',	 ['N'] = '\xd5', ['O'] = '\xd6', ['P'] = '\xd7',
		['Q'] = '\xd8',	 ['R'] = '\xd9', ['S'] = '\xe2', ['T'] = '\xe3',
		['U'] = '\xe4',	 ['V'] = '\xe5', ['W'] = '\xe6', ['X'] = '\xe7',
		['Y'] = '\xe8',	 ['Z'] = '\xe9', ['0'] = '\xf0', ['1'] = '\xf1',
		['2'] = '\xf2',	 ['3'] = '\xf3', ['4'] = '\xf4', ['5'] = '\xf5',
		['6'] = '\xf6',	 ['7'] = '\xf7', ['8'] = '\xf8', ['9'] = '\xf9',
		[' '] = '\x40',	 ['*'] = '\x5c', ['~'] = '\xa1', ['>'] = '\x6e',
		['\n'] = '\x15', ['-'] = '\x60', ['.'] = '\x4b'};
	struct buf in, out, expect;
	struct x12_limits limits;

	buf_init(&in, 1 << 20);
	buf_init(&out, 1 << 20);
	buf_init(&expect, 1 << 20);
	fx_850(&in,
	       &(struct fx_delims){'*', 'U', '>', '~', "00401", "000000001",
				   "\n"},
	       2);
	x12_limits_default(&limits);
	fx_read(buf_view(&in), SIZE_MAX, 0, &limits, true, &expect);
	for (size_t i = 0; i < in.len; i++) {
		unsigned char c = (unsigned char)in.ptr[i];
		ck_assert_msg(c < 128 && ascii_to_cp037[c], "no cp037 for %c",
			      c);
		in.ptr[i] = ascii_to_cp037[c];
	}
	fx_read(buf_view(&in), 5, 64, &limits, true, &out);
	/* same segments; one warning more (the EBCDIC notice) */
	ck_assert_ptr_nonnull(strstr(out.ptr, "D ebcdic 0"));
	ck_assert_int_eq(strncmp(out.ptr, expect.ptr, expect.len), 0);
	buf_release(&in);
	buf_release(&out);
	buf_release(&expect);
}
END_TEST

/* --- every chunk boundary reads the same as one buffer --- */

static void layout(struct buf *in, int which)
{
	struct fx_delims d = FX_STD;

	switch (which) {
	case 0: /* terminator + CRLF */
		d.after = "\r\n";
		fx_850(in, &d, 2);
		break;
	case 1: /* newline terminator, CR before it */
		d.terminator = '\r';
		d.after = "\n";
		fx_850(in, &d, 2);
		break;
	case 2: /* hard-wrapped every 7 bytes */
	{
		struct buf tmp;
		buf_init(&tmp, 1 << 20);
		fx_850(&tmp, &d, 2);
		for (size_t i = 0; i < tmp.len; i += 7) {
			buf_add(in, tmp.ptr + i,
				tmp.len - i < 7 ? tmp.len - i : 7);
			buf_adds(in, "\r\n");
		}
		buf_release(&tmp);
		break;
	}
	case 3: /* two interchanges, BOM, spaces between */
		buf_adds(in, "\xef\xbb\xbf");
		fx_850(in, &d, 1);
		buf_adds(in, " \n ");
		d.element = '|';
		d.terminator = '\x1d';
		d.repetition = '^';
		d.version = "00501";
		fx_850(in, &d, 1);
		break;
	case 4: /* UTF-8 terminator with CRLF after it */
		buf_adds(in,
			 "ISA*00*          *00*          *ZZ*SENDER         *ZZ"
			 "*RECEIVER       *261127*0930*U*00401*000000001*0*P*>"
			 "\xe2\x80\xa6\r\nGS*PO*S*R*20261127*0930*1*X*004010"
			 "\xe2\x80\xa6\r\nGE*0*1\xe2\x80\xa6\r\n"
			 "IEA*1*000000001\xe2\x80\xa6");
		break;
	case 5: /* errors: bad counts and a truncated set */
		fx_850(in, &d, 1);
		in->len -= 30;
		break;
	case 6: /* an ISA with too few separators in its first 512 bytes
		 * (found by fuzzing: chunked reading said "premature end") */
		buf_adds(in, "ISA*00*          *00*");
		for (int i = 0; i < 60; i++)
			buf_adds(in, "0123456789");
		buf_adds(in, "*~GS*PO~");
		break;
	}
}

START_TEST(test_every_chunk_boundary)
{
	static const size_t reads[] = {1, 2, 3, 7, 64, 100000};
	struct buf in, want, got;
	struct x12_limits limits;

	buf_init(&in, 1 << 20);
	buf_init(&want, 1 << 20);
	buf_init(&got, 1 << 20);
	layout(&in, _i);
	x12_limits_default(&limits);
	fx_read(buf_view(&in), SIZE_MAX, 0, &limits, true, &want);
	for (size_t r = 0; r < sizeof(reads) / sizeof(reads[0]); r++) {
		limits.chunk = reads[r] < 16 ? 16 : reads[r];
		for (size_t split = 0; split <= in.len; split++) {
			buf_reset(&got);
			fx_read(buf_view(&in), split, reads[r], &limits, true,
				&got);
			ck_assert_msg(sv_eq(buf_view(&got), buf_view(&want)),
				      "layout %d, split %zu, reads of %zu:\n"
				      "%s\nwanted:\n%s",
				      _i, split, reads[r], got.ptr, want.ptr);
		}
	}
	buf_release(&in);
	buf_release(&want);
	buf_release(&got);
}
END_TEST

/* --- limits and marks --- */

START_TEST(test_segment_too_long_is_skipped)
{
	struct buf in;
	struct readout o;

	buf_init(&in, 1 << 22);
	fx_isa(&in, &FX_STD);
	buf_adds(&in, "GS*PO*S*R*20261127*0930*1*X*004010~ST*850*0001~REF*ZZ*");
	for (int i = 0; i < (int)X12_DEFAULT_MAX_SEGMENT + 10; i++)
		buf_addc(&in, 'x');
	buf_adds(&in, "~SE*3*0001~GE*1*1~IEA*1*000000001~");
	read_all(buf_view(&in), &o);
	ck_assert_str_eq(o.tags, "ISA GS ST SE GE IEA");
	ck_assert(has_code(&o.diag, X12_SEG_TOO_LONG));
	edi_diag_release(&o.diag);
	buf_release(&in);
}
END_TEST

START_TEST(test_mark_holds_a_set_across_reads)
{
	struct buf in;
	struct x12_limits limits;
	struct x12_reader r;
	struct x12_segment seg;
	struct edi_diag d;
	struct edi_error err;
	struct strview span;
	size_t offset, st_offset = 0;
	const char *st;

	buf_init(&in, 1 << 20);
	fx_850(&in, &FX_STD, 40);
	x12_limits_default(&limits);
	limits.chunk = 16;
	edi_diag_init(&d, 10);
	{
		int fds[2];
		ck_assert_int_eq(pipe(fds), 0);
		ck_assert_int_eq(write(fds[1], in.ptr, in.len),
				 (ssize_t)in.len);
		close(fds[1]);
		x12_reader_init_src(
			&r, (struct x12_source){x12_source_fd_read, &fds[0]},
			&limits, &d);
		while (x12_reader_next(&r, &seg, &err) == X12_NEXT_SEGMENT) {
			if (sv_eq_cstr(seg.tag, "ST")) {
				x12_reader_mark(&r);
				st_offset = seg.offset;
			}
			if (sv_eq_cstr(seg.tag, "SE"))
				break;
		}
		ck_assert_int_eq(x12_reader_marked(&r, &span, &offset), EDI_OK);
		st = strstr(in.ptr, "ST*850");
		ck_assert_uint_eq(offset, st_offset);
		ck_assert_uint_eq(offset, (size_t)(st - in.ptr));
		ck_assert_uint_eq(span.len, (size_t)(strstr(st, "GE*") - st));
		ck_assert_int_eq(memcmp(span.ptr, st, span.len), 0);
		{
			/* the reader kept where each segment of the set is */
			size_t nseg;
			const struct x12_span_seg *segs =
				x12_reader_marked_segs(&r, &nseg);
			ck_assert_uint_eq(nseg, 40 * 2 + 4);
			ck_assert_uint_eq(segs[0].offset, st_offset);
			ck_assert_uint_eq(segs[0].len, strlen("ST*850*0001"));
			ck_assert_int_eq(memcmp(in.ptr + segs[nseg - 1].offset,
						"SE*84*0001~", 11),
					 0);
		}
		x12_reader_release(&r);
		close(fds[0]);
	}
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

START_TEST(test_mark_over_limit_is_refused)
{
	struct buf in;
	struct x12_limits limits;
	struct x12_reader r;
	struct x12_segment seg;
	struct edi_diag d;
	struct edi_error err;
	struct strview span;
	size_t offset;
	int fds[2];

	buf_init(&in, 1 << 20);
	fx_850(&in, &FX_STD, 200);
	x12_limits_default(&limits);
	limits.chunk = 64;
	limits.max_set = 1000;
	edi_diag_init(&d, 10);
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], in.ptr, in.len), (ssize_t)in.len);
	close(fds[1]);
	x12_reader_init_src(&r,
			    (struct x12_source){x12_source_fd_read, &fds[0]},
			    &limits, &d);
	while (x12_reader_next(&r, &seg, &err) == X12_NEXT_SEGMENT) {
		if (sv_eq_cstr(seg.tag, "ST"))
			x12_reader_mark(&r);
		if (sv_eq_cstr(seg.tag, "SE"))
			break;
	}
	ck_assert_int_eq(x12_reader_marked(&r, &span, &offset), EDI_ELIMIT);
	/* and the window did not keep the whole set */
	ck_assert_uint_lt(r.win_cap, 8192);
	x12_reader_release(&r);
	close(fds[0]);
	edi_diag_release(&d);
	buf_release(&in);
}
END_TEST

/* --- not X12 --- */

static const struct {
	const char *name;
	const char *bytes;
	size_t len;
	enum edi_code code;
} not_x12[] = {
	{"empty", "", 0, X12_EMPTY},
	{"white space", " \r\n\t ", 5, X12_NO_ISA},
	{"text", "hello, world\n", 13, X12_NO_ISA},
	{"binary", "\x00\x01\x02\xff\xfe\x80ISA", 9, X12_NO_ISA},
	{"UTF-16", "\xff\xfeI\0S\0A\0*\0", 10, X12_NO_ISA},
	{"ISA cut short", "ISA*00*   ", 10, X12_PREMATURE_END},
	{"letter as separator", "ISAX00X          X00", 20, X12_ELEMENT_SEP},
	{"terminator = separator",
	 "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER      "
	 " *261127*0930*U*00401*000000001*0*P*>*",
	 106, X12_SEG_TERMINATOR},
	{"component = terminator",
	 "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER      "
	 " *261127*0930*U*00401*000000001*0*P*~~",
	 106, X12_COMPONENT_SEP},
	{"ISA ends early", "ISA*00*01*02~GS*PO~", 19, X12_PREMATURE_END},
	{"too few separators",
	 "ISA*00*01*02~GS*PO~.................................................."
	 "...."
	 "....................................................................."
	 "..."
	 "....................................................................."
	 "..."
	 "....................................................................."
	 "..."
	 "....................................................................."
	 "..."
	 "....................................................................."
	 "..."
	 "....................................................................."
	 "..."
	 "....................................................................."
	 "...",
	 577, X12_STRUCTURE},
};

START_TEST(test_not_x12_is_reported)
{
	struct readout o;

	read_all(sv_make(not_x12[_i].bytes, not_x12[_i].len), &o);
	ck_assert_msg(has_code(&o.diag, not_x12[_i].code), "%s: want %s",
		      not_x12[_i].name, edi_code_name(not_x12[_i].code));
	edi_diag_release(&o.diag);
}
END_TEST

START_TEST(test_bytes_after_iea)
{
	struct buf in;
	struct readout o;
	const struct edi_error *e;

	buf_init(&in, 1 << 20);
	fx_850(&in, &FX_STD, 1);
	buf_adds(&in, "JUNK~");
	read_all(buf_view(&in), &o);
	e = fx_find(&o.diag, X12_TRAILING, 0, 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(e->loc.offset, in.len - 5);
	edi_diag_release(&o.diag);
	buf_release(&in);
}
END_TEST

/* --- elements --- */

START_TEST(test_elements_components_repetitions)
{
	const char *raw = "PO1*1*2*EA*1.50**UP*0123>45^678*";
	struct x12_delims d = {'*', '>', '^', '~', {0}, 0, true};
	struct x12_segment seg = {.raw = sv_cstr(raw),
				  .tag = SV_LIT("PO1"),
				  .offset = 1000,
				  .index = 5,
				  .delims = &d};
	struct strview parts[4];
	struct strview el7;

	ck_assert_uint_eq(x12_element_count(&seg), 8);
	ck_assert(sv_eq_cstr(x12_element(&seg, 1), "1"));
	ck_assert(sv_eq_cstr(x12_element(&seg, 5), ""));
	ck_assert(sv_eq_cstr(x12_element(&seg, 8), ""));
	ck_assert(sv_eq_cstr(x12_element(&seg, 9), ""));
	el7 = x12_element(&seg, 7);
	ck_assert_uint_eq(x12_split(el7, '^', parts, 4), 2);
	ck_assert(sv_eq_cstr(parts[1], "678"));
	ck_assert(sv_eq_cstr(x12_part(parts[0], '>', 1), "45"));
	ck_assert(sv_eq_cstr(x12_part(parts[0], '>', 2), ""));
	ck_assert_uint_eq(x12_element_offset(&seg, 3), 1000 + 8);
}
END_TEST

Suite *x12_scan_suite(void)
{
	Suite *s = suite_create("x12_scan");
	TCase *tc = tcase_create("delimiters");
	TCase *tb = tcase_create("boundaries");
	TCase *tl = tcase_create("limits");

	tcase_add_loop_test(tc, test_delimiters_from_fixed_isa, 0,
			    sizeof(delim_cases) / sizeof(delim_cases[0]));
	tcase_add_test(tc, test_strict_check_falls_back_to_counting);
	tcase_add_test(tc, test_unpadded_isa);
	tcase_add_test(tc, test_isa_hard_wrapped);
	tcase_add_test(tc, test_wrapped_segment_is_cleaned);
	tcase_add_test(tc, test_bom_and_white_space);
	tcase_add_test(tc, test_newline_terminator_with_crlf);
	tcase_add_test(tc, test_several_interchanges_own_delimiters);
	tcase_add_test(tc, test_utf8_ellipsis_terminator);
	tcase_add_test(tc, test_ebcdic_input);
	tcase_add_loop_test(tc, test_not_x12_is_reported, 0,
			    sizeof(not_x12) / sizeof(not_x12[0]));
	tcase_add_test(tc, test_bytes_after_iea);
	tcase_add_test(tc, test_elements_components_repetitions);
	suite_add_tcase(s, tc);
	tcase_add_loop_test(tb, test_every_chunk_boundary, 0, 7);
	tcase_set_timeout(tb, 120);
	suite_add_tcase(s, tb);
	tcase_add_test(tl, test_segment_too_long_is_skipped);
	tcase_add_test(tl, test_mark_holds_a_set_across_reads);
	tcase_add_test(tl, test_mark_over_limit_is_refused);
	suite_add_tcase(s, tl);
	return s;
}
