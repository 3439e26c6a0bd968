/*
 * DNS names and rule buffers: the record-type and response-code spellings
 * Suricata prints in EVE and accepts in rules (its DNSRecordType and
 * DNSRcode lists; anything else is printed as the number: Suricata 8.0
 * names HTTPS (65) but not SVCB (64), which it prints as "64"), and the getters
 * the detection engine uses for dns.query, dns.queries.rrname,
 * dns.answers.rrname, dns.opcode, dns.rcode and dns.rrtype.
 */
#include "app/dns/dns.h"

#include <stdio.h>
#include <strings.h>

static const struct {
    uint16_t t;
    const char *name;
} rrtypes[] = {
    { 1, "A" }, { 2, "NS" }, { 3, "MD" }, { 4, "MF" }, { 5, "CNAME" }, { 6, "SOA" }, { 7, "MB" },
    { 8, "MG" }, { 9, "MR" }, { 10, "NULL" }, { 11, "WKS" }, { 12, "PTR" }, { 13, "HINFO" },
    { 14, "MINFO" }, { 15, "MX" }, { 16, "TXT" }, { 17, "RP" }, { 18, "AFSDB" }, { 19, "X25" },
    { 20, "ISDN" }, { 21, "RT" }, { 22, "NSAP" }, { 23, "NSAPPTR" }, { 24, "SIG" }, { 25, "KEY" },
    { 26, "PX" }, { 27, "GPOS" }, { 28, "AAAA" }, { 29, "LOC" }, { 30, "NXT" }, { 33, "SRV" },
    { 34, "ATMA" }, { 35, "NAPTR" }, { 36, "KX" }, { 37, "CERT" }, { 38, "A6" }, { 39, "DNAME" },
    { 41, "OPT" }, { 42, "APL" }, { 43, "DS" }, { 44, "SSHFP" }, { 45, "IPSECKEY" }, { 46, "RRSIG" },
    { 47, "NSEC" }, { 48, "DNSKEY" }, { 49, "DHCID" }, { 50, "NSEC3" }, { 51, "NSEC3PARAM" },
    { 52, "TLSA" }, { 55, "HIP" }, { 59, "CDS" }, { 60, "CDNSKEY" }, { 65, "HTTPS" }, { 99, "SPF" },
    { 249, "TKEY" }, { 250, "TSIG" }, { 254, "MAILA" }, { 255, "ANY" }, { 256, "URI" },
};

static const char *const rcodes[] = {
    "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN", "YXRRSET",
    "NXRRSET", "NOTAUTH", "NOTZONE",
};

const char *dns_rrtype_name(uint16_t t, char *buf, size_t size)
{
    for (size_t i = 0; i < sizeof(rrtypes) / sizeof(rrtypes[0]); i++)
        if (rrtypes[i].t == t)
            return rrtypes[i].name;
    snprintf(buf, size, "%u", t);
    return buf;
}

int dns_rrtype_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof(rrtypes) / sizeof(rrtypes[0]); i++)
        if (strcasecmp(rrtypes[i].name, name) == 0)
            return rrtypes[i].t;
    return -1;
}

const char *dns_rcode_name(uint16_t flags, char *buf, size_t size)
{
    unsigned rc = flags & 0xf;
    if (rc < sizeof(rcodes) / sizeof(rcodes[0]))
        return rcodes[rc];
    snprintf(buf, size, "%u", rc);
    return buf;
}

uint8_t dns_tx_opcode(const DnsTx *tx) { return (uint8_t)((dns_tx_message(tx)->flags >> 11) & 0xf); }
uint8_t dns_tx_rcode(const DnsTx *tx) { return (uint8_t)(dns_tx_message(tx)->flags & 0xf); }
uint16_t dns_tx_flags(const DnsTx *tx) { return dns_tx_message(tx)->flags; }
uint16_t dns_tx_wire_id(const DnsTx *tx) { return dns_tx_message(tx)->id; }

static bool name_out(const DnsName *n, const uint8_t **p, uint32_t *len)
{
    *p = n->s ? n->s : (const uint8_t *)"";
    *len = n->len;
    return true;
}

bool dns_tx_query_name(const DnsTx *tx, uint32_t idx, const uint8_t **p, uint32_t *len)
{
    const DnsMessage *m = dns_tx_message(tx);
    return idx < m->query_count && name_out(&m->queries[idx].name, p, len);
}

bool dns_tx_query_rrtype(const DnsTx *tx, uint32_t idx, uint16_t *rrtype)
{
    const DnsMessage *m = dns_tx_message(tx);
    if (idx >= m->query_count)
        return false;
    *rrtype = m->queries[idx].rrtype;
    return true;
}

bool dns_tx_answer_name(const DnsTx *tx, uint32_t idx, const uint8_t **p, uint32_t *len)
{
    const DnsMessage *m = dns_tx_message(tx);
    return idx < m->answer_count && name_out(&m->answers[idx].name, p, len);
}

bool dns_tx_authority_name(const DnsTx *tx, uint32_t idx, const uint8_t **p, uint32_t *len)
{
    const DnsMessage *m = dns_tx_message(tx);
    return idx < m->authority_count && name_out(&m->authorities[idx].name, p, len);
}

bool dns_tx_additional_name(const DnsTx *tx, uint32_t idx, const uint8_t **p, uint32_t *len)
{
    const DnsMessage *m = dns_tx_message(tx);
    return idx < m->additional_count && name_out(&m->additionals[idx].name, p, len);
}

bool dns_tx_answer_rrtype(const DnsTx *tx, uint32_t idx, uint16_t *rrtype)
{
    const DnsMessage *m = dns_tx_message(tx);
    if (idx >= m->answer_count)
        return false;
    *rrtype = m->answers[idx].rrtype;
    return true;
}

/* Names of one section in order: each owner name, then its name rdata. */
static bool section_name(const DnsRr *rrs, uint32_t n, uint32_t *idx, const uint8_t **p, uint32_t *len)
{
    for (uint32_t i = 0; i < n; i++) {
        if ((*idx)-- == 0)
            return name_out(&rrs[i].name, p, len);
        bool has_target = rrs[i].kind == DNS_RDATA_NAME || rrs[i].kind == DNS_RDATA_SOA ||
                          rrs[i].kind == DNS_RDATA_SRV;
        if (has_target && (*idx)-- == 0)
            return name_out(&rrs[i].target, p, len);
    }
    return false;
}

bool dns_tx_response_name(const DnsTx *tx, uint32_t idx, const uint8_t **p, uint32_t *len)
{
    const DnsMessage *m = dns_tx_message(tx);
    if (idx < m->query_count)
        return name_out(&m->queries[idx].name, p, len);
    idx -= m->query_count;
    return section_name(m->answers, m->answer_count, &idx, p, len) ||
           section_name(m->authorities, m->authority_count, &idx, p, len) ||
           section_name(m->additionals, m->additional_count, &idx, p, len);
}
