/*
 * EVE `anomaly` records for decoder and stream events: one record per event
 * raised on a packet, when the anomaly type is enabled (`anomaly.types.decode`
 * / `anomaly.types.stream`; both off in Suricata's shipped config). Then the
 * packet's protocol-detection events (`anomaly.types.applayer`, on by
 * default), after them, as Suricata logs them: type applayer, layer proto_detect, with
 * the flow's app_proto.
 */
#include "output/eve.h"

#include <stdio.h>

#include "app/app-layer.h"
#include "detect/app-proto.h"

static void log_proto_detect_events(Eve *eve, JsonBuf *j, const Packet *p)
{
    if (!p->app_events || !p->flow || !eve->cfg.anomaly_applayer)
        return;
    for (int i = 0; i < APP_PKT_EV_COUNT; i++) {
        if (!(p->app_events & (1u << i)))
            continue;
        eve_open_packet_record(eve, j, p, "anomaly");
        jb_open_object(j, "anomaly");
        const char *ap = app_proto_name(p->flow->app_proto);
        if (ap)
            jb_str(j, "app_proto", ap);
        jb_str(j, "type", "applayer");
        jb_str(j, "event", app_pkt_event_name(i));
        jb_str(j, "layer", "proto_detect");
        jb_close_object(j);
        eve_write_record(eve, j, true);
    }
}

void eve_log_anomalies(Eve *eve, JsonBuf *j, const Packet *p)
{
    if (!eve->file || !eve->cfg.anomaly)
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
    log_proto_detect_events(eve, j, p);
}
