/*
 * test_yaml_doc - YAML text to a node tree: shapes, marks, nulls, and
 * every refusal (syntax, duplicates, anchors, tags, documents, limits).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "yaml_doc.h"

struct parsed {
	struct arena arena;
	struct ynode *root;
	struct ymark at;
	struct edi_error err;
	enum edi_code rc;
};

static void parse(struct parsed *p, const char *yaml)
{
	memset(p, 0, sizeof(*p));
	arena_init(&p->arena, 0);
	p->rc = ydoc_parse(&p->arena, "t.yaml", sv_cstr(yaml), &p->root, &p->at,
			   &p->err);
}

static void done(struct parsed *p)
{
	arena_release(&p->arena);
}

START_TEST(test_tree_shapes_and_marks)
{
	struct parsed p;
	struct ynode *list, *seg;

	parse(&p, "map: x12-850\n"
		  "list:\n"
		  "  - one\n"
		  "  - {a: 1, b: [x, y]}\n");
	ck_assert_int_eq(p.rc, EDI_OK);
	ck_assert_int_eq(p.root->kind, YNODE_MAP);
	ck_assert_uint_eq(p.root->n, 4);
	ck_assert_uint_eq(ynode_size(p.root), 2);
	ck_assert_str_eq(ynode_get(p.root, "map")->value, "x12-850");
	ck_assert_uint_eq(ynode_get(p.root, "map")->line, 1);
	ck_assert_uint_eq(ynode_get(p.root, "map")->col, 6);
	list = ynode_get(p.root, "list");
	ck_assert_int_eq(list->kind, YNODE_SEQ);
	ck_assert_uint_eq(ynode_size(list), 2);
	ck_assert_str_eq(list->items[0]->value, "one");
	ck_assert_uint_eq(list->items[0]->line, 3);
	ck_assert_uint_eq(list->items[0]->col, 5);
	seg = ynode_get(list->items[1], "b");
	ck_assert_int_eq(seg->kind, YNODE_SEQ);
	ck_assert_str_eq(seg->items[1]->value, "y");
	ck_assert_uint_eq(seg->items[1]->line, 4);
	ck_assert_uint_eq(seg->items[1]->col, 19);
	ck_assert_str_eq(seg->file, "t.yaml");
	ck_assert_ptr_null(ynode_get(p.root, "missing"));
	ck_assert_ptr_null(ynode_get(list, "one"));
	ck_assert_str_eq(ynode_get_key(p.root, "list")->value, "list");
	done(&p);
}
END_TEST

START_TEST(test_scalars_stay_text_and_nulls_are_plain)
{
	struct parsed p;

	parse(&p, "a: ~\nb: null\nc: \"null\"\nd:\ne: ''\nf: 01\ng: yes\n"
		  "h: |\n  line\n");
	ck_assert_int_eq(p.rc, EDI_OK);
	ck_assert(ynode_is_null(ynode_get(p.root, "a")));
	ck_assert(ynode_is_null(ynode_get(p.root, "b")));
	ck_assert(!ynode_is_null(ynode_get(p.root, "c")));
	ck_assert(ynode_get(p.root, "c")->quoted);
	ck_assert(ynode_is_null(ynode_get(p.root, "d")));
	ck_assert(!ynode_is_null(ynode_get(p.root, "e")));
	ck_assert_str_eq(ynode_get(p.root, "f")->value, "01");
	ck_assert_str_eq(ynode_get(p.root, "g")->value, "yes");
	ck_assert_str_eq(ynode_get(p.root, "h")->value, "line\n");
	ck_assert_uint_eq(ynode_get(p.root, "h")->len, 5);
	done(&p);
}
END_TEST

START_TEST(test_empty_stream_is_no_root)
{
	struct parsed p;

	parse(&p, "# only a comment\n\n");
	ck_assert_int_eq(p.rc, EDI_OK);
	ck_assert_ptr_null(p.root);
	done(&p);
}
END_TEST

START_TEST(test_text_need_not_be_terminated)
{
	struct arena a;
	struct ynode *root;
	struct edi_error err;
	const char text[] = "a: 1\nb: 2XXXX";

	arena_init(&a, 0);
	ck_assert_int_eq(
		ydoc_parse(&a, "t.yaml", sv_make(text, 9), &root, NULL, &err),
		EDI_OK);
	ck_assert_str_eq(ynode_get(root, "b")->value, "2");
	arena_release(&a);
}
END_TEST

/* Each bad text is refused with this exact message and position. */
static const struct {
	const char *yaml;
	const char *msg;
	unsigned line, col;
} refusals[] = {
	{"a: [x, y\nb: 1\n",
	 "t.yaml:2:2: did not find expected ',' or ']' (while parsing a flow "
	 "sequence started at 1:4)",
	 2, 2},
	{"a: b: c\n",
	 "t.yaml:1:5: mapping values are not allowed in this context", 1, 5},
	{"a:\n\tb: 1\n",
	 "t.yaml:2:1: found character that cannot start any token (while "
	 "scanning for the next token started at 2:1); indent with spaces, "
	 "YAML does not allow tabs",
	 2, 1},
	{"a: 1\nb: 2\na: 3\n",
	 "t.yaml:3:1: duplicate key 'a' (first at line 1)", 3, 1},
	{"- &x a\n- b\n",
	 "t.yaml:1:3: anchors ('&x') are not supported; repeat the value", 1,
	 3},
	{"a: *x\n",
	 "t.yaml:1:4: aliases ('*x') are not supported; repeat the "
	 "value",
	 1, 4},
	{"a: !!str 1\n",
	 "t.yaml:1:4: tags ('tag:yaml.org,2002:str') are not supported; quote "
	 "the value if it must stay text",
	 1, 4},
	{"a: 1\n---\nb: 2\n",
	 "t.yaml:2:1: a second YAML document; a map file holds one", 2, 1},
	{"? [a]\n: b\n",
	 "t.yaml:1:3: a mapping key must be a plain value, not a list", 1, 3},
	{"a: \"ab\\0c\"\n", "t.yaml:1:4: a NUL character in a value", 1, 4},
	{"b: 1\n\na: \xc3\x28\n", "t.yaml:3:5: invalid trailing UTF-8 octet", 3,
	 5},
};

