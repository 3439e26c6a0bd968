/*
 * Checksum "auto" mode for capture files (see checksum-auto.h): a private
 * decoder (no defragmentation, counters thrown away) looks at copies of
 * the first packets; only their TCP checksum verdict is kept.
 */
#include "engine/checksum-auto.h"

#include <string.h>

#include "util/log.h"

void checksum_auto_init(ChecksumAuto *ca, const DecodeConfig *dc)
{
    memset(ca, 0, sizeof(*ca));
    if (!dc->checksum_validate || !dc->checksum_auto)
        return;
    ca->cfg = *dc;
    ca->dt.cfg = &ca->cfg;
    ca->dt.ctr = &ca->ctr;
    ca->copy = packet_new();
    ca->active = ca->copy != NULL; /* no memory: validate everything, as "yes" */
}

void checksum_auto_free(ChecksumAuto *ca)
{
    packet_free(ca->copy);
    ca->copy = NULL;
}

/* Decodes a copy of p; true when it is TCP with a wrong checksum. */
static bool tcp_checksum_bad(ChecksumAuto *ca, const PacketRef *ref)
{
    Packet *c = ca->copy;
    capture_ref_to_packet(ref, c);
    decode_packet(&ca->dt, c);
    for (int i = 0; i < ca->dt.derived_count; i++)
        packet_free(ca->dt.derived[i]);
    ca->dt.derived_count = 0;
    return c->proto == 6 && c->l4_csum_bad;
}

bool checksum_auto_packet(ChecksumAuto *ca, const PacketRef *ref)
{
    if (!ca->active)
        return false;
    if (ca->off)
        return true;
    ca->pkts++;
    if (ca->pkts < CHECKSUM_AUTO_SAMPLE) {
        if (tcp_checksum_bad(ca, ref))
            ca->bad++;
        return false;
    }
    /* the sample is complete: decide once */
    ca->active = false;
    checksum_auto_free(ca);
    if (ca->bad == 0 || CHECKSUM_AUTO_SAMPLE / ca->bad >= CHECKSUM_AUTO_RATIO)
        return false;
    if (!ca->quiet)
        od_notice("More than 1/%uth of packets have an invalid checksum, assuming checksum offloading is used "
              "(%llu/%u): checksums are not validated from packet %u on",
              CHECKSUM_AUTO_RATIO, (unsigned long long)ca->bad, CHECKSUM_AUTO_SAMPLE, CHECKSUM_AUTO_SAMPLE);
    ca->active = true;
    ca->off = true;
    return true;
}
