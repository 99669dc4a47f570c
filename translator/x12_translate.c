/*
 * x12_translate - the translation driver; see x12_translate.h.
 */
#include "x12_translate.h"

#include <string.h>

#include <openssl/evp.h>

#include "map_guide.h"
#include "x12_set.h"

/* Document arena block: most sets fit in one. */
#define SET_ARENA_BLOCK (256u << 10)

struct run {
	struct x12_reader *r;
	struct edi_diag *diag;
	const struct x12_translate_opts *opts;
	const struct x12_translate_hooks *hooks;
	struct buf *(*json_out)(void *ctx); /* or NULL */
	struct x12_translate_stats *stats;
	struct x12_envelope env;
	struct arena arena;
	struct edi_diag set_diag;
	size_t set_first_item; /* diag->n when the set began */
	/* SHA-256 of each set (source.sha256): fetched once per run;
	 * NULL when OpenSSL could not (map_exec then digests one-shot) */
	EVP_MD_CTX *sha256_ctx;
	EVP_MD *sha256;
};

static void reject(struct run *x, const struct map *m, const char *partner,
		   const char *stage)
{
	struct x12_set_result res = {.env = &x->env,
				     .map = m,
				     .partner = partner,
				     .errors = &x->set_diag,
				     .stage = stage};

	x->stats->rejected++;
	if (x->hooks->on_set_rejected)
		x->hooks->on_set_rejected(x->hooks->ctx, &res);
}

/* The envelope errors raised while the set was open, for its reasons. */
static void copy_envelope_errors(struct run *x)
{
	for (size_t i = x->set_first_item; i < x->diag->n; i++)
		edi_diag_add(&x->set_diag, &x->diag->items[i]);
	if (!x->set_diag.nerrors) /* all were past the limit */
		edi_diag_addf(&x->set_diag, X12_SEGMENTS_IN_ERROR, NULL,
			      "the set has envelope errors (see the file's "
			      "errors)");
}

/* The location of a set's ST, for errors about the whole set. */
static struct edi_loc st_loc(const struct x12_set_info *si)
{
	struct edi_loc loc = edi_loc_none();

	loc.segment = si->segment;
	loc.offset = si->offset;
	loc.set_position = 1;
	memcpy(loc.tag, "ST", 3);
	return loc;
}

static void translate_set(struct run *x)
{
	const struct x12_set_info *si = &x->env.done_set;
	struct map_rule_opts rules = {0};
	struct x12_veto veto;
	const struct map *m = NULL;
	const char *partner = NULL;
	struct x12_set set;
	struct strview span;
	size_t offset;
	struct edi_error err;
	struct map_source src;
	struct x12_set_result res;
	struct rec_value *rec = NULL;
	struct buf *json = NULL;
	struct edi_loc loc;
	const struct x12_span_seg *segs;
	size_t nsegs, nels;
	struct strview *els;

	x->stats->sets++;
	edi_diag_reset(&x->set_diag);
	arena_reset(&x->arena);
	if (!si->closed || si->nerrors) {
		copy_envelope_errors(x);
		reject(x, NULL, NULL, "envelope");
		return;
	}
	if (x12_reader_marked(x->r, &span, &offset) != EDI_OK) {
		loc = st_loc(si);
		loc.set_position = 0;
		edi_diag_addf(&x->set_diag, X12_SET_TOO_LARGE, &loc,
			      "transaction set %s '%s' is larger than the "
			      "limit of %zu bytes",
			      si->id, si->control, x->opts->limits->max_set);
		reject(x, NULL, NULL, "envelope");
		return;
	}
	memset(&veto, 0, sizeof(veto));
	if (x->hooks->select_map)
		m = x->hooks->select_map(
			x->hooks->ctx, &x->env, sv_cstr(si->id),
			sv_cstr(x->env.group.version), &partner, &rules, &veto);
	if (veto.skip) {
		x->stats->skipped++;
		return;
	}
	if (veto.stage) {
		loc = st_loc(si);
		edi_diag_addf(&x->set_diag, veto.code, &loc, "%s", veto.msg);
		reject(x, NULL, partner, veto.stage);
		return;
	}
	if (!m && x->opts->validate_only) {
		loc = st_loc(si);
		edi_diag_addf(&x->set_diag, X12_NOT_CHECKED, &loc,
			      "no map for transaction set %s version %s: only "
			      "its envelope was checked",
			      si->id, x->env.group.version);
		goto passed;
	}
	if (!m) {
		loc = st_loc(si);
		edi_diag_addf(&x->set_diag, X12_NO_MAP, &loc,
			      "no map for transaction set %s version %s%s%s",
			      si->id, x->env.group.version,
			      partner ? " of partner " : "",
			      partner ? partner : "");
		reject(x, NULL, partner, "map");
		return;
	}
	segs = x12_reader_marked_segs(x->r, &nsegs);
	els = x12_reader_marked_els(x->r, &nels);
	if (segs && nsegs) {
		x12_set_from_segs(&set, &x->arena, span, &x->r->delims, offset,
				  segs, nsegs, els, nels, x->opts->limits,
				  &x->set_diag);
	} else if (x12_set_split(&set, &x->arena, span, &x->r->delims, offset,
				 si->segment, x->opts->limits, &x->set_diag,
				 &err) != EDI_OK) {
		edi_diag_addf(&x->set_diag, err.code, NULL, "%s", err.msg);
		reject(x, m, partner, "envelope");
		return;
	}
	map_guide_apply(m, &set, &x->set_diag);
	map_rules_check(m, &set, &rules, &x->set_diag);
	if (x->set_diag.nerrors) {
		reject(x, m, partner, "validate");
		return;
	}
	if (x->opts->validate_only)
		goto passed;
	memset(&src, 0, sizeof(src));
	src.partner = partner;
	src.correlation_id = x->opts->correlation_id;
	src.file = x->opts->file;
	src.version = x->env.group.version;
	src.sender_qual = x->env.isa.sender_qual;
	src.sender = x->env.isa.sender;
	src.receiver_qual = x->env.isa.receiver_qual;
	src.receiver = x->env.isa.receiver;
	src.interchange = x->env.isa.control;
	src.group = x->env.group.control;
	src.sha256_ctx = x->sha256_ctx;
	src.sha256 = x->sha256;
	if (x->json_out && (json = x->json_out(x->hooks->ctx)) &&
	    !map_exec_json_ready(m, json))
		json = NULL;
	if (json) /* a record that fails is an empty line, as in rec_json */
		(void)map_exec_json(m, &set, &src, &x->arena, &x->set_diag,
				    json);
	else
		rec = map_exec(m, &set, &src, &x->arena, &x->set_diag);
	if (x->set_diag.nerrors) {
		reject(x, m, partner, "map");
		return;
	}
passed:
	x->stats->accepted++;
	memset(&res, 0, sizeof(res));
	res.env = &x->env;
	res.map = m;
	res.partner = partner;
	res.record = rec;
	res.json = json != NULL;
	res.errors = &x->set_diag; /* warnings */
	if (x->hooks->on_record)
		x->hooks->on_record(x->hooks->ctx, &res);
}

