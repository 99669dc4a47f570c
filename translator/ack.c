/*
 * ack - 997, 999 and TA1; see ack.h.
 */
#include "ack.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strview.h"
#include "xalloc.h"

void ack_collector_init(struct ack_collector *c)
{
	memset(c, 0, sizeof(*c));
}

static void group_release(struct ack_group *g)
{
	for (size_t i = 0; i < g->nsets; i++)
		free(g->sets[i].segments);
	free(g->sets);
}

void ack_collector_release(struct ack_collector *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t k = 0; k < c->items[i].ngroups; k++)
			group_release(&c->items[i].groups[k]);
		free(c->items[i].groups);
	}
	free(c->items);
	memset(c, 0, sizeof(*c));
}

static struct ack_interchange *current_ic(struct ack_collector *c,
					  const struct x12_isa_info *isa)
{
	struct ack_interchange *ic;

	if (c->in_interchange)
		return &c->items[c->n - 1];
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 4;
		c->items = xreallocarray(c->items, c->cap, sizeof(*c->items));
	}
	ic = &c->items[c->n++];
	memset(ic, 0, sizeof(*ic));
	ic->isa = *isa;
	ic->accepted = true;
	if (c->delims)
		ic->delims = *c->delims;
	c->in_interchange = true;
	return ic;
}

static struct ack_group *current_group(struct ack_collector *c,
				       struct ack_interchange *ic,
				       const struct x12_group_info *gi)
{
	struct ack_group *g;

	if (c->in_group && ic->ngroups)
		return &ic->groups[ic->ngroups - 1];
	if (ic->ngroups == ic->cap) {
		ic->cap = ic->cap ? 2 * ic->cap : 4;
		ic->groups =
			xreallocarray(ic->groups, ic->cap, sizeof(*ic->groups));
	}
	g = &ic->groups[ic->ngroups++];
	memset(g, 0, sizeof(*g));
	str_copy(g->code, sizeof(g->code), gi->code);
	str_copy(g->control, sizeof(g->control), gi->control);
	str_copy(g->version, sizeof(g->version), gi->version);
	str_copy(g->sender, sizeof(g->sender), gi->sender);
	str_copy(g->receiver, sizeof(g->receiver), gi->receiver);
	g->declared = -1;
	g->envelope_ok = true;
	c->in_group = true;
	return g;
}

static void add_code(int *codes, size_t *n, int code)
{
	if (code <= 0)
		return;
	for (size_t i = 0; i < *n; i++)
		if (codes[i] == code)
			return;
	if (*n < ACK_MAX_CODES)
		codes[(*n)++] = code;
}

static struct ack_segment_error *segment_error(struct ack_set *s,
					       const struct edi_error *e)
{
	struct ack_segment_error *se;

	for (size_t i = 0; i < s->nsegments; i++)
		if (s->segments[i].position == e->loc.set_position)
			return &s->segments[i];
	if (s->nsegments == ACK_MAX_SEG_ERRORS)
		return NULL;
	s->segments = xreallocarray(s->segments, s->nsegments + 1,
				    sizeof(*s->segments));
	se = &s->segments[s->nsegments++];
	memset(se, 0, sizeof(*se));
	str_copy(se->tag, sizeof(se->tag), e->loc.tag);
	se->position = e->loc.set_position;
	return se;
}

/* One error of a rejected set into its AK5 codes, AK3s and AK4s. */
static void set_error(struct ack_interchange *ic, struct ack_set *s,
		      const struct edi_error *e)
{
	struct ack_segment_error *se;
	int code = edi_code_ack(e->code);

	if (edi_code_severity(e->code) != EDI_SEV_ERROR)
		return;
	switch (edi_code_level(e->code)) {
	case EDI_LEVEL_TA1: /* e.g. a duplicate interchange */
		ic->accepted = false;
		if (!ic->ta1_code && code > 0)
			ic->ta1_code = code;
		return;
	case EDI_LEVEL_AK5:
		add_code(s->codes, &s->ncodes, code);
		return;
	case EDI_LEVEL_AK3:
		if (!e->loc.set_position || !e->loc.tag[0])
			break;
		se = segment_error(s, e);
		if (se && !se->code) {
			se->code = code;
			se->why = e->code;
		}
		return;
	case EDI_LEVEL_AK4:
		if (!e->loc.set_position || !e->loc.tag[0] || !e->loc.element)
			break;
		se = segment_error(s, e);
		if (se && se->nelements < ACK_MAX_EL_ERRORS) {
			struct ack_element_error *ee =
				&se->elements[se->nelements++];
			ee->element = e->loc.element;
			ee->component = e->loc.component;
			ee->code = code;
			ee->why = e->code;
		}
		return;
	case EDI_LEVEL_NONE:
	case EDI_LEVEL_FILE:
	case EDI_LEVEL_AK9:
		break;
	}
}

