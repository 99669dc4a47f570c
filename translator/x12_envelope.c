/*
 * x12_envelope - envelope checks; see x12_envelope.h.
 *
 * The state is where the last segment left us: outside any interchange,
 * inside an interchange, a group or a set.  A segment that does not fit
 * the state closes what it must (reporting the missing trailers) and is
 * then read as if the structure had been right, so one defect gives one
 * error and the rest of the file is still checked.
 */
#include "x12_envelope.h"

#include <stdio.h>
#include <string.h>

#include "x12_types.h"
#include "xalloc.h"

static const struct {
	const char *set, *group;
} set_groups[] = {
	{"100", "PG"}, {"180", "AN"}, {"204", "SM"}, {"210", "IM"},
	{"214", "QM"}, {"270", "HS"}, {"271", "HB"}, {"276", "HR"},
	{"277", "HN"}, {"278", "HI"}, {"810", "IN"}, {"812", "CD"},
	{"816", "OR"}, {"820", "RA"}, {"824", "AG"}, {"830", "PS"},
	{"832", "SC"}, {"834", "BE"}, {"835", "HP"}, {"837", "HC"},
	{"846", "IB"}, {"850", "PO"}, {"852", "PD"}, {"855", "PR"},
	{"856", "SH"}, {"857", "BS"}, {"860", "PC"}, {"861", "RC"},
	{"862", "SS"}, {"864", "TX"}, {"865", "CA"}, {"867", "PT"},
	{"869", "RS"}, {"870", "RS"}, {"875", "OG"}, {"880", "GP"},
	{"940", "OW"}, {"943", "AR"}, {"944", "RE"}, {"945", "SW"},
	{"947", "AW"}, {"990", "GF"}, {"997", "FA"}, {"999", "FA"},
};

