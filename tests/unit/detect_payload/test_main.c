/*
 * Unit tests of the payload keyword families (pcre, byte_*, isdataat,
 * bsize, dsize, base64, transforms): runs every group and reports failure
 * when any group failed.
 */
#include "payload_test.h"

int main(void)
{
    int failed = 0;
    failed += run_byte_tests();
    failed += run_pcre_tests();
    failed += run_payload_tests();
    failed += run_transform_tests();
    failed += run_rule_tests();
    return failed ? 1 : 0;
}
