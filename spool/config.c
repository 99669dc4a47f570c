/*
 * config - edigate.yaml into struct config; see config.h.
 *
 * Every section is checked against a list of known keys, so a misspelt
 * key is an error rather than a silently ignored setting.  YAML scalars
 * arrive as text: numbers are parsed here, and a quoted number is a
 * string, hence a wrong type.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "fileio.h"
#include "yaml_doc.h"

struct loader {
	struct config *cfg;
	struct edi_diag *errors;
	const char *base; /* folder of the file; NULL: as given */
};

static void problem(struct loader *l, const struct ynode *at, const char *fmt,
		    ...) __attribute__((format(printf, 3, 4)));

static void problem(struct loader *l, const struct ynode *at, const char *fmt,
		    ...)
{
	char msg[EDI_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	edi_diag_addf(l->errors, EDI_ECONFIG, NULL, "%s:%u:%u: %s", at->file,
		      at->line, at->col, msg);
}

const char *config_format_name(enum config_format format)
{
	switch (format) {
	case CONFIG_FORMAT_JSONL:
		return "jsonl";
	case CONFIG_FORMAT_CSV:
		return "csv";
	}
	return "?";
}

const char *config_kind_name(enum config_output_kind kind)
{
	switch (kind) {
	case CONFIG_OUTPUT_FILE:
		return "file";
	case CONFIG_OUTPUT_REST:
		return "rest";
	}
	return "?";
}

const char *config_method_name(enum config_method method)
{
	switch (method) {
	case CONFIG_METHOD_POST:
		return "POST";
	case CONFIG_METHOD_PUT:
		return "PUT";
	}
	return "?";
}

void config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	arena_init(&cfg->arena, 0);
	cfg->spool_dir = CONFIG_DEFAULT_SPOOL;
	cfg->maps_dir = CONFIG_DEFAULT_MAPS;
	cfg->partners_dir = CONFIG_DEFAULT_PARTNERS;
	cfg->limits.max_errors = CONFIG_DEFAULT_MAX_ERRORS;
	cfg->limits.max_file_bytes = CONFIG_DEFAULT_MAX_FILE;
	cfg->limits.max_segment_bytes = CONFIG_DEFAULT_MAX_SEGMENT;
	cfg->limits.max_set_bytes = CONFIG_DEFAULT_MAX_SET;
	cfg->retention.archive_days = CONFIG_DEFAULT_ARCHIVE_DAYS;
	cfg->retention.sent_days = CONFIG_DEFAULT_SENT_DAYS;
	cfg->retention.error_days = CONFIG_DEFAULT_ERROR_DAYS;
	cfg->duplicates.window_days = CONFIG_DEFAULT_WINDOW_DAYS;
	cfg->duplicates.ignore = false;
	cfg->run.batch_files = CONFIG_DEFAULT_BATCH_FILES;
	cfg->serve.address = CONFIG_DEFAULT_SERVE_ADDRESS;
	cfg->serve.port = CONFIG_DEFAULT_SERVE_PORT;
	cfg->serve.timeout_s = CONFIG_DEFAULT_SERVE_TIMEOUT;
	cfg->run.pull = true;
	cfg->run.push = true;
}

void config_release(struct config *cfg)
{
	arena_release(&cfg->arena);
	memset(cfg, 0, sizeof(*cfg));
}

const struct config_output *config_output(const struct config *cfg,
					  const char *name)
{
	for (size_t i = 0; i < cfg->noutputs; i++)
		if (!strcmp(cfg->outputs[i].name, name))
			return &cfg->outputs[i];
	return NULL;
}

/* --- shapes --- */

/*
 * A section: a mapping (or nothing: all defaults) whose keys are all in
 * known (NULL-terminated).  False when it cannot be read further.
 */
static bool section(struct loader *l, const struct ynode *n, const char *what,
		    const char *const *known)
{
	char list[EDI_MSG_MAX / 2];
	size_t used = 0;

	if (n->kind == YNODE_SCALAR && ynode_is_null(n))
		return false;
	if (n->kind != YNODE_MAP) {
		problem(l, n, "%s must be a mapping, not a %s", what,
			ynode_kind_name(n->kind));
		return false;
	}
	list[0] = '\0';
	for (size_t k = 0; known[k]; k++) {
		int w = snprintf(list + used, sizeof(list) - used, "%s%s",
				 k ? ", " : "", known[k]);
		if (w > 0 && (size_t)w < sizeof(list) - used)
			used += (size_t)w;
	}
	for (size_t i = 0; i < n->n; i += 2) {
		const struct ynode *key = n->items[i];
		bool found = false;

		for (size_t k = 0; known[k] && !found; k++)
			found = !strcmp(key->value, known[k]);
		if (!found)
			problem(l, key, "unknown key '%s' in %s (known: %s)",
				key->value, what, list);
	}
	return true; /* the known keys are still worth checking */
}