const char *x12_group_code_for(struct strview set_id)
{
	size_t lo = 0, hi = sizeof(set_groups) / sizeof(set_groups[0]);

	/* every id is three bytes, and the table is in their order */
	if (set_id.len != 3)
		return NULL;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int d = memcmp(set_id.ptr, set_groups[mid].set, 3);

		if (!d)
			return set_groups[mid].group;
		if (d < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* ISA05/ISA07 interchange id qualifiers (X12 code list I05). */
static const char *const id_qualifiers[] = {
	"01", "02", "03", "04", "07", "08", "09", "10", "11", "12", "13",
	"14", "15", "16", "17", "18", "19", "20", "21", "22", "23", "24",
	"25", "26", "27", "28", "29", "30", "31", "32", "33", "34", "35",
	"36", "37", "38", "AM", "NR", "SA", "SN", "ZZ"};

static bool in_list(struct strview v, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (sv_eq_cstr(v, list[i]))
			return true;
	return false;
}

/* --- helpers --- */

static void copy_field(char *dst, size_t size, struct strview v)
{
	sv_to_cbuf(v, dst, size);
}

#define COPY(dst, v) copy_field((dst), sizeof(dst), (v))

static struct edi_loc seg_loc(const struct x12_segment *seg, unsigned el,
			      const struct x12_envelope *env)
{
	struct edi_loc loc = x12_loc(seg, el);

	if (env->state == X12_ENV_SET)
		loc.set_position = env->set.nsegments;
	return loc;
}

static struct edi_loc start_loc(size_t segment, size_t offset, const char *tag)
{
	struct edi_loc loc = edi_loc_none();

	loc.segment = segment;
	loc.offset = offset;
	snprintf(loc.tag, sizeof(loc.tag), "%s", tag);
	return loc;
}

/* Printable copy of v for messages, cut at 20 bytes. */
static const char *show(struct strview v, char *dst, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < v.len && o + 5 < size; i++) {
		unsigned char c = (unsigned char)v.ptr[i];
		if (i == 20) {
			snprintf(dst + o, size - o, "...");
			return dst;
		}
		if (c >= 0x20 && c < 0x7f)
			dst[o++] = (char)c;
		else
			o += (size_t)snprintf(dst + o, size - o, "\\x%02x", c);
	}
	dst[o < size ? o : size - 1] = '\0';
	return dst;
}

#define SHOW(v) show((v), shown, sizeof(shown))

/* --- closing scopes --- */

static unsigned close_set(struct x12_envelope *env, const char *why,
			  size_t offset)
{
	if (why) {
		struct edi_loc loc =
			start_loc(env->set.segment, env->set.offset, "ST");
		(void)offset;
		edi_diag_addf(env->diag, X12_SE_MISSING, &loc,
			      "transaction set %s '%s' has no SE: %s",
			      env->set.id, env->set.control, why);
	}
	env->set.closed = why == NULL;
	env->set.nerrors = env->diag->nerrors - env->set.nerrors_at_start;
	env->done_set = env->set;
	env->state = env->group_open ? X12_ENV_GROUP : X12_ENV_INTERCHANGE;
	return X12_EV_SET_END;
}

static unsigned close_group(struct x12_envelope *env, const char *why)
{
	if (why) {
		struct edi_loc loc =
			start_loc(env->group.segment, env->group.offset, "GS");
		edi_diag_addf(env->diag, X12_GE_MISSING, &loc,
			      "functional group %s '%s' has no GE: %s",
			      env->group.code, env->group.control, why);
	}
	env->group.closed = why == NULL;
	env->group.accepted =
		env->diag->nerrors_at[EDI_LEVEL_AK9] == env->group.ak9_at_start;
	env->done_group = env->group;
	env->group_open = false;
	env->state = X12_ENV_INTERCHANGE;
	return X12_EV_GROUP_END;
}

static unsigned close_interchange(struct x12_envelope *env, enum edi_code code,
				  const char *why)
{
	if (why) {
		struct edi_loc loc =
			start_loc(env->isa.segment, env->isa.offset, "ISA");
		edi_diag_addf(env->diag, code, &loc,
			      "interchange '%s' has no IEA: %s",
			      env->isa.control, why);
	}
	env->isa.closed = why == NULL;
	env->isa.accepted =
		env->diag->nerrors_at[EDI_LEVEL_TA1] == env->isa.ta1_at_start;
	env->done_isa = env->isa;
	env->state = X12_ENV_OUTSIDE;
	return X12_EV_ISA_END;
}

/* Close everything open below (and including) level `to`. */
static unsigned close_to(struct x12_envelope *env, enum x12_env_state to,
			 const char *why)
{
	unsigned ev = 0;

	if (env->state == X12_ENV_SET && to <= X12_ENV_GROUP)
		ev |= close_set(env, why, 0);
	if (env->state == X12_ENV_GROUP && to <= X12_ENV_INTERCHANGE)
		ev |= close_group(env, why);
	if (env->state == X12_ENV_INTERCHANGE && to <= X12_ENV_OUTSIDE)
		ev |= close_interchange(env, X12_STRUCTURE, why);
	return ev;
}

/* --- the segments --- */

static void check_isa(struct x12_envelope *env, const struct x12_segment *seg)
{
	static const enum edi_code codes[17] = {
		EDI_OK,	   X12_ISA01,	     X12_ISA02, X12_ISA03, X12_ISA04,
		X12_ISA05, X12_ISA06,	     X12_ISA07, X12_ISA08, X12_ISA09,
		X12_ISA10, X12_ISA_STANDARD, X12_ISA12, X12_ISA13, X12_ISA14,
		X12_ISA15, X12_COMPONENT_SEP};
	struct strview el[17];
	struct edi_loc loc;
	char shown[96];
	unsigned n = x12_element_count(seg);
	size_t nq = sizeof(id_qualifiers) / sizeof(id_qualifiers[0]);

	if (n != 16) {
		loc = seg_loc(seg, 0, env);
		edi_diag_addf(env->diag, X12_STRUCTURE, &loc,
			      "ISA has %u elements, not 16", n);
	}
	for (unsigned i = 1; i <= 16; i++)
		el[i] = x12_element(seg, i);
#define BAD(i, ...)                                                    \
	do {                                                           \
		loc = seg_loc(seg, (i), env);                          \
		edi_diag_addf(env->diag, codes[i], &loc, __VA_ARGS__); \
	} while (0)
	if (!(el[1].len == 2 && el[1].ptr[0] == '0' && el[1].ptr[1] >= '0' &&
	      el[1].ptr[1] <= '6'))
		BAD(1, "ISA01 '%s' is not an authorization qualifier (00-06)",
		    SHOW(el[1]));
	if (!sv_eq_cstr(el[3], "00") && !sv_eq_cstr(el[3], "01"))
		BAD(3, "ISA03 '%s' is not a security qualifier (00 or 01)",
		    SHOW(el[3]));
	if (!in_list(el[5], id_qualifiers, nq))
		BAD(5, "ISA05 '%s' is not an interchange id qualifier",
		    SHOW(el[5]));
	if (sv_is_blank(el[6]))
		BAD(6, "ISA06 sender id is blank");
	if (!in_list(el[7], id_qualifiers, nq))
		BAD(7, "ISA07 '%s' is not an interchange id qualifier",
		    SHOW(el[7]));
	if (sv_is_blank(el[8]))
		BAD(8, "ISA08 receiver id is blank");
	if (!x12_date_valid(el[9]) || el[9].len != 6)
		BAD(9, "ISA09 '%s' is not a date YYMMDD", SHOW(el[9]));
	if (!x12_time_valid(el[10]) || el[10].len != 4)
		BAD(10, "ISA10 '%s' is not a time HHMM", SHOW(el[10]));
	if (!x12_isa_version_valid(el[12])) {
		BAD(12,
		    "ISA12 '%s' is not an interchange version (00200-00899)",
		    SHOW(el[12]));
	} else if (strncmp(el[12].ptr, "00402", 5) < 0) {
		if (!sv_eq_cstr(el[11], "U"))
			BAD(11,
			    "ISA11 '%s' must be the standards id U before "
			    "version 00402",
			    SHOW(el[11]));
	} else if (!seg->delims->repetition) {
		loc = seg_loc(seg, 11, env);
		edi_diag_addf(env->diag, X12_REPETITION_SEP, &loc,
			      "ISA11 '%s' cannot be a repetition separator in "
			      "version %.5s; read without repetitions",
			      SHOW(el[11]), el[12].ptr);
	}
	if (el[13].len != 9 || !sv_is_digits(el[13]))
		BAD(13, "ISA13 '%s' is not a 9-digit control number",
		    SHOW(el[13]));
	if (!sv_eq_cstr(el[14], "0") && !sv_eq_cstr(el[14], "1"))
		BAD(14, "ISA14 '%s' must be 0 or 1", SHOW(el[14]));
	if (!sv_eq_cstr(el[15], "P") && !sv_eq_cstr(el[15], "T") &&
	    !sv_eq_cstr(el[15], "I"))
		BAD(15, "ISA15 '%s' must be P, T or I", SHOW(el[15]));
#undef BAD
	memset(&env->isa, 0, sizeof(env->isa));
	COPY(env->isa.sender_qual, el[5]);
	COPY(env->isa.sender, sv_trim(el[6]));
	COPY(env->isa.receiver_qual, el[7]);
	COPY(env->isa.receiver, sv_trim(el[8]));
	COPY(env->isa.date, el[9]);
	COPY(env->isa.time, el[10]);
	COPY(env->isa.version, el[12]);
	COPY(env->isa.control, el[13]);
	env->isa.ack_requested = el[14].len ? el[14].ptr[0] : '0';
	env->isa.usage = el[15].len ? el[15].ptr[0] : 'P';
}

static unsigned on_isa(struct x12_envelope *env, const struct x12_segment *seg)
{
	unsigned ev = 0;
	size_t errors_before, ta1_before;

	if (env->state != X12_ENV_OUTSIDE)
		ev |= close_to(env, X12_ENV_OUTSIDE,
			       "another ISA starts before it ended");
	errors_before = env->diag->nerrors;
	ta1_before = env->diag->nerrors_at[EDI_LEVEL_TA1];
	check_isa(env, seg);
	env->isa.segment = seg->index;
	env->isa.offset = seg->offset;
	env->isa.nerrors_at_start = errors_before;
	env->isa.ta1_at_start = ta1_before;
	memset(&env->group, 0, sizeof(env->group));
	env->group.ge01 = -1;
	env->group_open = false;
	x12_ctlset_reset(&env->groups_seen);
	env->state = X12_ENV_INTERCHANGE;
	env->sum.ninterchanges++;
	return ev | X12_EV_ISA_BEGIN;
}

static unsigned on_iea(struct x12_envelope *env, const struct x12_segment *seg)
{
	struct strview n = x12_element(seg, 1), ctl = x12_element(seg, 2);
	struct edi_loc loc;
	char shown[96];
	uint64_t count;
	unsigned ev = 0;

	if (env->state == X12_ENV_OUTSIDE) {
		loc = seg_loc(seg, 0, env);
		edi_diag_addf(env->diag, X12_STRUCTURE, &loc,
			      "IEA without an ISA");
		return 0;
	}
	ev |= close_to(env, X12_ENV_INTERCHANGE, "IEA comes first");
	if (!sv_to_u64(n, &count) || count != env->isa.ngroups) {
		loc = seg_loc(seg, 1, env);
		edi_diag_addf(env->diag, X12_IEA_COUNT, &loc,
			      "IEA01 says %s functional groups, the "
			      "interchange has %zu",
			      SHOW(n), env->isa.ngroups);
	}
	if (!sv_eq_cstr(ctl, env->isa.control)) {
		loc = seg_loc(seg, 2, env);
		edi_diag_addf(env->diag, X12_ISA_CONTROL_MISMATCH, &loc,
			      "IEA02 '%s' differs from ISA13 '%s'", SHOW(ctl),
			      env->isa.control);
	}
	return ev | close_interchange(env, EDI_OK, NULL);
}

static unsigned on_gs(struct x12_envelope *env, const struct x12_segment *seg)
{
	struct strview el[9];
	struct edi_loc loc;
	char shown[96];
	unsigned ev = 0, n = x12_element_count(seg);
	size_t errors_before, ak9_before;

	if (env->state == X12_ENV_OUTSIDE)
		return 0; /* the reader never hands one out there */
	ev |= close_to(env, X12_ENV_INTERCHANGE, "a GS starts before it ended");
	errors_before = env->diag->nerrors;
	ak9_before = env->diag->nerrors_at[EDI_LEVEL_AK9];
	for (unsigned i = 1; i <= 8; i++)
		el[i] = x12_element(seg, i);
#define BAD(code, i, ...)                                            \
	do {                                                         \
		loc = seg_loc(seg, (i), env);                        \
		edi_diag_addf(env->diag, (code), &loc, __VA_ARGS__); \
	} while (0)
	if (n < 8)
		BAD(X12_GS_FIELD, 0, "GS has %u elements, 8 are required", n);
	if (el[1].len != 2 || !x12_tag_valid(el[1]))
		BAD(X12_GS01, 1, "GS01 '%s' is not a functional identifier",
		    SHOW(el[1]));
	for (unsigned i = 2; i <= 3; i++)
		if (el[i].len < 2 || el[i].len > 15 || sv_is_blank(el[i]))
			BAD(X12_GS_FIELD, i,
			    "GS%02u '%s' must be 2 to 15 characters", i,
			    SHOW(el[i]));
	if (!x12_date_valid(el[4]))
		BAD(X12_GS_FIELD, 4, "GS04 '%s' is not a date CCYYMMDD",
		    SHOW(el[4]));
	if (!x12_time_valid(el[5]))
		BAD(X12_GS_FIELD, 5, "GS05 '%s' is not a time HHMM[SS]",
		    SHOW(el[5]));
	if (el[6].len < 1 || el[6].len > 9 || !sv_is_digits(el[6]))
		BAD(X12_GS06, 6,
		    "GS06 '%s' is not a control number of 1 to 9 digits",
		    SHOW(el[6]));
	else if (!x12_ctlset_add(&env->groups_seen, el[6]))
		BAD(X12_GS_DUPLICATE, 6,
		    "GS06 '%s' is used twice in interchange '%s'", SHOW(el[6]),
		    env->isa.control);
	if (!sv_eq_cstr(el[7], "X") && !sv_eq_cstr(el[7], "T"))
		BAD(X12_GS_FIELD, 7, "GS07 '%s' must be X or T", SHOW(el[7]));
	if (el[8].len < 6 || el[8].len > 12 ||
	    !sv_is_digits(sv_make(el[8].ptr, 6)))
		BAD(X12_GS08, 8, "GS08 '%s' is not a version such as 004010",
		    SHOW(el[8]));
#undef BAD
	memset(&env->group, 0, sizeof(env->group));
	env->group.ge01 = -1;
	COPY(env->group.code, el[1]);
	COPY(env->group.sender, el[2]);
	COPY(env->group.receiver, el[3]);
	COPY(env->group.date, el[4]);
	COPY(env->group.time, el[5]);
	COPY(env->group.control, el[6]);
	COPY(env->group.version, el[8]);
	env->group.segment = seg->index;
	env->group.offset = seg->offset;
	env->group.nerrors_at_start = errors_before;
	env->group.ak9_at_start = ak9_before;
	env->group_open = true;
	x12_ctlset_reset(&env->sets_seen);
	env->isa.ngroups++;
	env->sum.ngroups++;
	env->state = X12_ENV_GROUP;
	return ev | X12_EV_GROUP_BEGIN;
}

static unsigned on_ge(struct x12_envelope *env, const struct x12_segment *seg)
{
	struct strview n = x12_element(seg, 1), ctl = x12_element(seg, 2);
	struct edi_loc loc;
	char shown[96];
	uint64_t count;
	unsigned ev = 0;

	if (env->state != X12_ENV_GROUP && env->state != X12_ENV_SET) {
		loc = seg_loc(seg, 0, env);
		edi_diag_addf(env->diag, X12_CONTENT, &loc, "GE without a GS");
		return 0;
	}
	ev |= close_to(env, X12_ENV_GROUP, "GE comes first");
	if (sv_to_u64(n, &count) && count < 1000000000)
		env->group.ge01 = (long long)count;
	if (!sv_to_u64(n, &count) || count != env->group.nsets) {
		loc = seg_loc(seg, 1, env);
		edi_diag_addf(env->diag, X12_GE_COUNT, &loc,
			      "GE01 says %s transaction sets, the group has "
			      "%zu",
			      SHOW(n), env->group.nsets);
	}
	if (!sv_eq_cstr(ctl, env->group.control)) {
		loc = seg_loc(seg, 2, env);
		edi_diag_addf(env->diag, X12_GE_CONTROL, &loc,
			      "GE02 '%s' differs from GS06 '%s'", SHOW(ctl),
			      env->group.control);
	}
	return ev | close_group(env, NULL);
}

static unsigned on_st(struct x12_envelope *env, const struct x12_segment *seg)
{
	struct strview id = x12_element(seg, 1), ctl = x12_element(seg, 2);
	struct edi_loc loc;
	char shown[96];
	const char *want;
	unsigned ev = 0;

	if (env->state == X12_ENV_SET)
		ev |= close_set(env, "another ST starts before it ended", 0);
	memset(&env->set, 0, sizeof(env->set));
	env->set.nerrors_at_start = env->diag->nerrors;
	env->set.segment = seg->index;
	env->set.offset = seg->offset;
	env->set.nsegments = 1;
	COPY(env->set.id, id);
	COPY(env->set.control, ctl);
	if (env->state == X12_ENV_INTERCHANGE) {
		loc = seg_loc(seg, 0, env);
		edi_diag_addf(env->diag, X12_CONTENT, &loc,
			      "ST outside a functional group (no GS before "
			      "it)");
	}
	env->state = X12_ENV_SET;
	if (env->group_open)
		env->group.nsets++;
	env->sum.nsets++;
	if (id.len != 3 || !sv_is_digits(id)) {
		loc = seg_loc(seg, 1, env);
		edi_diag_addf(env->diag, X12_ST01, &loc,
			      "ST01 '%s' is not a transaction set identifier",
			      SHOW(id));
	} else if (env->group_open && (want = x12_group_code_for(id)) &&
		   strcmp(want, env->group.code) != 0) {
		loc = seg_loc(seg, 1, env);
		edi_diag_addf(env->diag, X12_ST01, &loc,
			      "ST01 %.3s does not belong in functional group "
			      "%s (GS01); it needs %s",
			      id.ptr, env->group.code, want);
	}
	if (ctl.len < 4 || ctl.len > 9 || sv_is_blank(ctl)) {
		loc = seg_loc(seg, 2, env);
		edi_diag_addf(env->diag, X12_ST02, &loc,
			      "ST02 '%s' must be 4 to 9 characters", SHOW(ctl));
	} else if (env->group_open && !x12_ctlset_add(&env->sets_seen, ctl)) {
		loc = seg_loc(seg, 2, env);
		edi_diag_addf(env->diag, X12_ST_DUPLICATE, &loc,
			      "ST02 '%s' is used twice in group '%s'",
			      SHOW(ctl), env->group.control);
	}
	return ev | X12_EV_SET_BEGIN;
}

static unsigned on_se(struct x12_envelope *env, const struct x12_segment *seg)
{
	struct strview n = x12_element(seg, 1), ctl = x12_element(seg, 2);
	struct edi_loc loc;
	char shown[96];
	uint64_t count;

	if (env->state != X12_ENV_SET) {
		loc = seg_loc(seg, 0, env);
		edi_diag_addf(env->diag, X12_CONTENT, &loc, "SE without an ST");
		return 0;
	}
	if (!sv_to_u64(n, &count) || count != env->set.nsegments) {
		loc = seg_loc(seg, 1, env);
		edi_diag_addf(env->diag, X12_SE_COUNT, &loc,
			      "SE01 says %s segments, the set has %zu",
			      n.len ? SHOW(n) : "no number of",
			      env->set.nsegments);
	}
	if (!sv_eq_cstr(ctl, env->set.control)) {
		loc = seg_loc(seg, 2, env);
		edi_diag_addf(env->diag, X12_SE_CONTROL, &loc,
			      "SE02 '%s' differs from ST02 '%s'", SHOW(ctl),
			      env->set.control);
	}
	return close_set(env, NULL, 0);
}

void x12_envelope_init(struct x12_envelope *env,
		       const struct x12_limits *limits, struct edi_diag *diag)
{
	memset(env, 0, sizeof(*env));
	env->limits = limits;
	env->diag = diag;
	x12_ctlset_init(&env->groups_seen, limits->max_tracked);
	x12_ctlset_init(&env->sets_seen, limits->max_tracked);
}

void x12_envelope_release(struct x12_envelope *env)
{
	x12_ctlset_release(&env->groups_seen);
	x12_ctlset_release(&env->sets_seen);
}

/* inline: every segment of the input is asked a few times */
static inline __attribute__((always_inline)) bool tag_is(
	const struct x12_segment *seg, const char *tag)
{
	return seg->tag.len == 2
		       ? seg->tag.ptr[0] == tag[0] &&
				 seg->tag.ptr[1] == tag[1] && tag[2] == '\0'
	       : seg->tag.len == 3 ? !memcmp(seg->tag.ptr, tag, 3)
				   : false;
}

static void warn_overflow(struct x12_envelope *env, struct x12_ctlset *s,
			  const struct x12_segment *seg)
{
	struct edi_loc loc;

	if (!s->overflow || s->max == SIZE_MAX)
		return;
	loc = seg_loc(seg, 0, env);
	edi_diag_addf(env->diag, X12_TOO_MANY, &loc,
		      "more than %zu runs of control numbers in one scope; "
		      "uniqueness is no longer checked there",
		      s->max);
	s->max = SIZE_MAX; /* say it once */
}

/* A segment inside a set that is not one of the envelope. */
static unsigned in_set(struct x12_envelope *env, const struct x12_segment *seg)
{
	struct edi_loc loc;
	char shown[96];

	if (!x12_envelope_tag_sound(seg->tag)) {
		loc = seg_loc(seg, 0, env);
		edi_diag_addf(env->diag, X12_SEG_TAG, &loc,
			      "'%s' is not a segment identifier",
			      SHOW(seg->tag));
	}
	if (env->sets_seen.overflow)
		warn_overflow(env, &env->sets_seen, seg);
	return 0;
}

/* x12_envelope_feed() past its common case */
static __attribute__((noinline)) unsigned feed(struct x12_envelope *env,
					       const struct x12_segment *seg)
{
	struct edi_loc loc;
	char shown[96];
	unsigned ev;

	if (tag_is(seg, "ISA"))
		return on_isa(env, seg);
	if (env->state == X12_ENV_OUTSIDE)
		return 0; /* the reader reported the stray bytes */
	if (tag_is(seg, "SE"))
		return on_se(env, seg);
	if (tag_is(seg, "ST"))
		return on_st(env, seg);
	if (tag_is(seg, "GS")) {
		ev = on_gs(env, seg);
		warn_overflow(env, &env->groups_seen, seg);
		return ev;
	}
	if (tag_is(seg, "GE"))
		return on_ge(env, seg);
	if (tag_is(seg, "IEA"))
		return on_iea(env, seg);
	if (env->state == X12_ENV_SET)
		return in_set(env, seg);
	if (env->state == X12_ENV_INTERCHANGE &&
	    (tag_is(seg, "TA1") || tag_is(seg, "TA3") || tag_is(seg, "ISB") ||
	     tag_is(seg, "ISE")))
		return 0; /* interchange acknowledgments and services */
	loc = seg_loc(seg, 0, env);
	edi_diag_addf(env->diag, X12_CONTENT, &loc,
		      "segment '%s' outside a transaction set", SHOW(seg->tag));
	return 0;
}

unsigned x12_envelope_feed(struct x12_envelope *env,
			   const struct x12_segment *seg)
{
	env->sum.nsegments++;
	if (env->state == X12_ENV_SET) {
		char c = seg->tag.len ? seg->tag.ptr[0] : 0;

		env->set.nsegments++;
		/* every envelope tag starts with one of these; the common
		 * case (a sound segment of a set) takes no call */
		if (c != 'I' && c != 'S' && c != 'G') {
			if (x12_envelope_tag_sound(seg->tag) &&
			    !env->sets_seen.overflow)
				return 0;
			return in_set(env, seg);
		}
	}
	return feed(env, seg);
}

unsigned x12_envelope_finish(struct x12_envelope *env, size_t offset)
{
	unsigned ev = 0;
	char why[64];

	snprintf(why, sizeof(why), "the file ends at offset %zu", offset);
	if (env->state == X12_ENV_SET)
		ev |= close_set(env, why, offset);
	if (env->state == X12_ENV_GROUP)
		ev |= close_group(env, why);
	if (env->state == X12_ENV_INTERCHANGE)
		ev |= close_interchange(env, X12_PREMATURE_END, why);
	return ev;
}

enum edi_code x12_envelope_check(struct x12_reader *r, struct x12_envelope *env,
				 struct edi_error *err)
{
	struct x12_segment seg;

	for (;;) {
		switch (x12_reader_next(r, &seg, err)) {
		case X12_NEXT_SEGMENT:
			x12_envelope_feed(env, &seg);
			break;
		case X12_NEXT_END:
			x12_envelope_finish(env, x12_reader_offset(r));
			return EDI_OK;
		case X12_NEXT_ERROR:
			return err->code;
		}
	}
}
