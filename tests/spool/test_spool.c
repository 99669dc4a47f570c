/*
 * test_spool - the spool in real temporary folders: layout and tmp/
 * tidying, entry ids (also from several processes), meta.json, listings,
 * every row of the moves table and the refusals, admission and the states
 * a crash can leave it in, recovery, reason.json, the run lock held by
 * another process, and edigate.yaml (spool_layout, spool_move, spool_lock,
 * config).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "fileio.h"
#include "journal.h"
#include "outbox.h"
#include "spool_layout.h"
#include "spool_lock.h"
#include "spool_move.h"
#include "suites.h"

#define NOW ((time_t)1795771812) /* 2026-11-27T09:30:12Z */
#define DAY ((time_t)86400)
#define ID1 "20261127T093012Z-000001"
#define ID2 "20261127T093012Z-000002"
#define ID3 "20261127T093012Z-000003"
#define SHA_ABC \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define NO_SHA \
	"0000000000000000000000000000000000000000000000000000000000000000"

struct fx {
	char dir[256];	/* the temp folder */
	char root[300]; /* dir/spool */
	struct spool sp;
	struct edi_error err;
};

static void fx_init(struct fx *f)
{
	const char *base = getenv("TMPDIR");

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/edigate-spool-XXXXXX",
		 base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	snprintf(f->root, sizeof(f->root), "%s/spool", f->dir);
}

static void fx_open(struct fx *f)
{
	fx_init(f);
	ck_assert_int_eq(spool_open(&f->sp, f->root, &f->err), EDI_OK);
}

static void fx_reopen(struct fx *f)
{
	spool_close(&f->sp);
	ck_assert_int_eq(spool_open(&f->sp, f->root, &f->err), EDI_OK);
}

static void fx_done(struct fx *f)
{
	spool_close(&f->sp);
	ck_assert_int_eq(fileio_remove_tree(f->dir, &f->err), EDI_OK);
}

static void at(const struct fx *f, char *dst, size_t size, const char *rel)
{
	ck_assert_int_lt(snprintf(dst, size, "%s/%s", f->root, rel), (int)size);
}

static void put(const struct fx *f, const char *rel, const char *text)
{
	char p[600];
	int fd;

	at(f, p, sizeof(p), rel);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_msg(fd >= 0, "%s: %s", p, strerror(errno));
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static void mk(const struct fx *f, const char *rel)
{
	char p[600];

	at(f, p, sizeof(p), rel);
	ck_assert_int_eq(fileio_mkdirs(p, 0755, NULL), EDI_OK);
}

static bool exists(const struct fx *f, const char *rel)
{
	char p[600];
	struct stat st;

	at(f, p, sizeof(p), rel);
	return lstat(p, &st) == 0;
}

static const char *text_of(const struct fx *f, const char *rel)
{
	static char out[4096];
	char p[600];
	ssize_t n;
	int fd;

	at(f, p, sizeof(p), rel);
	fd = open(p, O_RDONLY);
	if (fd < 0)
		return "<missing>";
	n = read(fd, out, sizeof(out) - 1);
	close(fd);
	out[n < 0 ? 0 : n] = '\0';
	return out;
}

static int count(const struct fx *f, const char *rel)
{
	char p[600];
	struct dirent *e;
	int n = 0;
	DIR *d;

	at(f, p, sizeof(p), rel);
	d = opendir(p);
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

static void set_age(const struct fx *f, const char *rel, time_t mtime)
{
	struct timespec ts[2] = {{mtime, 0}, {mtime, 0}};
	char p[600];

	at(f, p, sizeof(p), rel);
	ck_assert_int_eq(utimensat(AT_FDCWD, p, ts, 0), 0);
}

/* An entry <state_rel>/<id>/ with name holding text and its meta.json. */
static void make_entry(const struct fx *f, const char *state_rel,
		       const char *id, const char *name, const char *text)
{
	struct spool_meta m;
	char rel[400], p[600];

	snprintf(rel, sizeof(rel), "%s/%s", state_rel, id);
	mk(f, rel);
	snprintf(rel, sizeof(rel), "%s/%s/%s", state_rel, id, name);
	put(f, rel, text);
	memset(&m, 0, sizeof(m));
	snprintf(m.id, sizeof(m.id), "%s", id);
	snprintf(m.name, sizeof(m.name), "%s", name);
	snprintf(m.file, sizeof(m.file), "%s", name);
	snprintf(m.source, sizeof(m.source), "test");
	snprintf(m.sha256, sizeof(m.sha256), NO_SHA);
	m.received = NOW;
	m.size = strlen(text);
	snprintf(rel, sizeof(rel), "%s/%s", state_rel, id);
	at(f, p, sizeof(p), rel);
	ck_assert_int_eq(spool_meta_write(p, &m, NULL), EDI_OK);
}

struct got {
	char ids[64][SPOOL_ID_MAX];
	size_t n;
	size_t stop_after; /* 0: never */
};

static enum edi_code collect(void *ctx, const char *id, struct edi_error *err)
{
	struct got *g = ctx;

	(void)err;
	ck_assert_uint_lt(g->n, 64);
	snprintf(g->ids[g->n++], SPOOL_ID_MAX, "%s", id);
	return g->stop_after && g->n == g->stop_after ? EDI_ELIMIT : EDI_OK;
}

/*
 * A child process that holds the spool lock until *release is closed
 * (or the child is killed).
 */
static pid_t hold_lock_in_child(const char *root, int *release)
{
	int ready[2], go[2];
	char c = 'n';
	pid_t pid;

	ck_assert_int_eq(pipe(ready), 0);
	ck_assert_int_eq(pipe(go), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char rootbuf[300];
		struct spool sp = {.root = rootbuf};
		struct spool_lock lock;

		snprintf(rootbuf, sizeof(rootbuf), "%s", root);
		close(ready[0]);
		close(go[1]);
		if (spool_lock(&sp, &lock, NULL) == EDI_OK)
			c = 'y';
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		if (read(go[0], &c, 1) < 0) /* EOF: released */
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	ck_assert_int_eq(read(ready[0], &c, 1), 1);
	close(ready[0]);
	ck_assert_int_eq(c, 'y');
	*release = go[1];
	return pid;
}

static void release_child(pid_t pid, int release)
{
	int status;

	close(release);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* --- layout --- */

START_TEST(test_open_creates_every_folder)
{
	static const char *const dirs[] = {
		"tmp",	   "in",  "work",     "error", "hold", "deferred",
		"archive", "out", "outbound", "sent",  "state"};
	struct fx f;
	char p[600];
	struct stat st;

	fx_open(&f);
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		at(&f, p, sizeof(p), dirs[i]);
		ck_assert_msg(stat(p, &st) == 0 && S_ISDIR(st.st_mode), "%s",
			      dirs[i]);
	}
	ck_assert(f.sp.tmp_tidied);
	fx_done(&f);
}
END_TEST

START_TEST(test_open_again_keeps_entries_and_trims_the_root)
{
	struct fx f;
	char root[400];

	fx_open(&f);
	make_entry(&f, "in", ID1, "po.x12", "abc");
	spool_close(&f.sp);
	snprintf(root, sizeof(root), "%s//", f.root);
	ck_assert_int_eq(spool_open(&f.sp, root, &f.err), EDI_OK);
	ck_assert_str_eq(f.sp.root, f.root);
	ck_assert(exists(&f, "in/" ID1 "/po.x12"));
	fx_done(&f);
}
END_TEST

START_TEST(test_open_of_an_empty_root_is_a_usage_error)
{
	struct spool sp;
	struct edi_error err;

	ck_assert_int_eq(spool_open(&sp, "", &err), EDI_EUSAGE);
	ck_assert_ptr_null(sp.root);
}
END_TEST

START_TEST(test_state_names_round_trip)
{
	enum spool_state s;

	for (unsigned i = 0; i < SPOOL_NSTATES; i++) {
		ck_assert(spool_state_parse(
			spool_state_name((enum spool_state)i), &s));
		ck_assert_uint_eq(s, i);
	}
	ck_assert_str_eq(spool_state_name(SPOOL_DEFERRED), "deferred");
	ck_assert(!spool_state_parse("sent", &s));
}
END_TEST

/* --- ids --- */

START_TEST(test_id_validity)
{
	static const struct {
		const char *id;
		bool ok;
	} cases[] = {
		{ID1 "-acme", true}, {"a", true},	 {"A.b_c-9", true},
		{"", false},	     {".hidden", false}, {"..", false},
		{"a/b", false},	     {"a b", false},	 {"caf\xc3\xa9", false},
		{"x\n", false},
	};
	char longest[SPOOL_ID_MAX + 1];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ck_assert_msg(spool_id_valid(cases[i].id) == cases[i].ok, "%s",
			      cases[i].id);
	memset(longest, 'x', sizeof(longest));
	longest[SPOOL_ID_MAX - 1] = '\0';
	ck_assert(spool_id_valid(longest));
	longest[SPOOL_ID_MAX - 1] = 'x';
	longest[SPOOL_ID_MAX] = '\0';
	ck_assert(!spool_id_valid(longest));
}
END_TEST

START_TEST(test_id_has_utc_time_counter_and_partner)
{
	struct fx f;
	char id[SPOOL_ID_MAX];

	fx_open(&f);
	ck_assert_int_eq(spool_id_new(&f.sp, "acme", NOW, id, &f.err), EDI_OK);
	ck_assert_str_eq(id, ID1 "-acme");
	ck_assert_int_eq(spool_id_new(&f.sp, NULL, NOW, id, &f.err), EDI_OK);
	ck_assert_str_eq(id, ID2);
	ck_assert(spool_id_valid(id));
	fx_done(&f);
}
END_TEST

START_TEST(test_id_counter_restarts_each_second)
{
	struct fx f;
	char id[SPOOL_ID_MAX];

	fx_open(&f);
	ck_assert_int_eq(spool_id_new(&f.sp, NULL, NOW, id, &f.err), EDI_OK);
	ck_assert_int_eq(spool_id_new(&f.sp, NULL, NOW + 1, id, &f.err),
			 EDI_OK);
	ck_assert_str_eq(id, "20261127T093013Z-000001");
	fx_done(&f);
}
END_TEST

START_TEST(test_id_order_survives_the_clock_stepping_back)
{
	struct fx f;
	char a[SPOOL_ID_MAX], b[SPOOL_ID_MAX];

	fx_open(&f);
	ck_assert_int_eq(spool_id_new(&f.sp, NULL, NOW, a, &f.err), EDI_OK);
	ck_assert_int_eq(spool_id_new(&f.sp, NULL, NOW - 3600, b, &f.err),
			 EDI_OK);
	ck_assert_str_eq(b, ID2);
	ck_assert_int_lt(strcmp(a, b), 0);
	fx_done(&f);
}
END_TEST

START_TEST(test_id_counter_overflow_moves_to_the_next_second)
{
	struct fx f;
	char id[SPOOL_ID_MAX], text[64];

	fx_open(&f);
	snprintf(text, sizeof(text), "%lld 999999\n", (long long)NOW);
	put(&f, "state/ids", text);
	ck_assert_int_eq(spool_id_new(&f.sp, NULL, NOW, id, &f.err), EDI_OK);
	ck_assert_str_eq(id, "20261127T093013Z-000001");
	fx_done(&f);
}
END_TEST

START_TEST(test_id_partner_part_is_made_safe_and_short)
{
	struct fx f;
	char id[SPOOL_ID_MAX];

	fx_open(&f);
	ck_assert_int_eq(spool_id_new(&f.sp, "ac me/x", NOW, id, &f.err),
			 EDI_OK);
	ck_assert_str_eq(id, ID1 "-ac_me_x");
	ck_assert_int_eq(
		spool_id_new(&f.sp,
			     "a-partner-name-that-is-much-longer-than-forty",
			     NOW, id, &f.err),
		EDI_OK);
	ck_assert_str_eq(id, ID2 "-a-partner-name-that-is-much-longer-than");
	fx_done(&f);
}
END_TEST

START_TEST(test_id_with_damaged_counter_state_is_a_data_error)
{
	struct fx f;
	char id[SPOOL_ID_MAX];

	fx_open(&f);
	put(&f, "state/ids", "garbage");
	ck_assert_int_eq(spool_id_new(&f.sp, NULL, NOW, id, &f.err), EDI_EDATA);
	ck_assert_ptr_nonnull(strstr(f.err.msg, "state/ids' is damaged"));
	ck_assert_str_eq(id, "");
	fx_done(&f);
}
END_TEST

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

START_TEST(test_ids_are_unique_and_ordered_across_processes)
{
	enum { NPROC = 4, PER = 40 };
	char line[NPROC * PER][SPOOL_ID_MAX + 4];
	char *sorted[NPROC * PER], last[NPROC][SPOOL_ID_MAX + 4];
	char buf[NPROC * PER * (SPOOL_ID_MAX + 4)];
	size_t len = 0, n = 0;
	struct fx f;
	int fds[2];
	ssize_t got;

	fx_open(&f);
	ck_assert_int_eq(pipe(fds), 0);
	for (int p = 0; p < NPROC; p++) {
		pid_t pid = fork();

		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			char id[SPOOL_ID_MAX], out[SPOOL_ID_MAX + 4];

			close(fds[0]);
			for (int i = 0; i < PER; i++) {
				int k;

				if (spool_id_new(&f.sp, NULL, NOW, id, NULL))
					_exit(1);
				k = snprintf(out, sizeof(out), "%d %s\n", p,
					     id);
				if (write(fds[1], out, (size_t)k) != k)
					_exit(1);
			}
			_exit(0);
		}
	}
	close(fds[1]);
	while ((got = read(fds[0], buf + len, sizeof(buf) - len)) > 0)
		len += (size_t)got;
	close(fds[0]);
	for (int p = 0; p < NPROC; p++) {
		int status;

		ck_assert_int_gt(wait(&status), 0);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	memset(last, 0, sizeof(last));
	for (char *s = buf, *nl; s < buf + len; s = nl + 1) {
		int p = s[0] - '0';

		nl = memchr(s, '\n', (size_t)(buf + len - s));
		ck_assert_ptr_nonnull(nl);
		*nl = '\0';
		ck_assert_int_lt(
			snprintf(line[n], sizeof(line[n]), "%s", s + 2),
			(int)sizeof(line[n]));
		/* each process sees its ids in increasing order */
		ck_assert_int_gt(strcmp(line[n], last[p]), 0);
		ck_assert_int_lt(
			snprintf(last[p], sizeof(last[p]), "%s", line[n]),
			(int)sizeof(last[p]));
		sorted[n] = line[n];
		n++;
	}
	ck_assert_uint_eq(n, NPROC * PER);
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	for (size_t i = 1; i < n; i++)
		ck_assert_str_ne(sorted[i - 1], sorted[i]);
	ck_assert_str_eq(sorted[n - 1], "20261127T093012Z-000160");
	fx_done(&f);
}
END_TEST

/* --- stored names and meta.json --- */

START_TEST(test_stored_names_are_safe)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"PO 1001.x12", "PO 1001.x12"},
		{".hidden", "_hidden"},
		{"meta.json", "_meta.json"},
		{"reason.json", "_reason.json"},
		{"a\nb", "a_b"},
		{"caf\xc3\xa9", "caf__"},
		{"", "_"},
	};
	char out[SPOOL_NAME_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		spool_stored_name(cases[i].in, out);
		ck_assert_str_eq(out, cases[i].out);
	}
}
END_TEST

