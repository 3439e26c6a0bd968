/*
 * TLS record layer (RFC 5246 section 6.2, RFC 8446 section 5.1) and the
 * reassembly of handshake messages that span records and TCP segments.
 *
 *   record:    +------+---------+---------+----------------------+
 *              | type | version | length  |  fragment (length)   |
 *              |  1   |    2    |    2    |                      |
 *              +------+---------+---------+----------------------+
 *   handshake: +------+------------------+------------------------+
 *              | type |   length (24)    |  body                  |
 *              +------+------------------+------------------------+
 *
 * Each direction is a small state machine that consumes bytes one unit at a
 * time (header bytes, then body bytes), so feeding a stream in any chunking
 * gives the same result. Handshake record bodies are appended to a
 * per-direction buffer and a message is parsed once complete; a message
 * larger than the configured cap is skipped and counted. After
 * ChangeCipherSpec or application data a direction is "encrypted": later
 * records are only framed, not parsed. A first byte with bit 7 or bit 6 set
 * starts an SSLv2 record (2- or 3-byte header, see tls-sslv2.c).
 */
#include <stdlib.h>
#include <string.h>

#include "app/tls/tls-int.h"
#include "util/bytes.h"

enum {
    REC_CCS = 20,
    REC_ALERT = 21,
    REC_HANDSHAKE = 22,
    REC_APPDATA = 23,
    REC_HEARTBEAT = 24,
};

static bool buf_reserve(TlsDir *d, uint32_t need)
{
    if (d->buf_cap >= need)
        return true;
    uint32_t cap = d->buf_cap ? d->buf_cap : 256;
    while (cap < need)
        cap *= 2;
    uint8_t *nb = realloc(d->buf, cap);
    if (!nb)
        return false;
    d->buf = nb;
    d->buf_cap = cap;
    return true;
}

static void mark_encrypted(TlsState *st, TlsDir *d, bool to_server)
{
    d->encrypted = true;
    d->buf_len = 0;
    d->skip_left = 0;
    tls_set_progress(&st->tx, to_server, TLS_PROGRESS_HANDSHAKE_DONE);
}

bool tls_parse_handshake(TlsState *st, bool to_server, uint8_t type, const uint8_t *b, uint32_t len)
{
    TlsTx *tx = &st->tx;
    switch (type) {
    case 1: /* client_hello */
        if (!to_server)
            return true;
        return tls_parse_client_hello(st, b, len);
    case 2: /* server_hello */
        if (to_server)
            return true;
        return tls_parse_server_hello(st, b, len);
    case 11: /* certificate */
        return tls_parse_certificate(st, to_server, b, len);
    case 12: /* server_key_exchange */
        tx->seen |= TLS_SEEN_SERVER_KEYX;
        return true;
    case 16: /* client_key_exchange */
        tx->seen |= TLS_SEEN_CLIENT_KEYX;
        return true;
    case 13: /* certificate_request: the client's certificate is to come */
        if (!to_server)
            tx->cert_requested = true;
        return true;
    case 14: /* server_hello_done: as Suricata 8, the server's handshake is
              * done, and the client's too unless it owes a certificate */
        if (!to_server) {
            tls_set_progress(tx, false, TLS_PROGRESS_HANDSHAKE_DONE);
            if (!tx->cert_requested)
                tls_set_progress(tx, true, TLS_PROGRESS_HANDSHAKE_DONE);
        }
        return true;
    case 0: case 4: case 15: case 20: case 21: case 22:
        return true;
    default:
        tls_set_event(tx, TLS_EV_INVALID_HANDSHAKE_MESSAGE);
        tx->seen |= TLS_SEEN_UNKNOWN;
        return false;
    }
}

