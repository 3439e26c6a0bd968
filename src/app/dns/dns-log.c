/*
 * The EVE `dns` object. Version 3 (Suricata 8's default) logs one record
 * per transaction: header flags, queries, then answers in the "detailed"
 * form (one object per record; one per string for TXT) and/or "grouped"
 * (rdata by record type), authorities and additionals (OPT records without
 * options left out). Version 2 logs a request as one "query" record per
 * question and a response as one "answer" record. The `types` filter keeps
 * only queries of the listed record types. Byte strings are printed the way
 * Suricata's JsonBuilder does: ASCII as is, other bytes as \xNN.
 */
#include "app/dns/dns.h"

#include <stdio.h>
#include <string.h>

void dns_log_config_default(DnsLogConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->version = 3;
    cfg->requests = cfg->responses = true;
    cfg->detailed = cfg->grouped = true;
    cfg->all_types = true;
}

static bool type_enabled(const DnsLogConfig *cfg, uint16_t t)
{
    if (cfg->all_types)
        return true;
    return t < 128 && (cfg->types[t / 64] & (1ull << (t % 64)));
}

static void put_bytes(JsonBuf *j, const char *key, const uint8_t *p, uint32_t n)
{
    char small[512];
    char *out = small;
    size_t need = (size_t)n * 4 + 1;
    JsonBuf tmp;
    bool heap = need > sizeof(small);
    if (heap) {
        jb_init(&tmp);
        for (uint32_t i = 0; i < n; i++) {
            char b[5];
            if (p[i] < 0x80) {
                b[0] = (char)p[i];
                jb_append(&tmp, b, 1);
            } else {
                snprintf(b, sizeof(b), "\\x%02x", p[i]);
                jb_append(&tmp, b, 4);
            }
        }
        jb_strn(j, key, (const uint8_t *)(tmp.buf ? tmp.buf : ""), tmp.len);
        jb_free(&tmp);
        return;
    }
    size_t k = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (p[i] < 0x80)
            out[k++] = (char)p[i];
        else
            k += (size_t)snprintf(out + k, 5, "\\x%02x", p[i]);
    }
    jb_strn(j, key, (const uint8_t *)out, k);
}

static void put_name(JsonBuf *j, const char *key, const DnsName *n)
{
    put_bytes(j, key, n->s, n->len);
}