START_TEST(test_meta_round_trips)
{
	struct spool_meta m, back;
	struct fx f;
	char p[600];

	fx_open(&f);
	mk(&f, "in/" ID1);
	memset(&m, 0, sizeof(m));
	snprintf(m.id, sizeof(m.id), ID1);
	snprintf(m.name, sizeof(m.name), "PO \"1\".x12");
	snprintf(m.file, sizeof(m.file), "PO \"1\".x12");
	snprintf(m.source, sizeof(m.source), "sftp:acme");
	snprintf(m.partner, sizeof(m.partner), "acme");
	snprintf(m.sha256, sizeof(m.sha256), SHA_ABC);
	m.received = NOW;
	m.size = 3;
	at(&f, p, sizeof(p), "in/" ID1);
	ck_assert_int_eq(spool_meta_write(p, &m, &f.err), EDI_OK);
	ck_assert_int_eq(spool_meta_read(&f.sp, SPOOL_IN, ID1, &back, &f.err),
			 EDI_OK);
	ck_assert_mem_eq(&m, &back, sizeof(m));
	ck_assert_ptr_nonnull(strstr(text_of(&f, "in/" ID1 "/meta.json"),
				     "\"received\":\"2026-11-27T09:30:12Z\""));
	fx_done(&f);
}
END_TEST

START_TEST(test_meta_read_of_a_missing_entry_names_it)
{
	struct spool_meta m;
	struct fx f;

	fx_open(&f);
	ck_assert_int_eq(spool_meta_read(&f.sp, SPOOL_IN, ID1, &m, &f.err),
			 EDI_ENOENT);
	ck_assert_str_eq(f.err.msg, "no entry '" ID1 "' in in");
	fx_done(&f);
}
END_TEST

