/*
 * map - the in-memory form of a map (docs/map-language.md).
 *
 * A struct map is compiled once from YAML by map_load and then only read:
 * the guide validator (map_guide) and the record builder (map_exec) take
 * it as const.  Everything a map points to lives in the arena of the
 * struct map_set that loaded it and dies with map_set_release().
 *
 * Element positions, components and repetitions are 1-based; 0 means
 * "none" or "the whole element".  Every node keeps the mark (file, line,
 * column) of the YAML it came from, for error messages.
 */
#ifndef EDI_MAP_H
#define EDI_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "strview.h"

struct map_mark {
	const char *file; /* the YAML file the node came from */
	unsigned line, col;
};

enum map_req { MAP_REQ_M, MAP_REQ_O, MAP_REQ_X };

enum map_type {
	MAP_T_AN,
	MAP_T_ID,
	MAP_T_N, /* integer with .implied decimals */
	MAP_T_R,
	MAP_T_DT,
	MAP_T_TM
};

struct map_elem {
	enum map_req req;
	enum map_type type;
	unsigned implied; /* MAP_T_N: implied decimal places */
	unsigned min_len, max_len;
	unsigned max_repeat; /* 1: not repeating */
	const char **codes;  /* ID code list, sorted by strcmp; NULL: any */
	size_t ncodes;
	struct map_elem *components; /* a composite when ncomponents > 0 */
	size_t ncomponents;
	struct map_mark mark;
};

enum map_syntax_kind {
	MAP_SYN_P, /* paired: all or none */
	MAP_SYN_R, /* required: at least one */
	MAP_SYN_E, /* exclusion: at most one */
	MAP_SYN_C, /* conditional: if the first, then all others */
	MAP_SYN_L  /* list conditional: if the first, then one other */
};

#define MAP_SYNTAX_MAX 8

struct map_syntax {
	enum map_syntax_kind kind;
	unsigned pos[MAP_SYNTAX_MAX];
	unsigned npos;
	struct map_mark mark;
	uint64_t bits; /* map_guide_prepare(): bit p for each position p */
};

struct map_check_def;
struct guide_index;

struct map_segdef {
	char tag[4];
	struct map_elem *elems; /* position i + 1 */
	size_t nelems;
	struct map_syntax *syntax;
	size_t nsyntax;
	struct map_mark mark;
	/* map_guide_prepare(): bit p for each mandatory position p, when
	 * has_bits (every position below 64) */
	uint64_t mandatory_bits;
	bool has_bits;
	/* map_check_prepare() (map_check.c): the element checks as a table;
	 * NULL: checked the long way */
	const struct map_check_def *check;
};

enum guide_kind { GUIDE_SEGMENT, GUIDE_LOOP };

struct guide_node {
	enum guide_kind kind;
	char tag[4];	  /* the segment; for a loop, its first segment */
	uint32_t key;	  /* tag packed by x12_tag_key() */
	char loop_id[8];  /* loops: "N1", "PO1", "HL" */
	enum map_req req; /* M or O */
	unsigned max;	  /* 0: no limit (">1") */
	const struct map_segdef *def; /* segments: NULL when undefined */
	/* segments, from map_guide_prepare(): def->check, next to def so
	 * that the checks of a placed segment need not load def (NULL: none) */
	const struct map_check_def *check;
	struct guide_node *children; /* loops: the entries in order */
	size_t nchildren;
	struct guide_node *parent; /* NULL for the root */
	struct map_mark mark;
	/* loops, from map_guide_prepare(): [i] is the first mandatory entry
	 * at or after entry i (nchildren: none), for i in 0..nchildren */
	const size_t *next_mandatory;
	/* loops, from map_guide_prepare() (map_guide.c): the entries by
	 * tag (NULL: scan them) */
	const struct guide_index *index;
};

/* A path to a value: "BEG03", "PO106-2", "REF04#2",
 * "REF02 where REF01 = DP", "PO1 pair VP", a flat column. */
struct map_path {
	char tag[4];
	uint32_t key; /* map_path_parse(): tag packed by x12_tag_key() */
	unsigned element;
	unsigned component;	/* 0: the whole element */
	unsigned repetition;	/* 0: the first */
	unsigned where_element; /* 0: no where clause */
	const char **where_values;
	size_t nwhere;
	const char *pair_qualifier; /* "pair VP": search PO106..PO125 */
	unsigned pair_from, pair_to;
	const char *column;    /* flat maps: a column name */
	unsigned column_index; /* flat maps: 1-based column when numeric */
	struct map_mark mark;
};

enum map_xform_kind {
	MAP_XF_DATE, /* CCYYMMDD/YYMMDD, or arg a pattern like MM/DD/YYYY */
	MAP_XF_TIME,
	MAP_XF_DECIMAL,
	MAP_XF_IMPLIED, /* n places */
	MAP_XF_INTEGER,
	MAP_XF_TRIM,
	MAP_XF_UPPER,
	MAP_XF_CODE,   /* table */
	MAP_XF_MATCH,  /* regex (compiled by map_load, PCRE2) */
	MAP_XF_DEFAULT /* arg */
};

struct map_table;
struct map_exec_plan;

struct map_xform {
	enum map_xform_kind kind;
	int n;
	const char *arg;
	const struct map_table *table;
	void *regex; /* pcre2_code *, owned by the map set */
	struct map_mark mark;
};

enum map_field_kind {
	MAP_FIELD_PATH,
	MAP_FIELD_CONST,
	MAP_FIELD_OBJECT,
	MAP_FIELD_LIST,
	MAP_FIELD_EACH,
	MAP_FIELD_PAIRS
};

