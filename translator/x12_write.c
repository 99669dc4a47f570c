/*
 * x12_write - segment and envelope writer; see x12_write.h.
 */
#include "x12_write.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void fail(struct x12_writer *w, enum edi_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct x12_writer *w, enum edi_code code, const char *fmt, ...)
{
	char msg[EDI_MSG_MAX];
	va_list ap;

	if (w->rc)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	w->rc = edi_fail(&w->err, code, NULL, "%s", msg);
}

static void put(struct x12_writer *w, const char *p, size_t n)
{
	if (w->rc)
		return;
	if (buf_add(w->out, p, n) != EDI_OK)
		fail(w, EDI_ELIMIT, "X12 output larger than %zu bytes",
		     w->out->max);
}

void x12_writer_init(struct x12_writer *w, struct buf *out,
		     const struct x12_write_delims *d)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->d = *d;
	if (!w->d.suffix)
		w->d.suffix = "";
	if (!d->element || !d->component || !d->segment ||
	    d->element == d->component || d->element == d->segment ||
	    d->component == d->segment ||
	    (d->repetition &&
	     (d->repetition == d->element || d->repetition == d->component ||
	      d->repetition == d->segment)))
		fail(w, EDI_EUSAGE, "the X12 delimiters must be distinct");
}

enum edi_code x12_writer_result(const struct x12_writer *w,
				struct edi_error *err)
{
	if (w->rc && err)
		*err = w->err;
	return w->rc;
}

void x12_seg_begin(struct x12_writer *w, const char *tag)
{
	size_t n = strlen(tag);

	if (n < 2 || n > 3) {
		fail(w, EDI_EUSAGE, "'%s' is not a segment tag", tag);
		return;
	}
	memcpy(w->tag, tag, n + 1);
	w->seg_start = w->out->len;
	w->nelems = 0;
	w->in_element = false;
	put(w, tag, n);
	w->last_nonempty = w->out->len;
}

/* May value go into an element? */
static bool clean(struct x12_writer *w, struct strview v, bool component)
{
	for (size_t i = 0; i < v.len; i++) {
		unsigned char c = (unsigned char)v.ptr[i];
		if (c == (unsigned char)w->d.element ||
		    c == (unsigned char)w->d.segment ||
		    (component && c == (unsigned char)w->d.component) ||
		    (w->d.repetition && c == (unsigned char)w->d.repetition) ||
		    c < 0x20 || c > 0x7e) {
			fail(w, EDI_EDATA,
			     "%s%02zu: the value '%.*s' holds a delimiter or a "
			     "byte X12 cannot carry (0x%02x)",
			     w->tag, w->nelems, (int)(v.len > 60 ? 60 : v.len),
			     v.ptr, c);
			return false;
		}
	}
	return true;
}

static void next_element(struct x12_writer *w)
{
	if (w->in_element)
		fail(w, EDI_EUSAGE, "%s: element not ended", w->tag);
	if (++w->nelems > X12_WRITE_MAX_ELEMENTS)
		fail(w, EDI_EUSAGE, "%s: more than %d elements", w->tag,
		     X12_WRITE_MAX_ELEMENTS);
	put(w, &w->d.element, 1);
}

void x12_elem(struct x12_writer *w, struct strview value)
{
	next_element(w);
	if (value.len && clean(w, value, true)) {
		put(w, value.ptr, value.len);
		w->last_nonempty = w->out->len;
	}
}

void x12_elem_cstr(struct x12_writer *w, const char *value)
{
	x12_elem(w, value ? sv_cstr(value) : sv_make("", 0));
}

void x12_elem_u64(struct x12_writer *w, uint64_t value)
{
	char s[24];

	snprintf(s, sizeof(s), "%" PRIu64, value);
	x12_elem_cstr(w, s);
}

void x12_elem_fixed(struct x12_writer *w, const char *value, size_t width,
		    bool zero_pad)
{
	char s[64];
	size_t n = value ? strlen(value) : 0;

	if (n > width || width >= sizeof(s)) {
		next_element(w);
		fail(w, EDI_EDATA, "%s%02zu: '%s' is longer than %zu", w->tag,
		     w->nelems, value ? value : "", width);
		return;
	}
	if (zero_pad) {
		memset(s, '0', width - n);
		memcpy(s + width - n, value, n);
	} else {
		memcpy(s, value, n);
		memset(s + n, ' ', width - n);
	}
	next_element(w);
	if (clean(w, sv_make(s, width), true)) {
		put(w, s, width);
		w->last_nonempty = w->out->len;
	}
}

void x12_elem_begin(struct x12_writer *w)
{
	next_element(w);
	w->in_element = true;
	w->ncomps = 0;
	w->elem_start = w->out->len;
}

void x12_comp(struct x12_writer *w, struct strview value)
{
	if (!w->in_element) {
		fail(w, EDI_EUSAGE, "%s: component outside an element", w->tag);
		return;
	}
	if (w->ncomps++)
		put(w, &w->d.component, 1);
	if (value.len && clean(w, value, true)) {
		put(w, value.ptr, value.len);
		w->last_nonempty = w->out->len;
	}
}

void x12_comp_cstr(struct x12_writer *w, const char *value)
{
	x12_comp(w, value ? sv_cstr(value) : sv_make("", 0));
}

void x12_elem_end(struct x12_writer *w)
{
	/* trailing empty components go */
	if (w->rc == EDI_OK && w->in_element)
		w->out->len = w->last_nonempty > w->elem_start
				      ? w->last_nonempty
				      : w->elem_start;
	w->in_element = false;
}

