/*
 * test_fileio - durable writes (whole file or nothing, temp file gone on
 * failure), reads with a cap, mkdir -p, rename, folder sync, rm -r, in
 * real temporary folders.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "suites.h"

struct tmp {
	char dir[256];
	struct edi_error err;
};

static void tmp_make(struct tmp *t)
{
	const char *base = getenv("TMPDIR");

	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "%s/edigate-fileio-XXXXXX",
		 base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(t->dir));
}

static void tmp_done(struct tmp *t)
{
	ck_assert_int_eq(fileio_remove_tree(t->dir, &t->err), EDI_OK);
}

static void path_of(char *dst, size_t size, const struct tmp *t,
		    const char *rel)
{
	snprintf(dst, size, "%s/%s", t->dir, rel);
}

static void put(const struct tmp *t, const char *rel, const char *text)
{
	char p[512];
	int fd;

	path_of(p, sizeof(p), t, rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* The file's text (at most 4095 bytes), or "<missing>". */
static const char *text_of(const struct tmp *t, const char *rel)
{
	static char out[4096];
	char p[512];
	ssize_t n;
	int fd;

	path_of(p, sizeof(p), t, rel);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return "<missing>";
	n = read(fd, out, sizeof(out) - 1);
	close(fd);
	out[n < 0 ? 0 : n] = '\0';
	return out;
}

/* Names in a folder, sorted-insensitive: how many, and dot names. */
static int count_names(const struct tmp *t, const char *rel, int *ndot)
{
	char p[512];
	struct dirent *e;
	int n = 0;
	DIR *d;

	path_of(p, sizeof(p), t, rel);
	d = opendir(p);
	ck_assert_ptr_nonnull(d);
	if (ndot)
		*ndot = 0;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		n++;
		if (ndot && e->d_name[0] == '.')
			(*ndot)++;
	}
	closedir(d);
	return n;
}

START_TEST(test_write_durable_creates_the_file)
{
	struct tmp t;
	struct stat st;
	char p[512];

	tmp_make(&t);
	ck_assert_int_eq(
		fileio_write_durable(t.dir, "a.json", "{}\n", 3, &t.err),
		EDI_OK);
	ck_assert_str_eq(text_of(&t, "a.json"), "{}\n");
	path_of(p, sizeof(p), &t, "a.json");
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, FILEIO_MODE);
	ck_assert_int_eq(count_names(&t, ".", NULL), 1); /* no temp left */
	tmp_done(&t);
}
END_TEST

START_TEST(test_write_durable_replaces_an_old_file)
{
	struct tmp t;

	tmp_make(&t);
	put(&t, "state", "old contents, longer than the new");
	ck_assert_int_eq(fileio_write_durable(t.dir, "state", "new", 3, &t.err),
			 EDI_OK);
	ck_assert_str_eq(text_of(&t, "state"), "new");
	ck_assert_int_eq(count_names(&t, ".", NULL), 1);
	tmp_done(&t);
}
END_TEST

START_TEST(test_nothing_is_visible_under_the_name_before_commit)
{
	struct fileio_writer w;
	struct tmp t;
	int ndot;

	tmp_make(&t);
	ck_assert_int_eq(fileio_begin(&w, t.dir, "out.jsonl", &t.err), EDI_OK);
	ck_assert_int_eq(fileio_write(&w, "line 1\n", 7, &t.err), EDI_OK);
	ck_assert_str_eq(text_of(&t, "out.jsonl"), "<missing>");
	/* the temp file is a dot file in the same folder */
	ck_assert_int_eq(count_names(&t, ".", &ndot), 1);
	ck_assert_int_eq(ndot, 1);
	ck_assert_int_eq(fileio_write(&w, "line 2\n", 7, &t.err), EDI_OK);
	ck_assert_uint_eq(w.nbytes, 14);
	ck_assert_int_eq(fileio_commit(&w, &t.err), EDI_OK);
	ck_assert_str_eq(text_of(&t, "out.jsonl"), "line 1\nline 2\n");
	ck_assert_int_eq(count_names(&t, ".", &ndot), 1);
	ck_assert_int_eq(ndot, 0);
	tmp_done(&t);
}
END_TEST

