/*
 * test_rec_csv - records to CSV rows: fixed columns per doc_type, one row
 * per line item, joined lists, RFC 4180 quoting.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "rec_csv.h"
#include "rec_fixture.h"
#include "suites.h"

#define NELEMS(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define ORDER_HEADER                                                       \
	"id,doc_key,partner,correlation_id,order_number,release_number,"   \
	"order_date,purpose_code,order_type_code,currency,buyer_name,"     \
	"buyer_id,ship_to_name,ship_to_id,ship_to_street,ship_to_city,"    \
	"ship_to_region,ship_to_postal_code,ship_to_country,bill_to_name," \
	"bill_to_id,seller_name,seller_id,ship_from_name,ship_from_id,"    \
	"remit_to_name,remit_to_id,references,dates,line_number,quantity," \
	"uom,unit_price,item_ids,description,line_count\r\n"

#define ORDER                                                                \
	"{\"doc_type\":\"order\",\"id\":\"acme.000000123.1.0001\","          \
	"\"doc_key\":\"acme:order:PO-1001\",\"partner\":\"acme\","           \
	"\"correlation_id\":\"20261127T093012Z-000042-acme\","               \
	"\"source\":{\"format\":\"x12\"},"                                   \
	"\"order_number\":\"PO-1001\",\"order_date\":\"2026-11-20\","        \
	"\"purpose_code\":\"00\",\"order_type_code\":\"SA\","                \
	"\"currency\":\"USD\","                                              \
	"\"parties\":[{\"role\":\"buyer\",\"name\":\"ACME CORP\","           \
	"\"ids\":[{\"qualifier\":\"92\",\"value\":\"B1\"},"                  \
	"{\"qualifier\":\"1\",\"value\":\"123456789\"}]},"                   \
	"{\"role\":\"ship_to\",\"name\":\"ACME DC 4\","                      \
	"\"ids\":[{\"qualifier\":\"92\",\"value\":\"0004\"}],"               \
	"\"address\":{\"street\":[\"100 DOCK ROAD\",\"SUITE 5\"],"           \
	"\"city\":\"COLUMBUS\",\"region\":\"OH\",\"postal_code\":\"43215\"," \
	"\"country\":\"US\"}},"                                              \
	"{\"role\":\"ship_to\",\"name\":\"SECOND SHIP TO\"},"                \
	"{\"role\":\"ZZ\",\"name\":\"OTHER\"}],"                             \
	"\"references\":[{\"qualifier\":\"DP\",\"value\":\"042\"},"          \
	"{\"qualifier\":\"IA\",\"value\":\"1234\"}],"                        \
	"\"dates\":[{\"qualifier\":\"002\",\"date\":\"2026-11-25\"}],"       \
	"\"lines\":[{\"line_number\":\"1\",\"quantity\":\"12\","             \
	"\"uom\":\"EA\",\"unit_price\":\"3.5\",\"item_ids\":["               \
	"{\"qualifier\":\"UP\",\"value\":\"012345678905\"},"                 \
	"{\"qualifier\":\"VN\",\"value\":\"WID-1\"}],"                       \
	"\"description\":\"WIDGET BLUE\"},"                                  \
	"{\"line_number\":\"2\",\"quantity\":\"1.25\",\"uom\":\"CA\","       \
	"\"unit_price\":\"10\"}],"                                           \
	"\"line_count\":2}"

#define ORDER_RESPONSE                                                \
	"{\"doc_type\":\"order_response\",\"id\":\"r1\","             \
	"\"order_number\":\"PO-1001\",\"response_type_code\":\"AC\"," \
	"\"response_date\":\"2026-11-21\",\"lines\":["                \
	"{\"line_number\":\"1\",\"quantity\":\"12\",\"acks\":["       \
	"{\"status_code\":\"IA\",\"quantity\":\"12\",\"uom\":\"EA\"," \
	"\"date\":\"2026-11-25\"},{\"status_code\":\"IB\"}]},"        \
	"{\"line_number\":\"2\"}]}"

#define INVOICE                                                           \
	"{\"doc_type\":\"invoice\",\"id\":\"i1\","                        \
	"\"invoice_number\":\"INV-9\",\"invoice_date\":\"2026-12-01\","   \
	"\"order_number\":\"PO-1001\",\"lines\":[{\"line_number\":\"1\"," \
	"\"quantity\":\"12\",\"unit_price\":\"3.5\"}],"                   \
	"\"total_amount\":\"49.5\",\"allowances_charges\":["              \
	"{\"indicator\":\"A\",\"code\":\"D240\",\"amount\":\"10.5\"},"    \
	"{\"indicator\":\"C\",\"code\":\"H090\",\"amount\":\"18\"}],"     \
	"\"line_count\":1}"

#define DESPATCH                                                        \
	"{\"doc_type\":\"despatch_advice\",\"id\":\"d1\","              \
	"\"shipment_id\":\"SH-7\",\"ship_notice_date\":\"2026-11-22\"," \
	"\"ship_notice_time\":\"09:30\","                               \
	"\"carrier\":{\"scac\":\"UPSN\",\"name\":\"UPS\"},"             \
	"\"gross_weight\":{\"value\":\"120.5\",\"uom\":\"LB\"},"        \
	"\"orders\":[{\"order_number\":\"PO-1\",\"packs\":["            \
	"{\"sscc\":\"S1\",\"items\":[{\"line_number\":\"1\","           \
	"\"quantity_shipped\":\"5\",\"uom\":\"EA\"},"                   \
	"{\"line_number\":\"2\",\"quantity_shipped\":\"6\"}]},"         \
	"{\"sscc\":\"S2\"}],"                                           \
	"\"items\":[{\"line_number\":\"3\",\"item_ids\":["              \
	"{\"qualifier\":\"UP\",\"value\":\"012345678905\"}],"           \
	"\"quantity_shipped\":\"7\"}]},"                                \
	"{\"order_number\":\"PO-2\"}]}"

/* A parsed CSV text: row 0 is the header. */
#define MAX_ROWS 16
#define MAX_COLS 128

