/*
 * Packet life cycle (allocation, taking a copy of the captured bytes,
 * resetting for reuse), the anomaly list carried on a packet, and the text
 * forms EVE needs: `pkt_src` names, link type names and addresses.
 *
 * Addresses are written the way Suricata 8 writes src_ip/dest_ip: IPv4 in
 * dotted quad, IPv6 in the full, uncompressed form with every group as four
 * lower-case hex digits ("2001:0db8:0000:0000:0000:0000:0000:0010"); the
 * compressed RFC 5952 form only arrives with Suricata 9's opt-in
 * `ipv6-compress` setting.
 */
#include "decode/packet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

Packet *packet_new(void)
{
    return calloc(1, sizeof(Packet));
}

void packet_free(Packet *p)
{
    if (p == NULL)
        return;
    free(p->buf);
    free(p);
}

/* Clears everything but the buffer allocation. */
static void packet_clear_all(Packet *p)
{
    uint8_t *buf = p->buf;
    uint32_t cap = p->buf_cap;
    memset(p, 0, sizeof(*p));
    p->buf = buf;
    p->buf_cap = cap;
}

/* Buffer size kept between uses (an Ethernet frame with a few tags). */
#define PACKET_BUF_KEEP 2048u

void packet_set_data(Packet *p, const uint8_t *data, uint32_t len)
{
    packet_clear_all(p);
    if (p->buf_cap > PACKET_BUF_KEEP && len <= PACKET_BUF_KEEP) {
        /* a big frame's buffer is not kept for the small ones that follow:
         * the offline reader keeps tens of thousands of packets in flight */
        uint8_t *nb = realloc(p->buf, PACKET_BUF_KEEP);
        if (nb != NULL) {
            p->buf = nb;
            p->buf_cap = PACKET_BUF_KEEP;
        }
    }
    if (len > p->buf_cap) {
        uint8_t *nb = realloc(p->buf, len);
        if (nb == NULL) {
            /* keep the old buffer: the packet is empty rather than broken */
            p->len = 0;
            return;
        }
        p->buf = nb;
        p->buf_cap = len;
    }
    if (len > 0 && data != NULL)
        memcpy(p->buf, data, len);
    p->len = data != NULL ? len : 0;
    p->wire_len = p->len;
}

void packet_reset(Packet *p)
{
    Packet keep = *p;
    packet_clear_all(p);
    p->len = keep.len;
    p->wire_len = keep.wire_len;
    p->datalink = keep.datalink;
    p->ts = keep.ts;
    p->pcap_cnt = keep.pcap_cnt;
    p->src = keep.src;
    p->root = keep.root;
    p->tunnel_depth = keep.tunnel_depth;
}

bool packet_add_event(Packet *p, DecodeEvent ev)
{
    if ((unsigned)ev >= DEV_MAX || p->event_count >= PACKET_MAX_EVENTS)
        return false;
    p->events[p->event_count++] = (uint16_t)ev;
    return true;
}

bool packet_has_event(const Packet *p, DecodeEvent ev)
{
    for (uint8_t i = 0; i < p->event_count; i++) {
        if (p->events[i] == (uint16_t)ev)
            return true;
    }
    return false;
}

const char *packet_source_name(PacketSource src)
{
    switch (src) {
    case PKT_SRC_WIRE:
        return "wire/pcap";
    case PKT_SRC_DECODER_GRE:
        return "gre tunnel";
    case PKT_SRC_DECODER_IPV4:
        return "ipv4 tunnel";
    case PKT_SRC_DECODER_IPV6:
        return "ipv6 tunnel";
    case PKT_SRC_DECODER_TEREDO:
        return "teredo tunnel";
    case PKT_SRC_DEFRAG:
        return "defrag";
    case PKT_SRC_STREAM_TCP_DETECTLOG_FLUSH:
        return "stream (detect/log)";
    case PKT_SRC_FFR:
        return "stream (flow timeout)";
    case PKT_SRC_DECODER_VXLAN:
        return "vxlan encapsulation";
    case PKT_SRC_DECODER_GENEVE:
        return "geneve encapsulation";
    case PKT_SRC_SHUTDOWN_FLUSH:
        return "shutdown flush";
    }
    return "unknown";
}

bool address_equal(const Address *a, const Address *b)
{
    if (a->family != b->family)
        return false;
    if (a->family == 4)
        return memcmp(a->addr, b->addr, 4) == 0;
    if (a->family == 6)
        return memcmp(a->addr, b->addr, 16) == 0;
    return true;
}

/* Appends the decimal form of v (0-255) at p; returns the new end. */
static char *put_octet(char *p, unsigned v)
{
    if (v >= 100)
        *p++ = (char)('0' + v / 100);
    if (v >= 10)
        *p++ = (char)('0' + v / 10 % 10);
    *p++ = (char)('0' + v % 10);
    return p;
}

/* Formats into `out` (at least 40 bytes); returns the length. */
static size_t address_format_full(const Address *a, char *out)
{
    static const char hex[] = "0123456789abcdef";
    char *p = out;
    if (a->family == 4) {
        for (int i = 0; i < 4; i++) {
            if (i)
                *p++ = '.';
            p = put_octet(p, a->addr[i]);
        }
    } else if (a->family == 6) {
        /* Suricata writes IPv6 in full: eight groups of four hex digits */
        for (int i = 0; i < 16; i++) {
            if (i && i % 2 == 0)
                *p++ = ':';
            *p++ = hex[a->addr[i] >> 4];
            *p++ = hex[a->addr[i] & 0xf];
        }
    }
    *p = '\0';
    return (size_t)(p - out);
}

const char *address_format(const Address *a, char *buf, unsigned size)
{
    if (buf == NULL || size == 0)
        return "";
    if (size >= 40) {
        address_format_full(a, buf);
        return buf;
    }
    /* a short buffer gets a truncated, terminated copy, as snprintf would */
    char full[48];
    size_t n = address_format_full(a, full);
    if (n >= size)
        n = size - 1;
    memcpy(buf, full, n);
    buf[n] = '\0';
    return buf;
}

/* The names Suricata 8's datalink table gives the link types it decodes
 * (EVE `packet_info.linktype_name`); NULL for the others, which it leaves
 * unnamed. */
const char *packet_linktype_name(int datalink)
{
    switch (datalink) {
    case LINKTYPE_NULL:
        return "NULL";
    case LINKTYPE_ETHERNET:
        return "EN10MB";
    case LINKTYPE_LINUX_SLL:
        return "LINUX_SLL";
    case LINKTYPE_LINUX_SLL2:
        return "LINUX_SLL2";
    case LINKTYPE_PPP:
        return "PPP";
    case LINKTYPE_RAW:
        return "RAW";
    case LINKTYPE_RAW_LINKTYPE:
        return "RAW2";
    case LINKTYPE_GRE_OVER_IP:
        return "GRE_RAW";
    case LINKTYPE_CISCO_HDLC:
        return "C_HDLC";
    case LINKTYPE_IPV4:
        return "IPv4";
    case LINKTYPE_IPV6:
        return "IPv6";
    }
    return NULL;
}
