/*
 * libFuzzer harness for the SSH parser (src/app/ssh/). The first input byte
 * selects options (bit 0: HASSH on; bits 1..7: chunk size); the rest is a
 * series of records `dir(1) len(2, big endian) bytes(len)` fed to the
 * parser in that direction in chunks, with occasional gaps. The EVE object
 * is written and every rule buffer read at the end, then the state freed.
 * The record frames the parser marks are checked (fuzz-frames.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include "app/ssh/ssh.h"
#include "fuzz-frames.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    uint8_t opt;
    if (!br_u8(&r, &opt))
        return 0;
    SshState *s = ssh_state_new();
    ssh_state_set_hassh(s, opt & 1);
    app_frames_enable();
    AppFrames *fr = app_frames_new(5);
    uint32_t chunk = (opt >> 1) ? (opt >> 1) : 1;
    uint8_t dir;
    uint16_t len;
    while (br_u8(&r, &dir) && br_be16(&r, &len)) {
        uint32_t n = br_remaining(&r) < len ? (uint32_t)br_remaining(&r) : len;
        const uint8_t *p = NULL;
        br_bytes(&r, n, &p);
        if (dir == 0xff) {
            ssh_gap(s, len & 1, len);
            app_frames_gap(fr, len & 1, len);
            continue;
        }
        for (uint32_t off = 0; off < n; off += chunk) {
            uint32_t c = n - off < chunk ? n - off : chunk;
            FUZZ_FRAMES_PARSE(fr, dir & 1, p + off, c, ssh_parse(s, dir & 1, p + off, c, 0));
        }
    }
    ssh_end(s, true);
    ssh_end(s, false);
    SshTx *tx = ssh_tx_get(s, 0);
    if (tx) {
        JsonBuf j;
        jb_init(&j);
        ssh_log_tx(&j, tx, NULL);
        jb_free(&j);
        const uint8_t *b;
        uint32_t bl;
        for (int ts = 0; ts < 2; ts++) {
            ssh_tx_get_protover(tx, ts, &b, &bl);
            ssh_tx_get_swver(tx, ts, &b, &bl);
            ssh_tx_get_hassh(tx, ts, &b, &bl);
            ssh_tx_get_hassh_string(tx, ts, &b, &bl);
        }
    }
    ssh_state_free(s);
    app_frames_free(fr);
    return 0;
}
