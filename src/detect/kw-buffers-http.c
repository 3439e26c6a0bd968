/*
 * HTTP/1 rule buffers: the request side (http.uri, http.method,
 * http.request_line, request headers, http.request_body...), the response
 * side (http.stat_code, http.response_line, http.location...), file.data
 * (a multi-buffer: the response body, a POST/PUT body, or each multipart
 * file of a request),
 * and buffers both sides have (http.header, http.header.raw,
 * http.header_names, http.content_type, http.content_len, http.connection,
 * http.start). Each reads the HTTP parser's http_tx_buffer() and becomes
 * inspectable once the transaction progressed far enough: line buffers
 * once the line is parsed (Suricata: progress LINE, issue 7668), header
 * buffers after the headers, bodies and file.data through inspection
 * windows as they grow (see ready_body).
 * Also the legacy content modifiers (http_uri, http_header, ...) and
 * uricontent (content + http_uri).
 */
#include <stdbool.h>
#include <stdint.h>

#include "app/http/http.h"
#include "detect/kw-buffers.h"

#define HTTP_PROTO 1

/* the request/response line is parsed (headers may still be coming), as
 * Suricata's line buffers inspect from HTP_REQUEST_PROGRESS_LINE on */
static bool ready_line(const void *tx, bool ts)
{
    return http_tx_progress(tx, ts) >= HTTP_PROGRESS_LINE;
}
static bool ready_headers(const void *tx, bool ts)
{
    return http_tx_progress(tx, ts) >= HTTP_PROGRESS_BODY;
}
/* Bodies and files: a run on packets of their own direction inspects the
 * window Suricata would (app/http/http-inspect.c: from the minimal inspect
 * size on, or complete, or at the limit, or inline; each time the new
 * bytes plus an overlap with what was inspected). The whole kept body,
 * once complete, serves a run of the other direction (a `=>` rule reading
 * the request body on a response packet). */
static bool ready_body(const void *tx, bool ts)
{
    return http_tx_body_complete(tx, ts);
}

static BufferWindowResult from_http(HttpWindowResult r, const HttpWindow *hw, BufferWindow *w)
{
    if (r == HTTP_WINDOW_DATA) {
        w->data = hw->data;
        w->len = hw->len;
        w->base = hw->base;
    }
    return r == HTTP_WINDOW_DATA ? BUF_WINDOW_DATA : r == HTTP_WINDOW_WAIT ? BUF_WINDOW_WAIT : BUF_WINDOW_NONE;
}

static BufferWindowResult window_body(const void *tx, bool ts, uint32_t i, bool flow_end, BufferWindow *w)
{
    HttpWindow hw;
    return i == 0 ? from_http(http_tx_body_window(tx, ts, flow_end, &hw), &hw, w) : BUF_WINDOW_NONE;
}

static BufferWindowResult window_file_data(const void *tx, bool ts, uint32_t i, bool flow_end, BufferWindow *w)
{
    HttpWindow hw;
    return from_http(http_tx_file_window(tx, ts, i, flow_end, &hw), &hw, w);
}

#define GETTER(fn, b)                                                                       \
    static bool fn(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)   \
    {                                                                                       \
        return i == 0 && http_tx_buffer(tx, b, ts, d, l);                                   \
    }
GETTER(g_uri, HTTP_BUF_URI)
GETTER(g_uri_raw, HTTP_BUF_URI_RAW)
GETTER(g_method, HTTP_BUF_METHOD)
GETTER(g_protocol, HTTP_BUF_PROTOCOL)
GETTER(g_request_line, HTTP_BUF_REQUEST_LINE)
GETTER(g_header, HTTP_BUF_HEADER)
GETTER(g_header_raw, HTTP_BUF_HEADER_RAW)
GETTER(g_header_names, HTTP_BUF_HEADER_NAMES)
GETTER(g_host, HTTP_BUF_HOST)
GETTER(g_host_raw, HTTP_BUF_HOST_RAW)
GETTER(g_user_agent, HTTP_BUF_USER_AGENT)
GETTER(g_cookie, HTTP_BUF_COOKIE)
GETTER(g_referer, HTTP_BUF_REFERER)
GETTER(g_accept, HTTP_BUF_ACCEPT)
GETTER(g_accept_enc, HTTP_BUF_ACCEPT_ENC)
GETTER(g_accept_lang, HTTP_BUF_ACCEPT_LANG)
GETTER(g_connection, HTTP_BUF_CONNECTION)
GETTER(g_content_type, HTTP_BUF_CONTENT_TYPE)
GETTER(g_content_len, HTTP_BUF_CONTENT_LEN)
GETTER(g_start, HTTP_BUF_START)
GETTER(g_location, HTTP_BUF_LOCATION)
GETTER(g_server, HTTP_BUF_SERVER)
GETTER(g_body, HTTP_BUF_BODY)
GETTER(g_stat_code, HTTP_BUF_STAT_CODE)
GETTER(g_stat_msg, HTTP_BUF_STAT_MSG)
GETTER(g_response_line, HTTP_BUF_RESPONSE_LINE)

