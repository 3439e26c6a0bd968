/*
 * TLS/SSL application-layer parser (public API).
 *
 * A pure library: the app-layer framework creates one `TlsState` per flow,
 * feeds each direction's in-order stream bytes to `tls_parse` in whatever
 * chunks the stream delivers (the result does not depend on the chunking),
 * reports holes with `tls_gap` and the end of a direction with `tls_end`.
 * As in Suricata, a TLS flow has exactly one transaction (`TlsTx`) holding
 * the handshake metadata of both sides: ClientHello (SNI, ALPN, JA3, JA4),
 * ServerHello (selected version, JA3S), certificates (subject, issuer,
 * serial, SHA-1 fingerprint, validity, subjectAltName, the DER chain) and
 * the anomaly events raised while parsing, named as Suricata names them.
 * Detection reads the rule buffers through `tls_tx_get_buffer`; EVE output
 * writes the "tls" object with `tls_log_tx`.
 */
#ifndef ODLAR_APP_TLS_H
#define ODLAR_APP_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/json.h"
#include "util/time.h"

typedef struct TlsState TlsState;
typedef struct TlsTx TlsTx;

/* Protocol versions as they appear on the wire. */
#define TLS_VERSION_UNKNOWN 0x0000
#define TLS_VERSION_SSL2 0x0200
#define TLS_VERSION_SSL3 0x0300
#define TLS_VERSION_10 0x0301
#define TLS_VERSION_11 0x0302
#define TLS_VERSION_12 0x0303
#define TLS_VERSION_13 0x0304

/* Anomaly events, in Suricata's tls_decoder_event_table order. */
enum {
    TLS_EV_INVALID_SSLV2_HEADER = 0,
    TLS_EV_INVALID_TLS_HEADER,
    TLS_EV_INVALID_RECORD_VERSION,
    TLS_EV_INVALID_RECORD_TYPE,
    TLS_EV_INVALID_RECORD_LENGTH,
    TLS_EV_INVALID_HANDSHAKE_MESSAGE,
    TLS_EV_HEARTBEAT_MESSAGE,
    TLS_EV_INVALID_HEARTBEAT_MESSAGE,
    TLS_EV_OVERFLOW_HEARTBEAT_MESSAGE,
    TLS_EV_DATALEAK_HEARTBEAT_MISMATCH,
    TLS_EV_HANDSHAKE_INVALID_LENGTH,
    TLS_EV_MULTIPLE_SNI_EXTENSIONS,
    TLS_EV_INVALID_SNI_TYPE,
    TLS_EV_INVALID_SNI_LENGTH,
    TLS_EV_TOO_MANY_RECORDS_IN_PACKET,
    TLS_EV_INVALID_ALERT_MESSAGE,
    TLS_EV_INVALID_CERTIFICATE,
    TLS_EV_CERTIFICATE_INVALID_LENGTH,
    TLS_EV_CERTIFICATE_INVALID_VERSION,
    TLS_EV_CERTIFICATE_INVALID_SERIAL,
    TLS_EV_CERTIFICATE_INVALID_ALGORITHMIDENTIFIER,
    TLS_EV_CERTIFICATE_INVALID_X509NAME,
    TLS_EV_CERTIFICATE_INVALID_DATE,
    TLS_EV_CERTIFICATE_INVALID_EXTENSIONS,
    TLS_EV_CERTIFICATE_INVALID_DER,
    TLS_EV_CERTIFICATE_INVALID_SUBJECT,
    TLS_EV_CERTIFICATE_INVALID_ISSUER,
    TLS_EV_CERTIFICATE_INVALID_VALIDITY,
    TLS_EV_ERROR_MESSAGE_ENCOUNTERED,
    TLS_EV_TOO_MANY_SUBJECT_ALTERNATIVE_NAMES,
    TLS_EV_INVALID_SSL_RECORD,
    TLS_EV_COUNT
};
/* Suricata's name for an event ("INVALID_RECORD_TYPE"), NULL if out of range. */
const char *tls_event_name(int ev);
/* Event id for a name (case-insensitive), -1 if unknown. */
int tls_event_by_name(const char *name);

/* Per-direction progress (monotonic). A direction is complete for the
 * framework once it reaches TLS_PROGRESS_HANDSHAKE_DONE. */
