/*
 * rec_csv_cols - the column tables; see rec_csv_cols.h.
 */
#include "rec_csv_cols.h"

/*
 * The column tables are written with these; clang-format would break the
 * braces inside the macros onto lines of their own.
 */
/* clang-format off */
#define R(name) {name, COL_RECORD, name, NULL}
#define L(name) {name, COL_LINE, name, NULL}
#define HEAD R("id"), R("doc_key"), R("partner"), R("correlation_id")
#define PARTY(role) \
	{role "_name", COL_PARTY_NAME, role, NULL}, \
	{role "_id", COL_PARTY_ID, role, NULL}
#define ADDRESS(role) \
	{role "_street", COL_PARTY_STREET, role, NULL}, \
	{role "_city", COL_PARTY_ADDR, role, "city"}, \
	{role "_region", COL_PARTY_ADDR, role, "region"}, \
	{role "_postal_code", COL_PARTY_ADDR, role, "postal_code"}, \
	{role "_country", COL_PARTY_ADDR, role, "country"}
#define PARTIES \
	PARTY("buyer"), PARTY("ship_to"), ADDRESS("ship_to"), \
	PARTY("bill_to"), PARTY("seller"), PARTY("ship_from"), \
	PARTY("remit_to")
#define LISTS \
	{"references", COL_JOIN, "references", "value"}, \
	{"dates", COL_JOIN, "dates", "date"}
#define LINE_ITEM \
	L("line_number"), L("quantity"), L("uom"), L("unit_price"), \
	{"item_ids", COL_LINE_JOIN, "item_ids", "value"}, L("description")
/* clang-format on */

static const struct col order_cols[] = {
	HEAD,
	R("order_number"),
	R("release_number"),
	R("order_date"),
	R("purpose_code"),
	R("order_type_code"),
	R("currency"),
	PARTIES,
	LISTS,
	LINE_ITEM,
	R("line_count"),
};

static const struct col order_response_cols[] = {
	HEAD,
	R("order_number"),
	R("response_type_code"),
	R("response_date"),
	R("purpose_code"),
	PARTIES,
	LISTS,
	LINE_ITEM,
	{"ack_status", COL_ACK, "status_code", NULL},
	{"ack_quantity", COL_ACK, "quantity", NULL},
	{"ack_uom", COL_ACK, "uom", NULL},
	{"ack_date", COL_ACK, "date", NULL},
	R("line_count"),
};

static const struct col despatch_advice_cols[] = {
	HEAD,
	R("shipment_id"),
	R("ship_notice_date"),
	R("ship_notice_time"),
	R("purpose_code"),
	{"carrier_scac", COL_RECORD, "carrier.scac", NULL},
	{"carrier_name", COL_RECORD, "carrier.name", NULL},
	R("gross_weight"),
	PARTIES,
	LISTS,
	{"order_number", COL_ORDER, "order_number", NULL},
	{"sscc", COL_PACK, "sscc", NULL},
	L("line_number"),
	{"item_ids", COL_LINE_JOIN, "item_ids", "value"},
	L("quantity_shipped"),
	L("uom"),
};

static const struct col invoice_cols[] = {
	HEAD,
	R("invoice_number"),
	R("invoice_date"),
	R("order_number"),
	R("order_date"),
	R("currency"),
	PARTIES,
	LISTS,
	LINE_ITEM,
	R("total_amount"),
	{"allowances_charges", COL_AC, "allowances_charges", NULL},
	R("line_count"),
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct rec_csv_doc docs[] = {
	{"order", LAYOUT_LINES, order_cols, COUNT(order_cols)},
	{"order_response", LAYOUT_LINES, order_response_cols,
	 COUNT(order_response_cols)},
	{"despatch_advice", LAYOUT_DESPATCH, despatch_advice_cols,
	 COUNT(despatch_advice_cols)},
	{"invoice", LAYOUT_LINES, invoice_cols, COUNT(invoice_cols)},
};

_Static_assert(COUNT(order_cols) <= MAX_COLS, "order columns");
_Static_assert(COUNT(order_response_cols) <= MAX_COLS, "855 columns");
_Static_assert(COUNT(despatch_advice_cols) <= MAX_COLS, "856 columns");
_Static_assert(COUNT(invoice_cols) <= MAX_COLS, "invoice columns");

const struct rec_csv_doc *rec_csv_doc_find(struct strview doc_type)
{
	for (size_t i = 0; i < COUNT(docs); i++)
		if (sv_eq_cstr(doc_type, docs[i].doc_type))
			return &docs[i];
	return NULL;
}