START_TEST(test_refusals_name_file_line_col)
{
	struct parsed p;

	parse(&p, refusals[_i].yaml);
	ck_assert_int_eq(p.rc, EDI_ECONFIG);
	ck_assert_ptr_null(p.root);
	ck_assert_str_eq(p.err.msg, refusals[_i].msg);
	ck_assert_uint_eq(p.at.line, refusals[_i].line);
	ck_assert_uint_eq(p.at.col, refusals[_i].col);
	ck_assert_str_eq(p.at.file, "t.yaml");
	done(&p);
}
END_TEST

START_TEST(test_depth_is_capped)
{
	size_t n = YDOC_MAX_DEPTH + 1;
	char *text = malloc(2 * n + 1);
	struct parsed p;

	memset(text, '[', n);
	memset(text + n, ']', n);
	text[2 * n] = '\0';
	parse(&p, text);
	ck_assert_int_eq(p.rc, EDI_ELIMIT);
	ck_assert_str_eq(p.err.msg,
			 "t.yaml:1:65: nested deeper than 64 levels");
	done(&p);
	/* exactly at the limit is fine */
	text[n - 1] = ' ';
	text[n] = ' ';
	parse(&p, text);
	ck_assert_int_eq(p.rc, EDI_OK);
	done(&p);
	free(text);
}
END_TEST

START_TEST(test_node_count_is_capped)
{
	size_t n = YDOC_MAX_NODES + 1, len = 2 + 2 * n;
	char *text = malloc(len + 1);
	struct parsed p;

	text[0] = '[';
	for (size_t i = 0; i < n; i++) {
		text[1 + 2 * i] = '1';
		text[2 + 2 * i] = ',';
	}
	text[len - 1] = ']';
	text[len] = '\0';
	parse(&p, text);
	ck_assert_int_eq(p.rc, EDI_ELIMIT);
	ck_assert_ptr_nonnull(strstr(p.err.msg, "more than 200000 YAML nodes"));
	done(&p);
	free(text);
}
END_TEST

START_TEST(test_size_is_capped)
{
	size_t len = (size_t)YDOC_MAX_BYTES + 1;
	char *text = malloc(len);
	struct arena a;
	struct ynode *root;
	struct edi_error err;

	memset(text, ' ', len);
	arena_init(&a, 0);
	ck_assert_int_eq(ydoc_parse(&a, "big.yaml", sv_make(text, len), &root,
				    NULL, &err),
			 EDI_ELIMIT);
	ck_assert_ptr_nonnull(strstr(err.msg, "big.yaml:1:1: file larger"));
	arena_release(&a);
	free(text);
}
END_TEST

START_TEST(test_built_nodes_carry_marks)
{
	struct parsed p;
	struct ynode *n;

	parse(&p, "a: 1\n");
	n = ynode_new_scalar(&p.arena, "null", ynode_get(p.root, "a"));
	ck_assert_str_eq(n->value, "null");
	ck_assert(!ynode_is_null(n));
	ck_assert_uint_eq(n->line, 1);
	ck_assert_uint_eq(n->col, 4);
	ck_assert_str_eq(ynode_kind_name(YNODE_SEQ), "list");
	done(&p);
}
END_TEST

Suite *yaml_doc_suite(void)
{
	Suite *s = suite_create("yaml_doc");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_tree_shapes_and_marks);
	tcase_add_test(tc, test_scalars_stay_text_and_nulls_are_plain);
	tcase_add_test(tc, test_empty_stream_is_no_root);
	tcase_add_test(tc, test_text_need_not_be_terminated);
	tcase_add_loop_test(tc, test_refusals_name_file_line_col, 0,
			    (int)(sizeof(refusals) / sizeof(refusals[0])));
	tcase_add_test(tc, test_depth_is_capped);
	tcase_add_test(tc, test_node_count_is_capped);
	tcase_add_test(tc, test_size_is_capped);
	tcase_add_test(tc, test_built_nodes_carry_marks);
	suite_add_tcase(s, tc);
	return s;
}
