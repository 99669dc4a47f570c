/*
 * edi_error - result codes, error locations and collected diagnostics.
 *
 * Every fallible function returns enum edi_code (EDI_OK is 0) and takes a
 * last struct edi_error *err that it fills through edi_fail().  The codes,
 * their names, texts, severities and the acknowledgment code each maps to
 * (TA105, AK905, AK502, AK304, AK403) come from one table, edi_codes.def.
 *
 * A struct edi_diag collects the diagnostics of one input (errors and
 * warnings) up to a limit; past the limit it only counts.  It owns its
 * array; edi_diag_release() frees it.  Nothing here prints or exits.
 */
#ifndef EDI_ERROR_H
#define EDI_ERROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum edi_code {
#define X(name, slug, sev, level, ack, text) name,
#include "edi_codes.def"
#undef X
	EDI_NCODES
};

enum edi_severity { EDI_SEV_NONE, EDI_SEV_WARNING, EDI_SEV_ERROR };

/* Where an acknowledgment reports a code. */
enum edi_level {
	EDI_LEVEL_NONE,
	EDI_LEVEL_FILE,
	EDI_LEVEL_TA1,
	EDI_LEVEL_AK9,
	EDI_LEVEL_AK5,
	EDI_LEVEL_AK3,
	EDI_LEVEL_AK4
};

#define EDI_NO_OFFSET SIZE_MAX

/*
 * A location in an X12 input.  segment is the 1-based segment number in
 * the file (0: none), set_position the 1-based position inside its
 * transaction set counted from ST (0: outside a set), element and
 * component 1-based (0: the whole segment or element), offset the byte
 * offset in the file of the segment or element (EDI_NO_OFFSET: none).
 */
struct edi_loc {
	size_t segment;
	size_t set_position;
	size_t offset;
	unsigned element;
	unsigned component;
	char tag[4];
};

#define EDI_MSG_MAX 240

struct edi_error {
	enum edi_code code;
	struct edi_loc loc;
	char msg[EDI_MSG_MAX];
};

const char *edi_code_name(enum edi_code code);
const char *edi_code_text(enum edi_code code);
enum edi_severity edi_code_severity(enum edi_code code);
enum edi_level edi_code_level(enum edi_code code);
int edi_code_ack(enum edi_code code);
const char *edi_level_name(enum edi_level level);

/* A location with nothing set. */
struct edi_loc edi_loc_none(void);

/*
 * Fill *err (when not NULL) with code, a copy of *loc (NULL: none) and the
 * formatted message; return code.
 */
enum edi_code edi_fail(struct edi_error *err, enum edi_code code,
		       const struct edi_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Format "segment 17 (SE), element 1, offset 512" for loc into dst; an
 * empty string when loc names nothing.  Returns dst.
 */
char *edi_loc_format(const struct edi_loc *loc, char *dst, size_t size);

/* Collected diagnostics of one input. */
struct edi_diag {
	struct edi_error *items;
	size_t n;
	size_t cap;
	size_t max;	  /* keep at most this many */
	size_t nerrors;	  /* all errors seen, kept or not */
	size_t nwarnings; /* all warnings seen, kept or not */
	size_t nerrors_at[EDI_LEVEL_AK4 + 1]; /* errors seen per level */
};

void edi_diag_init(struct edi_diag *d, size_t max);
void edi_diag_release(struct edi_diag *d);
void edi_diag_reset(struct edi_diag *d);
/* Add a copy of e; counts it even when the list is full. */
void edi_diag_add(struct edi_diag *d, const struct edi_error *e);
enum edi_code edi_diag_addf(struct edi_diag *d, enum edi_code code,
			    const struct edi_loc *loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool edi_diag_full(const struct edi_diag *d);
/* Number of errors seen but not kept. */
size_t edi_diag_dropped(const struct edi_diag *d);

#endif
