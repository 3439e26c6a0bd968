/*
 * SSLv2 records (draft-hickman-netscape-ssl-00), including the
 * SSLv2-compatible ClientHello that SSLv3/TLS clients may send
 * (RFC 5246 appendix E.2).
 *
 *   header:  2 bytes: 1LLLLLLL LLLLLLLL          (no padding)
 *            3 bytes: 0ELLLLLL LLLLLLLL padding
 *   CLIENT-HELLO: type=1 version(2) cipher_specs_len(2) session_id_len(2)
 *                 challenge_len(2) cipher_specs session_id challenge
 *   SERVER-HELLO: type=4 session_id_hit(1) certificate_type(1) version(2)
 *                 certificate_len(2) cipher_specs_len(2) connection_id_len(2)
 *
 * The record layer hands over a whole record body. The hello versions are
 * recorded; CLIENT-MASTER-KEY makes the client side encrypted, and the
 * server side follows on its next record. An ERROR message raises
 * ERROR_MESSAGE_ENCOUNTERED.
 */
#include "app/tls/tls-int.h"
#include "util/bytes.h"

bool tls_parse_sslv2(TlsState *st, bool to_server, const uint8_t *b, uint32_t len)
{
    TlsTx *tx = &st->tx;
    TlsDir *peer = &st->dir[!to_server];
    ByteReader r = br_init(b, len);
    uint8_t type;
    uint16_t ver;
    if (!br_u8(&r, &type)) {
        tls_set_event(tx, TLS_EV_INVALID_SSLV2_HEADER);
        return false;
    }
    if (!to_server && peer->encrypted) {
        /* client already sent its master key: the server is encrypted too */
        st->dir[0].encrypted = true;
        tls_set_progress(tx, false, TLS_PROGRESS_HANDSHAKE_DONE);
        return true;
    }
    switch (type) {
    case 0:
        tls_set_event(tx, TLS_EV_ERROR_MESSAGE_ENCOUNTERED);
        return true;
    case 1: /* CLIENT-HELLO */
        tx->seen |= TLS_SEEN_CLIENT_HELLO;
        tls_set_progress(tx, true, TLS_PROGRESS_HELLO);
        if (!br_be16(&r, &ver)) {
            tls_set_event(tx, TLS_EV_INVALID_SSLV2_HEADER);
            return false;
        }
        if (!tx->client.has_hello) {
            tx->client.hello_version = tx->client.version = ver;
        }
        return true;
    case 2: /* CLIENT-MASTER-KEY */
        tx->seen |= TLS_SEEN_CLIENT_KEYX;
        st->dir[1].encrypted = true;
        tls_set_progress(tx, true, TLS_PROGRESS_HANDSHAKE_DONE);
        return true;
    case 4: { /* SERVER-HELLO */
        uint16_t skip;
        tx->seen |= TLS_SEEN_SERVER_HELLO;
        tls_set_progress(tx, false, TLS_PROGRESS_HELLO);
        if (!br_be16(&r, &skip) || !br_be16(&r, &ver)) {
            tls_set_event(tx, TLS_EV_INVALID_SSLV2_HEADER);
            return false;
        }
        if (!tx->server.has_hello)
            tx->server.hello_version = tx->server.version = ver;
        return true;
    }
    default:
        return true;
    }
}
