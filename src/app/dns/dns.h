/*
 * DNS parser (RFC 1035 and its record-type extensions), emulating Suricata
 * 8's rust/src/dns: UDP datagrams carry one message each, TCP carries
 * messages behind a two-byte length prefix (RFC 1035 4.2.2) with any
 * chunking. Every message becomes its own transaction (a request or a
 * response; Suricata does not pair them), complete as soon as it is parsed.
 * Names are decompressed bounds- and loop-safe; the records kept are A,
 * AAAA, CNAME, NS, PTR, MX, TXT, SOA, SRV, SSHFP, NULL and OPT, anything
 * else (HTTPS/SVCB, ...) as raw bytes. Parser anomalies are Suricata's DNS
 * events. The EVE `dns` object is written in Suricata 8's version 3 layout
 * or the older version 2 one; rule buffers are read through the getters at
 * the end.
 */
#ifndef ODLAR_APP_DNS_H
#define ODLAR_APP_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/json.h"
#include "util/time.h"

/* Suricata's DNSEvent, in its order (names via dns_event_name). */
enum {
    DNS_EVENT_MALFORMED_DATA = 0,
    DNS_EVENT_NOT_A_REQUEST,
    DNS_EVENT_NOT_A_RESPONSE,
    DNS_EVENT_Z_FLAG_SET,
    DNS_EVENT_INVALID_OPCODE,
    DNS_EVENT_NAME_TOO_LONG,
    DNS_EVENT_INFINITE_LOOP,
    DNS_EVENT_TOO_MANY_LABELS,
    DNS_EVENT_INVALID_ADDITIONALS,
    DNS_EVENT_INVALID_AUTHORITIES,
    DNS_EVENT_MAX
};

/* Record types with special handling */
enum {
    DNS_RR_A = 1, DNS_RR_NS = 2, DNS_RR_CNAME = 5, DNS_RR_SOA = 6, DNS_RR_NULL = 10,
    DNS_RR_PTR = 12, DNS_RR_MX = 15, DNS_RR_TXT = 16, DNS_RR_AAAA = 28, DNS_RR_SRV = 33,
    DNS_RR_OPT = 41, DNS_RR_SSHFP = 44, DNS_RR_SVCB = 64, DNS_RR_HTTPS = 65,
};

#define DNS_HEADER_LEN 12
/* Longest decompressed name kept; longer ones are cut and marked truncated. */
#define DNS_MAX_NAME_LEN 1025
/* More labels than this in one name raise too_many_labels. */
#define DNS_MAX_LABELS 255

typedef struct DnsName {
    uint8_t *s; /* not NUL-terminated; NULL when len is 0 */
    uint32_t len;
    bool truncated;
} DnsName;

typedef struct DnsQuery {
    DnsName name;
    uint16_t rrtype, rrclass;
} DnsQuery;

typedef enum DnsRdataKind {
    DNS_RDATA_ADDR, /* A, AAAA: raw bytes (4 or 16; other sizes print "") */
    DNS_RDATA_NAME, /* CNAME, NS, PTR, MX (exchange) */
    DNS_RDATA_TXT, /* character-strings */
    DNS_RDATA_NULL, /* NULL: the raw bytes */
    DNS_RDATA_SOA,
    DNS_RDATA_SRV,
    DNS_RDATA_SSHFP,
    DNS_RDATA_OPT,
    DNS_RDATA_RAW, /* anything else (HTTPS, SVCB, ...) */
} DnsRdataKind;

typedef struct DnsBytes {
    uint8_t *p;
    uint32_t len;
} DnsBytes;

typedef struct DnsOpt {
    uint16_t code;
    DnsBytes data;
} DnsOpt;

typedef struct DnsRr {
    DnsName name;
    uint16_t rrtype, rrclass;
    uint32_t ttl;
    DnsRdataKind kind;
    DnsName target; /* NAME; SOA mname; SRV target */
    DnsName rname; /* SOA */
    DnsBytes raw; /* ADDR, NULL, RAW; SSHFP fingerprint */
    DnsBytes *txt; /* TXT strings */
    uint32_t txt_count;
    DnsOpt *opt;
    uint32_t opt_count;
    uint32_t serial, refresh, retry, expire, minimum; /* SOA */
    uint16_t priority, weight, port; /* SRV; MX preference in priority */
    uint8_t sshfp_algo, sshfp_type;
} DnsRr;

typedef struct DnsMessage {
    uint16_t id, flags;
    uint16_t qdcount, ancount, nscount, arcount; /* as in the header */
    DnsQuery *queries;
    uint32_t query_count;
    DnsRr *answers, *authorities, *additionals;
    uint32_t answer_count, authority_count, additional_count;
} DnsMessage;

/* Name-level anomalies found while parsing a message. */
enum {
    DNS_PF_TRUNCATED = 1, /* a name longer than DNS_MAX_NAME_LEN */
    DNS_PF_LOOP = 2, /* compression pointers loop */
    DNS_PF_LABELS = 4, /* more than DNS_MAX_LABELS labels */
    DNS_PF_BAD_AUTHORITIES = 8, /* authority section cut or invalid */
    DNS_PF_BAD_ADDITIONALS = 16, /* additional section cut or invalid */
};

/* Parses one whole message of `len` bytes. Returns false when the header,
 * the questions or the answers do not parse (Suricata's malformed data);
 * a broken authority/additional section is dropped and flagged in
 * *pflags. The message must be released with dns_message_free. */
