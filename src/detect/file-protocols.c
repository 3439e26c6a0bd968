/*
 * Protocol-less file rules (see file-protocols.h): the mark set after
 * parsing, and the protocol test and buffer mapping detection and the
 * application-layer prefilter use for marked rules.
 */
#include "detect/file-protocols.h"

#include <string.h>

#include "detect/app-proto.h"

bool is_file_buffer(const BufferDef *b)
{
    return b && b->name && (strncmp(b->name, "file.", 5) == 0 || strncmp(b->name, "file#", 5) == 0);
}

void file_rule_mark_any_proto(Signature *s, uint16_t header_app_proto)
{
    if (header_app_proto || !s->app_proto)
        return;
    bool any = false;
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (!l->count || !buffer_is_app_list(l->list_id))
            continue;
        if (!is_file_buffer(buffer_by_list(l->list_id)))
            return;
        any = true;
    }
    if (any)
        s->flags |= SIG_FLAG_FILE_ANY_PROTO;
}

uint16_t file_rule_list_for_proto(uint16_t list_id, uint16_t proto)
{
    const BufferDef *b = buffer_by_list(list_id);
    if (!b)
        return 0;
    if (b->proto == proto)
        return sig_list_plain(list_id);
    int id = buffer_lookup_proto(b->name, proto);
    return id >= 0 ? buffer_list_id(id) : 0;
}

/* An `http` rule on an HTTP/2 flow; not an `http1` one. */
static bool http_rule_on_http2(const Signature *s, uint16_t flow_proto)
{
    return s->app_proto == APP_PROTO_HTTP_ID && flow_proto == APP_PROTO_HTTP2_ID &&
           !(s->flags & SIG_FLAG_HTTP1_ONLY);
}

bool file_rule_reads_mapped(const Signature *s, uint16_t flow_proto)
{
    return (s->flags & SIG_FLAG_FILE_ANY_PROTO) || http_rule_on_http2(s, flow_proto);
}

const BufferDef *file_rule_buffer(const Signature *s, uint16_t list_id, uint16_t flow_proto)
{
    if (!file_rule_reads_mapped(s, flow_proto))
        return buffer_by_list(list_id);
    uint16_t mapped = file_rule_list_for_proto(list_id, flow_proto);
    return mapped ? buffer_by_list(mapped) : NULL;
}

bool file_rule_applies(const Signature *s, uint16_t flow_proto)
{
    if (!flow_proto)
        return false;
    if (!file_rule_reads_mapped(s, flow_proto))
        return app_proto_sig_matches(s->app_proto, flow_proto) &&
               !((s->flags & SIG_FLAG_HTTP1_ONLY) && flow_proto == APP_PROTO_HTTP2_ID);
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        if (l->count && buffer_is_app_list(l->list_id) && !file_rule_list_for_proto(l->list_id, flow_proto))
            return false;
    }
    return true;
}
