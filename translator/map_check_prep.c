/*
 * map_check_prep - map_check's tables, made once per segment definition
 * when the map set is resolved; see map_check.h and map_check_int.h.
 */
#include <string.h>

#include "map_check_int.h"

static void prepare_codes(struct ck_elem *c, const uint64_t **codes,
			  const struct map_elem *e, struct arena *a)
{
	size_t slots = 4, bits = 2;
	uint64_t *t;

	for (size_t i = 0; i < e->ncodes; i++)
		if (strlen(e->codes[i]) > 7) {
			c->kind = CK_CODES_CMP;
			return;
		}
	while (slots < 2 * e->ncodes) {
		slots *= 2;
		bits++;
	}
	t = arena_array(a, slots, sizeof(*t));
	c->kind = CK_CODES;
	*codes = t;
	c->mask = (uint32_t)(slots - 1);
	c->shift = (uint8_t)(64 - bits);
	for (size_t i = 0; i < e->ncodes; i++) {
		size_t n = strlen(e->codes[i]), h;
		uint64_t key;

		if (!n)
			continue; /* an empty value is never checked */
		key = pack_code(e->codes[i], n);
		for (h = (size_t)(key * CK_GOLDEN >> c->shift);
		     t[h] && t[h] != key; h = (h + 1) & c->mask)
			;
		t[h] = key;
	}
}

static void prepare_elem(struct ck_elem *c, const uint64_t **codes,
			 const struct map_elem *e, struct arena *a)
{
	static const enum ck_kind kinds[] = {
		[MAP_T_AN] = CK_AN, [MAP_T_ID] = CK_ID, [MAP_T_N] = CK_N,
		[MAP_T_R] = CK_R,   [MAP_T_DT] = CK_DT, [MAP_T_TM] = CK_TM,
	};

	c->kind = (uint8_t)(e->ncomponents ? CK_COMPOSITE : kinds[e->type]);
	c->min_len = e->min_len;
	c->max_len = e->max_len ? e->max_len : UINT32_MAX;
	if (c->kind == CK_ID && e->codes)
		prepare_codes(c, codes, e, a);
}

/* Add "p implies q" to the groups. */
static void add_imp(struct map_check_def *ck, unsigned p, unsigned q)
{
	int shift = (int)q - (int)p;
	size_t i;

	for (i = 0; i < ck->nimps && ck->imps[i].shift != shift; i++)
		;
	if (i == ck->nimps)
		ck->imps[ck->nimps++] =
			(struct ck_imp){shift, shift > 0 ? (unsigned)shift : 0,
					shift < 0 ? (unsigned)-shift : 0, 0};
	ck->imps[i].from |= (uint64_t)1 << p;
}

static void prepare_syntax(struct map_check_def *ck,
			   const struct map_segdef *def, struct arena *a)
{
	size_t nimps = 0;

	for (size_t k = 0; k < def->nsyntax; k++)
		nimps += 2 * def->syntax[k].npos;
	ck->imps = arena_array(a, nimps ? nimps : 1, sizeof(*ck->imps));
	ck->notes = arena_array(a, def->nsyntax ? def->nsyntax : 1,
				sizeof(*ck->notes));
	for (size_t k = 0; k < def->nsyntax; k++) {
		const struct map_syntax *s = &def->syntax[k];

		switch (s->kind) {
		case MAP_SYN_P: /* all or none: each other with the first */
			for (unsigned j = 1; j < s->npos; j++) {
				add_imp(ck, s->pos[0], s->pos[j]);
				add_imp(ck, s->pos[j], s->pos[0]);
			}
			break;
		case MAP_SYN_C: /* the first implies each other */
			for (unsigned j = 1; j < s->npos; j++)
				add_imp(ck, s->pos[0], s->pos[j]);
			break;
		case MAP_SYN_R:
		case MAP_SYN_E:
		case MAP_SYN_L:
			ck->notes[ck->nnotes++] = (struct ck_note){
				s->kind, s->bits,
				s->npos ? (uint64_t)1 << s->pos[0] : 0};
			break;
		}
	}
}

void map_check_prepare(struct map_segdef *def, size_t ordinal, struct arena *a)
{
	struct map_check_def *ck;
	size_t n;

	def->check = NULL;
	def->mandatory_bits = 0;
	def->has_bits = def->nelems < 64;
	for (size_t k = 0; def->has_bits && k < def->nelems; k++)
		if (def->elems[k].req == MAP_REQ_M)
			def->mandatory_bits |= (uint64_t)1 << (k + 1);
	for (size_t k = 0; k < def->nsyntax; k++) {
		struct map_syntax *s = &def->syntax[k];

		s->bits = 0;
		for (unsigned j = 0; j < s->npos; j++) {
			if (s->pos[j] >= 64 || !s->pos[j] ||
			    (s->bits >> s->pos[j] & 1))
				def->has_bits = false;
			else
				s->bits |= (uint64_t)1 << s->pos[j];
		}
	}
	if (!def->has_bits)
		return;
	n = def->nelems ? def->nelems : 1;
	/* one block (see map_check_int.h); every part a multiple of 8 */
	ck = arena_zalloc(a, sizeof(*ck) + n * (sizeof(*ck->text) +
						sizeof(*ck->elems) +
						sizeof(*ck->codes)));
	ck->text = (struct ck_text *)(ck + 1);
	ck->elems = (struct ck_elem *)(ck->text + n);
	ck->codes = (const uint64_t **)(ck->elems + n);
	ck->nelems = (unsigned)def->nelems;
	ck->mandatory_bits = def->mandatory_bits;
	ck->has_syntax = def->nsyntax != 0;
	for (size_t k = 0; k < def->nelems; k++) {
		const struct ck_elem *c = &ck->elems[k];

		prepare_elem(&ck->elems[k], &ck->codes[k], &def->elems[k], a);
		ck->text[k] = (struct ck_text){SIZE_MAX, 0};
		if (c->kind <= CK_ID && c->max_len >= c->min_len)
			ck->text[k] = (struct ck_text){c->min_len,
						       c->max_len - c->min_len};
	}
	prepare_syntax(ck, def, a);
	for (size_t k = 0; k < def->nsyntax; k++)
		ck->syntax_bits |= def->syntax[k].bits;
	ck->memo_slot = (unsigned)(ordinal % MAP_CHECK_MEMO_SLOTS);
	def->check = ck;
}