struct table {
	size_t nrows;
	size_t ncols[MAX_ROWS];
	const char *cell[MAX_ROWS][MAX_COLS];
};

/* Split RFC 4180 text with CRLF rows; a bare LF outside quotes fails. */
static void parse_csv(struct arena *a, const char *text, struct table *t)
{
	const char *p = text;
	char *field = arena_alloc(a, strlen(text) + 1);
	size_t n = 0;

	memset(t, 0, sizeof(*t));
	while (*p) {
		bool quoted = *p == '"';

		ck_assert_uint_lt(t->nrows, MAX_ROWS);
		n = 0;
		if (quoted) {
			for (p++;; p++) {
				ck_assert_msg(*p, "unterminated quote");
				if (*p == '"' && p[1] == '"')
					field[n++] = *p++;
				else if (*p == '"')
					break;
				else
					field[n++] = *p;
			}
			p++;
		} else {
			while (*p && *p != ',' && *p != '\r') {
				ck_assert_msg(*p != '\n' && *p != '"',
					      "bad unquoted field");
				field[n++] = *p++;
			}
		}
		ck_assert_uint_lt(t->ncols[t->nrows], MAX_COLS);
		t->cell[t->nrows][t->ncols[t->nrows]++] =
			arena_svdup(a, sv_make(field, n));
		if (*p == ',') {
			p++;
			continue;
		}
		ck_assert_msg(p[0] == '\r' && p[1] == '\n',
			      "row does not end with CRLF");
		p += 2;
		t->nrows++;
	}
}

/* The cell of column name in row (1 is the first after the header). */
static const char *get(const struct table *t, size_t row, const char *name)
{
	ck_assert_uint_lt(row, t->nrows);
	for (size_t i = 0; i < t->ncols[0]; i++)
		if (!strcmp(t->cell[0][i], name))
			return t->cell[row][i];
	ck_abort_msg("no column '%s'", name);
	return NULL;
}