START_TEST(test_streaming_a_large_file_keeps_every_byte)
{
	struct fileio_writer w;
	struct tmp t;
	struct buf back;
	char p[512], chunk[1000];

	tmp_make(&t);
	ck_assert_int_eq(fileio_begin(&w, t.dir, "big", &t.err), EDI_OK);
	for (int i = 0; i < 1000; i++) {
		memset(chunk, 'a' + i % 26, sizeof(chunk));
		ck_assert_int_eq(fileio_write(&w, chunk, sizeof(chunk), &t.err),
				 EDI_OK);
	}
	ck_assert_int_eq(fileio_commit(&w, &t.err), EDI_OK);
	path_of(p, sizeof(p), &t, "big");
	ck_assert_int_eq(fileio_read_all(p, 2000000, &back, &t.err), EDI_OK);
	ck_assert_uint_eq(back.len, 1000000);
	for (size_t i = 0; i < back.len; i += 1000)
		ck_assert_int_eq(back.ptr[i], 'a' + (int)(i / 1000) % 26);
	buf_release(&back);
	tmp_done(&t);
}
END_TEST

START_TEST(test_abort_removes_the_temp_file_and_keeps_the_old)
{
	struct fileio_writer w;
	struct tmp t;

	tmp_make(&t);
	put(&t, "keep", "old");
	ck_assert_int_eq(fileio_begin(&w, t.dir, "keep", &t.err), EDI_OK);
	ck_assert_int_eq(fileio_write(&w, "half", 4, &t.err), EDI_OK);
	fileio_abort(&w);
	ck_assert_str_eq(text_of(&t, "keep"), "old");
	ck_assert_int_eq(count_names(&t, ".", NULL), 1);
	fileio_abort(&w); /* a finished writer: nothing happens */
	ck_assert_int_eq(w.fd, -1);
	tmp_done(&t);
}
END_TEST

START_TEST(test_a_failed_write_removes_the_temp_file)
{
	struct fileio_writer w;
	struct tmp t;

	tmp_make(&t);
	ck_assert_int_eq(fileio_begin(&w, t.dir, "x", &t.err), EDI_OK);
	close(w.fd); /* the write below fails with EBADF */
	ck_assert_int_eq(fileio_write(&w, "data", 4, &t.err), EDI_EIO);
	ck_assert_msg(strstr(t.err.msg, "cannot write '") &&
			      strstr(t.err.msg, "/x': Bad file descriptor"),
		      "%s", t.err.msg);
	ck_assert_int_eq(w.fd, -1);
	ck_assert_int_eq(count_names(&t, ".", NULL), 0);
	fileio_abort(&w);
	tmp_done(&t);
}
END_TEST

START_TEST(test_commit_on_a_finished_writer_is_a_usage_error)
{
	struct fileio_writer w;
	struct tmp t;

	tmp_make(&t);
	ck_assert_int_eq(fileio_begin(&w, t.dir, "x", &t.err), EDI_OK);
	ck_assert_int_eq(fileio_commit(&w, &t.err), EDI_OK);
	ck_assert_int_eq(fileio_commit(&w, &t.err), EDI_EUSAGE);
	ck_assert_str_eq(text_of(&t, "x"), "");
	tmp_done(&t);
}
END_TEST

