/*
 * Runs the address, port and ET Open header test groups of the detect
 * address/port component; the exit status is the number of failures.
 */
#include "addr_test_util.h"

int main(void)
{
    int failed = 0;
    failed += run_address_tests();
    failed += run_port_tests();
    failed += run_etopen_tests();
    return failed;
}
