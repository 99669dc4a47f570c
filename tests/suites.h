/*
 * suites - the Check suites of the unit tests, one per module.
 */
#ifndef EDI_TEST_SUITES_H
#define EDI_TEST_SUITES_H

#include <check.h>

Suite *buf_suite(void);
Suite *json_out_suite(void);
Suite *x12_types_suite(void);
Suite *x12_scan_suite(void);
Suite *x12_envelope_suite(void);

#endif