void ack_on_set(struct ack_collector *c, const struct x12_set_result *r,
		bool accepted)
{
	const struct x12_envelope *env = r->env;
	struct ack_interchange *ic = current_ic(c, &env->isa);
	struct ack_group *g = current_group(c, ic, &env->group);
	struct ack_set *s;

	if (g->nsets == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 8;
		g->sets = xreallocarray(g->sets, g->cap, sizeof(*g->sets));
	}
	s = &g->sets[g->nsets++];
	memset(s, 0, sizeof(*s));
	str_copy(s->id, sizeof(s->id), env->done_set.id);
	str_copy(s->control, sizeof(s->control), env->done_set.control);
	s->accepted = accepted;
	if (accepted || !r->errors)
		return;
	for (size_t i = 0; i < r->errors->n; i++)
		set_error(ic, s, &r->errors->items[i]);
	/* the set's envelope errors (ST01, ST02, SE01...) from the file's */
	for (size_t i = 0; c->file_diag && i < c->file_diag->n; i++) {
		const struct edi_error *e = &c->file_diag->items[i];
		if (edi_code_level(e->code) == EDI_LEVEL_AK5 &&
		    e->loc.segment >= env->done_set.segment &&
		    e->loc.segment <
			    env->done_set.segment + env->done_set.nsegments)
			set_error(ic, s, e);
	}
	/* "one or more segments in error" stands in when nothing more
	 * precise is known (a partner rule, envelope errors past the
	 * limit); with a precise code and no AK3 it only adds noise */
	if (s->ncodes > 1 && !s->nsegments) {
		size_t k = 0;
		for (size_t i = 0; i < s->ncodes; i++)
			if (s->codes[i] != 5)
				s->codes[k++] = s->codes[i];
		s->ncodes = k;
	}
	if (!s->ncodes)
		add_code(s->codes, &s->ncodes, 5);
}

/* Error codes of level in diag items [*from, n) into codes. */
static void scan(const struct edi_diag *d, size_t *from, enum edi_level level,
		 int *codes, size_t *n)
{
	for (size_t i = *from; d && i < d->n; i++)
		if (edi_code_level(d->items[i].code) == level &&
		    edi_code_severity(d->items[i].code) == EDI_SEV_ERROR)
			add_code(codes, n, edi_code_ack(d->items[i].code));
	*from = d ? d->n : 0;
}

void ack_on_group_end(struct ack_collector *c, const struct x12_envelope *env,
		      const struct edi_diag *file_diag)
{
	struct ack_interchange *ic = current_ic(c, &env->isa);
	struct ack_group *g = current_group(c, ic, &env->done_group);

	g->declared = env->done_group.ge01;
	g->received = env->done_group.nsets;
	g->envelope_ok = env->done_group.accepted;
	scan(file_diag, &c->diag_ak9, EDI_LEVEL_AK9, g->codes, &g->ncodes);
	if (!g->envelope_ok && !g->ncodes)
		add_code(g->codes, &g->ncodes, 3); /* GE missing: the usual
						    * cause without a code */
	c->in_group = false;
}

void ack_on_interchange_end(struct ack_collector *c,
			    const struct x12_envelope *env,
			    const struct edi_diag *file_diag)
{
	struct ack_interchange *ic = current_ic(c, &env->done_isa);
	int codes[ACK_MAX_CODES];
	size_t n = 0;

	/* the closing values (IEA seen) */
	ic->isa = env->done_isa;
	scan(file_diag, &c->diag_ta1, EDI_LEVEL_TA1, codes, &n);
	if (!env->done_isa.accepted)
		ic->accepted = false;
	if (!ic->ta1_code && n)
		ic->ta1_code = codes[0];
	if (!ic->accepted && !ic->ta1_code)
		ic->ta1_code = 24; /* invalid interchange content */
	c->in_group = false;
	c->in_interchange = false;
}

/* --- writing --- */

