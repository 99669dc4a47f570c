/*
 * map_exec - build the canonical record of one transaction set.
 *
 * map_exec() evaluates the record section of a map over a set that
 * map_guide_apply() has placed, and returns the record tree (rec_value),
 * allocated in the arena given.  The engine's own members come first, in
 * this order: doc_type, id, doc_key, partner, correlation_id, source; then
 * the map's fields.  A value that cannot be mapped (a bad date under a
 * date transform, a code missing from a table, a failed match) is an
 * error with the location of the element (X12_MAP_VALUE); the record is
 * still returned, and the caller rejects the set when diag has errors.
 */
#ifndef EDI_MAP_EXEC_H
#define EDI_MAP_EXEC_H

#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "edi_error.h"
#include "map.h"
#include "rec_value.h"
#include "x12_set.h"

/* Where the set came from; the strings must outlive the record. */
struct evp_md_ctx_st; /* OpenSSL's EVP_MD_CTX */
struct evp_md_st;     /* OpenSSL's EVP_MD */

struct map_source {
	const char *partner;		      /* profile id, or NULL */
	const char *correlation_id;	      /* spool entry id, or NULL */
	const char *file;		      /* the input's name, or NULL */
	const char *version;		      /* GS08 */
	const char *sender_qual, *sender;     /* ISA05, ISA06 */
	const char *receiver_qual, *receiver; /* ISA07, ISA08 */
	const char *interchange;	      /* ISA13 */
	const char *group;		      /* GS06 */
	/*
	 * Optional, for speed: a digest context and SHA-256 fetched once
	 * by the caller for every set (x12_translate does); NULL: a
	 * one-shot EVP_Digest() per set, with the same sha256.
	 */
	struct evp_md_ctx_st *sha256_ctx;
	const struct evp_md_st *sha256;
};

struct rec_value *map_exec(const struct map *m, const struct x12_set *set,
			   const struct map_source *src, struct arena *a,
			   struct edi_diag *diag);

/*
 * The record of map_exec() written straight as its JSON line, without the
 * tree: the bytes rec_json_write_names() would append to out for it, with
 * the same diagnostics in diag.  Only for a buf map_exec_json_ready()
 * accepts: one without a reachable maximum (at least
 * MAP_EXEC_JSON_UNBOUNDED bytes to go, so memory runs out first) and a
 * map with a plan that does not nest too deep for rec_json; others take
 * map_exec() and rec_json.  When diag gets an error, or the record is one
 * rec_json would refuse (its code is returned then), out is left as it
 * was.
 */
#define MAP_EXEC_JSON_UNBOUNDED (SIZE_MAX / 4)

bool map_exec_json_ready(const struct map *m, const struct buf *out);
enum edi_code map_exec_json(const struct map *m, const struct x12_set *set,
			    const struct map_source *src, struct arena *a,
			    struct edi_diag *diag, struct buf *out);

/*
 * The value of a path in the whole set (the first match), or an empty
 * view with *found false.  Used by the rules too.
 */
struct strview map_exec_path(const struct x12_set *set,
			     const struct x12_loop *scope,
			     const struct map_path *path, bool *found,
			     const struct x12_seg **seg_out);

/*
 * Apply a PATH field's transforms (and its default or constant) to a raw
 * value v (found: whether the path found one); *out is NULL when the
 * field stays absent.  Used for flat files too.
 */
enum edi_code map_exec_value(const struct map_field *f, struct strview v,
			     bool found, struct arena *a,
			     struct rec_value **out, struct edi_error *err);

/* The id prefix for a set without a partner profile: "zz-acmesupply". */
const char *map_exec_partner_key(const struct map_source *src, struct arena *a);

#endif