START_TEST(test_meta_read_refuses_damaged_meta)
{
	static const char *const bad[] = {
		"{\"id\":",
		"[]",
		"{\"id\":\"other\",\"name\":\"a\",\"file\":\"a\",\"received\":"
		"\"2026-11-27T09:30:12Z\",\"size\":1,\"sha256\":\"" NO_SHA
		"\"}",
		"{\"id\":\"" ID1 "\",\"name\":\"a\",\"file\":\"../../x\","
		"\"received\":\"2026-11-27T09:30:12Z\",\"size\":1,"
		"\"sha256\":\"" NO_SHA "\"}",
		"{\"id\":\"" ID1 "\",\"name\":\"a\",\"file\":\"a\","
		"\"received\":\"2026-02-30T09:30:12Z\",\"size\":1,"
		"\"sha256\":\"" NO_SHA "\"}",
		"{\"id\":\"" ID1 "\",\"name\":\"a\",\"file\":\"a\","
		"\"received\":\"2026-11-27T09:30:12Z\",\"size\":-1,"
		"\"sha256\":\"" NO_SHA "\"}",
		"{\"id\":\"" ID1 "\",\"name\":\"a\",\"file\":\"a\","
		"\"received\":\"2026-11-27T09:30:12Z\",\"size\":1,"
		"\"sha256\":\"xyz\"}",
	};
	struct spool_meta m;
	struct fx f;

	fx_open(&f);
	mk(&f, "in/" ID1);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(&f, "in/" ID1 "/meta.json", bad[i]);
		ck_assert_int_eq(
			spool_meta_read(&f.sp, SPOOL_IN, ID1, &m, &f.err),
			EDI_EDATA);
		ck_assert_msg(strstr(f.err.msg,
				     "damaged meta.json in entry '" ID1 "'"),
			      "%s", f.err.msg);
	}
	fx_done(&f);
}
END_TEST

/* --- listings --- */

START_TEST(test_list_gives_entries_in_id_order)
{
	struct got g = {0};
	struct fx f;

	fx_open(&f);
	make_entry(&f, "in", ID2, "b", "2");
	make_entry(&f, "in", ID1, "a", "1");
	put(&f, "in/dropped.x12", "a plain file, not an entry");
	mk(&f, "in/.not-an-id");
	ck_assert_int_eq(spool_list(&f.sp, SPOOL_IN, collect, &g, &f.err),
			 EDI_OK);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_str_eq(g.ids[0], ID1);
	ck_assert_str_eq(g.ids[1], ID2);
	fx_done(&f);
}
END_TEST

START_TEST(test_list_stops_when_the_callback_says_so)
{
	struct got g = {.stop_after = 1};
	struct fx f;

	fx_open(&f);
	make_entry(&f, "error", ID1, "a", "1");
	make_entry(&f, "error", ID2, "b", "2");
	ck_assert_int_eq(spool_list(&f.sp, SPOOL_ERROR, collect, &g, &f.err),
			 EDI_ELIMIT);
	ck_assert_uint_eq(g.n, 1);
	fx_done(&f);
}
END_TEST

START_TEST(test_list_of_archive_spans_its_days)
{
	struct got g = {0};
	struct fx f;

	fx_open(&f);
	make_entry(&f, "archive/2026-11-28", ID2, "b", "2");
	make_entry(&f, "archive/2026-11-27", ID1, "a", "1");
	mk(&f, "archive/not-a-day/" ID1 "-x");
	ck_assert_int_eq(spool_list(&f.sp, SPOOL_ARCHIVE, collect, &g, &f.err),
			 EDI_OK);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_str_eq(g.ids[0], ID1);
	ck_assert_str_eq(g.ids[1], ID2);
	fx_done(&f);
}
END_TEST

/* status and trace look entries up in an empty archive: no day folders
 * (this sorted a NULL list, which UBSan stops on) */
START_TEST(test_entry_in_an_empty_archive_is_not_found)
{
	char path[FILEIO_PATH_MAX];
	struct fx f;

	fx_open(&f);
	ck_assert_int_eq(spool_entry_path(&f.sp, SPOOL_ARCHIVE, ID1, path,
					  sizeof(path), &f.err),
			 EDI_ENOENT);
	fx_done(&f);
}
END_TEST

START_TEST(test_drops_are_plain_files_oldest_first)
{
	struct got g = {0};
	struct fx f;

	fx_open(&f);
	put(&f, "in/b.x12", "b");
	put(&f, "in/a.x12", "a");
	put(&f, "in/.partial", "still being written");
	make_entry(&f, "in", ID1, "c", "c");
	set_age(&f, "in/b.x12", NOW - 20);
	set_age(&f, "in/a.x12", NOW - 10);
	ck_assert_int_eq(spool_list_drops(&f.sp, collect, &g, &f.err), EDI_OK);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_str_eq(g.ids[0], "b.x12");
	ck_assert_str_eq(g.ids[1], "a.x12");
	fx_done(&f);
}
END_TEST

/* --- tmp/ at open --- */

START_TEST(test_tidy_removes_stale_temp_files_and_keeps_young_ones)
{
	struct fx f;

	fx_open(&f);
	put(&f, "tmp/.old.x12.abc123", "stale");
	put(&f, "tmp/.young.x12.def456", "a receiver is writing this");
	set_age(&f, "tmp/.old.x12.abc123", NOW - SPOOL_TMP_GRACE_S);
	set_age(&f, "tmp/.young.x12.def456", NOW - 10);
	ck_assert_int_eq(spool_tidy_tmp(&f.sp, NOW, &f.err), EDI_OK);
	ck_assert(!exists(&f, "tmp/.old.x12.abc123"));
	ck_assert(exists(&f, "tmp/.young.x12.def456"));
	ck_assert_uint_eq(f.sp.tmp_removed, 1);
	fx_done(&f);
}
END_TEST

START_TEST(test_tidy_leaves_folders_not_named_like_ids)
{
	struct fx f;

	fx_open(&f);
	mk(&f, "tmp/.someone-else");
	ck_assert_int_eq(spool_tidy_tmp(&f.sp, NOW, &f.err), EDI_OK);
	ck_assert(exists(&f, "tmp/.someone-else"));
	fx_done(&f);
}
END_TEST

START_TEST(test_tidy_is_skipped_while_another_process_holds_the_lock)
{
	struct fx f;
	int release;
	pid_t pid;

	fx_open(&f);
	put(&f, "tmp/.stale", "x");
	set_age(&f, "tmp/.stale", time(NULL) - 2 * SPOOL_TMP_GRACE_S);
	pid = hold_lock_in_child(f.root, &release);
	fx_reopen(&f);
	ck_assert(!f.sp.tmp_tidied);
	ck_assert(exists(&f, "tmp/.stale"));
	release_child(pid, release);
	fx_reopen(&f);
	ck_assert(f.sp.tmp_tidied);
	ck_assert(!exists(&f, "tmp/.stale"));
	fx_done(&f);
}
END_TEST

/* --- moves --- */

START_TEST(test_every_row_of_the_table_moves_an_entry)
{
	struct fx f;
	char rel[200], p[600];

	fx_open(&f);
	for (size_t i = 0; i < spool_nmoves; i++) {
		const struct spool_move_rule *r = &spool_moves[i];

		ck_assert(spool_move_legal(r->from, r->to));
		make_entry(&f, spool_state_name(r->from), ID1, "po.x12", "abc");
		ck_assert_msg(spool_move(&f.sp, ID1, r->from, r->to, NOW,
					 &f.err) == EDI_OK,
			      "%s -> %s: %s", spool_state_name(r->from),
			      spool_state_name(r->to), f.err.msg);
		snprintf(rel, sizeof(rel), "%s/%s/po.x12",
			 r->to == SPOOL_ARCHIVE ? "archive/2026-11-27"
						: spool_state_name(r->to),
			 ID1);
		ck_assert_str_eq(text_of(&f, rel), "abc");
		snprintf(rel, sizeof(rel), "%s/%s", spool_state_name(r->from),
			 ID1);
		ck_assert(!exists(&f, rel));
		snprintf(rel, sizeof(rel), "%s/%s",
			 r->to == SPOOL_ARCHIVE ? "archive/2026-11-27"
						: spool_state_name(r->to),
			 ID1);
		at(&f, p, sizeof(p), rel);
		ck_assert_int_eq(fileio_remove_tree(p, NULL), EDI_OK);
	}
	fx_done(&f);
}
END_TEST

START_TEST(test_moves_not_in_the_table_are_refused)
{
	static const enum spool_state bad[][2] = {
		{SPOOL_IN, SPOOL_ARCHIVE},  {SPOOL_IN, SPOOL_ERROR},
		{SPOOL_ARCHIVE, SPOOL_IN},  {SPOOL_ERROR, SPOOL_ARCHIVE},
		{SPOOL_WORK, SPOOL_HOLD},   {SPOOL_HOLD, SPOOL_WORK},
		{SPOOL_WORK, SPOOL_WORK},   {SPOOL_IN, SPOOL_TMP},
		{SPOOL_DEFERRED, SPOOL_IN},
	};
	struct fx f;

	fx_open(&f);
	make_entry(&f, "in", ID1, "po.x12", "abc");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert(!spool_move_legal(bad[i][0], bad[i][1]));
		ck_assert_int_eq(spool_move(&f.sp, ID1, bad[i][0], bad[i][1],
					    NOW, &f.err),
				 EDI_EUSAGE);
	}
	ck_assert_str_eq(f.err.msg, "cannot move '" ID1
				    "' from deferred to in: not a legal move");
	ck_assert(exists(&f, "in/" ID1 "/po.x12"));
	fx_done(&f);
}
END_TEST