/* A non-empty plain or quoted scalar, else a problem and NULL. */
static const char *text(struct loader *l, const struct ynode *v,
			const char *what)
{
	if (v->kind != YNODE_SCALAR) {
		problem(l, v, "%s must be a single value, not a %s", what,
			ynode_kind_name(v->kind));
		return NULL;
	}
	if (ynode_is_null(v) || !v->len) {
		problem(l, v, "%s needs a value", what);
		return NULL;
	}
	return v->value;
}

/*
 * A whole number in [min, max]; with bytes, a K, M or G suffix (powers of
 * 1024) is allowed.  False (and a problem) when it is not one.
 */
static bool number(struct loader *l, const struct ynode *v, const char *what,
		   uint64_t min, uint64_t max, bool bytes, uint64_t *out)
{
	const char *s = text(l, v, what);
	uint64_t n = 0, scale = 1;
	size_t len, i;

	if (!s)
		return false;
	if (v->quoted) {
		problem(l, v, "%s must be a number, not the string \"%s\"",
			what, s);
		return false;
	}
	len = v->len;
	if (bytes && len > 1) {
		switch (s[len - 1]) {
		case 'k':
		case 'K':
			scale = 1u << 10;
			break;
		case 'm':
		case 'M':
			scale = 1u << 20;
			break;
		case 'g':
		case 'G':
			scale = 1u << 30;
			break;
		default:
			break;
		}
		if (scale != 1)
			len--;
	}
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9' || n > (UINT64_MAX - 9) / 10)
			break;
		n = n * 10 + (uint64_t)(s[i] - '0');
	}
	if (i != len || len == 0 || n > UINT64_MAX / scale) {
		problem(l, v,
			bytes ? "%s must be a whole number of bytes (e.g. "
				"1048576, 512K, 64M, 1G), not '%s'"
			      : "%s must be a whole number, not '%s'",
			what, s);
		return false;
	}
	n *= scale;
	if (n < min || n > max) {
		problem(l, v, "%s must be between %llu and %llu, not %llu",
			what, (unsigned long long)min, (unsigned long long)max,
			(unsigned long long)n);
		return false;
	}
	*out = n;
	return true;
}

/* One of choices (NULL-terminated); the index, or -1 and a problem. */
static int choice(struct loader *l, const struct ynode *v, const char *what,
		  const char *const *choices)
{
	const char *s = text(l, v, what);
	char list[EDI_MSG_MAX / 2] = "";
	size_t used = 0;

	if (!s)
		return -1;
	for (int i = 0; choices[i]; i++) {
		int w;

		if (!strcmp(s, choices[i]))
			return i;
		w = snprintf(list + used, sizeof(list) - used, "%s%s",
			     i ? " or " : "", choices[i]);
		if (w > 0 && (size_t)w < sizeof(list) - used)
			used += (size_t)w;
	}
	problem(l, v, "%s must be %s, not '%s'", what, list, s);
	return -1;
}

/* A folder path, relative ones taken from the config file's folder. */
static const char *path_value(struct loader *l, const struct ynode *v,
			      const char *what)
{
	const char *s = text(l, v, what);

	if (!s)
		return NULL;
	if (strlen(s) >= FILEIO_PATH_MAX - 64) {
		problem(l, v, "%s is too long a path", what);
		return NULL;
	}
	if (s[0] == '/' || !l->base)
		return arena_strdup(&l->cfg->arena, s);
	return arena_printf(&l->cfg->arena, "%s/%s", l->base, s);
}

/* --- sections --- */

/* sec.key when present and a good number: true and *out. */
static bool get_number(struct loader *l, const struct ynode *sec,
		       const char *sec_name, const char *key, uint64_t min,
		       uint64_t max, bool bytes, uint64_t *out)
{
	const struct ynode *v = ynode_get(sec, key);
	char what[64];

	if (!v)
		return false;
	snprintf(what, sizeof(what), "%s.%s", sec_name, key);
	return number(l, v, what, min, max, bytes, out);
}

