/*
 * test_journal - the spool journal on a real SQLite file: records,
 * exactly-once delivery, crashes (rollback, close, SIGKILL before commit),
 * counters, duplicate interchanges, batches, trace and status.
 *
 * Every test works on its own database in one temporary directory that
 * the unchecked fixture makes and removes in the Check parent process, so
 * it goes away also when a test fails (Check's fixture functions take no
 * argument, hence the one static below).
 */
#include <check.h>
#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "journal.h"
#include "suites.h"

static char tmp_root[256];

static void tmp_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(tmp_root, sizeof(tmp_root), "%s/edigate-journal-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmp_root));
}

static void tmp_teardown(void)
{
	DIR *d = opendir(tmp_root);
	struct dirent *de;
	char path[512];

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmp_root, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(tmp_root);
}

/* The database of one test: <tmp_root>/<name>.db */
static void db_path(char *path, size_t size, const char *name)
{
	snprintf(path, size, "%s/%s.db", tmp_root, name);
}

static struct journal *open_ok(const char *path)
{
	struct journal *j = NULL;
	struct edi_error err = {0};

	ck_assert_msg(journal_open(&j, path, &err) == EDI_OK, "%s", err.msg);
	ck_assert_ptr_nonnull(j);
	return j;
}

static void file_fill(struct journal_file *f, const char *entry_id,
		      const char *partner, const char *state, int64_t at)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->entry_id, sizeof(f->entry_id), "%s", entry_id);
	snprintf(f->name, sizeof(f->name), "%s.x12", entry_id);
	snprintf(f->partner, sizeof(f->partner), "%s", partner);
	snprintf(f->sha256, sizeof(f->sha256), "%064d", 7);
	snprintf(f->state, sizeof(f->state), "%s", state);
	f->size = 1234;
	f->received_at = at;
	f->updated_at = at;
}

static void put_file(struct journal *j, const char *entry_id,
		     const char *partner, const char *state, int64_t at)
{
	struct journal_file f;
	struct edi_error err = {0};

	file_fill(&f, entry_id, partner, state, at);
	ck_assert_msg(journal_file_put(j, &f, &err) == EDI_OK, "%s", err.msg);
}

static void set_fill(struct journal_set *s, const char *id,
		     const char *entry_id, const char *partner,
		     const char *doc_key, const char *isa13,
		     enum journal_set_status status, int64_t at)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->id, sizeof(s->id), "%s", id);
	snprintf(s->entry_id, sizeof(s->entry_id), "%s", entry_id);
	snprintf(s->partner, sizeof(s->partner), "%s", partner);
	snprintf(s->doc_key, sizeof(s->doc_key), "%s", doc_key);
	snprintf(s->doc_type, sizeof(s->doc_type), "order");
	snprintf(s->st01, sizeof(s->st01), "850");
	snprintf(s->isa13, sizeof(s->isa13), "%s", isa13);
	snprintf(s->gs06, sizeof(s->gs06), "1");
	snprintf(s->st02, sizeof(s->st02), "0001");
	s->status = status;
	s->created_at = at;
	s->updated_at = at;
}

static void put_set(struct journal *j, const char *id, const char *entry_id,
		    const char *partner, const char *doc_key, const char *isa13,
		    enum journal_set_status status, int64_t at)
{
	struct journal_set s;
	struct edi_error err = {0};

	set_fill(&s, id, entry_id, partner, doc_key, isa13, status, at);
	ck_assert_msg(journal_set_put(j, &s, &err) == EDI_OK, "%s", err.msg);
}

static void event_ok(struct journal *j, const char *entry_id,
		     const char *set_id, const char *event, int64_t at)
{
	struct edi_error err = {0};

	ck_assert_msg(journal_event(j, entry_id, set_id, event, NULL, at,
				    &err) == EDI_OK,
		      "%s", err.msg);
}

static void begin_ok(struct journal *j)
{
	struct edi_error err = {0};

	ck_assert_msg(journal_begin(j, &err) == EDI_OK, "%s", err.msg);
}

static void commit_ok(struct journal *j)
{
	struct edi_error err = {0};

	ck_assert_msg(journal_commit(j, &err) == EDI_OK, "%s", err.msg);
}

static bool delivered(struct journal *j, const char *set_id, const char *output)
{
	struct edi_error err = {0};
	bool yes = true;

	ck_assert_msg(journal_delivered(j, set_id, output, &yes, &err) ==
			      EDI_OK,
		      "%s", err.msg);
	return yes;
}

static int64_t counter_ok(struct journal *j, const char *partner,
			  const char *name, int64_t min, int64_t max)
{
	struct edi_error err = {0};
	int64_t v = -1;

	ck_assert_msg(journal_counter_next(j, partner, name, min, max, &v,
					   &err) == EDI_OK,
		      "%s", err.msg);
	return v;
}