START_TEST(test_move_of_a_missing_entry_names_the_id)
{
	struct fx f;

	fx_open(&f);
	ck_assert_int_eq(
		spool_move(&f.sp, ID1, SPOOL_ERROR, SPOOL_IN, NOW, &f.err),
		EDI_ENOENT);
	ck_assert_str_eq(f.err.msg, "no entry '" ID1 "' in error");
	fx_done(&f);
}
END_TEST

START_TEST(test_move_refuses_an_invalid_id)
{
	struct fx f;

	fx_open(&f);
	ck_assert_int_eq(spool_move(&f.sp, "../state", SPOOL_ERROR, SPOOL_IN,
				    NOW, &f.err),
			 EDI_EUSAGE);
	ck_assert_str_eq(f.err.msg, "invalid entry id '../state'");
	fx_done(&f);
}
END_TEST

START_TEST(test_move_never_replaces_an_entry_with_the_same_id)
{
	struct fx f;

	fx_open(&f);
	make_entry(&f, "error", ID1, "new.x12", "new");
	mk(&f, "in/" ID1); /* empty: rename(2) alone would replace it */
	ck_assert_int_eq(
		spool_move(&f.sp, ID1, SPOOL_ERROR, SPOOL_IN, NOW, &f.err),
		EDI_EUSAGE);
	ck_assert_str_eq(f.err.msg, "cannot move '" ID1
				    "' to in: an entry with that id is already "
				    "there");
	ck_assert(exists(&f, "error/" ID1 "/new.x12"));
	fx_done(&f);
}
END_TEST

START_TEST(test_move_refuses_a_plain_file_in_a_state)
{
	struct fx f;

	fx_open(&f);
	put(&f, "in/" ID1, "a plain file named like an id");
	ck_assert_int_eq(spool_claim(&f.sp, ID1, &f.err), EDI_EDATA);
	ck_assert(exists(&f, "in/" ID1));
	fx_done(&f);
}
END_TEST

START_TEST(test_archive_goes_to_the_day_of_processing)
{
	struct fx f;
	char p[600];

	fx_open(&f);
	make_entry(&f, "work", ID1, "po.x12", "abc");
	ck_assert_int_eq(spool_move(&f.sp, ID1, SPOOL_WORK, SPOOL_ARCHIVE,
				    NOW + DAY, &f.err),
			 EDI_OK);
	ck_assert(exists(&f, "archive/2026-11-28/" ID1 "/po.x12"));
	ck_assert_int_eq(spool_entry_path(&f.sp, SPOOL_ARCHIVE, ID1, p,
					  sizeof(p), &f.err),
			 EDI_OK);
	ck_assert_ptr_nonnull(strstr(p, "/archive/2026-11-28/" ID1));
	ck_assert_int_eq(spool_entry_path(&f.sp, SPOOL_ARCHIVE, ID2, p,
					  sizeof(p), &f.err),
			 EDI_ENOENT);
	fx_done(&f);
}
END_TEST

START_TEST(test_claim_moves_in_to_work)
{
	struct fx f;

	fx_open(&f);
	make_entry(&f, "in", ID1, "po.x12", "abc");
	ck_assert_int_eq(spool_claim(&f.sp, ID1, &f.err), EDI_OK);
	ck_assert(exists(&f, "work/" ID1 "/po.x12"));
	ck_assert(exists(&f, "work/" ID1 "/meta.json"));
	ck_assert_int_eq(spool_claim(&f.sp, ID1, &f.err), EDI_ENOENT);
	fx_done(&f);
}
END_TEST

START_TEST(test_recover_moves_work_back_to_in_keeping_ids)
{
	struct fx f;
	size_t n = 99;

	fx_open(&f);
	make_entry(&f, "work", ID1, "a", "1");
	make_entry(&f, "work", ID2, "b", "2");
	ck_assert_int_eq(spool_recover(&f.sp, &n, &f.err), EDI_OK);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(count(&f, "work"), 0);
	ck_assert_str_eq(text_of(&f, "in/" ID1 "/a"), "1");
	ck_assert_str_eq(text_of(&f, "in/" ID2 "/b"), "2");
	fx_done(&f);
}
END_TEST

START_TEST(test_recover_goes_on_past_a_failure_and_reports_it)
{
	struct fx f;
	size_t n = 0;

	fx_open(&f);
	make_entry(&f, "work", ID1, "a", "1");
	make_entry(&f, "work", ID2, "b", "2");
	make_entry(&f, "work", ID3, "c", "3");
	make_entry(&f, "in", ID1, "x", "already there");
	make_entry(&f, "in", ID3, "y", "already there");
	ck_assert_int_eq(spool_recover(&f.sp, &n, &f.err), EDI_EUSAGE);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(f.err.msg, "cannot move '" ID1
				    "' to in: an entry with that id is already "
				    "there");
	ck_assert(exists(&f, "in/" ID2 "/b"));
	ck_assert(exists(&f, "work/" ID1 "/a"));
	ck_assert(exists(&f, "work/" ID3 "/c"));
	fx_done(&f);
}
END_TEST

/* a run killed before its group's sync can leave meta.json cut short
 * (written without fsync): recovery rebuilds it from the file */