static bool wants_ta1(const struct ack_interchange *ic,
		      const struct ack_opts *o)
{
	switch (o->ta1) {
	case ACK_TA1_ALWAYS:
		return true;
	case ACK_TA1_NEVER:
		return false;
	case ACK_TA1_AUTO:
		break;
	}
	return ic->isa.ack_requested == '1' || !ic->accepted;
}

/* Is this group one we answer: not a group of acknowledgments. */
static bool answered(const struct ack_group *g)
{
	return strcmp(g->code, "FA") != 0;
}

bool ack_needed(const struct ack_interchange *ic, const struct ack_opts *o,
		size_t *ngroups)
{
	size_t n = 0;

	for (size_t i = 0; ic->accepted && i < ic->ngroups; i++)
		if (answered(&ic->groups[i]))
			n++;
	if (ngroups)
		*ngroups = n;
	return n || wants_ta1(ic, o);
}

static size_t accepted_sets(const struct ack_group *g)
{
	size_t n = 0;

	for (size_t i = 0; i < g->nsets; i++)
		n += g->sets[i].accepted;
	return n;
}

static void write_codes(struct x12_writer *w, const int *codes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char s[8];
		snprintf(s, sizeof(s), "%d", codes[i]);
		x12_elem_cstr(w, s);
	}
}

/* 005010 and later versions of the 997 have AK403 12 and 13; earlier
 * ones stop at 10: "too many data elements" is the nearest meaning */
static int ak403(int code, bool v5)
{
	if (!v5 && code > 10)
		return 3;
	return code;
}

static void write_ctx(struct x12_writer *w, const struct ack_segment_error *s,
		      const struct ack_element_error *e)
{
	if (e->why != X12_EL_CONDITIONAL && e->why != X12_EL_EXCLUSION)
		return;
	x12_seg_begin(w, "CTX");
	x12_elem_cstr(w, "SITUATIONAL TRIGGER");
	x12_elem_cstr(w, s->tag);
	x12_elem_u64(w, s->position);
	x12_elem_cstr(w, "");
	x12_elem_u64(w, e->element);
	x12_seg_end(w, NULL);
}

static void write_set(struct x12_writer *w, const struct ack_set *s,
		      const struct ack_opts *o, bool v5)
{
	bool is999 = o->kind == ACK_999;

	x12_seg_begin(w, "AK2");
	x12_elem_cstr(w, s->id);
	x12_elem_cstr(w, s->control);
	x12_seg_end(w, NULL);
	for (size_t i = 0; !s->accepted && i < s->nsegments; i++) {
		const struct ack_segment_error *se = &s->segments[i];
		char code[8];

		snprintf(code, sizeof(code), "%d", se->code ? se->code : 8);
		x12_seg_begin(w, is999 ? "IK3" : "AK3");
		x12_elem_cstr(w, se->tag);
		x12_elem_u64(w, se->position);
		x12_elem_cstr(w, "");
		x12_elem_cstr(w, code);
		x12_seg_end(w, NULL);
		for (size_t k = 0; k < se->nelements; k++) {
			const struct ack_element_error *e = &se->elements[k];
			char n[16];

			x12_seg_begin(w, is999 ? "IK4" : "AK4");
			if (e->component) {
				x12_elem_begin(w);
				snprintf(n, sizeof(n), "%u", e->element);
				x12_comp_cstr(w, n);
				snprintf(n, sizeof(n), "%u", e->component);
				x12_comp_cstr(w, n);
				x12_elem_end(w);
			} else {
				x12_elem_u64(w, e->element);
			}
			x12_elem_cstr(w, ""); /* AK402: reference number */
			snprintf(n, sizeof(n), "%d", ak403(e->code, v5));
			x12_elem_cstr(w, n);
			x12_seg_end(w, NULL);
			if (is999)
				write_ctx(w, se, e);
		}
	}
	x12_seg_begin(w, is999 ? "IK5" : "AK5");
	x12_elem_cstr(w, s->accepted ? "A" : "R");
	if (!s->accepted)
		write_codes(w, s->codes, s->ncodes);
	x12_seg_end(w, NULL);
}

