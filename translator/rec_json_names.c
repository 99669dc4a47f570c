/*
 * rec_json_names - member names rendered once; see rec_json.h and
 * rec_json_int.h.
 *
 * The table of names found by address (rec_json_memo_add(), struct
 * rec_json_names) and the names rendered ahead (rec_json_name_new()):
 * both give exactly the bytes the exact writer gives for a name, `"name":`,
 * and only for a name that needs no escapes and fits a block.
 */
#include <stdlib.h>
#include <string.h>

#include "json_plain.h"
#include "rec_json_int.h"
#include "xalloc.h"

void rec_json_memo_init(struct key_memo *memo)
{
	for (size_t h = 0; h < NAMES_SIZE; h++)
		memo->slot[h].key = NULL;
	memo->start.key = (const char *)&memo->start;
	memo->start.follow = &memo->start;
	memo->nfree = NAMES_SIZE / 2;
}

void rec_json_memo_add(struct key_memo *memo, const char *key, size_t n)
{
	struct name_slot *t;
	size_t h = memo_slot(key);

	if (n + 3 > KEY_BYTES || !memo->nfree)
		return;
	for (; memo->slot[h].key; h = (h + 1) % NAMES_SIZE)
		if (memo->slot[h].key == key)
			return;
	t = &memo->slot[h];
	memset(t->text, 0, KEY_BYTES);
	if (!json_plain_copy(t->text + 1, key, n))
		return;
	t->text[0] = '"';
	t->text[n + 1] = '"';
	t->text[n + 2] = ':';
	t->len = n + 3;
	t->follow = t;
	t->key = key;
	memo->nfree--;
}

const struct rec_json_name *rec_json_name_new(struct arena *a, const char *key)
{
	struct rec_json_name *r;
	size_t n = strlen(key);

	if (n + 3 > KEY_BYTES)
		return NULL;
	r = arena_alloc(a, sizeof(*r));
	memset(r->text, 0, KEY_BYTES);
	if (!json_plain_copy(r->text + 1, key, n))
		return NULL; /* left in the arena */
	r->text[0] = '"';
	r->text[n + 1] = '"';
	r->text[n + 2] = ':';
	r->len = n + 3;
	return r;
}

struct rec_json_names *rec_json_names_new(void)
{
	struct rec_json_names *names = xmalloc(sizeof(*names));

	rec_json_memo_init(&names->memo);
	return names;
}

void rec_json_names_free(struct rec_json_names *names)
{
	free(names);
}
