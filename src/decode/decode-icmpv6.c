/*
 * ICMPv6 (RFC 4443) and the messages registered for it (neighbour discovery
 * RFC 4861, MLD RFC 2710/3810, ...).
 *
 *    0       8       16              31
 *   +-------+-------+---------------+
 *   | Type  | Code  |   Checksum    |
 *   +-------+-------+---------------+
 *   |  message body (id/seq, MTU, pointer, the offending packet, ...)
 *
 * Fewer than 8 bytes is icmpv6.pkt_too_small (invalid). Each known type
 * checks its codes (icmpv6.unknown_code); MLD messages must come with hop
 * limit 1 (icmpv6.mld_message_with_invalid_hl); unknown types are reported
 * by IANA range (icmpv6.unassigned_type, icmpv6.experimentation_type, else
 * icmpv6.unknown_type). Echo request/reply with code 0 carry id and
 * sequence. Errors quote the offending IPv6 packet: its header is checked
 * (icmpv6.ipv6_trunc_pkt, icmpv6.ipv6_unknown_version, both invalid) and its
 * addresses, next header and TCP/UDP ports recorded in p->icmp_emb.
 *
 * Payload, as Suricata sets it: after the 8-byte header for errors and
 * echo; for other messages it starts 4 bytes in and is 12 bytes shorter
 * than the message (Suricata subtracts the 4 bytes from an already 8-byte
 * shortened length).
 */
#include "decode/decode-internal.h"

#include <string.h>

#define ICMPV6_HEADER_LEN 8

#define ICMP6_DST_UNREACH 1
#define ICMP6_PACKET_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_PARAM_PROB 4
#define ICMP6_ECHO_REQUEST 128
#define ICMP6_ECHO_REPLY 129
#define MLD_LISTENER_QUERY 130
#define MLD_LISTENER_REPORT 131
#define MLD_LISTENER_REDUCTION 132
#define ND_ROUTER_SOLICIT 133
#define ND_ROUTER_ADVERT 134
#define ND_NEIGHBOR_SOLICIT 135
#define ND_NEIGHBOR_ADVERT 136
#define ND_REDIRECT 137
#define ICMP6_RR 138
#define ICMP6_NI_QUERY 139
#define ICMP6_NI_REPLY 140
#define ND_INVERSE_SOLICIT 141
#define ND_INVERSE_ADVERT 142
#define MLD_V2_LIST_REPORT 143
#define HOME_AGENT_AD_REQUEST 144
#define HOME_AGENT_AD_REPLY 145
#define MOBILE_PREFIX_SOLICIT 146
#define MOBILE_PREFIX_ADVERT 147
#define CERT_PATH_SOLICIT 148
#define CERT_PATH_ADVERT 149
#define ICMP6_MOBILE_EXPERIMENTAL 150
#define MC_ROUTER_ADVERT 151
#define MC_ROUTER_SOLICIT 152
#define MC_ROUTER_TERMINATE 153
#define FMIPV6_MSG 154
#define RPL_CONTROL_MSG 155
#define LOCATOR_UPDATE_MSG 156
#define DUPL_ADDR_REQUEST 157
#define DUPL_ADDR_CONFIRM 158
#define MPL_CONTROL_MSG 159

static void decode_partial_ipv6(DecodeCtx *c, uint32_t off, uint32_t len)
{
    if (len < IPV6_HEADER_LEN) {
        dc_invalid(c, DEV_ICMPV6_IPV6_TRUNC_PKT);
        return;
    }
    const uint8_t *h = dc_data(c, off);
    if ((h[0] >> 4) != 6) {
        dc_invalid(c, DEV_ICMPV6_IPV6_UNKNOWN_VER);
        return;
    }
    IcmpEmbedded *e = &c->p->icmp_emb;
    e->valid = true;
    e->off = off;
    e->proto = h[6];
    e->src.family = 6;
    memcpy(e->src.addr, h + 8, 16);
    e->dst.family = 6;
    memcpy(e->dst.addr, h + 24, 16);
    if (e->proto == IPPROTO_NUM_TCP && len >= IPV6_HEADER_LEN + TCP_HEADER_LEN) {
        e->sp = rd_be16(h + IPV6_HEADER_LEN);
        e->dp = rd_be16(h + IPV6_HEADER_LEN + 2);
        e->has_ports = true;
    } else if (e->proto == IPPROTO_NUM_UDP && len >= IPV6_HEADER_LEN + UDP_HEADER_LEN) {
        e->sp = rd_be16(h + IPV6_HEADER_LEN);
        e->dp = rd_be16(h + IPV6_HEADER_LEN + 2);
        e->has_ports = true;
    }
}

