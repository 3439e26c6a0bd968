/*
 * Runs the rule-loading test groups (tag, asn1, ftpbounce, ET Open load
 * rate).
 */
#include "rules_test.h"

int main(void)
{
    int failed = 0;
    failed += run_tag_tests();
    failed += run_asn1_tests();
    failed += run_ftpbounce_tests();
    failed += run_etopen_tests();
    return failed ? 1 : 0;
}