enum {
    TLS_PROGRESS_IN_PROGRESS = 0,
    TLS_PROGRESS_HELLO,          /* ClientHello / ServerHello seen */
    TLS_PROGRESS_CERT,           /* Certificate seen */
    TLS_PROGRESS_HANDSHAKE_DONE, /* ChangeCipherSpec / encrypted data seen */
    TLS_PROGRESS_FINISHED        /* direction ended */
};

/* ssl_state keyword flags (what messages were seen). */
#define TLS_SEEN_CLIENT_HELLO 0x01
#define TLS_SEEN_SERVER_HELLO 0x02
#define TLS_SEEN_CLIENT_KEYX 0x04
#define TLS_SEEN_SERVER_KEYX 0x08
#define TLS_SEEN_UNKNOWN 0x10

/* Limits. A handshake message larger than max_handshake_msg is skipped (not
 * parsed) and counted; at most max_certs certificates of a chain are kept. */
typedef struct TlsLimits {
    uint32_t max_handshake_msg;
    uint32_t max_certs;
    uint32_t max_sans;
} TlsLimits;
void tls_set_limits(const TlsLimits *l); /* NULL restores the defaults */
void tls_get_limits(TlsLimits *l);

TlsState *tls_state_new(void);
void tls_state_free(TlsState *st);
/* Returns false once the parser has hit an unrecoverable error (Suricata's
 * APP_LAYER_ERROR): further input is ignored. */
bool tls_parse(TlsState *st, bool to_server, const uint8_t *data, uint32_t len, OdTime ts);
/* Records of a direction parsed to their end so far; each asks for raw
 * stream inspection of that direction, as Suricata's TLS parser does. */
uint64_t tls_records(const TlsState *st, bool to_server);
void tls_gap(TlsState *st, bool to_server, uint32_t len);
void tls_end(TlsState *st, bool to_server);
/* Number of handshake messages skipped because of the size cap, and number
 * of certificates dropped from chains because of max_certs. */
uint64_t tls_state_memcap_hits(const TlsState *st);
/* Process-wide total of the same (atomic). */
uint64_t tls_memcap_hits_total(void);

/* Transactions: always 0 (nothing seen yet) or 1. */
uint64_t tls_tx_count(const TlsState *st);
TlsTx *tls_tx_get(TlsState *st, uint64_t id);
int tls_tx_progress(const TlsTx *tx, bool to_server);
bool tls_tx_complete(const TlsTx *tx, bool to_server);
/* The framework is done with the tx (logged / inspected): free bulky data
 * (certificate chain DER). Metadata stays for the flow's lifetime. */
void tls_tx_release(TlsState *st, uint64_t id);

uint32_t tls_tx_event_count(const TlsTx *tx);
int tls_tx_event_get(const TlsTx *tx, uint32_t i);
bool tls_tx_has_event(const TlsTx *tx, int ev);

/* Rule buffers. Multi buffers are indexed by `idx`; single buffers use 0.
 * Returns false when absent. Strings are not NUL-terminated in *len terms. */
typedef enum TlsBuffer {
    TLS_BUF_SNI,
    TLS_BUF_CERT_SUBJECT,
    TLS_BUF_CERT_ISSUER,
    TLS_BUF_CERT_SERIAL,
    TLS_BUF_CERT_FINGERPRINT,
    TLS_BUF_CERTS,          /* multi: DER of each chain certificate */
    TLS_BUF_SUBJECTALTNAME, /* multi */
    TLS_BUF_RANDOM,         /* 32 bytes */
    TLS_BUF_RANDOM_TIME,    /* first 4 bytes */
    TLS_BUF_RANDOM_BYTES,   /* last 28 bytes */
    TLS_BUF_ALPN,           /* multi */
    TLS_BUF_JA3_HASH,
    TLS_BUF_JA3_STRING,
    TLS_BUF_JA3S_HASH,
    TLS_BUF_JA3S_STRING,
    TLS_BUF_JA4_HASH,
} TlsBuffer;
/* to_server selects the side: certificate buffers use the server's chain
 * for !to_server and the client certificate for to_server; random/alpn
 * likewise. ja3/sni are client-only, ja3s server-only. */
bool tls_tx_get_buffer(const TlsTx *tx, TlsBuffer b, bool to_server, uint32_t idx,
                       const uint8_t **buf, uint32_t *len);

/* Version seen from a side: the client's (ClientHello, highest of
 * supported_versions when present) or the server's selected one. */
