/*
 * fuzz_translate - libFuzzer target for the whole X12 translation: the
 * reader, the envelope, guide placement and element checks, the rules,
 * the compiled map plans and the JSON and CSV writers, with the shipped
 * maps (maps/x12, loaded once).  fuzz_x12 covers the reader alone; the
 * fast paths of the later stages (SSE2 scans, check tables, plans, the
 * member-name table) see attacker bytes only through this one.
 *
 * Each input is translated twice, from memory and through a source that
 * hands out odd-sized chunks, and the two runs must give the same records
 * and the same verdicts; every JSON line must parse (jansson).  A
 * difference or a bad line aborts, as ASan and UBSan do on a fault.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <jansson.h>

#include "buf.h"
#include "fileio.h"
#include "map.h"
#include "map_load.h"
#include "rec_csv.h"
#include "rec_json.h"
#include "x12_translate.h"

#ifndef FUZZ_MAPS_DIR
#define FUZZ_MAPS_DIR "maps/x12"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct map_set maps;
static struct rec_json_names *names;

struct src {
	const uint8_t *p;
	size_t len, pos, max_read;
};

static ssize_t src_read(void *ctx, char *dst, size_t n)
{
	struct src *s = ctx;
	size_t k = s->len - s->pos;

	if (k > n)
		k = n;
	if (k > s->max_read)
		k = s->max_read;
	memcpy(dst, s->p + s->pos, k);
	s->pos += k;
	return (ssize_t)k;
}

static void load_maps(void)
{
	struct edi_diag errors;
	struct dirent *e;
	DIR *d = opendir(FUZZ_MAPS_DIR);

	if (!d) {
		fprintf(stderr, "fuzz_translate: no maps in '%s'\n",
			FUZZ_MAPS_DIR);
		abort();
	}
	map_set_init(&maps);
	edi_diag_init(&errors, 100);
	while ((e = readdir(d)) != NULL) {
		char path[FILEIO_PATH_MAX];
		size_t n = strlen(e->d_name);
		struct buf text;

		if (n < 6 || strcmp(e->d_name + n - 5, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", FUZZ_MAPS_DIR, e->d_name);
		buf_init(&text, 1 << 22);
		if (fileio_read_all(path, 1 << 22, &text, NULL) == EDI_OK)
			map_load_text(&maps, path, buf_view(&text), &errors);
		buf_release(&text);
	}
	closedir(d);
	if (map_set_resolve(&maps, &errors) != EDI_OK) {
		fprintf(stderr,
			"fuzz_translate: the shipped maps do not load\n");
		abort();
	}
	edi_diag_release(&errors);
	names = rec_json_names_new();
}

static const struct map *select_map(void *ctx, const struct x12_envelope *env,
				    struct strview document,
				    struct strview version,
				    const char **partner,
				    struct map_rule_opts *rules,
				    struct x12_veto *veto)
{
	(void)ctx;
	(void)env;
	(void)partner;
	(void)rules;
	(void)veto;
	return map_set_select(&maps, document, version);
}

static void on_record(void *ctx, const struct x12_set_result *r)
{
	struct buf *out = ctx;
	size_t start = out->len;
	json_error_t jerr;
	json_t *j;

	if (rec_json_write_names(out, r->record, names) != EDI_OK)
		return;
	j = json_loadb(out->ptr + start, out->len - start, 0, &jerr);
	if (!j) {
		fprintf(stderr, "not JSON (%s): %s\n", jerr.text,
			out->ptr + start);
		abort();
	}
	json_decref(j);
	buf_addc(out, '\n');
	rec_csv_write(out, r->record);
}

static void on_set_rejected(void *ctx, const struct x12_set_result *r)
{
	buf_addf(ctx, "rejected %s %zu errors\n", r->stage ? r->stage : "-",
		 r->errors ? r->errors->n : 0);
}

static void on_group_end(void *ctx, const struct x12_envelope *env,
			 bool accepted)
{
	(void)env;
	buf_addf(ctx, "group %d\n", accepted);
}

static void on_interchange_end(void *ctx, const struct x12_envelope *env,
			       bool accepted)
{
	(void)env;
	buf_addf(ctx, "interchange %d\n", accepted);
}

static void run(struct x12_reader *r, struct edi_diag *d,
		const struct x12_limits *limits, struct buf *out)
{
	struct x12_translate_hooks hooks = {out,	  select_map,
					    on_record,	  on_set_rejected,
					    on_group_end, on_interchange_end};
	struct x12_translate_opts opts = {limits, "fuzz", NULL, false};
	struct x12_translate_stats stats;
	struct edi_error err;

	if (x12_translate_run(r, d, &opts, &hooks, &stats, &err) != EDI_OK)
		buf_addf(out, "failed %d\n", err.code);
	buf_addf(out, "sets %zu %zu %zu %zu diag %zu\n", stats.sets,
		 stats.accepted, stats.rejected, stats.skipped, d->n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct x12_limits limits;
	struct x12_reader r;
	struct edi_diag d1, d2;
	struct buf a, b;
	struct src s = {data, size, 0, 1 + size % 61};
	bool ebcdic;

	if (!names)
		load_maps();
	x12_limits_default(&limits);
	limits.max_segment = 4096;
	limits.max_set = 1 << 16;
	limits.chunk = 16;
	buf_init(&a, SIZE_MAX / 2);
	buf_init(&b, SIZE_MAX / 2);

	edi_diag_init(&d1, 50);
	x12_reader_init_mem(&r, (struct strview){(const char *)data, size},
			    &limits, &d1);
	run(&r, &d1, &limits, &a);
	x12_reader_release(&r);

	edi_diag_init(&d2, 50);
	x12_reader_init_src(&r, (struct x12_source){src_read, &s}, &limits,
			    &d2);
	run(&r, &d2, &limits, &b);
	ebcdic = r.ebcdic; /* memory mode does not transcode */
	x12_reader_release(&r);

	if (!ebcdic && !sv_eq(buf_view(&a), buf_view(&b))) {
		fprintf(stderr, "memory:\n%s\nchunked:\n%s\n", buf_cstr(&a),
			buf_cstr(&b));
		abort();
	}
	edi_diag_release(&d1);
	edi_diag_release(&d2);
	buf_release(&a);
	buf_release(&b);
	return 0;
}
