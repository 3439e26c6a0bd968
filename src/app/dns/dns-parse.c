/*
 * One DNS message from bytes to a DnsMessage (RFC 1035 section 4.1): the
 * 12-byte header, the question section, then answer, authority and
 * additional resource records with their rdata. Names follow compression
 * pointers anywhere inside the message (forward ones included, as
 * Suricata), with a cap on jumps so a pointer loop ends, a cap on labels and
 * on the decompressed length; those anomalies become flags for the caller's
 * events rather than failures. Every read goes through util/bytes.h.
 */
#include "app/dns/dns.h"

#include <stdlib.h>
#include <string.h>

#include "util/bytes.h"

/* Jumps followed before a name counts as looping. */
#define DNS_MAX_JUMPS 255

typedef struct NameBuf {
    uint8_t buf[DNS_MAX_NAME_LEN];
    uint32_t len;
    bool truncated;
} NameBuf;

static void name_append(NameBuf *nb, const uint8_t *p, uint32_t n)
{
    uint32_t room = DNS_MAX_NAME_LEN - nb->len;
    if (n > room) {
        nb->truncated = true;
        n = room;
    }
    if (n) {
        memcpy(nb->buf + nb->len, p, n);
        nb->len += n;
    }
}

static bool name_store(const NameBuf *nb, DnsName *out)
{
    out->len = nb->len;
    out->truncated = nb->truncated;
    out->s = NULL;
    if (nb->len) {
        out->s = malloc(nb->len);
        if (!out->s)
            return false;
        memcpy(out->s, nb->buf, nb->len);
    }
    return true;
}

/* Reads the name starting at r's cursor (msg is the whole message, for
 * pointers). Advances r past the name as it appears in place. */
static bool parse_name(const uint8_t *msg, size_t msg_len, ByteReader *r, DnsName *out, unsigned *pflags)
{
    NameBuf nb;
    nb.len = 0;
    nb.truncated = false;
    size_t pos = (size_t)(br_cursor(r) - msg);
    size_t resume = 0; /* position after the name in place, once a pointer was taken */
    bool jumped = false;
    unsigned jumps = 0, labels = 0;
    for (;;) {
        if (pos >= msg_len)
            return false;
        uint8_t l = rd_u8(msg + pos);
        if (l == 0) {
            pos++;
            break;
        }
        if ((l & 0xc0) == 0xc0) {
            if (pos + 2 > msg_len)
                return false;
            size_t target = rd_be16(msg + pos) & 0x3fff;
            if (!jumped) {
                resume = pos + 2;
                jumped = true;
            }
            if (++jumps > DNS_MAX_JUMPS) {
                *pflags |= DNS_PF_LOOP;
                break;
            }
            if (target >= msg_len)
                return false;
            pos = target;
            continue;
        }
        if (l & 0xc0)
            return false; /* extended label types are not supported */
        if (pos + 1 + l > msg_len)
            return false;
        if (++labels > DNS_MAX_LABELS)
            *pflags |= DNS_PF_LABELS; /* noted; the name is still read to its end */
        if (nb.len)
            name_append(&nb, (const uint8_t *)".", 1);
        name_append(&nb, msg + pos + 1, l);
        pos += 1 + (size_t)l;
    }
    if (nb.truncated)
        *pflags |= DNS_PF_TRUNCATED;
    size_t end = jumped ? resume : pos;
    size_t start = (size_t)(br_cursor(r) - msg);
    if (end < start || !br_skip(r, end - start))
        return false;
    return name_store(&nb, out);
}

static bool bytes_dup(const uint8_t *p, uint32_t n, DnsBytes *out)
{
    out->len = n;
    out->p = NULL;
    if (n) {
        out->p = malloc(n);
        if (!out->p)
            return false;
        memcpy(out->p, p, n);
    }
    return true;
}

static void rr_free(DnsRr *rr)
{
    free(rr->name.s);
    free(rr->target.s);
    free(rr->rname.s);
    free(rr->raw.p);
    for (uint32_t i = 0; i < rr->txt_count; i++)
        free(rr->txt[i].p);
    free(rr->txt);
    for (uint32_t i = 0; i < rr->opt_count; i++)
        free(rr->opt[i].data.p);
    free(rr->opt);
}

static bool parse_txt(const uint8_t *rd, uint16_t rdlen, DnsRr *rr)
{
    ByteReader t = br_init(rd, rdlen);
    while (br_remaining(&t)) {
        uint8_t n;
        const uint8_t *p;
        if (!br_u8(&t, &n) || !br_bytes(&t, n, &p))
            return false;
        DnsBytes *nt = realloc(rr->txt, (rr->txt_count + 1) * sizeof(*nt));
        if (!nt)
            return false;
        rr->txt = nt;
        if (!bytes_dup(p, n, &rr->txt[rr->txt_count]))
            return false;
        rr->txt_count++;
    }
    return true;
}

