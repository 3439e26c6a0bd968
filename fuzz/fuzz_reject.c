/*
 * libFuzzer harness for reject replies (src/engine/reject.c): the input is
 * decoded as a bare IP packet (first byte: IPv4/IPv6/raw link type), then
 * replies towards both sides are built into a buffer that is exactly as
 * large as allowed, and one just too small, so a reply that quotes more of
 * a damaged packet than it holds, or writes past its buffer, is caught by
 * the sanitizers. A reply is checked to be an IP packet of the length its
 * header states.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "decode/decode.h"
#include "engine/counters.h"
#include "engine/reject.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int datalinks[] = { LINKTYPE_RAW_LINKTYPE, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_ETHERNET };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Counters ctr;
    static Packet *p;
    if (p == NULL && (p = packet_new()) == NULL)
        abort();
    if (size < 1)
        return 0;
    DecodeConfig cfg;
    decode_config_defaults(&cfg);
    DecodeThread dt = { .cfg = &cfg, .ctr = &ctr };
    packet_set_data(p, data + 1, (uint32_t)(size - 1));
    p->datalink = datalinks[data[0] % (sizeof(datalinks) / sizeof(datalinks[0]))];
    decode_packet(&dt, p);
    for (int i = 0; i < dt.derived_count; i++)
        packet_free(dt.derived[i]);
    for (int side = 0; side < 2; side++) {
        uint8_t *out = malloc(REJECT_MAX_LEN);
        if (!out)
            abort();
        size_t len = reject_build(p, side == 0, out, REJECT_MAX_LEN);
        if (len) {
            size_t stated = (out[0] >> 4) == 4 ? ((size_t)out[2] << 8 | out[3]) : ((size_t)out[4] << 8 | out[5]) + 40;
            if (stated != len || len > REJECT_MAX_LEN)
                abort();
            uint8_t *tight = malloc(len - 1);
            if (!tight || reject_build(p, side == 0, tight, len - 1) != 0)
                abort();
            free(tight);
        }
        free(out);
    }
    return 0;
}