/* Header and rows of one record, parsed. */
static void render(struct arena *a, const char *json, struct table *t)
{
	struct buf b;
	struct rec_value *rec = rec_from_json(a, json);

	buf_init(&b, 1 << 20);
	ck_assert_int_eq(rec_csv_header_record(&b, rec), EDI_OK);
	ck_assert_int_eq(rec_csv_write(&b, rec), EDI_OK);
	parse_csv(a, buf_cstr(&b), t);
	buf_release(&b);
}

START_TEST(test_order_header)
{
	struct buf b;

	buf_init(&b, 4096);
	ck_assert_int_eq(rec_csv_header(&b, "order"), EDI_OK);
	ck_assert_str_eq(buf_cstr(&b), ORDER_HEADER);
	buf_release(&b);
}
END_TEST

static const struct {
	const char *doc_type;
	const char *record;
	size_t nrows; /* without the header */
} docs[] = {
	{"order", ORDER, 2},
	{"order_response", ORDER_RESPONSE, 2},
	{"invoice", INVOICE, 1},
	{"despatch_advice", DESPATCH, 5},
};

START_TEST(test_every_row_has_the_header_columns)
{
	struct arena a;
	struct table t;

	arena_init(&a, 0);
	ck_assert(rec_csv_known(docs[_i].doc_type));
	render(&a, docs[_i].record, &t);
	ck_assert_uint_eq(t.nrows, docs[_i].nrows + 1);
	ck_assert_str_eq(t.cell[0][0], "id");
	for (size_t r = 1; r < t.nrows; r++)
		ck_assert_uint_eq(t.ncols[r], t.ncols[0]);
	arena_release(&a);
}
END_TEST

START_TEST(test_header_from_doc_type_matches_record)
{
	struct arena a;
	struct buf h1, h2;

	arena_init(&a, 0);
	buf_init(&h1, 4096);
	buf_init(&h2, 4096);
	ck_assert_int_eq(rec_csv_header(&h1, docs[_i].doc_type), EDI_OK);
	ck_assert_int_eq(
		rec_csv_header_record(&h2, rec_from_json(&a, docs[_i].record)),
		EDI_OK);
	ck_assert_str_eq(buf_cstr(&h1), buf_cstr(&h2));
	buf_release(&h1);
	buf_release(&h2);
	arena_release(&a);
}
END_TEST

START_TEST(test_order_one_row_per_line_header_repeated)
{
	struct arena a;
	struct table t;

	arena_init(&a, 0);
	render(&a, ORDER, &t);
	ck_assert_uint_eq(t.nrows, 3);
	for (size_t r = 1; r <= 2; r++) {
		ck_assert_str_eq(get(&t, r, "order_number"), "PO-1001");
		ck_assert_str_eq(get(&t, r, "correlation_id"),
				 "20261127T093012Z-000042-acme");
		ck_assert_str_eq(get(&t, r, "line_count"), "2");
		ck_assert_str_eq(get(&t, r, "currency"), "USD");
	}
	ck_assert_str_eq(get(&t, 1, "line_number"), "1");
	ck_assert_str_eq(get(&t, 2, "line_number"), "2");
	ck_assert_str_eq(get(&t, 2, "quantity"), "1.25");
	ck_assert_str_eq(get(&t, 2, "description"), "");
	ck_assert_str_eq(get(&t, 2, "item_ids"), "");
	ck_assert_str_eq(get(&t, 1, "release_number"), "");
	arena_release(&a);
}
END_TEST

START_TEST(test_lists_joined)
{
	struct arena a;
	struct table t;

	arena_init(&a, 0);
	render(&a, ORDER, &t);
	ck_assert_str_eq(get(&t, 1, "references"), "DP=042;IA=1234");
	ck_assert_str_eq(get(&t, 1, "dates"), "002=2026-11-25");
	ck_assert_str_eq(get(&t, 1, "item_ids"), "UP=012345678905;VN=WID-1");
	arena_release(&a);
}
END_TEST

