/*
 * HTTP/2 rule buffers: the HTTP keywords' buffers (http.uri, http.method,
 * http.host, http.header_names, http.request_header, ...) and urilen, as
 * HTTP/2 transactions carry them (app/http2/http2-buffers.c). They are
 * registered under the same names for protocol http2, after the HTTP/1
 * ones, so that `alert http` rules keep their HTTP/1 lists and also run
 * on HTTP/2 flows when every buffer they read exists there (Suricata 8's
 * AppProtoEquals of http with http2; detect/file-protocols.h maps the
 * lists), and `alert http2` rules may use the same keywords.
 */
#include <stdbool.h>
#include <stdint.h>

#include "app/http2/http2.h"
#include "detect/kw-buffers.h"

#define HTTP2_PROTO 2

static bool ready(const void *tx, bool ts)
{
    return http2_tx_ready(tx, ts);
}

#define GETTER(fn, b)                                                                     \
    static bool fn(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l) \
    {                                                                                     \
        return i == 0 && http2_tx_buffer((Http2Tx *)tx, b, ts, d, l);                    \
    }
GETTER(g_uri, HTTP2_BUF_URI)
GETTER(g_method, HTTP2_BUF_METHOD)
GETTER(g_stat_code, HTTP2_BUF_STAT_CODE)
GETTER(g_host, HTTP2_BUF_HOST)
GETTER(g_host_raw, HTTP2_BUF_HOST_RAW)
GETTER(g_user_agent, HTTP2_BUF_USER_AGENT)
GETTER(g_cookie, HTTP2_BUF_COOKIE)
GETTER(g_header, HTTP2_BUF_HEADER)
GETTER(g_header_raw, HTTP2_BUF_HEADER_RAW)
GETTER(g_header_names, HTTP2_BUF_HEADER_NAMES)
GETTER(g_protocol, HTTP2_BUF_PROTOCOL)
GETTER(g_request_line, HTTP2_BUF_REQUEST_LINE)
GETTER(g_response_line, HTTP2_BUF_RESPONSE_LINE)
GETTER(g_stat_msg, HTTP2_BUF_STAT_MSG)
GETTER(g_server, HTTP2_BUF_SERVER)
GETTER(g_location, HTTP2_BUF_LOCATION)
GETTER(g_referer, HTTP2_BUF_REFERER)
GETTER(g_accept, HTTP2_BUF_ACCEPT)
GETTER(g_accept_enc, HTTP2_BUF_ACCEPT_ENC)
GETTER(g_accept_lang, HTTP2_BUF_ACCEPT_LANG)
GETTER(g_connection, HTTP2_BUF_CONNECTION)
GETTER(g_content_type, HTTP2_BUF_CONTENT_TYPE)
GETTER(g_content_len, HTTP2_BUF_CONTENT_LEN)

static bool g_header_at(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    return http2_tx_header_at((Http2Tx *)tx, ts, i, d, l);
}

#define TS BUF_DIR_TOSERVER
#define TC BUF_DIR_TOCLIENT
#define BOTH BUF_DIR_BOTH

void keywords_register_buffers_http2(void)
{
    static const BufferDef bufs[] = {
        { "http.uri", HTTP2_PROTO, TS, false, g_uri, ready },
        { "http.uri.raw", HTTP2_PROTO, TS, false, g_uri, ready },
        { "http.method", HTTP2_PROTO, TS, false, g_method, ready },
        { "http.stat_code", HTTP2_PROTO, TC, false, g_stat_code, ready },
        { "http.host", HTTP2_PROTO, TS, false, g_host, ready },
        { "http.host.raw", HTTP2_PROTO, TS, false, g_host_raw, ready },
        { "http.user_agent", HTTP2_PROTO, TS, false, g_user_agent, ready },
        { "http.cookie", HTTP2_PROTO, BOTH, false, g_cookie, ready },
        { "http.header", HTTP2_PROTO, BOTH, false, g_header, ready },
        { "http.header.raw", HTTP2_PROTO, BOTH, false, g_header_raw, ready },
        { "http.header_names", HTTP2_PROTO, BOTH, false, g_header_names, ready },
        { "http.request_header", HTTP2_PROTO, TS, true, g_header_at, ready },
        { "http.response_header", HTTP2_PROTO, TC, true, g_header_at, ready },
        /* urilen: the transaction itself, kw-buffers-txkw.c reads its :path length */
        { "urilen#tx", HTTP2_PROTO, TS, false, buffer_get_tx_itself, ready },
        { "http.protocol", HTTP2_PROTO, BOTH, false, g_protocol, ready },
        { "http.request_line", HTTP2_PROTO, TS, false, g_request_line, ready },
        { "http.response_line", HTTP2_PROTO, TC, false, g_response_line, ready },
        { "http.stat_msg", HTTP2_PROTO, TC, false, g_stat_msg, ready },
        { "http.server", HTTP2_PROTO, TC, false, g_server, ready },
        { "http.location", HTTP2_PROTO, TC, false, g_location, ready },
        { "http.referer", HTTP2_PROTO, TS, false, g_referer, ready },
        { "http.accept", HTTP2_PROTO, TS, false, g_accept, ready },
        { "http.accept_enc", HTTP2_PROTO, TS, false, g_accept_enc, ready },
        { "http.accept_lang", HTTP2_PROTO, TS, false, g_accept_lang, ready },
        { "http.connection", HTTP2_PROTO, BOTH, false, g_connection, ready },
        { "http.content_type", HTTP2_PROTO, BOTH, false, g_content_type, ready },
        { "http.content_len", HTTP2_PROTO, BOTH, false, g_content_len, ready },
    };
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
}
