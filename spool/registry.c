/*
 * registry - loading maps and partner profiles; see registry.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "registry.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "buf.h"
#include "map_load.h"
#include "profile_sftp.h"
#include "profile_as2.h"
#include "xalloc.h"
#include "yaml_doc.h"

static void config_error(struct edi_diag *errors, const struct ynode *at,
			 const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void config_error(struct edi_diag *errors, const struct ynode *at,
			 const char *fmt, ...)
{
	char msg[EDI_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (at)
		edi_diag_addf(errors, EDI_ECONFIG, NULL, "%s:%u:%u: %s",
			      at->file, at->line, at->col, msg);
	else
		edi_diag_addf(errors, EDI_ECONFIG, NULL, "%s", msg);
}

static enum edi_code read_file(const char *path, struct buf *out,
			       struct edi_diag *errors)
{
	char chunk[16384];
	ssize_t got;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	buf_init(out, REGISTRY_MAX_FILE_BYTES);
	if (fd < 0) {
		edi_diag_addf(errors, EDI_ECONFIG, NULL, "cannot read '%s': %s",
			      path, strerror(errno));
		return EDI_ECONFIG;
	}
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || buf_add(out, chunk, (size_t)got) != EDI_OK) {
			edi_diag_addf(errors, EDI_ECONFIG, NULL,
				      "cannot read '%s': %s", path,
				      got < 0 ? strerror(errno)
					      : "larger than 8 MiB");
			close(fd);
			buf_release(out);
			return EDI_ECONFIG;
		}
	}
	close(fd);
	return EDI_OK;
}

static bool is_yaml_name(const char *name)
{
	size_t n = strlen(name);

	if (name[0] == '.')
		return false;
	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* All *.yaml files under dir (two levels deep), sorted. */
static enum edi_code list_yaml(const char *dir, int depth, char ***files,
			       size_t *n, size_t *cap, struct edi_diag *errors)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = *n; /* sort only what this folder adds */

	if (!d) {
		edi_diag_addf(errors,
			      errno == ENOENT ? EDI_ENOENT : EDI_ECONFIG, NULL,
			      "cannot read folder '%s': %s", dir,
			      strerror(errno));
		return errno == ENOENT ? EDI_ENOENT : EDI_ECONFIG;
	}
	while ((e = readdir(d)) != NULL) {
		struct stat st;
		char *path;

		if (e->d_name[0] == '.')
			continue;
		path = xmalloc(strlen(dir) + strlen(e->d_name) + 2);
		memcpy(path, dir, strlen(dir));
		path[strlen(dir)] = '/';
		memcpy(path + strlen(dir) + 1, e->d_name,
		       strlen(e->d_name) + 1);
		if (stat(path, &st) == 0 && S_ISDIR(st.st_mode) && depth < 2) {
			list_yaml(path, depth + 1, files, n, cap, errors);
			free(path);
			continue;
		}
		if (!S_ISREG(st.st_mode) || !is_yaml_name(e->d_name) ||
		    *n >= REGISTRY_MAX_FILES) {
			free(path);
			continue;
		}
		if (*n == *cap) {
			*cap = *cap ? *cap * 2 : 32;
			*files = xreallocarray(*files, *cap, sizeof(**files));
		}
		(*files)[(*n)++] = path;
	}
	closedir(d);
	if (*n > first) /* none: *files may be NULL */
		qsort(*files + first, *n - first, sizeof(**files), cmp_str);
	return EDI_OK;
}

/* --- partner profiles --- */

static bool id_valid(const char *s)
{
	if (!*s || *s == '.')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' ||
		      *s == '-'))
			return false;
	return true;
}

static const struct ynode *scalar(const struct ynode *n, const char *what,
				  struct edi_diag *errors)
{
	if (n && n->kind != YNODE_SCALAR) {
		config_error(errors, n, "%s must be a single value, not a %s",
			     what, ynode_kind_name(n->kind));
		return NULL;
	}
	return n;
}

/* "ZZ:ACMESUPPLY" lists into ids. */
static size_t parse_ids(struct registry *reg, const struct ynode *list,
			const char *what, struct partner_isa_id **out,
			struct edi_diag *errors)
{
	size_t n = 0;

