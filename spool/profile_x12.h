/*
 * profile_x12 - how edigate writes X12 to one partner (profile `x12:`).
 *
 *   x12:
 *     version: "004010"          # GS08 of outbound documents; ISA12
 *                                # follows (00401, 00501 for 005010)
 *     delimiters: {element: "*", component: ">", repetition: "^",
 *                  segment: "~"}
 *     segment_suffix: "\n"       # "", "\n" or "\r\n" after each segment
 *     usage: P                   # ISA15: P production, T test
 *     gs: {us: DISTRIBCO, them: ACMESUPPLY}   # GS02/GS03 (default:
 *                                # the ISA ids)
 *     ack_requested: false       # ISA14 on outbound documents
 *
 * Acknowledgments answer in the inbound interchange's version; they use
 * the profile's delimiters when the profile names them, else the inbound
 * interchange's.  Mistakes go to errors as "file:line:col: what".
 */
#ifndef EDI_PROFILE_X12_H
#define EDI_PROFILE_X12_H

#include <stdbool.h>

#include "arena.h"
#include "edi_error.h"
#include "yaml_doc.h"

struct partner_x12 {
	char element, component, repetition, segment;
	bool delimiters_set; /* named in the profile */
	const char *suffix;
	const char *version;	     /* GS08 "004010" */
	char usage;		     /* 'P' or 'T' */
	const char *gs_us, *gs_them; /* NULL: the ISA ids */
	bool ack_requested;
};

/* The defaults: * > ^ ~ "\n", 004010, P. */
void profile_x12_defaults(struct partner_x12 *x);
/* Parse node (the value of `x12:`; NULL: defaults) into x. */
void profile_x12_parse(struct partner_x12 *x, const struct ynode *node,
		       struct arena *a, struct edi_diag *errors);
/* ISA12 for a GS08 version: "00401" for 004010, "00501" for 005010.. */
void profile_x12_isa_version(const char *gs_version, char isa12[6]);

#endif
