/*
 * gen-x12 - write large, realistic and envelope-valid ANSI X12 files.
 *
 * The benchmark and the stress tests need interchanges of any size that look
 * like what retail trading partners really exchange: purchase orders (850),
 * acknowledgments (855), ship notices (856) and invoices (810), with UPCs and
 * SSCCs that carry valid check digits, invoice totals that add up and every
 * envelope count and control number right. Output depends only on the
 * options, so the same command always writes the same bytes; dates come from
 * the seed, not the clock. Money is kept in integer cents throughout. The
 * program writes whole interchanges until the output reaches SIZE, so the
 * last one may overshoot it. With --bad N every Nth transaction set carries
 * one envelope error (a wrong SE01 or an SE02 that does not match ST02).
 *
 * Build: cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -o gen-x12 gen-x12.c
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	EXIT_USAGE = 64,   /* sysexits(3) EX_USAGE */
	EXIT_IOERR = 74,   /* sysexits(3) EX_IOERR */
	OUT_CAP = 1 << 20, /* output buffer, flushed with fwrite() */
	SEG_MAX = 1024,	   /* room kept free for one segment */
	MAX_MIX = 32,
	NPRODUCTS = 512,
	MAX_ORDERS = 3,	  /* 856: orders per shipment */
	MAX_PACKS = 4,	  /* 856: packs per order */
	MAX_ITEMS = 4,	  /* 856: items per pack */
	MAX_LINES = 40,	  /* 850, 855, 810: line items */
	BASE_DAY = 19724, /* 2024-01-01 in days since 1970-01-01 */
};

struct product {
	char upc[13]; /* UPC-A, 12 digits with check digit */
	char vendor_item[16];
	char desc[64];
	unsigned long long price_cents;
};

struct party {
	const char *isa_id;
	const char *name;
	unsigned gs1_prefix; /* vendors only: 6-digit company prefix */
};

struct city {
	const char *name;
	const char *state;
	unsigned zip;
};

struct options {
	uint64_t seed;
	uint64_t size_bytes;
	unsigned sets_per_group;
	unsigned groups_per_interchange;
	unsigned bad_every;
	int v5010;
	int crlf;
	unsigned mix[MAX_MIX];
	unsigned nmix;
	const char *outfile;
};

struct gen {
	const struct options *opt;
	FILE *fp;
	char *buf;
	size_t len;
	uint64_t flushed;
	int io_error;
	uint64_t rng;
	unsigned nsegments; /* in the current transaction set */
	unsigned minutes;   /* since BASE_DAY 00:00, advances per interchange */
	unsigned today;	    /* CCYYMMDD of the current interchange */
	unsigned retailer, vendor; /* parties of the current interchange */
	unsigned long long isa_ctl, gs_ctl, nsets, doc_seq, sscc_seq;
	struct product products[NPRODUCTS];
};

static const struct party retailers[] = {
	{"MEGAMARTSTORES", "MEGAMART STORES INC", 0},
	{"6112390050", "VALUE HOME CENTERS", 0},
	{"NORTHWINDRETAIL", "NORTHWIND RETAIL GROUP", 0},
	{"0781234560000", "BLUE RIVER OUTFITTERS", 0},
};

static const struct party vendors[] = {
	{"ACMEAPPAREL", "ACME APPAREL CO", 72345},
	{"8005551212", "GLOBEX HOUSEWARES LLC", 41876},
	{"INITECHTOYS", "INITECH TOYS AND GAMES", 88213},
	{"0614141000005", "SUMMIT OUTDOOR GEAR", 614141},
	{"HOOLIFOODS", "HOOLI SPECIALTY FOODS", 37110},
	{"STARKTOOLS", "STARK HARDWARE AND TOOLS", 50462},
	{"UMBRELLAHB", "UMBRELLA HEALTH AND BEAUTY", 30073},
	{"WAYNETEXTILE", "WAYNE TEXTILE MILLS", 19458},
};

static const struct city cities[] = {
	{"COLUMBUS", "OH", 43215}, {"ATLANTA", "GA", 30303},
	{"DALLAS", "TX", 75201},   {"PHOENIX", "AZ", 85004},
	{"DENVER", "CO", 80202},   {"MEMPHIS", "TN", 38103},
	{"RENO", "NV", 89501},	   {"ALLENTOWN", "PA", 18101},
	{"JOLIET", "IL", 60432},   {"FRESNO", "CA", 93721},
	{"SAVANNAH", "GA", 31401}, {"INDIANAPOLIS", "IN", 46204},
	{"TACOMA", "WA", 98402},   {"KANSAS CITY", "MO", 64105},
	{"ORLANDO", "FL", 32801},  {"SALT LAKE CITY", "UT", 84101},
};