/* The text of one column of the first row of sql, by a raw connection. */
static void raw_query(const char *path, const char *sql, char *out, size_t size)
{
	sqlite3 *db;
	sqlite3_stmt *st;

	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	out[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, size, "%s",
			 (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
}

struct trace_log {
	char text[1024];
	int n;
	int stop_after; /* 0: never */
};

static enum edi_code log_event(void *ctx, const struct journal_event_row *ev,
			       struct edi_error *err)
{
	struct trace_log *log = ctx;
	size_t len = strlen(log->text);

	snprintf(log->text + len, sizeof(log->text) - len, "%s|%s|%lld|%s|%s\n",
		 ev->entry_id, ev->set_id, (long long)ev->at, ev->event,
		 ev->detail);
	if (++log->n == log->stop_after)
		return edi_fail(err, EDI_EUSAGE, NULL, "enough");
	return EDI_OK;
}

/* --- opening --- */

START_TEST(test_open_creates_schema)
{
	char path[512], text[256];

	db_path(path, sizeof(path), "schema");
	journal_close(open_ok(path));
	raw_query(path, "PRAGMA user_version", text, sizeof(text));
	ck_assert_str_eq(text, "1");
	raw_query(path, "PRAGMA journal_mode", text, sizeof(text));
	ck_assert_str_eq(text, "wal");
	raw_query(path,
		  "SELECT group_concat(name, ' ') FROM (SELECT name FROM "
		  "sqlite_schema WHERE type = 'table' ORDER BY name)",
		  text, sizeof(text));
	ck_assert_str_eq(text, "batches counters deliveries events files "
			       "interchanges sets");
	/* Reopening an up-to-date journal changes nothing. */
	journal_close(open_ok(path));
	raw_query(path, "PRAGMA user_version", text, sizeof(text));
	ck_assert_str_eq(text, "1");
}
END_TEST

START_TEST(test_open_refuses_newer_schema)
{
	char path[512], text[16];
	struct journal *j = (struct journal *)1;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "newer");
	journal_close(open_ok(path));
	raw_query(path, "PRAGMA user_version = 2", text, sizeof(text));
	ck_assert_int_eq(journal_open(&j, path, &err), EDI_ECONFIG);
	ck_assert_ptr_null(j);
	ck_assert_ptr_nonnull(strstr(err.msg, "schema version 2"));
}
END_TEST

START_TEST(test_open_fails_in_missing_directory)
{
	char path[512];
	struct journal *j = NULL;
	struct edi_error err = {0};

	snprintf(path, sizeof(path), "%s/no/such/dir/journal.db", tmp_root);
	ck_assert_int_eq(journal_open(&j, path, &err), EDI_EIO);
	ck_assert_ptr_null(j);
	ck_assert_msg(strncmp(err.msg, "cannot open journal '", 21) == 0, "%s",
		      err.msg);
}
END_TEST

START_TEST(test_open_refuses_a_non_database)
{
	char path[512];
	struct journal *j = NULL;
	struct edi_error err = {0};
	FILE *fp;

	db_path(path, sizeof(path), "garbage");
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	for (int i = 0; i < 200; i++)
		fputs("ISA*00*not a database*", fp);
	fclose(fp);
	ck_assert_int_eq(journal_open(&j, path, &err), EDI_EIO);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a database"));
}
END_TEST

/* --- files, sets, events --- */

START_TEST(test_file_put_get_roundtrip)
{
	char path[512];
	struct journal *j;
	struct journal_file f, got;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "file");
	j = open_ok(path);
	file_fill(&f, "20261127T093012Z-000042-acme", "acme", "work", 1000);
	snprintf(f.stage, sizeof(f.stage), "envelope");
	f.size = 5000000000ull;
	f.attempts = 3;
	ck_assert_int_eq(journal_file_put(j, &f, &err), EDI_OK);
	ck_assert_int_eq(journal_file_get(j, f.entry_id, &got, &err), EDI_OK);
	ck_assert_str_eq(got.entry_id, f.entry_id);
	ck_assert_str_eq(got.name, "20261127T093012Z-000042-acme.x12");
	ck_assert_str_eq(got.partner, "acme");
	ck_assert_str_eq(got.sha256, f.sha256);
	ck_assert_str_eq(got.state, "work");
	ck_assert_str_eq(got.stage, "envelope");
	ck_assert_uint_eq(got.size, 5000000000ull);
	ck_assert_int_eq(got.received_at, 1000);
	ck_assert_int_eq(got.updated_at, 1000);
	ck_assert_uint_eq(got.attempts, 3);
	journal_close(j);
}
END_TEST

START_TEST(test_file_get_absent_is_enoent)
{
	char path[512];
	struct journal *j;
	struct journal_file got;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "absent");
	j = open_ok(path);
	ck_assert_int_eq(journal_file_get(j, "nope", &got, &err), EDI_ENOENT);
	ck_assert_str_eq(err.msg, "no entry 'nope' in the journal");
	journal_close(j);
}
END_TEST

START_TEST(test_file_put_updates_and_keeps_received_at)
{
	char path[512];
	struct journal *j;
	struct journal_file f, got;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "update");
	j = open_ok(path);
	put_file(j, "E1", "", "in", 100);
	file_fill(&f, "E1", "acme", "error", 200);
	f.received_at = 150;
	snprintf(f.stage, sizeof(f.stage), "map");
	f.attempts = 1;
	ck_assert_int_eq(journal_file_put(j, &f, &err), EDI_OK);
	ck_assert_int_eq(journal_file_get(j, "E1", &got, &err), EDI_OK);
	ck_assert_str_eq(got.partner, "acme");
	ck_assert_str_eq(got.state, "error");
	ck_assert_str_eq(got.stage, "map");
	ck_assert_int_eq(got.received_at, 100);
	ck_assert_int_eq(got.updated_at, 200);
	ck_assert_uint_eq(got.attempts, 1);
	journal_close(j);
}
END_TEST

START_TEST(test_file_put_refuses_bad_fields)
{
	char path[512];
	struct journal *j;
	struct journal_file f;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "badfile");
	j = open_ok(path);
	file_fill(&f, "E1", "acme", "in", 1);
	memset(f.state, 'x', sizeof(f.state));
	ck_assert_int_eq(journal_file_put(j, &f, &err), EDI_ELIMIT);
	file_fill(&f, "E1", "acme", "", 1);
	ck_assert_int_eq(journal_file_put(j, &f, &err), EDI_EUSAGE);
	ck_assert_int_eq(journal_file_get(j, "E1", &f, &err), EDI_ENOENT);
	journal_close(j);
}
END_TEST

