/*
 * libFuzzer harness for the POP3 parser (src/app/pop3/). The first input
 * byte selects the chunk size; the rest is a series of records
 * `dir(1) len(2, big endian) bytes(len)` fed to the parser in that
 * direction in chunks (dir 0xff: a gap in direction len & 1). Every
 * transaction is logged and its events read, some released on the way,
 * then the state freed.
 */
#include <stdint.h>
#include <stdlib.h>

#include "app/pop3/pop3.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void log_all(Pop3State *s)
{
    JsonBuf j;
    jb_init(&j);
    for (uint64_t id = 0; id < pop3_tx_count(s); id++) {
        Pop3Tx *tx = pop3_tx_get(s, id);
        if (!tx)
            continue;
        jb_reset(&j);
        pop3_log_tx(&j, tx);
        for (int i = 0; i < pop3_tx_event_count(tx); i++)
            (void)pop3_event_name(pop3_tx_event_get(tx, i));
        (void)pop3_tx_done(tx, true);
        (void)pop3_tx_done(tx, false);
        (void)pop3_tx_command(tx);
    }
    jb_free(&j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    uint8_t opt;
    if (!br_u8(&r, &opt))
        return 0;
    Pop3State *s = pop3_state_new();
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
            pop3_gap(s, len & 1);
            continue;
        }
        for (uint32_t off = 0; off < n; off += chunk) {
            uint32_t c = n - off < chunk ? n - off : chunk;
            pop3_parse(s, dir & 1, p + off, c);
        }
        if (dir & 0x80)
            pop3_tx_release(s, pop3_tx_count(s) / 2);
    }
    log_all(s);
    pop3_state_free(s);
    return 0;
}