START_TEST(test_parties_first_of_role)
{
	struct arena a;
	struct table t;

	arena_init(&a, 0);
	render(&a, ORDER, &t);
	ck_assert_str_eq(get(&t, 1, "buyer_name"), "ACME CORP");
	ck_assert_str_eq(get(&t, 1, "buyer_id"), "B1");
	ck_assert_str_eq(get(&t, 1, "ship_to_name"), "ACME DC 4");
	ck_assert_str_eq(get(&t, 1, "ship_to_id"), "0004");
	ck_assert_str_eq(get(&t, 1, "ship_to_street"),
			 "100 DOCK ROAD, SUITE 5");
	ck_assert_str_eq(get(&t, 1, "ship_to_city"), "COLUMBUS");
	ck_assert_str_eq(get(&t, 1, "ship_to_region"), "OH");
	ck_assert_str_eq(get(&t, 1, "ship_to_postal_code"), "43215");
	ck_assert_str_eq(get(&t, 1, "ship_to_country"), "US");
	ck_assert_str_eq(get(&t, 1, "seller_name"), "");
	ck_assert_str_eq(get(&t, 2, "ship_to_name"), "ACME DC 4");
	arena_release(&a);
}
END_TEST

START_TEST(test_no_lines_gives_one_row)
{
	struct arena a;
	struct table t;

	arena_init(&a, 0);
	render(&a,
	       "{\"doc_type\":\"order\",\"id\":\"x\",\"order_number\":\"P\","
	       "\"lines\":[]}",
	       &t);
	ck_assert_uint_eq(t.nrows, 2);
	ck_assert_str_eq(get(&t, 1, "order_number"), "P");
	ck_assert_str_eq(get(&t, 1, "line_number"), "");
	ck_assert_str_eq(get(&t, 1, "quantity"), "");
	arena_release(&a);
}
END_TEST

static const struct {
	const char *value; /* as JSON */
	const char *field; /* as written in the row */
} quoting[] = {
	{"PLAIN", "PLAIN"},
	{"ACME, INC", "\"ACME, INC\""},
	{"12\\\" PIPE", "\"12\"\" PIPE\""},
	{"\\\"", "\"\"\"\""},
	{"TWO\\nLINES", "\"TWO\nLINES\""},
	{"CR\\rHERE", "\"CR\rHERE\""},
	{"semi;colon = ok", "semi;colon = ok"},
	{" padded ", " padded "},
};

START_TEST(test_rfc4180_quoting)
{
	struct arena a;
	struct buf b;
	char json[256];
	const char *expect;

	arena_init(&a, 0);
	buf_init(&b, 4096);
	snprintf(json, sizeof(json),
		 "{\"doc_type\":\"order\",\"lines\":[{\"line_number\":\"1\","
		 "\"description\":\"%s\"}]}",
		 quoting[_i].value);
	ck_assert_int_eq(rec_csv_write(&b, rec_from_json(&a, json)), EDI_OK);
	/* description is the sixth field from the end */
	expect = arena_printf(&a, ",1,,,,,%s,\r\n", quoting[_i].field);
	ck_assert_uint_ge(b.len, strlen(expect));
	ck_assert_str_eq(buf_cstr(&b) + b.len - strlen(expect), expect);
	arena_release(&a);
	buf_release(&b);
}
END_TEST

START_TEST(test_order_response_first_ack)
{
	struct arena a;
	struct table t;

	arena_init(&a, 0);
	render(&a, ORDER_RESPONSE, &t);
	ck_assert_str_eq(get(&t, 1, "response_type_code"), "AC");
	ck_assert_str_eq(get(&t, 1, "ack_status"), "IA");
	ck_assert_str_eq(get(&t, 1, "ack_quantity"), "12");
	ck_assert_str_eq(get(&t, 1, "ack_uom"), "EA");
	ck_assert_str_eq(get(&t, 1, "ack_date"), "2026-11-25");
	ck_assert_str_eq(get(&t, 2, "ack_status"), "");
	ck_assert_str_eq(get(&t, 2, "order_number"), "PO-1001");
	arena_release(&a);
}
END_TEST