START_TEST(test_set_put_get_roundtrip)
{
	char path[512];
	struct journal *j;
	struct journal_set got;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "set");
	j = open_ok(path);
	put_file(j, "E1", "acme", "work", 10);
	put_set(j, "acme.000000123.1.0001", "E1", "acme", "acme:order:PO-1001",
		"000000123", JOURNAL_SET_ACCEPTED, 11);
	ck_assert_int_eq(
		journal_set_get(j, "acme.000000123.1.0001", &got, &err),
		EDI_OK);
	ck_assert_str_eq(got.entry_id, "E1");
	ck_assert_str_eq(got.partner, "acme");
	ck_assert_str_eq(got.doc_key, "acme:order:PO-1001");
	ck_assert_str_eq(got.doc_type, "order");
	ck_assert_str_eq(got.st01, "850");
	ck_assert_str_eq(got.isa13, "000000123");
	ck_assert_str_eq(got.gs06, "1");
	ck_assert_str_eq(got.st02, "0001");
	ck_assert_int_eq(got.status, JOURNAL_SET_ACCEPTED);
	ck_assert_str_eq(got.output, "");
	ck_assert_int_eq(got.created_at, 11);
	/* A re-put (replay) updates and keeps created_at. */
	put_set(j, "acme.000000123.1.0001", "E1", "acme", "acme:order:PO-1001",
		"000000123", JOURNAL_SET_REJECTED, 20);
	ck_assert_int_eq(
		journal_set_get(j, "acme.000000123.1.0001", &got, &err),
		EDI_OK);
	ck_assert_int_eq(got.status, JOURNAL_SET_REJECTED);
	ck_assert_int_eq(got.created_at, 11);
	ck_assert_int_eq(got.updated_at, 20);
	ck_assert_int_eq(journal_set_get(j, "other", &got, &err), EDI_ENOENT);
	journal_close(j);
}
END_TEST

START_TEST(test_set_put_unknown_entry_is_enoent)
{
	char path[512];
	struct journal *j;
	struct journal_set s;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "orphan");
	j = open_ok(path);
	set_fill(&s, "S1", "E404", "acme", "acme:order:1", "000000001",
		 JOURNAL_SET_ACCEPTED, 1);
	ck_assert_int_eq(journal_set_put(j, &s, &err), EDI_ENOENT);
	ck_assert_str_eq(err.msg, "cannot record set 'S1': no entry 'E404' "
				  "in the journal");
	journal_close(j);
}
END_TEST

START_TEST(test_set_put_refuses_delivered_status)
{
	char path[512];
	struct journal *j;
	struct journal_set s;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "setdelivered");
	j = open_ok(path);
	put_file(j, "E1", "acme", "work", 1);
	set_fill(&s, "S1", "E1", "acme", "acme:order:1", "000000001",
		 JOURNAL_SET_DELIVERED, 1);
	ck_assert_int_eq(journal_set_put(j, &s, &err), EDI_EUSAGE);
	ck_assert(!delivered(j, "S1", "erp"));
	journal_close(j);
}
END_TEST

START_TEST(test_event_unknown_entry_is_enoent)
{
	char path[512];
	struct journal *j;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "eventorphan");
	j = open_ok(path);
	ck_assert_int_eq(
		journal_event(j, "E404", NULL, "received", NULL, 1, &err),
		EDI_ENOENT);
	ck_assert_int_eq(journal_event(j, "", NULL, "received", NULL, 1, &err),
			 EDI_EUSAGE);
	journal_close(j);
}
END_TEST

/* --- exactly-once delivery --- */

START_TEST(test_deliver_once)
{
	char path[512];
	struct journal *j;
	struct journal_set got;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "deliver");
	j = open_ok(path);
	put_file(j, "E1", "acme", "work", 1);
	put_set(j, "S1", "E1", "acme", "acme:order:1", "000000001",
		JOURNAL_SET_ACCEPTED, 1);
	ck_assert(!delivered(j, "S1", "erp"));
	ck_assert_int_eq(journal_deliver(j, "S1", "erp", "b-0001", 5, &err),
			 EDI_OK);
	ck_assert(delivered(j, "S1", "erp"));
	ck_assert(!delivered(j, "S1", "rest"));
	ck_assert_int_eq(journal_deliver(j, "S1", "erp", "b-0002", 6, &err),
			 EDI_EDATA);
	ck_assert_str_eq(err.msg, "set 'S1' was already delivered to 'erp'");
	ck_assert_int_eq(journal_set_get(j, "S1", &got, &err), EDI_OK);
	ck_assert_int_eq(got.status, JOURNAL_SET_DELIVERED);
	ck_assert_str_eq(got.output, "erp");
	ck_assert_str_eq(got.batch, "b-0001");
	/* Another output of the same set is its own delivery. */
	ck_assert_int_eq(journal_deliver(j, "S1", "rest", NULL, 7, &err),
			 EDI_OK);
	ck_assert(delivered(j, "S1", "rest"));
	journal_close(j);
}
END_TEST