static const char *const streets[] = {
	"MAIN",	     "OAK",    "INDUSTRIAL", "COMMERCE",  "MARKET",
	"LOGISTICS", "HARBOR", "PINE",	     "WAREHOUSE", "RIVERSIDE",
};
static const char *const street_kinds[] = {"ST",   "AVE", "BLVD",
					   "PKWY", "DR",  "RD"};
static const char *const buyers[] = {
	"JANE MILLER",	 "TOM NGUYEN", "PRIYA SHAH", "CARLOS DIAZ",
	"ANNA KOWALSKI", "DAVID CHEN", "LISA BROWN", "OMAR HASSAN",
};
static const char *const scacs[] = {"UPSN", "FDEG", "ODFL", "RDWY",
				    "SAIA", "ABFS", "CNWY", "EXLA"};
static const char *const adjectives[] = {
	"CLASSIC", "PREMIUM", "ORGANIC", "DELUXE", "COMPACT", "HEAVY DUTY",
	"SOFT",	   "ULTRA",   "ECO",	 "TRAVEL", "FAMILY",  "PRO",
};
static const char *const nouns[] = {
	"CREW NECK TEE",    "FLEECE HOODIE",  "COFFEE MUG",
	"CHEF KNIFE",	    "BATH TOWEL",     "LED DESK LAMP",
	"WATER BOTTLE",	    "BUILDING SET",   "TRAIL BACKPACK",
	"GRANOLA BAR 12CT", "CORDLESS DRILL", "FACE CREAM 50ML",
	"BED SHEET SET",    "CAMP CHAIR",     "PUZZLE 1000PC",
	"SOCKS 6PK",
};
static const char *const colors[] = {"BLACK", "NAVY",  "RED",	  "WHITE",
				     "GREY",  "GREEN", "ASSORTED"};
static const char *const sizes[] = {"SM", "MD", "LG", "XL", "ONE SIZE"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* xorshift64*; the state is never zero because splitmix64 seeds it */
static uint64_t rng_next(struct gen *g)
{
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return g->rng * 0x2545F4914F6CDD1DULL;
}

static unsigned rng_below(struct gen *g, unsigned n)
{
	return (unsigned)(((rng_next(g) >> 32) * n) >> 32);
}

static void rng_seed(struct gen *g, uint64_t seed)
{
	uint64_t z = seed + 0x9E3779B97F4A7C15ULL;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	g->rng = (z ^ (z >> 31)) | 1;
}

/* GS1 mod-10 check digit: weights 3,1,3,... from the rightmost digit */
static char gs1_check(const char *digits, size_t n)
{
	unsigned sum = 0, w = 3;

	while (n--) {
		sum += (unsigned)(digits[n] - '0') * w;
		w = 4 - w;
	}
	return (char)('0' + (10 - sum % 10) % 10);
}

/* days since 1970-01-01 to CCYYMMDD (H. Hinnant's civil_from_days) */
static unsigned civil_date(unsigned days)
{
	unsigned z = days + 719468, era = z / 146097, doe = z - era * 146097;
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	unsigned d = doy - (153 * mp + 2) / 5 + 1;
	unsigned m = mp < 10 ? mp + 3 : mp - 9;
	unsigned y = yoe + era * 400 + (m <= 2);

	return y * 10000 + m * 100 + d;
}

static void out_flush(struct gen *g)
{
	errno = 0;
	if (g->len && !g->io_error &&
	    fwrite(g->buf, 1, g->len, g->fp) != g->len)
		g->io_error = errno ? errno : EIO;
	g->flushed += g->len;
	g->len = 0;
}

static char *put_dec(char *p, unsigned long long v, unsigned width)
{
	char tmp[24];
	unsigned n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width && n < sizeof(tmp))
		tmp[n++] = '0';
	while (n)
		*p++ = tmp[--n];
	return p;
}

/*
 * Write one segment and its terminator. The format knows %s (string),
 * %u (unsigned), %L (unsigned long long) and %m (unsigned long long cents
 * as dollars with two decimals); a digit after % zero-pads numbers.
 */
