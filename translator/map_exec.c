/*
 * map_exec - the record builder; see map_exec.h.
 *
 * The engine's own members (id, doc_key, source) are made here, joined by
 * hand instead of printf; the map's fields are map_exec_eval's, the
 * transforms map_exec_value's.
 */
#include "map_exec.h"

#include <string.h>

#include <openssl/evp.h>

#include "map_exec_eval.h"
#include "map_exec_json.h"

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

/* byte b in hex at [2 * b]: two digits per store instead of two lookups */
static const char hex_pairs[] =
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
	"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
	"404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
	"606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
	"e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

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
	for (unsigned int i = 0; i < len; i++)
		memcpy(hex + 2 * i, hex_pairs + 2 * md[i], 2);
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

#define ID_PARTS      7
#define DOC_KEY_PARTS 5

/* The parts of the record's id: partner key, ISA13, GS06 and ST02, with
 * dots between. */
static void record_id(const char *key, const struct map_source *src,
		      const struct x12_set *set, struct strview id[ID_PARTS])
{
	struct strview st02 =
		set->nsegs ? x12_seg_el(&set->segs[0], 2) : SV_LIT("");

	id[0] = part(key);
	id[1] = SV_LIT(".");
	id[2] = sv_cstr(src->interchange ? src->interchange : "");
	id[3] = SV_LIT(".");
	id[4] = sv_cstr(src->group ? src->group : "");
	id[5] = SV_LIT(".");
	id[6] = upto_nul(st02);
}

/* The parts of the record's doc_key (partner key, doc_type and the map's
 * business number, with colons between), or false when the set has no
 * business number. */
static bool record_doc_key(const struct map *m, const struct x12_set *set,
			   const char *key, struct strview dk[DOC_KEY_PARTS])
{
	bool found;
	struct strview business =
		map_exec_path(set, &set->root, &m->doc_key, &found, NULL);

	if (found) {
		dk[0] = part(key);
		dk[1] = SV_LIT(":");
		dk[2] = part(m->doc_type);
		dk[3] = SV_LIT(":");
		dk[4] = upto_nul(business);
	}
	return found;
}

/* n in decimal, as "%zu" */
static struct strview decimal(struct arena *a, size_t n)
{
	char tmp[24], *s;
	size_t o = sizeof(tmp);

	do {
		tmp[--o] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	s = arena_alloc(a, sizeof(tmp) - o + 1);
	memcpy(s, tmp + o, sizeof(tmp) - o);
	s[sizeof(tmp) - o] = '\0';
	return sv_make(s, sizeof(tmp) - o);
}

/* the engine's member names, rendered for rec_json at compile time */
static const struct map_exec_name name_doc_type = MAP_EXEC_NAME("doc_type"),
				  name_id = MAP_EXEC_NAME("id"),
				  name_doc_key = MAP_EXEC_NAME("doc_key"),
				  name_partner = MAP_EXEC_NAME("partner"),
				  name_correlation_id =
					  MAP_EXEC_NAME("correlation_id"),
				  name_source = MAP_EXEC_NAME("source"),
				  name_format = MAP_EXEC_NAME("format"),
				  name_version = MAP_EXEC_NAME("version"),
				  name_sender = MAP_EXEC_NAME("sender"),
				  name_receiver = MAP_EXEC_NAME("receiver"),
				  name_interchange =
					  MAP_EXEC_NAME("interchange"),
				  name_group = MAP_EXEC_NAME("group"),
				  name_set = MAP_EXEC_NAME("set"),
				  name_file = MAP_EXEC_NAME("file"),
				  name_sha256 = MAP_EXEC_NAME("sha256"),
				  name_segments = MAP_EXEC_NAME("segments"),
				  name_first = MAP_EXEC_NAME("first"),
				  name_last = MAP_EXEC_NAME("last");

static void add_cstr(struct map_exec_ctx *x, struct rec_value *obj,
		     const struct map_exec_name *name, const char *value)
{
	if (value && *value)
		map_exec_add_named(x, obj, name, REC_STRING, sv_cstr(value));
}

static void source_member(struct map_exec_ctx *x, struct rec_value *rec,
			  const struct map_source *src)
{
	struct arena *a = x->arena;
	const struct x12_set *set = x->set;
	const char *sha = sha256_hex(set->bytes, a, src);
	struct rec_value *s = map_exec_add_named(x, rec, &name_source,
						 REC_OBJECT, NO_TEXT),
			 *segs;

	map_exec_add_named(x, s, &name_format, REC_STRING, SV_LIT("x12"));
	add_cstr(x, s, &name_version, src->version);
	if (src->sender) {
		struct strview p[] = {part(src->sender_qual), SV_LIT(":"),
				      part(src->sender)};
		map_exec_add_named(x, s, &name_sender, REC_STRING,
				   join(a, p, 3));
	}
	if (src->receiver) {
		struct strview p[] = {part(src->receiver_qual), SV_LIT(":"),
				      part(src->receiver)};
		map_exec_add_named(x, s, &name_receiver, REC_STRING,
				   join(a, p, 3));
	}
	add_cstr(x, s, &name_interchange, src->interchange);
	add_cstr(x, s, &name_group, src->group);
	if (set->nsegs)
		map_exec_add_named(x, s, &name_set, REC_STRING,
				   x12_seg_el(&set->segs[0], 2));
	add_cstr(x, s, &name_file, src->file);
	add_cstr(x, s, &name_sha256, sha);
	if (set->nsegs) {
		segs = map_exec_add_named(x, s, &name_segments, REC_OBJECT,
					  NO_TEXT);
		map_exec_add_named(x, segs, &name_first, REC_NUMBER,
				   decimal(a, set->segs[0].index));
		map_exec_add_named(x, segs, &name_last, REC_NUMBER,
				   decimal(a, set->segs[set->nsegs - 1].index));
	}
}

struct rec_value *map_exec(const struct map *m, const struct x12_set *set,
			   const struct map_source *src, struct arena *a,
			   struct edi_diag *diag)
{
	struct map_exec_ctx x = {
		.map = m, .set = set, .arena = a, .diag = diag};
	struct rec_value *rec;
	const char *key = map_exec_partner_key(src, a);
	struct strview id[ID_PARTS], dk[DOC_KEY_PARTS];

