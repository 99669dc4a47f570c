/*
 * x12_fixture - test input builders; see x12_fixture.h.
 */
#include "x12_fixture.h"

#include <check.h>

#include <stdio.h>
#include <string.h>

#include "fileio.h"
#include "map_load.h"
#include "x12_envelope.h"

const struct fx_delims FX_STD = {'*', 'U', '>', '~', "00401", "000000001", ""};

void fx_isa(struct buf *out, const struct fx_delims *d)
{
	char isa[128];
	char e = d->element;

	snprintf(isa, sizeof(isa),
		 "ISA%c00%c          %c00%c          %cZZ%cSENDER         %cZZ"
		 "%cRECEIVER       %c261127%c0930%c%c%c%s%c%s%c0%cP%c%c%c",
		 e, e, e, e, e, e, e, e, e, e, e, d->repetition, e, d->version,
		 e, d->control, e, e, e, d->component, d->terminator);
	ck_assert_uint_eq(strlen(isa), 106);
	buf_add(out, isa, 106);
	buf_adds(out, d->after);
}

void fx_body(struct buf *out, const struct fx_delims *d, const char *segs)
{
	for (const char *p = segs; *p; p++) {
		switch (*p) {
		case '*':
			buf_addc(out, d->element);
			break;
		case '>':
			buf_addc(out, d->component);
			break;
		case '^':
			buf_addc(out, d->repetition);
			break;
		case '~':
			buf_addc(out, d->terminator);
			buf_adds(out, d->after);
			break;
		default:
			buf_addc(out, *p);
			break;
		}
	}
}

void fx_850(struct buf *out, const struct fx_delims *d, int nlines)
{
	char line[160];

	fx_isa(out, d);
	fx_body(out, d,
		"GS*PO*SENDER*RECEIVER*20261127*0930*1*X*004010~"
		"ST*850*0001~BEG*00*SA*PO-1**20261120~");
	for (int i = 1; i <= nlines; i++) {
		snprintf(line, sizeof(line),
			 "PO1*%d*2*EA*1.50**UP*012345678905>X~PID*F****THING "
			 "%d~",
			 i, i);
		fx_body(out, d, line);
	}
	snprintf(line, sizeof(line), "CTT*%d~SE*%d*0001~GE*1*1~IEA*1*%s~",
		 nlines, 2 * nlines + 4, d->control);
	fx_body(out, d, line);
}

ssize_t fx_src_read(void *ctx, char *dst, size_t n)
{
	struct fx_src *s = ctx;
	size_t k = s->len - s->pos;

	if (s->pos < s->split && s->split - s->pos < k)
		k = s->split - s->pos;
	if (k > n)
		k = n;
	if (k > s->max_read)
		k = s->max_read;
	memcpy(dst, s->p + s->pos, k);
	s->pos += k;
	return (ssize_t)k;
}

static void render_diag(const struct edi_diag *d, struct buf *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct edi_error *e = &d->items[i];
		buf_addf(out, "D %s %zu %zu %u\n", edi_code_name(e->code),
			 e->loc.offset, e->loc.segment, e->loc.element);
	}
}

void fx_read(struct strview input, size_t split, size_t max_read,
	     const struct x12_limits *limits, bool check, struct buf *out)
{
	struct fx_src src = {input.ptr, input.len, 0, split, max_read};
	struct x12_reader r;
	struct x12_envelope env;
	struct x12_segment seg;
	struct edi_diag d;
	struct edi_error err;
	enum x12_next next;

	edi_diag_init(&d, 1000);
	if (split == SIZE_MAX)
		x12_reader_init_mem(&r, input, limits, &d);
	else
		x12_reader_init_src(&r, (struct x12_source){fx_src_read, &src},
				    limits, &d);
	x12_envelope_init(&env, limits, &d);
	while ((next = x12_reader_next(&r, &seg, &err)) == X12_NEXT_SEGMENT) {
		buf_addf(out, "S %zu %zu %.*s|%.*s\n", seg.index, seg.offset,
			 (int)seg.tag.len, seg.tag.ptr, (int)seg.raw.len,
			 seg.raw.ptr);
		if (check)
			x12_envelope_feed(&env, &seg);
	}
	ck_assert_int_eq(next, X12_NEXT_END);
	if (check)
		x12_envelope_finish(&env, x12_reader_offset(&r));
	render_diag(&d, out);
	x12_envelope_release(&env);
	x12_reader_release(&r);
	edi_diag_release(&d);
}