static void seg(struct gen *g, const char *fmt, ...)
{
	va_list ap;
	char *p;
	const char *s;
	unsigned width;
	unsigned long long v;

	if (OUT_CAP - g->len < SEG_MAX)
		out_flush(g);
	p = g->buf + g->len;
	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			*p++ = *fmt;
			continue;
		}
		width = 0;
		if (fmt[1] >= '1' && fmt[1] <= '9')
			width = (unsigned)(*++fmt - '0');
		switch (*++fmt) {
		case 's':
			s = va_arg(ap, const char *);
			while (*s)
				*p++ = *s++;
			break;
		case 'u':
			p = put_dec(p, va_arg(ap, unsigned), width);
			break;
		case 'L':
			p = put_dec(p, va_arg(ap, unsigned long long), width);
			break;
		case 'm':
			v = va_arg(ap, unsigned long long);
			p = put_dec(p, v / 100, 1);
			*p++ = '.';
			p = put_dec(p, v % 100, 2);
			break;
		default:
			*p++ = *fmt;
			break;
		}
	}
	va_end(ap);
	*p++ = '~';
	if (g->opt->crlf)
		*p++ = '\r';
	*p++ = '\n';
	g->len = (size_t)(p - g->buf);
	g->nsegments++;
}

static void make_products(struct gen *g)
{
	unsigned i, k;
	struct product *p;
	char digits[12];

	for (i = 0; i < NPRODUCTS; i++) {
		p = &g->products[i];
		snprintf(digits, sizeof(digits), "%06u%05u",
			 vendors[i % COUNT(vendors)].gs1_prefix % 1000000,
			 (i * 37 + rng_below(g, 97)) % 100000);
		memcpy(p->upc, digits, 11);
		p->upc[11] = gs1_check(digits, 11);
		p->upc[12] = '\0';
		k = rng_below(g, 26);
		snprintf(p->vendor_item, sizeof(p->vendor_item), "%c%c-%05u",
			 'A' + k, 'A' + (k * 7 + i) % 26, 10000 + i * 13);
		snprintf(p->desc, sizeof(p->desc), "%s %s %s %s",
			 adjectives[rng_below(g, COUNT(adjectives))],
			 nouns[rng_below(g, COUNT(nouns))],
			 colors[rng_below(g, COUNT(colors))],
			 sizes[rng_below(g, COUNT(sizes))]);
		/* mostly .99 and .49 price points, a few round ones */
		p->price_cents = (1 + rng_below(g, 150)) * 100;
		k = rng_below(g, 10);
		if (k < 6)
			p->price_cents -= 1;
		else if (k < 9)
			p->price_cents -= 51;
	}
}

static const struct product *pick_product(struct gen *g)
{
	unsigned per_vendor = NPRODUCTS / COUNT(vendors);

	return &g->products[g->vendor +
			    COUNT(vendors) * rng_below(g, per_vendor)];
}

/* CCYYMMDD of today plus offset days, offset drawn from [lo, lo + span) */
static unsigned day_near(struct gen *g, int lo, unsigned span)
{
	return civil_date((unsigned)((int)(BASE_DAY + g->minutes / 1440) + lo +
				     (int)rng_below(g, span)));
}

/* N1 with name and store or DC number, then N3 and N4 */
static void name_loop(struct gen *g, const char *code, const char *name)
{
	const struct city *c = &cities[rng_below(g, COUNT(cities))];

	if (!strcmp(code, "ST"))
		seg(g, "N1*ST*%s DC %3u*92*%4u", name, 1 + rng_below(g, 99),
		    rng_below(g, 10000));
	else
		seg(g, "N1*%s*%s*92*%4u", code, name, rng_below(g, 10000));
	seg(g, "N3*%u %s %s", 100 + rng_below(g, 9900),
	    streets[rng_below(g, COUNT(streets))],
	    street_kinds[rng_below(g, COUNT(street_kinds))]);
	seg(g, "N4*%s*%s*%5u*US", c->name, c->state, c->zip + rng_below(g, 20));
}

static unsigned quantity(struct gen *g)
{
	static const unsigned packs[] = {1, 2, 6, 12, 24, 48};

	return packs[rng_below(g, COUNT(packs))] * (1 + rng_below(g, 20));
}