/* file.data: one instance per file (multipart parts), see http_tx_file_data */
static bool g_file_data(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    return http_tx_file_data(tx, ts, i, d, l);
}

static bool g_header_at(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    return http_tx_header_at(tx, ts, i, d, l);
}

#define TS BUF_DIR_TOSERVER
#define TC BUF_DIR_TOCLIENT
#define BOTH BUF_DIR_BOTH
static const BufferDef bufs[] = {
    { "http.uri", HTTP_PROTO, TS, false, g_uri, ready_line },
    { "http.uri.raw", HTTP_PROTO, TS, false, g_uri_raw, ready_line },
    { "http.method", HTTP_PROTO, TS, false, g_method, ready_line },
    { "http.protocol", HTTP_PROTO, BOTH, false, g_protocol, ready_line },
    { "http.request_line", HTTP_PROTO, TS, false, g_request_line, ready_line },
    { "http.header", HTTP_PROTO, BOTH, false, g_header, ready_headers },
    { "http.header.raw", HTTP_PROTO, BOTH, false, g_header_raw, ready_headers },
    { "http.header_names", HTTP_PROTO, BOTH, false, g_header_names, ready_headers },
    { "http.request_header", HTTP_PROTO, TS, true, g_header_at, ready_headers },
    { "http.response_header", HTTP_PROTO, TC, true, g_header_at, ready_headers },
    { "http.host", HTTP_PROTO, TS, false, g_host, ready_headers },
    { "http.host.raw", HTTP_PROTO, TS, false, g_host_raw, ready_headers },
    { "http.user_agent", HTTP_PROTO, TS, false, g_user_agent, ready_headers },
    { "http.cookie", HTTP_PROTO, BOTH, false, g_cookie, ready_headers },
    { "http.referer", HTTP_PROTO, TS, false, g_referer, ready_headers },
    { "http.accept", HTTP_PROTO, TS, false, g_accept, ready_headers },
    { "http.accept_enc", HTTP_PROTO, TS, false, g_accept_enc, ready_headers },
    { "http.accept_lang", HTTP_PROTO, TS, false, g_accept_lang, ready_headers },
    { "http.connection", HTTP_PROTO, BOTH, false, g_connection, ready_headers },
    { "http.content_type", HTTP_PROTO, BOTH, false, g_content_type, ready_headers },
    { "http.content_len", HTTP_PROTO, BOTH, false, g_content_len, ready_headers },
    { "http.start", HTTP_PROTO, BOTH, false, g_start, ready_headers },
    { "http.location", HTTP_PROTO, TC, false, g_location, ready_headers },
    { "http.server", HTTP_PROTO, TC, false, g_server, ready_headers },
    { "http.request_body", HTTP_PROTO, TS, false, g_body, ready_body },
    { "http.response_body", HTTP_PROTO, TC, false, g_body, ready_body },
    { "file.data", HTTP_PROTO, BOTH, true, g_file_data, ready_body },
    { "http.stat_code", HTTP_PROTO, TC, false, g_stat_code, ready_line },
    { "http.stat_msg", HTTP_PROTO, TC, false, g_stat_msg, ready_line },
    { "http.response_line", HTTP_PROTO, TC, false, g_response_line, ready_line },
};

#define ST(n, kw) BUF_STICKY(s_##n, kw, kw)
ST(uri, "http.uri")
ST(uri_raw, "http.uri.raw")
ST(method, "http.method")
ST(protocol, "http.protocol")
ST(request_line, "http.request_line")
ST(header, "http.header")
ST(header_raw, "http.header.raw")
ST(header_names, "http.header_names")
ST(request_header, "http.request_header")
ST(response_header, "http.response_header")
ST(host, "http.host")
ST(host_raw, "http.host.raw")
ST(user_agent, "http.user_agent")
ST(cookie, "http.cookie")
ST(referer, "http.referer")
ST(accept, "http.accept")
ST(accept_enc, "http.accept_enc")
ST(accept_lang, "http.accept_lang")
ST(connection, "http.connection")
ST(content_type, "http.content_type")
ST(content_len, "http.content_len")
ST(start, "http.start")
ST(location, "http.location")
ST(server, "http.server")
ST(request_body, "http.request_body")
BUF_STICKY(s_client_body, "http.client_body", "http.request_body") /* pcre /P's name */
ST(response_body, "http.response_body")
ST(file_data, "file.data")
ST(stat_code, "http.stat_code")
ST(stat_msg, "http.stat_msg")
ST(response_line, "http.response_line")

