/*
 * map_exec - the record builder; see map_exec.h.
 *
 * A scope is a loop instance: the whole set at the top, one repetition
 * inside `each`.  A path finds the first segment with its tag among the
 * scope's segments (nested loops included, since a loop instance's
 * segments are contiguous).  Values are views into the set's bytes unless
 * a transform made new text in the arena.
 */
#include "map_exec.h"

#include <stdio.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <openssl/evp.h>
#include <pcre2.h>

#include "map_xform.h"

struct exec {
	const struct map *map;
	const struct x12_set *set;
	struct arena *arena;
	struct edi_diag *diag;
};

/* sv_eq_cstr() without the strlen(): short map constants against values */
static inline bool eq_cstr(struct strview v, const char *c)
{
	for (size_t i = 0; i < v.len; i++)
		if (!c[i] || c[i] != v.ptr[i])
			return false;
	return !c[v.len];
}

static bool where_matches(const struct x12_seg *seg, const struct map_path *p)
{
	struct strview v;

	if (!p->where_element)
		return true;
	v = x12_seg_el(seg, p->where_element);
	for (size_t i = 0; i < p->nwhere; i++)
		if (eq_cstr(v, p->where_values[i]))
			return true;
	return false;
}

/* The value inside element v of seg: repetition, then component.  When
 * seg holds no such separator, part 1 is v and any later part is empty,
 * which is what x12_part() would say, without looking. */
static struct strview pick(const struct x12_set *set, const struct x12_seg *seg,
			   struct strview v, const struct map_path *p)
{
	/* repetition 0 is the first, not the whole element */
	if (set->delims.repetition && seg->has_repetition)
		v = x12_part(v, set->delims.repetition,
			     p->repetition ? p->repetition - 1 : 0);
	else if (p->repetition > 1)
		v = sv_make(v.ptr + v.len, 0);
	if (p->component && seg->has_component)
		v = x12_part(v, set->delims.component, p->component - 1);
	else if (p->component > 1)
		v = sv_make(v.ptr + v.len, 0);
	return v;
}

/* map_exec_path(), inline for eval_path(): one call per field. */
static inline __attribute__((always_inline)) struct strview find_path(
	const struct x12_set *set, const struct x12_loop *scope,
	const struct map_path *p, bool *found, const struct x12_seg **seg_out)
{
	struct strview none = {"", 0};

	uint32_t key = x12_tag_key(p->tag);

	*found = false;
	for (size_t i = scope->first; i < scope->end; i++) {
		const struct x12_seg *seg = &set->segs[i];
		struct strview v;

		if (seg->key != key || !where_matches(seg, p))
			continue;
		if (p->pair_qualifier) {
			for (unsigned k = p->pair_from; k + 1 <= p->pair_to;
			     k += 2)
				if (eq_cstr(x12_seg_el(seg, k),
					    p->pair_qualifier)) {
					v = x12_seg_el(seg, k + 1);
					if (seg_out)
						*seg_out = seg;
					*found = v.len > 0;
					return v;
				}
			continue;
		}
		v = pick(set, seg, x12_seg_el(seg, p->element), p);
		if (seg_out)
			*seg_out = seg;
		*found = v.len > 0;
		return v;
	}
	return none;
}

struct strview map_exec_path(const struct x12_set *set,
			     const struct x12_loop *scope,
			     const struct map_path *p, bool *found,
			     const struct x12_seg **seg_out)
{
	return find_path(set, scope, p, found, seg_out);
}

static void value_error(struct exec *x, const struct x12_seg *seg,
			const struct map_path *p, const struct edi_error *e)
{
	unsigned el = p->element;
	struct edi_loc loc;

	/* "PO1 pair VP": the value element after the qualifier */
	for (unsigned k = p->pair_from; seg && k + 1 <= p->pair_to; k += 2)
		if (p->pair_qualifier &&
		    sv_eq_cstr(x12_seg_el(seg, k), p->pair_qualifier)) {
			el = k + 1;
			break;
		}
	loc = seg ? x12_seg_loc(seg, el, p->component) : edi_loc_none();
	edi_diag_addf(x->diag, X12_MAP_VALUE, &loc, "%s%02u: %s (map %s:%u)",
		      p->tag, el, e->msg,
		      p->mark.file ? p->mark.file : x->map->id, p->mark.line);
}

static enum edi_code apply_xform(struct exec *x, const struct map_xform *xf,
				 struct strview in, struct strview *out,
				 bool *number, struct edi_error *err);

