/*
 * libFuzzer harness for the FTP parser (src/app/ftp/). The first byte sets
 * the chunk size (and bit 7 a small max-line-length); the rest is a series
 * of records `dir(1) len(2, big endian) bytes(len)` fed in that direction
 * (dir 0xff: a gap). Every transaction is logged to EVE, its buffers read,
 * some released along the way; memory accounting must return to its start.
 */
#include <stdint.h>
#include <stdlib.h>

#include "app/ftp/ftp.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void touch(FtpState *s)
{
    JsonBuf j;
    jb_init(&j);
    for (uint64_t id = 0; id < ftp_tx_count(s); id++) {
        FtpTx *tx = ftp_tx_get(s, id);
        if (!tx)
            continue;
        ftp_log_tx(&j, tx, NULL);
        const uint8_t *p;
        uint32_t n;
        FtpExpect e;
        ftp_tx_get_command(tx, &p, &n);
        ftp_tx_get_command_data(tx, &p, &n);
        for (uint32_t i = 0; ftp_tx_get_reply(tx, i, &p, &n); i++)
            ;
        for (uint32_t i = 0; ftp_tx_get_completion_code(tx, i, &p, &n); i++)
            ;
        if (ftp_tx_data_channel(tx, &e, &p, &n))
            ftp_data_log(&j, p, n, ftp_tx_command_code(tx));
    }
    jb_free(&j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    uint8_t opt;
    if (!br_u8(&r, &opt))
        return 0;
    uint64_t base = ftp_memuse();
    ftp_config_set_max_line_len((opt & 0x80) ? 24 : 0);
    FtpState *s = ftp_state_new();
    uint32_t chunk = (opt & 0x7f) ? (opt & 0x7f) : 1;
    uint8_t dir;
    uint16_t len;
    int rounds = 0;
    while (br_u8(&r, &dir) && br_be16(&r, &len)) {
        uint32_t n = br_remaining(&r) < len ? (uint32_t)br_remaining(&r) : len;
        const uint8_t *p = NULL;
        br_bytes(&r, n, &p);
        if (dir == 0xff) {
            ftp_gap(s, len & 1, len);
            continue;
        }
        for (uint32_t off = 0; off < n; off += chunk)
            ftp_parse(s, dir & 1, p + off, n - off < chunk ? n - off : chunk, 0);
        if (++rounds % 4 == 0) {
            touch(s);
            ftp_tx_release(s, ftp_tx_count(s) / 2);
        }
    }
    ftp_end(s, true);
    ftp_end(s, false);
    touch(s);
    ftp_state_free(s);
    if (ftp_memuse() != base)
        abort();
    return 0;
}
