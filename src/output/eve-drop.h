/*
 * The EVE `drop` event, as Suricata 8 writes it (output-json-drop.c) when
 * the engine runs as an IPS (--simulate-ips) and the eve-log `drop` type is
 * enabled: the packet header, direction, the `drop` object (IP and TCP/UDP/
 * ICMP header fields of the dropped packet and the drop `reason`), the
 * packet `verdict` (option `verdict`) and, with `alerts: yes`, the `alert`
 * object of the drop/reject rule that dropped it. With `flows: start` (the
 * default) a dropped flow is logged once per direction, plus every packet a
 * rule drops; with `flows: all` every dropped packet is logged.
 */
#ifndef ODLAR_OUTPUT_EVE_DROP_H
#define ODLAR_OUTPUT_EVE_DROP_H

#include "decode/packet.h"
#include "detect/detect-engine.h"
#include "output/eve.h"

/* Writes the drop record of p when detection (dt) dropped it and the drop
 * type is enabled; call after detect_packet(), before the next packet. */
void eve_log_drop(Eve *eve, JsonBuf *j, const DetectThread *dt, const Packet *p);

#endif