START_TEST(test_invoice_totals_and_allowances)
{
	struct arena a;
	struct table t;

	arena_init(&a, 0);
	render(&a, INVOICE, &t);
	ck_assert_str_eq(get(&t, 1, "invoice_number"), "INV-9");
	ck_assert_str_eq(get(&t, 1, "total_amount"), "49.5");
	ck_assert_str_eq(get(&t, 1, "allowances_charges"),
			 "A:D240:10.5;C:H090:18");
	ck_assert_str_eq(get(&t, 1, "line_count"), "1");
	arena_release(&a);
}
END_TEST

static const struct {
	const char *order, *sscc, *line, *qty;
} despatch_rows[] = {
	{"PO-1", "S1", "1", "5"}, {"PO-1", "S1", "2", "6"},
	{"PO-1", "S2", "", ""},	  {"PO-1", "", "3", "7"},
	{"PO-2", "", "", ""},
};

START_TEST(test_despatch_row_per_item)
{
	struct arena a;
	struct table t;
	size_t r = (size_t)_i + 1;

	arena_init(&a, 0);
	render(&a, DESPATCH, &t);
	ck_assert_uint_eq(t.nrows, NELEMS(despatch_rows) + 1);
	ck_assert_str_eq(get(&t, r, "order_number"), despatch_rows[_i].order);
	ck_assert_str_eq(get(&t, r, "sscc"), despatch_rows[_i].sscc);
	ck_assert_str_eq(get(&t, r, "line_number"), despatch_rows[_i].line);
	ck_assert_str_eq(get(&t, r, "quantity_shipped"), despatch_rows[_i].qty);
	ck_assert_str_eq(get(&t, r, "shipment_id"), "SH-7");
	ck_assert_str_eq(get(&t, r, "carrier_scac"), "UPSN");
	ck_assert_str_eq(get(&t, r, "carrier_name"), "UPS");
	ck_assert_str_eq(get(&t, r, "gross_weight"), "120.5");
	ck_assert_str_eq(get(&t, r, "ship_notice_time"), "09:30");
	arena_release(&a);
}
END_TEST

START_TEST(test_despatch_nested_packs_use_inner_sscc)
{
	struct arena a;
	struct table t;

	arena_init(&a, 0);
	render(&a,
	       "{\"doc_type\":\"despatch_advice\",\"orders\":[{"
	       "\"order_number\":\"PO-1\",\"packs\":[{\"sscc\":\"PALLET\","
	       "\"packs\":[{\"sscc\":\"CARTON\",\"items\":["
	       "{\"line_number\":\"1\",\"item_ids\":[{\"qualifier\":\"UP\","
	       "\"value\":\"012345678905\"}]}]}]}]}]}",
	       &t);
	ck_assert_uint_eq(t.nrows, 2);
	ck_assert_str_eq(get(&t, 1, "sscc"), "CARTON");
	ck_assert_str_eq(get(&t, 1, "item_ids"), "UP=012345678905");
	arena_release(&a);
}
END_TEST

START_TEST(test_despatch_without_orders_gives_one_row)
{
	struct arena a;
	struct table t;

	arena_init(&a, 0);
	render(&a, "{\"doc_type\":\"despatch_advice\",\"shipment_id\":\"S\"}",
	       &t);
	ck_assert_uint_eq(t.nrows, 2);
	ck_assert_str_eq(get(&t, 1, "shipment_id"), "S");
	ck_assert_str_eq(get(&t, 1, "order_number"), "");
	arena_release(&a);
}
END_TEST

