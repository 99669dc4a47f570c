/*
 * report - formatting of diagnostics; see report.h.
 */
#include "report.h"

const char *report_ack_element(enum edi_level level)
{
	switch (level) {
	case EDI_LEVEL_TA1:
		return "TA105";
	case EDI_LEVEL_AK9:
		return "AK905";
	case EDI_LEVEL_AK5:
		return "AK502";
	case EDI_LEVEL_AK3:
		return "AK304";
	case EDI_LEVEL_AK4:
		return "AK403";
	case EDI_LEVEL_NONE:
	case EDI_LEVEL_FILE:
		return NULL;
	}
	return NULL;
}

static void text_line(struct buf *out, const char *file,
		      const struct edi_error *e)
{
	char where[128];
	const char *ack = report_ack_element(edi_code_level(e->code));
	int code = edi_code_ack(e->code);

	edi_loc_format(&e->loc, where, sizeof(where));
	buf_addf(out, "%s: %s%s%s%s", file,
		 edi_code_severity(e->code) == EDI_SEV_WARNING ? "warning: "
							       : "",
		 where, where[0] ? ": " : "", e->msg);
	if (ack && code)
		buf_addf(out, " (%s %0*d)", ack,
			 edi_code_level(e->code) == EDI_LEVEL_TA1 ? 3 : 1,
			 code);
	buf_addc(out, '\n');
}

void report_text(struct buf *out, const char *file, const struct edi_diag *d)
{
	size_t dropped = edi_diag_dropped(d);

	for (size_t i = 0; i < d->n; i++)
		text_line(out, file, &d->items[i]);
	if (dropped)
		buf_addf(out,
			 "%s: %zu more not shown (--max-errors %zu keeps "
			 "the first)\n",
			 file, dropped, d->max);
}

void report_json_error(struct json_out *j, const struct edi_error *e)
{
	enum edi_level level = edi_code_level(e->code);
	const char *ack = report_ack_element(level);

	json_obj_begin(j);
	json_key(j, "code");
	json_str(j, edi_code_name(e->code));
	json_key(j, "message");
	json_str(j, e->msg);
	if (e->loc.segment) {
		json_key(j, "segment");
		json_u64(j, e->loc.segment);
	}
	if (e->loc.tag[0]) {
		json_key(j, "tag");
		json_str(j, e->loc.tag);
	}
	if (e->loc.set_position) {
		json_key(j, "set_position");
		json_u64(j, e->loc.set_position);
	}
	if (e->loc.element) {
		json_key(j, "element");
		json_u64(j, e->loc.element);
	}
	if (e->loc.component) {
		json_key(j, "component");
		json_u64(j, e->loc.component);
	}
	if (e->loc.offset != EDI_NO_OFFSET) {
		json_key(j, "offset");
		json_u64(j, e->loc.offset);
	}
	if (ack && edi_code_ack(e->code)) {
		json_key(j, "ack");
		json_obj_begin(j);
		json_key(j, "element");
		json_str(j, ack);
		json_key(j, "code");
		json_i64(j, edi_code_ack(e->code));
		json_obj_end(j);
	}
	json_obj_end(j);
}

void report_json(struct json_out *j, const struct edi_diag *d)
{
	json_key(j, "errors");
	json_arr_begin(j);
	for (size_t i = 0; i < d->n; i++)
		if (edi_code_severity(d->items[i].code) != EDI_SEV_WARNING)
			report_json_error(j, &d->items[i]);
	json_arr_end(j);
	json_key(j, "warnings");
	json_arr_begin(j);
	for (size_t i = 0; i < d->n; i++)
		if (edi_code_severity(d->items[i].code) == EDI_SEV_WARNING)
			report_json_error(j, &d->items[i]);
	json_arr_end(j);
	json_key(j, "not_shown");
	json_u64(j, edi_diag_dropped(d));
}