START_TEST(test_recover_rebuilds_a_cut_short_meta)
{
	struct spool_meta m;
	struct fx f;
	size_t n = 0;

	fx_open(&f);
	make_entry(&f, "work", ID1, "orders.x12", "abc");
	put(&f, "work/" ID1 "/meta.json", "");
	ck_assert_int_eq(spool_recover(&f.sp, &n, &f.err), EDI_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(spool_meta_read(&f.sp, SPOOL_IN, ID1, &m, &f.err),
			 EDI_OK);
	ck_assert_str_eq(m.file, "orders.x12");
	ck_assert_str_eq(m.source, "recovered");
	ck_assert_str_eq(m.sha256, SHA_ABC);
	ck_assert_uint_eq(m.size, 3);
	fx_done(&f);
}
END_TEST

/* --- outbox: acknowledgments staged with the journal --- */

/* two partners' files of the same name in one group: each reaches its own
 * outbound/<partner>/ (staged names once collided in state/batches/) */
START_TEST(test_outbox_keeps_partners_files_apart)
{
	char db[400];
	struct journal *j = NULL;
	struct outbox o;
	struct fx f;

	fx_open(&f);
	snprintf(db, sizeof(db), "%s/state/journal.db", f.root);
	ck_assert_int_eq(journal_open(&j, db, &f.err), EDI_OK);
	outbox_init(&o, &f.sp, j);
	ck_assert_int_eq(journal_begin(j, &f.err), EDI_OK);
	ck_assert_int_eq(outbox_stage(&o, "acme", "x-997-000000001.x12", NULL,
				      "ACME", 4, NOW, &f.err),
			 EDI_OK);
	ck_assert_int_eq(outbox_stage(&o, "mart", "x-997-000000001.x12", NULL,
				      "MART", 4, NOW, &f.err),
			 EDI_OK);
	ck_assert_int_eq(journal_commit(j, &f.err), EDI_OK);
	ck_assert_int_eq(outbox_publish(&o, NOW, &f.err), EDI_OK);
	ck_assert_str_eq(text_of(&f, "outbound/acme/x-997-000000001.x12"),
			 "ACME");
	ck_assert_str_eq(text_of(&f, "outbound/mart/x-997-000000001.x12"),
			 "MART");
	ck_assert_int_eq(count(&f, "state/batches"), 0);
	outbox_release(&o);
	journal_close(j);
	fx_done(&f);
}
END_TEST

/* a staged file whose transaction committed is published by recovery;
 * one that never committed is not journaled as written */
START_TEST(test_outbox_recovery_publishes_committed_files)
{
	char db[400];
	struct journal *j = NULL;
	struct outbox o;
	bool renamed = false;
	struct fx f;

	fx_open(&f);
	snprintf(db, sizeof(db), "%s/state/journal.db", f.root);
	ck_assert_int_eq(journal_open(&j, db, &f.err), EDI_OK);
	outbox_init(&o, &f.sp, j);
	ck_assert_int_eq(journal_begin(j, &f.err), EDI_OK);
	ck_assert_int_eq(
		outbox_stage(&o, "acme", "a.x12", NULL, "A", 1, NOW, &f.err),
		EDI_OK);
	ck_assert_int_eq(journal_commit(j, &f.err), EDI_OK);
	/* the run died here: nothing published */
	ck_assert(!exists(&f, "outbound/acme/a.x12"));
	ck_assert_int_eq(outbox_recover_one(&f.sp, "outbound.acme.a.x12",
					    "outbound:acme", &renamed, &f.err),
			 EDI_OK);
	ck_assert(renamed);
	ck_assert_str_eq(text_of(&f, "outbound/acme/a.x12"), "A");
	o.n = 0; /* published by recovery, not ours to remove */
	outbox_release(&o);
	journal_close(j);
	fx_done(&f);
}
END_TEST

/* --- reason.json --- */

START_TEST(test_reason_written_in_work_travels_to_error)
{
	static const char reason[] = "{\"stage\":\"envelope\",\"errors\":[]}";
	struct fx f;

	fx_open(&f);
	make_entry(&f, "work", ID1, "po.x12", "abc");
	ck_assert_int_eq(spool_write_reason(&f.sp, ID1, reason,
					    sizeof(reason) - 1, &f.err),
			 EDI_OK);
	ck_assert_int_eq(
		spool_move(&f.sp, ID1, SPOOL_WORK, SPOOL_ERROR, NOW, &f.err),
		EDI_OK);
	ck_assert_str_eq(text_of(&f, "error/" ID1 "/reason.json"), reason);
	fx_done(&f);
}
END_TEST

START_TEST(test_reason_of_an_error_entry_is_replaced)
{
	struct fx f;

	fx_open(&f);
	make_entry(&f, "error", ID1, "po.x12", "abc");
	put(&f, "error/" ID1 "/reason.json", "{\"attempts\":1}");
	ck_assert_int_eq(
		spool_write_reason(&f.sp, ID1, "{\"attempts\":2}", 14, &f.err),
		EDI_OK);
	ck_assert_str_eq(text_of(&f, "error/" ID1 "/reason.json"),
			 "{\"attempts\":2}");
	ck_assert_int_eq(count(&f, "error/" ID1), 3);
	fx_done(&f);
}
END_TEST

START_TEST(test_reason_needs_an_entry_and_a_json_object)
{
	struct fx f;

	fx_open(&f);
	ck_assert_int_eq(spool_write_reason(&f.sp, ID1, "{}", 2, &f.err),
			 EDI_ENOENT);
	ck_assert_str_eq(f.err.msg, "no entry '" ID1 "' in work or error");
	make_entry(&f, "work", ID1, "po.x12", "abc");
	ck_assert_int_eq(spool_write_reason(&f.sp, ID1, "[1]", 3, &f.err),
			 EDI_EUSAGE);
	ck_assert_int_eq(spool_write_reason(&f.sp, ID1, "{\"a\":", 5, &f.err),
			 EDI_EUSAGE);
	ck_assert(!exists(&f, "work/" ID1 "/reason.json"));
	fx_done(&f);
}
END_TEST

/* --- admission --- */

START_TEST(test_admit_makes_a_claimed_entry_from_a_dropped_file)
{
	struct spool_meta m;
	char id[SPOOL_ID_MAX];
	struct fx f;

	fx_open(&f);
	put(&f, "in/PO 1001.x12", "abc");
	ck_assert_int_eq(
		spool_admit(&f.sp, "PO 1001.x12", NULL, NOW, id, &f.err),
		EDI_OK);
	ck_assert_str_eq(id, ID1);
	ck_assert(!exists(&f, "in/PO 1001.x12"));
	ck_assert_str_eq(text_of(&f, "work/" ID1 "/PO 1001.x12"), "abc");
	ck_assert_int_eq(count(&f, "tmp"), 0);
	ck_assert_int_eq(spool_meta_read(&f.sp, SPOOL_WORK, id, &m, &f.err),
			 EDI_OK);
	ck_assert_str_eq(m.name, "PO 1001.x12");
	ck_assert_str_eq(m.file, "PO 1001.x12");
	ck_assert_str_eq(m.source, "in");
	ck_assert_str_eq(m.partner, "");
	ck_assert_str_eq(m.sha256, SHA_ABC);
	ck_assert_uint_eq(m.size, 3);
	ck_assert_int_eq(m.received, NOW);
	fx_done(&f);
}
END_TEST

START_TEST(test_admit_with_a_partner_hint)
{
	struct spool_meta m;
	char id[SPOOL_ID_MAX];
	struct fx f;

	fx_open(&f);
	put(&f, "in/po.x12", "abc");
	ck_assert_int_eq(spool_admit(&f.sp, "po.x12", "acme", NOW, id, &f.err),
			 EDI_OK);
	ck_assert_str_eq(id, ID1 "-acme");
	ck_assert_int_eq(spool_meta_read(&f.sp, SPOOL_WORK, id, &m, &f.err),
			 EDI_OK);
	ck_assert_str_eq(m.partner, "acme");
	fx_done(&f);
}
END_TEST

START_TEST(test_admit_stores_a_reserved_name_safely)
{
	struct spool_meta m;
	char id[SPOOL_ID_MAX];
	struct fx f;

	fx_open(&f);
	put(&f, "in/meta.json", "{\"not\":\"ours\"}");
	ck_assert_int_eq(spool_admit(&f.sp, "meta.json", NULL, NOW, id, &f.err),
			 EDI_OK);
	ck_assert_str_eq(text_of(&f, "work/" ID1 "/_meta.json"),
			 "{\"not\":\"ours\"}");
	ck_assert_int_eq(spool_meta_read(&f.sp, SPOOL_WORK, id, &m, &f.err),
			 EDI_OK);
	ck_assert_str_eq(m.name, "meta.json");
	ck_assert_str_eq(m.file, "_meta.json");
	fx_done(&f);
}
END_TEST

START_TEST(test_admit_of_a_missing_file_leaves_nothing)
{
	char id[SPOOL_ID_MAX];
	struct fx f;

	fx_open(&f);
	ck_assert_int_eq(spool_admit(&f.sp, "gone.x12", NULL, NOW, id, &f.err),
			 EDI_ENOENT);
	ck_assert_str_eq(
		f.err.msg,
		"cannot admit 'in/gone.x12': No such file or directory");
	ck_assert_str_eq(id, "");
	ck_assert_int_eq(count(&f, "tmp"), 0);
	ck_assert_int_eq(count(&f, "work"), 0);
	fx_done(&f);
}
END_TEST

START_TEST(test_admit_refuses_names_that_are_not_drops)
{
	static const char *const bad[] = {"", ".partial", "..", "a/b"};
	char id[SPOOL_ID_MAX];
	struct fx f;

	fx_open(&f);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(
			spool_admit(&f.sp, bad[i], NULL, NOW, id, &f.err),
			EDI_EUSAGE);
	make_entry(&f, "in", ID1, "po.x12", "abc");
	ck_assert_int_eq(spool_admit(&f.sp, ID1, NULL, NOW, id, &f.err),
			 EDI_EISDIR);
	ck_assert(exists(&f, "in/" ID1 "/po.x12"));
	fx_done(&f);
}
END_TEST

START_TEST(test_admitted_ids_sort_in_arrival_order)
{
	char a[SPOOL_ID_MAX], b[SPOOL_ID_MAX];
	struct got g = {0};
	struct fx f;

	fx_open(&f);
	put(&f, "in/zzz.x12", "first");
	put(&f, "in/aaa.x12", "second");
	ck_assert_int_eq(spool_admit(&f.sp, "zzz.x12", NULL, NOW, a, &f.err),
			 EDI_OK);
	ck_assert_int_eq(spool_admit(&f.sp, "aaa.x12", NULL, NOW, b, &f.err),
			 EDI_OK);
	ck_assert_int_eq(spool_list(&f.sp, SPOOL_WORK, collect, &g, &f.err),
			 EDI_OK);
	ck_assert_uint_eq(g.n, 2);
	ck_assert_str_eq(g.ids[0], a);
	ck_assert_str_eq(g.ids[1], b);
	fx_done(&f);
}
END_TEST

/* The states a crash can leave admission in, and what open makes of them. */

START_TEST(test_crash_before_the_rename_leaves_the_file_in_in)
{
	struct fx f;
	char p[600];

	fx_open(&f);
	put(&f, "in/po.x12", "abc");
	make_entry(&f, "tmp", ID1, "po.x12", "abc");
	at(&f, p, sizeof(p), "tmp/" ID1 "/po.x12");
	ck_assert_int_eq(unlink(p), 0); /* only meta.json was staged */
	put(&f, "tmp/" ID1 "/.meta.json.a1b2c3", "half");
	fx_reopen(&f);
	ck_assert_str_eq(text_of(&f, "in/po.x12"), "abc");
	ck_assert(!exists(&f, "tmp/" ID1));
	ck_assert_uint_eq(f.sp.tmp_removed, 1);
	ck_assert_uint_eq(f.sp.tmp_restored, 0);
	fx_done(&f);
}
END_TEST

START_TEST(test_crash_after_the_rename_puts_the_entry_in_in)
{
	struct spool_meta m;
	struct fx f;

	fx_open(&f);
	make_entry(&f, "tmp", ID1 "-acme", "po.x12", "abc");
	fx_reopen(&f);
	ck_assert_uint_eq(f.sp.tmp_restored, 1);
	ck_assert_int_eq(count(&f, "tmp"), 0);
	ck_assert_str_eq(text_of(&f, "in/" ID1 "-acme/po.x12"), "abc");
	ck_assert_int_eq(
		spool_meta_read(&f.sp, SPOOL_IN, ID1 "-acme", &m, &f.err),
		EDI_OK);
	ck_assert_str_eq(m.source, "test"); /* the staged meta.json kept */
	ck_assert_int_eq(spool_claim(&f.sp, ID1 "-acme", &f.err), EDI_OK);
	fx_done(&f);
}
END_TEST

START_TEST(test_a_staged_file_without_meta_gets_it_rebuilt)
{
	struct spool_meta m;
	struct fx f;

	fx_open(&f);
	mk(&f, "tmp/" ID1 "-acme");
	put(&f, "tmp/" ID1 "-acme/po.x12", "abc");
	fx_reopen(&f);
	ck_assert_uint_eq(f.sp.tmp_restored, 1);
	ck_assert_int_eq(
		spool_meta_read(&f.sp, SPOOL_IN, ID1 "-acme", &m, &f.err),
		EDI_OK);
	ck_assert_str_eq(m.source, "recovered");
	ck_assert_str_eq(m.file, "po.x12");
	ck_assert_str_eq(m.partner, "acme");
	ck_assert_str_eq(m.sha256, SHA_ABC);
	fx_done(&f);
}
END_TEST

START_TEST(test_a_restore_that_cannot_happen_is_kept_and_described)
{
	struct fx f;

	fx_open(&f);
	make_entry(&f, "tmp", ID1, "po.x12", "staged");
	make_entry(&f, "in", ID1, "other.x12", "already there");
	fx_reopen(&f);
	ck_assert_uint_eq(f.sp.tmp_kept, 1);
	ck_assert_ptr_nonnull(strstr(f.sp.tmp_problem, "already there"));
	ck_assert_str_eq(text_of(&f, "tmp/" ID1 "/po.x12"), "staged");
	ck_assert_str_eq(text_of(&f, "in/" ID1 "/other.x12"), "already there");
	fx_done(&f);
}
END_TEST

START_TEST(test_crash_after_the_claim_is_undone_by_recover)
{
	char id[SPOOL_ID_MAX];
	struct fx f;
	size_t n;

	fx_open(&f);
	put(&f, "in/po.x12", "abc");
	ck_assert_int_eq(spool_admit(&f.sp, "po.x12", NULL, NOW, id, &f.err),
			 EDI_OK);
	fx_reopen(&f); /* the run died: work/ is left as it was */
	ck_assert(exists(&f, "work/" ID1 "/po.x12"));
	ck_assert_int_eq(spool_recover(&f.sp, &n, &f.err), EDI_OK);
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(text_of(&f, "in/" ID1 "/po.x12"), "abc");
	fx_done(&f);
}
END_TEST

/* --- the run lock --- */

START_TEST(test_lock_writes_the_holder_pid)
{
	struct spool_lock lock;
	struct fx f;
	char want[32];

	fx_open(&f);
	ck_assert_int_eq(spool_lock(&f.sp, &lock, &f.err), EDI_OK);
	snprintf(want, sizeof(want), "%ld\n", (long)getpid());
	ck_assert_str_eq(text_of(&f, "state/lock"), want);
	spool_unlock(&lock);
	ck_assert_str_eq(text_of(&f, "state/lock"), "");
	ck_assert_int_eq(lock.fd, -1);
	spool_unlock(&lock);
	fx_done(&f);
}
END_TEST

START_TEST(test_lock_held_by_another_process_is_a_temporary_failure)
{
	struct spool_lock lock;
	struct fx f;
	char want[100];
	int release;
	pid_t pid;

	fx_open(&f);
	pid = hold_lock_in_child(f.root, &release);
	ck_assert_int_eq(spool_lock(&f.sp, &lock, &f.err), EDI_ETEMP);
	snprintf(want, sizeof(want),
		 "another edigate run holds the spool lock (pid %ld)",
		 (long)pid);
	ck_assert_str_eq(f.err.msg, want);
	ck_assert_int_eq(lock.fd, -1);
	release_child(pid, release);
	ck_assert_int_eq(spool_lock(&f.sp, &lock, &f.err), EDI_OK);
	spool_unlock(&lock);
	fx_done(&f);
}
END_TEST

START_TEST(test_lock_is_released_when_the_holder_dies)
{
	struct spool_lock lock;
	struct fx f;
	int release, status;
	pid_t pid;

	fx_open(&f);
	pid = hold_lock_in_child(f.root, &release);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	close(release);
	ck_assert_int_eq(spool_lock(&f.sp, &lock, &f.err), EDI_OK);
	spool_unlock(&lock);
	fx_done(&f);
}
END_TEST

START_TEST(test_lock_is_not_inherited_by_programs_run)
{
	struct spool_lock lock;
	struct fx f;

	fx_open(&f);
	ck_assert_int_eq(spool_lock(&f.sp, &lock, &f.err), EDI_OK);
	ck_assert(fcntl(lock.fd, F_GETFD) & FD_CLOEXEC);
	spool_unlock(&lock);
	fx_done(&f);
}
END_TEST

START_TEST(test_second_lock_in_the_same_process_fails_too)
{
	struct spool_lock a, b;
	struct fx f;

	fx_open(&f);
	ck_assert_int_eq(spool_lock(&f.sp, &a, &f.err), EDI_OK);
	ck_assert_int_eq(spool_lock(&f.sp, &b, &f.err), EDI_ETEMP);
	spool_unlock(&b);
	spool_unlock(&a);
	fx_done(&f);
}
END_TEST

/* --- edigate.yaml --- */

struct cfx {
	struct fx f;
	char path[400];
	struct config cfg;
	struct edi_diag diag;
	enum edi_code rc;
};

static void cfg_load(struct cfx *c, const char *yaml)
{
	fx_init(&c->f);
	snprintf(c->path, sizeof(c->path), "%s/edigate.yaml", c->f.dir);
	if (yaml) {
		int fd = open(c->path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(write(fd, yaml, strlen(yaml)),
				 (ssize_t)strlen(yaml));
		close(fd);
	}
	edi_diag_init(&c->diag, 50);
	c->rc = config_load(&c->cfg, c->path, &c->diag);
}

static void cfg_done(struct cfx *c)
{
	config_release(&c->cfg);
	edi_diag_release(&c->diag);
	ck_assert_int_eq(fileio_remove_tree(c->f.dir, NULL), EDI_OK);
}

/* Is there a diagnostic "<path>:<pos>: <text...>"? */
static bool has_problem(const struct cfx *c, const char *pos, const char *text)
{
	char want[600];

	snprintf(want, sizeof(want), "%s:%s: %s", c->path, pos, text);
	for (size_t i = 0; i < c->diag.n; i++)
		if (!strncmp(c->diag.items[i].msg, want, strlen(want)))
			return true;
	return false;
}

static const char *all_problems(const struct cfx *c)
{
	static char out[4096];
	size_t used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < c->diag.n && used < sizeof(out) - 1; i++)
		used += (size_t)snprintf(out + used, sizeof(out) - used, "%s\n",
					 c->diag.items[i].msg);
	return out;
}

START_TEST(test_config_defaults)
{
	struct config cfg;

	config_defaults(&cfg);
	ck_assert_ptr_null(cfg.file);
	ck_assert_str_eq(cfg.spool_dir, "var/spool");
	ck_assert_str_eq(cfg.maps_dir, "maps");
	ck_assert_str_eq(cfg.partners_dir, "partners");
	ck_assert_uint_eq(cfg.noutputs, 0);
	ck_assert_uint_eq(cfg.limits.max_errors, 100);
	ck_assert_uint_eq(cfg.limits.max_file_bytes, 256u << 20);
	ck_assert_uint_eq(cfg.limits.max_segment_bytes, 1u << 20);
	ck_assert_uint_eq(cfg.limits.max_set_bytes, 256u << 20);
	ck_assert_uint_eq(cfg.retention.archive_days, 90);
	ck_assert_uint_eq(cfg.retention.sent_days, 90);
	ck_assert_uint_eq(cfg.retention.error_days, 0);
	ck_assert_uint_eq(cfg.duplicates.window_days, 30);
	ck_assert(!cfg.duplicates.ignore);
	ck_assert_uint_eq(cfg.run.batch_files, 100);
	config_release(&cfg);
}
END_TEST

START_TEST(test_config_every_key)
{
	struct cfx c;
	char want[600];

	cfg_load(&c, "spool: /srv/edigate/spool\n"
		     "maps: maps\n"
		     "partners: ../partners\n"
		     "outputs:\n"
		     "  erp:\n"
		     "    kind: file\n"
		     "    format: csv\n"
		     "    dir: out/erp\n"
		     "  records: {kind: file}\n"
		     "  api:\n"
		     "    kind: rest\n"
		     "    url: https://erp.example.com/edi\n"
		     "    method: PUT\n"
		     "limits:\n"
		     "  max_errors: 50\n"
		     "  max_file_bytes: 64M\n"
		     "  max_segment_bytes: 512K\n"
		     "  max_set_bytes: 1G\n"
		     "retention:\n"
		     "  archive_days: 10\n"
		     "  sent_days: 0\n"
		     "  error_days: 400\n"
		     "duplicates:\n"
		     "  window_days: 7\n"
		     "  action: ignore\n"
		     "run:\n"
		     "  batch_files: 25\n");
	ck_assert_msg(c.rc == EDI_OK, "%s", all_problems(&c));
	ck_assert_str_eq(c.cfg.file, c.path);
	ck_assert_str_eq(c.cfg.spool_dir, "/srv/edigate/spool");
	snprintf(want, sizeof(want), "%s/maps", c.f.dir);
	ck_assert_str_eq(c.cfg.maps_dir, want);
	snprintf(want, sizeof(want), "%s/../partners", c.f.dir);
	ck_assert_str_eq(c.cfg.partners_dir, want);
	ck_assert_uint_eq(c.cfg.noutputs, 3);
	ck_assert_str_eq(c.cfg.outputs[0].name, "erp");
	ck_assert_int_eq(c.cfg.outputs[0].kind, CONFIG_OUTPUT_FILE);
	ck_assert_int_eq(c.cfg.outputs[0].format, CONFIG_FORMAT_CSV);
	snprintf(want, sizeof(want), "%s/out/erp", c.f.dir);
	ck_assert_str_eq(c.cfg.outputs[0].dir, want);
	ck_assert_int_eq(c.cfg.outputs[1].format, CONFIG_FORMAT_JSONL);
	ck_assert_ptr_null(c.cfg.outputs[1].dir);
	ck_assert_int_eq(c.cfg.outputs[2].kind, CONFIG_OUTPUT_REST);
	ck_assert_str_eq(c.cfg.outputs[2].url, "https://erp.example.com/edi");
	ck_assert_int_eq(c.cfg.outputs[2].method, CONFIG_METHOD_PUT);
	ck_assert_ptr_eq(config_output(&c.cfg, "api"), &c.cfg.outputs[2]);
	ck_assert_ptr_null(config_output(&c.cfg, "nope"));
	ck_assert_uint_eq(c.cfg.limits.max_errors, 50);
	ck_assert_uint_eq(c.cfg.limits.max_file_bytes, 64u << 20);
	ck_assert_uint_eq(c.cfg.limits.max_segment_bytes, 512u << 10);
	ck_assert_uint_eq(c.cfg.limits.max_set_bytes, 1u << 30);
	ck_assert_uint_eq(c.cfg.retention.archive_days, 10);
	ck_assert_uint_eq(c.cfg.retention.sent_days, 0);
	ck_assert_uint_eq(c.cfg.retention.error_days, 400);
	ck_assert_uint_eq(c.cfg.duplicates.window_days, 7);
	ck_assert(c.cfg.duplicates.ignore);
	ck_assert_uint_eq(c.cfg.run.batch_files, 25);
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_default_folders_are_next_to_the_file)
{
	struct cfx c;
	char want[600];

	cfg_load(&c, "# nothing set\n");
	ck_assert_int_eq(c.rc, EDI_OK);
	snprintf(want, sizeof(want), "%s/var/spool", c.f.dir);
	ck_assert_str_eq(c.cfg.spool_dir, want);
	snprintf(want, sizeof(want), "%s/partners", c.f.dir);
	ck_assert_str_eq(c.cfg.partners_dir, want);
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_empty_sections_keep_defaults)
{
	struct cfx c;

	cfg_load(&c, "outputs:\nlimits:\nrun: {}\n");
	ck_assert_msg(c.rc == EDI_OK, "%s", all_problems(&c));
	ck_assert_uint_eq(c.cfg.noutputs, 0);
	ck_assert_uint_eq(c.cfg.run.batch_files, 100);
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_missing_file_is_enoent)
{
	struct cfx c;

	cfg_load(&c, NULL);
	ck_assert_int_eq(c.rc, EDI_ENOENT);
	ck_assert_uint_eq(c.diag.n, 1);
	ck_assert_ptr_nonnull(
		strstr(c.diag.items[0].msg, "No such file or directory"));
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_yaml_syntax_error_has_a_position)
{
	struct cfx c;

	cfg_load(&c, "spool: [unclosed\n");
	ck_assert_int_eq(c.rc, EDI_ECONFIG);
	ck_assert_uint_eq(c.diag.n, 1);
	ck_assert_int_eq(c.diag.items[0].code, EDI_ECONFIG);
	ck_assert_ptr_nonnull(strstr(c.diag.items[0].msg, "edigate.yaml:"));
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_unknown_keys_are_errors)
{
	struct cfx c;

	cfg_load(&c, "spoool: x\nlimits:\n  max_error: 5\n");
	ck_assert_int_eq(c.rc, EDI_ECONFIG);
	ck_assert_msg(has_problem(&c, "1:1",
				  "unknown key 'spoool' in the configuration "
				  "(known: spool, maps, partners, outputs, "
				  "limits, retention, duplicates, run, serve)"),
		      "%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "3:3",
				  "unknown key 'max_error' in limits (known: "
				  "max_errors,"),
		      "%s", all_problems(&c));
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_wrong_types_are_errors)
{
	struct cfx c;

	cfg_load(&c, "spool: [a, b]\nlimits: 5\noutputs: [x]\n");
	ck_assert_int_eq(c.rc, EDI_ECONFIG);
	ck_assert_msg(has_problem(&c, "1:8",
				  "spool must be a single value, not a list"),
		      "%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "2:9",
				  "limits must be a mapping, not a scalar"),
		      "%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "3:10", "outputs must be a mapping"),
		      "%s", all_problems(&c));
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_bad_numbers_are_errors)
{
	struct cfx c;

	cfg_load(&c, "limits:\n"
		     "  max_errors: lots\n"
		     "  max_file_bytes: \"100\"\n"
		     "  max_segment_bytes: 12X\n"
		     "retention:\n"
		     "  archive_days: -1\n"
		     "run:\n"
		     "  batch_files: 0\n"
		     "duplicates:\n"
		     "  window_days: 99999999999999999999999\n");
	ck_assert_int_eq(c.rc, EDI_ECONFIG);
	ck_assert_uint_eq(c.diag.nerrors, 6);
	ck_assert_msg(has_problem(&c, "2:15",
				  "limits.max_errors must be a whole number, "
				  "not 'lots'"),
		      "%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "3:19",
				  "limits.max_file_bytes must be a number, not "
				  "the string \"100\""),
		      "%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "4:22",
				  "limits.max_segment_bytes must be a whole "
				  "number of bytes"),
		      "%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "6:17",
				  "retention.archive_days must be a whole "
				  "number, not '-1'"),
		      "%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "8:16",
				  "run.batch_files must be between 1 and "
				  "100000, not 0"),
		      "%s", all_problems(&c));
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_set_limit_below_segment_limit_is_an_error)
{
	struct cfx c;

	cfg_load(&c, "limits: {max_segment_bytes: 2M, max_set_bytes: 1M}\n");
	ck_assert_int_eq(c.rc, EDI_ECONFIG);
	ck_assert_msg(has_problem(&c, "1:48",
				  "limits.max_set_bytes (1048576) must not be "
				  "smaller than limits.max_segment_bytes "
				  "(2097152)"),
		      "%s", all_problems(&c));
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_duplicate_action_must_be_reject_or_ignore)
{
	struct cfx c;

	cfg_load(&c, "duplicates:\n  action: drop\n");
	ck_assert_int_eq(c.rc, EDI_ECONFIG);
	ck_assert_msg(has_problem(&c, "2:11",
				  "duplicates.action must be reject or ignore, "
				  "not 'drop'"),
		      "%s", all_problems(&c));
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_output_mistakes_are_errors)
{
	struct cfx c;

	cfg_load(&c, "outputs:\n"
		     "  .hidden: {kind: file}\n"	      /* 2 */
		     "  nokind: {format: csv}\n"	      /* 3 */
		     "  badkind: {kind: ftp}\n"		      /* 4 */
		     "  badfmt: {kind: file, format: xml}\n"  /* 5 */
		     "  extra: {kind: file, url: http://x}\n" /* 6 */
		     "  api: {kind: rest}\n"		      /* 7 */
		     "  api2: {kind: rest, url: ftp://x}\n"   /* 8 */
		     "  api3: {kind: rest, url: 'https://x', method: GET}\n"
		     "  api4: {kind: rest, url: 'https://x', dir: out}\n"
		     "  scalar: file\n");
	ck_assert_int_eq(c.rc, EDI_ECONFIG);
	ck_assert_msg(has_problem(&c, "2:3", "output name '.hidden' must be"),
		      "%s", all_problems(&c));
	ck_assert_msg(
		has_problem(&c, "3:11",
			    "output 'nokind' needs a kind (file or rest)"),
		"%s", all_problems(&c));
	ck_assert_msg(
		has_problem(&c, "4:19", "kind must be file or rest, not 'ftp'"),
		"%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "5:32",
				  "output 'badfmt'.format must be jsonl or "
				  "csv, not 'xml'"),
		      "%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "6:23",
				  "unknown key 'url' in output 'extra' "
				  "(known: kind, format, dir)"),
		      "%s", all_problems(&c));
	ck_assert_msg(
		has_problem(&c, "7:8", "output 'api' (kind rest) needs a url"),
		"%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "8:27",
				  "output 'api2'.url must be an http:// or "
				  "https:// URL with a host, not 'ftp://x'"),
		      "%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "9:48",
				  "output 'api3'.method must be POST or PUT, "
				  "not 'GET'"),
		      "%s", all_problems(&c));
	ck_assert_msg(has_problem(&c, "10:40",
				  "unknown key 'dir' in output 'api4' (known: "
				  "kind, url, method and the keys listed in "
				  "docs/configuration.md, REST outputs)"),
		      "%s", all_problems(&c));
	ck_assert_msg(
		has_problem(&c, "11:11", "output 'scalar' must be a mapping"),
		"%s", all_problems(&c));
	cfg_done(&c);
}
END_TEST

