/*
 * libFuzzer harness for the DNS parser: the input is fed once as UDP
 * datagrams (split at 0xff bytes, alternating directions) and once as a TCP
 * stream in chunks of varying size, then every transaction is logged in
 * both EVE versions and its buffers are read, so the parser, framing,
 * decompression and logger all see arbitrary bytes.
 */
#include <stddef.h>
#include <stdint.h>

#include "app/dns/dns.h"

static void drain(DnsState *s)
{
    DnsLogConfig cfg;
    dns_log_config_default(&cfg);
    JsonBuf j;
    jb_init(&j);
    for (uint64_t id = 0; id < dns_tx_count(s); id++) {
        DnsTx *tx = dns_tx_get(s, id);
        if (!tx)
            continue;
        for (int v = 2; v <= 3; v++) {
            cfg.version = v;
            for (uint32_t part = 0; part < dns_log_part_count(tx, &cfg); part++) {
                jb_reset(&j);
                jb_open_object(&j, NULL);
                dns_log_tx_part(&j, tx, &cfg, part);
                jb_close_object(&j);
            }
        }
        const uint8_t *p;
        uint32_t n;
        for (uint32_t i = 0; dns_tx_response_name(tx, i, &p, &n); i++)
            ;
        dns_tx_query_name(tx, 0, &p, &n);
    }
    dns_tx_release(s, dns_tx_count(s));
    jb_free(&j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    DnsState *u = dns_state_new(false);
    size_t start = 0;
    bool dir = true;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || data[i] == 0xff) {
            dns_parse(u, dir, data + start, (uint32_t)(i - start), 0);
            dir = !dir;
            start = i + 1;
        }
    }
    drain(u);
    dns_state_free(u);

    DnsState *t = dns_state_new(true);
    size_t chunk = size ? (size_t)data[0] % 17 + 1 : 1;
    for (size_t off = 0; off < size; off += chunk) {
        size_t n = size - off < chunk ? size - off : chunk;
        dns_parse(t, true, data + off, (uint32_t)n, 0);
        if (off && data[off] == 0)
            dns_gap(t, true, 1);
    }
    drain(t);
    dns_state_free(t);
    return 0;
}