START_TEST(test_deliver_survives_reopen_and_replay)
{
	char path[512];
	struct journal *j;
	struct journal_set got;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "redeliver");
	j = open_ok(path);
	put_file(j, "E1", "acme", "work", 1);
	put_set(j, "S1", "E1", "acme", "acme:order:1", "000000001",
		JOURNAL_SET_ACCEPTED, 1);
	ck_assert_int_eq(journal_deliver(j, "S1", "erp", "b-0001", 5, &err),
			 EDI_OK);
	journal_close(j);

	j = open_ok(path);
	ck_assert(delivered(j, "S1", "erp"));
	/* The replay records the set again: it stays delivered. */
	put_set(j, "S1", "E1", "acme", "acme:order:1", "000000001",
		JOURNAL_SET_ACCEPTED, 50);
	ck_assert_int_eq(journal_set_get(j, "S1", &got, &err), EDI_OK);
	ck_assert_int_eq(got.status, JOURNAL_SET_DELIVERED);
	ck_assert_int_eq(journal_deliver(j, "S1", "erp", "b-0009", 51, &err),
			 EDI_EDATA);
	journal_close(j);
}
END_TEST

START_TEST(test_deliver_unknown_set_is_enoent)
{
	char path[512];
	struct journal *j;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "deliver404");
	j = open_ok(path);
	ck_assert_int_eq(journal_deliver(j, "S404", "erp", NULL, 1, &err),
			 EDI_ENOENT);
	ck_assert(!delivered(j, "S404", "erp"));
	journal_close(j);
}
END_TEST

START_TEST(test_deliver_refusal_keeps_the_transaction)
{
	char path[512];
	struct journal *j;
	struct journal_file f;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "refusal");
	j = open_ok(path);
	begin_ok(j);
	put_file(j, "E1", "acme", "work", 1);
	put_set(j, "S1", "E1", "acme", "acme:order:1", "000000001",
		JOURNAL_SET_ACCEPTED, 1);
	ck_assert_int_eq(journal_deliver(j, "S1", "erp", NULL, 2, &err),
			 EDI_OK);
	ck_assert_int_eq(journal_deliver(j, "S1", "erp", NULL, 3, &err),
			 EDI_EDATA);
	ck_assert_int_eq(journal_deliver(j, "S404", "erp", NULL, 3, &err),
			 EDI_ENOENT);
	ck_assert(journal_in_transaction(j));
	put_file(j, "E2", "acme", "work", 4);
	commit_ok(j);
	journal_close(j);

	j = open_ok(path);
	ck_assert(delivered(j, "S1", "erp"));
	ck_assert_int_eq(journal_file_get(j, "E2", &f, &err), EDI_OK);
	journal_close(j);
}
END_TEST

/* --- transactions and crashes --- */

START_TEST(test_rollback_discards)
{
	char path[512];
	struct journal *j;
	struct journal_file f;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "rollback");
	j = open_ok(path);
	begin_ok(j);
	put_file(j, "E1", "acme", "work", 1);
	put_set(j, "S1", "E1", "acme", "acme:order:1", "000000001",
		JOURNAL_SET_ACCEPTED, 1);
	ck_assert_int_eq(journal_deliver(j, "S1", "erp", NULL, 2, &err),
			 EDI_OK);
	ck_assert_int_eq(journal_rollback(j, &err), EDI_OK);
	ck_assert(!journal_in_transaction(j));
	ck_assert_int_eq(journal_file_get(j, "E1", &f, &err), EDI_ENOENT);
	ck_assert(!delivered(j, "S1", "erp"));
	journal_close(j);
}
END_TEST

START_TEST(test_close_without_commit_discards)
{
	char path[512];
	struct journal *j;
	struct journal_file f;
	struct trace_log log = {0};
	struct edi_error err = {0};

	db_path(path, sizeof(path), "closed");
	j = open_ok(path);
	put_file(j, "E1", "acme", "in", 1); /* committed on its own */
	begin_ok(j);
	put_file(j, "E2", "acme", "in", 2);
	event_ok(j, "E1", NULL, "claimed", 3);
	journal_close(j);

	j = open_ok(path);
	ck_assert_int_eq(journal_file_get(j, "E1", &f, &err), EDI_OK);
	ck_assert_int_eq(journal_file_get(j, "E2", &f, &err), EDI_ENOENT);
	ck_assert_int_eq(journal_trace(j, "E1", log_event, &log, &err),
			 EDI_ENOENT);
	journal_close(j);
}
END_TEST

/*
 * The child: one committed file and counter value, then a transaction
 * big enough to spill into the WAL file, then a signal to the parent and
 * a wait for SIGKILL.  Exit 2 means something failed before the signal.
 */
static void crash_child(const char *path, int ready_fd)
{
	char detail[2048];
	struct journal *j;
	struct journal_file f;
	struct edi_error err;
	int64_t v;

	memset(detail, 'd', sizeof(detail) - 1);
	detail[sizeof(detail) - 1] = '\0';
	if (journal_open(&j, path, &err) != EDI_OK)
		_exit(2);
	file_fill(&f, "B", "acme", "in", 10);
	if (journal_file_put(j, &f, &err) != EDI_OK ||
	    journal_counter_next(j, "acme", "isa13", 1, 999999999, &v, &err) !=
		    EDI_OK ||
	    journal_begin(j, &err) != EDI_OK)
		_exit(2);
	file_fill(&f, "C", "acme", "work", 11);
	if (journal_file_put(j, &f, &err) != EDI_OK ||
	    journal_counter_next(j, "acme", "isa13", 1, 999999999, &v, &err) !=
		    EDI_OK)
		_exit(2);
	for (int i = 0; i < 3000; i++)
		if (journal_event(j, "C", NULL, "mapped", detail, 12 + i,
				  &err) != EDI_OK)
			_exit(2);
	if (write(ready_fd, "x", 1) != 1)
		_exit(2);
	for (;;)
		pause();
}

