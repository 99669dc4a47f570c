/*
 * x12_emit - a record's set completed, checked and written; see
 * x12_emit.h.  The walk over the map's fields is x12_emit_tree.c, the
 * instances and where a value goes x12_emit_seg.c, values
 * x12_emit_value.c, the interchange x12_emit_ix.c.
 */
#include "x12_emit.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "x12_emit_int.h"

void emit_error(struct x12_emit_set *s, const char *field, const char *fmt, ...)
{
	char what[EDI_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	s->nerrors++;
	edi_diag_addf(s->diag, EDI_EDATA, NULL, "record '%s'%s%s: %s", s->label,
		      field && *field ? ": " : "", field ? field : "", what);
}

/* --- completing the set --- */

/* HL01..HL04 in pre-order. */
static void number_hl(struct x12_emit_set *s, struct emit_loop *h, unsigned *n)
{
	for (; h; h = h->hl_next) {
		struct emit_seg *seg = h->slots[0].segs;
		char num[16];

		h->hl_number = ++*n;
		snprintf(num, sizeof(num), "%u", h->hl_number);
		snprintf(s->path, sizeof(s->path), "(HL %s)", h->hl_level);
		emit_set_el(s, seg, 1, 0, arena_strdup(s->arena, num));
		if (h->hl_parent) {
			snprintf(num, sizeof(num), "%u",
				 h->hl_parent->hl_number);
			emit_set_el(s, seg, 2, 0, arena_strdup(s->arena, num));
		}
		emit_set_el(s, seg, 3, 0, h->hl_level);
		if (seg->nel >= 4)
			emit_set_el(s, seg, 4, 0, h->hl_first ? "1" : "0");
		number_hl(s, h->hl_first, n);
	}
}

static size_t count_tag(const struct emit_loop *l, const char *tag)
{
	size_t n = 0;

	for (size_t i = 0; i < l->node->nchildren; i++) {
		const struct guide_node *c = &l->node->children[i];
		if (c->kind == GUIDE_SEGMENT && !strcmp(c->tag, tag))
			n += l->slots[i].n;
		for (const struct emit_loop *in = l->slots[i].loops; in;
		     in = in->next)
			n += count_tag(in, tag);
	}
	return n;
}

/* The record field a map reads tag/el from, for messages ("" none). */
static bool field_name(const struct map_field *f, const char *tag, unsigned el,
		       char *out, size_t size)
{
	size_t len = strlen(out);

	if (f->name)
		snprintf(out + len, size - len, "%s%s", len ? "." : "",
			 f->name);
	if (f->kind == MAP_FIELD_PATH && !strcmp(f->path.tag, tag) &&
	    f->path.element == el)
		return true;
	for (size_t i = 0; i < f->nchildren; i++)
		if (field_name(&f->children[i], tag, el, out, size))
			return true;
	out[len] = '\0';
	return false;
}

static void rule_lines(struct x12_emit_set *s, const struct map_rule *r)
{
	struct emit_scope top = {&s->root, NULL, NULL};
	size_t n = count_tag(&s->root, r->lines_tag);
	struct emit_seg *seg;
	const char *have;
	char num[24];

	if (!n)
		return;
	snprintf(s->path, sizeof(s->path), "(rule lines)");
	seg = emit_locate(s, &top, &r->path);
	if (!seg)
		return;
	snprintf(num, sizeof(num), "%zu", n);
	have = emit_get_el(seg, r->path.element);
	if (*have && strcmp(have, num)) {
		char field[EMIT_PATH_MAX] = "";
		field_name(&s->map->record, r->path.tag, r->path.element, field,
			   sizeof(field));
		emit_error(s, field,
			   "%s%02u says %s but the set has %zu %s segments",
			   r->path.tag, r->path.element, have, n, r->lines_tag);
		return;
	}
	if (!*have)
		emit_set_el(s, seg, r->path.element, 0,
			    arena_strdup(s->arena, num));
}

/* Sum of quantity x price of the lines, +/- charges and allowances. */
static bool add_amounts(const struct emit_loop *l, const struct map_rule *r,
			struct dec *sum)
{
	struct edi_error err;

	for (size_t i = 0; i < l->node->nchildren; i++) {
		const struct guide_node *c = &l->node->children[i];
		for (const struct emit_seg *seg = l->slots[i].segs; seg;
		     seg = seg->next) {
			struct dec q, p, amount;
			if (!strcmp(c->tag, r->lines_tag)) {
				if (dec_parse(sv_cstr(emit_get_el(seg, 2)), &q,
					      &err) ||
				    dec_parse(sv_cstr(emit_get_el(seg, 4)), &p,
					      &err) ||
				    dec_mul(q, p, &amount, &err) ||
				    dec_add(*sum, amount, sum, &err))
					return false;
			} else if (r->allowances_tag[0] &&
				   !strcmp(c->tag, r->allowances_tag) &&
				   *emit_get_el(seg, 5)) {
				const char *ind = emit_get_el(seg, 1);
				if (dec_parse_implied(
					    sv_cstr(emit_get_el(seg, 5)), 2,
					    &amount, &err))
					return false;
				if (!strcmp(ind, "A"))
					amount = dec_neg(amount);
				else if (strcmp(ind, "C"))
					continue;
				if (dec_add(*sum, amount, sum, &err))
					return false;
			}
		}
		for (const struct emit_loop *in = l->slots[i].loops; in;
		     in = in->next)
			if (!add_amounts(in, r, sum))
				return false;
	}
	return true;
}

/*
 * A `total` rule's element (TDS01): computed the way the rule checks it
 * (map_rules) when the record left it empty and every line has its
 * amounts; a total the record gives must agree within the tolerance.
 */
static void rule_total(struct x12_emit_set *s, const struct map_rule *r)
{
	struct emit_scope top = {&s->root, NULL, NULL};
	const char *tolerance = s->rules && s->rules->tolerance
					? s->rules->tolerance
					: r->tolerance;
	const struct map_elem *e;
	struct dec sum = dec_from_i64(0), total, tol, diff;
	char text[DEC_TEXT_MAX], want[DEC_TEXT_MAX];
	struct emit_seg *seg;
	struct edi_error err;
	const char *have;
	unsigned places;

	if (count_tag(&s->root, r->lines_tag) == 0 ||
	    !add_amounts(&s->root, r, &sum))
		return; /* the required-element check will say */
	sum = dec_round(sum, 2);
	snprintf(s->path, sizeof(s->path), "(rule total)");
	seg = emit_locate(s, &top, &r->path);
	if (!seg)
		return;
	e = emit_elem_def(seg, r->path.element, 0);
	places = e && e->type == MAP_T_N ? e->implied : 0;
	have = emit_get_el(seg, r->path.element);
	if (!*have) {
		if (dec_format_implied(sum, places, text, NULL, &err) == EDI_OK)
			emit_set_el(s, seg, r->path.element, 0,
				    arena_strdup(s->arena, text));
		return;
	}
	if (dec_parse_implied(sv_cstr(have), places, &total, &err) ||
	    dec_parse(sv_cstr(tolerance ? tolerance : "0"), &tol, &err))
		return; /* the element check has reported a bad number */
	if (dec_sub(total, sum, &diff, &err) == EDI_OK &&
	    dec_cmp(dec_abs(diff), tol) <= 0)
		return;
	dec_format(total, text);
	dec_format(sum, want);
	emit_error(s, seg->el[r->path.element].field,
		   "%s%02u total %s differs from the lines%s: %s (tolerance "
		   "%s); validation would reject the set",
		   r->path.tag, r->path.element, text,
		   r->allowances_tag[0] ? " with allowances and charges" : "",
		   want, tolerance ? tolerance : "0");
}

static bool present(const struct emit_seg *seg, unsigned pos)
{
	if (!pos || pos > seg->nel)
		return false;
	for (unsigned c = 0; c < seg->el[pos].ncomps; c++)
		if (seg->el[pos].comps[c] && *seg->el[pos].comps[c])
			return true;
	return false;
}

static void check_syntax(struct x12_emit_set *s, const struct emit_seg *seg,
			 const struct map_syntax *sy)
{
	unsigned n = 0;
	char note[2 + 2 * MAP_SYNTAX_MAX];
	size_t o = 0;

	for (unsigned i = 0; i < sy->npos; i++)
		n += present(seg, sy->pos[i]);
	if (!((sy->kind == MAP_SYN_P && n && n < sy->npos) ||
	      (sy->kind == MAP_SYN_R && !n) ||
	      (sy->kind == MAP_SYN_E && n > 1) ||
	      (sy->kind == MAP_SYN_C && present(seg, sy->pos[0]) &&
	       n < sy->npos) ||
	      (sy->kind == MAP_SYN_L && present(seg, sy->pos[0]) && n < 2)))
		return;
	note[o++] = "PRECL"[sy->kind];
	for (unsigned i = 0; i < sy->npos && i < MAP_SYNTAX_MAX; i++) {
		note[o++] = (char)('0' + sy->pos[i] / 10 % 10);
		note[o++] = (char)('0' + sy->pos[i] % 10);
	}
	note[o] = '\0';
	emit_error(s, seg->el[sy->pos[0]].field,
		   "%s breaks syntax note %s (the record gives %u of its %u "
		   "elements)",
		   seg->node->tag, note, n, sy->npos);
}

static void check_seg(struct x12_emit_set *s, struct emit_seg *seg)
{
	const struct map_segdef *d = seg->node->def;

	/* the map's outbound defaults fill what the record left empty */
	for (size_t k = 0; k < s->map->nout_defaults; k++) {
		const struct map_out_default *o = &s->map->out_defaults[k];
		if (!strcmp(o->path.tag, seg->node->tag) &&
		    !present(seg, o->path.element) &&
		    (!o->when || present(seg, o->when))) {
			snprintf(s->path, sizeof(s->path),
				 "(outbound default)");
			emit_set_el(s, seg, o->path.element, o->path.component,
				    o->value);
		}
	}
	if (!d)
		return;
	for (unsigned i = 1; i <= d->nelems && i <= seg->nel; i++) {
		const struct map_elem *e = &d->elems[i - 1];
		char field[EMIT_PATH_MAX] = "";

		if (present(seg, i)) {
			/* a composite's required components */
			for (unsigned c = 0; c < e->ncomponents; c++)
				if (e->components[c].req == MAP_REQ_M &&
				    (c >= seg->el[i].ncomps ||
				     !seg->el[i].comps[c] ||
				     !*seg->el[i].comps[c]))
					emit_error(s, seg->el[i].field,
						   "%s%02u-%u is required",
						   seg->node->tag, i, c + 1);
			continue;
		}
		if (e->req != MAP_REQ_M || seg->el[i].bad)
			continue;
		if (!e->ncomponents && e->ncodes == 1) {
			s->path[0] = '\0';
			emit_set_el(s, seg, i, 0, e->codes[0]);
			continue;
		}
		field_name(&s->map->record, seg->node->tag, i, field,
			   sizeof(field));
		emit_error(s, field[0] ? field : NULL,
			   "%s%02u is required and the record has no value "
			   "for it",
			   seg->node->tag, i);
	}
	for (size_t k = 0; k < d->nsyntax; k++)
		check_syntax(s, seg, &d->syntax[k]);
}

static void check_loop(struct x12_emit_set *s, struct emit_loop *l)
{
	for (size_t i = 0; i < l->node->nchildren; i++) {
		const struct guide_node *c = &l->node->children[i];

		if (l == &s->root &&
		    (!strcmp(c->tag, "ST") || !strcmp(c->tag, "SE")))
			continue; /* the writer's */
		if (c->req == MAP_REQ_M && !l->slots[i].n) {
			char field[EMIT_PATH_MAX] = "";
			const struct map_segdef *d =
				c->kind == GUIDE_SEGMENT ? c->def : NULL;
			for (unsigned e = 1; d && e <= d->nelems && !field[0];
			     e++)
				field_name(&s->map->record, c->tag, e, field,
					   sizeof(field));
			emit_error(s, NULL,
				   "the guide requires %s %s and the record "
				   "has nothing for it%s%s",
				   c->kind == GUIDE_LOOP ? "loop" : "segment",
				   c->kind == GUIDE_LOOP ? c->loop_id : c->tag,
				   field[0] ? "; e.g. " : "", field);
		}
		for (struct emit_seg *seg = l->slots[i].segs; seg;
		     seg = seg->next)
			check_seg(s, seg);
		for (struct emit_loop *in = l->slots[i].loops; in;
		     in = in->next)
			check_loop(s, in);
	}
}

enum edi_code x12_emit_build(const struct map *m, const json_t *rec,
			     const char *label,
			     const struct x12_write_delims *delims,
			     const struct map_rule_opts *rules, struct arena *a,
			     struct x12_emit_set **out, struct edi_diag *diag,
			     struct edi_error *err)
{
	struct x12_emit_set *s = arena_zalloc(a, sizeof(*s));
	unsigned n = 0;

	*out = NULL;
	s->map = m;
	s->label = arena_strdup(a, label ? label : "?");
	s->delims = delims;
	s->rules = rules;
	s->arena = a;
	s->diag = diag;
	if (m->format != MAP_FORMAT_X12)
		return edi_fail(err, EDI_ECONFIG, NULL,
				"map '%s' is not an X12 map", m->id);
	if (!json_is_object(rec)) {
		emit_error(s, NULL, "a record must be a JSON object");
		return edi_fail(err, EDI_EDATA, NULL, "record '%s' rejected",
				s->label);
	}
	emit_tree(s, rec);
	number_hl(s, s->hl_roots, &n);
	for (size_t i = 0; i < m->nrules; i++)
		if (m->rules[i].kind == MAP_RULE_LINES)
			rule_lines(s, &m->rules[i]);
		else if (m->rules[i].kind == MAP_RULE_TOTAL &&
			 !(rules && rules->off_total))
			rule_total(s, &m->rules[i]);
	check_loop(s, &s->root);
	if (s->nerrors)
		return edi_fail(err, EDI_EDATA, NULL,
				"record '%s' cannot be mapped (%zu problems)",
				s->label, s->nerrors);
	*out = s;
	return EDI_OK;
}

/* --- writing --- */

static void write_seg(struct x12_writer *w, const struct emit_seg *seg)
{
	unsigned last = 0;

	for (unsigned i = 1; i <= seg->nel; i++)
		if (present(seg, i))
			last = i;
	x12_seg_begin(w, seg->node->tag);
	for (unsigned i = 1; i <= last; i++) {
		const struct emit_el *e = &seg->el[i];
		if (e->ncomps <= 1) {
			x12_elem_cstr(w, e->ncomps ? e->comps[0] : NULL);
			continue;
		}
		x12_elem_begin(w);
		for (unsigned c = 0; c < e->ncomps; c++)
			x12_comp_cstr(w, e->comps[c]);
		x12_elem_end(w);
	}
}

static enum edi_code write_loop(const struct x12_emit_set *s,
				const struct emit_loop *l, struct x12_writer *w,
				struct edi_error *err);

static enum edi_code write_hl(const struct x12_emit_set *s,
			      const struct emit_loop *h, struct x12_writer *w,
			      struct edi_error *err)
{
	enum edi_code rc = EDI_OK;

	for (; h && !rc; h = h->hl_next) {
		rc = write_loop(s, h, w, err);
		if (!rc)
			rc = write_hl(s, h->hl_first, w, err);
	}
	return rc;
}

static enum edi_code write_loop(const struct x12_emit_set *s,
				const struct emit_loop *l, struct x12_writer *w,
				struct edi_error *err)
{
	enum edi_code rc = EDI_OK;

	for (size_t i = 0; !rc && i < l->node->nchildren; i++) {
		const struct guide_node *c = &l->node->children[i];

		if (l == &s->root &&
		    (!strcmp(c->tag, "ST") || !strcmp(c->tag, "SE")))
			continue;
		if (l == &s->root && c == s->hl_node) {
			rc = write_hl(s, s->hl_roots, w, err);
			continue;
		}
		for (const struct emit_seg *seg = l->slots[i].segs; seg && !rc;
		     seg = seg->next) {
			write_seg(w, seg);
			rc = x12_seg_end(w, err);
		}
		for (const struct emit_loop *in = l->slots[i].loops; in && !rc;
		     in = in->next)
			rc = write_loop(s, in, w, err);
	}
	return rc;
}

enum edi_code x12_emit_write(const struct x12_emit_set *s, struct x12_writer *w,
			     const char *st02, struct edi_error *err)
{
	enum edi_code rc;

	rc = x12_write_st(w, s->map->document, st02, NULL, err);
	if (!rc)
		rc = write_loop(s, &s->root, w, err);
	if (!rc)
		rc = x12_write_se(w, err);
	return rc;
}
