/*
 * profile_x12 - the `x12:` section of a partner profile; see profile_x12.h.
 */
#include "profile_x12.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void perr(struct edi_diag *errors, const struct ynode *at,
		 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void perr(struct edi_diag *errors, const struct ynode *at,
		 const char *fmt, ...)
{
	char msg[EDI_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	edi_diag_addf(errors, EDI_ECONFIG, NULL, "%s:%u:%u: %s", at->file,
		      at->line, at->col, msg);
}

void profile_x12_defaults(struct partner_x12 *x)
{
	memset(x, 0, sizeof(*x));
	x->element = '*';
	x->component = '>';
	x->repetition = '^';
	x->segment = '~';
	x->suffix = "\n";
	x->version = "004010";
	x->usage = 'P';
}

void profile_x12_isa_version(const char *gs_version, char isa12[6])
{
	/* 004010 -> 00401, 005010 -> 00501, 004010VICS -> 00401 */
	if (strlen(gs_version) >= 6)
		snprintf(isa12, 6, "%.5s", gs_version + 1);
	else
		snprintf(isa12, 6, "00401");
}

static const struct ynode *scalar(const struct ynode *n, const char *what,
				  struct edi_diag *errors)
{
	if (n && n->kind != YNODE_SCALAR) {
		perr(errors, n, "x12.%s must be a single value", what);
		return NULL;
	}
	return n;
}

/* A delimiter: one printable, non-alphanumeric ASCII character or a
 * control character written as "\x1d"-style YAML escapes. */
static bool delim(const struct ynode *n, const char *what, char *out,
		  struct edi_diag *errors)
{
	unsigned char c;

	if (!scalar(n, what, errors))
		return false;
	c = n->len == 1 ? (unsigned char)n->value[0] : 0;
	if (n->len != 1 || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z') || c == ' ' || c > 0x7e) {
		perr(errors, n,
		     "x12.delimiters.%s must be one character that is not a "
		     "letter, digit or space",
		     what);
		return false;
	}
	*out = (char)c;
	return true;
}

static void parse_delims(struct partner_x12 *x, const struct ynode *d,
			 struct edi_diag *errors)
{
	static const char *const keys[] = {"element", "component", "repetition",
					   "segment"};
	char *dst[] = {&x->element, &x->component, &x->repetition, &x->segment};

	if (d->kind != YNODE_MAP) {
		perr(errors, d,
		     "x12.delimiters must be {element: \"*\", component: "
		     "\">\", repetition: \"^\", segment: \"~\"}");
		return;
	}
	for (size_t i = 0; i + 1 < d->n; i += 2) {
		size_t k = 0;
		while (k < 4 && strcmp(d->items[i]->value, keys[k]))
			k++;
		if (k == 4) {
			perr(errors, d->items[i],
			     "unknown key '%s' in x12.delimiters",
			     d->items[i]->value);
			continue;
		}
		if (k == 2 && d->items[i + 1]->kind == YNODE_SCALAR &&
		    (!strcmp(d->items[i + 1]->value, "") ||
		     !strcmp(d->items[i + 1]->value, "none"))) {
			x->repetition = 0;
			continue;
		}
		delim(d->items[i + 1], keys[k], dst[k], errors);
	}
	x->delimiters_set = true;
	if (x->element == x->component || x->element == x->segment ||
	    x->component == x->segment ||
	    (x->repetition &&
	     (x->repetition == x->element || x->repetition == x->component ||
	      x->repetition == x->segment)))
		perr(errors, d, "x12.delimiters must all differ");
}

static bool is_true(const char *s)
{
	return !strcmp(s, "true") || !strcmp(s, "yes") || !strcmp(s, "on");
}

static bool is_false(const char *s)
{
	return !strcmp(s, "false") || !strcmp(s, "no") || !strcmp(s, "off");
}

static bool id_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 15)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

void profile_x12_parse(struct partner_x12 *x, const struct ynode *node,
		       struct arena *a, struct edi_diag *errors)
{
	static const char *const keys[] = {
		"version", "delimiters", "segment_suffix",
		"usage",   "gs",	 "ack_requested"};
	const struct ynode *n;

	(void)a;
	profile_x12_defaults(x);
	if (!node)
		return;
	if (node->kind != YNODE_MAP) {
		perr(errors, node,
		     "x12 must be a map (version, delimiters, "
		     "segment_suffix, usage, gs, ack_requested)");
		return;
	}
	for (size_t i = 0; i + 1 < node->n; i += 2) {
		size_t k = 0;
		while (k < sizeof(keys) / sizeof(keys[0]) &&
		       strcmp(node->items[i]->value, keys[k]))
			k++;
		if (k == sizeof(keys) / sizeof(keys[0]))
			perr(errors, node->items[i], "unknown key '%s' in x12",
			     node->items[i]->value);
	}
	n = scalar(ynode_get(node, "version"), "version", errors);
	if (n) {
		bool ok = n->len >= 6 && n->len <= 12;
		for (size_t i = 0; ok && i < 6; i++)
			ok = n->value[i] >= '0' && n->value[i] <= '9';
		if (!ok || strncmp(n->value, "00", 2))
			perr(errors, n,
			     "x12.version must be a GS08 version such as "
			     "\"004010\" or \"005010\" (quoted)");
		else
			x->version = n->value;
	}
	n = ynode_get(node, "delimiters");
	if (n)
		parse_delims(x, n, errors);
	n = scalar(ynode_get(node, "segment_suffix"), "segment_suffix", errors);
	if (n) {
		if (strcmp(n->value, "") && strcmp(n->value, "\n") &&
		    strcmp(n->value, "\r\n"))
			perr(errors, n,
			     "x12.segment_suffix must be \"\", \"\\n\" or "
			     "\"\\r\\n\"");
		else
			x->suffix = n->value;
	}
	n = scalar(ynode_get(node, "usage"), "usage", errors);
	if (n) {
		if (strcmp(n->value, "P") && strcmp(n->value, "T"))
			perr(errors, n, "x12.usage must be P or T");
		else
			x->usage = n->value[0];
	}
	n = scalar(ynode_get(node, "ack_requested"), "ack_requested", errors);
	if (n) {
		if (is_true(n->value))
			x->ack_requested = true;
		else if (!is_false(n->value))
			perr(errors, n,
			     "x12.ack_requested must be true or "
			     "false");
	}
	n = ynode_get(node, "gs");
	if (n && n->kind != YNODE_MAP) {
		perr(errors, n, "x12.gs must be {us: OURID, them: THEIRID}");
	} else if (n) {
		const struct ynode *us =
			scalar(ynode_get(n, "us"), "gs.us", errors);
		const struct ynode *them =
			scalar(ynode_get(n, "them"), "gs.them", errors);
		if (us && !id_ok(us->value))
			perr(errors, us,
			     "x12.gs.us must be 1 to 15 characters");
		else if (us)
			x->gs_us = us->value;
		if (them && !id_ok(them->value))
			perr(errors, them,
			     "x12.gs.them must be 1 to 15 characters");
		else if (them)
			x->gs_them = them->value;
	}
}