uint16_t tls_tx_version(const TlsTx *tx, bool to_server);
/* TLS_SEEN_* flags for the ssl_state keyword. */
uint32_t tls_tx_ssl_state(const TlsTx *tx);
/* Suricata's version string ("TLS 1.2", "TLSv1", "TLS 1.3 draft-18",
 * "UNDETERMINED", "0x%04x"); buf of at least 32 bytes. */
const char *tls_version_string(uint16_t v, char *buf, uint32_t size);
/* Certificate validity of the first server (or client) certificate as Unix
 * seconds; false when no certificate was decoded. */
bool tls_tx_cert_validity(const TlsTx *tx, bool to_server, int64_t *not_before, int64_t *not_after);
bool tls_tx_session_resumed(const TlsTx *tx);

/* EVE output. `fields` is a TLS_LOG_* mask; the "extended" preset and the
 * basic default are provided. */
#define TLS_LOG_VERSION (1u << 0)
#define TLS_LOG_SUBJECT (1u << 1)
#define TLS_LOG_ISSUER (1u << 2)
#define TLS_LOG_SERIAL (1u << 3)
#define TLS_LOG_FINGERPRINT (1u << 4)
#define TLS_LOG_NOTBEFORE (1u << 5)
#define TLS_LOG_NOTAFTER (1u << 6)
#define TLS_LOG_SNI (1u << 7)
#define TLS_LOG_CERTIFICATE (1u << 8)
#define TLS_LOG_CHAIN (1u << 9)
#define TLS_LOG_SESSION_RESUMED (1u << 10)
#define TLS_LOG_JA3 (1u << 11)
#define TLS_LOG_JA3S (1u << 12)
#define TLS_LOG_CLIENT (1u << 13)
#define TLS_LOG_CLIENT_CERT (1u << 14)
#define TLS_LOG_CLIENT_CHAIN (1u << 15)
#define TLS_LOG_JA4 (1u << 16)
#define TLS_LOG_SUBJECTALTNAME (1u << 17)
#define TLS_LOG_CLIENT_ALPNS (1u << 18)
#define TLS_LOG_SERVER_ALPNS (1u << 19)
#define TLS_LOG_BASIC (TLS_LOG_SUBJECT | TLS_LOG_ISSUER | TLS_LOG_SUBJECTALTNAME | TLS_LOG_SESSION_RESUMED)
#define TLS_LOG_EXTENDED                                                                      \
    (TLS_LOG_BASIC | TLS_LOG_VERSION | TLS_LOG_SERIAL | TLS_LOG_FINGERPRINT |                 \
     TLS_LOG_NOTBEFORE | TLS_LOG_NOTAFTER | TLS_LOG_JA3 | TLS_LOG_JA3S | TLS_LOG_JA4 |         \
     TLS_LOG_CLIENT | TLS_LOG_CLIENT_ALPNS | TLS_LOG_SERVER_ALPNS | TLS_LOG_SNI)

typedef struct TlsLogConfig {
    uint32_t fields;        /* TLS_LOG_* */
    bool session_resumption; /* log resumed sessions without certificate (default true) */
    bool ja3;               /* app-layer ja3-fingerprints enabled */
    bool ja4;               /* app-layer ja4-fingerprints enabled */
    const char *from_proto; /* original protocol after STARTTLS, or NULL */
} TlsLogConfig;
/* Default: basic fields, session_resumption on, ja3/ja4 off. */
void tls_log_config_default(TlsLogConfig *cfg);
/* Name of a custom field ("subject", "ja3s", ...) → TLS_LOG_* bit, 0 if unknown. */
uint32_t tls_log_field_by_name(const char *name);
/* Whether Suricata would write a tls event for this tx. */
bool tls_tx_loggable(const TlsTx *tx, const TlsLogConfig *cfg);
/* Writes "tls": {...} into the open object j. */
void tls_log_tx(JsonBuf *j, const TlsTx *tx, const TlsLogConfig *cfg);

/* tls.store (tls-store.c): the packet's addresses for the .meta file. */
typedef struct TlsStoreMeta {
    const char *src_ip, *dst_ip;
    unsigned proto, sp, dp;
} TlsStoreMeta;
/* True the first time for a side that sent certificates: it is to be
 * written now. */
bool tls_tx_mark_stored(TlsTx *tx, bool client_side);
/* Writes <dir>/[client-]<sec>.<usec>-<file_id>.pem and .meta. */
bool tls_store_write(const TlsTx *tx, bool client_side, const char *dir, OdTime ts, uint32_t file_id,
                     const TlsStoreMeta *meta);

#endif