enum edi_code map_exec_value(const struct map_field *f, struct strview v,
			     bool found, struct arena *a,
			     struct rec_value **out, struct edi_error *err)
{
	struct exec x = {.arena = a};
	bool number = false;

	*out = NULL;
	for (size_t i = 0; i < f->nxforms; i++) {
		const struct map_xform *xf = &f->xforms[i];
		enum edi_code rc;

		if (xf->kind == MAP_XF_DEFAULT) {
			if (!found) {
				v = sv_cstr(xf->arg);
				found = true;
			}
			continue;
		}
		if (!found)
			continue;
		rc = apply_xform(&x, xf, v, &v, &number, err);
		if (rc)
			return rc;
		found = v.len > 0;
	}
	if (!found && f->constant) {
		v = sv_cstr(f->constant);
		found = true;
	}
	if (found)
		*out = number ? rec_number(a, v) : rec_str(a, v);
	return EDI_OK;
}

/* Evaluate a PATH field; NULL when absent. */
static struct rec_value *eval_path(struct exec *x, const struct x12_loop *scope,
				   const struct map_field *f)
{
	const struct x12_seg *seg = NULL;
	struct rec_value *out;
	struct edi_error err;
	struct strview v;
	bool found;

	v = find_path(x->set, scope, &f->path, &found, &seg);
	if (!f->nxforms && !f->constant) /* map_exec_value() comes to this */
		return found ? rec_str(x->arena, v) : NULL;
	if (map_exec_value(f, v, found, x->arena, &out, &err) != EDI_OK) {
		value_error(x, seg, &f->path, &err);
		return NULL;
	}
	return out;
}

static struct rec_value *eval(struct exec *x, const struct x12_loop *scope,
			      const struct x12_loop *hl,
			      const struct map_field *f);

static struct rec_value *eval_object(struct exec *x,
				     const struct x12_loop *scope,
				     const struct x12_loop *hl,
				     const struct map_field *f)
{
	struct rec_value *obj = rec_object(x->arena);

	for (size_t i = 0; i < f->nchildren; i++) {
		struct rec_value *v = eval(x, scope, hl, &f->children[i]);
		if (v)
			rec_add(obj, f->children[i].name, v);
	}
	return obj->nchildren ? obj : NULL;
}

static struct rec_value *eval_list(struct exec *x, const struct x12_loop *scope,
				   const struct x12_loop *hl,
				   const struct map_field *f)
{
	struct rec_value *arr = rec_array(x->arena);

	for (size_t i = 0; i < f->nchildren; i++) {
		struct rec_value *v = eval(x, scope, hl, &f->children[i]);
		if (v)
			rec_add(arr, NULL, v);
	}
	return arr->nchildren ? arr : NULL;
}

static struct rec_value *eval_pairs(struct exec *x,
				    const struct x12_loop *scope,
				    const struct map_field *f)
{
	struct rec_value *arr = rec_array(x->arena);
	struct x12_tag_match tag = x12_tag_match_init(f->pairs_tag);

	for (size_t i = scope->first; i < scope->end; i++) {
		const struct x12_seg *seg = &x->set->segs[i];
		if (!x12_seg_matches(seg, &tag))
			continue;
		for (unsigned k = f->pairs_from; k + 1 <= f->pairs_to; k += 2) {
			struct strview q = x12_seg_el(seg, k);
			struct strview v = x12_seg_el(seg, k + 1);
			struct rec_value *pair;
			if (!q.len || !v.len)
				continue;
			pair = rec_object(x->arena);
			rec_add(pair, "qualifier", rec_str(x->arena, q));
			rec_add(pair, "value", rec_str(x->arena, v));
			rec_add(arr, NULL, pair);
		}
		break; /* the first such segment of the scope */
	}
	return arr->nchildren ? arr : NULL;
}

/* One element of an `each` array. */
static void each_instance(struct exec *x, struct rec_value *arr,
			  const struct x12_loop *scope,
			  const struct x12_loop *hl, const struct map_field *f)
{
	struct rec_value *obj = eval_object(x, scope, hl, f);

	if (obj)
		rec_add(arr, NULL, obj);
}

static bool hl_level_is(const struct x12_loop *l, const char *level)
{
	return eq_cstr(l->hl_level, level);
}

/* Descendants of hl (or the whole set) at a level, in order. */
static void each_hl_desc(struct exec *x, struct rec_value *arr,
			 const struct x12_loop *under,
			 const struct map_field *f)
{
	for (const struct x12_loop *c = under->hl_first_child; c;
	     c = c->hl_next) {
		if (hl_level_is(c, f->scope.id))
			each_instance(x, arr, c, c, f);
		else if (!f->scope.direct)
			each_hl_desc(x, arr, c, f);
	}
}

