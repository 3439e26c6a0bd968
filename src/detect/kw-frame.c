/*
 * The `frame` keyword (Suricata 8): `frame:<proto>.<type>;` (or
 * `frame:<type>;` in a rule of that application protocol) is a sticky
 * buffer over the bytes of one kind of app-layer frame -- an SSH record
 * (`ssh.record.pdu`, `.hdr`, `.data`), an SMTP command or response line or
 * DATA body (`smtp.command_line`, `smtp.response_line`, `smtp.data`), an
 * HTTP/1 request or response (`http1.request`, `http1.response`), or a
 * direction's whole stream (`<proto>.stream`); see app/frames.h.
 *
 * Each (protocol, type) pair is a frame buffer of the buffer registry
 * (kept out of transaction inspection and of the multi-pattern prefilter).
 * The keyword ties the rule to the protocol, switches the parser to the
 * buffer's list and puts itself once on SIG_LIST_MATCH; there, for every
 * packet, it inspects the list (after its transforms) against each frame of
 * that type in the packet's direction that is ready -- complete and not yet
 * inspected, or, once the direction or the flow ends, whatever it holds --
 * and records every frame that matched in dt->frame_hits, which the detect
 * loop turns into one alert per frame. Detection marks the ready frames
 * inspected after the packet, so each frame is inspected once. Inline
 * (IPS), as Suricata, an open frame is inspected again on each packet that
 * brings data to its direction, over a sliding window (frames.h,
 * app_frame_inline_window), where a content's depth counts from the
 * frame's start.
 */
#include <stdlib.h>
#include <string.h>

#include "app/app-layer.h"
#include "app/frame-types.h"
#include "app/frames.h"
#include "detect/buffer-registry.h"
#include "detect/detect-app.h"
#include "detect/detect-engine.h"
#include "detect/inspect.h"
#include "detect/keyword-families.h"
#include "detect/keyword.h"
#include "detect/kw-buffers.h"
#include "detect/rule-parse.h"
#include "stream/stream.h"

/* The frame buffers: one per (protocol, type) a rule can name. */
typedef struct FrameBuffer {
    uint16_t proto;
    uint8_t type;
    const char *name; /* buffer name, "frame:smtp.command_line" */
    int buffer_id;
} FrameBuffer;

static FrameBuffer buffers[] = {
    { 1, 0, "frame:http1.request", -1 },
    { 1, 1, "frame:http1.response", -1 },
    { 1, APP_FRAME_TYPE_STREAM, "frame:http1.stream", -1 },
    { 5, 0, "frame:ssh.record.hdr", -1 },
    { 5, 1, "frame:ssh.record.data", -1 },
    { 5, 2, "frame:ssh.record.pdu", -1 },
    { 5, APP_FRAME_TYPE_STREAM, "frame:ssh.stream", -1 },
    { 6, 0, "frame:smtp.command_line", -1 },
    { 6, 1, "frame:smtp.data", -1 },
    { 6, 2, "frame:smtp.response_line", -1 },
    { 6, APP_FRAME_TYPE_STREAM, "frame:smtp.stream", -1 },
};
#define FRAME_BUFFER_COUNT (sizeof(buffers) / sizeof(buffers[0]))

static uint16_t frame_kw_id;

static const FrameBuffer *buffer_of(uint16_t proto, uint8_t type)
{
    for (size_t i = 0; i < FRAME_BUFFER_COUNT; i++)
        if (buffers[i].proto == proto && buffers[i].type == type && buffers[i].buffer_id >= 0)
            return &buffers[i];
    return NULL;
}

