/*
 * TCP header and options (RFC 9293).
 *
 *    0                   16                  31
 *   +-------------------+-------------------+
 *   |    Source Port    | Destination Port  |
 *   +-------------------+-------------------+
 *   |            Sequence Number            |
 *   |         Acknowledgment Number         |
 *   +----+----+---------+-------------------+
 *   |Off |Rsvd|  Flags  |      Window       |
 *   +----+----+---------+-------------------+
 *   |     Checksum      |  Urgent Pointer   |
 *   +-------------------+-------------------+
 *   |       Options (Off > 5) ...           |
 *
 * Less than 20 bytes is tcp.pkt_too_small, a data offset past the segment
 * tcp.hlen_too_small, more than 40 bytes of options tcp.invalid_optlen: each
 * makes the packet invalid and leaves it without a TCP layer. Options are
 * read as Suricata reads them: an option length below 2 or past the options
 * area stops the walk (tcp.opt_invalid_len, invalid); MSS (RFC 9293),
 * window scale (RFC 7323, values above 14 read as 0), SACK-permitted and
 * SACK (RFC 2018), timestamps (RFC 7323), Fast Open (RFC 7413, also its
 * experimental 253/254 form), MD5 (RFC 2385) and TCP-AO (RFC 5925) are
 * recorded; a wrong length for one of them raises tcp.opt_invalid_len (the
 * packet stays valid except for MD5 and AO) and a repeat tcp.opt_duplicate.
 * SYN, SYN/ACK, RST and URG segments are counted in tcp.syn, tcp.synack,
 * tcp.rst and tcp.urg.
 */
#include "decode/decode-internal.h"

#include <string.h>

#define TCP_OPTLENMAX 40

#define TCP_OPT_EOL 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2
#define TCP_OPT_WS 3
#define TCP_OPT_SACKOK 4
#define TCP_OPT_SACK 5
#define TCP_OPT_TS 8
#define TCP_OPT_MD5 19
#define TCP_OPT_AO 29
#define TCP_OPT_TFO 34
#define TCP_OPT_EXP1 253
#define TCP_OPT_EXP2 254

#define TCP_WSCALE_MAX 14

static void tcp_opt_sack(DecodeCtx *c, TcpInfo *t, const uint8_t *data, uint8_t olen)
{
    if (olen == 2)
        return; /* empty SACK: useless but common */
    if (olen < 10 || olen > 34 || (olen - 2) % 8 != 0) {
        dc_event(c, DEV_TCP_OPT_INVALID_LEN);
        return;
    }
    if (t->has_sack) {
        dc_event(c, DEV_TCP_OPT_DUPLICATE);
        return;
    }
    t->has_sack = true;
    uint8_t n = (uint8_t)((olen - 2) / 8);
    t->sack_count = n;
    for (uint8_t i = 0; i < n && i < 4; i++) {
        t->sack[i][0] = rd_be32(data + i * 8);
        t->sack[i][1] = rd_be32(data + i * 8 + 4);
    }
}

static void tcp_opt_tfo(DecodeCtx *c, TcpInfo *t)
{
    if (t->has_tfo)
        dc_event(c, DEV_TCP_OPT_DUPLICATE);
    else
        t->has_tfo = true;
}