START_TEST(test_temp_file_in_a_separate_tmp_folder)
{
	struct fileio_writer w;
	struct tmp t;
	char tmpdir[512], outdir[512];
	int ndot;

	tmp_make(&t);
	path_of(tmpdir, sizeof(tmpdir), &t, "tmp");
	path_of(outdir, sizeof(outdir), &t, "out");
	ck_assert_int_eq(mkdir(tmpdir, 0755), 0);
	ck_assert_int_eq(mkdir(outdir, 0755), 0);
	ck_assert_int_eq(fileio_begin_tmp(&w, tmpdir, outdir, "r.csv", &t.err),
			 EDI_OK);
	ck_assert_int_eq(fileio_write(&w, "a,b\n", 4, &t.err), EDI_OK);
	ck_assert_int_eq(count_names(&t, "tmp", &ndot), 1);
	ck_assert_int_eq(count_names(&t, "out", NULL), 0);
	ck_assert_int_eq(fileio_commit(&w, &t.err), EDI_OK);
	ck_assert_int_eq(count_names(&t, "tmp", NULL), 0);
	ck_assert_str_eq(text_of(&t, "out/r.csv"), "a,b\n");
	tmp_done(&t);
}
END_TEST

START_TEST(test_begin_in_a_missing_folder_names_it)
{
	struct fileio_writer w;
	struct tmp t;
	char dir[512], want[700];

	tmp_make(&t);
	path_of(dir, sizeof(dir), &t, "nope");
	ck_assert_int_eq(fileio_begin(&w, dir, "x", &t.err), EDI_ENOENT);
	snprintf(want, sizeof(want),
		 "cannot create a temp file in '%s': No such file or "
		 "directory",
		 dir);
	ck_assert_str_eq(t.err.msg, want);
	ck_assert_int_eq(w.fd, -1);
	fileio_abort(&w);
	tmp_done(&t);
}
END_TEST

START_TEST(test_begin_refuses_names_that_are_not_base_names)
{
	static const char *const bad[] = {"", ".", "..", "a/b", "/x"};
	struct fileio_writer w;
	struct tmp t;

	tmp_make(&t);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(fileio_begin(&w, t.dir, bad[i], &t.err),
				 EDI_EUSAGE);
		fileio_abort(&w);
	}
	ck_assert_int_eq(count_names(&t, ".", NULL), 0);
	tmp_done(&t);
}
END_TEST

START_TEST(test_read_all_reads_the_whole_file)
{
	struct tmp t;
	struct buf b;
	char p[512];

	tmp_make(&t);
	put(&t, "f", "ISA*00*hello~");
	path_of(p, sizeof(p), &t, "f");
	ck_assert_int_eq(fileio_read_all(p, 100, &b, &t.err), EDI_OK);
	ck_assert_uint_eq(b.len, 13);
	ck_assert_str_eq(buf_cstr(&b), "ISA*00*hello~");
	buf_release(&b);
	tmp_done(&t);
}
END_TEST

START_TEST(test_read_all_of_an_empty_file_is_empty)
{
	struct tmp t;
	struct buf b;
	char p[512];

	tmp_make(&t);
	put(&t, "empty", "");
	path_of(p, sizeof(p), &t, "empty");
	ck_assert_int_eq(fileio_read_all(p, 100, &b, &t.err), EDI_OK);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(buf_cstr(&b), "");
	buf_release(&b);
	tmp_done(&t);
}
END_TEST

START_TEST(test_read_all_stops_one_byte_past_the_cap)
{
	struct tmp t;
	struct buf b;
	char p[512], want[700];

	tmp_make(&t);
	put(&t, "f", "0123456789");
	path_of(p, sizeof(p), &t, "f");
	ck_assert_int_eq(fileio_read_all(p, 10, &b, &t.err), EDI_OK);
	ck_assert_uint_eq(b.len, 10);
	buf_release(&b);
	ck_assert_int_eq(fileio_read_all(p, 9, &b, &t.err), EDI_ELIMIT);
	snprintf(want, sizeof(want), "cannot read '%s': larger than 9 bytes",
		 p);
	ck_assert_str_eq(t.err.msg, want);
	ck_assert_uint_eq(b.len, 0);
	buf_release(&b);
	tmp_done(&t);
}
END_TEST

START_TEST(test_read_all_of_a_missing_file_is_enoent)
{
	struct tmp t;
	struct buf b;
	char p[512], want[700];

	tmp_make(&t);
	path_of(p, sizeof(p), &t, "gone");
	ck_assert_int_eq(fileio_read_all(p, 10, &b, &t.err), EDI_ENOENT);
	snprintf(want, sizeof(want),
		 "cannot read '%s': No such file or directory", p);
	ck_assert_str_eq(t.err.msg, want);
	buf_release(&b);
	tmp_done(&t);
}
END_TEST