static bool parse_opt(const uint8_t *rd, uint16_t rdlen, DnsRr *rr)
{
    ByteReader t = br_init(rd, rdlen);
    while (br_remaining(&t)) {
        uint16_t code, n;
        const uint8_t *p;
        if (!br_be16(&t, &code) || !br_be16(&t, &n) || !br_bytes(&t, n, &p))
            return false;
        DnsOpt *no = realloc(rr->opt, (rr->opt_count + 1) * sizeof(*no));
        if (!no)
            return false;
        rr->opt = no;
        rr->opt[rr->opt_count].code = code;
        if (!bytes_dup(p, n, &rr->opt[rr->opt_count].data))
            return false;
        rr->opt_count++;
    }
    return true;
}

/* rdata of `rr` at r's cursor (rdlen bytes inside msg). */
static bool parse_rdata(const uint8_t *msg, size_t msg_len, const uint8_t *rd, uint16_t rdlen, DnsRr *rr,
                        unsigned *pflags)
{
    /* names in rdata may point anywhere in the message, but are read from
     * the rdata's start */
    ByteReader r = br_init(msg, msg_len);
    br_skip(&r, (size_t)(rd - msg));
    ByteReader t = br_init(rd, rdlen);
    switch (rr->rrtype) {
    case DNS_RR_A:
    case DNS_RR_AAAA:
        rr->kind = DNS_RDATA_ADDR;
        return bytes_dup(rd, rdlen, &rr->raw);
    case DNS_RR_CNAME:
    case DNS_RR_NS:
    case DNS_RR_PTR:
        rr->kind = DNS_RDATA_NAME;
        return parse_name(msg, msg_len, &r, &rr->target, pflags);
    case DNS_RR_MX:
        rr->kind = DNS_RDATA_NAME;
        if (!br_be16(&r, &rr->priority))
            return false;
        return parse_name(msg, msg_len, &r, &rr->target, pflags);
    case DNS_RR_SRV:
        rr->kind = DNS_RDATA_SRV;
        if (!br_be16(&r, &rr->priority) || !br_be16(&r, &rr->weight) || !br_be16(&r, &rr->port))
            return false;
        return parse_name(msg, msg_len, &r, &rr->target, pflags);
    case DNS_RR_SOA:
        rr->kind = DNS_RDATA_SOA;
        if (!parse_name(msg, msg_len, &r, &rr->target, pflags) ||
            !parse_name(msg, msg_len, &r, &rr->rname, pflags))
            return false;
        return br_be32(&r, &rr->serial) && br_be32(&r, &rr->refresh) && br_be32(&r, &rr->retry) &&
               br_be32(&r, &rr->expire) && br_be32(&r, &rr->minimum);
    case DNS_RR_TXT:
        rr->kind = DNS_RDATA_TXT;
        return parse_txt(rd, rdlen, rr);
    case DNS_RR_NULL:
        rr->kind = DNS_RDATA_NULL;
        return bytes_dup(rd, rdlen, &rr->raw);
    case DNS_RR_SSHFP: {
        rr->kind = DNS_RDATA_SSHFP;
        if (!br_u8(&t, &rr->sshfp_algo) || !br_u8(&t, &rr->sshfp_type))
            return false;
        return bytes_dup(br_cursor(&t), (uint32_t)br_remaining(&t), &rr->raw);
    }
    case DNS_RR_OPT:
        rr->kind = DNS_RDATA_OPT;
        return parse_opt(rd, rdlen, rr);
    default:
        rr->kind = DNS_RDATA_RAW;
        return bytes_dup(rd, rdlen, &rr->raw);
    }
}

static bool parse_rr(const uint8_t *msg, size_t msg_len, ByteReader *r, DnsRr *rr, unsigned *pflags)
{
    memset(rr, 0, sizeof(*rr));
    uint16_t rdlen;
    const uint8_t *rd;
    if (!parse_name(msg, msg_len, r, &rr->name, pflags))
        return false;
    if (!br_be16(r, &rr->rrtype) || !br_be16(r, &rr->rrclass) || !br_be32(r, &rr->ttl) || !br_be16(r, &rdlen) ||
        !br_bytes(r, rdlen, &rd))
        return false;
    return parse_rdata(msg, msg_len, rd, rdlen, rr, pflags);
}

/* Parses `count` records into *out; on failure everything parsed so far is
 * freed and *out is empty. */
