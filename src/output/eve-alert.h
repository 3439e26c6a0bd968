/*
 * The EVE `alert` event, as Suricata 8 writes it (output-json-alert.c):
 * the packet header, the `alert` object (action, gid, signature_id, rev,
 * signature, category, severity, source/target, metadata), app_proto,
 * direction, the `flow` object, then payload/packet per the alert options,
 * then (option `verdict`) the packet's verdict. With the `xff` option an
 * HTTP alert carries the X-Forwarded-For address (eve-xff.h).
 */
#ifndef ODLAR_OUTPUT_EVE_ALERT_H
#define ODLAR_OUTPUT_EVE_ALERT_H

#include <stdbool.h>

#include "conf/conf.h"
#include "decode/packet.h"
#include "detect/detect-engine.h"
#include "output/eve-xff.h"
#include "output/eve.h"

/* Options of `outputs.eve-log.types.alert` */
/* Suricata's JSON_STREAM_BUFFER_SIZE: payload-buffer-size by default */
#define EVE_ALERT_PAYLOAD_BUFFER_DEFAULT 4096

typedef struct EveAlertConfig {
    bool payload; /* base64 payload */
    bool payload_printable;
    bool payload_length; /* payload_length (Suricata 8 payload-length) */
    bool packet; /* base64 packet + packet_info */
    bool metadata; /* rule metadata, flow object, app-layer (Suricata's METADATA_DEFAULTS) */
    bool tagged_packets;
    bool verdict; /* the packet's `verdict` object (Suricata 8 EveAddVerdict) */
    EveXffConfig xff; /* X-Forwarded-For of HTTP alerts (eve-xff.h) */
    /* payload-buffer-size (default 4 KiB): a stream payload is at most
     * this minus one bytes, its start kept (eve_stream_payload_limit) */
    uint32_t payload_buffer_size;
} EveAlertConfig;

/* Reads the alert options (defaults: metadata on, the rest off,
 * payload-buffer-size 4 KiB; a size that does not parse, is 0 or above
 * 4 GiB is reported and the default kept). */
void eve_alert_config_read(Conf *conf, EveAlertConfig *cfg);

/* Writes one alert record for p, one of dt's queued alerts; dt's stream
 * window (the one the alert matched on with DETECT_ALERT_STREAM) feeds the
 * payload option, its verdict the verdict option. */
void eve_log_alert(Eve *eve, JsonBuf *j, const EveAlertConfig *cfg, const DetectThread *dt, const Packet *p,
                   const DetectAlert *a);

/* verdict: the `alert` object alone (action, gid, signature_id, rev,
 * signature, category, severity, source/target; metadata when asked) of
 * signature s applied with `action` (a rate_filter may change it), as
 * Suricata's AlertJsonHeader writes it, also used by drop records. */
void eve_alert_object(JsonBuf *j, const DetectEngine *de, const Packet *p, const Signature *s, SigAction action,
                      bool with_metadata);

/* verdict: the `verdict` object of packet p after detection (dt):
 * {action: alert|pass|drop, reject-target, reject[]} as Suricata 8 writes it. */
void eve_verdict_object(JsonBuf *j, const DetectThread *dt, const Packet *p);

#endif