/* Feeds n bytes of a handshake record body into the message reassembly. */
static bool handshake_bytes(TlsState *st, TlsDir *d, bool to_server, const uint8_t *p, uint32_t n)
{
    ByteReader r = br_init(p, n);
    while (br_remaining(&r) > 0) {
        if (d->skip_left) {
            uint32_t k = d->skip_left < br_remaining(&r) ? d->skip_left : (uint32_t)br_remaining(&r);
            br_skip(&r, k);
            d->skip_left -= k;
            continue;
        }
        if (d->buf_len < 4) {
            if (!buf_reserve(d, 4))
                return false;
            uint32_t k = 4 - d->buf_len;
            if (k > br_remaining(&r))
                k = (uint32_t)br_remaining(&r);
            br_copy(&r, d->buf + d->buf_len, k);
            d->buf_len += k;
            if (d->buf_len < 4)
                break;
            uint32_t mlen = rd_be24(d->buf + 1);
            if (mlen > tls_limits()->max_handshake_msg) {
                tls_count_memcap(st);
                d->skip_left = mlen;
                d->buf_len = 0;
                continue;
            }
            if (!buf_reserve(d, 4 + mlen)) {
                tls_count_memcap(st);
                d->skip_left = mlen;
                d->buf_len = 0;
                continue;
            }
        } else {
            uint32_t total = 4 + rd_be24(d->buf + 1);
            uint32_t k = total - d->buf_len;
            if (k > br_remaining(&r))
                k = (uint32_t)br_remaining(&r);
            br_copy(&r, d->buf + d->buf_len, k);
            d->buf_len += k;
        }
        uint32_t mlen = rd_be24(d->buf + 1);
        if (d->buf_len == 4 + mlen) {
            d->buf_len = 0;
            if (!tls_parse_handshake(st, to_server, d->buf[0], d->buf + 4, mlen))
                return false;
            if (d->encrypted)
                break;
        }
    }
    return true;
}

/* Validates a complete record header and enters the body. */
static bool begin_record(TlsState *st, TlsDir *d, bool to_server)
{
    TlsTx *tx = &st->tx;
    if (d->sslv2) {
        if (d->hdr_need == 2)
            d->rec_len = ((uint32_t)(d->hdr[0] & 0x7f) << 8) | d->hdr[1];
        else
            d->rec_len = ((uint32_t)(d->hdr[0] & 0x3f) << 8) | d->hdr[1];
        if (d->rec_len == 0) {
            tls_set_event(tx, TLS_EV_INVALID_SSLV2_HEADER);
            return false;
        }
        d->buf_len = 0;
        if (!d->encrypted && !buf_reserve(d, d->rec_len))
            return false;
        return true;
    }
    d->rec_type = d->hdr[0];
    d->rec_len = rd_be16(d->hdr + 3);
    if (d->rec_type < REC_CCS || d->rec_type > REC_HEARTBEAT) {
        tls_set_event(tx, TLS_EV_INVALID_RECORD_TYPE);
        return false;
    }
    if (d->hdr[1] != 3) {
        tls_set_event(tx, TLS_EV_INVALID_RECORD_VERSION);
        return false;
    }
    if (d->rec_len > TLS_REC_MAX_LEN) {
        tls_set_event(tx, TLS_EV_INVALID_RECORD_LENGTH);
        return false;
    }
    switch (d->rec_type) {
    case REC_CCS:
    case REC_APPDATA:
        mark_encrypted(st, d, to_server);
        break;
    case REC_HEARTBEAT:
        tls_set_event(tx, TLS_EV_HEARTBEAT_MESSAGE);
        break;
    case REC_ALERT:
        d->alert_len = 0;
        break;
    default:
        break;
    }
    return true;
}

static bool body_bytes(TlsState *st, TlsDir *d, bool to_server, const uint8_t *p, uint32_t n)
{
    if (d->sslv2) {
        if (d->encrypted)
            return true;
        memcpy(d->buf + d->buf_len, p, n);
        d->buf_len += n;
        return true;
    }
    if (d->rec_type == REC_HANDSHAKE && !d->encrypted)
        return handshake_bytes(st, d, to_server, p, n);
    if (d->rec_type == REC_ALERT && !d->encrypted) {
        for (uint32_t i = 0; i < n && d->alert_len < 2; i++)
            d->alert[d->alert_len++] = p[i];
    }
    return true;
}