static bool loop_where(struct exec *x, const struct x12_loop *l,
		       const struct map_scope *s)
{
	if (!s->where.element)
		return true;
	return l->first < x->set->nsegs &&
	       where_matches(&x->set->segs[l->first], &s->where);
}

static struct rec_value *eval_each(struct exec *x, const struct x12_loop *scope,
				   const struct x12_loop *hl,
				   const struct map_field *f)
{
	struct rec_value *arr = rec_array(x->arena);
	const struct map_scope *s = &f->scope;
	struct x12_tag_match tag;
	struct x12_loop one;

	if (f->has_within) {
		/* the instances live inside the first `within` scope */
		const struct x12_loop *in = NULL;
		if (f->within.kind == MAP_SCOPE_HL) {
			for (in = hl ? hl->hl_first_child : x->set->hl_first;
			     in && !hl_level_is(in, f->within.id);
			     in = hl ? in->hl_next : in->hl_next_in_set)
				;
			if (in)
				hl = in;
		} else {
			for (in = scope->first_child;
			     in && !(in->def &&
				     !strcmp(in->def->loop_id, f->within.id));
			     in = in->next)
				;
		}
		if (!in)
			return NULL;
		scope = in;
	}
	switch (s->kind) {
	case MAP_SCOPE_LOOP:
		for (const struct x12_loop *l = scope->first_child; l;
		     l = l->next)
			if (l->def && l->def->loop_id[0] == s->id[0] &&
			    !strcmp(l->def->loop_id, s->id) &&
			    loop_where(x, l, s))
				each_instance(x, arr, l, hl, f);
		break;
	case MAP_SCOPE_SEGMENT:
		tag = x12_tag_match_init(s->id);
		/* zeroed once: the instances only read it (scopes are const) */
		memset(&one, 0, sizeof(one));
		for (size_t i = scope->first; i < scope->end; i++) {
			const struct x12_seg *seg = &x->set->segs[i];
			if (seg->loop != scope || !x12_seg_matches(seg, &tag))
				continue;
			if (s->where.element && !where_matches(seg, &s->where))
				continue;
			one.first = i;
			one.end = i + 1;
			each_instance(x, arr, &one, hl, f);
		}
		break;
	case MAP_SCOPE_HL:
		if (!hl) {
			/* the whole set: every HL at that level, in order */
			for (const struct x12_loop *l = x->set->hl_first; l;
			     l = l->hl_next_in_set)
				if (hl_level_is(l, s->id))
					each_instance(x, arr, l, l, f);
		} else {
			each_hl_desc(x, arr, hl, f);
		}
		break;
	case MAP_SCOPE_ROW:
		break; /* flat maps only */
	}
	return arr->nchildren ? arr : NULL;
}

static struct rec_value *eval(struct exec *x, const struct x12_loop *scope,
			      const struct x12_loop *hl,
			      const struct map_field *f)
{
	switch (f->kind) {
	case MAP_FIELD_PATH:
		return eval_path(x, scope, f);
	case MAP_FIELD_CONST:
		return rec_str(x->arena, sv_cstr(f->constant));
	case MAP_FIELD_OBJECT:
		return eval_object(x, scope, hl, f);
	case MAP_FIELD_LIST:
		return eval_list(x, scope, hl, f);
	case MAP_FIELD_EACH:
		return eval_each(x, scope, hl, f);
	case MAP_FIELD_PAIRS:
		return eval_pairs(x, scope, f);
	}
	return NULL;
}

static enum edi_code lookup(const struct map_xform *xf, struct strview in,
			    struct strview *out, struct edi_error *err)
{
	const struct map_table *t = xf->table;
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *k = t->keys[mid];
		size_t klen = strlen(k);
		int cmp = memcmp(in.ptr, k, in.len < klen ? in.len : klen);
		if (!cmp)
			cmp = in.len < klen ? -1 : in.len > klen;
		if (!cmp) {
			*out = sv_cstr(t->values[mid]);
			return EDI_OK;
		}
		if (cmp < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (t->keep_unknown) {
		*out = in;
		return EDI_OK;
	}
	return edi_fail(err, EDI_EDATA, NULL, "'%.*s' is not in table %s",
			(int)in.len, in.ptr, t->name);
}

static enum edi_code match(const struct map_xform *xf, struct strview in,
			   struct strview *out, struct edi_error *err)
{
	pcre2_code *re = xf->regex;
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	PCRE2_SIZE *ov;
	int rc;