START_TEST(test_sigkill_before_commit_leaves_nothing_half_written)
{
	char path[512], wal[520];
	struct journal *j;
	struct journal_file f;
	struct trace_log log = {0};
	struct edi_error err = {0};
	struct stat sb;
	int fds[2], status;
	char c;
	pid_t pid;

	db_path(path, sizeof(path), "sigkill");
	snprintf(wal, sizeof(wal), "%s-wal", path);
	j = open_ok(path);
	put_file(j, "A", "acme", "in", 1);
	journal_close(j);

	ck_assert_int_eq(pipe(fds), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(fds[0]);
		crash_child(path, fds[1]);
	}
	close(fds[1]);
	ck_assert_int_eq(read(fds[0], &c, 1), 1);
	close(fds[0]);
	/* The uncommitted transaction really reached the disk. */
	ck_assert_int_eq(stat(wal, &sb), 0);
	ck_assert_int_gt(sb.st_size, 1 << 20);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	j = open_ok(path);
	ck_assert_int_eq(journal_file_get(j, "A", &f, &err), EDI_OK);
	ck_assert_int_eq(journal_file_get(j, "B", &f, &err), EDI_OK);
	ck_assert_int_eq(journal_file_get(j, "C", &f, &err), EDI_ENOENT);
	ck_assert_int_eq(journal_trace(j, "C", log_event, &log, &err),
			 EDI_ENOENT);
	ck_assert_int_eq(counter_ok(j, "acme", "isa13", 1, 999999999), 2);
	journal_close(j);
}
END_TEST

START_TEST(test_transaction_misuse)
{
	char path[512];
	struct journal *j;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "misuse");
	j = open_ok(path);
	ck_assert_int_eq(journal_commit(j, &err), EDI_EUSAGE);
	ck_assert_int_eq(journal_rollback(j, &err), EDI_OK);
	begin_ok(j);
	ck_assert_int_eq(journal_begin(j, &err), EDI_EUSAGE);
	ck_assert(journal_in_transaction(j));
	commit_ok(j);
	ck_assert(!journal_in_transaction(j));
	journal_close(j);
}
END_TEST

START_TEST(test_busy_is_temporary)
{
	char path[512];
	struct journal *j;
	struct journal_file f;
	struct edi_error err = {0};
	sqlite3 *other;

	db_path(path, sizeof(path), "busy");
	j = open_ok(path);
	ck_assert_int_eq(sqlite3_open(path, &other), SQLITE_OK);
	ck_assert_int_eq(
		sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL),
		SQLITE_OK);
	journal_busy_timeout(j, 20);
	ck_assert_int_eq(journal_begin(j, &err), EDI_ETEMP);
	ck_assert_str_eq(err.msg, "cannot begin a journal transaction: "
				  "database is locked");
	ck_assert(!journal_in_transaction(j));
	file_fill(&f, "E1", "acme", "in", 1);
	ck_assert_int_eq(journal_file_put(j, &f, &err), EDI_ETEMP);
	ck_assert_str_eq(err.msg, "cannot record file 'E1': database is "
				  "locked");
	sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(other);
	begin_ok(j);
	put_file(j, "E1", "acme", "in", 1);
	commit_ok(j);
	journal_close(j);
}
END_TEST

/* --- interchanges --- */

START_TEST(test_interchange_duplicate_within_window)
{
	char path[512], entry[JOURNAL_ID_MAX];
	struct journal *j;
	struct edi_error err = {0};
	bool seen = true;

	db_path(path, sizeof(path), "dup");
	j = open_ok(path);
	put_file(j, "E1", "acme", "work", 1000);
	ck_assert_int_eq(journal_interchange_seen(j, "ZZ:ACME", "ZZ:US",
						  "000000123", 0, &seen, entry,
						  sizeof(entry), &err),
			 EDI_OK);
	ck_assert(!seen);
	ck_assert_int_eq(journal_interchange_add(j, "ZZ:ACME", "ZZ:US",
						 "000000123", "E1", 1000, &err),
			 EDI_OK);
	/* Within the window (since <= at): the entry that brought it. */
	ck_assert_int_eq(journal_interchange_seen(j, "ZZ:ACME", "ZZ:US",
						  "000000123", 1000, &seen,
						  entry, sizeof(entry), &err),
			 EDI_OK);
	ck_assert(seen);
	ck_assert_str_eq(entry, "E1");
	/* Outside the window. */
	ck_assert_int_eq(journal_interchange_seen(j, "ZZ:ACME", "ZZ:US",
						  "000000123", 1001, &seen,
						  entry, sizeof(entry), &err),
			 EDI_OK);
	ck_assert(!seen);
	/* Another receiver or control number is another interchange. */
	ck_assert_int_eq(journal_interchange_seen(j, "ZZ:ACME", "ZZ:OTHER",
						  "000000123", 0, &seen, NULL,
						  0, &err),
			 EDI_OK);
	ck_assert(!seen);
	ck_assert_int_eq(journal_interchange_seen(j, "ZZ:ACME", "ZZ:US",
						  "000000124", 0, &seen, NULL,
						  0, &err),
			 EDI_OK);
	ck_assert(!seen);
	journal_close(j);
}
END_TEST

START_TEST(test_interchange_add_replaces_an_old_one)
{
	char path[512], entry[JOURNAL_ID_MAX];
	struct journal *j;
	struct edi_error err = {0};
	bool seen = false;

	db_path(path, sizeof(path), "wrap");
	j = open_ok(path);
	put_file(j, "E1", "acme", "archive", 1000);
	put_file(j, "E2", "acme", "work", 900000);
	ck_assert_int_eq(journal_interchange_add(j, "ZZ:ACME", "ZZ:US",
						 "000000001", "E1", 1000, &err),
			 EDI_OK);
	ck_assert_int_eq(journal_interchange_add(j, "ZZ:ACME", "ZZ:US",
						 "000000001", "E2", 900000,
						 &err),
			 EDI_OK);
	ck_assert_int_eq(journal_interchange_seen(j, "ZZ:ACME", "ZZ:US",
						  "000000001", 800000, &seen,
						  entry, sizeof(entry), &err),
			 EDI_OK);
	ck_assert(seen);
	ck_assert_str_eq(entry, "E2");
	ck_assert_int_eq(journal_interchange_add(j, "ZZ:ACME", "ZZ:US",
						 "000000002", "E404", 1, &err),
			 EDI_ENOENT);
	journal_close(j);
}
END_TEST