static bool frame_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    uint16_t proto = 0;
    uint8_t type = 0;
    if (!value || !frame_type_lookup(value, s->app_proto, &proto, &type))
        return rule_error(rp, "unknown frame type '%s'", value ? value : "");
    const FrameBuffer *fb = buffer_of(proto, type);
    if (!fb)
        return rule_error(rp, "internal error: frame buffer '%s' is not registered", value);
    if (!buffer_set_proto(rp, s, proto, "frame"))
        return false;
    rp->current_list = buffer_list_id(fb->buffer_id);
    app_frames_enable(); /* as Suricata: parsers mark frames only when rules use them */
    /* the first frame keyword of the rule puts the matcher on the packet list */
    if (!(s->flags & SIG_FLAG_FRAME) && rule_append(rp, s, SIG_LIST_MATCH, frame_kw_id, NULL) == NULL)
        return rule_error(rp, "out of memory");
    s->flags |= SIG_FLAG_FRAME;
    return true;
}

/* Inspects list l against one frame's bytes (inline: its window). */
static bool inspect_frame(struct DetectThread *dt, const Packet *p, const Signature *s, const SigMatchList *l,
                          const AppFrames *fr, const AppFrame *frm, bool inline_mode, bool flow_end)
{
    const uint8_t *data = NULL;
    uint32_t len = 0, window_base = 0;
    if (inline_mode ? !app_frame_inline_window(fr, frm, flow_end, &data, &len, &window_base)
                    : !app_frame_data(fr, frm, &data, &len))
        return false;
    if (l == NULL || l->count == 0)
        return true;
    return detect_app_inspect_window(dt, s, l, data, len, p, window_base);
}

/* The frame lists of s are inspected against the ready frames of p's
 * direction; every frame that satisfies all of them is a hit. */
static bool frame_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)ctx;
    AppFrames *fr = p->flow ? app_layer_frames(p->flow) : NULL;
    if (!fr || fr->proto != s->app_proto)
        return false;
    const bool flow_end = dt->frame_hits.flow_end;
    uint64_t delivered;
    uint32_t chunk;
    const bool inline_mode = stream_tcp_inline_raw(p->flow, p->to_server, &delivered, &chunk);
    dt->frame_hits.count = 0;
    AppFrame *frm;
    for (uint32_t i = 0; (frm = app_frames_get(fr, p->to_server, i)) != NULL; i++) {
        const uint8_t *data;
        uint32_t len, base;
        if (inline_mode ? !app_frame_inline_window(fr, frm, flow_end, &data, &len, &base)
                        : !app_frame_ready(fr, frm, flow_end))
            continue;
        bool all = true, any = false;
        for (uint16_t li = 0; li < s->list_count && all; li++) {
            const SigMatchList *l = &s->lists[li];
            const FrameBuffer *fb = NULL;
            for (size_t b = 0; b < FRAME_BUFFER_COUNT && !fb; b++)
                if (buffers[b].buffer_id >= 0 && l->list_id == buffer_list_id(buffers[b].buffer_id))
                    fb = &buffers[b];
            if (!fb)
                continue;
            any = true;
            all = fb->type == frm->type && inspect_frame(dt, p, s, l, fr, frm, inline_mode, flow_end);
        }
        if (any && all && dt->frame_hits.count < DETECT_FRAME_MAX_HITS) {
            dt->frame_hits.ids[dt->frame_hits.count] = frm->id;
            dt->frame_hits.tx[dt->frame_hits.count] = frm->tx_id;
            dt->frame_hits.count++;
        }
    }
    return dt->frame_hits.count > 0;
}

void keywords_register_frame(void)
{
    for (size_t i = 0; i < FRAME_BUFFER_COUNT; i++) {
        BufferDef b;
        memset(&b, 0, sizeof(b));
        b.name = buffers[i].name;
        b.proto = buffers[i].proto;
        b.dirs = BUF_DIR_BOTH;
        buffers[i].buffer_id = buffer_register_frame(&b);
    }
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "frame";
    d.help = "sticky buffer: the bytes of an app-layer frame (frame:<proto>.<type>)";
    d.flags = KW_STICKY_BUFFER;
    d.setup = frame_setup;
    d.match_packet = frame_match;
    frame_kw_id = keyword_register(&d);
}