	if (!md)
		return edi_fail(err, EDI_ENOMEM, NULL, "out of memory");
	rc = pcre2_match(re, (PCRE2_SPTR)in.ptr, in.len, 0, 0, md, NULL);
	if (rc < 0) {
		pcre2_match_data_free(md);
		return edi_fail(err, EDI_EDATA, NULL,
				"'%.*s' does not match /%s/", (int)in.len,
				in.ptr, xf->arg);
	}
	ov = pcre2_get_ovector_pointer(md);
	if (rc >= 2 && ov[2] != PCRE2_UNSET)
		*out = sv_make(in.ptr + ov[2], ov[3] - ov[2]);
	else
		*out = sv_make(in.ptr + ov[0], ov[1] - ov[0]);
	pcre2_match_data_free(md);
	return EDI_OK;
}

static enum edi_code apply_xform(struct exec *x, const struct map_xform *xf,
				 struct strview in, struct strview *out,
				 bool *number, struct edi_error *err)
{
	struct arena *a = x->arena;

	switch (xf->kind) {
	case MAP_XF_DATE:
		*number = false;
		return xf->arg ? map_xform_date_pattern(a, in, xf->arg, out,
							err)
			       : map_xform_date(a, in, out, err);
	case MAP_XF_TIME:
		*number = false;
		return map_xform_time(a, in, out, err);
	case MAP_XF_DECIMAL:
		*number = false;
		return map_xform_decimal(a, in, out, err);
	case MAP_XF_IMPLIED:
		*number = false;
		return map_xform_implied(a, in, (unsigned)xf->n, out, err);
	case MAP_XF_INTEGER:
		*number = true;
		return map_xform_integer(a, in, out, err);
	case MAP_XF_TRIM:
		*out = map_xform_trim(in);
		return EDI_OK;
	case MAP_XF_UPPER:
		*out = map_xform_upper(a, in);
		return EDI_OK;
	case MAP_XF_CODE:
		*number = false;
		return lookup(xf, in, out, err);
	case MAP_XF_MATCH:
		*number = false;
		return match(xf, in, out, err);
	case MAP_XF_DEFAULT:
		*out = in;
		return EDI_OK;
	}
	return edi_fail(err, EDI_EINTERNAL, NULL, "unknown transform");
}

const char *map_exec_partner_key(const struct map_source *src, struct arena *a)
{
	char key[40];
	size_t o = 0;

	if (src->partner)
		return src->partner;
	for (const char *p = src->sender_qual; p && *p && o < 3; p++)
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9'))
			key[o++] = (char)(*p | 0x20);
	if (o)
		key[o++] = '-';
	for (const char *p = src->sender; p && *p && o < sizeof(key) - 1; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			key[o++] = (char)(c | 0x20);
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			key[o++] = c;
	}
	if (!o)
		key[o++] = 'x';
	key[o] = '\0';
	return arena_strdup(a, key);
}

static const char *sha256_hex(struct strview bytes, struct arena *a,
			      const struct map_source *src)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	char *hex;

	if (src->sha256_ctx && src->sha256) {
		/* no implicit fetch and no context per set */
		if (!EVP_DigestInit_ex2(src->sha256_ctx, src->sha256, NULL) ||
		    !EVP_DigestUpdate(src->sha256_ctx, bytes.ptr, bytes.len) ||
		    !EVP_DigestFinal_ex(src->sha256_ctx, md, &len))
			return NULL;
	} else if (!EVP_Digest(bytes.ptr, bytes.len, md, &len, EVP_sha256(),
			       NULL)) {
		return NULL;
	}
	hex = arena_alloc(a, 2 * len + 1);
	for (unsigned int i = 0; i < len; i++) {
		hex[2 * i] = "0123456789abcdef"[md[i] >> 4];
		hex[2 * i + 1] = "0123456789abcdef"[md[i] & 15];
	}
	hex[2 * len] = '\0';
	return hex;
}

/*
 * The parts one after the other, as one string in the arena: what
 * arena_printf() with "%s" and "%.*s" would make (a NULL part is
 * "(null)", as glibc prints it), without a printf per record.
 */
