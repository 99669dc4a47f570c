/*
 * map_gs1 - GS1 check digits (GTIN, SSCC-18) eight digits at a time, for
 * the rules of map_rules.
 *
 * map_gs1_gtin_ok() and map_gs1_sscc_ok() answer exactly as gtin_valid()
 * and sscc_valid() of map_xform do (tests/translator/test_map_check.c
 * compares them); they read nothing outside the view and cannot fail.
 */
#ifndef EDI_MAP_GS1_H
#define EDI_MAP_GS1_H

#include <stdbool.h>

#include "strview.h"

/* v is a GTIN-8, -12, -13 or -14: all digits, the last the check digit. */
bool map_gs1_gtin_ok(struct strview v);
/* v is an SSCC-18 (or 20 digits starting "00"), check digit included. */
bool map_gs1_sscc_ok(struct strview v);

#endif