START_TEST(test_unknown_doc_type_uses_scalars)
{
	struct arena a;
	struct buf b;

	arena_init(&a, 0);
	buf_init(&b, 4096);
	ck_assert(!rec_csv_known("catalog"));
	ck_assert_int_eq(rec_csv_header(&b, "catalog"), EDI_EUSAGE);
	ck_assert_uint_eq(b.len, 0);
	{
		struct rec_value *rec = rec_from_json(
			&a, "{\"doc_type\":\"catalog\",\"id\":\"c1\","
			    "\"source\":{\"format\":\"csv\"},\"count\":3,"
			    "\"items\":[1],\"name\":\"A,B\",\"ok\":true}");

		ck_assert_int_eq(rec_csv_header_record(&b, rec), EDI_OK);
		ck_assert_int_eq(rec_csv_write(&b, rec), EDI_OK);
	}
	ck_assert_str_eq(buf_cstr(&b), "doc_type,id,count,name,ok\r\n"
				       "catalog,c1,3,\"A,B\",true\r\n");
	buf_release(&b);
	arena_release(&a);
}
END_TEST

START_TEST(test_limit_leaves_buf_unchanged)
{
	struct arena a;
	struct buf b;
	struct rec_value *rec;

	arena_init(&a, 0);
	rec = rec_from_json(&a, DESPATCH);
	for (size_t max = 3; max < 800; max += 13) {
		enum edi_code rc;

		buf_init(&b, max);
		buf_adds(&b, "abc");
		rc = rec_csv_write(&b, rec);
		if (rc == EDI_OK) {
			buf_release(&b);
			break;
		}
		ck_assert_int_eq(rc, EDI_ELIMIT);
		ck_assert_str_eq(buf_cstr(&b), "abc");
		ck_assert_uint_eq(b.len, 3);
		buf_release(&b);
	}
	buf_init(&b, 3);
	buf_adds(&b, "abc");
	ck_assert_int_eq(rec_csv_header(&b, "order"), EDI_ELIMIT);
	ck_assert_str_eq(buf_cstr(&b), "abc");
	buf_release(&b);
	arena_release(&a);
}
END_TEST

START_TEST(test_not_an_object_refused)
{
	struct arena a;
	struct buf b;

	arena_init(&a, 0);
	buf_init(&b, 4096);
	ck_assert_int_eq(rec_csv_write(&b, rec_array(&a)), EDI_EINTERNAL);
	ck_assert_int_eq(rec_csv_header_record(&b, NULL), EDI_EINTERNAL);
	ck_assert_uint_eq(b.len, 0);
	buf_release(&b);
	arena_release(&a);
}
END_TEST

Suite *rec_csv_suite(void)
{
	Suite *s = suite_create("rec_csv");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_order_header);
	tcase_add_loop_test(tc, test_every_row_has_the_header_columns, 0,
			    NELEMS(docs));
	tcase_add_loop_test(tc, test_header_from_doc_type_matches_record, 0,
			    NELEMS(docs));
	tcase_add_test(tc, test_order_one_row_per_line_header_repeated);
	tcase_add_test(tc, test_lists_joined);
	tcase_add_test(tc, test_parties_first_of_role);
	tcase_add_test(tc, test_no_lines_gives_one_row);
	tcase_add_loop_test(tc, test_rfc4180_quoting, 0, NELEMS(quoting));
	tcase_add_test(tc, test_order_response_first_ack);
	tcase_add_test(tc, test_invoice_totals_and_allowances);
	tcase_add_loop_test(tc, test_despatch_row_per_item, 0,
			    NELEMS(despatch_rows));
	tcase_add_test(tc, test_despatch_nested_packs_use_inner_sscc);
	tcase_add_test(tc, test_despatch_without_orders_gives_one_row);
	tcase_add_test(tc, test_unknown_doc_type_uses_scalars);
	tcase_add_test(tc, test_limit_leaves_buf_unchanged);
	tcase_add_test(tc, test_not_an_object_refused);
	suite_add_tcase(s, tc);
	return s;
}
