/*
 * libFuzzer harness for the packet decoders. The first input byte picks the
 * link type (from the ones decode_packet() decodes), the second switches
 * decoder options (checksum validation, Teredo on any port, a low
 * decoder.max-layers), the rest is the captured packet. Every packet is
 * decoded with a defragmentation table behind it, so fragments that happen
 * to complete a datagram are reassembled and decoded too; the derived
 * packets are checked to be decoded and freed.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "decode/decode.h"
#include "defrag/defrag.h"
#include "engine/counters.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int datalinks[] = {
    LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL,
    LINKTYPE_LOOP,     LINKTYPE_RAW,       LINKTYPE_RAW_ALT,    LINKTYPE_RAW_LINKTYPE,
    LINKTYPE_IPV4,     LINKTYPE_IPV6,      LINKTYPE_PPP,        LINKTYPE_CISCO_HDLC,
    LINKTYPE_GRE_OVER_IP,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Counters ctr;
    static DefragTable *defrag;
    static Packet *p;
    if (p == NULL) {
        DefragConfig dc;
        defrag_config_defaults(&dc);
        defrag = defrag_new(&dc, &ctr);
        p = packet_new();
        if (p == NULL)
            abort();
    }
    if (size < 2)
        return 0;

    DecodeConfig cfg;
    decode_config_defaults(&cfg);
    cfg.checksum_validate = (data[1] & 0x01) != 0;
    cfg.teredo_ports_any = (data[1] & 0x02) != 0;
    if (data[1] & 0x04)
        cfg.max_layers = 4;
    if (data[1] & 0x08) {
        cfg.vxlan_ports[0] = 53;
        cfg.geneve_ports[0] = 80;
    }
    DecodeThread dt = { .cfg = &cfg, .ctr = &ctr, .defrag = defrag };

    packet_set_data(p, data + 2, (uint32_t)(size - 2));
    p->datalink = datalinks[data[0] % (sizeof(datalinks) / sizeof(datalinks[0]))];
    p->ts = OD_TIME_FROM_SEC(1);
    decode_packet(&dt, p);
    if (!p->decoded)
        abort();

    for (int i = 0; i < dt.derived_count; i++) {
        Packet *d = dt.derived[i];
        if (!d->decoded || d->root != p)
            abort();
        packet_free(d);
    }
    /* keep the table from filling up across inputs */
    defrag_expire(defrag, OD_TIME_FROM_SEC(100000));
    return 0;
}
