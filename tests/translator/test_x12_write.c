/*
 * test_x12_write - segments and envelopes as the writer makes them.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "suites.h"
#include "x12_fixture.h"
#include "x12_write.h"

static const struct x12_write_delims STD = {'*', '>', '^', '~', ""};

static void setup_writer(struct x12_writer *w, struct buf *b,
			 const struct x12_write_delims *d)
{
	buf_init(b, 1 << 20);
	x12_writer_init(w, b, d);
}

static void ck_out(const struct buf *b, const char *want)
{
	ck_assert_msg(b->len == strlen(want) && !memcmp(b->ptr, want, b->len),
		      "got '%.*s', want '%s'", (int)b->len, b->ptr, want);
}

START_TEST(test_trailing_empties_dropped)
{
	struct x12_writer w;
	struct buf b;
	struct edi_error err;

	setup_writer(&w, &b, &STD);
	x12_seg_begin(&w, "REF");
	x12_elem_cstr(&w, "DP");
	x12_elem_cstr(&w, "");
	x12_elem_cstr(&w, "DEPT 7");
	x12_elem_cstr(&w, "");
	x12_elem_cstr(&w, NULL);
	ck_assert_int_eq(x12_seg_end(&w, &err), EDI_OK);
	ck_out(&b, "REF*DP**DEPT 7~");
	buf_release(&b);
}
END_TEST

START_TEST(test_components)
{
	struct x12_writer w;
	struct buf b;
	struct edi_error err;
	struct x12_write_delims d = STD;

	d.suffix = "\n";
	setup_writer(&w, &b, &d);
	x12_seg_begin(&w, "AK4");
	x12_elem_begin(&w);
	x12_comp_cstr(&w, "3");
	x12_comp_cstr(&w, "");
	x12_comp_cstr(&w, "");
	x12_elem_end(&w);
	x12_elem_u64(&w, 66);
	x12_elem_cstr(&w, "1");
	ck_assert_int_eq(x12_seg_end(&w, &err), EDI_OK);
	x12_seg_begin(&w, "AK4");
	x12_elem_begin(&w);
	x12_comp_cstr(&w, "");
	x12_comp_cstr(&w, "2");
	x12_elem_end(&w);
	x12_elem_cstr(&w, "");
	ck_assert_int_eq(x12_seg_end(&w, &err), EDI_OK);
	ck_out(&b, "AK4*3*66*1~\nAK4*>2~\n");
	buf_release(&b);
}
END_TEST

static const char *const bad_values[] = {"A*B", "A~B",	"A>B",
					 "A^B", "A\nB", "caf\xc3\xa9"};

START_TEST(test_delimiter_in_value_refused)
{
	struct x12_writer w;
	struct buf b;
	struct edi_error err;

	setup_writer(&w, &b, &STD);
	x12_seg_begin(&w, "N1");
	x12_elem_cstr(&w, "ST");
	x12_elem_cstr(&w, bad_values[_i]);
	ck_assert_int_eq(x12_seg_end(&w, &err), EDI_EDATA);
	ck_assert_msg(strstr(err.msg, "N102") != NULL, "%s", err.msg);
	/* sticky: later segments do not write */
	x12_seg_begin(&w, "N1");
	x12_elem_cstr(&w, "BY");
	ck_assert_int_eq(x12_seg_end(&w, &err), EDI_EDATA);
	buf_release(&b);
}
END_TEST

START_TEST(test_same_delimiters_refused)
{
	struct x12_writer w;
	struct buf b;
	struct x12_write_delims d = STD;
	struct edi_error err;

	d.component = '*';
	setup_writer(&w, &b, &d);
	ck_assert_int_eq(x12_writer_result(&w, &err), EDI_EUSAGE);
	buf_release(&b);
}
END_TEST