static void load_limits(struct loader *l, const struct ynode *n)
{
	static const char *const keys[] = {"max_errors", "max_file_bytes",
					   "max_segment_bytes", "max_set_bytes",
					   NULL};
	struct config_limits *lim = &l->cfg->limits;
	uint64_t v;

	if (!section(l, n, "limits", keys))
		return;
	if (get_number(l, n, "limits", "max_errors", 1, 1000000, false, &v))
		lim->max_errors = (size_t)v;
	if (get_number(l, n, "limits", "max_file_bytes", 1, 1ull << 40, true,
		       &v))
		lim->max_file_bytes = v;
	if (get_number(l, n, "limits", "max_segment_bytes", 128, 1ull << 30,
		       true, &v))
		lim->max_segment_bytes = (size_t)v;
	if (get_number(l, n, "limits", "max_set_bytes", 128, 1ull << 40, true,
		       &v))
		lim->max_set_bytes = (size_t)v;
	if (lim->max_set_bytes < lim->max_segment_bytes)
		problem(l,
			ynode_get(n, "max_set_bytes")
				? ynode_get(n, "max_set_bytes")
				: ynode_get(n, "max_segment_bytes"),
			"limits.max_set_bytes (%zu) must not be smaller than "
			"limits.max_segment_bytes (%zu)",
			lim->max_set_bytes, lim->max_segment_bytes);
}

static void load_retention(struct loader *l, const struct ynode *n)
{
	static const char *const keys[] = {"archive_days", "sent_days",
					   "error_days", NULL};
	struct config_retention *r = &l->cfg->retention;
	uint64_t v;

	if (!section(l, n, "retention", keys))
		return;
	if (get_number(l, n, "retention", "archive_days", 0, CONFIG_MAX_DAYS,
		       false, &v))
		r->archive_days = (unsigned)v;
	if (get_number(l, n, "retention", "sent_days", 0, CONFIG_MAX_DAYS,
		       false, &v))
		r->sent_days = (unsigned)v;
	if (get_number(l, n, "retention", "error_days", 0, CONFIG_MAX_DAYS,
		       false, &v))
		r->error_days = (unsigned)v;
}

static void load_duplicates(struct loader *l, const struct ynode *n)
{
	static const char *const keys[] = {"window_days", "action", NULL};
	static const char *const actions[] = {"reject", "ignore", NULL};
	const struct ynode *a;
	uint64_t v;
	int i;

	if (!section(l, n, "duplicates", keys))
		return;
	if (get_number(l, n, "duplicates", "window_days", 0, CONFIG_MAX_DAYS,
		       false, &v))
		l->cfg->duplicates.window_days = (unsigned)v;
	a = ynode_get(n, "action");
	if (a && (i = choice(l, a, "duplicates.action", actions)) >= 0)
		l->cfg->duplicates.ignore = i == 1;
}

static void load_run(struct loader *l, const struct ynode *n)
{
	static const char *const keys[] = {"batch_files", "pull", "push", NULL};
	static const char *const flags[] = {"false", "true", "no", "yes",
					    "off",   "on",   NULL};
	const struct ynode *f;
	uint64_t v;
	int i;

	if (!section(l, n, "run", keys))
		return;
	if (get_number(l, n, "run", "batch_files", 1, CONFIG_MAX_BATCH_FILES,
		       false, &v))
		l->cfg->run.batch_files = (unsigned)v;
	if ((f = ynode_get(n, "pull")) &&
	    (i = choice(l, f, "run.pull", flags)) >= 0)
		l->cfg->run.pull = i % 2;
	if ((f = ynode_get(n, "push")) &&
	    (i = choice(l, f, "run.push", flags)) >= 0)
		l->cfg->run.push = i % 2;
}

