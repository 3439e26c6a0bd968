/*
 * DHCP parser (RFC 2131 messages, RFC 2132 options), emulating Suricata 8's
 * rust/src/dhcp: every UDP datagram on the DHCP ports carries one BOOTP
 * message, which becomes its own transaction, complete as soon as it is
 * parsed (Suricata keeps no DHCP conversation state). The message is the
 * fixed 236-byte BOOTP header, the 4-byte magic cookie and the options;
 * options are read as code/length/value records until END, and, when the
 * options carry an Option Overload (52), also from the `file` and `sname`
 * header fields (RFC 2131 section 4.1). Options that run past the data
 * raise Suricata's `truncated_options` event, a length a fixed-size option
 * cannot have raises `malformed_options`. The EVE `dhcp` object follows
 * Suricata's logger, with its `extended` switch; the rule keywords
 * dhcp.leasetime, dhcp.rebinding_time and dhcp.renewal_time read the time
 * options through the getters at the end.
 */
#ifndef ODLAR_APP_DHCP_H
#define ODLAR_APP_DHCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/json.h"

/* BOOTP header (RFC 2131 section 2, figure 1) up to the options, plus the
 * magic cookie: the shortest datagram that is a DHCP message. */
#define DHCP_HEADER_LEN 236
#define DHCP_MIN_LEN (DHCP_HEADER_LEN + 4)
#define DHCP_SNAME_OFFSET 44
#define DHCP_SNAME_LEN 64
#define DHCP_FILE_OFFSET 108
#define DHCP_FILE_LEN 128

#define DHCP_OP_REQUEST 1
#define DHCP_OP_REPLY 2

/* RFC 2132 option codes the parser and logger look at */
enum {
    DHCP_OPT_PAD = 0,
    DHCP_OPT_SUBNET_MASK = 1,
    DHCP_OPT_ROUTERS = 3,
    DHCP_OPT_DNS_SERVERS = 6,
    DHCP_OPT_HOSTNAME = 12,
    DHCP_OPT_REQUESTED_IP = 50,
    DHCP_OPT_LEASE_TIME = 51,
    DHCP_OPT_OVERLOAD = 52,
    DHCP_OPT_MESSAGE_TYPE = 53,
    DHCP_OPT_PARAMS = 55,
    DHCP_OPT_RENEWAL_TIME = 58,
    DHCP_OPT_REBINDING_TIME = 59,
    DHCP_OPT_VENDOR_CLASS = 60,
    DHCP_OPT_CLIENT_ID = 61,
    DHCP_OPT_END = 255,
};

/* Suricata's DHCPEvent, in its order (names via dhcp_event_name). */
enum { DHCP_EVENT_TRUNCATED_OPTIONS = 0, DHCP_EVENT_MALFORMED_OPTIONS, DHCP_EVENT_MAX };

/* One option: its value is raw[off .. off+len) of the message. */
typedef struct DhcpOption {
    uint8_t code;
    uint8_t len;
    uint32_t off;
} DhcpOption;

typedef struct DhcpMessage {
    uint8_t op, htype, hlen, hops;
    uint32_t xid;
    uint16_t secs, flags;
    uint8_t ciaddr[4], yiaddr[4], siaddr[4], giaddr[4];
    uint8_t chaddr[16];
    uint8_t *raw; /* copy of the datagram the options point into */
    uint32_t raw_len;
    DhcpOption *opts;
    uint32_t opt_count, opt_cap;
    bool truncated_options, malformed_options;
} DhcpMessage;

/* Parses one datagram into *m (zeroed first). False, with nothing to free,
 * when it is shorter than a BOOTP header and cookie or memory runs out;
 * otherwise free with dhcp_message_free. Like Suricata, the cookie's value
 * is not checked: whatever follows the header is read as options. */
bool dhcp_message_parse(const uint8_t *data, uint32_t len, DhcpMessage *m);
void dhcp_message_free(DhcpMessage *m);
/* The first option `code` of m, or NULL. */
const DhcpOption *dhcp_message_option(const DhcpMessage *m, uint8_t code);
/* Suricata's probing parser: enough bytes for the header and cookie. */
bool dhcp_probe(const uint8_t *data, uint32_t len);

/* Per-flow state: one transaction per parsed message. */
typedef struct DhcpState DhcpState;
typedef struct DhcpTx DhcpTx;

DhcpState *dhcp_state_new(void);
void dhcp_state_free(DhcpState *s);
/* One datagram; false when it is no DHCP message (no transaction made). */
bool dhcp_parse(DhcpState *s, bool to_server, const uint8_t *data, uint32_t len);
uint64_t dhcp_tx_count(const DhcpState *s);
DhcpTx *dhcp_tx_get(DhcpState *s, uint64_t id);
void dhcp_tx_release(DhcpState *s, uint64_t upto);
const DhcpMessage *dhcp_tx_message(const DhcpTx *tx);
bool dhcp_tx_to_server(const DhcpTx *tx);
int dhcp_tx_event_count(const DhcpTx *tx);
int dhcp_tx_event_get(const DhcpTx *tx, int i);
const char *dhcp_event_name(int ev);

/* Rule getters: the time options (51, 58, 59) of a transaction; false
 * when the message has none (or a malformed one). */
bool dhcp_tx_time_option(const DhcpTx *tx, uint8_t code, uint32_t *seconds);

/* EVE `dhcp` object. Not extended (Suricata's default), only DHCPACK
 * messages are logged, with the fields needed to map a MAC to an address;
 * extended logs every message in full. */
typedef struct DhcpLogConfig {
    bool extended;
} DhcpLogConfig;
/* Whether the message is logged at all under cfg. */
bool dhcp_log_wanted(const DhcpTx *tx, const DhcpLogConfig *cfg);
void dhcp_log_tx(JsonBuf *j, const DhcpTx *tx, const DhcpLogConfig *cfg);

#endif