static void on_events(struct run *x, unsigned ev)
{
	const struct x12_translate_hooks *h = x->hooks;

	/* closing events first: one segment may end a set and begin one */
	if (ev & X12_EV_SET_END) {
		translate_set(x);
		x12_reader_unmark(x->r);
	}
	if ((ev & X12_EV_GROUP_END) && h->on_group_end)
		h->on_group_end(h->ctx, &x->env, x->env.done_group.accepted);
	if ((ev & X12_EV_ISA_END) && h->on_interchange_end)
		h->on_interchange_end(h->ctx, &x->env,
				      x->env.done_isa.accepted);
	if (ev & X12_EV_SET_BEGIN) {
		x12_reader_mark(x->r);
		x->set_first_item = x->diag->n;
	}
}

enum edi_code x12_translate_run(struct x12_reader *r, struct edi_diag *diag,
				const struct x12_translate_opts *opts,
				const struct x12_translate_hooks *hooks,
				struct x12_translate_stats *stats,
				struct edi_error *err)
{
	return x12_translate_run_json(r, diag, opts, hooks, NULL, stats, err);
}

enum edi_code x12_translate_run_json(struct x12_reader *r,
				     struct edi_diag *diag,
				     const struct x12_translate_opts *opts,
				     const struct x12_translate_hooks *hooks,
				     struct buf *(*json_out)(void *ctx),
				     struct x12_translate_stats *stats,
				     struct edi_error *err)
{
	struct run x;
	struct x12_segment seg;
	enum x12_next next;
	enum edi_code rc = EDI_OK;

	memset(&x, 0, sizeof(x));
	memset(stats, 0, sizeof(*stats));
	x.r = r;
	x.diag = diag;
	x.opts = opts;
	x.hooks = hooks;
	x.json_out = json_out;
	x.stats = stats;
	x12_envelope_init(&x.env, opts->limits, diag);
	arena_init(&x.arena, SET_ARENA_BLOCK);
	edi_diag_init(&x.set_diag, opts->limits->max_errors);
	if (!opts->validate_only) {
		x.sha256_ctx = EVP_MD_CTX_new();
		x.sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	}
	for (;;) {
		unsigned ev;

		/* most segments are only counted: those scanned ahead need
		 * not be handed out one by one */
		if (x12_envelope_in_set(&x.env))
			x12_envelope_count(&x.env, x12_reader_skip_plain(r));
		next = x12_reader_next(r, &seg, err);
		if (next != X12_NEXT_SEGMENT)
			break;
		ev = x12_envelope_feed(&x.env, &seg);
		if (ev) /* most segments cause none */
			on_events(&x, ev);
	}
	if (next == X12_NEXT_ERROR)
		rc = err->code;
	else
		on_events(&x,
			  x12_envelope_finish(&x.env, x12_reader_offset(r)));
	stats->envelope = x.env.sum;
	edi_diag_release(&x.set_diag);
	arena_release(&x.arena);
	EVP_MD_free(x.sha256);
	EVP_MD_CTX_free(x.sha256_ctx);
	x12_envelope_release(&x.env);
	return rc;
}