BUF_MODIFIER(m_uri, "http_uri", "http.uri")
BUF_MODIFIER(m_raw_uri, "http_raw_uri", "http.uri.raw")
BUF_MODIFIER(m_method, "http_method", "http.method")
BUF_MODIFIER(m_header, "http_header", "http.header")
BUF_MODIFIER(m_raw_header, "http_raw_header", "http.header.raw")
BUF_MODIFIER(m_cookie, "http_cookie", "http.cookie")
BUF_MODIFIER(m_user_agent, "http_user_agent", "http.user_agent")
BUF_MODIFIER(m_host, "http_host", "http.host")
BUF_MODIFIER(m_raw_host, "http_raw_host", "http.host.raw")
BUF_MODIFIER(m_client_body, "http_client_body", "http.request_body")
BUF_MODIFIER(m_server_body, "http_server_body", "http.response_body")
BUF_MODIFIER(m_stat_code, "http_stat_code", "http.stat_code")
BUF_MODIFIER(m_stat_msg, "http_stat_msg", "http.stat_msg")

/* uricontent:"x"; is content:"x"; http_uri; */
static bool setup_uricontent(RuleParseCtx *rp, Signature *s, const char *value)
{
    int kc = keyword_lookup("content");
    const KeywordDef *c = kc >= 0 ? keyword_get((uint16_t)kc) : NULL;
    if (!c || !c->setup)
        return rule_error(rp, "uricontent: content keyword unavailable");
    if (!c->setup(rp, s, value))
        return false;
    return buffer_modifier_setup(rp, s, "uricontent", "http.uri");
}

void keywords_register_buffers_http(void)
{
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++) {
        const bool file_data = bufs[i].multi && bufs[i].get == g_file_data;
        if (bufs[i].get == g_body || file_data)
            buffer_register_streaming(&bufs[i], file_data ? window_file_data : window_body);
        else
            buffer_register(&bufs[i]);
    }
    static const struct {
        const char *name, *alias;
        bool (*setup)(RuleParseCtx *, Signature *, const char *);
    } st[] = {
        { "http.uri", NULL, s_uri }, { "http.uri.raw", NULL, s_uri_raw }, { "http.method", NULL, s_method },
        { "http.protocol", "http_protocol", s_protocol }, { "http.request_line", "http_request_line", s_request_line },
        { "http.header", NULL, s_header }, { "http.header.raw", NULL, s_header_raw },
        { "http.header_names", "http_header_names", s_header_names }, { "http.request_header", NULL, s_request_header },
        { "http.response_header", NULL, s_response_header }, { "http.host", NULL, s_host },
        { "http.host.raw", NULL, s_host_raw }, { "http.user_agent", NULL, s_user_agent },
        { "http.cookie", NULL, s_cookie }, { "http.referer", "http_referer", s_referer }, { "http.accept", "http_accept", s_accept },
        { "http.accept_enc", "http_accept_enc", s_accept_enc }, { "http.accept_lang", "http_accept_lang", s_accept_lang },
        { "http.connection", "http_connection", s_connection }, { "http.content_type", "http_content_type", s_content_type },
        { "http.content_len", "http_content_len", s_content_len }, { "http.start", "http_start", s_start },
        { "http.location", NULL, s_location }, { "http.server", NULL, s_server },
        { "http.request_body", NULL, s_request_body },
        { "http.client_body", NULL, s_client_body }, { "http.response_body", NULL, s_response_body },
        { "file.data", "file_data", s_file_data }, { "http.stat_code", NULL, s_stat_code },
        { "http.stat_msg", NULL, s_stat_msg }, { "http.response_line", "http_response_line", s_response_line },
    };
    for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++)
        buffer_register_sticky(st[i].name, st[i].alias, "sticky buffer: HTTP", st[i].setup);
    static const struct {
        const char *name;
        bool (*setup)(RuleParseCtx *, Signature *, const char *);
    } mods[] = {
        { "http_uri", m_uri }, { "http_raw_uri", m_raw_uri }, { "http_method", m_method },
        { "http_header", m_header }, { "http_raw_header", m_raw_header }, { "http_cookie", m_cookie },
        { "http_user_agent", m_user_agent }, { "http_host", m_host }, { "http_raw_host", m_raw_host },
        { "http_client_body", m_client_body }, { "http_server_body", m_server_body },
        { "http_stat_code", m_stat_code }, { "http_stat_msg", m_stat_msg },
    };
    for (size_t i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
        buffer_register_modifier(mods[i].name, "content modifier: HTTP buffer (legacy)", mods[i].setup);
    KeywordDef u = { .name = "uricontent", .help = "content in http.uri (legacy)", .setup = setup_uricontent };
    keyword_register(&u);
}