static void load_serve(struct loader *l, const struct ynode *n)
{
	static const char *const keys[] = {"address",	      "port",
					   "tls_certificate", "tls_key",
					   "timeout",	      NULL};
	struct config_serve *sv = &l->cfg->serve;
	const struct ynode *v;
	uint64_t u;

	if (!section(l, n, "serve", keys))
		return;
	if ((v = ynode_get(n, "address")))
		sv->address = text(l, v, "serve.address");
	if (get_number(l, n, "serve", "port", 0, 65535, false, &u))
		sv->port = (unsigned)u;
	if (get_number(l, n, "serve", "timeout", 1, 86400, false, &u))
		sv->timeout_s = (unsigned)u;
	if ((v = ynode_get(n, "tls_certificate")))
		sv->tls_certificate = path_value(l, v, "serve.tls_certificate");
	if ((v = ynode_get(n, "tls_key")))
		sv->tls_key = path_value(l, v, "serve.tls_key");
	if (!sv->tls_certificate != !sv->tls_key)
		problem(l, n,
			"serve needs both tls_certificate and tls_key, or "
			"neither");
}

static bool name_ok(const char *s)
{
	size_t n = 0;

	if (s[0] == '.')
		return false;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') ||
		      (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '.' ||
		      s[n] == '_' || s[n] == '-'))
			return false;
	return n > 0 && n < CONFIG_NAME_MAX;
}

/* http(s)://host[...] with no spaces or control characters. */
static bool url_ok(const char *s)
{
	const char *host;

	if (!strncmp(s, "https://", 8))
		host = s + 8;
	else if (!strncmp(s, "http://", 7))
		host = s + 7;
	else
		return false;
	if (!*host || *host == '/' || *host == ':' || *host == '?' ||
	    *host == '#' || strlen(s) >= CONFIG_URL_MAX)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return false;
	return true;
}

static void load_rest(struct loader *l, const struct ynode *n,
		      struct config_output *o, const char *what)
{
	static const char *const methods[] = {"POST", "PUT", NULL};
	const struct ynode *v;
	char key[CONFIG_NAME_MAX + 32];
	int i;

	/* unknown keys: config_rest_load() knows the whole list */
	v = ynode_get(n, "url");
	snprintf(key, sizeof(key), "%s.url", what);
	if (!v) {
		problem(l, n, "%s (kind rest) needs a url", what);
	} else if (text(l, v, key)) {
		if (!url_ok(v->value))
			problem(l, v,
				"%s must be an http:// or https:// URL with a "
				"host, not '%s'",
				key, v->value);
		else
			o->url = arena_strdup(&l->cfg->arena, v->value);
	}
	v = ynode_get(n, "method");
	snprintf(key, sizeof(key), "%s.method", what);
	if (v && (i = choice(l, v, key, methods)) >= 0)
		o->method = (enum config_method)i;
	config_rest_load(&l->cfg->arena, l->base, l->errors, n, &o->rest, what);
}

static void load_file_output(struct loader *l, const struct ynode *n,
			     struct config_output *o, const char *what)
{
	static const char *const keys[] = {"kind", "format", "dir", NULL};
	static const char *const formats[] = {"jsonl", "csv", NULL};
	const struct ynode *v;
	char key[CONFIG_NAME_MAX + 32];
	int i;

	section(l, n, what, keys);
	v = ynode_get(n, "format");
	snprintf(key, sizeof(key), "%s.format", what);
	if (v && (i = choice(l, v, key, formats)) >= 0)
		o->format = (enum config_format)i;
	v = ynode_get(n, "dir");
	snprintf(key, sizeof(key), "%s.dir", what);
	if (v)
		o->dir = path_value(l, v, key);
}