static void body_850(struct gen *g)
{
	const struct party *r = &retailers[g->retailer];
	unsigned i, n = 1 + rng_below(g, MAX_LINES), qty, hash = 0;
	const struct product *p;

	seg(g, "BEG*00*SA*%L**%8u", 4500000000ULL + g->doc_seq++, g->today);
	seg(g, "CUR*BY*USD");
	seg(g, "REF*DP*%3u", 100 + rng_below(g, 900));
	seg(g, "REF*IA*%L", 100000ULL + g->vendor * 7919ULL);
	seg(g, "PER*BD*%s*TE*%L", buyers[rng_below(g, COUNT(buyers))],
	    8005550100ULL + rng_below(g, 100));
	seg(g, "DTM*002*%8u", day_near(g, 1, 30));
	name_loop(g, "BY", r->name);
	name_loop(g, "ST", r->name);
	for (i = 1; i <= n; i++) {
		p = pick_product(g);
		qty = quantity(g);
		hash += qty;
		seg(g, "PO1*%u*%u*EA*%m**UP*%s*VN*%s", i, qty, p->price_cents,
		    p->upc, p->vendor_item);
		seg(g, "PID*F****%s", p->desc);
	}
	seg(g, "CTT*%u*%u", n, hash);
}

static void body_855(struct gen *g)
{
	const struct party *r = &retailers[g->retailer];
	unsigned i, n = 1 + rng_below(g, MAX_LINES), qty, ship;
	const struct product *p;

	seg(g, "BAK*00*%s*%L*%8u", rng_below(g, 4) ? "AD" : "AC",
	    4500000000ULL + g->doc_seq++, day_near(g, -4, 5));
	seg(g, "REF*VN*%L", 700000ULL + g->doc_seq);
	seg(g, "DTM*067*%8u", ship = day_near(g, 1, 14));
	name_loop(g, "ST", r->name);
	for (i = 1; i <= n; i++) {
		p = pick_product(g);
		qty = quantity(g);
		seg(g, "PO1*%u*%u*EA*%m**UP*%s*VN*%s", i, qty, p->price_cents,
		    p->upc, p->vendor_item);
		seg(g, "ACK*IA*%u*EA*068*%8u", qty, ship);
	}
	seg(g, "CTT*%u", n);
}

static void body_856(struct gen *g)
{
	const struct party *r = &retailers[g->retailer];
	const struct party *v = &vendors[g->vendor];
	unsigned packs[MAX_ORDERS], norders = 1 + rng_below(g, MAX_ORDERS);
	unsigned o, k, i, nitems, npacks = 0, hl = 1, order_hl, pack_hl;
	const struct product *p;
	char sscc[19];

	for (o = 0; o < norders; o++)
		npacks += packs[o] = 1 + rng_below(g, MAX_PACKS);
	seg(g, "BSN*00*%L*%8u*%4u*0001", 80000000ULL + g->doc_seq++, g->today,
	    (g->minutes % 1440) / 60 * 100 + g->minutes % 60);
	seg(g, "DTM*011*%8u", g->today);
	seg(g, "HL*1**S");
	seg(g, "TD1*CTN25*%u****G*%u*LB", npacks,
	    npacks * (5 + rng_below(g, 40)));
	seg(g, "TD5*B*2*%s*M", scacs[rng_below(g, COUNT(scacs))]);
	seg(g, "REF*BM*%L", 1000000000ULL + g->doc_seq * 31);
	name_loop(g, "ST", r->name);
	seg(g, "N1*SF*%s", v->name);
	for (o = 0; o < norders; o++) {
		order_hl = ++hl;
		seg(g, "HL*%u*1*O", order_hl);
		seg(g, "PRF*%L***%8u", 4500000000ULL + g->doc_seq / 2 + o,
		    day_near(g, -19, 20));
		for (k = 0; k < packs[o]; k++) {
			pack_hl = ++hl;
			seg(g, "HL*%u*%u*P", pack_hl, order_hl);
			/* extension 0, GS1 prefix with leading 0, serial */
			snprintf(sscc, sizeof(sscc), "00%06u%09llu",
				 v->gs1_prefix % 1000000,
				 g->sscc_seq++ % 1000000000ULL);
			sscc[17] = gs1_check(sscc, 17);
			sscc[18] = '\0';
			seg(g, "MAN*GM*%s", sscc);
			nitems = 1 + rng_below(g, MAX_ITEMS);
			for (i = 0; i < nitems; i++) {
				p = pick_product(g);
				seg(g, "HL*%u*%u*I", ++hl, pack_hl);
				seg(g, "LIN**UP*%s*VN*%s", p->upc,
				    p->vendor_item);
				seg(g, "SN1**%u*EA", quantity(g));
			}
		}
	}
	seg(g, "CTT*%u", hl);
}