static bool end_record(TlsState *st, TlsDir *d, bool to_server)
{
    d->in_body = false;
    d->records++;
    if (d->sslv2) {
        if (d->encrypted)
            return true;
        uint32_t n = d->buf_len;
        d->buf_len = 0;
        return tls_parse_sslv2(st, to_server, d->buf, n);
    }
    return true;
}

uint64_t tls_records(const TlsState *st, bool to_server)
{
    return st->dir[to_server].records;
}

bool tls_parse(TlsState *st, bool to_server, const uint8_t *data, uint32_t len, OdTime ts)
{
    (void)ts;
    if (st->failed)
        return false;
    TlsDir *d = &st->dir[to_server];
    if (d->lost || len == 0 || !data)
        return true;
    st->started = true;
    ByteReader r = br_init(data, len);
    while (br_remaining(&r) > 0) {
        if (!d->in_body) {
            if (d->hdr_len == 0) {
                uint8_t b0 = *br_cursor(&r);
                d->sslv2 = (b0 & 0xc0) != 0;
                d->hdr_need = d->sslv2 ? ((b0 & 0x80) ? 2 : 3) : TLS_REC_HDR_LEN;
            }
            uint32_t k = (uint32_t)(d->hdr_need - d->hdr_len);
            if (k > br_remaining(&r))
                k = (uint32_t)br_remaining(&r);
            br_copy(&r, d->hdr + d->hdr_len, k);
            d->hdr_len = (uint8_t)(d->hdr_len + k);
            if (d->hdr_len < d->hdr_need)
                break;
            d->hdr_len = 0;
            if (!begin_record(st, d, to_server))
                goto fail;
            d->in_body = true;
            d->rec_done = 0;
            if (d->rec_len == 0 && !end_record(st, d, to_server))
                goto fail;
            continue;
        }
        uint32_t k = d->rec_len - d->rec_done;
        if (k > br_remaining(&r))
            k = (uint32_t)br_remaining(&r);
        const uint8_t *p;
        br_bytes(&r, k, &p);
        d->rec_done += k;
        if (!body_bytes(st, d, to_server, p, k))
            goto fail;
        if (d->rec_done == d->rec_len && !end_record(st, d, to_server))
            goto fail;
    }
    return true;
fail:
    st->failed = true;
    return false;
}

void tls_gap(TlsState *st, bool to_server, uint32_t len)
{
    TlsDir *d = &st->dir[to_server];
    if (st->failed || d->lost || len == 0)
        return;
    bool opaque = d->in_body && (d->encrypted || (!d->sslv2 && d->rec_type != REC_HANDSHAKE));
    if (opaque && len <= d->rec_len - d->rec_done) {
        d->rec_done += len;
        if (d->rec_done == d->rec_len)
            end_record(st, d, to_server);
        return;
    }
    d->lost = true;
    d->buf_len = 0;
}

void tls_end(TlsState *st, bool to_server)
{
    if (st->started)
        tls_set_progress(&st->tx, to_server, TLS_PROGRESS_FINISHED);
    /* the connection closed after a ClientHello the server never answered:
     * logged without certificate, with the client's version (Suricata
     * 8.0.3, issue 5713) */
    TlsTx *tx = &st->tx;
    bool both_ended = tx->progress[0] >= TLS_PROGRESS_FINISHED && tx->progress[1] >= TLS_PROGRESS_FINISHED;
    if (both_ended && (tx->seen & TLS_SEEN_CLIENT_HELLO) && !(tx->seen & TLS_SEEN_SERVER_HELLO))
        tx->log_without_cert = true;
}
