/*
 * libFuzzer harness for the SMTP parser and MIME decoder (src/app/smtp/).
 * The first byte sets the chunk size (bit 7: log URL schemes, a tiny
 * file depth; bit 6: raw extraction instead of MIME decoding; bit 0: body
 * MD5); the rest is a series of records `dir(1) len(2, big endian)
 * bytes(len)` fed in that direction (dir 0xff: a gap). Every transaction
 * is logged to EVE with all optional fields, its buffers and files read
 * (the file.data copies and the tracked files, whose sizes must agree for
 * complete files within the file depth), some released along the way;
 * memory accounting (parser and file tracker) must return to its start.
 * The line and DATA frames the parser marks are checked (fuzz-frames.h).
 */
#include <stdint.h>
#include <stdlib.h>

#include "app/file.h"
#include "app/smtp/smtp.h"
#include "fuzz-frames.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void touch(SmtpState *s)
{
    JsonBuf j;
    jb_init(&j);
    SmtpLogConfig cfg = { .extended = true, .custom_mask = 0xffffffffu, .md5_subject = true, .md5_body = true };
    static const char *const hdrs[] = { "from", "subject", "to", "cc", "date", "message-id", "x-mailer" };
    for (uint64_t id = 0; id < smtp_tx_count(s); id++) {
        SmtpTx *tx = smtp_tx_get(s, id);
        if (!tx)
            continue;
        smtp_log_tx(&j, tx, &cfg);
        const uint8_t *p;
        uint32_t n;
        bool t;
        smtp_tx_get_helo(tx, &p, &n);
        smtp_tx_get_mail_from(tx, &p, &n);
        for (uint32_t i = 0; smtp_tx_get_rcpt_to(tx, i, &p, &n); i++)
            ;
        for (size_t h = 0; h < sizeof(hdrs) / sizeof(hdrs[0]); h++)
            smtp_tx_get_header(tx, hdrs[h], &p, &n);
        for (uint32_t i = 0; smtp_tx_get_received(tx, i, &p, &n); i++)
            ;
        for (uint32_t i = 0; smtp_tx_get_url(tx, i, &p, &n); i++)
            ;
        for (uint32_t i = 0; i < smtp_tx_file_count(tx); i++) {
            smtp_tx_get_file_name(tx, i, &p, &n);
            bool has = smtp_tx_get_file_data(tx, i, &p, &n);
            bool closed = smtp_tx_file_closed(tx, i, &t);
            const AppFile *f = smtp_tx_tracked_file(tx, i);
            /* one tracked file per attachment (the file memcap is off) */
            if (!f || (f->state == APP_FILE_OPEN) == closed)
                abort();
            if (closed && !t && f->state == APP_FILE_CLOSED && f->size != (has ? n : 0))
                abort();
        }
        for (int i = 0; i < smtp_tx_event_count(tx); i++)
            if (!smtp_event_name(smtp_tx_event_get(tx, i)))
                abort();
    }
    jb_free(&j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    uint8_t opt;
    if (!br_u8(&r, &opt))
        return 0;
    uint64_t base = smtp_memuse();
    uint64_t file_base = app_file_memuse();
    SmtpMimeConfig c;
    smtp_config_defaults(&c);
    c.body_md5 = (opt & 1) != 0;
    if (opt & 0x40) {
        c.decode_mime = false;
        c.raw_extraction = true;
    }
    if (opt & 0x80) {
        c.log_url_scheme = true;
        c.file_depth = 16;
        c.header_value_depth = 32;
    }
    smtp_config_set_mime(&c);
    SmtpState *s = smtp_state_new();
    if (!s)
        return 0;
    app_frames_enable();
    AppFrames *fr = app_frames_new(6);
    uint32_t chunk = (opt & 0x7f) ? (opt & 0x7f) : 1;
    uint8_t dir;
    uint16_t len;
    int rounds = 0;
    while (br_u8(&r, &dir) && br_be16(&r, &len)) {
        uint32_t n = br_remaining(&r) < len ? (uint32_t)br_remaining(&r) : len;
        const uint8_t *p = NULL;
        br_bytes(&r, n, &p);
        if (dir == 0xff) {
            smtp_gap(s, len & 1, len);
            app_frames_gap(fr, len & 1, len);
            continue;
        }
        for (uint32_t off = 0; off < n; off += chunk) {
            uint32_t c = n - off < chunk ? n - off : chunk;
            FUZZ_FRAMES_PARSE(fr, dir & 1, p + off, c, smtp_parse(s, dir & 1, p + off, c, 0));
        }
        if (++rounds % 4 == 0) {
            touch(s);
            smtp_tx_release(s, smtp_tx_count(s) / 2);
        }
    }
    smtp_end(s, true);
    smtp_end(s, false);
    touch(s);
    smtp_state_free(s);
    app_frames_free(fr);
    if (smtp_memuse() != base || app_file_memuse() != file_base)
        abort();
    return 0;
}