START_TEST(test_config_the_sample_file_loads)
{
	struct config cfg;
	struct edi_diag diag;
	enum edi_code rc;

	/* the tests run from the top of the source tree */
	edi_diag_init(&diag, 20);
	rc = config_load(&cfg, "edigate.yaml.sample", &diag);
	ck_assert_msg(rc == EDI_OK, "%s", diag.n ? diag.items[0].msg : "?");
	ck_assert_uint_ge(cfg.noutputs, 1);
	config_release(&cfg);
	edi_diag_release(&diag);
}
END_TEST

Suite *spool_suite(void)
{
	Suite *s = suite_create("spool");
	TCase *layout = tcase_create("layout");
	TCase *ids = tcase_create("ids");
	TCase *meta = tcase_create("meta");
	TCase *list = tcase_create("list");
	TCase *tidy = tcase_create("tidy");
	TCase *move = tcase_create("move");
	TCase *reason = tcase_create("reason");
	TCase *admit = tcase_create("admit");
	TCase *lock = tcase_create("lock");
	TCase *config = tcase_create("config");

	tcase_add_test(layout, test_open_creates_every_folder);
	tcase_add_test(layout,
		       test_open_again_keeps_entries_and_trims_the_root);
	tcase_add_test(layout, test_open_of_an_empty_root_is_a_usage_error);
	tcase_add_test(layout, test_state_names_round_trip);
	tcase_add_test(ids, test_id_validity);
	tcase_add_test(ids, test_id_has_utc_time_counter_and_partner);
	tcase_add_test(ids, test_id_counter_restarts_each_second);
	tcase_add_test(ids, test_id_order_survives_the_clock_stepping_back);
	tcase_add_test(ids, test_id_counter_overflow_moves_to_the_next_second);
	tcase_add_test(ids, test_id_partner_part_is_made_safe_and_short);
	tcase_add_test(ids, test_id_with_damaged_counter_state_is_a_data_error);
	tcase_add_test(ids, test_ids_are_unique_and_ordered_across_processes);
	tcase_add_test(meta, test_stored_names_are_safe);
	tcase_add_test(meta, test_meta_round_trips);
	tcase_add_test(meta, test_meta_read_of_a_missing_entry_names_it);
	tcase_add_test(meta, test_meta_read_refuses_damaged_meta);
	tcase_add_test(list, test_list_gives_entries_in_id_order);
	tcase_add_test(list, test_list_stops_when_the_callback_says_so);
	tcase_add_test(list, test_list_of_archive_spans_its_days);
	tcase_add_test(list, test_entry_in_an_empty_archive_is_not_found);
	tcase_add_test(list, test_drops_are_plain_files_oldest_first);
	tcase_add_test(tidy,
		       test_tidy_removes_stale_temp_files_and_keeps_young_ones);
	tcase_add_test(tidy, test_tidy_leaves_folders_not_named_like_ids);
	tcase_add_test(
		tidy,
		test_tidy_is_skipped_while_another_process_holds_the_lock);
	tcase_add_test(move, test_every_row_of_the_table_moves_an_entry);
	tcase_add_test(move, test_moves_not_in_the_table_are_refused);
	tcase_add_test(move, test_move_of_a_missing_entry_names_the_id);
	tcase_add_test(move, test_move_refuses_an_invalid_id);
	tcase_add_test(move,
		       test_move_never_replaces_an_entry_with_the_same_id);
	tcase_add_test(move, test_move_refuses_a_plain_file_in_a_state);
	tcase_add_test(move, test_archive_goes_to_the_day_of_processing);
	tcase_add_test(move, test_claim_moves_in_to_work);
	tcase_add_test(move, test_recover_moves_work_back_to_in_keeping_ids);
	tcase_add_test(move,
		       test_recover_goes_on_past_a_failure_and_reports_it);
	tcase_add_test(move, test_recover_rebuilds_a_cut_short_meta);
	tcase_add_test(move, test_outbox_keeps_partners_files_apart);
	tcase_add_test(move, test_outbox_recovery_publishes_committed_files);
	tcase_add_test(reason, test_reason_written_in_work_travels_to_error);
	tcase_add_test(reason, test_reason_of_an_error_entry_is_replaced);
	tcase_add_test(reason, test_reason_needs_an_entry_and_a_json_object);
	tcase_add_test(admit,
		       test_admit_makes_a_claimed_entry_from_a_dropped_file);
	tcase_add_test(admit, test_admit_with_a_partner_hint);
	tcase_add_test(admit, test_admit_stores_a_reserved_name_safely);
	tcase_add_test(admit, test_admit_of_a_missing_file_leaves_nothing);
	tcase_add_test(admit, test_admit_refuses_names_that_are_not_drops);
	tcase_add_test(admit, test_admitted_ids_sort_in_arrival_order);
	tcase_add_test(admit,
		       test_crash_before_the_rename_leaves_the_file_in_in);
	tcase_add_test(admit, test_crash_after_the_rename_puts_the_entry_in_in);
	tcase_add_test(admit, test_a_staged_file_without_meta_gets_it_rebuilt);
	tcase_add_test(admit,
		       test_a_restore_that_cannot_happen_is_kept_and_described);
	tcase_add_test(admit, test_crash_after_the_claim_is_undone_by_recover);
	tcase_add_test(lock, test_lock_writes_the_holder_pid);
	tcase_add_test(
		lock, test_lock_held_by_another_process_is_a_temporary_failure);
	tcase_add_test(lock, test_lock_is_released_when_the_holder_dies);
	tcase_add_test(lock, test_lock_is_not_inherited_by_programs_run);
	tcase_add_test(lock, test_second_lock_in_the_same_process_fails_too);
	tcase_add_test(config, test_config_defaults);
	tcase_add_test(config, test_config_every_key);
	tcase_add_test(config,
		       test_config_default_folders_are_next_to_the_file);
	tcase_add_test(config, test_config_empty_sections_keep_defaults);
	tcase_add_test(config, test_config_missing_file_is_enoent);
	tcase_add_test(config, test_config_yaml_syntax_error_has_a_position);
	tcase_add_test(config, test_config_unknown_keys_are_errors);
	tcase_add_test(config, test_config_wrong_types_are_errors);
	tcase_add_test(config, test_config_bad_numbers_are_errors);
	tcase_add_test(config,
		       test_config_set_limit_below_segment_limit_is_an_error);
	tcase_add_test(config,
		       test_config_duplicate_action_must_be_reject_or_ignore);
	tcase_add_test(config, test_config_output_mistakes_are_errors);
	tcase_add_test(config, test_config_the_sample_file_loads);
	suite_add_tcase(s, layout);
	suite_add_tcase(s, ids);
	suite_add_tcase(s, meta);
	suite_add_tcase(s, list);
	suite_add_tcase(s, tidy);
	suite_add_tcase(s, move);
	suite_add_tcase(s, reason);
	suite_add_tcase(s, admit);
	suite_add_tcase(s, lock);
	suite_add_tcase(s, config);
	return s;
}