/* --- batches --- */

struct batch_walk {
	struct journal *j;
	char names[256];
	int n;
};

static enum edi_code rename_batch(void *ctx, const struct journal_batch *b,
				  struct edi_error *err)
{
	struct batch_walk *w = ctx;
	struct journal_batch done = *b;
	size_t len = strlen(w->names);

	snprintf(w->names + len, sizeof(w->names) - len, "%s%s:%s",
		 len ? " " : "", b->output, b->name);
	w->n++;
	done.state = JOURNAL_BATCH_RENAMED;
	return journal_batch_put(w->j, &done, err);
}

START_TEST(test_batches_written_for_recovery)
{
	char path[512];
	struct journal *j;
	struct edi_error err = {0};
	struct batch_walk w = {0};
	const struct journal_batch batches[] = {
		{"b3", "erp", "E1", JOURNAL_BATCH_WRITTEN, 30},
		{"b1", "erp", NULL, JOURNAL_BATCH_WRITTEN, 10},
		{"b2", "rest", "", JOURNAL_BATCH_RENAMED, 20},
	};
	struct journal_batch bad = {"b4", "erp", "E404", JOURNAL_BATCH_WRITTEN,
				    40};
	struct journal_batch renamed = {"b3", "erp", "", JOURNAL_BATCH_RENAMED,
					50};
	char text[64];

	db_path(path, sizeof(path), "batches");
	j = open_ok(path);
	put_file(j, "E1", "acme", "work", 1);
	for (size_t i = 0; i < sizeof(batches) / sizeof(batches[0]); i++)
		ck_assert_int_eq(journal_batch_put(j, &batches[i], &err),
				 EDI_OK);
	ck_assert_int_eq(journal_batch_put(j, &bad, &err), EDI_ENOENT);
	w.j = j;
	ck_assert_int_eq(journal_batches_written(j, rename_batch, &w, &err),
			 EDI_OK);
	ck_assert_str_eq(w.names, "erp:b1 erp:b3");
	/* The callback marked them renamed: nothing is left to recover. */
	memset(&w, 0, sizeof(w));
	w.j = j;
	ck_assert_int_eq(journal_batches_written(j, rename_batch, &w, &err),
			 EDI_OK);
	ck_assert_int_eq(w.n, 0);
	/* Marking a batch renamed without its entry id keeps the id. */
	ck_assert_int_eq(journal_batch_put(j, &renamed, &err), EDI_OK);
	raw_query(path, "SELECT entry_id FROM batches WHERE name = 'b3'", text,
		  sizeof(text));
	ck_assert_str_eq(text, "E1");
	journal_close(j);
}
END_TEST

/* --- counters --- */

START_TEST(test_counter_sequence_and_wrap)
{
	char path[512];
	struct journal *j;
	const int64_t want[] = {1, 2, 3, 1, 2, 3, 1};

	db_path(path, sizeof(path), "counter");
	j = open_ok(path);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		ck_assert_int_eq(counter_ok(j, "acme", "st02", 1, 3), want[i]);
	/* Counters are per partner and per name. */
	ck_assert_int_eq(counter_ok(j, "globex", "st02", 1, 3), 1);
	ck_assert_int_eq(counter_ok(j, "acme", "gs06", 1, 3), 1);
	/* A stored value outside a new range starts over at its min. */
	ck_assert_int_eq(counter_ok(j, "acme", "st02", 100, 200), 100);
	journal_close(j);
}
END_TEST

START_TEST(test_counter_unique_over_10000_calls_and_reopen)
{
	char path[512];
	struct journal *j;
	int64_t prev = 0, v;

	db_path(path, sizeof(path), "counter10k");
	j = open_ok(path);
	begin_ok(j);
	for (int i = 0; i < 10000; i++) {
		v = counter_ok(j, "acme", "isa13", 1, 9999);
		ck_assert_int_ne(v, prev);
		ck_assert_int_eq(v, i % 9999 + 1); /* 1..9999, then 1 */
		prev = v;
	}
	commit_ok(j);
	journal_close(j);

	j = open_ok(path);
	ck_assert_int_eq(counter_ok(j, "acme", "isa13", 1, 9999), 2);
	journal_close(j);
}
END_TEST

START_TEST(test_counter_rolls_back_with_its_transaction)
{
	char path[512];
	struct journal *j;
	struct edi_error err = {0};

	db_path(path, sizeof(path), "counterrb");
	j = open_ok(path);
	ck_assert_int_eq(counter_ok(j, "acme", "isa13", 1, 999999999), 1);
	begin_ok(j);
	ck_assert_int_eq(counter_ok(j, "acme", "isa13", 1, 999999999), 2);
	ck_assert_int_eq(journal_rollback(j, &err), EDI_OK);
	ck_assert_int_eq(counter_ok(j, "acme", "isa13", 1, 999999999), 2);
	journal_close(j);
}
END_TEST

START_TEST(test_counter_refuses_an_empty_range)
{
	char path[512];
	struct journal *j;
	struct edi_error err = {0};
	int64_t v;

	db_path(path, sizeof(path), "counterrange");
	j = open_ok(path);
	ck_assert_int_eq(
		journal_counter_next(j, "acme", "st02", 5, 5, &v, &err),
		EDI_EUSAGE);
	ck_assert_int_eq(journal_counter_next(j, "acme", "", 1, 5, &v, &err),
			 EDI_EUSAGE);
	journal_close(j);
}
END_TEST