void fx_diag(struct strview input, struct edi_diag *d)
{
	struct x12_limits limits;
	struct x12_reader r;
	struct x12_envelope env;
	struct edi_error err;

	x12_limits_default(&limits);
	edi_diag_init(d, 1000);
	x12_reader_init_mem(&r, input, &limits, d);
	x12_envelope_init(&env, &limits, d);
	ck_assert_int_eq(x12_envelope_check(&r, &env, &err), EDI_OK);
	x12_envelope_release(&env);
	x12_reader_release(&r);
}

const struct edi_error *fx_find(const struct edi_diag *d, enum edi_code code,
				size_t seg, unsigned el)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct edi_error *e = &d->items[i];
		if (e->code == code && (!seg || e->loc.segment == seg) &&
		    (!el || e->loc.element == el))
			return e;
	}
	return NULL;
}

const char *const FX_SHIPPED_MAPS[] = {"850", "850-005010", "855", "855-005010",
				       "856", "856-005010", "810", "810-005010",
				       "997", "999"};
const size_t FX_NSHIPPED_MAPS =
	sizeof(FX_SHIPPED_MAPS) / sizeof(FX_SHIPPED_MAPS[0]);

void fx_load_maps(struct map_set *maps, const char *const *names, size_t n)
{
	struct edi_diag errs;
	struct edi_error err;

	map_set_init(maps);
	edi_diag_init(&errs, 50);
	for (size_t i = 0; i < n; i++) {
		char path[FILEIO_PATH_MAX];
		struct buf text;

		snprintf(path, sizeof(path), "maps/x12/%s.yaml", names[i]);
		ck_assert_msg(fileio_read_all(path, 1 << 22, &text, &err) ==
				      EDI_OK,
			      "run from the source tree: %s", err.msg);
		ck_assert_int_eq(
			map_load_text(maps, path, buf_view(&text), &errs),
			EDI_OK);
		buf_release(&text);
	}
	ck_assert_msg(map_set_resolve(maps, &errs) == EDI_OK, "%s",
		      errs.n ? errs.items[0].msg : "");
	edi_diag_release(&errs);
}

