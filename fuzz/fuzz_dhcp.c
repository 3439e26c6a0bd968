/*
 * libFuzzer harness for the DHCP parser (src/app/dhcp/). The first input
 * byte holds options (bit 0: extended logging); the rest is a series of
 * records `dir(1) len(2, big endian) bytes(len)`, each one datagram fed to
 * the probe and the parser in direction dir & 1 (dir & 0x80: release half
 * the transactions afterwards). Every transaction is then logged, its
 * events named and its time options read, and the state freed.
 */
#include <stdint.h>
#include <stdlib.h>

#include "app/dhcp/dhcp.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void log_all(DhcpState *s, const DhcpLogConfig *cfg)
{
    JsonBuf j;
    jb_init(&j);
    for (uint64_t id = 0; id < dhcp_tx_count(s); id++) {
        DhcpTx *tx = dhcp_tx_get(s, id);
        if (!tx)
            continue;
        jb_reset(&j);
        if (dhcp_log_wanted(tx, cfg))
            dhcp_log_tx(&j, tx, cfg);
        for (int i = 0; i < dhcp_tx_event_count(tx); i++)
            (void)dhcp_event_name(dhcp_tx_event_get(tx, i));
        static const uint8_t times[] = { DHCP_OPT_LEASE_TIME, DHCP_OPT_RENEWAL_TIME, DHCP_OPT_REBINDING_TIME };
        for (size_t i = 0; i < sizeof(times); i++) {
            uint32_t v;
            (void)dhcp_tx_time_option(tx, times[i], &v);
        }
    }
    jb_free(&j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    uint8_t opt;
    if (!br_u8(&r, &opt))
        return 0;
    DhcpLogConfig cfg = { .extended = opt & 1 };
    DhcpState *s = dhcp_state_new();
    if (!s)
        return 0;
    uint8_t dir;
    uint16_t len;
    while (br_u8(&r, &dir) && br_be16(&r, &len)) {
        uint32_t n = br_remaining(&r) < len ? (uint32_t)br_remaining(&r) : len;
        const uint8_t *p = NULL;
        br_bytes(&r, n, &p);
        (void)dhcp_probe(p, n);
        dhcp_parse(s, dir & 1, p, n);
        if (dir & 0x80)
            dhcp_tx_release(s, dhcp_tx_count(s) / 2);
    }
    log_all(s, &cfg);
    dhcp_state_free(s);
    return 0;
}
