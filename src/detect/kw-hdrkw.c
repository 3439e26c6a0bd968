/*
 * Registration of the `hdrkw` keyword family (see kw-hdrkw.h): calls each
 * keyword file's register function once at start-up.
 */
#include "detect/kw-hdrkw.h"

void keywords_register_hdrkw(void)
{
    hdrkw_register_hdr_buffers();
    hdrkw_register_tcp_fields();
    hdrkw_register_csum();
    hdrkw_register_vlan();
    hdrkw_register_hostbits();
    hdrkw_register_flow_counters();
    hdrkw_register_entropy();
    hdrkw_register_absent();
    hdrkw_register_gunzip();
    hdrkw_register_iprep();
    hdrkw_register_bypass();
}
