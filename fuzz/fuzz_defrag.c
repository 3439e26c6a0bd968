/*
 * libFuzzer harness for IP defragmentation: the input is a small table
 * setup followed by a sequence of fragment records, fed in order to one
 * table with tight caps so eviction, refusal and timeouts all happen.
 *
 * Input layout:
 *   byte 0: trackers cap (low 4 bits + 1), overlap policy (high bits % 7 + 1)
 *   byte 1: max-frags cap (* 2 + 1)
 *   then records until the input runs out:
 *     flags (1)  bits 0-1 kind: 0 IPv4, 1 IPv6, 2 IPv6 behind a
 *                destination options header, 3 raw bytes as the IP packet;
 *                bit 2 MF; bit 3 swap addresses; bit 4 VLAN 7
 *     id (1), offset in 8-byte units (2, big endian), length (1),
 *     time step in seconds (1), then `length` data bytes
 * For kind 3 the data bytes are the whole IP packet (header fields as the
 * fuzzer likes) and the offset field is taken as the IPv6 fragment header
 * offset, so inconsistent headers reach the input checks too. Every
 * datagram that comes back must carry a length field that matches it.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "defrag/defrag.h"
#include "util/bytes.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static Packet *build(uint8_t flags, uint8_t id, uint16_t off, const uint8_t *d, uint8_t len, OdTime ts)
{
    uint8_t buf[14 + 40 + 8 + 8 + 256];
    memset(buf, 0, sizeof(buf));
    uint8_t *h = buf + 14;
    uint32_t l3_len;
    uint8_t version;
    uint16_t fh_off = 0, prev_nh = 0;
    int kind = flags & 3;
    bool mf = (flags & 4) != 0;
    if (kind == 0) {
        h[0] = 0x45;
        put16(h + 2, (uint16_t)(20 + len));
        put16(h + 4, id);
        put16(h + 6, (uint16_t)((mf ? 0x2000 : 0) | (off & 0x1fff)));
        h[8] = 64;
        h[9] = 17;
        memcpy(h + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
        memcpy(h + 20, d, len);
        l3_len = 20u + len;
        version = 4;
    } else if (kind == 1 || kind == 2) {
        uint32_t ext = kind == 2 ? 8 : 0;
        h[0] = 0x60;
        put16(h + 4, (uint16_t)(ext + 8 + len));
        h[6] = kind == 2 ? 60 : 44;
        memset(h + 8, 0x11, 16);
        memset(h + 24, 0x22, 16);
        if (ext) {
            h[40] = 44; /* destination options -> fragment, PadN */
            h[42] = 1;
            h[43] = 4;
        }
        uint8_t *fh = h + 40 + ext;
        fh[0] = 17;
        put16(fh + 2, (uint16_t)((off << 3) | (mf ? 1 : 0)));
        fh[7] = id;
        memcpy(fh + 8, d, len);
        l3_len = 40 + ext + 8 + len;
        version = 6;
        fh_off = (uint16_t)(40 + ext);
        prev_nh = (uint16_t)(ext ? 40 : 6);
    } else {
        memcpy(h, d, len);
        l3_len = len;
        version = len ? (uint8_t)(d[0] >> 4) : 0;
        if (version != 4 && version != 6)
            version = (uint8_t)(4 + 2 * (flags >> 7));
        fh_off = off;
        prev_nh = (uint16_t)(off & 0xff);
    }
    if ((flags & 8) && kind != 3) {
        uint8_t tmp[16];
        size_t n = kind == 0 ? 4 : 16;
        uint8_t *s = kind == 0 ? h + 12 : h + 8;
        memcpy(tmp, s, n);
        memcpy(s, s + n, n);
        memcpy(s + n, tmp, n);
    }
    Packet *p = packet_new();
    if (!p)
        return NULL;
    packet_set_data(p, buf, 14 + l3_len); /* resets every field: set them after */
    p->ip_version = version;
    p->ip6.frag_hdr_offset = fh_off;
    p->ip6.frag_prev_nh_off = prev_nh;
    p->l3_off = 14;
    p->l3_len = l3_len;
    p->is_fragment = true;
    p->ts = ts;
    if (flags & 16) {
        p->vlan_count = 1;
        p->vlan_id[0] = 7;
    }
    return p;
}

/* The datagram after its link-layer prefix must carry its own length. */
static void check_datagram(const Packet *r, const Packet *frag)
{
    if (r->src != PKT_SRC_DEFRAG || r->l3_off > r->len || r->l3_len != r->len - r->l3_off)
        abort();
    if (r->l3_off != 0 && r->l3_off != 14)
        abort(); /* the prefix is the first fragment's 14 link bytes (or none) */
    (void)frag;
    const uint8_t *ip = r->buf + r->l3_off;
    uint32_t len = r->l3_len;
    if (len >= 20 && (ip[0] >> 4) == 4) {
        if (rd_be16(ip + 2) != len || rd_be16(ip + 6) != 0)
            abort();
    } else if (len >= 40 && (ip[0] >> 4) == 6) {
        if ((uint32_t)rd_be16(ip + 4) + 40 != len)
            abort();
    } else {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Counters *ctr;
    if (!ctr) {
        od_log_set_level(LOG_LVL_ERROR);
        ctr = calloc(1, sizeof(*ctr));
        if (!ctr)
            return 0;
    }
    if (size < 2)
        return 0;
    DefragConfig cfg;
    defrag_config_defaults(&cfg);
    cfg.hash_size = 16;
    cfg.trackers = (uint32_t)(data[0] & 0x0f) + 1;
    cfg.default_policy = (DefragPolicy)((data[0] >> 4) % 7 + 1);
    cfg.max_frags = (uint32_t)data[1] * 2 + 1;
    cfg.memcap = 16 * sizeof(void *) + 64 * 1024;
    cfg.timeout = OD_TIME_FROM_SEC(5);
    DefragTable *t = defrag_new(&cfg, ctr);
    if (!t)
        return 0;

    ByteReader r = br_init(data + 2, size - 2);
    OdTime now = OD_TIME_FROM_SEC(1000);
    uint8_t flags, id, len, step;
    uint16_t off;
    while (br_u8(&r, &flags) && br_u8(&r, &id) && br_be16(&r, &off) && br_u8(&r, &len) && br_u8(&r, &step)) {
        const uint8_t *d;
        if (!br_bytes(&r, len, &d))
            break;
        now += OD_TIME_FROM_SEC(step % 8);
        defrag_expire(t, now);
        Packet *p = build(flags, id, off, d, len, now);
        if (!p)
            break;
        Packet *out = defrag_insert(t, p);
        if (out) {
            check_datagram(out, p);
            if (out->root != p)
                abort();
            packet_free(out);
        }
        packet_free(p);
        if (defrag_frag_count(t) > cfg.max_frags || defrag_tracker_count(t) > cfg.trackers ||
            defrag_memuse(t) > cfg.memcap)
            abort();
    }
    defrag_free(t);
    return 0;
}