static void interchange(struct buf *b, const struct x12_write_delims *d,
			const char *version, const char *gs_version)
{
	struct x12_writer w;
	struct edi_error err;
	struct x12_isa_out isa = {"ZZ",	    "DISTRIBCO", "ZZ",	  "ACMESUPPLY",
				  "261127", "0930",	 version, 42,
				  false,    'T'};
	struct x12_gs_out gs = {"FA",	"DISTRIBCO", "ACMESUPPLY", "20261127",
				"0930", 7,	     gs_version};

	x12_writer_init(&w, b, d);
	ck_assert_int_eq(x12_write_isa(&w, &isa, &err), EDI_OK);
	ck_assert_int_eq(x12_write_gs(&w, &gs, &err), EDI_OK);
	for (int s = 1; s <= 2; s++) {
		char st02[16];
		snprintf(st02, sizeof(st02), "%04d", s);
		ck_assert_int_eq(x12_write_st(&w, "997", st02, NULL, &err),
				 EDI_OK);
		x12_seg_begin(&w, "AK1");
		x12_elem_cstr(&w, "PO");
		x12_elem_cstr(&w, "17");
		ck_assert_int_eq(x12_seg_end(&w, &err), EDI_OK);
		x12_seg_begin(&w, "AK9");
		x12_elem_cstr(&w, "A");
		x12_elem_cstr(&w, "1");
		x12_elem_cstr(&w, "1");
		x12_elem_cstr(&w, "1");
		ck_assert_int_eq(x12_seg_end(&w, &err), EDI_OK);
		ck_assert_int_eq(x12_write_se(&w, &err), EDI_OK);
	}
	ck_assert_int_eq(x12_write_ge(&w, &err), EDI_OK);
	ck_assert_int_eq(x12_write_iea(&w, &err), EDI_OK);
}

START_TEST(test_envelope_counts)
{
	struct buf b;
	const char *want =
		"ISA*00*          *00*          *ZZ*DISTRIBCO      "
		"*ZZ*ACMESUPPLY     *261127*0930*U*00401*000000042*0*T*>~"
		"GS*FA*DISTRIBCO*ACMESUPPLY*20261127*0930*7*X*004010~"
		"ST*997*0001~AK1*PO*17~AK9*A*1*1*1~SE*4*0001~"
		"ST*997*0002~AK1*PO*17~AK9*A*1*1*1~SE*4*0002~"
		"GE*2*7~IEA*1*000000042~";

	buf_init(&b, 1 << 20);
	interchange(&b, &STD, "00401", "004010");
	ck_out(&b, want);
	ck_assert_ptr_eq(strstr(b.ptr, "GS") - b.ptr + b.ptr, b.ptr + 106);
	buf_release(&b);
}
END_TEST

/* What the writer makes, the reader and envelope checker accept. */
START_TEST(test_reader_accepts_output)
{
	static const struct x12_write_delims odd[] = {
		{'*', '>', '^', '~', "\r\n"},
		{'|', ':', '!', '\n', ""},
		{0x1d, 0x1f, 0x1e, 0x1c, ""},
	};
	struct edi_diag d;
	struct buf b;

	buf_init(&b, 1 << 20);
	interchange(&b, &odd[_i], "00501", "005010");
	edi_diag_init(&d, 100);
	fx_diag(sv_make(b.ptr, b.len), &d);
	ck_assert_msg(d.n == 0, "diagnostic %s: %s",
		      d.n ? edi_code_name(d.items[0].code) : "",
		      d.n ? d.items[0].msg : "");
	edi_diag_release(&d);
	buf_release(&b);
}
END_TEST

Suite *x12_write_suite(void)
{
	Suite *s = suite_create("x12_write");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_trailing_empties_dropped);
	tcase_add_test(tc, test_components);
	tcase_add_loop_test(tc, test_delimiter_in_value_refused, 0,
			    sizeof(bad_values) / sizeof(bad_values[0]));
	tcase_add_test(tc, test_same_delimiters_refused);
	tcase_add_test(tc, test_envelope_counts);
	tcase_add_loop_test(tc, test_reader_accepts_output, 0, 3);
	suite_add_tcase(s, tc);
	return s;
}