	*out = NULL;
	if (!list)
		return 0;
	if (list->kind == YNODE_SCALAR) {
		config_error(errors, list,
			     "%s must be a list such as [\"ZZ:ACME\"]", what);
		return 0;
	}
	if (list->kind != YNODE_SEQ || list->n > REGISTRY_MAX_IDS) {
		config_error(errors, list,
			     "%s must be a list of at most %d ids", what,
			     REGISTRY_MAX_IDS);
		return 0;
	}
	*out = arena_array(&reg->arena, list->n ? list->n : 1, sizeof(**out));
	for (size_t i = 0; i < list->n; i++) {
		const struct ynode *it = scalar(list->items[i], what, errors);
		const char *colon;
		if (!it)
			continue;
		colon = strchr(it->value, ':');
		if (!colon || colon - it->value != 2 || !colon[1] ||
		    strlen(colon + 1) > 15) {
			config_error(errors, it,
				     "'%s' is not QUALIFIER:ID (e.g. ZZ:ACME, "
				     "the ISA qualifier and id, at most 15 "
				     "characters)",
				     it->value);
			continue;
		}
		(*out)[n].qual =
			arena_svdup(&reg->arena, sv_make(it->value, 2));
		(*out)[n].id = arena_strdup(&reg->arena, colon + 1);
		n++;
	}
	return n;
}

static void parse_rules(const struct ynode *rules, struct partner *p,
			struct registry *reg, struct edi_diag *errors)
{
	static const char *const names[] = {"lines", "total", "gtin", "sscc",
					    "require"};

	if (!rules)
		return;
	if (rules->kind != YNODE_MAP) {
		config_error(errors, rules,
			     "rules must be a mapping such as {gtin: off}");
		return;
	}
	for (size_t i = 0; i + 1 < rules->n; i += 2) {
		const struct ynode *k = rules->items[i],
				   *v = rules->items[i + 1];
		bool off =
			v->kind == YNODE_SCALAR &&
			(!strcmp(v->value, "off") ||
			 !strcmp(v->value, "false") || !strcmp(v->value, "no"));
		bool on =
			v->kind == YNODE_SCALAR &&
			(!strcmp(v->value, "on") || !strcmp(v->value, "true") ||
			 !strcmp(v->value, "yes"));
		size_t which = 0;
		while (which < 5 && strcmp(k->value, names[which]))
			which++;
		if (which == 5) {
			config_error(errors, k,
				     "unknown rule '%s' (lines, total, gtin, "
				     "sscc, require)",
				     k->value);
			continue;
		}
		if (which == 1 && v->kind == YNODE_MAP) {
			const struct ynode *t = ynode_get(v, "tolerance");
			if (!t || t->kind != YNODE_SCALAR)
				config_error(
					errors, v,
					"total takes {tolerance: \"0.01\"} "
					"or off");
			else
				p->rules.tolerance =
					arena_strdup(&reg->arena, t->value);
			continue;
		}
		if (!off && !on) {
			config_error(errors, v, "rule %s must be on or off",
				     names[which]);
			continue;
		}
		switch (which) {
		case 0:
			p->rules.off_lines = off;
			break;
		case 1:
			p->rules.off_total = off;
			break;
		case 2:
			p->rules.off_gtin = off;
			break;
		case 3:
			p->rules.off_sscc = off;
			break;
		default:
			p->rules.off_require = off;
			break;
		}
	}
}

static void parse_maps(const struct ynode *maps, struct partner *p,
		       struct registry *reg, struct edi_diag *errors)
{
	size_t n = 0, cap;

	if (!maps)
		return;
	if (maps->kind != YNODE_MAP) {
		config_error(errors, maps,
			     "maps must be a mapping such as {\"850\": "
			     "acme-850}");
		return;
	}
	cap = 0;
	for (size_t i = 1; i < maps->n; i += 2)
		cap += maps->items[i]->kind == YNODE_MAP ? maps->items[i]->n / 2
							 : 1;
	p->maps = arena_array(&reg->arena, cap ? cap : 1, sizeof(*p->maps));
	for (size_t i = 0; i + 1 < maps->n; i += 2) {
		const struct ynode *k = maps->items[i], *v = maps->items[i + 1];
		if (v->kind == YNODE_SCALAR) {
			p->maps[n].document = k->value;
			p->maps[n].map_id = v->value;
			p->maps[n].map = map_set_find(&reg->maps, v->value);
			if (!p->maps[n].map)
				config_error(errors, v,
					     "no map '%s' (edigate partners "
					     "lists the maps)",
					     v->value);
			n++;
			continue;
		}
		if (v->kind != YNODE_MAP) {
			config_error(errors, v,
				     "a map choice is a map id or "
				     "{VERSION: map-id}");
			continue;
		}
		for (size_t j = 0; j + 1 < v->n; j += 2) {
			const struct ynode *vk = v->items[j];
			const struct ynode *vv =
				scalar(v->items[j + 1], "a map id", errors);
			if (!vv)
				continue;
			p->maps[n].document = k->value;
			p->maps[n].version = vk->value;
			p->maps[n].map_id = vv->value;
			p->maps[n].map = map_set_find(&reg->maps, vv->value);
			if (!p->maps[n].map)
				config_error(errors, vv, "no map '%s'",
					     vv->value);
			n++;
		}
	}
	p->nmaps = n;
}

