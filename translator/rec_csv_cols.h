/*
 * rec_csv_cols - the fixed column tables of the CSV writer (docs/csv.md).
 *
 * Each doc_type with fixed columns is a struct rec_csv_doc: how its rows
 * are laid out and, per column, where its cell comes from (the record, a
 * party, the current line, its first ack, the current 856 order or pack)
 * and which member.  rec_csv walks these; the tables are constant.
 */
#ifndef EDI_REC_CSV_COLS_H
#define EDI_REC_CSV_COLS_H

#include <stddef.h>

#include "strview.h"

/* The most columns a doc_type has (checked where the tables are). */
#define MAX_COLS 48

enum col_src {
	COL_RECORD,	  /* member a of the record ("carrier.scac") */
	COL_PARTY_NAME,	  /* name of the first party with role a */
	COL_PARTY_ID,	  /* its first ids[].value */
	COL_PARTY_STREET, /* its address.street lines, joined */
	COL_PARTY_ADDR,	  /* its address member b */
	COL_JOIN,	  /* record array a as qualifier=<b>;... */
	COL_LINE,	  /* member a of the line (856: of the item) */
	COL_LINE_JOIN,	  /* line array a as qualifier=<b>;... */
	COL_ACK,	  /* member a of the line's first ack */
	COL_ORDER,	  /* 856: member a of the order */
	COL_PACK,	  /* 856: member a of the pack */
	COL_AC		  /* allowances_charges as indicator:code:amount;... */
};

struct col {
	const char *name;
	enum col_src src;
	const char *a, *b;
};

enum layout {
	LAYOUT_LINES,	/* a row per lines[] element */
	LAYOUT_DESPATCH /* a row per item of orders[].packs[] and orders[] */
};

struct rec_csv_doc {
	const char *doc_type;
	enum layout layout;
	const struct col *cols;
	size_t ncols;
};

/* The column table of doc_type, or NULL when it has none. */
const struct rec_csv_doc *rec_csv_doc_find(struct strview doc_type);

#endif
