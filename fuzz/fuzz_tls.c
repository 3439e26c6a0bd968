/*
 * libFuzzer harness for the TLS parser. The input is a series of chunks:
 *
 *   0      1..2         3..
 *   +------+------------+--------------
 *   | ctl  | len (BE16) | bytes (len, clipped to what is left)
 *   +------+------------+--------------
 *
 * ctl bit 0 = to server, bit 1 = report a gap of `len` bytes instead of
 * data, bit 2 = end the direction. After the chunks the transaction is
 * logged to EVE with every field, every rule buffer is read, and the state
 * is freed. All input bytes are read through ByteReader.
 */
#include <stdint.h>
#include <stdlib.h>

#include "app/tls/tls.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    TlsState *st = tls_state_new();
    uint8_t ctl;
    uint16_t len;
    while (br_u8(&r, &ctl) && br_be16(&r, &len)) {
        bool ts = ctl & 1;
        if (ctl & 4) {
            tls_end(st, ts);
            continue;
        }
        if (ctl & 2) {
            tls_gap(st, ts, len);
            continue;
        }
        size_t n = len < br_remaining(&r) ? len : br_remaining(&r);
        const uint8_t *p;
        br_bytes(&r, n, &p);
        tls_parse(st, ts, p, (uint32_t)n, 0);
    }
    TlsTx *tx = tls_tx_get(st, 0);
    if (tx) {
        volatile uint8_t x = 0;
        for (int b = TLS_BUF_SNI; b <= TLS_BUF_JA4_HASH; b++)
            for (int dir = 0; dir < 2; dir++)
                for (uint32_t i = 0; i < 4; i++) {
                    const uint8_t *p;
                    uint32_t l;
                    if (tls_tx_get_buffer(tx, (TlsBuffer)b, dir, i, &p, &l))
                        for (uint32_t k = 0; k < l; k++)
                            x ^= p[k];
                }
        (void)x;
        TlsLogConfig cfg;
        tls_log_config_default(&cfg);
        cfg.fields = 0xffffffffu;
        cfg.ja3 = cfg.ja4 = true;
        (void)tls_tx_loggable(tx, &cfg);
        JsonBuf j;
        jb_init(&j);
        jb_open_object(&j, NULL);
        tls_log_tx(&j, tx, &cfg);
        jb_close_object(&j);
        jb_free(&j);
        for (uint32_t i = 0; i < tls_tx_event_count(tx); i++)
            (void)tls_event_name(tls_tx_event_get(tx, i));
        tls_tx_release(st, 0);
    }
    tls_state_free(st);
    return 0;
}
