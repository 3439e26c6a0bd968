/*
 * The `buffers` keyword family: shared setup code for application-layer
 * sticky buffers and legacy content modifiers (see kw-buffers.h), and the
 * family's registration, which registers every protocol's buffers and
 * keywords and hooks transaction inspection into the app-layer framework
 * (detect-app.h). Suricata's rules apply: a sticky buffer sets the rule's
 * application protocol (or must agree with the one in the rule header; a
 * buffer name several protocols provide, such as file.data, resolves to
 * the rule's protocol); a multi-buffer named again after it already has
 * keywords starts a new instance of it, matched on its own (so
 * `file.data; content:"a"; file.data; content:"b";` may find a and b in
 * different files, as Suricata's multi-instance buffers do); and a legacy modifier applies to the content right
 * before it, which must still be a payload content.
 */
#include "detect/kw-buffers.h"

#include <string.h>

#include "detect/detect-app.h"

bool buffer_set_proto(RuleParseCtx *rp, Signature *s, AppProto proto, const char *kw)
{
    if (s->app_proto == proto)
        return true;
    if (s->app_proto != APP_PROTO_UNKNOWN) {
        const char *have = app_proto_name(s->app_proto);
        return rule_error(rp, "rule protocol '%s' conflicts with keyword '%s' (protocol '%s')", have ? have : "?", kw,
                          app_proto_name(proto) ? app_proto_name(proto) : "?");
    }
    const AppProtoInfo *ap = app_proto_by_id(proto);
    if (ap && ap->ipproto && !s->proto_any && !(s->proto[ap->ipproto / 8] & (1u << (ap->ipproto % 8))))
        return rule_error(rp, "keyword '%s' needs protocol '%s', which the rule's protocol excludes", kw, ap->name);
    s->app_proto = proto;
    return true;
}

bool buffer_sticky_setup(RuleParseCtx *rp, Signature *s, const char *kw, const char *buf)
{
    int id = buffer_lookup_for(buf, s->app_proto);
    if (id < 0)
        return rule_error(rp, "internal error: buffer '%s' is not registered", buf);
    const BufferDef *b = buffer_by_list(buffer_list_id(id));
    if (!buffer_set_proto(rp, s, b->proto, kw))
        return false;
    uint16_t list = buffer_list_id(id);
    const SigMatchList *have = sig_list(s, list);
    if (b->multi && have && have->count) {
        SigMatchList *fresh = NULL;
        for (uint32_t k = 1; k < SIG_LIST_INSTANCE_MAX && !fresh; k++) {
            uint16_t inst = (uint16_t)(list + k * SIG_LIST_INSTANCE_STEP);
            if (!sig_list(s, inst))
                fresh = sig_list_get_or_add(s, inst);
        }
        if (!fresh)
            return rule_error(rp, "too many buffers in one rule");
        list = fresh->list_id;
    }
    rp->current_list = list;
    return true;
}

bool buffer_modifier_setup(RuleParseCtx *rp, Signature *s, const char *kw, const char *buf)
{
    int id = buffer_lookup_for(buf, s->app_proto);
    if (id < 0)
        return rule_error(rp, "internal error: buffer '%s' is not registered", buf);
    int kc = keyword_lookup("content");
    if (kc < 0)
        return rule_error(rp, "'%s' needs a preceding content option", kw);
    uint16_t kwc = (uint16_t)kc, list = 0;
    SigMatch *sm = rule_last_of(rp, s, &kwc, 1, &list);
    if (!sm)
        return rule_error(rp, "'%s' needs a preceding content option", kw);
    if (list != SIG_LIST_PMATCH)
        return rule_error(rp, "'%s' can't be used on a content that already inspects a sticky buffer", kw);
    const BufferDef *b = buffer_by_list(buffer_list_id(id));
    if (!buffer_set_proto(rp, s, b->proto, kw))
        return false;
    return rule_move(rp, s, sm, list, buffer_list_id(id)) != NULL;
}

void buffer_register_sticky(const char *name, const char *alias, const char *help,
                            bool (*setup)(RuleParseCtx *, Signature *, const char *))
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = name;
    d.alias = alias;
    d.help = help;
    d.flags = KW_NOOPT | KW_STICKY_BUFFER;
    d.setup = setup;
    keyword_register(&d);
}

void buffer_register_modifier(const char *name, const char *help,
                              bool (*setup)(RuleParseCtx *, Signature *, const char *))
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = name;
    d.help = help;
    d.flags = KW_NOOPT | KW_CONTENT_MODIFIER;
    d.setup = setup;
    keyword_register(&d);
}

void keywords_register_buffers(void)
{
    keywords_register_buffers_dns();
    keywords_register_buffers_http();
    keywords_register_buffers_tls();
    keywords_register_buffers_ssh();
    keywords_register_buffers_ftp();
    keywords_register_buffers_smtp();
    keywords_register_buffers_txkw();
    keywords_register_buffers_txkw_tls();
    keywords_register_buffers_http2(); /* after HTTP/1's: `alert http` keeps those lists */
    keywords_register_http2();
    detect_app_init();
}