static void parse_flat(const struct ynode *flat, struct partner *p,
		       struct registry *reg, struct edi_diag *errors)
{
	if (!flat)
		return;
	if (flat->kind != YNODE_SEQ) {
		config_error(errors, flat,
			     "flat must be a list of {pattern, map}");
		return;
	}
	p->flat = arena_array(&reg->arena, flat->n ? flat->n : 1,
			      sizeof(*p->flat));
	for (size_t i = 0; i < flat->n; i++) {
		const struct ynode *it = flat->items[i];
		const struct ynode *pat = ynode_get(it, "pattern");
		const struct ynode *map = ynode_get(it, "map");
		struct partner_flat *f = &p->flat[p->nflat];
		int ecode;
		PCRE2_SIZE eoff;

		if (it->kind != YNODE_MAP || !pat || !map ||
		    pat->kind != YNODE_SCALAR || map->kind != YNODE_SCALAR) {
			config_error(errors, it,
				     "a flat entry is {pattern: REGEX, map: "
				     "MAP-ID}");
			continue;
		}
		f->pattern = pat->value;
		f->map_id = map->value;
		f->map = map_set_find(&reg->maps, map->value);
		if (!f->map)
			config_error(errors, map, "no map '%s'", map->value);
		f->regex = pcre2_compile((PCRE2_SPTR)pat->value,
					 PCRE2_ZERO_TERMINATED, 0, &ecode,
					 &eoff, NULL);
		if (!f->regex) {
			PCRE2_UCHAR text[120];
			pcre2_get_error_message(ecode, text, sizeof(text));
			config_error(errors, pat, "bad pattern: %s at %zu",
				     (const char *)text, (size_t)eoff);
			continue;
		}
		p->nflat++;
	}
}

/* acks: {type: 997|999|none, ta1: auto|always|never, window_hours: N} */
static void parse_acks(const struct ynode *n, struct partner *p,
		       struct edi_diag *errors)
{
	static const char *const keys[] = {"type", "ta1", "window_hours"};
	const struct ynode *t;

	if (!n)
		return;
	if (n->kind != YNODE_MAP) {
		config_error(errors, n,
			     "acks must be {type: 997|999|none, ta1: "
			     "auto|always|never, window_hours: N}");
		return;
	}
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		size_t k = 0;
		while (k < 3 && strcmp(n->items[i]->value, keys[k]))
			k++;
		if (k == 3)
			config_error(errors, n->items[i],
				     "unknown key '%s' in acks",
				     n->items[i]->value);
	}
	t = ynode_get(n, "type");
	if (t && (t->kind != YNODE_SCALAR ||
		  (strcmp(t->value, "997") && strcmp(t->value, "999") &&
		   strcmp(t->value, "none"))))
		config_error(errors, t, "acks.type must be 997, 999 or none");
	else if (t)
		p->ack_type = t->value;
	t = ynode_get(n, "ta1");
	if (t && (t->kind != YNODE_SCALAR ||
		  (strcmp(t->value, "auto") && strcmp(t->value, "always") &&
		   strcmp(t->value, "never"))))
		config_error(errors, t,
			     "acks.ta1 must be auto (when ISA14 asks or the "
			     "envelope is broken), always or never");
	else if (t)
		p->ta1 = t->value;
	t = ynode_get(n, "window_hours");
	if (t) {
		char *end = NULL;
		unsigned long v = t->kind == YNODE_SCALAR
					  ? strtoul(t->value, &end, 10)
					  : 0;
		if (t->kind != YNODE_SCALAR || !end || *end || !t->value[0] ||
		    v > 8760)
			config_error(errors, t,
				     "acks.window_hours must be 0 to 8760");
		else
			p->ack_window_hours = (unsigned)v;
	}
}