static void body_810(struct gen *g)
{
	const struct party *r = &retailers[g->retailer];
	const struct party *v = &vendors[g->vendor];
	unsigned i, n = 1 + rng_below(g, MAX_LINES), qty;
	unsigned long long total = 0, freight = 0;
	const struct product *p;

	seg(g, "BIG*%8u*INV%L*%8u*%L", g->today, 300000ULL + g->doc_seq,
	    day_near(g, -29, 30), 4500000000ULL + g->doc_seq);
	g->doc_seq++;
	seg(g, "REF*DP*%3u", 100 + rng_below(g, 900));
	seg(g, "REF*IA*%L", 100000ULL + g->vendor * 7919ULL);
	name_loop(g, "RE", v->name);
	name_loop(g, "ST", r->name);
	for (i = 1; i <= n; i++) {
		p = pick_product(g);
		qty = quantity(g);
		total += qty * p->price_cents;
		seg(g, "IT1*%u*%u*EA*%m**UP*%s", i, qty, p->price_cents,
		    p->upc);
		seg(g, "PID*F****%s", p->desc);
	}
	if (rng_below(g, 3) == 0)
		freight = 995 + rng_below(g, 20000);
	seg(g, "TDS*%L", total + freight);
	if (freight)
		seg(g, "SAC*C*D240***%L", freight);
	seg(g, "CTT*%u", n);
}

/* the default --mix is the order of this table */
static const struct set_kind {
	const char *st01, *gs01;
	void (*body)(struct gen *g);
} set_kinds[] = {
	{"850", "PO", body_850},
	{"855", "PR", body_855},
	{"856", "SH", body_856},
	{"810", "IN", body_810},
};

static void transaction_set(struct gen *g, unsigned type, unsigned ctl)
{
	unsigned nsegments, se02 = ctl;

	g->nsegments = 0;
	seg(g, "ST*%s*%4u", set_kinds[type].st01, ctl);
	set_kinds[type].body(g);
	nsegments = g->nsegments + 1;
	g->nsets++;
	if (g->opt->bad_every && g->nsets % g->opt->bad_every == 0) {
		if ((g->nsets / g->opt->bad_every) % 2)
			nsegments++;
		else
			se02++;
	}
	seg(g, "SE*%u*%4u", nsegments, se02);
}

static void interchange(struct gen *g)
{
	const struct options *o = g->opt;
	const struct party *from, *to;
	char from_id[16], to_id[16];
	unsigned k, s, type, hhmm;
	unsigned long long gs_ctl;

	g->minutes += 1 + rng_below(g, 45);
	g->today = civil_date(BASE_DAY + g->minutes / 1440);
	hhmm = (g->minutes % 1440) / 60 * 100 + g->minutes % 60;
	g->retailer = rng_below(g, COUNT(retailers));
	g->vendor = rng_below(g, COUNT(vendors));
	type = o->mix[g->gs_ctl % o->nmix];
	/* orders travel retailer to vendor, the rest vendor to retailer */
	from = type == 0 ? &retailers[g->retailer] : &vendors[g->vendor];
	to = type == 0 ? &vendors[g->vendor] : &retailers[g->retailer];
	snprintf(from_id, sizeof(from_id), "%-15s", from->isa_id);
	snprintf(to_id, sizeof(to_id), "%-15s", to->isa_id);
	g->isa_ctl++;
	seg(g,
	    "ISA*00*          *00*          *ZZ*%s*ZZ*%s*%6u*%4u*%s*%s*%9L"
	    "*0*P*:",
	    from_id, to_id, g->today % 1000000, hhmm, o->v5010 ? "^" : "U",
	    o->v5010 ? "00501" : "00401", g->isa_ctl);
	for (k = 0; k < o->groups_per_interchange; k++) {
		type = o->mix[g->gs_ctl % o->nmix];
		gs_ctl = ++g->gs_ctl;
		seg(g, "GS*%s*%s*%s*%8u*%4u*%L*X*%s", set_kinds[type].gs01,
		    from->isa_id, to->isa_id, g->today, hhmm, gs_ctl,
		    o->v5010 ? "005010" : "004010");
		for (s = 1; s <= o->sets_per_group; s++)
			transaction_set(g, type, s);
		seg(g, "GE*%u*%L", o->sets_per_group, gs_ctl);
	}
	seg(g, "IEA*%u*%9L", o->groups_per_interchange, g->isa_ctl);
}

static void usage(FILE *fp)
{
	fputs("usage: gen-x12 [--seed N] [--version 004010|005010]\n"
	      "               [--mix 850,855,856,810] [--sets-per-group N]\n"
	      "               [--groups-per-interchange N] [--crlf] [--bad N]\n"
	      "               SIZE [OUTFILE]\n"
	      "SIZE is bytes with an optional suffix K, M or G (powers of\n"
	      "1000); whole interchanges are written until the output reaches\n"
	      "it. --bad N puts an envelope error in every Nth set.\n",
	      fp);
}

