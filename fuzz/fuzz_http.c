/*
 * libFuzzer harness for the HTTP parser. The first input byte picks the
 * configuration (small limits, uri-include-all, lzma decoding); the rest is a series of
 * records: a control byte (bit 7 = to server, bit 6 = gap instead of data,
 * low 6 bits = length) followed by that many bytes, so the fuzzer chooses
 * both the content and the chunking of each direction. Every transaction
 * is then logged and all buffers, files and file.data instances read
 * (bit 7 of the first byte turns file digests on); after freeing, the
 * parser's and the file tracker's memory accounting must return to where
 * they started (once the thread's unfinished range files are forgotten).
 * The request/response frames the parser marks are checked (fuzz-frames.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/file.h"
#include "app/http/http.h"
#include "fuzz-frames.h"
#include "util/bytes.h"

static void touch(const uint8_t *d, uint32_t l)
{
    volatile uint8_t x = 0;
    for (uint32_t i = 0; i < l; i++)
        x ^= d[i];
    (void)x;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    uint8_t mode;
    if (!br_u8(&r, &mode))
        return 0;
    uint64_t base = http_memuse();
    uint64_t file_base = app_file_memuse();
    AppFileConfig fc = { .hashes = (mode & 128) ? APP_FILE_MD5 | APP_FILE_SHA1 | APP_FILE_SHA256 : 0 };
    app_file_config_set(&fc);
    HttpConfig cfg;
    http_config_default(&cfg);
    if (mode & 1) {
        cfg.request_body_limit = 64;
        cfg.response_body_limit = 64;
        cfg.field_limit = 128;
        cfg.headers_limit = 8;
        cfg.compression_bomb_limit = 4096;
    }
    cfg.uri_include_all = (mode & 2) != 0;
    cfg.lzma_enabled = (mode & 4) != 0;
    if (mode & 1)
        cfg.lzma_memlimit = 64 * 1024;
    cfg.decompression_layer_limit = 1 + (mode >> 6);
    HttpState *s = http_state_new(&cfg);
    app_frames_enable();
    AppFrames *fr = app_frames_new(1);
    uint8_t ctl;
    while (br_u8(&r, &ctl)) {
        bool ts = (ctl & 0x80) != 0;
        uint32_t len = ctl & 0x3f;
        if (ctl & 0x40) {
            http_gap(s, ts, len);
            app_frames_gap(fr, ts, len);
            continue;
        }
        const uint8_t *p;
        if (!br_bytes(&r, len, &p)) {
            p = br_cursor(&r);
            len = (uint32_t)br_remaining(&r);
            br_skip(&r, len);
        }
        FUZZ_FRAMES_PARSE(fr, ts, p, len, http_parse(s, ts, p, len, 0));
    }
    if (mode & 4)
        http_end(s, true);
    if (mode & 8)
        http_end(s, false);
    HttpLogConfig lc;
    http_log_config_default(&lc);
    lc.dump_request_headers = lc.dump_response_headers = (mode & 16) != 0;
    lc.n_custom = 2;
    lc.custom[0] = "accept";
    lc.custom[1] = "set_cookie";
    JsonBuf j;
    jb_init(&j);
    for (uint64_t id = 0; id < http_tx_count(s); id++) {
        HttpTx *tx = http_tx_get(s, id);
        if (tx == NULL)
            continue;
        jb_reset(&j);
        jb_open_object(&j, NULL);
        http_log_tx(&j, tx, &lc);
        jb_close_object(&j);
        for (int b = HTTP_BUF_URI; b <= HTTP_BUF_RESPONSE_LINE; b++) {
            const uint8_t *d;
            uint32_t l;
            if (http_tx_buffer(tx, (HttpBuffer)b, true, &d, &l))
                touch(d, l);
            if (http_tx_buffer(tx, (HttpBuffer)b, false, &d, &l))
                touch(d, l);
        }
        const uint8_t *d;
        uint32_t l;
        for (uint32_t i = 0; http_tx_header_at(tx, true, i, &d, &l); i++)
            touch(d, l);
        for (int dir = 0; dir < 2; dir++) {
            /* files: names, sizes and file.data instances */
            const AppFileContainer *c = http_tx_files_const(tx, dir == 0);
            for (const AppFile *f = c->head; f; f = f->next)
                touch(f->name, f->name_len);
            for (uint32_t i = 0; http_tx_file_data(tx, dir == 0, i, &d, &l); i++)
                touch(d, l);
        }
        for (uint32_t i = 0; i < http_tx_event_count(tx); i++)
            if (http_event_name(http_tx_event(tx, i)) == NULL)
                abort();
        if (mode & 32)
            http_tx_release(s, id);
    }
    jb_free(&j);
    http_state_free(s);
    app_frames_free(fr);
    http_range_reset(); /* whole files of range responses outlive the flow */
    if (http_memuse() != base || app_file_memuse() != file_base)
        abort();
    return 0;
}