void fx_diag_text(const struct edi_diag *d, char *out, size_t size)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < d->n && o < size; i++) {
		const struct edi_error *e = &d->items[i];
		int w = snprintf(out + o, size - o,
				 "%d %zu %zu %zu %u %u %s %s\n", (int)e->code,
				 e->loc.segment, e->loc.set_position,
				 e->loc.offset, e->loc.element,
				 e->loc.component, e->loc.tag, e->msg);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

/* One set each, written for these tests from the public segment
 * structure, with the element placeholders of fx_body(). */
static const char *const sample_sets[] = {
	"ST*850*0001~BEG*00*SA*4500000000**20240102~CUR*BY*USD~REF*DP*467~"
	"REF*IA*115838~DTM*002*20240104~N1*BY*MEGAMART STORES INC*92*6131~"
	"N3*9100 WAREHOUSE BLVD~N4*PHOENIX*AZ*85015*US~N1*ST*DC 093*92*4628~"
	"N3*8622 COMMERCE DR*SUITE 4~N4*ATLANTA*GA*30306*US~"
	"PO1*1*48*EA*50.49**UP*088213022323*VN*LF-10754~PID*F****BOTTLE~"
	"PO1*2*4*EA*105.49**UP*088213045681*VN*JD-11586~PID*F****PUZZLE~"
	"CTT*2*52~SE*18*0001~",
	"ST*855*0001~BAK*00*AD*4500000020*20231231~REF*VN*700021~"
	"DTM*067*20240113~N1*ST*DC 023*92*0870~N3*8662 RIVERSIDE BLVD~"
	"N4*DALLAS*TX*75218*US~PO1*1*144*EA*45.99**UP*088213051637*VN*SE-1~"
	"ACK*IA*144*EA*068*20240113~PO1*2*240*EA*93.99**UP*088213081030~"
	"ACK*IA*240*EA*068*20240113~ACK*IB*2*EA~CTT*2~SE*14*0001~",
	"ST*856*0001~BSN*00*80000040*20240102*0008*0001~DTM*011*20240102~"
	"HL*1**S~TD1*CTN25*7****G*301*LB~TD5*B*2*FDEG*M~REF*BM*1000001271~"
	"N1*ST*DC 038*92*0088~N3*8150 OAK BLVD~N4*MEMPHIS*TN*38105*US~"
	"N1*SF*INITECH TOYS AND GAMES~HL*2*1*O~PRF*4500000020***20231219~"
	"HL*3*2*P~MAN*GM*000882130000000000~HL*4*3*I~"
	"LIN**UP*088213016414*VN*FZ-10546~SN1**96*EA~HL*5*3*I~"
	"LIN**UP*088213143080*VN*AW-15018~SN1**48*EA~HL*6*2*I~"
	"LIN**UP*088213077958~SN1**60*EA~HL*7*1*O~PRF*4500000021~"
	"HL*8*7*I~LIN**UP*088213045681~SN1**24*EA~CTT*8~SE*30*0001~",
	"ST*810*0001~BIG*20240102*INV300060*20231210*4500000060~REF*DP*498~"
	"N1*RE*INITECH TOYS AND GAMES*92*1092~N3*7707 RIVERSIDE BLVD~"
	"N4*RENO*NV*89504*US~IT1*1*19*EA*50.49**UP*088213022323~"
	"PID*F****BOTTLE~IT1*2*24*EA*99.49**UP*088213083720~PID*F****SHEET~"
	"TDS*28212440~SAC*C*D240***7186~SAC*A*C310***-150~CTT*2~SE*15*0001~",
	"ST*997*0001~AK1*PO*1~AK2*850*0001~AK3*PO1*12**8~AK4*2**7*XX~"
	"AK5*R*5~AK9*R*1*1*0~SE*8*0001~",
	"ST*999*0001*005010X231A1~AK1*PO*1*005010X220A1~"
	"AK2*850*0001*005010X220A1~IK3*PO1*12**8~IK4*2**7*XX~IK5*R*5~"
	"AK9*R*1*1*0~SE*9*0001~",
};

const char *fx_sample_set(const char *document)
{
	for (size_t i = 0; i < sizeof(sample_sets) / sizeof(sample_sets[0]);
	     i++)
		if (!strncmp(sample_sets[i] + 3, document, 3))
			return sample_sets[i];
	return NULL;
}

void fx_mutate(const char *text, const char *const *pool, size_t npool,
	       unsigned odds, unsigned *seed, char *out, size_t size)
{
	size_t o = 0;
	bool fixed = true; /* inside ST, SE or HL: left alone */

	for (const char *p = text; *p && o + 80 < size;) {
		if (p == text || p[-1] == '~')
			fixed = !strncmp(p, "ST*", 3) ||
				!strncmp(p, "SE*", 3) || !strncmp(p, "HL*", 3);
		if (*p == '*' && !fixed) {
			*seed = *seed * 1103515245u + 12345u;
			if ((*seed >> 16) % odds == 0) {
				const char *v;

				*seed = *seed * 1103515245u + 12345u;
				v = pool[(*seed >> 16) % npool];
				o += (size_t)snprintf(out + o, size - o, "*%s",
						      v);
				for (p++; *p && *p != '*' && *p != '~'; p++)
					;
				continue;
			}
		}
		out[o++] = *p++;
	}
	out[o] = '\0';
}
