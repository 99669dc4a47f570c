/*
 * edi_error - the code table and diagnostics lists; see edi_error.h.
 */
#include "edi_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "xalloc.h"

#define SEV_N	   EDI_SEV_NONE
#define SEV_W	   EDI_SEV_WARNING
#define SEV_E	   EDI_SEV_ERROR
#define LEVEL_NONE EDI_LEVEL_NONE
#define LEVEL_FILE EDI_LEVEL_FILE
#define LEVEL_TA1  EDI_LEVEL_TA1
#define LEVEL_AK9  EDI_LEVEL_AK9
#define LEVEL_AK5  EDI_LEVEL_AK5
#define LEVEL_AK3  EDI_LEVEL_AK3
#define LEVEL_AK4  EDI_LEVEL_AK4

static const struct {
	const char *slug;
	const char *text;
	enum edi_severity sev;
	enum edi_level level;
	int ack;
} code_table[EDI_NCODES] = {
#define X(name_, slug_, sev_, lvl_, ack_, text_) \
	[name_] = {.slug = slug_,                \
		   .text = text_,                \
		   .sev = SEV_##sev_,            \
		   .level = LEVEL_##lvl_,        \
		   .ack = ack_},
#include "edi_codes.def"
#undef X
};

static bool code_valid(enum edi_code code)
{
	return (unsigned)code < EDI_NCODES;
}

const char *edi_code_name(enum edi_code code)
{
	return code_valid(code) ? code_table[code].slug : "unknown";
}

const char *edi_code_text(enum edi_code code)
{
	return code_valid(code) ? code_table[code].text : "unknown error";
}

enum edi_severity edi_code_severity(enum edi_code code)
{
	return code_valid(code) ? code_table[code].sev : EDI_SEV_ERROR;
}

enum edi_level edi_code_level(enum edi_code code)
{
	return code_valid(code) ? code_table[code].level : EDI_LEVEL_NONE;
}

int edi_code_ack(enum edi_code code)
{
	return code_valid(code) ? code_table[code].ack : 0;
}

const char *edi_level_name(enum edi_level level)
{
	switch (level) {
	case EDI_LEVEL_NONE:
		return "none";
	case EDI_LEVEL_FILE:
		return "file";
	case EDI_LEVEL_TA1:
		return "TA1";
	case EDI_LEVEL_AK9:
		return "AK9";
	case EDI_LEVEL_AK5:
		return "AK5";
	case EDI_LEVEL_AK3:
		return "AK3";
	case EDI_LEVEL_AK4:
		return "AK4";
	}
	return "none";
}

struct edi_loc edi_loc_none(void)
{
	struct edi_loc loc = {.offset = EDI_NO_OFFSET};
	return loc;
}

static void vfill(struct edi_error *err, enum edi_code code,
		  const struct edi_loc *loc, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

static void vfill(struct edi_error *err, enum edi_code code,
		  const struct edi_loc *loc, const char *fmt, va_list ap)
{
	err->code = code;
	err->loc = loc ? *loc : edi_loc_none();
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

enum edi_code edi_fail(struct edi_error *err, enum edi_code code,
		       const struct edi_loc *loc, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	vfill(err, code, loc, fmt, ap);
	va_end(ap);
	return code;
}

char *edi_loc_format(const struct edi_loc *loc, char *dst, size_t size)
{
	size_t used = 0;
	int n;

	if (!size)
		return dst;
	dst[0] = '\0';
#define APPEND(...)                                                 \
	do {                                                        \
		n = snprintf(dst + used, size - used, __VA_ARGS__); \
		if (n < 0 || (size_t)n >= size - used)              \
			return dst;                                 \
		used += (size_t)n;                                  \
	} while (0)
	if (loc->segment) {
		if (loc->tag[0])
			APPEND("segment %zu (%s)", loc->segment, loc->tag);
		else
			APPEND("segment %zu", loc->segment);
	}
	if (loc->element) {
		if (loc->component)
			APPEND("%selement %u, component %u", used ? ", " : "",
			       loc->element, loc->component);
		else
			APPEND("%selement %u", used ? ", " : "", loc->element);
	}
	if (loc->offset != EDI_NO_OFFSET)
		APPEND("%soffset %zu", used ? ", " : "", loc->offset);
#undef APPEND
	return dst;
}

void edi_diag_init(struct edi_diag *d, size_t max)
{
	memset(d, 0, sizeof(*d));
	d->max = max;
}

void edi_diag_release(struct edi_diag *d)
{
	free(d->items);
	memset(d, 0, sizeof(*d));
}

void edi_diag_reset(struct edi_diag *d)
{
	d->n = 0;
	d->nerrors = 0;
	d->nwarnings = 0;
	memset(d->nerrors_at, 0, sizeof(d->nerrors_at));
}

static void count(struct edi_diag *d, enum edi_code code)
{
	if (edi_code_severity(code) == EDI_SEV_WARNING) {
		d->nwarnings++;
		return;
	}
	d->nerrors++;
	d->nerrors_at[edi_code_level(code)]++;
}

bool edi_diag_full(const struct edi_diag *d)
{
	return d->n >= d->max;
}

size_t edi_diag_dropped(const struct edi_diag *d)
{
	return d->nerrors + d->nwarnings - d->n;
}

void edi_diag_add(struct edi_diag *d, const struct edi_error *e)
{
	count(d, e->code);
	if (d->n >= d->max)
		return;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		if (d->cap > d->max)
			d->cap = d->max;
		d->items = xreallocarray(d->items, d->cap, sizeof(*d->items));
	}
	d->items[d->n++] = *e;
}

enum edi_code edi_diag_addf(struct edi_diag *d, enum edi_code code,
			    const struct edi_loc *loc, const char *fmt, ...)
{
	struct edi_error e;
	va_list ap;

	if (d->n >= d->max) {
		count(d, code); /* only counted: skip the formatting */
		return code;
	}
	va_start(ap, fmt);
	vfill(&e, code, loc, fmt, ap);
	va_end(ap);
	edi_diag_add(d, &e);
	return code;
}