enum map_scope_kind {
	MAP_SCOPE_LOOP,	   /* "loop N1 [where N101 in [ST BT]]" */
	MAP_SCOPE_SEGMENT, /* "REF": each REF directly in the scope */
	MAP_SCOPE_HL,	   /* "hl O [direct]" */
	MAP_SCOPE_ROW	   /* flat maps: each row of the group */
};

struct map_scope {
	enum map_scope_kind kind;
	char id[8];	       /* loop id, segment tag or HL level code */
	bool direct;	       /* hl: children only */
	struct map_path where; /* .element 0: no condition */
};

struct map_field {
	enum map_field_kind kind;
	const char *name;	  /* the member name; NULL inside a list */
	struct map_path path;	  /* PATH */
	struct map_xform *xforms; /* PATH: applied in order */
	size_t nxforms;
	const char *constant;	    /* CONST: the value */
	struct map_field *children; /* OBJECT, LIST, EACH: its fields */
	size_t nchildren;
	struct map_scope scope;	 /* EACH */
	struct map_scope within; /* EACH: inside the first of these */
	bool has_within;
	char pairs_tag[4];	       /* PAIRS: "PO1" */
	unsigned pairs_from, pairs_to; /* PAIRS: 6 and 25 */
	struct map_mark mark;
};

struct map_table {
	const char *name;
	const char **keys; /* sorted by strcmp */
	const char **values;
	size_t n;
	bool keep_unknown; /* "*": keep */
	struct map_mark mark;
};

enum map_rule_kind {
	MAP_RULE_LINES,	      /* CTT01 counts PO1 */
	MAP_RULE_TOTAL,	      /* TDS01 = sum of lines +/- allowances */
	MAP_RULE_CHECK_DIGIT, /* gtin or sscc */
	MAP_RULE_REQUIRE      /* a value that must exist */
};

enum map_digit_kind { MAP_DIGIT_GTIN, MAP_DIGIT_SSCC };

struct map_rule {
	enum map_rule_kind kind;
	const char *name;     /* "lines", "total", "gtin", "sscc", "require" */
	struct map_path path; /* LINES: CTT01; TOTAL: TDS01; REQUIRE; SSCC */
	char lines_tag[4];    /* LINES, TOTAL: PO1 or IT1 */
	char allowances_tag[4]; /* TOTAL: SAC, or "" */
	const char *tolerance;	/* TOTAL: exact decimal, "0" default */
	enum map_digit_kind digit;
	const char **qualifiers; /* GTIN: item id qualifiers to check */
	size_t nqualifiers;
	const char *message; /* REQUIRE: the text of the error */
	struct map_mark mark;
};

enum map_format { MAP_FORMAT_X12, MAP_FORMAT_CSV, MAP_FORMAT_FIXED };

/* outbound: defaults: CUR01: BY (x12_emit only) */
struct map_out_default {
	struct map_path path;
	const char *value;
	unsigned when; /* only when this element of the segment has a value;
			* 0: always */
};

struct map_column {
	const char *name;
	unsigned start, len; /* fixed: 1-based start and length */
};

struct map {
	const char *id;
	const char *extends;  /* NULL: none (already merged in) */
	const char *document; /* "850", or a flat document name */
	const char *description;
	const char *file; /* where the map itself was written */
	enum map_format format;
	const char **versions; /* "004010", "00501", "*" */
	size_t nversions;
	struct map_segdef *segs; /* sorted by tag */
	size_t nsegs;
	struct guide_node guide; /* the root: a loop of the whole set */
	struct map_rule *rules;
	size_t nrules;
	struct map_table *tables;
	size_t ntables;
	const char *doc_type;	 /* "order", "invoice", ... */
	struct map_path doc_key; /* the business key */
	struct map_field record; /* OBJECT: the record's fields */
	/* map_exec_plan_new() of the record, made by map_fields_record() */
	const struct map_exec_plan *exec_plan;
	/* flat files */
	char csv_delimiter, csv_quote;
	bool csv_header;
	struct map_column *columns; /* fixed width */
	size_t ncolumns;
	const char *group_by; /* column that groups rows into records */
	/* outbound: defaults (map_outbound.h) */
	struct map_out_default *out_defaults;
	size_t nout_defaults;
};

struct map_pick; /* map_load.c */

/* Every map loaded for one run; owns all of them. */
struct map_set {
	struct arena arena;
	struct map **maps;
	size_t n, cap;
	void *pending; /* map_load's parsed YAML until map_set_resolve() */
	/* map_set_select()'s summary of the X12 maps, made by
	 * map_set_resolve() when there were picks_of maps */
	struct map_pick *picks;
	size_t npicks, picks_of;
};

void map_set_init(struct map_set *set);
void map_set_release(struct map_set *set);

/* The map with this id, or NULL. */
const struct map *map_set_find(const struct map_set *set, const char *id);
/*
 * The most specific map serving an X12 document (ST01) in a version (GS08),
 * or NULL.  Exact version beats a longer prefix beats a shorter one beats
 * "*".
 */
const struct map *map_set_select(const struct map_set *set,
				 struct strview document,
				 struct strview version);

/* The segment definition for tag, or NULL. */
const struct map_segdef *map_segdef_find(const struct map *m,
					 struct strview tag);
/* The table of that name, or NULL. */
const struct map_table *map_table_find(const struct map *m, const char *name);

#endif
