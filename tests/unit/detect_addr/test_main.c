/*
 * Runs the address, port, ET Open header and header memo test groups of the detect
 * address/port component; the exit status is the number of failures.
 */
#include "addr_test_util.h"

int main(void)
{
    int failed = 0;
    failed += run_address_tests();
    failed += run_port_tests();
    failed += run_etopen_tests();
    failed += run_header_memo_tests();
    return failed;
}
