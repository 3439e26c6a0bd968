/*
 * The http2.* keywords of Suricata 8 (detect-http2.c, rust/src/http2/
 * detect.rs), matched on the HTTP/2 transaction's side the detection run
 * inspects:
 *
 *   http2.frametype:<type>      a frame of that type came (GOAWAY, 7, ...)
 *   http2.errorcode:<code>      a GOAWAY or RST_STREAM carried that code
 *                               (INTERNAL_ERROR, 2, ...)
 *   http2.priority:<uint>       a PRIORITY frame's or HEADERS priority's weight
 *   http2.window:<uint>         a WINDOW_UPDATE's increment
 *   http2.size_update:<uint>    a dynamic table size update in a header block
 *   http2.settings:<id>[<uint>] a SETTINGS parameter (with a value test)
 *   http2.header_name           sticky buffer: each header field's name
 *
 * Like kw-buffers-txkw.c they sit on an internal buffer ("http2#tx") whose
 * getter hands the transaction itself to inspect(), so each is checked once
 * per transaction and direction, and they tie the rule to http2.
 */
#include <stdlib.h>
#include <string.h>

#include "app/http2/http2.h"
#include "detect/inspect.h"
#include "detect/kw-buffers.h"
#include "detect/kw-events.h" /* event_value_trimmed */
#include "detect/uint-match.h"

#define HTTP2_PROTO 2
#define HTTP2_TX_BUFFER "http2#tx"

typedef enum Http2Kw {
    KW_FRAMETYPE,
    KW_ERRORCODE,
    KW_PRIORITY,
    KW_WINDOW,
    KW_SIZE_UPDATE,
    KW_SETTINGS,
} Http2Kw;

typedef struct Http2KwCtx {
    Http2Kw kind;
    uint64_t code; /* frametype, errorcode; settings: the parameter id */
    bool has_uint; /* settings: a value test follows the id */
    DetectUint u;
} Http2KwCtx;

static bool g_header_name(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    return http2_tx_header_name_at(tx, ts, i, d, l);
}

/* Any of the side's values of `which` passing the uint test. */
static bool any_value(const void *tx, bool ts, Http2Value which, const DetectUint *u)
{
    uint64_t v;
    for (uint32_t i = 0; http2_tx_value_at(tx, ts, which, i, &v); i++)
        if (detect_uint_match(u, v))
            return true;
    return false;
}

