/*
 * Internal layout of the TLS parser, shared by its source files only.
 *
 * `TlsState` holds one `TlsDir` per direction (record-layer framing state and
 * the handshake-message reassembly buffer) and the single transaction.
 * `TlsTx` holds a `TlsSide` per direction with everything learnt from that
 * side's handshake: hello fields, fingerprints, certificate chain and the
 * decoded first certificate. Strings are heap-allocated and NUL-terminated.
 */
#ifndef ODLAR_APP_TLS_INT_H
#define ODLAR_APP_TLS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "app/tls/tls.h"

#define TLS_REC_HDR_LEN 5
/* Suricata's SSLV3_RECORD_MAX_LEN: 2^14 + 1024 (RFC 5246 6.2.2) */
#define TLS_REC_MAX_LEN ((1u << 14) + 1024u)
#define TLS_MAX_EVENTS 64
#define TLS_MAX_LIST 512 /* values kept per hello list (ciphers, extensions) */

typedef struct TlsStrList {
    char **v;
    uint32_t *len;
    uint32_t n;
} TlsStrList;

typedef struct TlsU16List {
    uint16_t v[TLS_MAX_LIST];
    uint32_t n;
} TlsU16List;

typedef struct TlsSide {
    uint16_t hello_version; /* legacy version field of the hello */
    uint16_t version;       /* effective version (supported_versions aware) */
    bool has_random;
    uint8_t random[32];
    uint8_t session_id[32];
    uint8_t session_id_len;
    char *sni;
    uint32_t sni_len;
    TlsStrList alpns;
    bool has_hello;
    /* hello lists used by the fingerprints */
    TlsU16List ciphers, exts, groups, sigalgs;
    uint8_t pointfmts[256];
    uint32_t npointfmts;
    bool has_sni_ext;
    char *ja3_str; /* ja3 (client) or ja3s (server) */
    char ja3_hash[33];
    char ja4[37];
    bool has_ja4;
    /* certificate chain (DER) */
    uint8_t **cert_der;
    uint32_t *cert_len;
    uint32_t ncerts;
    /* decoded first certificate */
    char *subject, *issuer, *serial, *fingerprint;
    uint32_t subject_len, issuer_len; /* DN values may hold NUL bytes */
    int64_t not_before, not_after;
    TlsStrList sans;
    bool cert_done;
    bool stored; /* chain written by tls.store (tls-store.c) */
} TlsSide;

struct TlsTx {
    TlsSide client, server;
    int progress[2]; /* [0] toclient (server side), [1] toserver */
    uint32_t seen;   /* TLS_SEEN_* */
    bool resumed;
    bool log_without_cert;
    bool cert_requested; /* the server sent a CertificateRequest */
    uint8_t events[TLS_MAX_EVENTS];
    uint32_t nevents;
};

typedef struct TlsDir {
    uint8_t hdr[TLS_REC_HDR_LEN];
    uint8_t hdr_len;
    uint8_t hdr_need; /* 5 for TLS, 2/3 for SSLv2 */
    bool sslv2;
    bool in_body;
    uint8_t rec_type;
    uint32_t rec_len, rec_done;
    uint8_t *buf; /* SSLv2 record body / handshake message reassembly */
    uint32_t buf_len, buf_cap;
    uint32_t skip_left; /* bytes of an oversized handshake message left to skip */
    uint8_t alert[2];
    uint8_t alert_len;
    bool encrypted; /* ChangeCipherSpec or application data seen */
    bool lost;      /* gap: resync impossible, ignore the rest */
    uint64_t records; /* records ended (raw stream inspection triggers) */
} TlsDir;

struct TlsState {
    TlsDir dir[2]; /* [1] = to server */
    TlsTx tx;
    bool started;
    bool failed;
    bool released;
    uint64_t memcap_hits;
};

void tls_set_event(TlsTx *tx, int ev);
void tls_set_progress(TlsTx *tx, bool to_server, int p);
const TlsLimits *tls_limits(void);
void tls_count_memcap(TlsState *st);

/* list helpers */
bool tls_strlist_add(TlsStrList *l, const uint8_t *s, uint32_t len);
void tls_strlist_free(TlsStrList *l);
char *tls_strndup(const uint8_t *s, uint32_t len);

/* handshake messages (body excludes the 4-byte header) */
bool tls_parse_client_hello(TlsState *st, const uint8_t *b, uint32_t len);
bool tls_parse_server_hello(TlsState *st, const uint8_t *b, uint32_t len);
bool tls_parse_certificate(TlsState *st, bool to_server, const uint8_t *b, uint32_t len);
bool tls_parse_handshake(TlsState *st, bool to_server, uint8_t type, const uint8_t *b, uint32_t len);
bool tls_parse_sslv2(TlsState *st, bool to_server, const uint8_t *b, uint32_t len);

/* fingerprints */
bool tls_is_grease(uint16_t v);
void tls_ja3_client(TlsSide *s);
void tls_ja3_server(TlsSide *s);
void tls_ja4_client(TlsSide *s);
void tls_md5_hex(const char *s, size_t len, char out[33]);

void tls_side_free(TlsSide *s);

#endif