static int parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	uint64_t mult = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end == 'K' || *end == 'k')
		mult = 1000;
	else if (*end == 'M' || *end == 'm')
		mult = 1000 * 1000;
	else if (*end == 'G' || *end == 'g')
		mult = 1000 * 1000 * 1000;
	if (errno || end[mult > 1] != '\0' || v > UINT64_MAX / mult)
		return -1;
	*out = v * mult;
	return 0;
}

static int parse_mix(const char *s, struct options *o)
{
	unsigned t;

	o->nmix = 0;
	while (*s) {
		for (t = 0; t < COUNT(set_kinds); t++)
			if (!strncmp(s, set_kinds[t].st01, 3) &&
			    (s[3] == ',' || s[3] == '\0'))
				break;
		if (t == COUNT(set_kinds) || o->nmix == MAX_MIX)
			return -1;
		o->mix[o->nmix++] = t;
		s += 3;
		if (*s == ',' && *++s == '\0')
			return -1;
	}
	return o->nmix ? 0 : -1;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	int i, npos = 0;
	uint64_t v;
	const char *a, *arg;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		arg = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--crlf")) {
			o->crlf = 1;
			continue;
		}
		if (a[0] != '-' || a[1] == '\0') {
			if (npos == 0 && parse_size(a, &o->size_bytes)) {
				fprintf(stderr, "gen-x12: bad size '%s'\n", a);
				return -1;
			}
			if (npos == 1)
				o->outfile = a;
			if (++npos > 2)
				return -1;
			continue;
		}
		if (!strcmp(a, "--version") && arg &&
		    (!strcmp(arg, "004010") || !strcmp(arg, "005010"))) {
			o->v5010 = arg[2] == '5';
		} else if (!strcmp(a, "--mix") && arg) {
			if (parse_mix(arg, o))
				goto bad;
		} else if (!strcmp(a, "--seed") &&
			   !parse_u64(arg, UINT64_MAX, &v)) {
			o->seed = v;
		} else if (!strcmp(a, "--sets-per-group") &&
			   !parse_u64(arg, 999999999, &v) && v) {
			o->sets_per_group = (unsigned)v;
		} else if (!strcmp(a, "--groups-per-interchange") &&
			   !parse_u64(arg, 99999, &v) && v) {
			o->groups_per_interchange = (unsigned)v;
		} else if (!strcmp(a, "--bad") &&
			   !parse_u64(arg, UINT32_MAX, &v)) {
			o->bad_every = (unsigned)v;
		} else {
			goto bad;
		}
		i++;
	}
	return npos ? 0 : -1;
bad:
	fprintf(stderr, "gen-x12: bad option or value '%s'\n", argv[i]);
	return -1;
}

int main(int argc, char **argv)
{
	struct options opt = {
		.seed = 1,
		.sets_per_group = 20,
		.groups_per_interchange = 4,
		.mix = {0, 1, 2, 3},
		.nmix = 4,
	};
	struct gen *g;
	int rc = 0;

	if (argc == 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (parse_args(argc, argv, &opt)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	g = calloc(1, sizeof(*g));
	if (!g || !(g->buf = malloc(OUT_CAP))) {
		fputs("gen-x12: out of memory\n", stderr);
		return 71; /* EX_OSERR */
	}
	g->opt = &opt;
	g->fp = stdout;
	if (opt.outfile && !strcmp(opt.outfile, "-"))
		opt.outfile = NULL;
	if (opt.outfile && !(g->fp = fopen(opt.outfile, "wb"))) {
		fprintf(stderr, "gen-x12: cannot open '%s': %s\n", opt.outfile,
			strerror(errno));
		return 73; /* EX_CANTCREAT */
	}
	rng_seed(g, opt.seed);
	make_products(g);
	do
		interchange(g);
	while (g->flushed + g->len < opt.size_bytes && !g->io_error);
	out_flush(g);
	if (fclose(g->fp) && !g->io_error)
		g->io_error = errno;
	if (g->io_error) {
		fprintf(stderr, "gen-x12: cannot write '%s': %s\n",
			opt.outfile ? opt.outfile : "stdout",
			strerror(g->io_error));
		rc = EXIT_IOERR;
	}
	free(g->buf);
	free(g);
	return rc;
}
