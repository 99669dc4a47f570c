/*
 * test_main - runs every Check suite of the unit tests.
 *
 * Each tests/<area>/test_<module>.c defines one <module>_suite().
 * CK_RUN_SUITE and CK_RUN_CASE (Check's own variables) select a subset.
 */
#include <check.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
	SRunner *sr = srunner_create(buf_suite());
	int failed;

	srunner_add_suite(sr, json_out_suite());
	srunner_add_suite(sr, log_suite());
	srunner_add_suite(sr, x12_types_suite());
	srunner_add_suite(sr, x12_write_suite());
	srunner_add_suite(sr, x12_scan_suite());
	srunner_add_suite(sr, x12_scan_fast_suite());
	srunner_add_suite(sr, x12_ctl_free_suite());
	srunner_add_suite(sr, x12_ctlset_suite());
	srunner_add_suite(sr, x12_envelope_suite());
	srunner_add_suite(sr, dec_suite());
	srunner_add_suite(sr, map_xform_suite());
	srunner_add_suite(sr, rec_value_suite());
	srunner_add_suite(sr, rec_json_suite());
	srunner_add_suite(sr, rec_json_fast_suite());
	srunner_add_suite(sr, rec_csv_suite());
	srunner_add_suite(sr, yaml_doc_suite());
	srunner_add_suite(sr, map_load_suite());
	srunner_add_suite(sr, map_guide_suite());
	srunner_add_suite(sr, map_rules_suite());
	srunner_add_suite(sr, rules_fast_suite());
	srunner_add_suite(sr, map_exec_suite());
	srunner_add_suite(sr, x12_emit_suite());
	srunner_add_suite(sr, x12_translate_suite());
	srunner_add_suite(sr, fastpath_suite());
	srunner_add_suite(sr, guide_walk_suite());
	srunner_add_suite(sr, exec_fast_suite());
	srunner_add_suite(sr, exec_json_suite());
	srunner_add_suite(sr, map_check_suite());
	srunner_add_suite(sr, journal_suite());
	srunner_add_suite(sr, fileio_suite());
	srunner_add_suite(sr, spool_suite());
	srunner_add_suite(sr, as2_suite());
	srunner_add_suite(sr, profile_as2_suite());
	srunner_add_suite(sr, retry_suite());
	srunner_add_suite(sr, breaker_suite());
	srunner_add_suite(sr, config_rest_suite());
	srunner_add_suite(sr, sftp_suite());
	srunner_add_suite(sr, profile_sftp_suite());
	srunner_add_suite(sr, journal_sftp_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