static void parse_profile(struct registry *reg, const struct ynode *root,
			  struct edi_diag *errors)
{
	static const char *const keys[] = {
		"id",	      "name", "interchange", "maps", "rules",
		"outputs",    "flat", "enabled",     "acks", "description",
		"duplicates", "x12",  "sftp",	     "as2"};
	struct partner *p = &reg->partners[reg->npartners];
	const struct ynode *n, *ic;
	size_t nkeys = sizeof(keys) / sizeof(keys[0]);

	memset(p, 0, sizeof(*p));
	p->file = root->file;
	p->enabled = true;
	p->ack_type = "997";
	p->ta1 = "auto";
	p->ack_window_hours = 24;
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		size_t k = 0;
		while (k < nkeys && strcmp(root->items[i]->value, keys[k]))
			k++;
		if (k == nkeys)
			config_error(errors, root->items[i],
				     "unknown key '%s' in a partner profile",
				     root->items[i]->value);
	}
	n = scalar(ynode_get(root, "id"), "id", errors);
	if (!n || !id_valid(n->value)) {
		config_error(errors, n ? n : root,
			     "a partner needs an id of letters, digits, '.', "
			     "'_' or '-'");
		return;
	}
	p->id = n->value;
	for (size_t i = 0; i < reg->npartners; i++)
		if (!strcmp(reg->partners[i].id, p->id)) {
			config_error(errors, n,
				     "partner '%s' is also defined in %s",
				     p->id, reg->partners[i].file);
			return;
		}
	n = scalar(ynode_get(root, "name"), "name", errors);
	p->name = n ? n->value : p->id;
	n = scalar(ynode_get(root, "enabled"), "enabled", errors);
	if (n && (!strcmp(n->value, "false") || !strcmp(n->value, "no") ||
		  !strcmp(n->value, "off")))
		p->enabled = false;
	ic = ynode_get(root, "interchange");
	if (!ic || ic->kind != YNODE_MAP) {
		config_error(errors, ic ? ic : root,
			     "partner '%s' needs interchange: {them: "
			     "[\"ZZ:THEIRID\"], us: [\"ZZ:OURID\"]}",
			     p->id);
	} else {
		p->nthem = parse_ids(reg, ynode_get(ic, "them"),
				     "interchange.them", &p->them, errors);
		p->nus = parse_ids(reg, ynode_get(ic, "us"), "interchange.us",
				   &p->us, errors);
		if (!p->nthem)
			config_error(errors, ic,
				     "interchange.them needs at least one "
				     "QUALIFIER:ID");
	}
	parse_maps(ynode_get(root, "maps"), p, reg, errors);
	parse_rules(ynode_get(root, "rules"), p, reg, errors);
	parse_flat(ynode_get(root, "flat"), p, reg, errors);
	n = ynode_get(root, "outputs");
	if (n && n->kind == YNODE_SEQ) {
		p->outputs = arena_array(&reg->arena, n->n ? n->n : 1,
					 sizeof(char *));
		for (size_t i = 0; i < n->n; i++)
			if (scalar(n->items[i], "an output name", errors))
				p->outputs[p->noutputs++] = n->items[i]->value;
	} else if (n) {
		config_error(errors, n, "outputs must be a list of names");
	}
	parse_acks(ynode_get(root, "acks"), p, errors);
	profile_x12_parse(&p->x12, ynode_get(root, "x12"), &reg->arena, errors);
	p->sftp = profile_sftp_parse(&reg->arena, ynode_get(root, "sftp"),
				     root->file, errors);
	p->as2 = profile_as2_parse(&reg->arena, ynode_get(root, "as2"),
				   root->file, errors);
	reg->npartners++;
}