bool dns_message_parse(const uint8_t *msg, size_t len, DnsMessage *m, unsigned *pflags);
void dns_message_free(DnsMessage *m);

/* Header sanity (Suricata's probe_header_validity) of a message of dlen
 * bytes whose first DNS_HEADER_LEN bytes are at h. */
bool dns_header_valid(const uint8_t *h, size_t dlen, bool *is_response);
/* Suricata's probe: true when `data` (a UDP payload, or a TCP message
 * without its length prefix of value `dlen`) looks like DNS; *is_response
 * tells the QR bit. A payload shorter than dlen is judged on its header. */
bool dns_probe(const uint8_t *data, size_t len, size_t dlen, bool *is_response);
/* The TCP form: the data starts with the two-byte length. */
bool dns_probe_tcp(const uint8_t *data, size_t len, bool *is_response);

typedef struct DnsState DnsState;
typedef struct DnsTx DnsTx;

DnsState *dns_state_new(bool tcp);
void dns_state_free(DnsState *s);
/* Feeds bytes of one direction: a whole datagram for UDP, any chunk of the
 * stream for TCP. Returns false when the data was not DNS (the flow's
 * parser gave up on it). */
bool dns_parse(DnsState *s, bool to_server, const uint8_t *data, uint32_t len, OdTime ts);
void dns_gap(DnsState *s, bool to_server, uint32_t len);
/* TCP: whole messages parsed so far in a direction; each asks for raw
 * stream inspection of that direction, as Suricata's DNS-over-TCP parser
 * does. */
uint64_t dns_tcp_messages(const DnsState *s, bool to_server);
void dns_end(DnsState *s, bool to_server);

uint64_t dns_tx_count(const DnsState *s); /* ids 0 .. count-1 were created */
DnsTx *dns_tx_get(DnsState *s, uint64_t id); /* NULL when released */
uint64_t dns_tx_id(const DnsTx *tx);
bool dns_tx_done(const DnsTx *tx, bool to_server); /* always true */
void dns_tx_release(DnsState *s, uint64_t upto_id); /* frees ids < upto_id */
bool dns_tx_is_request(const DnsTx *tx);
/* The flow was picked up from the server's side (TCP midstream): its
 * source address is the server's, records must be written the other way. */
bool dns_tx_flow_reversed(const DnsTx *tx);
const DnsMessage *dns_tx_message(const DnsTx *tx);

int dns_tx_event_count(const DnsTx *tx);
int dns_tx_event_get(const DnsTx *tx, int i);
const char *dns_event_name(int ev);
int dns_event_by_name(const char *name);

/* Names Suricata prints: "A", "AAAA", ... or the number; "NOERROR", ... */
const char *dns_rrtype_name(uint16_t t, char *buf, size_t size);
const char *dns_rcode_name(uint16_t flags, char *buf, size_t size);
/* Record type by name (case-insensitive), -1 if unknown. */
int dns_rrtype_by_name(const char *name);

/* --- EVE --- */
typedef struct DnsLogConfig {
    int version; /* 2 or 3 (default 3) */
    bool requests, responses; /* v2: which side to log; default both */
    bool detailed, grouped; /* formats; default detailed only */
    bool all_types; /* no `types` list */
    uint64_t types[2]; /* bit set of enabled rrtypes 0..127 when !all_types */
} DnsLogConfig;

void dns_log_config_default(DnsLogConfig *cfg);
/* Whether a transaction is logged at all under cfg (v2 requests/responses,
 * the rrtype filter). */
bool dns_log_wanted(const DnsTx *tx, const DnsLogConfig *cfg);
/* Writes `"dns": {...}` into the open record. Returns false (writing
 * nothing) when cfg filters the transaction out. */
bool dns_log_tx(JsonBuf *j, const DnsTx *tx, const DnsLogConfig *cfg);
/* Version 2 logs a request as one record per question: the number of
 * records for tx under cfg (0: not logged), and record `part`. */
uint32_t dns_log_part_count(const DnsTx *tx, const DnsLogConfig *cfg);
bool dns_log_tx_part(JsonBuf *j, const DnsTx *tx, const DnsLogConfig *cfg, uint32_t part);

/* --- rule buffers --- */
uint8_t dns_tx_opcode(const DnsTx *tx);
uint8_t dns_tx_rcode(const DnsTx *tx);
uint16_t dns_tx_flags(const DnsTx *tx);
uint16_t dns_tx_wire_id(const DnsTx *tx);
/* dns.query / dns.queries.rrname: the idx-th question name. */
bool dns_tx_query_name(const DnsTx *tx, uint32_t idx, const uint8_t **p, uint32_t *len);
bool dns_tx_query_rrtype(const DnsTx *tx, uint32_t idx, uint16_t *rrtype);
/* dns.answers.rrname / dns.authorities.rrname / dns.additionals.rrname */
bool dns_tx_answer_name(const DnsTx *tx, uint32_t idx, const uint8_t **p, uint32_t *len);
bool dns_tx_authority_name(const DnsTx *tx, uint32_t idx, const uint8_t **p, uint32_t *len);
bool dns_tx_additional_name(const DnsTx *tx, uint32_t idx, const uint8_t **p, uint32_t *len);
bool dns_tx_answer_rrtype(const DnsTx *tx, uint32_t idx, uint16_t *rrtype);
/* dns.response.rrname: the idx-th name of a response, over queries,
 * answers (owner name and name rdata), authorities, additionals in order. */
bool dns_tx_response_name(const DnsTx *tx, uint32_t idx, const uint8_t **p, uint32_t *len);

#endif