static void decode_tcp_options(DecodeCtx *c, const uint8_t *opts, uint32_t len)
{
    TcpInfo *t = &c->p->tcp;
    ByteReader r = br_init(opts, len);
    while (br_remaining(&r) > 0) {
        const uint8_t *o = br_cursor(&r);
        if (o[0] == TCP_OPT_EOL)
            break;
        if (o[0] == TCP_OPT_NOP) {
            br_skip(&r, 1);
            continue;
        }
        if (br_remaining(&r) < 2)
            break;
        uint8_t type = o[0], olen = o[1];
        if (olen > br_remaining(&r) || olen < 2) {
            dc_invalid(c, DEV_TCP_OPT_INVALID_LEN);
            return;
        }
        const uint8_t *data = o + 2;
        switch (type) {
        case TCP_OPT_WS:
            if (olen != 3) {
                dc_event(c, DEV_TCP_OPT_INVALID_LEN);
            } else if (t->has_wscale) {
                dc_event(c, DEV_TCP_OPT_DUPLICATE);
            } else {
                t->has_wscale = true;
                t->wscale = data[0] <= TCP_WSCALE_MAX ? data[0] : 0;
            }
            break;
        case TCP_OPT_MSS:
            if (olen != 4) {
                dc_event(c, DEV_TCP_OPT_INVALID_LEN);
            } else if (t->has_mss) {
                dc_event(c, DEV_TCP_OPT_DUPLICATE);
            } else {
                t->has_mss = true;
                t->mss = rd_be16(data);
            }
            break;
        case TCP_OPT_SACKOK:
            if (olen != 2)
                dc_event(c, DEV_TCP_OPT_INVALID_LEN);
            else if (t->has_sackok)
                dc_event(c, DEV_TCP_OPT_DUPLICATE);
            else
                t->has_sackok = true;
            break;
        case TCP_OPT_TS:
            if (olen != 10) {
                dc_event(c, DEV_TCP_OPT_INVALID_LEN);
            } else if (t->has_ts) {
                dc_event(c, DEV_TCP_OPT_DUPLICATE);
            } else {
                t->has_ts = true;
                t->ts_val = rd_be32(data);
                t->ts_ecr = rd_be32(data + 4);
            }
            break;
        case TCP_OPT_SACK:
            tcp_opt_sack(c, t, data, olen);
            break;
        case TCP_OPT_TFO:
            /* no cookie (2) or a 4-16 byte cookie of even length */
            if (olen != 2 && (olen < 6 || olen > 18 || ((olen - 2) & 0x1) != 0))
                dc_event(c, DEV_TCP_OPT_INVALID_LEN);
            else
                tcp_opt_tfo(c, t);
            break;
        case TCP_OPT_EXP1:
        case TCP_OPT_EXP2:
            if (olen == 4 || olen == 12) {
                if (rd_be16(data) == 0xf989)
                    tcp_opt_tfo(c, t);
            } else {
                dc_event(c, DEV_TCP_OPT_INVALID_LEN);
            }
            break;
        case TCP_OPT_MD5:
            if (olen != 18)
                dc_invalid(c, DEV_TCP_OPT_INVALID_LEN);
            else
                t->has_md5 = true;
            break;
        case TCP_OPT_AO:
            if (olen < 4)
                dc_invalid(c, DEV_TCP_OPT_INVALID_LEN);
            else
                t->has_ao = true;
            break;
        default:
            break;
        }
        br_skip(&r, olen);
    }
}

int decode_tcp(DecodeCtx *c, uint32_t off, uint32_t len)
{
    Packet *p = c->p;
    dc_count(c, CTR_DECODER_TCP);
    memset(&p->tcp, 0, sizeof(p->tcp));
    if (len < TCP_HEADER_LEN) {
        dc_invalid(c, DEV_TCP_PKT_TOO_SMALL);
        return DECODE_FAILED;
    }
    const uint8_t *h = dc_data(c, off);
    uint8_t hlen = (uint8_t)((h[12] >> 4) * 4);
    if (len < hlen) {
        dc_invalid(c, DEV_TCP_HLEN_TOO_SMALL);
        return DECODE_FAILED;
    }
    /* a data offset below 5 wraps in Suricata's unsigned arithmetic and is
     * caught here too */
    uint8_t optlen = (uint8_t)(hlen - TCP_HEADER_LEN);
    if (optlen > TCP_OPTLENMAX) {
        dc_invalid(c, DEV_TCP_INVALID_OPTLEN);
        memset(&p->tcp, 0, sizeof(p->tcp));
        return DECODE_FAILED;
    }
    if (optlen > 0) {
        decode_tcp_options(c, h + TCP_HEADER_LEN, optlen);
    }

    TcpInfo *t = &p->tcp;
    p->sp = rd_be16(h);
    p->dp = rd_be16(h + 2);
    t->seq = rd_be32(h + 4);
    t->ack = rd_be32(h + 8);
    t->hlen = hlen;
    t->flags = h[13];
    t->window = rd_be16(h + 14);
    t->urg_ptr = rd_be16(h + 18);
    p->proto = IPPROTO_NUM_TCP;
    p->l4_off = off;
    p->l4_len = len;
    p->payload_off = off + hlen;
    p->payload_len = len - hlen;

    if ((t->flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK))
        dc_count(c, CTR_TCP_SYNACK);
    else if (t->flags & TH_SYN)
        dc_count(c, CTR_TCP_SYN);
    if (t->flags & TH_RST)
        dc_count(c, CTR_TCP_RST);
    if (t->flags & TH_URG)
        dc_count(c, CTR_TCP_URG);

    p->flow_ok = true;
    return DECODE_OK;
}
