/*
 * rec_value - the record tree; see rec_value.h.
 *
 * Children are a singly linked list with a tail pointer, so appending is
 * O(1) and order is insertion order.  rec_get() is a linear scan: records
 * have a few dozen members at most, and the writers walk the lists anyway.
 */
#include "rec_value.h"

#include <string.h>

static struct rec_value *node(struct arena *a, enum rec_kind kind)
{
	struct rec_value *v = arena_alloc(a, sizeof(*v));

	/* one store of the whole node instead of a memset call */
	*v = (struct rec_value){.kind = kind, .text = {"", 0}};
	return v;
}

struct rec_value *rec_object(struct arena *a)
{
	return node(a, REC_OBJECT);
}

struct rec_value *rec_array(struct arena *a)
{
	return node(a, REC_ARRAY);
}

struct rec_value *rec_str(struct arena *a, struct strview text)
{
	struct rec_value *v = node(a, REC_STRING);

	v->text = text;
	return v;
}

struct rec_value *rec_str_copy(struct arena *a, struct strview text)
{
	struct rec_value *v = node(a, REC_STRING);

	v->text = sv_make(arena_svdup(a, text), text.len);
	return v;
}

struct rec_value *rec_number(struct arena *a, struct strview text)
{
	struct rec_value *v = node(a, REC_NUMBER);

	v->text = text;
	return v;
}

struct rec_value *rec_bool(struct arena *a, bool b)
{
	struct rec_value *v = node(a, REC_BOOL);

	v->boolean = b;
	return v;
}

void rec_add(struct rec_value *parent, const char *key, struct rec_value *child)
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

void rec_add_first(struct rec_value *parent, const char *key,
		   struct rec_value *child)
{
	child->key = key;
	child->key_json = NULL;
	child->next = parent->first;
	parent->first = child;
	if (!parent->last)
		parent->last = child;
	parent->nchildren++;
}

struct rec_value *rec_get(const struct rec_value *obj, const char *key)
{
	if (!obj || obj->kind != REC_OBJECT)
		return NULL;
	for (struct rec_value *c = obj->first; c; c = c->next)
		if (c->key && !strcmp(c->key, key))
			return c;
	return NULL;
}

struct strview rec_get_text(const struct rec_value *obj, const char *key)
{
	const struct rec_value *v = rec_get(obj, key);

	if (v && (v->kind == REC_STRING || v->kind == REC_NUMBER))
		return v->text;
	return sv_make("", 0);
}
