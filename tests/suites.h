/*
 * suites - the Check suites of the unit tests, one per module.
 */
#ifndef EDI_TEST_SUITES_H
#define EDI_TEST_SUITES_H

#include <check.h>

Suite *buf_suite(void);
Suite *json_out_suite(void);
Suite *log_suite(void);
Suite *x12_types_suite(void);
Suite *x12_write_suite(void);
Suite *x12_scan_suite(void);
Suite *x12_scan_fast_suite(void);
Suite *x12_ctl_free_suite(void);
Suite *x12_ctlset_suite(void);
Suite *x12_envelope_suite(void);
Suite *dec_suite(void);
Suite *map_xform_suite(void);
Suite *rec_value_suite(void);
Suite *rec_json_suite(void);
Suite *rec_json_fast_suite(void);
Suite *rec_csv_suite(void);
Suite *yaml_doc_suite(void);
Suite *map_load_suite(void);
Suite *map_guide_suite(void);
Suite *map_check_suite(void);
Suite *map_rules_suite(void);
Suite *rules_fast_suite(void);
Suite *map_exec_suite(void);
Suite *x12_emit_suite(void);
Suite *x12_translate_suite(void);
Suite *fastpath_suite(void);
Suite *guide_walk_suite(void);
Suite *exec_fast_suite(void);
Suite *exec_json_suite(void);
Suite *journal_suite(void);
Suite *fileio_suite(void);
Suite *spool_suite(void);
Suite *as2_suite(void);
Suite *profile_as2_suite(void);
Suite *retry_suite(void);
Suite *breaker_suite(void);
Suite *config_rest_suite(void);
Suite *sftp_suite(void);
Suite *profile_sftp_suite(void);
Suite *journal_sftp_suite(void);

#endif