	map_exec_refill(&x);
	rec = map_exec_node(&x, REC_OBJECT, NO_TEXT);
	map_exec_add_named(&x, rec, &name_doc_type, REC_STRING,
			   sv_cstr(m->doc_type));
	record_id(key, src, set, id);
	map_exec_add_named(&x, rec, &name_id, REC_STRING,
			   join(a, id, ID_PARTS));
	if (record_doc_key(m, set, key, dk))
		map_exec_add_named(&x, rec, &name_doc_key, REC_STRING,
				   join(a, dk, DOC_KEY_PARTS));
	add_cstr(&x, rec, &name_partner, src->partner);
	add_cstr(&x, rec, &name_correlation_id, src->correlation_id);
	source_member(&x, rec, src);
	map_exec_fields(
		&x, m->exec_plan ? m->exec_plan : map_exec_plan_new(m, a), rec);
	return rec;
}

/* --- the same record written as JSON (map_exec_json.h) --- */

static void put_cstr(struct map_exec_out *o, struct map_exec_cont *c,
		     const struct map_exec_name *name, const char *value)
{
	if (value && *value)
		map_exec_out_str(o, c, name->key, &name->json, sv_cstr(value));
}

static void put_str(struct map_exec_out *o, struct map_exec_cont *c,
		    const struct map_exec_name *name, struct strview value)
{
	map_exec_out_str(o, c, name->key, &name->json, value);
}

static void put_num(struct map_exec_out *o, struct map_exec_cont *c,
		    const struct map_exec_name *name, struct strview value)
{
	map_exec_out_num(o, c, name->key, &name->json, value);
}

/*
 * A string member joined from parts, each copied and checked straight
 * into the line: put_str(join()) without the string in the arena.  A
 * part that is not plain sends the joined string the exact way (plain is
 * a property of each byte, so the parts decide as the whole would).
 */
static void put_parts(struct map_exec_out *o, struct map_exec_cont *c,
		      const struct map_exec_name *name,
		      const struct strview *parts, size_t n, struct arena *a)
{
	size_t len = 0, need;
	char *w, *q;

	for (size_t i = 0; i < n; i++)
		len += parts[i].len;
	need = len + MAP_EXEC_ROOM;
	w = map_exec_out_room(o, need);
	w = map_exec_out_key(o, c, w, name->key, &name->json, need);
	c->sep = 1;
	*w = '"';
	q = w + 1;
	for (size_t i = 0; i < n; i++) {
		if (!json_plain_copy(q, parts[i].ptr, parts[i].len)) {
			map_exec_out_escaped(o, w, join(a, parts, n));
			return;
		}
		q += parts[i].len;
	}
	*q = '"';
	o->w = q + 1;
}

/* n as a number member: decimal() without the arena */
static void put_decimal(struct map_exec_out *o, struct map_exec_cont *c,
			const struct map_exec_name *name, size_t n)
{
	char tmp[24];
	size_t at = sizeof(tmp);

	do {
		tmp[--at] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	put_num(o, c, name, sv_make(tmp + at, sizeof(tmp) - at));
}

/* source_member(), written */
static void source_json(struct map_exec_ctx *x, struct map_exec_out *o,
			struct map_exec_cont *rec, const struct map_source *src)
{
	struct arena *a = x->arena;
	const struct x12_set *set = x->set;
	const char *sha = sha256_hex(set->bytes, a, src);
	struct map_exec_cont s = {0, true}, segs = {0, true};
	size_t mark = map_exec_out_open(o, rec, name_source.key,
					&name_source.json, '{'),
	       inner;

	put_str(o, &s, &name_format, SV_LIT("x12"));
	put_cstr(o, &s, &name_version, src->version);
	if (src->sender) {
		struct strview p[] = {part(src->sender_qual), SV_LIT(":"),
				      part(src->sender)};
		put_parts(o, &s, &name_sender, p, 3, a);
	}
	if (src->receiver) {
		struct strview p[] = {part(src->receiver_qual), SV_LIT(":"),
				      part(src->receiver)};
		put_parts(o, &s, &name_receiver, p, 3, a);
	}
	put_cstr(o, &s, &name_interchange, src->interchange);
	put_cstr(o, &s, &name_group, src->group);
	if (set->nsegs)
		put_str(o, &s, &name_set, x12_seg_el(&set->segs[0], 2));
	put_cstr(o, &s, &name_file, src->file);
	put_cstr(o, &s, &name_sha256, sha);
	if (set->nsegs) {
		inner = map_exec_out_open(o, &s, name_segments.key,
					  &name_segments.json, '{');
		put_decimal(o, &segs, &name_first, set->segs[0].index);
		put_decimal(o, &segs, &name_last,
			    set->segs[set->nsegs - 1].index);
		map_exec_out_close(o, &s, inner, &segs, '}');
	}
	map_exec_out_close(o, rec, mark, &s, '}');
}

bool map_exec_json_ready(const struct map *m, const struct buf *out)
{
	/* the source's segments object is at depth 2 */
	return m->exec_plan && m->exec_plan->depth < REC_JSON_MAX_DEPTH &&
	       out->max >= MAP_EXEC_JSON_UNBOUNDED &&
	       out->len <= out->max - MAP_EXEC_JSON_UNBOUNDED;
}

enum edi_code map_exec_json(const struct map *m, const struct x12_set *set,
			    const struct map_source *src, struct arena *a,
			    struct edi_diag *diag, struct buf *out)
{
	struct map_exec_ctx x = {
		.map = m, .set = set, .arena = a, .diag = diag};
	struct map_exec_out o;
	struct map_exec_cont rec = {0, true};
	size_t nerrors = diag->nerrors;
	const char *key = map_exec_partner_key(src, a);
	struct strview id[ID_PARTS], dk[DOC_KEY_PARTS];

	map_exec_out_init(&o, out);
	*o.w++ = '{';
	put_str(&o, &rec, &name_doc_type, sv_cstr(m->doc_type));
	record_id(key, src, set, id);
	put_parts(&o, &rec, &name_id, id, ID_PARTS, a);
	if (record_doc_key(m, set, key, dk))
		put_parts(&o, &rec, &name_doc_key, dk, DOC_KEY_PARTS, a);
	put_cstr(&o, &rec, &name_partner, src->partner);
	put_cstr(&o, &rec, &name_correlation_id, src->correlation_id);
	source_json(&x, &o, &rec, src);
	map_exec_json_fields(&x, &o, m->exec_plan, &rec);
	*map_exec_out_room(&o, 1) = '}';
	o.w++;
	return map_exec_out_end(&o, diag->nerrors != nerrors);
}