/* A GS08 we can write: six digits first, at most 12 printable. */
static bool version_ok(const char *v)
{
	size_t n = strlen(v);

	if (n < 6 || n > 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((i < 6 && (v[i] < '0' || v[i] > '9')) || v[i] < 0x21 ||
		    v[i] > 0x7e)
			return false;
	return true;
}

/* An ISA12 we can write: five digits. */
static bool isa_version_ok(const char *v)
{
	if (strlen(v) != 5)
		return false;
	for (size_t i = 0; i < 5; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

static void write_group(struct x12_writer *w, const struct ack_group *g,
			const struct ack_opts *o, uint64_t gs06)
{
	bool is999 = o->kind == ACK_999;
	/* answer in their version; one that is not a version cannot be
	 * written back: then 004010 */
	const char *version = version_ok(g->version) ? g->version : "004010";
	bool v5 = strncmp(version, "005", 3) >= 0;
	size_t accepted = accepted_sets(g);
	const char *status;
	struct x12_gs_out gs = {"FA",	  g->receiver, g->sender, o->date8,
				o->time4, gs06,	       version};

	if (!g->envelope_ok || !accepted)
		status = "R";
	else if (accepted < g->nsets)
		status = "P";
	else
		status = "A";
	x12_write_gs(w, &gs, NULL);
	x12_write_st(w, is999 ? "999" : "997", "0001",
		     is999 && v5 ? "005010X231A1" : NULL, NULL);
	x12_seg_begin(w, "AK1");
	x12_elem_cstr(w, g->code);
	x12_elem_cstr(w, g->control);
	if (is999)
		x12_elem_cstr(w, version);
	x12_seg_end(w, NULL);
	for (size_t i = 0; i < g->nsets; i++)
		write_set(w, &g->sets[i], o, v5);
	x12_seg_begin(w, "AK9");
	x12_elem_cstr(w, status);
	x12_elem_u64(w, g->declared >= 0 ? (uint64_t)g->declared
					 : (uint64_t)g->received);
	x12_elem_u64(w, g->received);
	x12_elem_u64(w, accepted);
	write_codes(w, g->codes, g->ncodes);
	x12_seg_end(w, NULL);
	x12_write_se(w, NULL);
	x12_write_ge(w, NULL);
}

static void delims_from(const struct ack_interchange *ic,
			const struct ack_opts *o, struct x12_write_delims *d)
{
	if (o->delims) {
		*d = *o->delims;
		return;
	}
	d->element = ic->delims.element ? ic->delims.element : '*';
	d->component = ic->delims.component ? ic->delims.component : '>';
	d->repetition = ic->delims.repetition;
	/* a multi-byte terminator cannot be written back: '~' */
	d->segment = ic->delims.terminator && !ic->delims.tail_len
			     ? ic->delims.terminator
			     : '~';
	d->suffix = d->segment == '\n' || d->segment == '\r' ? ""
		    : o->suffix				     ? o->suffix
							     : "";
}

enum edi_code ack_write(const struct ack_interchange *ic,
			const struct ack_opts *o, struct buf *out,
			struct edi_error *err)
{
	struct x12_write_delims d;
	struct x12_writer w;
	size_t ngs = 0;
	char usage = o->usage ? o->usage : ic->isa.usage;
	struct x12_isa_out isa = {
		ic->isa.receiver_qual,
		ic->isa.receiver,
		ic->isa.sender_qual,
		ic->isa.sender,
		o->date6,
		o->time4,
		isa_version_ok(ic->isa.version) ? ic->isa.version : "00401",
		o->isa13,
		false,
		usage == 'T' ? 'T' : 'P'};

	delims_from(ic, o, &d);
	x12_writer_init(&w, out, &d);
	x12_write_isa(&w, &isa, NULL);
	if (wants_ta1(ic, o)) {
		char code[8];
		snprintf(code, sizeof(code), "%03d",
			 ic->accepted ? 0 : ic->ta1_code);
		x12_seg_begin(&w, "TA1");
		x12_elem_cstr(&w, ic->isa.control);
		x12_elem_cstr(&w, ic->isa.date);
		x12_elem_cstr(&w, ic->isa.time);
		x12_elem_cstr(&w, ic->accepted ? "A" : "R");
		x12_elem_cstr(&w, code);
		x12_seg_end(&w, NULL);
	}
	for (size_t i = 0; ic->accepted && i < ic->ngroups; i++) {
		if (!answered(&ic->groups[i]))
			continue;
		if (ngs >= o->ngs06) {
			x12_write_iea(&w, NULL);
			return edi_fail(err, EDI_EUSAGE, NULL,
					"ack_write: %zu group control numbers "
					"given, more groups to answer",
					o->ngs06);
		}
		write_group(&w, &ic->groups[i], o, o->gs06[ngs++]);
	}
	x12_write_iea(&w, NULL);
	return x12_writer_result(&w, err);
}