enum edi_code x12_seg_end(struct x12_writer *w, struct edi_error *err)
{
	if (w->in_element)
		fail(w, EDI_EUSAGE, "%s: element not ended", w->tag);
	if (w->rc == EDI_OK) {
		/* trailing empty elements and components go */
		w->out->len = w->last_nonempty;
		put(w, &w->d.segment, 1);
		put(w, w->d.suffix, strlen(w->d.suffix));
		w->nsegs_in_set++;
		w->nsegs_total++;
	}
	return x12_writer_result(w, err);
}

static bool digits(const char *s, size_t min, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (n < min || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

enum edi_code x12_write_isa(struct x12_writer *w, const struct x12_isa_out *isa,
			    struct edi_error *err)
{
	char rep[2] = {w->d.repetition ? w->d.repetition : 'U', '\0'};
	char comp[2] = {w->d.component, '\0'};
	char usage[2] = {isa->usage ? isa->usage : 'P', '\0'};
	char ctl[16];

	if (!isa->control || isa->control > 999999999)
		fail(w, EDI_EUSAGE, "ISA13 %" PRIu64 " is not 1 to 999999999",
		     isa->control);
	if (!digits(isa->date, 6, 6) || !digits(isa->time, 4, 4) ||
	    !digits(isa->version, 5, 5))
		fail(w, EDI_EUSAGE, "ISA date, time or version is malformed");
	if (isa->version && strcmp(isa->version, "00402") < 0) {
		/* before 00402 ISA11 is the standards identifier 'U' and
		 * there is no repetition separator */
		w->d.repetition = 0;
		rep[0] = 'U';
	}
	snprintf(ctl, sizeof(ctl), "%09" PRIu64, isa->control);
	memcpy(w->isa13, ctl, sizeof(w->isa13) - 1);
	w->isa13[9] = '\0';
	w->ngroups = 0;
	/* the ISA is fixed width: every element present, even empty */
	x12_seg_begin(w, "ISA");
	x12_elem_fixed(w, "00", 2, false);
	x12_elem_fixed(w, "", 10, false);
	x12_elem_fixed(w, "00", 2, false);
	x12_elem_fixed(w, "", 10, false);
	x12_elem_fixed(w, isa->sender_qual, 2, false);
	x12_elem_fixed(w, isa->sender, 15, false);
	x12_elem_fixed(w, isa->receiver_qual, 2, false);
	x12_elem_fixed(w, isa->receiver, 15, false);
	x12_elem_fixed(w, isa->date, 6, false);
	x12_elem_fixed(w, isa->time, 4, false);
	/* ISA11 and ISA16 are delimiters themselves: written raw */
	next_element(w);
	put(w, rep, 1);
	x12_elem_fixed(w, isa->version, 5, false);
	x12_elem_fixed(w, ctl, 9, false);
	x12_elem_fixed(w, isa->ack_requested ? "1" : "0", 1, false);
	x12_elem_fixed(w, usage, 1, false);
	next_element(w);
	put(w, comp, 1);
	w->last_nonempty = w->out->len;
	return x12_seg_end(w, err);
}

enum edi_code x12_write_gs(struct x12_writer *w, const struct x12_gs_out *gs,
			   struct edi_error *err)
{
	if (!gs->control || gs->control > 999999999)
		fail(w, EDI_EUSAGE, "GS06 %" PRIu64 " is not 1 to 999999999",
		     gs->control);
	snprintf(w->gs06, sizeof(w->gs06), "%" PRIu64, gs->control);
	w->nsets_in_group = 0;
	x12_seg_begin(w, "GS");
	x12_elem_cstr(w, gs->functional_id);
	x12_elem_cstr(w, gs->sender);
	x12_elem_cstr(w, gs->receiver);
	x12_elem_cstr(w, gs->date);
	x12_elem_cstr(w, gs->time);
	x12_elem_cstr(w, w->gs06);
	x12_elem_cstr(w, "X");
	x12_elem_cstr(w, gs->version);
	w->ngroups++;
	return x12_seg_end(w, err);
}

enum edi_code x12_write_st(struct x12_writer *w, const char *st01,
			   const char *st02, const char *st03,
			   struct edi_error *err)
{
	size_t n = st02 ? strlen(st02) : 0;

	if (n < 4 || n > 9)
		fail(w, EDI_EUSAGE, "ST02 '%s' is not 4 to 9 characters",
		     st02 ? st02 : "");
	else
		memcpy(w->st02, st02, n + 1);
	w->nsegs_in_set = 0;
	x12_seg_begin(w, "ST");
	x12_elem_cstr(w, st01);
	x12_elem_cstr(w, st02);
	if (st03)
		x12_elem_cstr(w, st03);
	w->nsets_in_group++;
	w->nsets_total++;
	return x12_seg_end(w, err);
}

enum edi_code x12_write_se(struct x12_writer *w, struct edi_error *err)
{
	x12_seg_begin(w, "SE");
	x12_elem_u64(w, w->nsegs_in_set + 1);
	x12_elem_cstr(w, w->st02);
	return x12_seg_end(w, err);
}

enum edi_code x12_write_ge(struct x12_writer *w, struct edi_error *err)
{
	x12_seg_begin(w, "GE");
	x12_elem_u64(w, w->nsets_in_group);
	x12_elem_cstr(w, w->gs06);
	return x12_seg_end(w, err);
}

enum edi_code x12_write_iea(struct x12_writer *w, struct edi_error *err)
{
	x12_seg_begin(w, "IEA");
	x12_elem_u64(w, w->ngroups);
	x12_elem_cstr(w, w->isa13);
	return x12_seg_end(w, err);
}
