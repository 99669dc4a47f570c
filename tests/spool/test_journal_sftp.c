/*
 * test_journal_sftp - the SFTP pull state in a real journal: rows per
 * partner, replaced by path, forgotten, kept across a reopen (what a
 * pull killed mid-file relies on), and over-long fields refused.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "journal.h"
#include "journal_sftp.h"
#include "suites.h"

struct fx {
	char dir[256];
	char path[300];
	struct journal *j;
	struct edi_error err;
};

static void fx_open(struct fx *f)
{
	const char *base = getenv("TMPDIR");

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/edigate-jsftp-XXXXXX",
		 base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/journal.db", f->dir);
	ck_assert_int_eq(journal_open(&f->j, f->path, &f->err), EDI_OK);
}

static void fx_close(struct fx *f)
{
	journal_close(f->j);
	fileio_remove_tree(f->dir, NULL);
}

static struct journal_sftp_pull row(const char *path, uint64_t size,
				    enum journal_sftp_state state,
				    const char *entry)
{
	struct journal_sftp_pull r;

	memset(&r, 0, sizeof(r));
	snprintf(r.path, sizeof(r.path), "%s", path);
	r.size = size;
	r.mtime = 1795771812;
	r.first_seen = 1795771900;
	r.state = state;
	snprintf(r.entry_id, sizeof(r.entry_id), "%s", entry);
	r.at = 1795771901;
	return r;
}

START_TEST(rows_put_replace_forget)
{
	struct fx f;
	struct journal_sftp_pull r, *rows;
	size_t n;

	fx_open(&f);
	ck_assert_int_eq(journal_sftp_rows(f.j, "acme", &rows, &n, &f.err),
			 EDI_OK);
	ck_assert_uint_eq(n, 0);
	free(rows);
	r = row("/out/a.x12", 10, JOURNAL_SFTP_SEEN, "");
	ck_assert_int_eq(journal_sftp_put(f.j, "acme", &r, &f.err), EDI_OK);
	r = row("/out/b.x12", 20, JOURNAL_SFTP_SEEN, "");
	ck_assert_int_eq(journal_sftp_put(f.j, "acme", &r, &f.err), EDI_OK);
	r = row("/out/a.x12", 10, JOURNAL_SFTP_SEEN, "");
	ck_assert_int_eq(journal_sftp_put(f.j, "other", &r, &f.err), EDI_OK);
	/* the same path again: replaced, now with its entry */
	r = row("/out/a.x12", 10, JOURNAL_SFTP_FETCHING, "20261127T093012Z-1");
	ck_assert_int_eq(journal_sftp_put(f.j, "acme", &r, &f.err), EDI_OK);
	ck_assert_int_eq(journal_sftp_rows(f.j, "acme", &rows, &n, &f.err),
			 EDI_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(rows[0].path, "/out/a.x12");
	ck_assert_int_eq(rows[0].state, JOURNAL_SFTP_FETCHING);
	ck_assert_str_eq(rows[0].entry_id, "20261127T093012Z-1");
	ck_assert_uint_eq(rows[0].size, 10);
	ck_assert_int_eq(rows[0].mtime, 1795771812);
	ck_assert_int_eq(rows[0].first_seen, 1795771900);
	ck_assert_str_eq(rows[1].path, "/out/b.x12");
	ck_assert_int_eq(rows[1].state, JOURNAL_SFTP_SEEN);
	ck_assert_str_eq(rows[1].entry_id, "");
	free(rows);
	ck_assert_int_eq(journal_sftp_forget(f.j, "acme", "/out/a.x12", &f.err),
			 EDI_OK);
	ck_assert_int_eq(journal_sftp_forget(f.j, "acme", "/nope", &f.err),
			 EDI_OK);
	ck_assert_int_eq(journal_sftp_rows(f.j, "acme", &rows, &n, &f.err),
			 EDI_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(rows[0].path, "/out/b.x12");
	free(rows);
	/* the other partner's row is its own */
	ck_assert_int_eq(journal_sftp_rows(f.j, "other", &rows, &n, &f.err),
			 EDI_OK);
	ck_assert_uint_eq(n, 1);
	free(rows);
	fx_close(&f);
}
END_TEST

START_TEST(rows_survive_a_reopen)
{
	struct fx f;
	struct journal_sftp_pull r, *rows;
	size_t n;

	fx_open(&f);
	r = row("/out/a.x12", 10, JOURNAL_SFTP_RECEIVED, "20261127T093012Z-1");
	ck_assert_int_eq(journal_sftp_put(f.j, "acme", &r, &f.err), EDI_OK);
	journal_close(f.j); /* as a killed pull leaves it: each put committed */
	ck_assert_int_eq(journal_open(&f.j, f.path, &f.err), EDI_OK);
	ck_assert_int_eq(journal_sftp_rows(f.j, "acme", &rows, &n, &f.err),
			 EDI_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(rows[0].state, JOURNAL_SFTP_RECEIVED);
	free(rows);
	fx_close(&f);
}
END_TEST

START_TEST(overlong_field_refused)
{
	struct fx f;
	struct journal_sftp_pull r =
		row("/out/a.x12", 1, JOURNAL_SFTP_SEEN, "");

	fx_open(&f);
	memset(r.path, 'a', sizeof(r.path)); /* no NUL */
	ck_assert_int_eq(journal_sftp_put(f.j, "acme", &r, &f.err), EDI_ELIMIT);
	fx_close(&f);
}
END_TEST

Suite *journal_sftp_suite(void)
{
	Suite *s = suite_create("journal_sftp");
	TCase *tc = tcase_create("rows");

	tcase_add_test(tc, rows_put_replace_forget);
	tcase_add_test(tc, rows_survive_a_reopen);
	tcase_add_test(tc, overlong_field_refused);
	suite_add_tcase(s, tc);
	return s;
}