/* --- trace and status --- */

/*
 * E1 (acme): an 850 with PO-1001 in interchange 000000123, delivered.
 * E2 (globex): another document, never to show up in E1's trace.
 * E3 (acme): a broken envelope, known only by its interchange.
 */
static struct journal *trace_journal(const char *path)
{
	struct journal *j = open_ok(path);
	struct edi_error err = {0};

	begin_ok(j);
	put_file(j, "E1", "acme", "archive", 100);
	put_file(j, "E2", "globex", "archive", 100);
	put_file(j, "E3", "acme", "error", 100);
	/* Recorded out of time order on purpose. */
	event_ok(j, "E1", NULL, "archived", 104);
	event_ok(j, "E1", NULL, "received", 100);
	event_ok(j, "E2", NULL, "received", 100);
	put_set(j, "acme.000000123.1.0001", "E1", "acme", "acme:order:PO-1001",
		"000000123", JOURNAL_SET_ACCEPTED, 101);
	put_set(j, "globex.000000456.1.0001", "E2", "globex",
		"globex:order:PO-2002", "000000456", JOURNAL_SET_ACCEPTED, 101);
	event_ok(j, "E1", "acme.000000123.1.0001", "accepted", 101);
	event_ok(j, "E1", "acme.000000123.1.0001", "mapped", 101);
	ck_assert_int_eq(journal_deliver(j, "acme.000000123.1.0001", "erp",
					 "b1", 102, &err),
			 EDI_OK);
	ck_assert_int_eq(journal_interchange_add(j, "ZZ:ACME", "ZZ:US",
						 "000000123", "E1", 100, &err),
			 EDI_OK);
	ck_assert_int_eq(journal_interchange_add(j, "ZZ:ACME", "ZZ:US",
						 "000000789", "E3", 100, &err),
			 EDI_OK);
	event_ok(j, "E3", NULL, "received", 100);
	event_ok(j, "E3", NULL, "rejected", 100);
	commit_ok(j);
	return j;
}

#define E1_TRACE                                                       \
	"E1||100|received|\n"                                          \
	"E1|acme.000000123.1.0001|101|accepted|\n"                     \
	"E1|acme.000000123.1.0001|101|mapped|\n"                       \
	"E1|acme.000000123.1.0001|102|delivered|output=erp batch=b1\n" \
	"E1||104|archived|\n"
#define E3_TRACE "E3||100|received|\nE3||100|rejected|\n"

static const struct {
	const char *key;
	const char *want;
} trace_cases[] = {
	{"E1", E1_TRACE},		     /* entry id */
	{"acme.000000123.1.0001", E1_TRACE}, /* set id */
	{"acme:order:PO-1001", E1_TRACE},    /* doc_key */
	{"PO-1001", E1_TRACE},		     /* its business part */
	{"000000123", E1_TRACE},	     /* ISA13 */
	{"123", E1_TRACE},		     /* ISA13, unpadded */
	{"789", E3_TRACE},		     /* ISA13 of a broken file */
	{"E3", E3_TRACE},
};

START_TEST(test_trace_by_each_kind_of_key)
{
	char path[512], name[32];
	struct journal *j;
	struct trace_log log = {0};
	struct edi_error err = {0};

	snprintf(name, sizeof(name), "trace%d", _i);
	db_path(path, sizeof(path), name);
	j = trace_journal(path);
	ck_assert_msg(journal_trace(j, trace_cases[_i].key, log_event, &log,
				    &err) == EDI_OK,
		      "%s: %s", trace_cases[_i].key, err.msg);
	ck_assert_str_eq(log.text, trace_cases[_i].want);
	journal_close(j);
}
END_TEST

START_TEST(test_trace_unknown_key_is_enoent)
{
	char path[512];
	struct journal *j;
	struct trace_log log = {0};
	struct edi_error err = {0};

	db_path(path, sizeof(path), "trace404");
	j = trace_journal(path);
	ck_assert_int_eq(journal_trace(j, "PO-9999", log_event, &log, &err),
			 EDI_ENOENT);
	ck_assert_str_eq(err.msg, "nothing in the journal matches 'PO-9999'");
	ck_assert_int_eq(log.n, 0);
	journal_close(j);
}
END_TEST

START_TEST(test_trace_stops_when_the_callback_says_so)
{
	char path[512];
	struct journal *j;
	struct trace_log log = {.stop_after = 2};
	struct edi_error err = {0};

	db_path(path, sizeof(path), "tracestop");
	j = trace_journal(path);
	ck_assert_int_eq(journal_trace(j, "E1", log_event, &log, &err),
			 EDI_EUSAGE);
	ck_assert_str_eq(err.msg, "enough");
	ck_assert_int_eq(log.n, 2);
	/* The statement was reset: the next trace works. */
	memset(&log, 0, sizeof(log));
	ck_assert_int_eq(journal_trace(j, "E3", log_event, &log, &err), EDI_OK);
	ck_assert_str_eq(log.text, E3_TRACE);
	journal_close(j);
}
END_TEST

static enum edi_code log_count(void *ctx, const struct journal_count *c,
			       struct edi_error *err)
{
	struct trace_log *log = ctx;
	size_t len = strlen(log->text);

	(void)err;
	snprintf(log->text + len, sizeof(log->text) - len, "%s|%s|%s|%lld\n",
		 c->kind == JOURNAL_COUNT_FILES ? "files" : "sets", c->partner,
		 c->state, (long long)c->n);
	log->n++;
	return EDI_OK;
}

