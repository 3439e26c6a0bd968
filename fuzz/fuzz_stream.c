/*
 * libFuzzer harness for the TCP stream stage: the input is a configuration
 * byte, two initial sequence numbers, then a series of TCP packets of one
 * flow in both directions. Each packet record is
 *
 *   0      1      2..3        4..5        6       7          8      9..
 *   +------+------+-----------+-----------+-------+----------+------+-----
 *   | ctl  | flags| seq delta | ack delta |window | opt bits | len  | payload
 *   +------+------+-----------+-----------+-------+----------+------+-----
 *
 * ctl bit 7 = to server; seq/ack deltas (signed, big endian) are relative
 * to the sender's/receiver's running sequence so the fuzzer can stay close
 * to the window; opt bits turn on timestamps, window scale, SACK-permitted,
 * a SACK block, an urgent pointer, TFO, a bad checksum. All bytes are read
 * through ByteReader. After the packets the flow ends and the session is
 * freed; memory accounting must return to zero.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stream/stream.h"
#include "util/bytes.h"

static void sink_data(void *ctx, Flow *f, bool ts, const uint8_t *d, uint32_t len)
{
    (void)ctx; (void)f; (void)ts;
    /* touch the bytes so ASan sees bad pointers */
    volatile uint8_t x = 0;
    for (uint32_t i = 0; i < len; i++)
        x ^= d[i];
    (void)x;
}
static void sink_gap(void *ctx, Flow *f, bool ts, uint32_t len) { (void)ctx; (void)f; (void)ts; (void)len; }
static void sink_end(void *ctx, Flow *f, bool ts) { (void)ctx; (void)f; (void)ts; }
static void sink_raw(void *ctx, Flow *f, bool ts, uint32_t gap, const uint8_t *d, uint32_t len)
{
    (void)gap;
    sink_data(ctx, f, ts, d, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    uint8_t conf;
    uint32_t isn[2];
    if (!br_u8(&r, &conf) || !br_be32(&r, &isn[0]) || !br_be32(&r, &isn[1]))
        return 0;

    StreamConfig cfg;
    stream_config_defaults(&cfg);
    cfg.midstream = conf & 0x01;
    cfg.async_oneside = conf & 0x02;
    cfg.check_overlap_different_data = conf & 0x04;
    cfg.urgent_policy = (conf & 0x08) ? STREAM_URGENT_OOB : STREAM_URGENT_INLINE;
    cfg.inline_mode = conf & 0x10;
    if (conf & 0x20)
        cfg.reassembly_depth = 64;
    if (conf & 0x40)
        cfg.reassembly_memcap = 2048;
    if (conf & 0x80)
        cfg.default_os_policy = (StreamOsPolicy)(1 + (isn[0] % STREAM_OS_LAST));

    static Counters ctr;
    memset(&ctr, 0, sizeof(ctr));
    StreamThread st = { .cfg = &cfg, .ctr = &ctr };
    st.sink = (StreamSink){ .data = sink_data, .gap = sink_gap, .end = sink_end, .raw = sink_raw };
    Flow f;
    memset(&f, 0, sizeof(f));
    f.proto = 6;
    f.src.family = f.dst.family = 4;
    f.sp = 1234;
    f.dp = 80;

    uint32_t next[2] = { isn[0], isn[1] }; /* [0] client, [1] server */
    Packet p;
    int count = 0;
    while (br_remaining(&r) >= 9 && count++ < 512) {
        uint8_t ctl, flags, win, opts, len;
        uint16_t sd, ad;
        if (!br_u8(&r, &ctl) || !br_u8(&r, &flags) || !br_be16(&r, &sd) || !br_be16(&r, &ad) ||
                !br_u8(&r, &win) || !br_u8(&r, &opts) || !br_u8(&r, &len))
            break;
        const uint8_t *payload = NULL;
        if (len > br_remaining(&r))
            len = (uint8_t)br_remaining(&r);
        if (!br_bytes(&r, len, &payload))
            break;
        bool ts = ctl & 0x80;
        int s = ts ? 0 : 1;
        memset(&p, 0, sizeof(p));
        p.proto = 6;
        p.to_server = ts;
        p.buf = (uint8_t *)(uintptr_t)payload;
        p.payload_len = len;
        p.tcp.flags = flags;
        p.tcp.seq = next[s] + (uint32_t)(int32_t)(int16_t)sd;
        p.tcp.ack = next[!s] + (uint32_t)(int32_t)(int16_t)ad;
        p.tcp.window = (uint16_t)(win << (ctl & 0x07));
        p.tcp.urg_ptr = (opts & 0x10) ? (uint16_t)(ctl & 0x0f) : 0;
        p.tcp.has_ts = opts & 0x01;
        p.tcp.ts_val = (uint32_t)count * 7u + (ctl & 0x30);
        p.tcp.ts_ecr = (uint32_t)count * 5u;
        p.tcp.has_wscale = opts & 0x02;
        p.tcp.wscale = ctl & 0x0f;
        p.tcp.has_sackok = opts & 0x04;
        if (opts & 0x08) {
            p.tcp.has_sack = true;
            p.tcp.sack_count = 1;
            p.tcp.sack[0][0] = p.tcp.ack + 10;
            p.tcp.sack[0][1] = p.tcp.ack + 10 + (uint32_t)(int32_t)(int16_t)sd;
        }
        p.tcp.has_tfo = opts & 0x20;
        p.l4_csum_bad = (opts & 0xc0) == 0xc0;
        p.ts = (OdTime)count * 1000 + (OdTime)(opts & 0x40) * OD_USEC_PER_SEC * 100000;
        stream_tcp_packet(&st, &f, &p);
        /* a midstream SYN/ACK turns the flow around */
        next[ts ? 0 : 1] = p.tcp.seq + len + ((flags & (TH_SYN | TH_FIN)) ? 1 : 0);
    }
    stream_tcp_flow_end(&st, &f);
    stream_tcp_free(&st, &f);
    if (st.memuse != 0 || st.reassembly_memuse != 0)
        abort();
    return 0;
}