static bool parse_section(const uint8_t *msg, size_t msg_len, ByteReader *r, uint16_t count, DnsRr **out,
                          uint32_t *n, unsigned *pflags)
{
    *out = NULL;
    *n = 0;
    if (!count)
        return true;
    /* a record takes at least 11 bytes: cap the allocation by what is left */
    size_t cap = count;
    if (cap > br_remaining(r) / 11 + 1)
        cap = br_remaining(r) / 11 + 1;
    DnsRr *rrs = calloc(cap, sizeof(*rrs));
    if (!rrs)
        return false;
    for (uint32_t i = 0; i < count; i++) {
        DnsRr rr;
        bool ok = i < cap && parse_rr(msg, msg_len, r, &rr, pflags);
        if (!ok) {
            if (i < cap)
                rr_free(&rr);
            for (uint32_t k = 0; k < i; k++)
                rr_free(&rrs[k]);
            free(rrs);
            return false;
        }
        rrs[i] = rr;
    }
    *out = rrs;
    *n = count;
    return true;
}

void dns_message_free(DnsMessage *m)
{
    for (uint32_t i = 0; i < m->query_count; i++)
        free(m->queries[i].name.s);
    free(m->queries);
    for (uint32_t i = 0; i < m->answer_count; i++)
        rr_free(&m->answers[i]);
    free(m->answers);
    for (uint32_t i = 0; i < m->authority_count; i++)
        rr_free(&m->authorities[i]);
    free(m->authorities);
    for (uint32_t i = 0; i < m->additional_count; i++)
        rr_free(&m->additionals[i]);
    free(m->additionals);
    memset(m, 0, sizeof(*m));
}

bool dns_message_parse(const uint8_t *msg, size_t len, DnsMessage *m, unsigned *pflags)
{
    memset(m, 0, sizeof(*m));
    *pflags = 0;
    ByteReader r = br_init(msg, len);
    if (!br_be16(&r, &m->id) || !br_be16(&r, &m->flags) || !br_be16(&r, &m->qdcount) ||
        !br_be16(&r, &m->ancount) || !br_be16(&r, &m->nscount) || !br_be16(&r, &m->arcount))
        return false;
    if (m->qdcount) {
        size_t cap = m->qdcount;
        if (cap > br_remaining(&r) / 5 + 1)
            cap = br_remaining(&r) / 5 + 1;
        m->queries = calloc(cap, sizeof(*m->queries));
        if (!m->queries)
            return false;
        for (uint32_t i = 0; i < m->qdcount; i++) {
            DnsQuery *q = i < cap ? &m->queries[i] : NULL;
            if (!q || !parse_name(msg, len, &r, &q->name, pflags) || !br_be16(&r, &q->rrtype) ||
                !br_be16(&r, &q->rrclass)) {
                if (q)
                    free(q->name.s); /* not yet counted in query_count */
                dns_message_free(m);
                return false;
            }
            m->query_count++;
        }
    }
    if (!parse_section(msg, len, &r, m->ancount, &m->answers, &m->answer_count, pflags)) {
        dns_message_free(m);
        return false;
    }
    if (!parse_section(msg, len, &r, m->nscount, &m->authorities, &m->authority_count, pflags)) {
        *pflags |= DNS_PF_BAD_AUTHORITIES;
        return true;
    }
    if (!parse_section(msg, len, &r, m->arcount, &m->additionals, &m->additional_count, pflags))
        *pflags |= DNS_PF_BAD_ADDITIONALS;
    return true;
}

/* Suricata's probe_header_validity: the record counts must fit the
 * length, a message without records must be a bare header, and a request
 * must ask something. */
bool dns_header_valid(const uint8_t *h, size_t dlen, bool *is_response)
{
    size_t n = (size_t)rd_be16(h + 4) + rd_be16(h + 6) + rd_be16(h + 8) + rd_be16(h + 10);
    if (2 * n > dlen)
        return false;
    if (n == 0 && dlen > DNS_HEADER_LEN)
        return false;
    *is_response = (rd_be16(h + 2) & 0x8000) != 0;
    if (!*is_response && rd_be16(h + 4) == 0)
        return false;
    return true;
}

bool dns_probe(const uint8_t *data, size_t len, size_t dlen, bool *is_response)
{
    if (len > dlen)
        len = dlen;
    if (len < DNS_HEADER_LEN)
        return false;
    if (len < dlen)
        return dns_header_valid(data, dlen, is_response);
    DnsMessage m;
    unsigned pf;
    if (!dns_message_parse(data, len, &m, &pf))
        return false;
    dns_message_free(&m);
    return dns_header_valid(data, dlen, is_response);
}

bool dns_probe_tcp(const uint8_t *data, size_t len, bool *is_response)
{
    if (len < 2)
        return false;
    size_t dlen = rd_be16(data);
    return dns_probe(data + 2, len - 2, dlen, is_response);
}
