/*
 * Runs the MPM (multi-pattern prefilter) test groups: matching, including
 * the Hyperscan-versus-naive differential test, serialisation, and the cached
 * parallel compilation. The exit
 * status is the number of failures.
 */
#include "mpm_test_util.h"

int main(void)
{
    int failed = 0;
    failed += run_mpm_tests();
    failed += run_mpm_serial_tests();
    failed += run_mpm_cache_tests();
    return failed;
}
