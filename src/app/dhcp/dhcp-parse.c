/*
 * One DHCP message from the bytes of a datagram: the BOOTP header of
 * RFC 2131 section 2 (op, htype, hlen, hops, xid, secs, flags, ciaddr,
 * yiaddr, siaddr, giaddr, chaddr, sname, file), the magic cookie, then the
 * RFC 2132 options. Options are code/length/value records ended by END
 * (255); PAD (0) is a single byte (RFC 2132 section 3.1). A record whose
 * length runs past the data, or a message without END, marks the options
 * truncated, as Suricata's parser does; a client identifier (61) shorter
 * than its type byte plus one byte also stops the options as truncated
 * (Suricata's rule), and a time option (51, 58, 59) whose length is not 4
 * is malformed and kept out of the logs. When an Option Overload (52) is
 * present, the `file` field (value 1 or 3) and then the `sname` field
 * (value 2 or 3) are read as further options, in that order (RFC 2131
 * section 4.1). The datagram is copied so options can point into it.
 */
#include "app/dhcp/dhcp.h"

#include <stdlib.h>
#include <string.h>

#include "util/bytes.h"

bool dhcp_probe(const uint8_t *data, uint32_t len)
{
    (void)data;
    return len >= DHCP_MIN_LEN;
}

static bool add_option(DhcpMessage *m, uint8_t code, uint8_t len, uint32_t off)
{
    if (m->opt_count == m->opt_cap) {
        uint32_t cap = m->opt_cap ? m->opt_cap * 2 : 16;
        DhcpOption *n = realloc(m->opts, cap * sizeof(*n));
        if (!n)
            return false;
        m->opts = n;
        m->opt_cap = cap;
    }
    m->opts[m->opt_count++] = (DhcpOption){ .code = code, .len = len, .off = off };
    return true;
}

static bool is_time_option(uint8_t code)
{
    return code == DHCP_OPT_LEASE_TIME || code == DHCP_OPT_RENEWAL_TIME || code == DHCP_OPT_REBINDING_TIME;
}

/* Options in raw[start, start+len). `need_end`: a region without END is
 * truncated (the options field; sname and file may just be full). */
static bool parse_options(DhcpMessage *m, uint32_t start, uint32_t len, bool need_end)
{
    ByteReader r = br_init(m->raw + start, len);
    for (;;) {
        uint8_t code, olen;
        if (!br_u8(&r, &code)) {
            m->truncated_options |= need_end;
            return true;
        }
        if (code == DHCP_OPT_END)
            return add_option(m, code, 0, (uint32_t)(start + r.pos));
        if (code == DHCP_OPT_PAD)
            continue;
        if (!br_u8(&r, &olen)) {
            m->truncated_options = true;
            return true;
        }
        uint32_t off = (uint32_t)(start + r.pos);
        if (!br_skip(&r, olen) || (code == DHCP_OPT_CLIENT_ID && olen < 2)) {
            m->truncated_options = true;
            return true;
        }
        if (is_time_option(code) && olen != 4) {
            m->malformed_options = true;
            continue;
        }
        if (!add_option(m, code, olen, off))
            return false;
    }
}

bool dhcp_message_parse(const uint8_t *data, uint32_t len, DhcpMessage *m)
{
    memset(m, 0, sizeof(*m));
    ByteReader r = br_init(data, len);
    if (!br_has(&r, DHCP_MIN_LEN))
        return false;
    br_u8(&r, &m->op);
    br_u8(&r, &m->htype);
    br_u8(&r, &m->hlen);
    br_u8(&r, &m->hops);
    br_be32(&r, &m->xid);
    br_be16(&r, &m->secs);
    br_be16(&r, &m->flags);
    uint8_t *addrs[] = { m->ciaddr, m->yiaddr, m->siaddr, m->giaddr };
    for (size_t i = 0; i < 4; i++) {
        memcpy(addrs[i], br_cursor(&r), 4);
        br_skip(&r, 4);
    }
    memcpy(m->chaddr, br_cursor(&r), sizeof(m->chaddr));
    m->raw = malloc(len);
    if (!m->raw)
        return false;
    memcpy(m->raw, data, len);
    m->raw_len = len;
    bool ok = parse_options(m, DHCP_MIN_LEN, len - DHCP_MIN_LEN, true);
    const DhcpOption *ov = ok ? dhcp_message_option(m, DHCP_OPT_OVERLOAD) : NULL;
    uint8_t overload = ov && ov->len >= 1 ? m->raw[ov->off] : 0;
    if (ok && (overload & 1))
        ok = parse_options(m, DHCP_FILE_OFFSET, DHCP_FILE_LEN, false);
    if (ok && (overload & 2))
        ok = parse_options(m, DHCP_SNAME_OFFSET, DHCP_SNAME_LEN, false);
    if (!ok) {
        dhcp_message_free(m);
        return false;
    }
    return true;
}

void dhcp_message_free(DhcpMessage *m)
{
    free(m->raw);
    free(m->opts);
    memset(m, 0, sizeof(*m));
}

const DhcpOption *dhcp_message_option(const DhcpMessage *m, uint8_t code)
{
    for (uint32_t i = 0; i < m->opt_count; i++)
        if (m->opts[i].code == code)
            return &m->opts[i];
    return NULL;
}