START_TEST(test_status_counts_per_state_and_partner)
{
	char path[512];
	struct journal *j;
	struct trace_log log = {0};
	struct edi_error err = {0};

	db_path(path, sizeof(path), "status");
	j = open_ok(path);
	ck_assert_int_eq(journal_status(j, log_count, &log, &err), EDI_OK);
	ck_assert_int_eq(log.n, 0);
	begin_ok(j);
	put_file(j, "E1", "acme", "in", 1);
	put_file(j, "E2", "acme", "in", 1);
	put_file(j, "E3", "acme", "error", 1);
	put_file(j, "E4", "globex", "archive", 1);
	put_file(j, "E5", "", "in", 1);
	put_set(j, "S1", "E3", "acme", "acme:order:1", "000000001",
		JOURNAL_SET_ACCEPTED, 1);
	put_set(j, "S2", "E3", "acme", "acme:order:2", "000000001",
		JOURNAL_SET_ACCEPTED, 1);
	put_set(j, "S3", "E4", "globex", "globex:invoice:9", "000000002",
		JOURNAL_SET_REJECTED, 1);
	ck_assert_int_eq(journal_deliver(j, "S2", "erp", NULL, 2, &err),
			 EDI_OK);
	commit_ok(j);
	ck_assert_int_eq(journal_status(j, log_count, &log, &err), EDI_OK);
	ck_assert_str_eq(log.text, "files||in|1\n"
				   "files|acme|error|1\n"
				   "files|acme|in|2\n"
				   "files|globex|archive|1\n"
				   "sets|acme|accepted|1\n"
				   "sets|acme|delivered|1\n"
				   "sets|globex|rejected|1\n");
	journal_close(j);
}
END_TEST

/* Not a timed assertion: 10,000 files with a set and an event each, in
 * one transaction, simply have to work. */
START_TEST(test_many_records_in_one_transaction)
{
	char path[512], id[32], set_id[48], key[48], isa13[16];
	struct journal *j;
	struct trace_log log = {0};
	struct edi_error err = {0};

	db_path(path, sizeof(path), "many");
	j = open_ok(path);
	begin_ok(j);
	for (int i = 0; i < 10000; i++) {
		snprintf(id, sizeof(id), "E%05d", i);
		snprintf(set_id, sizeof(set_id), "acme.%09d.1.0001", i);
		snprintf(key, sizeof(key), "acme:order:PO-%d", i);
		snprintf(isa13, sizeof(isa13), "%09d", i);
		put_file(j, id, "acme", "archive", i);
		put_set(j, set_id, id, "acme", key, isa13, JOURNAL_SET_ACCEPTED,
			i);
		event_ok(j, id, set_id, "accepted", i);
	}
	commit_ok(j);
	ck_assert_int_eq(journal_status(j, log_count, &log, &err), EDI_OK);
	ck_assert_str_eq(log.text, "files|acme|archive|10000\n"
				   "sets|acme|accepted|10000\n");
	journal_close(j);
}
END_TEST

Suite *journal_suite(void)
{
	Suite *s = suite_create("journal");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, tmp_setup, tmp_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_open_creates_schema);
	tcase_add_test(tc, test_open_refuses_newer_schema);
	tcase_add_test(tc, test_open_fails_in_missing_directory);
	tcase_add_test(tc, test_open_refuses_a_non_database);
	tcase_add_test(tc, test_file_put_get_roundtrip);
	tcase_add_test(tc, test_file_get_absent_is_enoent);
	tcase_add_test(tc, test_file_put_updates_and_keeps_received_at);
	tcase_add_test(tc, test_file_put_refuses_bad_fields);
	tcase_add_test(tc, test_set_put_get_roundtrip);
	tcase_add_test(tc, test_set_put_unknown_entry_is_enoent);
	tcase_add_test(tc, test_set_put_refuses_delivered_status);
	tcase_add_test(tc, test_event_unknown_entry_is_enoent);
	tcase_add_test(tc, test_deliver_once);
	tcase_add_test(tc, test_deliver_survives_reopen_and_replay);
	tcase_add_test(tc, test_deliver_unknown_set_is_enoent);
	tcase_add_test(tc, test_deliver_refusal_keeps_the_transaction);
	tcase_add_test(tc, test_rollback_discards);
	tcase_add_test(tc, test_close_without_commit_discards);
	tcase_add_test(tc,
		       test_sigkill_before_commit_leaves_nothing_half_written);
	tcase_add_test(tc, test_transaction_misuse);
	tcase_add_test(tc, test_busy_is_temporary);
	tcase_add_test(tc, test_interchange_duplicate_within_window);
	tcase_add_test(tc, test_interchange_add_replaces_an_old_one);
	tcase_add_test(tc, test_batches_written_for_recovery);
	tcase_add_test(tc, test_counter_sequence_and_wrap);
	tcase_add_test(tc, test_counter_unique_over_10000_calls_and_reopen);
	tcase_add_test(tc, test_counter_rolls_back_with_its_transaction);
	tcase_add_test(tc, test_counter_refuses_an_empty_range);
	tcase_add_loop_test(
		tc, test_trace_by_each_kind_of_key, 0,
		(int)(sizeof(trace_cases) / sizeof(trace_cases[0])));
	tcase_add_test(tc, test_trace_unknown_key_is_enoent);
	tcase_add_test(tc, test_trace_stops_when_the_callback_says_so);
	tcase_add_test(tc, test_status_counts_per_state_and_partner);
	tcase_add_test(tc, test_many_records_in_one_transaction);
	suite_add_tcase(s, tc);
	return s;
}
