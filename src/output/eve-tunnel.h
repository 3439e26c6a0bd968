/*
 * The `tunnel` object of EVE alert records: for an alert on a packet that
 * was carried inside another one (the inner packet of an IP-in-IP, GRE,
 * Teredo, VXLAN or Geneve tunnel, or a datagram rebuilt from fragments),
 * where that packet came from on the wire.
 */
#ifndef ODLAR_OUTPUT_EVE_TUNNEL_H
#define ODLAR_OUTPUT_EVE_TUNNEL_H

#include "decode/packet.h"
#include "util/json.h"

/* Writes `"tunnel": {...}` for a packet derived from a wire packet
 * (p->root set); nothing for a wire packet. */
void eve_alert_tunnel(JsonBuf *j, const Packet *p);

#endif
