/*
 * The `hdrkw` keyword family: packet-level keywords that complete Suricata
 * 8's header and host vocabulary. Each keyword lives in its own file:
 *
 *  - kw-hdr-buffers.c: ipv4.hdr ipv6.hdr icmpv4.hdr icmpv6.hdr tcp.hdr
 *    udp.hdr, sticky buffers over the raw header bytes of the packet;
 *  - kw-tcp-fields.c: tcp.ack tcp.seq tcp.wscale (uint comparisons);
 *  - kw-csum.c: ipv4-csum tcpv4-csum tcpv6-csum udpv4-csum udpv6-csum
 *    icmpv4-csum icmpv6-csum (valid|invalid);
 *  - kw-vlan.c: vlan.id and vlan.layers;
 *  - kw-hostbits.c: hostbits (xbits kept per host, src or dst);
 *  - kw-flow-counters.c: flow.pkts flow.bytes (and the older
 *    flow.pkts_toserver style names) and flow.age;
 *  - kw-entropy.c: entropy, the Shannon entropy of the current buffer;
 *  - kw-absent.c: absent, a test that a sticky buffer is missing;
 *  - kw-gunzip.c: the gunzip transform;
 *  - kw-iprep.c: iprep, IP reputation from the configured lists;
 *  - kw-bypass.c: bypass, local bypass of the flow.
 *
 * The pure parts (checksums, entropy, option parsers, matchers that need
 * only a packet) are exposed here for unit tests.
 */
#ifndef ODLAR_DETECT_KW_HDRKW_H
#define ODLAR_DETECT_KW_HDRKW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"
#include "detect/uint-match.h"

/* ---- header buffers (kw-hdr-buffers.c) ---- */
typedef enum HdrBufferKind {
    HDR_BUF_IPV4 = 0,
    HDR_BUF_IPV6,
    HDR_BUF_ICMPV4,
    HDR_BUF_ICMPV6,
    HDR_BUF_TCP,
    HDR_BUF_UDP,
    HDR_BUF_COUNT,
} HdrBufferKind;
/* The raw bytes of header `kind` of packet p; false when p has no such
 * header (wrong protocol, truncated, pseudo packet). */
bool hdr_buffer_get(const Packet *p, HdrBufferKind kind, const uint8_t **data, uint32_t *len);
void hdrkw_register_hdr_buffers(void);

/* ---- tcp.* (kw-tcp-fields.c) ---- */
void hdrkw_register_tcp_fields(void);

/* ---- checksums (kw-csum.c) ---- */
typedef enum CsumKind {
    CSUM_IPV4 = 0,
    CSUM_TCPV4,
    CSUM_TCPV6,
    CSUM_UDPV4,
    CSUM_UDPV6,
    CSUM_ICMPV4,
    CSUM_ICMPV6,
} CsumKind;
/* 1: the packet's checksum of `kind` is valid, 0: invalid, -1: the packet
 * has no such checksum (other protocol, truncated, UDPv4 without one). */
int csum_packet_state(const Packet *p, CsumKind kind);
void hdrkw_register_csum(void);

/* ---- vlan (kw-vlan.c) ---- */
#define VLAN_LAYER_ANY 127 /* no layer given: any layer may match */
#define VLAN_LAYER_ALL 126 /* `all`: every layer must match */
typedef struct VlanIdCtx {
    DetectUint id;
    int8_t layer; /* 0..2, -1..-3 from the end, or VLAN_LAYER_* */
} VlanIdCtx;
VlanIdCtx *vlan_id_parse(const char *value, char *err, size_t errlen);
bool vlan_id_match(const Packet *p, const VlanIdCtx *c);
void hdrkw_register_vlan(void);

/* ---- hostbits (kw-hostbits.c) ---- */
struct XbitsCtx;
/* Parses `<set|unset|toggle|isset|isnotset>,<name>[,<src|dst>]` into an
 * xbits context tracking that host; `noalert` gives *noalert and NULL. */
struct XbitsCtx *hostbits_parse(const char *value, bool *noalert, char *err, size_t errlen);
void hdrkw_register_hostbits(void);

/* ---- flow counters (kw-flow-counters.c) ---- */
void hdrkw_register_flow_counters(void);

/* ---- entropy (kw-entropy.c) ---- */
/* Shannon entropy in bits per byte (0..8) of data[0..len). */
double entropy_of(const uint8_t *data, uint32_t len);
typedef struct EntropyCtx {
    uint8_t mode; /* DETECT_UINT_* comparison */
    double arg1, arg2;
    int32_t offset; /* start in the buffer (<= 0: its start) */
    uint32_t bytes; /* bytes measured when has_bytes */
    bool has_bytes;
    char var_name[48]; /* the flow value it records: the buffer's name ("file_data"), "" for none */
    uint32_t var_hash;
} EntropyCtx;
EntropyCtx *entropy_parse(const char *value, char *err, size_t errlen);
bool entropy_ctx_match(const EntropyCtx *c, const uint8_t *buf, uint32_t len);
void hdrkw_register_entropy(void);

/* ---- absent (kw-absent.c) ---- */
/* True when list l starts with `absent`, i.e. a transaction without that
 * buffer satisfies it (called by transaction inspection). */
struct SigMatchList;
bool absent_list_matches_missing(const struct SigMatchList *l);
void hdrkw_register_absent(void);

/* ---- gunzip (kw-gunzip.c) ---- */
/* Decompresses the gzip data in[0..in_len) into out, at most max bytes;
 * returns how many were produced (0 for data that is not gzip). */
uint32_t gunzip_decompress(const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t max);
/* Parses gunzip's option (NULL/empty: the default 1024). */
bool gunzip_parse_max(const char *value, uint32_t *max, char *err, size_t errlen);
void hdrkw_register_gunzip(void);

/* ---- iprep (kw-iprep.c) ---- */
typedef struct IprepTable IprepTable;
IprepTable *iprep_table_new(void);
void iprep_table_free(IprepTable *t);
/* One line of a categories file (`id,name,description`) / of a
 * reputation file (`ip[/cidr],category,score`); false when invalid. */
bool iprep_add_category_line(IprepTable *t, const char *line);
bool iprep_add_entry_line(IprepTable *t, const char *line);
void iprep_table_finish(IprepTable *t);
/* The category's id (1-59), 0 when unknown. */
int iprep_category_id(const IprepTable *t, const char *name);
/* The score of the most specific entry holding `a` in `cat`, -1 if none. */
int iprep_lookup(const IprepTable *t, const Address *a, uint8_t cat);
/* Parses the keyword's value against the categories of t. */
bool iprep_parse(const IprepTable *t, const char *value, uint8_t *side, uint8_t *cat, DetectUint *u, char *err,
                 size_t errlen);
bool iprep_match_table(const IprepTable *t, const Packet *p, uint8_t side, uint8_t cat, const DetectUint *u);
void hdrkw_register_iprep(void);

/* ---- bypass (kw-bypass.c) ---- */
struct Flow;
/* True when a bypass rule bypassed flow f (detection skips its packets). */
bool bypass_flow_is_bypassed(const struct Flow *f);
void hdrkw_register_bypass(void);

void keywords_register_hdrkw(void);

#endif
