/*
 * EVE `anomaly` records for decoder and stream events: one record per event
 * raised on a packet, when the anomaly type is enabled (`anomaly.types.decode`
 * / `anomaly.types.stream`; both off in Suricata's shipped config).
 */
#include "output/eve.h"

#include <stdio.h>

void eve_log_anomalies(Eve *eve, JsonBuf *j, const Packet *p)
{
    if (!eve->file || !eve->cfg.anomaly || p->event_count == 0)
        return;
    for (uint8_t i = 0; i < p->event_count; i++) {
        DecodeEvent ev = (DecodeEvent)p->events[i];
        bool is_stream = decode_event_is_stream(ev);
        if (is_stream ? !eve->cfg.anomaly_stream : !eve->cfg.anomaly_decode)
            continue;
        char name[128];
        snprintf(name, sizeof(name), "%s.%s", is_stream ? "stream" : "decoder", decode_event_name(ev));
        eve_open_packet_record(eve, j, p, "anomaly");
        jb_open_object(j, "anomaly");
        jb_str(j, "type", is_stream ? "stream" : "decode");
        jb_str(j, "event", name);
        jb_close_object(j);
        eve_write_record(eve, j, true);
    }
}