static struct strview join(struct arena *a, const struct strview *parts,
			   size_t n)
{
	size_t len = 0, o = 0;
	char *s;

	for (size_t i = 0; i < n; i++)
		len += parts[i].len;
	s = arena_alloc(a, len + 1);
	for (size_t i = 0; i < n; i++) {
		if (parts[i].len)
			memcpy(s + o, parts[i].ptr, parts[i].len);
		o += parts[i].len;
	}
	s[o] = '\0';
	return sv_make(s, o);
}

static struct strview part(const char *s)
{
	return sv_cstr(s ? s : "(null)");
}

/* v as "%.*s" prints it: up to a NUL byte */
static struct strview upto_nul(struct strview v)
{
	const char *nul = v.len ? memchr(v.ptr, '\0', v.len) : NULL;

	return nul ? sv_make(v.ptr, (size_t)(nul - v.ptr)) : v;
}

/* n in decimal, as "%zu" */
static struct strview decimal(struct arena *a, size_t n)
{
	char tmp[24];
	size_t o = sizeof(tmp);

	do {
		tmp[--o] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	return join(a, &(struct strview){tmp + o, sizeof(tmp) - o}, 1);
}

static void add_cstr(struct arena *a, struct rec_value *obj, const char *key,
		     const char *value)
{
	if (value && *value)
		rec_add(obj, key, rec_str(a, sv_cstr(value)));
}

static struct rec_value *source_member(struct exec *x,
				       const struct map_source *src)
{
	struct arena *a = x->arena;
	struct rec_value *s = rec_object(a), *segs = rec_object(a);
	const struct x12_set *set = x->set;
	const char *sha = sha256_hex(set->bytes, a, src);

	rec_add(s, "format", rec_str(a, SV_LIT("x12")));
	add_cstr(a, s, "version", src->version);
	if (src->sender) {
		struct strview p[] = {part(src->sender_qual), SV_LIT(":"),
				      part(src->sender)};
		rec_add(s, "sender", rec_str(a, join(a, p, 3)));
	}
	if (src->receiver) {
		struct strview p[] = {part(src->receiver_qual), SV_LIT(":"),
				      part(src->receiver)};
		rec_add(s, "receiver", rec_str(a, join(a, p, 3)));
	}
	add_cstr(a, s, "interchange", src->interchange);
	add_cstr(a, s, "group", src->group);
	if (set->nsegs)
		rec_add(s, "set", rec_str(a, x12_seg_el(&set->segs[0], 2)));
	add_cstr(a, s, "file", src->file);
	add_cstr(a, s, "sha256", sha);
	if (set->nsegs) {
		rec_add(segs, "first",
			rec_number(a, decimal(a, set->segs[0].index)));
		rec_add(segs, "last",
			rec_number(
				a,
				decimal(a, set->segs[set->nsegs - 1].index)));
		rec_add(s, "segments", segs);
	}
	return s;
}

struct rec_value *map_exec(const struct map *m, const struct x12_set *set,
			   const struct map_source *src, struct arena *a,
			   struct edi_diag *diag)
{
	struct exec x = {m, set, a, diag};
	struct rec_value *rec = rec_object(a);
	struct rec_value *fields;
	const char *key = map_exec_partner_key(src, a);
	struct strview st02 =
		set->nsegs ? x12_seg_el(&set->segs[0], 2) : SV_LIT("");
	struct strview business;
	bool found;

	rec_add(rec, "doc_type", rec_str(a, sv_cstr(m->doc_type)));
	struct strview id[] = {
		part(key),
		SV_LIT("."),
		sv_cstr(src->interchange ? src->interchange : ""),
		SV_LIT("."),
		sv_cstr(src->group ? src->group : ""),
		SV_LIT("."),
		upto_nul(st02),
	};

	rec_add(rec, "id", rec_str(a, join(a, id, 7)));
	business = map_exec_path(set, &set->root, &m->doc_key, &found, NULL);
	if (found) {
		struct strview dk[] = {part(key), SV_LIT(":"),
				       part(m->doc_type), SV_LIT(":"),
				       upto_nul(business)};
		rec_add(rec, "doc_key", rec_str(a, join(a, dk, 5)));
	}
	add_cstr(a, rec, "partner", src->partner);
	add_cstr(a, rec, "correlation_id", src->correlation_id);
	rec_add(rec, "source", source_member(&x, src));
	fields = eval_object(&x, &set->root, NULL, &m->record);
	for (struct rec_value *v = fields ? fields->first : NULL, *next; v;
	     v = next) {
		next = v->next; /* rec_add relinks v */
		v->next = NULL;
		rec_add(rec, v->key, v);
	}
	return rec;
}