static void load_outputs(struct loader *l, const struct ynode *n)
{
	static const char *const kinds[] = {"file", "rest", NULL};
	struct config *cfg = l->cfg;

	if (n->kind == YNODE_SCALAR && ynode_is_null(n))
		return;
	if (n->kind != YNODE_MAP) {
		problem(l, n,
			"outputs must be a mapping of names to outputs, not a "
			"%s",
			ynode_kind_name(n->kind));
		return;
	}
	if (n->n / 2 > CONFIG_MAX_OUTPUTS) {
		problem(l, n, "outputs: more than %d outputs",
			CONFIG_MAX_OUTPUTS);
		return;
	}
	cfg->outputs =
		arena_array(&cfg->arena, n->n / 2 + 1, sizeof(*cfg->outputs));
	for (size_t i = 0; i < n->n; i += 2) {
		const struct ynode *key = n->items[i], *v = n->items[i + 1];
		struct config_output *o = &cfg->outputs[cfg->noutputs];
		const struct ynode *kind;
		char what[CONFIG_NAME_MAX + 16];
		int k;

		if (!name_ok(key->value)) {
			problem(l, key,
				"output name '%s' must be 1 to %d characters "
				"of A-Z a-z 0-9 . _ - (not starting with a "
				"dot)",
				key->value, CONFIG_NAME_MAX - 1);
			continue;
		}
		snprintf(what, sizeof(what), "output '%s'", key->value);
		if (v->kind != YNODE_MAP) {
			problem(l, v,
				"%s must be a mapping such as {kind: file, "
				"format: jsonl}",
				what);
			continue;
		}
		memset(o, 0, sizeof(*o));
		o->name = arena_strdup(&cfg->arena, key->value);
		kind = ynode_get(v, "kind");
		if (!kind) {
			problem(l, v, "%s needs a kind (file or rest)", what);
			continue;
		}
		k = choice(l, kind, "kind", kinds);
		if (k < 0)
			continue;
		o->kind = (enum config_output_kind)k;
		if (o->kind == CONFIG_OUTPUT_REST)
			load_rest(l, v, o, what);
		else
			load_file_output(l, v, o, what);
		cfg->noutputs++;
	}
}

static void load_root(struct loader *l, const struct ynode *root)
{
	static const char *const keys[] = {
		"spool",     "maps",	   "partners", "outputs", "limits",
		"retention", "duplicates", "run",      "serve",	  NULL};
	struct config *cfg = l->cfg;
	const struct ynode *v;
	const char *p;

	if (!section(l, root, "the configuration", keys))
		return;
	if ((v = ynode_get(root, "spool")) && (p = path_value(l, v, "spool")))
		cfg->spool_dir = p;
	if ((v = ynode_get(root, "maps")) && (p = path_value(l, v, "maps")))
		cfg->maps_dir = p;
	if ((v = ynode_get(root, "partners")) &&
	    (p = path_value(l, v, "partners")))
		cfg->partners_dir = p;
	if ((v = ynode_get(root, "outputs")))
		load_outputs(l, v);
	if ((v = ynode_get(root, "limits")))
		load_limits(l, v);
	if ((v = ynode_get(root, "retention")))
		load_retention(l, v);
	if ((v = ynode_get(root, "duplicates")))
		load_duplicates(l, v);
	if ((v = ynode_get(root, "run")))
		load_run(l, v);
	if ((v = ynode_get(root, "serve")))
		load_serve(l, v);
}

/* The default folders, taken from the config file's folder. */
static void resolve_defaults(struct loader *l)
{
	struct config *cfg = l->cfg;

	if (!l->base)
		return;
	cfg->spool_dir = arena_printf(&cfg->arena, "%s/%s", l->base,
				      CONFIG_DEFAULT_SPOOL);
	cfg->maps_dir = arena_printf(&cfg->arena, "%s/%s", l->base,
				     CONFIG_DEFAULT_MAPS);
	cfg->partners_dir = arena_printf(&cfg->arena, "%s/%s", l->base,
					 CONFIG_DEFAULT_PARTNERS);
}

enum edi_code config_load(struct config *cfg, const char *path,
			  struct edi_diag *errors)
{
	struct loader l = {cfg, errors, NULL};
	size_t before = errors->nerrors;
	struct edi_error e;
	struct ynode *root;
	const char *slash;
	struct buf text_buf;
	enum edi_code rc;

	config_defaults(cfg);
	cfg->file = arena_strdup(&cfg->arena, path);
	slash = strrchr(path, '/');
	if (slash)
		l.base = slash == path
				 ? ""
				 : arena_svdup(&cfg->arena,
					       sv_make(path,
						       (size_t)(slash - path)));
	resolve_defaults(&l);
	rc = fileio_read_all(path, CONFIG_FILE_MAX, &text_buf, &e);
	if (rc) {
		buf_release(&text_buf);
		edi_diag_add(errors, &e);
		return rc == EDI_ENOENT ? EDI_ENOENT : EDI_ECONFIG;
	}
	rc = ydoc_parse(&cfg->arena, path, buf_view(&text_buf), &root, NULL,
			&e);
	buf_release(&text_buf);
	if (rc) {
		e.code = EDI_ECONFIG;
		edi_diag_add(errors, &e);
		return EDI_ECONFIG;
	}
	if (root)
		load_root(&l, root);
	return errors->nerrors != before ? EDI_ECONFIG : EDI_OK;
}
