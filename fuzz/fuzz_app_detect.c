/*
 * libFuzzer harness for protocol detection and the per-direction decision
 * of the app-layer framework (src/app/app-detect.c, app-layer.c). The first
 * input byte picks the server port (its low four bits: 21, 25, 53, 80,
 * 110, 443, 8080, 445, 23, 500, 139, 123, 67, 135, 7 or 8081) and the
 * transport (bit 4: UDP); the rest is a series of records `dir(1) len(2, big
 * endian) bytes(len)`. Each record's bytes go once through app_detect()
 * and then, on TCP, to the framework in that direction (which detects
 * each direction, hands the data to the parser it picked, and raises
 * protocol-detection events on the packet), with a gap when dir is 0xff.
 * The flow is ended and freed at the end.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-layer.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint16_t ports[] = { 21, 25, 53, 80, 110, 443, 8080, 445, 23, 500, 139, 123, 67, 135, 7, 8081 };
    ByteReader r = br_init(data, size);
    uint8_t opt;
    if (!br_u8(&r, &opt))
        return 0;
    AppLayerConfig cfg;
    app_layer_config_defaults(&cfg);
    AppLayerThread at;
    app_layer_thread_init(&at, &cfg, NULL, NULL);
    Flow f;
    memset(&f, 0, sizeof(f));
    f.proto = (opt & 16) ? 17 : 6;
    f.sp = 40000;
    f.dp = ports[opt & 15];
    Packet p;
    memset(&p, 0, sizeof(p));
    p.flow = &f;
    uint8_t dir;
    uint16_t len;
    while (br_u8(&r, &dir) && br_be16(&r, &len)) {
        uint32_t n = br_remaining(&r) < len ? (uint32_t)br_remaining(&r) : len;
        const uint8_t *bytes = NULL;
        br_bytes(&r, n, &bytes);
        bool to_server = !(dir & 1);
        bool reverse;
        (void)app_detect(&cfg, f.proto, to_server, f.sp, f.dp, bytes, n, &reverse);
        if (f.proto != 6)
            continue;
        p.to_server = !to_server; /* stream data arrives with the other side's ACK */
        p.app_events = 0;
        at.pkt = &p;
        if (dir == 0xff)
            app_layer_tcp_gap(&at, &f, len & 1, len);
        else if (n)
            app_layer_tcp_data(&at, &f, to_server, bytes, n);
        at.pkt = NULL;
        if (to_server)
            f.pkts_toclient++;
        else
            f.pkts_toserver++;
        (void)app_layer_proto_detect_done_on(&f, &p);
    }
    if (f.proto == 6) {
        app_layer_tcp_end(&at, &f, true);
        app_layer_tcp_end(&at, &f, false);
    }
    app_layer_flow_end(&at, &f);
    app_layer_thread_free(&at);
    return 0;
}
