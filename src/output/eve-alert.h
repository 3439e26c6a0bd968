/*
 * The EVE `alert` event, as Suricata 8 writes it (output-json-alert.c):
 * the packet header, the `alert` object (action, gid, signature_id, rev,
 * signature, category, severity, source/target, metadata), app_proto,
 * direction, the `flow` object, then payload/packet per the alert options.
 */
#ifndef ODLAR_OUTPUT_EVE_ALERT_H
#define ODLAR_OUTPUT_EVE_ALERT_H

#include <stdbool.h>

#include "conf/conf.h"
#include "decode/packet.h"
#include "detect/detect-engine.h"
#include "output/eve.h"

/* Options of `outputs.eve-log.types.alert` */
typedef struct EveAlertConfig {
    bool payload; /* base64 payload */
    bool payload_printable;
    bool packet; /* base64 packet + packet_info */
    bool metadata; /* rule metadata, flow object, app-layer (Suricata's METADATA_DEFAULTS) */
    bool tagged_packets;
} EveAlertConfig;

/* Reads the alert options (defaults: metadata on, the rest off). */
void eve_alert_config_read(Conf *conf, EveAlertConfig *cfg);

/* Writes one alert record for p. `stream`/`stream_len`: the stream window
 * the alert matched on (DETECT_ALERT_STREAM), for the payload option. */
void eve_log_alert(Eve *eve, JsonBuf *j, const EveAlertConfig *cfg, const DetectEngine *de, const Packet *p,
                   const DetectAlert *a, const uint8_t *stream, uint32_t stream_len);

#endif
