/*
 * rec_value - a canonical record as a small tree, built in an arena.
 *
 * The record builder (map_exec) makes one tree per transaction set in the
 * document's arena; rec_json and rec_csv write it out.  Objects keep their
 * members in insertion order.  Strings are views: rec_str() does not copy
 * (the bytes must outlive the tree, e.g. the set's own bytes or the
 * arena), rec_str_copy() copies into the arena.  Nothing here fails except
 * by aborting on out of memory (the arena).
 */
#ifndef EDI_REC_VALUE_H
#define EDI_REC_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "strview.h"

enum rec_kind {
	REC_STRING,
	REC_NUMBER, /* text holds a JSON number, e.g. "3" or "-12.5" */
	REC_BOOL,
	REC_OBJECT,
	REC_ARRAY
};

struct rec_json_name; /* rec_json.h */

struct rec_value {
	enum rec_kind kind;
	bool boolean;	     /* BOOL */
	struct strview text; /* STRING, NUMBER */
	const char *key;     /* the member name when inside an object */
	/* key as rec_json writes it, rendered ahead by a builder that knows
	 * its names (map_exec), or NULL; rec_add() and rec_link() clear it */
	const struct rec_json_name *key_json;
	struct rec_value *first, *last; /* OBJECT, ARRAY: the children */
	size_t nchildren;
	struct rec_value *next; /* the next sibling */
};

struct rec_value *rec_object(struct arena *a);
struct rec_value *rec_array(struct arena *a);
struct rec_value *rec_str(struct arena *a, struct strview text);
struct rec_value *rec_str_copy(struct arena *a, struct strview text);
struct rec_value *rec_number(struct arena *a, struct strview text);
struct rec_value *rec_bool(struct arena *a, bool b);

/* Append child to an array (key NULL) or an object (key given). */
void rec_add(struct rec_value *parent, const char *key,
	     struct rec_value *child);
/* rec_add() inline, for the record builder's inner loops. */
static inline void rec_link(struct rec_value *parent, const char *key,
			    struct rec_value *child)
{
	child->key = key;
	child->key_json = NULL;
	child->next = NULL;
	if (parent->last)
		parent->last->next = child;
	else
		parent->first = child;
	parent->last = child;
	parent->nchildren++;
}

/* Insert child as the first member of an object. */
void rec_add_first(struct rec_value *parent, const char *key,
		   struct rec_value *child);
/* The member named key of an object, or NULL. */
struct rec_value *rec_get(const struct rec_value *obj, const char *key);
/* The string or number text of member key, or an empty view. */
struct strview rec_get_text(const struct rec_value *obj, const char *key);

#endif