enum edi_code registry_load(struct registry *reg, const char *maps_dir,
			    const char *partners_dir, struct edi_diag *errors)
{
	char **files = NULL;
	size_t nfiles = 0, cap = 0, nmaps_dir = 0;
	struct ynode **roots;
	enum edi_code rc = EDI_OK;
	size_t errors_before = errors->nerrors;

	memset(reg, 0, sizeof(*reg));
	arena_init(&reg->arena, 64 * 1024);
	map_set_init(&reg->maps);
	reg->maps_dir = maps_dir;
	reg->partners_dir = partners_dir;
	if (maps_dir && (rc = list_yaml(maps_dir, 0, &files, &nfiles, &cap,
					errors)) != EDI_OK)
		goto out;
	nmaps_dir = nfiles;
	if (partners_dir && (rc = list_yaml(partners_dir, 0, &files, &nfiles,
					    &cap, errors)) != EDI_OK)
		goto out;
	roots = arena_array(&reg->arena, nfiles ? nfiles : 1, sizeof(*roots));
	reg->partners = arena_array(&reg->arena, nfiles ? nfiles : 1,
				    sizeof(*reg->partners));
	for (size_t i = 0; i < nfiles; i++) {
		struct buf text;
		struct edi_error err;
		bool is_map;

		if (read_file(files[i], &text, errors) != EDI_OK)
			continue;
		if (ydoc_parse(&reg->arena, files[i], buf_view(&text),
			       &roots[i], NULL, &err) != EDI_OK) {
			edi_diag_add(errors, &err);
			buf_release(&text);
			continue;
		}
		if (!roots[i] || roots[i]->kind != YNODE_MAP) {
			config_error(errors, roots[i],
				     "%s: expected a map (map: ...) or a "
				     "partner profile (id: ...)",
				     files[i]);
			buf_release(&text);
			continue;
		}
		is_map = ynode_get(roots[i], "map") != NULL;
		if (is_map) {
			/* parsed once: the tree stays in the registry's arena */
			map_load_tree(&reg->maps, files[i], roots[i], errors);
			reg->nmap_files++;
			roots[i] = NULL;
		} else if (i < nmaps_dir) {
			config_error(errors, roots[i],
				     "%s is in the maps folder but is not a "
				     "map (no 'map:' key)",
				     files[i]);
			roots[i] = NULL;
		}
		buf_release(&text);
	}
	map_set_resolve(&reg->maps, errors);
	for (size_t i = 0; i < nfiles; i++)
		if (roots[i]) {
			parse_profile(reg, roots[i], errors);
			reg->nprofile_files++;
		}
	rc = errors->nerrors > errors_before ? EDI_ECONFIG : EDI_OK;
out:
	for (size_t i = 0; i < nfiles; i++)
		free(files[i]);
	free(files);
	return rc;
}

void registry_release(struct registry *reg)
{
	for (size_t i = 0; i < reg->npartners; i++)
		for (size_t j = 0; j < reg->partners[i].nflat; j++)
			pcre2_code_free(reg->partners[i].flat[j].regex);
	for (size_t i = 0; i < reg->npartners; i++)
		profile_sftp_release(reg->partners[i].sftp);
	map_set_release(&reg->maps);
	arena_release(&reg->arena);
	memset(reg, 0, sizeof(*reg));
}

const struct partner *registry_partner(const struct registry *reg,
				       const char *id)
{
	for (size_t i = 0; i < reg->npartners; i++)
		if (!strcmp(reg->partners[i].id, id))
			return &reg->partners[i];
	return NULL;
}

static bool id_listed(const struct partner_isa_id *ids, size_t n,
		      const char *qual, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ids[i].qual, qual) && !strcmp(ids[i].id, id))
			return true;
	return false;
}

const struct partner *registry_partner_for_isa(const struct registry *reg,
					       const char *sender_qual,
					       const char *sender,
					       const char *receiver_qual,
					       const char *receiver)
{
	for (size_t i = 0; i < reg->npartners; i++) {
		const struct partner *p = &reg->partners[i];
		if (!p->enabled ||
		    !id_listed(p->them, p->nthem, sender_qual, sender))
			continue;
		if (p->nus &&
		    !id_listed(p->us, p->nus, receiver_qual, receiver))
			continue;
		return p;
	}
	return NULL;
}

const struct map *registry_map_for(const struct registry *reg,
				   const struct partner *p,
				   struct strview document,
				   struct strview version)
{
	const struct map *any = NULL;

	for (size_t i = 0; p && i < p->nmaps; i++) {
		const struct partner_map_choice *c = &p->maps[i];
		if (!sv_eq_cstr(document, c->document) || !c->map)
			continue;
		if (!c->version)
			any = c->map;
		else if (version.len >= strlen(c->version) &&
			 !memcmp(version.ptr, c->version, strlen(c->version)))
			return c->map;
	}
	if (any)
		return any;
	return map_set_select(&reg->maps, document, version);
}

const struct map *registry_select(const struct registry *reg,
				  const struct partner *forced,
				  const char *sender_qual, const char *sender,
				  const char *receiver_qual,
				  const char *receiver, struct strview document,
				  struct strview version, const char **partner,
				  struct map_rule_opts *rules)
{
	const struct partner *p = forced;

	if (!p)
		p = registry_partner_for_isa(reg, sender_qual, sender,
					     receiver_qual, receiver);
	if (p) {
		*partner = p->id;
		*rules = p->rules;
	}
	return registry_map_for(reg, p, document, version);
}
