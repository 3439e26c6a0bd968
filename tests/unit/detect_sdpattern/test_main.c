/*
 * Unit tests of sd_pattern: the number validators, the finder over raw
 * bytes (with masking), and the keyword inside whole rules (candidates,
 * thresholds, custom patterns, the hand-over to the alert writer).
 */
#include "sdpattern_test.h"

int main(void)
{
    int failed = 0;
    failed += run_validate_tests();
    failed += run_find_tests();
    failed += run_keyword_tests();
    return failed ? 1 : 0;
}