START_TEST(test_read_all_of_a_folder_is_eisdir)
{
	struct tmp t;
	struct buf b;

	tmp_make(&t);
	ck_assert_int_eq(fileio_read_all(t.dir, 10, &b, &t.err), EDI_EISDIR);
	ck_assert_ptr_nonnull(strstr(t.err.msg, "Is a directory"));
	buf_release(&b);
	tmp_done(&t);
}
END_TEST

START_TEST(test_mkdirs_creates_every_level_and_accepts_existing)
{
	struct tmp t;
	mode_t mask;
	struct stat st;
	char p[512];

	mask = umask(0);
	umask(mask);
	tmp_make(&t);
	path_of(p, sizeof(p), &t, "a/b//c/");
	ck_assert_int_eq(fileio_mkdirs(p, 0750, &t.err), EDI_OK);
	path_of(p, sizeof(p), &t, "a/b/c");
	ck_assert_int_eq(stat(p, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 0777, 0750 & ~mask);
	ck_assert_int_eq(fileio_mkdirs(p, 0750, &t.err), EDI_OK);
	tmp_done(&t);
}
END_TEST

START_TEST(test_mkdirs_through_a_file_fails_naming_it)
{
	struct tmp t;
	char p[512], want[700];

	tmp_make(&t);
	put(&t, "file", "x");
	path_of(p, sizeof(p), &t, "file/sub");
	ck_assert_int_ne(fileio_mkdirs(p, 0750, &t.err), EDI_OK);
	path_of(p, sizeof(p), &t, "file");
	snprintf(want, sizeof(want),
		 "cannot create folder '%s': Not a directory", p);
	ck_assert_str_eq(t.err.msg, want);
	tmp_done(&t);
}
END_TEST

START_TEST(test_rename_moves_between_folders)
{
	struct tmp t;
	char from[512], to[512];

	tmp_make(&t);
	path_of(from, sizeof(from), &t, "a");
	ck_assert_int_eq(mkdir(from, 0755), 0);
	put(&t, "a/f", "data");
	path_of(from, sizeof(from), &t, "a/f");
	path_of(to, sizeof(to), &t, "g");
	ck_assert_int_eq(fileio_rename(from, to, &t.err), EDI_OK);
	ck_assert_str_eq(text_of(&t, "g"), "data");
	ck_assert_str_eq(text_of(&t, "a/f"), "<missing>");
	tmp_done(&t);
}
END_TEST

START_TEST(test_rename_of_a_missing_file_names_both)
{
	struct tmp t;
	char from[512], to[512];

	tmp_make(&t);
	path_of(from, sizeof(from), &t, "nope");
	path_of(to, sizeof(to), &t, "g");
	ck_assert_int_eq(fileio_rename(from, to, &t.err), EDI_ENOENT);
	ck_assert_ptr_nonnull(strstr(t.err.msg, "cannot rename '"));
	ck_assert_ptr_nonnull(strstr(t.err.msg, "/g': No such file"));
	tmp_done(&t);
}
END_TEST

START_TEST(test_fsync_dir_of_existing_and_missing_folders)
{
	struct tmp t;
	char p[512];

	tmp_make(&t);
	ck_assert_int_eq(fileio_fsync_dir(t.dir, &t.err), EDI_OK);
	path_of(p, sizeof(p), &t, "missing");
	ck_assert_int_eq(fileio_fsync_dir(p, &t.err), EDI_ENOENT);
	ck_assert_ptr_nonnull(strstr(t.err.msg, "cannot sync folder '"));
	tmp_done(&t);
}
END_TEST

START_TEST(test_remove_tree_removes_nested_folders_and_missing_is_fine)
{
	struct tmp t;
	char p[512];

	tmp_make(&t);
	path_of(p, sizeof(p), &t, "x/y/z");
	ck_assert_int_eq(fileio_mkdirs(p, 0755, &t.err), EDI_OK);
	put(&t, "x/y/z/f", "1");
	put(&t, "x/.hidden", "2");
	path_of(p, sizeof(p), &t, "x");
	ck_assert_int_eq(fileio_remove_tree(p, &t.err), EDI_OK);
	ck_assert_int_eq(count_names(&t, ".", NULL), 0);
	ck_assert_int_eq(fileio_remove_tree(p, &t.err), EDI_OK);
	tmp_done(&t);
}
END_TEST

START_TEST(test_join_refuses_paths_that_do_not_fit)
{
	char dst[16];
	struct edi_error err;

	ck_assert_int_eq(fileio_join(dst, sizeof(dst), "dir", "name", &err),
			 EDI_OK);
	ck_assert_str_eq(dst, "dir/name");
	ck_assert_int_eq(
		fileio_join(dst, sizeof(dst), "directory", "name.x12", &err),
		EDI_ELIMIT);
	ck_assert_str_eq(dst, "");
}
END_TEST

START_TEST(test_errno_maps_to_codes)
{
	static const struct {
		int errnum;
		enum edi_code code;
	} cases[] = {
		{ENOENT, EDI_ENOENT},
		{ENOTDIR, EDI_ENOENT},
		{EISDIR, EDI_EISDIR},
		{ENOSPC, EDI_ETEMP},
		{EMFILE, EDI_ETEMP},
		{EINTR, EDI_ETEMP},
		{ENAMETOOLONG, EDI_ELIMIT},
		{EACCES, EDI_EIO},
		{EIO, EDI_EIO},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_int_eq(fileio_code(cases[i].errnum), cases[i].code);
}
END_TEST

Suite *fileio_suite(void)
{
	Suite *s = suite_create("fileio");
	TCase *w = tcase_create("write");
	TCase *r = tcase_create("read");
	TCase *d = tcase_create("folders");

	tcase_add_test(w, test_write_durable_creates_the_file);
	tcase_add_test(w, test_write_durable_replaces_an_old_file);
	tcase_add_test(w, test_nothing_is_visible_under_the_name_before_commit);
	tcase_add_test(w, test_streaming_a_large_file_keeps_every_byte);
	tcase_add_test(w, test_abort_removes_the_temp_file_and_keeps_the_old);
	tcase_add_test(w, test_a_failed_write_removes_the_temp_file);
	tcase_add_test(w, test_commit_on_a_finished_writer_is_a_usage_error);
	tcase_add_test(w, test_temp_file_in_a_separate_tmp_folder);
	tcase_add_test(w, test_begin_in_a_missing_folder_names_it);
	tcase_add_test(w, test_begin_refuses_names_that_are_not_base_names);
	tcase_add_test(r, test_read_all_reads_the_whole_file);
	tcase_add_test(r, test_read_all_of_an_empty_file_is_empty);
	tcase_add_test(r, test_read_all_stops_one_byte_past_the_cap);
	tcase_add_test(r, test_read_all_of_a_missing_file_is_enoent);
	tcase_add_test(r, test_read_all_of_a_folder_is_eisdir);
	tcase_add_test(d, test_mkdirs_creates_every_level_and_accepts_existing);
	tcase_add_test(d, test_mkdirs_through_a_file_fails_naming_it);
	tcase_add_test(d, test_rename_moves_between_folders);
	tcase_add_test(d, test_rename_of_a_missing_file_names_both);
	tcase_add_test(d, test_fsync_dir_of_existing_and_missing_folders);
	tcase_add_test(
		d, test_remove_tree_removes_nested_folders_and_missing_is_fine);
	tcase_add_test(d, test_join_refuses_paths_that_do_not_fit);
	tcase_add_test(d, test_errno_maps_to_codes);
	suite_add_tcase(s, w);
	suite_add_tcase(s, r);
	suite_add_tcase(s, d);
	return s;
}