/* Largest valid code per type, -1 for "any code" (no check). */
static int max_code(uint8_t type)
{
    switch (type) {
    case ICMP6_DST_UNREACH:
        return 6;
    case ICMP6_TIME_EXCEEDED:
        return 1;
    case ICMP6_PARAM_PROB:
        return 2;
    case ICMP6_NI_QUERY:
    case ICMP6_NI_REPLY:
        return 2;
    case ICMP6_MOBILE_EXPERIMENTAL:
    case MC_ROUTER_ADVERT:
    case MC_ROUTER_SOLICIT:
    case MC_ROUTER_TERMINATE:
        return -1;
    default:
        return 0;
    }
}

static bool known_type(uint8_t type)
{
    return (type >= ICMP6_DST_UNREACH && type <= ICMP6_PARAM_PROB) ||
           (type >= ICMP6_ECHO_REQUEST && type <= MPL_CONTROL_MSG);
}

int decode_icmpv6(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    dc_count(c, CTR_DECODER_ICMPV6);
    if (len < ICMPV6_HEADER_LEN) {
        dc_invalid(c, DEV_ICMPV6_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    const uint8_t *h = dc_data(c, off);
    uint8_t type = h[0], code = h[1];
    p->proto = IPPROTO_NUM_ICMPV6;
    p->icmp_type = type;
    p->icmp_code = code;
    p->l4_off = off;
    p->l4_len = len;
    memset(&p->icmp_emb, 0, sizeof(p->icmp_emb));
    bool full_hdr = false;

    if (!known_type(type)) {
        if (type > 4 && type < 100)
            dc_event(c, DEV_ICMPV6_UNASSIGNED_TYPE);
        else if (type >= 100 && type < 102)
            dc_event(c, DEV_ICMPV6_EXPERIMENTATION_TYPE);
        else if (type >= 102 && type < 127)
            dc_event(c, DEV_ICMPV6_UNASSIGNED_TYPE);
        else if (type >= 160 && type < 200)
            dc_event(c, DEV_ICMPV6_UNASSIGNED_TYPE);
        else if (type >= 200 && type < 202)
            dc_event(c, DEV_ICMPV6_EXPERIMENTATION_TYPE);
        else if (type >= 202)
            dc_event(c, DEV_ICMPV6_UNASSIGNED_TYPE);
        else
            dc_event(c, DEV_ICMPV6_UNKNOWN_TYPE);
    } else if (type == ICMP6_RR) {
        if (code > 2 && code != 255)
            dc_event(c, DEV_ICMPV6_UNKNOWN_CODE);
    } else if (type == RPL_CONTROL_MSG) {
        if ((code > 3 && code < 128) || code > 132)
            dc_event(c, DEV_ICMPV6_UNKNOWN_CODE);
    } else {
        int mc = max_code(type);
        bool code_ok = mc < 0 || code <= mc;
        if (!code_ok)
            dc_event(c, DEV_ICMPV6_UNKNOWN_CODE);
        switch (type) {
        case ICMP6_DST_UNREACH:
        case ICMP6_PACKET_TOO_BIG:
        case ICMP6_TIME_EXCEEDED:
        case ICMP6_PARAM_PROB:
            if (code_ok) {
                if (len > ICMPV6_HEADER_LEN + 65535)
                    return DECODE_FAILED;
                decode_partial_ipv6(c, off + ICMPV6_HEADER_LEN, len - ICMPV6_HEADER_LEN);
                full_hdr = true;
            }
            break;
        case ICMP6_ECHO_REQUEST:
        case ICMP6_ECHO_REPLY:
            if (code_ok) {
                p->icmp_id = rd_be16(h + 4);
                p->icmp_seq = rd_be16(h + 6);
                p->has_icmp_id = true;
                full_hdr = true;
            }
            break;
        case MLD_LISTENER_QUERY:
        case MLD_LISTENER_REPORT:
        case MLD_LISTENER_REDUCTION:
            if (p->ip_version == 6 && p->ip6.hop_limit != 1)
                dc_event(c, DEV_ICMPV6_MLD_MESSAGE_WITH_INVALID_HL);
            break;
        default:
            break;
        }
    }

    uint32_t plen = len - ICMPV6_HEADER_LEN;
    if (full_hdr) {
        p->payload_off = off + ICMPV6_HEADER_LEN;
        p->payload_len = plen;
    } else if (plen >= 4) {
        p->payload_off = off + 4;
        p->payload_len = plen - 4;
    } else {
        p->payload_off = off + len;
        p->payload_len = 0;
    }
    p->flow_ok = true;
    return DECODE_OK;
}
