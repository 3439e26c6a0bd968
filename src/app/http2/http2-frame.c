/*
 * Reading HTTP/2 frames (RFC 9113 section 4.1 and 6), the pieces of
 * http2-internal.h: the frame header, the parts of a HEADERS or
 * PUSH_PROMISE payload, the names Suricata logs for settings and error
 * codes, and the server-side detection probe. Every read goes through the
 * bounds-checked helpers of util/bytes.h.
 */
#include "app/http2/http2-internal.h"

#include "util/bytes.h"

bool http2_frame_header_read(const uint8_t *data, size_t len, Http2FrameHeader *h)
{
    /* length (24), type (8), flags (8), R (1) + stream identifier (31) */
    ByteReader r = br_init(data, len);
    uint32_t length, stream;
    uint8_t type, flags;
    if (!br_be24(&r, &length) || !br_u8(&r, &type) || !br_u8(&r, &flags) || !br_be32(&r, &stream))
        return false;
    h->length = length;
    h->type = type;
    h->flags = flags;
    h->reserved = (stream >> 31) != 0;
    h->stream_id = stream & 0x7fffffffu;
    return true;
}

int http2_probe_server(const uint8_t *data, uint32_t len)
{
    Http2FrameHeader h;
    if (!http2_frame_header_read(data, len, &h))
        return 2;
    /* Suricata's rs_http2_probing_parser_tc: a SETTINGS frame (the
     * server's connection preface, RFC 9113 section 3.4) */
    if (h.reserved || h.length > HTTP2_DEFAULT_MAX_FRAME_SIZE || (h.flags & 0xfeu) != 0 ||
        h.type != HTTP2_FRAME_SETTINGS)
        return 0;
    return 1;
}

const char *http2_setting_name(uint16_t id)
{
    switch (id) { /* RFC 9113 section 6.5.2; RFC 8441 section 3; RFC 9218 section 2.1 */
    case 1: return "SETTINGSHEADERTABLESIZE";
    case 2: return "SETTINGSENABLEPUSH";
    case 3: return "SETTINGSMAXCONCURRENTSTREAMS";
    case 4: return "SETTINGSINITIALWINDOWSIZE";
    case 5: return "SETTINGSMAXFRAMESIZE";
    case 6: return "SETTINGSMAXHEADERLISTSIZE";
    case 8: return "SETTINGSENABLECONNECTPROTOCOL";
    case 9: return "SETTINGSNORFC7540PRIORITIES";
    default: return NULL;
    }
}

const char *http2_error_name(uint32_t code)
{
    static const char *const names[] = { /* RFC 9113 section 7 */
        "NOERROR", "PROTOCOLERROR", "INTERNALERROR", "FLOWCONTROLERROR", "SETTINGSTIMEOUT",
        "STREAMCLOSED", "FRAMESIZEERROR", "REFUSEDSTREAM", "CANCEL", "COMPRESSIONERROR",
        "CONNECTERROR", "ENHANCEYOURCALM", "INADEQUATESECURITY", "HTTP11REQUIRED",
    };
    return code < sizeof(names) / sizeof(names[0]) ? names[code] : NULL;
}

bool http2_headers_payload_read(const uint8_t *data, size_t len, uint8_t type, uint8_t flags,
                                Http2HeadersPayload *out)
{
    ByteReader r = br_init(data, len);
    *out = (Http2HeadersPayload){ 0 };
    uint8_t pad;
    if ((flags & HTTP2_FLAG_PADDED) && !br_u8(&r, &pad))
        return false;
    if (type == HTTP2_FRAME_HEADERS && (flags & HTTP2_FLAG_PRIORITY)) {
        uint32_t dependency; /* E (1) + stream dependency (31), then the weight */
        if (!br_be32(&r, &dependency) || !br_u8(&r, &out->weight))
            return false;
        out->has_priority = true;
    }
    if (type == HTTP2_FRAME_PUSH_PROMISE) {
        uint32_t promised;
        if (!br_be32(&r, &promised))
            return false;
        out->promised_stream = promised & 0x7fffffffu;
    }
    /* the block runs to the end of the payload: Suricata decodes the
     * padding as part of it */
    out->block_len = br_remaining(&r);
    return br_bytes(&r, out->block_len, &out->block);
}
