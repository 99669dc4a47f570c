/*
 * x12_write - write X12 segments and envelopes into a struct buf.
 *
 * A struct x12_writer appends segments with the delimiters it was given:
 * x12_seg_begin(), then the elements in order (x12_elem*; an element with
 * components is built with x12_comp* calls after x12_elem_begin()), then
 * x12_seg_end(), which drops trailing empty elements and components, as
 * X12 requires.  x12_write_isa/gs/st open envelopes and
 * x12_write_se/ge/iea close them with the counts and control numbers the
 * writer kept (SE01 counts ST..SE, GE01 the sets, IEA01 the groups).
 *
 * X12 has no escape character: a value holding a delimiter (or a byte
 * outside printable ASCII) cannot be written.  Errors are sticky: the
 * first one (EDI_EDATA with the segment, element and value, or the buf's
 * EDI_ELIMIT) is kept, later calls do nothing, and x12_seg_end() and the
 * envelope functions return it (x12_writer_result() too).  Nothing here
 * reads the clock: dates and times come from the caller.
 */
#ifndef EDI_X12_WRITE_H
#define EDI_X12_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "edi_error.h"
#include "strview.h"

#define X12_WRITE_MAX_ELEMENTS 99

struct x12_write_delims {
	char element;	    /* '*' */
	char component;	    /* '>' (ISA16) */
	char repetition;    /* '^' (ISA11 from 00402); 0: none ('U' written) */
	char segment;	    /* '~' */
	const char *suffix; /* after each terminator: "", "\n" or "\r\n" */
};

struct x12_writer {
	struct buf *out;
	struct x12_write_delims d;
	enum edi_code rc;
	struct edi_error err;
	/* the open segment */
	char tag[4];
	size_t seg_start;     /* offset in out of the segment */
	size_t nelems;	      /* elements written so far */
	size_t last_nonempty; /* out->len after the last non-empty value */
	bool in_element;      /* components being added to an element */
	size_t elem_start;    /* offset of that element's first byte */
	size_t ncomps;
	/* envelopes */
	char isa13[10], gs06[10], st02[10];
	size_t nsegs_in_set, nsets_in_group, ngroups;
	size_t nsets_total, nsegs_total;
};

/* Everything the ISA says; fixed-width fields are padded here. */
struct x12_isa_out {
	const char *sender_qual, *sender;     /* ISA05, ISA06 */
	const char *receiver_qual, *receiver; /* ISA07, ISA08 */
	const char *date;		      /* ISA09 YYMMDD */
	const char *time;		      /* ISA10 HHMM */
	const char *version;		      /* ISA12 "00401", "00501" */
	uint64_t control;		      /* ISA13, 1..999999999 */
	bool ack_requested;		      /* ISA14 */
	char usage;			      /* ISA15 'P' or 'T' */
};

struct x12_gs_out {
	const char *functional_id; /* GS01 "FA", "PO", "PR", "SH", "IN" */
	const char *sender;	   /* GS02 */
	const char *receiver;	   /* GS03 */
	const char *date;	   /* GS04 CCYYMMDD */
	const char *time;	   /* GS05 HHMM */
	uint64_t control;	   /* GS06 */
	const char *version;	   /* GS08 "004010" */
};

void x12_writer_init(struct x12_writer *w, struct buf *out,
		     const struct x12_write_delims *d);
/* The first error so far (copied into err), EDI_OK when none. */
enum edi_code x12_writer_result(const struct x12_writer *w,
				struct edi_error *err);

/* A segment. */
void x12_seg_begin(struct x12_writer *w, const char *tag);
void x12_elem(struct x12_writer *w, struct strview value);
void x12_elem_cstr(struct x12_writer *w, const char *value); /* NULL: "" */
void x12_elem_u64(struct x12_writer *w, uint64_t value);
/* An element padded on the right with spaces (or zeros on the left when
 * zero_pad) to width: for the ISA's fixed-width fields. */
void x12_elem_fixed(struct x12_writer *w, const char *value, size_t width,
		    bool zero_pad);
/* An element of components: begin, x12_comp* per component, end. */
void x12_elem_begin(struct x12_writer *w);
void x12_comp(struct x12_writer *w, struct strview value);
void x12_comp_cstr(struct x12_writer *w, const char *value);
void x12_elem_end(struct x12_writer *w);
enum edi_code x12_seg_end(struct x12_writer *w, struct edi_error *err);

/* Envelopes; counts and control numbers are kept by the writer. */
enum edi_code x12_write_isa(struct x12_writer *w, const struct x12_isa_out *isa,
			    struct edi_error *err);
enum edi_code x12_write_gs(struct x12_writer *w, const struct x12_gs_out *gs,
			   struct edi_error *err);
/* st02: the control number as text (4 to 9 characters); st03: the
 * implementation convention reference (005010), NULL for none. */
enum edi_code x12_write_st(struct x12_writer *w, const char *st01,
			   const char *st02, const char *st03,
			   struct edi_error *err);
enum edi_code x12_write_se(struct x12_writer *w, struct edi_error *err);
enum edi_code x12_write_ge(struct x12_writer *w, struct edi_error *err);
enum edi_code x12_write_iea(struct x12_writer *w, struct edi_error *err);

#endif