static const char *addr_str(const DnsBytes *b, char *buf, size_t size)
{
    const uint8_t *a = b->p;
    if (b->len == 4) {
        snprintf(buf, size, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    } else if (b->len == 16) {
        size_t k = 0;
        for (int i = 0; i < 16; i += 2)
            k += (size_t)snprintf(buf + k, size - k, "%s%02x%02x", i ? ":" : "", a[i], a[i + 1]);
    } else {
        buf[0] = 0;
    }
    return buf;
}

static void hex_str(JsonBuf *j, const char *key, const DnsBytes *b, const char *sep)
{
    JsonBuf tmp;
    jb_init(&tmp);
    for (uint32_t i = 0; i < b->len; i++) {
        char h[4];
        if (i && sep)
            jb_append(&tmp, sep, strlen(sep));
        snprintf(h, sizeof(h), "%02x", b->p[i]);
        jb_append(&tmp, h, 2);
    }
    jb_strn(j, key, (const uint8_t *)(tmp.buf ? tmp.buf : ""), tmp.len);
    jb_free(&tmp);
}

static void soa_object(JsonBuf *j, const char *key, const DnsRr *rr)
{
    jb_open_object(j, key);
    put_name(j, "mname", &rr->target);
    if (rr->target.truncated)
        jb_bool(j, "mname_truncated", true);
    put_name(j, "rname", &rr->rname);
    if (rr->rname.truncated)
        jb_bool(j, "rname_truncated", true);
    jb_uint(j, "serial", rr->serial);
    jb_uint(j, "refresh", rr->refresh);
    jb_uint(j, "retry", rr->retry);
    jb_uint(j, "expire", rr->expire);
    jb_uint(j, "minimum", rr->minimum);
    jb_close_object(j);
}

static void sshfp_object(JsonBuf *j, const char *key, const DnsRr *rr)
{
    jb_open_object(j, key);
    hex_str(j, "fingerprint", &rr->raw, ":");
    jb_uint(j, "algo", rr->sshfp_algo);
    jb_uint(j, "type", rr->sshfp_type);
    jb_close_object(j);
}

static void srv_object(JsonBuf *j, const char *key, const DnsRr *rr)
{
    jb_open_object(j, key);
    jb_uint(j, "priority", rr->priority);
    jb_uint(j, "weight", rr->weight);
    jb_uint(j, "port", rr->port);
    put_name(j, "name", &rr->target);
    jb_close_object(j);
}

/* One detailed record; `txt` picks the TXT string. */
static void rr_detail(JsonBuf *j, const DnsRr *rr, uint32_t txt)
{
    char tb[16], ab[64];
    jb_open_object(j, NULL);
    put_name(j, "rrname", &rr->name);
    if (rr->name.truncated)
        jb_bool(j, "rrname_truncated", true);
    jb_str(j, "rrtype", dns_rrtype_name(rr->rrtype, tb, sizeof(tb)));
    jb_uint(j, "ttl", rr->ttl);
    switch (rr->kind) {
    case DNS_RDATA_ADDR:
        jb_str(j, "rdata", addr_str(&rr->raw, ab, sizeof(ab)));
        break;
    case DNS_RDATA_NAME:
        put_name(j, "rdata", &rr->target);
        if (rr->target.truncated)
            jb_bool(j, "rdata_truncated", true);
        break;
    case DNS_RDATA_TXT:
        if (txt < rr->txt_count)
            put_bytes(j, "rdata", rr->txt[txt].p, rr->txt[txt].len);
        break;
    case DNS_RDATA_NULL:
        put_bytes(j, "rdata", rr->raw.p, rr->raw.len);
        break;
    case DNS_RDATA_SOA:
        soa_object(j, "soa", rr);
        break;
    case DNS_RDATA_SSHFP:
        sshfp_object(j, "sshfp", rr);
        break;
    case DNS_RDATA_SRV:
        srv_object(j, "srv", rr);
        break;
    case DNS_RDATA_OPT:
        jb_open_array(j, "opt");
        for (uint32_t i = 0; i < rr->opt_count; i++) {
            jb_open_object(j, NULL);
            jb_uint(j, "code", rr->opt[i].code);
            hex_str(j, "data", &rr->opt[i].data, NULL);
            jb_close_object(j);
        }
        jb_close_array(j);
        break;
    case DNS_RDATA_RAW:
        break;
    }
    jb_close_object(j);
}

/* All detailed entries of a section (TXT: one per string). */
static void rr_list(JsonBuf *j, const char *key, const DnsRr *rrs, uint32_t n, bool skip_empty_opt)
{
    bool open = false;
    for (uint32_t i = 0; i < n; i++) {
        const DnsRr *rr = &rrs[i];
        if (skip_empty_opt && rr->kind == DNS_RDATA_OPT && rr->opt_count == 0)
            continue;
        if (!open) {
            jb_open_array(j, key);
            open = true;
        }
        if (rr->kind == DNS_RDATA_TXT) {
            for (uint32_t t = 0; t < rr->txt_count; t++)
                rr_detail(j, rr, t);
        } else {
            rr_detail(j, rr, 0);
        }
    }
    if (open)
        jb_close_array(j);
}

static bool groupable(const DnsRr *rr)
{
    return rr->kind != DNS_RDATA_OPT && rr->kind != DNS_RDATA_RAW;
}

/* The "grouped" object: per record type (in order of first appearance) the
 * rdata values of the answers. */
static void grouped(JsonBuf *j, const DnsMessage *m)
{
    char ab[64], tb[16];
    jb_open_object(j, "grouped");
    for (uint32_t i = 0; i < m->answer_count; i++) {
        const DnsRr *first = &m->answers[i];
        if (!groupable(first))
            continue;
        bool seen = false;
        for (uint32_t k = 0; k < i && !seen; k++)
            seen = groupable(&m->answers[k]) && m->answers[k].rrtype == first->rrtype;
        if (seen)
            continue;
        jb_open_array(j, dns_rrtype_name(first->rrtype, tb, sizeof(tb)));
        for (uint32_t k = i; k < m->answer_count; k++) {
            const DnsRr *rr = &m->answers[k];
            if (rr->rrtype != first->rrtype || !groupable(rr))
                continue;
            switch (rr->kind) {
            case DNS_RDATA_ADDR:
                jb_str(j, NULL, addr_str(&rr->raw, ab, sizeof(ab)));
                break;
            case DNS_RDATA_NAME:
                put_name(j, NULL, &rr->target);
                break;
            case DNS_RDATA_TXT:
                for (uint32_t t = 0; t < rr->txt_count; t++)
                    put_bytes(j, NULL, rr->txt[t].p, rr->txt[t].len);
                break;
            case DNS_RDATA_NULL:
                put_bytes(j, NULL, rr->raw.p, rr->raw.len);
                break;
            case DNS_RDATA_SOA:
                soa_object(j, NULL, rr);
                break;
            case DNS_RDATA_SSHFP:
                sshfp_object(j, NULL, rr);
                break;
            case DNS_RDATA_SRV:
                srv_object(j, NULL, rr);
                break;
            default:
                break;
            }
        }
        jb_close_array(j);
    }
    jb_close_object(j);
}

static void header_flags(JsonBuf *j, uint16_t flags)
{
    char hex[8];
    snprintf(hex, sizeof(hex), "%x", flags);
    jb_str(j, "flags", hex);
    if (flags & 0x8000)
        jb_bool(j, "qr", true);
    if (flags & 0x0400)
        jb_bool(j, "aa", true);
    if (flags & 0x0200)
        jb_bool(j, "tc", true);
    if (flags & 0x0100)
        jb_bool(j, "rd", true);
    if (flags & 0x0080)
        jb_bool(j, "ra", true);
    if (flags & 0x0040)
        jb_bool(j, "z", true);
}

static void answers(JsonBuf *j, const DnsMessage *m, const DnsLogConfig *cfg)
{
    if (!m->answer_count)
        return;
    if (cfg->detailed)
        rr_list(j, "answers", m->answers, m->answer_count, false);
    if (cfg->grouped)
        grouped(j, m);
}

static void log_v3(JsonBuf *j, const DnsTx *tx, const DnsLogConfig *cfg)
{
    const DnsMessage *m = dns_tx_message(tx);
    char tb[16], rb[16];
    jb_open_object(j, "dns");
    jb_uint(j, "version", 3);
    jb_str(j, "type", dns_tx_is_request(tx) ? "request" : "response");
    jb_uint(j, "tx_id", dns_tx_id(tx));
    jb_uint(j, "id", m->id);
    header_flags(j, m->flags);
    jb_uint(j, "opcode", (m->flags >> 11) & 0xf);
    jb_str(j, "rcode", dns_rcode_name(m->flags, rb, sizeof(rb)));
    if (m->query_count) {
        jb_open_array(j, "queries");
        for (uint32_t i = 0; i < m->query_count; i++) {
            const DnsQuery *q = &m->queries[i];
            if (!type_enabled(cfg, q->rrtype))
                continue;
            jb_open_object(j, NULL);
            put_name(j, "rrname", &q->name);
            jb_str(j, "rrtype", dns_rrtype_name(q->rrtype, tb, sizeof(tb)));
            if (q->name.truncated)
                jb_bool(j, "rrname_truncated", true);
            jb_close_object(j);
        }
        jb_close_array(j);
    }
    answers(j, m, cfg);
    if (m->authority_count)
        rr_list(j, "authorities", m->authorities, m->authority_count, false);
    if (m->additional_count)
        rr_list(j, "additionals", m->additionals, m->additional_count, true);
    jb_close_object(j);
}

static void log_v2_answer(JsonBuf *j, const DnsTx *tx, const DnsLogConfig *cfg)
{
    const DnsMessage *m = dns_tx_message(tx);
    char tb[16], rb[16];
    jb_open_object(j, "dns");
    jb_uint(j, "version", 2);
    jb_str(j, "type", "answer");
    jb_uint(j, "id", m->id);
    header_flags(j, m->flags);
    jb_uint(j, "opcode", (m->flags >> 11) & 0xf);
    if (m->query_count) {
        put_name(j, "rrname", &m->queries[0].name);
        if (m->queries[0].name.truncated)
            jb_bool(j, "rrname_truncated", true);
        jb_str(j, "rrtype", dns_rrtype_name(m->queries[0].rrtype, tb, sizeof(tb)));
    }
    jb_str(j, "rcode", dns_rcode_name(m->flags, rb, sizeof(rb)));
    answers(j, m, cfg);
    if (m->authority_count)
        rr_list(j, "authorities", m->authorities, m->authority_count, false);
    if (m->additional_count)
        rr_list(j, "additionals", m->additionals, m->additional_count, true);
    jb_close_object(j);
}

static void log_v2_query(JsonBuf *j, const DnsTx *tx, const DnsQuery *q)
{
    const DnsMessage *m = dns_tx_message(tx);
    char tb[16];
    jb_open_object(j, "dns");
    jb_uint(j, "version", 2);
    jb_str(j, "type", "query");
    jb_uint(j, "id", m->id);
    put_name(j, "rrname", &q->name);
    if (q->name.truncated)
        jb_bool(j, "rrname_truncated", true);
    jb_str(j, "rrtype", dns_rrtype_name(q->rrtype, tb, sizeof(tb)));
    jb_uint(j, "tx_id", dns_tx_id(tx));
    if (m->flags & 0x0040)
        jb_bool(j, "z", true);
    jb_uint(j, "opcode", (m->flags >> 11) & 0xf);
    jb_close_object(j);
}

bool dns_log_wanted(const DnsTx *tx, const DnsLogConfig *cfg)
{
    const DnsMessage *m = dns_tx_message(tx);
    if (dns_tx_is_request(tx) ? !cfg->requests : !cfg->responses)
        return false;
    if (cfg->version == 2 && !dns_tx_is_request(tx)) {
        for (uint32_t i = 0; i < m->query_count; i++)
            if (type_enabled(cfg, m->queries[i].rrtype))
                return true;
        return false;
    }
    if (cfg->all_types)
        return true;
    for (uint32_t i = 0; i < m->query_count; i++)
        if (type_enabled(cfg, m->queries[i].rrtype))
            return true;
    for (uint32_t i = 0; i < m->answer_count; i++)
        if (type_enabled(cfg, m->answers[i].rrtype))
            return true;
    return false;
}

uint32_t dns_log_part_count(const DnsTx *tx, const DnsLogConfig *cfg)
{
    if (!dns_log_wanted(tx, cfg))
        return 0;
    if (cfg->version == 2 && dns_tx_is_request(tx))
        return dns_tx_message(tx)->query_count;
    return 1;
}

bool dns_log_tx_part(JsonBuf *j, const DnsTx *tx, const DnsLogConfig *cfg, uint32_t part)
{
    if (part >= dns_log_part_count(tx, cfg))
        return false;
    if (cfg->version == 2) {
        if (dns_tx_is_request(tx)) {
            const DnsQuery *q = &dns_tx_message(tx)->queries[part];
            if (!type_enabled(cfg, q->rrtype))
                return false;
            log_v2_query(j, tx, q);
        } else {
            log_v2_answer(j, tx, cfg);
        }
        return true;
    }
    log_v3(j, tx, cfg);
    return true;
}

bool dns_log_tx(JsonBuf *j, const DnsTx *tx, const DnsLogConfig *cfg)
{
    return dns_log_tx_part(j, tx, cfg, 0);
}
