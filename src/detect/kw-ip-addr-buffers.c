/*
 * The ip.src and ip.dst sticky buffers (Suricata 8): the packet's source or
 * destination address as raw bytes, 4 for IPv4 (RFC 791) and 16 for IPv6
 * (RFC 8200), mostly inspected by `dataset` / `datarep` (type ipv4, ipv6
 * or ip) but open to any buffer keyword.
 *
 * Like the header buffers (kw-hdr-buffers.c) they are packet buffers of
 * the buffer registry: the sticky keyword switches the rule to the
 * buffer's list and, once per rule, puts itself on SIG_LIST_MATCH, where
 * it inspects that list against the address of every packet the rule sees.
 */
#include <string.h>

#include "detect/buffer-registry.h"
#include "detect/detect-app.h"
#include "detect/detect-engine.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/kw-dataset.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"

typedef struct IpAddrBuffer {
    const char *name;
    const char *help;
    bool source;
    int buffer_id;
    uint16_t kw_id;
} IpAddrBuffer;

static IpAddrBuffer bufs[2] = {
    { "ip.src", "sticky buffer: the packet's source address (4 or 16 bytes)", true, -1, 0 },
    { "ip.dst", "sticky buffer: the packet's destination address (4 or 16 bytes)", false, -1, 0 },
};

static bool addr_get(const Packet *p, bool source, const uint8_t **data, uint32_t *len)
{
    if (!p || hdr_packet_is_pseudo(p))
        return false;
    const Address *a = source ? &p->src_addr : &p->dst_addr;
    if (a->family != 4 && a->family != 6)
        return false;
    *data = a->addr;
    *len = a->family == 4 ? 4 : 16;
    return true;
}

static bool get_src(const struct Packet *p, const uint8_t **data, uint32_t *len)
{
    return addr_get(p, true, data, len);
}

static bool get_dst(const struct Packet *p, const uint8_t **data, uint32_t *len)
{
    return addr_get(p, false, data, len);
}

static bool sig_has_matcher(const Signature *s, uint16_t kw)
{
    const SigMatchList *l = sig_list(s, SIG_LIST_MATCH);
    for (uint16_t i = 0; l && i < l->count; i++)
        if (l->items[i].kw == kw)
            return true;
    return false;
}

static bool addr_setup(RuleParseCtx *rp, Signature *s, IpAddrBuffer *b)
{
    if (b->buffer_id < 0)
        return rule_error(rp, "internal error: buffer '%s' is not registered", b->name);
    rp->current_list = buffer_list_id(b->buffer_id);
    if (!sig_has_matcher(s, b->kw_id) && rule_append(rp, s, SIG_LIST_MATCH, b->kw_id, NULL) == NULL)
        return rule_error(rp, "out of memory");
    return true;
}

static bool setup_src(RuleParseCtx *rp, Signature *s, const char *value)
{
    (void)value;
    return addr_setup(rp, s, &bufs[0]);
}

static bool setup_dst(RuleParseCtx *rp, Signature *s, const char *value)
{
    (void)value;
    return addr_setup(rp, s, &bufs[1]);
}

static bool inspect_addr(struct DetectThread *dt, const Packet *p, const Signature *s, const IpAddrBuffer *b)
{
    const uint8_t *data = NULL;
    uint32_t len = 0;
    if (!addr_get(p, b->source, &data, &len))
        return false;
    /* every instance of the buffer's list must match (see rule_transform_list) */
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (l->count == 0 || sig_list_plain(l->list_id) != buffer_list_id(b->buffer_id))
            continue;
        const uint8_t *d = data;
        uint32_t n = len;
        InspectBuffer scratch = { .owned = dt->app_xform_owned, .owned_cap = dt->app_xform_cap };
        bool ok = detect_app_transform(l, &d, &n, &scratch);
        dt->app_xform_owned = scratch.owned;
        dt->app_xform_cap = scratch.owned_cap;
        if (!ok || !inspect_buffer(dt, s, l, d ? d : (const uint8_t *)"", n, INSPECT_BUF_APP, p))
            return false;
    }
    return true;
}

static bool match_src(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)ctx;
    return inspect_addr(dt, p, s, &bufs[0]);
}

static bool match_dst(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)ctx;
    return inspect_addr(dt, p, s, &bufs[1]);
}

void ip_addr_buffers_register(void)
{
    static const BufferPacketGetFn getters[2] = { get_src, get_dst };
    static bool (*const setups[2])(RuleParseCtx *, Signature *, const char *) = { setup_src, setup_dst };
    static bool (*const matchers[2])(struct DetectThread *, const Packet *, const Signature *, const void *) = {
        match_src, match_dst
    };
    for (int i = 0; i < 2; i++) {
        BufferDef def;
        memset(&def, 0, sizeof(def));
        def.name = bufs[i].name;
        def.proto = APP_PROTO_UNKNOWN;
        def.dirs = BUF_DIR_BOTH;
        bufs[i].buffer_id = buffer_register_packet(&def, getters[i]);
        KeywordDef d;
        memset(&d, 0, sizeof(d));
        d.name = bufs[i].name;
        d.help = bufs[i].help;
        d.flags = KW_NOOPT | KW_STICKY_BUFFER;
        d.setup = setups[i];
        d.match_packet = matchers[i];
        bufs[i].kw_id = keyword_register(&d);
    }
}
