/*
 * rec_json - write a canonical record tree as one JSON line.
 *
 * rec_json_write() appends one JSON value to a struct buf: members in
 * insertion order, strings escaped as json_escape() does (bytes that are
 * not UTF-8 become U+FFFD), numbers as their text, no white space and no
 * trailing newline (the caller adds "\n" between records).  It is on the
 * hot path of translate, so it writes straight into the buf's storage.
 *
 * Fails with EDI_ELIMIT when the buf's maximum is reached or the tree is
 * nested deeper than REC_JSON_MAX_DEPTH, and EDI_EINTERNAL for a tree the
 * record builder should never make (a member without a key, a NUMBER whose
 * text is not a JSON number).  On failure the buf is as it was before the
 * call, so a half record is never output.
 */
#ifndef EDI_REC_JSON_H
#define EDI_REC_JSON_H

#include "arena.h"
#include "buf.h"
#include "edi_error.h"
#include "rec_value.h"

#define REC_JSON_MAX_DEPTH 32

enum edi_code rec_json_write(struct buf *out, const struct rec_value *v);

/*
 * Member names rendered once for many records.  rec_json_write() renders
 * each member name of a record as the bytes `"name":` once and finds them
 * again by the name's address; rec_json_write_names() keeps them in names
 * from one record to the next, so a name is rendered once per run.  The
 * bytes of every name a record uses must stay at their address, unchanged,
 * for as long as names is used with it: the map set's field names and
 * string literals do (keys copied into a document's arena do not).
 * rec_json_names_new() aborts when out of memory.
 */
struct rec_json_names;

struct rec_json_names *rec_json_names_new(void);
void rec_json_names_free(struct rec_json_names *names);
/* rec_json_write(), with names remembered in names. */
enum edi_code rec_json_write_names(struct buf *out, const struct rec_value *v,
				   struct rec_json_names *names);

/*
 * A member name rendered ahead: the bytes `"name":` (at most
 * REC_JSON_NAME_BYTES, the rest zero) and their length.  A builder that
 * knows its names (map_exec's plan, made when the map set is loaded) sets
 * a node's key_json to one, and the writer copies it as it is instead of
 * looking the name up.  rec_json_name_new() renders key in a, or gives
 * NULL when key needs escapes or is too long (the writer renders those
 * itself); REC_JSON_NAME() renders a string literal that needs neither,
 * at compile time.  A node's key_json must be the rendering of its key.
 */
#define REC_JSON_NAME_BYTES 32

struct rec_json_name {
	char text[REC_JSON_NAME_BYTES];
	size_t len;
};

#define REC_JSON_NAME(lit)                                      \
	{                                                       \
		.text = "\"" lit "\":", .len = sizeof(lit) + 2, \
	}

const struct rec_json_name *rec_json_name_new(struct arena *a, const char *key);

/*
 * For a writer that gives rec_json_write()'s bytes without a tree
 * (map_exec_json): s as a JSON string the exact way (escaped, bytes that
 * are not UTF-8 as U+FFFD), with ':' after it when key; EDI_ELIMIT at
 * the buf's maximum.  rec_json_number_ok() says whether the text of a
 * REC_NUMBER is one the writers accept (else they fail with
 * EDI_EINTERNAL).
 */
enum edi_code rec_json_put_string(struct buf *b, struct strview s, bool key);
bool rec_json_number_ok(struct strview text);

#endif
