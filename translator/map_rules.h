/*
 * map_rules - balancing and partner rules of a map (WEDI SNIP 3-5).
 *
 * map_rules_check() runs the rules of a map over a placed set: line
 * counts (CTT01), invoice totals (TDS01 against the IT1 lines and SAC
 * allowances and charges, with a tolerance), GTIN and SSCC-18 check
 * digits, and partner `require` rules.  Each failure goes to diag with
 * the location of the element it concerns.  A partner profile can switch
 * rules off and set the total's tolerance (struct map_rule_opts).
 */
#ifndef EDI_MAP_RULES_H
#define EDI_MAP_RULES_H

#include <stdbool.h>

#include "edi_error.h"
#include "map.h"
#include "x12_set.h"

struct map_rule_opts {
	bool off_lines, off_total, off_gtin, off_sscc, off_require;
	const char *tolerance; /* overrides the map's when not NULL */
};

void map_rules_check(const struct map *m, const struct x12_set *set,
		     const struct map_rule_opts *opts, struct edi_diag *diag);

#endif
