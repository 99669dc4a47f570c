/*
 * x12_types - checks of X12 simple data types shared by the envelope and
 * the guide validator: dates (DT), times (TM), numerics.
 *
 * Pure functions over views; nothing is allocated.
 */
#ifndef EDI_X12_TYPES_H
#define EDI_X12_TYPES_H

#include <stdbool.h>

#include "strview.h"

/* YYMMDD or CCYYMMDD naming a real calendar day. */
bool x12_date_valid(struct strview v);
/* HHMM, HHMMSS, HHMMSSd or HHMMSSdd with HH < 24, MM and SS < 60. */
bool x12_time_valid(struct strview v);
/* Version "00200".."00899": five digits. */
bool x12_isa_version_valid(struct strview v);

#endif
