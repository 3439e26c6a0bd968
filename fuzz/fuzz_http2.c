/*
 * libFuzzer harness for the HTTP/2 parser (src/app/http2/: framing,
 * transactions, HPACK through it, EVE). The first input byte selects the
 * chunk size; the rest is a series of records `dir(1) len(2, big endian)
 * bytes(len)` fed to the parser in that direction in chunks (dir 0xff: a
 * gap in direction len & 1; bit 7 of dir: release half the transactions
 * after the record; bits 7-6 = 01: the bytes are an upgraded HTTP/1
 * request's method or `name:value` header, carried on as stream 1).
 * Every transaction is logged and its events read, then the state freed.
 */
#include <stdint.h>
#include <stdlib.h>

#include "app/http2/http2.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void log_all(Http2State *s)
{
    JsonBuf j;
    jb_init(&j);
    for (uint64_t id = 0; id < http2_tx_count(s); id++) {
        Http2Tx *tx = http2_tx_get(s, id);
        if (!tx)
            continue;
        jb_reset(&j);
        (void)http2_log_tx(&j, tx);
        for (int i = 0; i < http2_tx_event_count(tx); i++)
            (void)http2_event_name(http2_tx_event_get(tx, i));
        (void)http2_tx_done(tx);
        (void)http2_tx_stream_id(tx);
    }
    jb_free(&j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    uint8_t opt;
    if (!br_u8(&r, &opt))
        return 0;
    (void)http2_probe_server(br_cursor(&r), (uint32_t)br_remaining(&r));
    Http2State *s = http2_state_new();
    if (!s)
        return 0;
    uint32_t chunk = opt ? opt : 1;
    uint8_t dir;
    uint16_t len;
    while (br_u8(&r, &dir) && br_be16(&r, &len)) {
        uint32_t n = br_remaining(&r) < len ? (uint32_t)br_remaining(&r) : len;
        const uint8_t *p = NULL;
        br_bytes(&r, n, &p);
        if (dir == 0xff) {
            http2_gap(s, len & 1);
            continue;
        }
        if ((dir & 0xc0) == 0x40) { /* an upgraded HTTP/1 request's header: name ':' value */
            uint32_t colon = 0;
            while (colon < n && p[colon] != ':')
                colon++;
            if (colon == n)
                http2_state_mimic_request(s, p, n, p, n / 2, dir & 1);
            else
                http2_state_mimic_header(s, p, colon, p + colon + 1, n - colon - 1);
            continue;
        }
        for (uint32_t off = 0; off < n; off += chunk) {
            uint32_t c = n - off < chunk ? n - off : chunk;
            http2_parse(s, dir & 1, p + off, c);
        }
        if (dir & 0x80)
            http2_tx_release(s, http2_tx_count(s) / 2);
    }
    log_all(s);
    http2_state_free(s);
    return 0;
}