static InspectResult http2_kw_inspect(struct DetectThread *dt, struct InspectCursor *cur, const Signature *s,
                                      const void *ctx)
{
    (void)dt;
    (void)s;
    const Http2KwCtx *k = ctx;
    const void *tx = cur->buf;
    const bool ts = cur->to_server;
    bool hit = false;
    switch (k->kind) {
    case KW_FRAMETYPE: hit = http2_tx_has_frame_type(tx, ts, (uint8_t)k->code); break;
    case KW_ERRORCODE: {
        uint64_t v;
        for (uint32_t i = 0; !hit && http2_tx_value_at(tx, ts, HTTP2_VAL_ERROR_CODE, i, &v); i++)
            hit = v == k->code;
        break;
    }
    case KW_PRIORITY: hit = any_value(tx, ts, HTTP2_VAL_PRIORITY, &k->u); break;
    case KW_WINDOW: hit = any_value(tx, ts, HTTP2_VAL_WINDOW, &k->u); break;
    case KW_SIZE_UPDATE: hit = any_value(tx, ts, HTTP2_VAL_SIZE_UPDATE, &k->u); break;
    case KW_SETTINGS: {
        uint16_t id;
        uint32_t v;
        for (uint32_t i = 0; !hit && http2_tx_setting_at(tx, ts, i, &id, &v); i++)
            hit = id == k->code && (!k->has_uint || detect_uint_match(&k->u, v));
        break;
    }
    }
    return hit ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

static bool add(RuleParseCtx *rp, Signature *s, const char *kw, Http2KwCtx *k)
{
    int id = buffer_lookup(HTTP2_TX_BUFFER);
    int kid = keyword_lookup(kw);
    if (id < 0 || kid < 0) {
        free(k);
        return rule_error(rp, "internal error: '%s' is not registered", kw);
    }
    if (!buffer_set_proto(rp, s, HTTP2_PROTO, kw) || !rule_append(rp, s, buffer_list_id(id), (uint16_t)kid, k)) {
        free(k);
        return false;
    }
    return true;
}

static Http2KwCtx *ctx_new(RuleParseCtx *rp, Http2Kw kind)
{
    Http2KwCtx *k = calloc(1, sizeof(*k));
    if (!k)
        rule_error(rp, "out of memory");
    else
        k->kind = kind;
    return k;
}

static bool setup_frametype(RuleParseCtx *rp, Signature *s, const char *v)
{
    char buf[64] = "";
    int t = event_value_trimmed(v, buf, sizeof(buf)) ? http2_frame_type_by_name(buf) : -1;
    if (t < 0)
        return rule_error(rp, "http2.frametype: unknown frame type '%s' (DATA, HEADERS, ..., GOAWAY, or 0-255)", buf);
    Http2KwCtx *k = ctx_new(rp, KW_FRAMETYPE);
    if (!k)
        return false;
    k->code = (uint64_t)t;
    return add(rp, s, "http2.frametype", k);
}

static bool setup_errorcode(RuleParseCtx *rp, Signature *s, const char *v)
{
    char buf[64] = "";
    int64_t c = event_value_trimmed(v, buf, sizeof(buf)) ? http2_error_code_by_name(buf) : -1;
    if (c < 0)
        return rule_error(rp, "http2.errorcode: unknown error code '%s' (NO_ERROR, PROTOCOL_ERROR, ..., or a number)",
                          buf);
    Http2KwCtx *k = ctx_new(rp, KW_ERRORCODE);
    if (!k)
        return false;
    k->code = (uint64_t)c;
    return add(rp, s, "http2.errorcode", k);
}

static bool setup_uint(RuleParseCtx *rp, Signature *s, const char *kw, Http2Kw kind, const char *v, uint64_t max)
{
    Http2KwCtx *k = ctx_new(rp, kind);
    if (!k)
        return false;
    if (!v || !detect_uint_parse(v, max, &k->u)) {
        free(k);
        return rule_error(rp, "%s: invalid value '%s' (%s)", kw, v ? v : "", detect_uint_syntax_help());
    }
    return add(rp, s, kw, k);
}

static bool setup_priority(RuleParseCtx *rp, Signature *s, const char *v)
{
    return setup_uint(rp, s, "http2.priority", KW_PRIORITY, v, DETECT_UINT_MAX_U8);
}
static bool setup_window(RuleParseCtx *rp, Signature *s, const char *v)
{
    return setup_uint(rp, s, "http2.window", KW_WINDOW, v, DETECT_UINT_MAX_U32);
}
static bool setup_size_update(RuleParseCtx *rp, Signature *s, const char *v)
{
    return setup_uint(rp, s, "http2.size_update", KW_SIZE_UPDATE, v, UINT64_MAX);
}

/* http2.settings:<SETTINGS_NAME>[ <uint test>] */
static bool setup_settings(RuleParseCtx *rp, Signature *s, const char *v)
{
    char buf[128] = "";
    if (!event_value_trimmed(v, buf, sizeof(buf)))
        return rule_error(rp, "http2.settings needs <SETTINGS_NAME>[<uint test>]");
    size_t n = strcspn(buf, " <>=!");
    char *rest = buf + n;
    char save = *rest;
    *rest = '\0';
    int id = http2_setting_id_by_name(buf);
    if (id < 0)
        return rule_error(rp, "http2.settings: unknown setting '%s' (SETTINGS_HEADER_TABLE_SIZE, ...)", buf);
    *rest = save;
    while (*rest == ' ')
        rest++;
    Http2KwCtx *k = ctx_new(rp, KW_SETTINGS);
    if (!k)
        return false;
    k->code = (uint64_t)id;
    if (*rest) {
        if (!detect_uint_parse(rest, DETECT_UINT_MAX_U32, &k->u)) {
            free(k);
            return rule_error(rp, "http2.settings: invalid value '%s' (%s)", rest, detect_uint_syntax_help());
        }
        k->has_uint = true;
    }
    return add(rp, s, "http2.settings", k);
}

BUF_STICKY(s_header_name, "http2.header_name", "http2.header_name")

void keywords_register_http2(void)
{
    static const BufferDef bufs[] = {
        { HTTP2_TX_BUFFER, HTTP2_PROTO, BUF_DIR_BOTH, false, buffer_get_tx_itself, buffer_ready_always },
        { "http2.header_name", HTTP2_PROTO, BUF_DIR_BOTH, true, g_header_name, buffer_ready_always },
    };
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
    buffer_register_sticky("http2.header_name", NULL, "sticky buffer: an HTTP/2 header field's name", s_header_name);
    const KeywordDef kws[] = {
        { .name = "http2.frametype", .help = "HTTP/2 frame type (name or number)", .setup = setup_frametype,
          .inspect = http2_kw_inspect, .free = free },
        { .name = "http2.errorcode", .help = "HTTP/2 GOAWAY or RST_STREAM error code", .setup = setup_errorcode,
          .inspect = http2_kw_inspect, .free = free },
        { .name = "http2.priority", .help = "HTTP/2 priority weight (uint)", .setup = setup_priority,
          .inspect = http2_kw_inspect, .free = free },
        { .name = "http2.window", .help = "HTTP/2 WINDOW_UPDATE increment (uint)", .setup = setup_window,
          .inspect = http2_kw_inspect, .free = free },
        { .name = "http2.size_update", .help = "HTTP/2 dynamic table size update (uint)",
          .setup = setup_size_update, .inspect = http2_kw_inspect, .free = free },
        { .name = "http2.settings", .help = "HTTP/2 SETTINGS parameter: <name>[<uint>]", .setup = setup_settings,
          .inspect = http2_kw_inspect, .free = free },
    };
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
        keyword_register(&kws[i]);
}
