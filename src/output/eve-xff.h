/*
 * X-Forwarded-For in EVE alerts, as Suricata 8's app-layer-htp-xff.c and
 * output-json-alert.c use it: with `outputs.eve-log.types.alert.xff`
 * enabled, the client address a proxy recorded in an HTTP request header
 * (`header`, default X-Forwarded-For) is taken from the alert's
 * transaction, or else from the first transaction of the flow that has
 * one. `deployment: reverse` takes the last address of the list (the
 * proxy in front of the sensor appended it), `forward` the first. The
 * `mode` says what the alert does with it: `extra-data` adds an `xff`
 * field to the alert object, `overwrite` writes it as the client's
 * address of the record (dest_ip for a packet to the client, src_ip
 * otherwise).
 */
#ifndef ODLAR_OUTPUT_EVE_XFF_H
#define ODLAR_OUTPUT_EVE_XFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "flow/flow.h"

#define EVE_XFF_HEADER_MAX 64
#define EVE_XFF_IP_MAX 46 /* INET6_ADDRSTRLEN */

typedef struct EveXffConfig {
    bool enabled;
    bool overwrite; /* mode overwrite, else extra-data */
    bool reverse;   /* deployment reverse, else forward */
    char header[EVE_XFF_HEADER_MAX];
} EveXffConfig;

/* Reads an `xff` node (NULL: disabled). */
void eve_xff_config_read(ConfNode *xff, EveXffConfig *cfg);

/* The address of an X-Forwarded-For style value (`value`, n bytes): the
 * last or first of the list, an IPv4 ":port" or "[IPv6]:port" suffix
 * removed, checked as an address. False when there is none. */
bool eve_xff_parse(const uint8_t *value, size_t n, bool reverse, char out[EVE_XFF_IP_MAX]);

/* The address for an alert on flow f (its transaction tx_id when has_tx).
 * False when XFF is off, the flow is not HTTP or no request has one. */
bool eve_xff_ip(const EveXffConfig *cfg, const Flow *f, bool has_tx, uint64_t tx_id, char out[EVE_XFF_IP_MAX]);

#endif
