/*
 * A loaded rule (signature) and the lists of keyword instances it carries.
 *
 * The rule parser (rule-parse.c) turns one line of Suricata 8 rule language
 * into a Signature: the header (action, protocol, addresses, ports,
 * direction) and the options, each option becoming a SigMatch -- a keyword
 * id plus that keyword's parsed data -- appended to one of the signature's
 * match lists. Which list depends on the keyword: packet-header keywords
 * (ttl, flags, dsize...) go to SIG_LIST_MATCH, content-like keywords go to
 * the list of the buffer they inspect (the packet payload/stream by default,
 * or the sticky buffer set before them, e.g. `http.uri;`), and keywords that
 * act after a match (flowbits:set, flowint, tag) go to SIG_LIST_POSTMATCH.
 * Signatures are built once and then read-only: per-packet state lives in
 * the DetectThread, per-flow state in the flow.
 */
#ifndef ODLAR_DETECT_SIGNATURE_H
#define ODLAR_DETECT_SIGNATURE_H

#include <stdbool.h>
#include <stdint.h>

struct AddressSet;
struct PortSet;

typedef enum SigAction {
    SIG_ACTION_ALERT = 0,
    SIG_ACTION_PASS,
    SIG_ACTION_DROP,
    SIG_ACTION_REJECT,
    SIG_ACTION_REJECTSRC,
    SIG_ACTION_REJECTDST,
    SIG_ACTION_REJECTBOTH,
} SigAction;

/* Fixed lists; buffer lists follow, numbered SIG_LIST_BUFFER_BASE + buffer id
 * (see buffer.h). SIG_LIST_PMATCH is the packet payload / raw stream. */
typedef enum SigListId {
    SIG_LIST_MATCH = 0, /* packet-level keywords, evaluated on every packet */
    SIG_LIST_PMATCH, /* payload keywords: packet payload and reassembled stream */
    SIG_LIST_POSTMATCH, /* run once the signature matched */
    SIG_LIST_SUPPRESS, /* threshold/detection_filter */
    SIG_LIST_BUFFER_BASE,
} SigListId;

typedef struct SigMatch {
    uint16_t kw; /* index into the keyword table (keyword.h) */
    /* SIG_LIST_MATCH: the option's id in the per-packet verdict cache
     * (option-cache.h), set at engine build; 0: evaluated every time */
    uint32_t opt_id;
    void *ctx; /* the keyword's parsed data, owned by the signature */
} SigMatch;

typedef struct SigMatchList {
    uint16_t list_id;
    uint16_t count, cap;
    SigMatch *items;
    /* transforms applied to the buffer before inspection, in rule order */
    uint16_t transform_count;
    SigMatch *transforms;
    /* the first transforms_borrowed transforms are owned by an earlier
     * instance of the same buffer (this instance continued its chain) */
    uint16_t transforms_borrowed;
    /* 0: the buffer's own direction(s); else BUF_DIR_TOSERVER/TOCLIENT
     * (`http.connection: to_client;` in a `=>` rule) */
    uint8_t dir;
} SigMatchList;

/* One buffer may have several lists (instances) in a rule: the buffer again
 * with a transform added after a content (`http.uri; content:"a";
 * from_base64; content:"b";`), or pinned to one direction. Instance k of
 * buffer list L has id L + k * SIG_LIST_INSTANCE_STEP; side lists
 * (>= SIG_LIST_SIDE_BASE, e.g. base64_data's) have no instances. */
#define SIG_LIST_INSTANCE_STEP 0x200u
#define SIG_LIST_INSTANCE_MAX 32u
#define SIG_LIST_SIDE_BASE 0xF000u
/* The side list of the `prefilter` keyword's mark (kw-prefilter-keyword.c):
 * no keyword in it is ever evaluated. */
#define SIG_LIST_PREFILTER_MARK ((uint16_t)0xFFF1)
static inline uint16_t sig_list_plain(uint16_t list_id)
{
    if (list_id < SIG_LIST_BUFFER_BASE || list_id >= SIG_LIST_SIDE_BASE)
        return list_id;
    return (uint16_t)(SIG_LIST_BUFFER_BASE + (list_id - SIG_LIST_BUFFER_BASE) % SIG_LIST_INSTANCE_STEP);
}

typedef struct SigReference {
    char *key; /* "url", "cve", ... */
    char *value;
} SigReference;

typedef struct SigMetadata {
    const char *key, *value; /* inside a block: one per metadata keyword */
    char *block; /* that block, on the keyword's first entry only (frees it) */
} SigMetadata;

/* Signature flags */
#define SIG_FLAG_TOSERVER (1u << 0) /* flow:to_server / from_client */
#define SIG_FLAG_TOCLIENT (1u << 1)
#define SIG_FLAG_ESTABLISHED (1u << 2)
#define SIG_FLAG_NOT_ESTABLISHED (1u << 3)
#define SIG_FLAG_STATELESS (1u << 4)
#define SIG_FLAG_ONLY_STREAM (1u << 5)
#define SIG_FLAG_NO_STREAM (1u << 6)
#define SIG_FLAG_BIDIRECTIONAL (1u << 7) /* `<>` */
#define SIG_FLAG_NOALERT (1u << 8)
#define SIG_FLAG_SRC_ANY (1u << 9)
#define SIG_FLAG_DST_ANY (1u << 10)
#define SIG_FLAG_SP_ANY (1u << 11)
#define SIG_FLAG_DP_ANY (1u << 12)
#define SIG_FLAG_IPONLY (1u << 13) /* only addresses/ports/ip keywords: decided per flow */
#define SIG_FLAG_PROTO_TCP_PKT (1u << 14) /* tcp-pkt: packet payload only */
#define SIG_FLAG_PROTO_TCP_STREAM (1u << 15) /* tcp-stream: stream only */
#define SIG_FLAG_PKTHDR (1u << 16) /* pkthdr: any packet, even undecoded */
#define SIG_FLAG_FLOW_SET (1u << 17) /* a flow keyword was given */
#define SIG_FLAG_TARGET_SRC (1u << 18)
#define SIG_FLAG_TARGET_DST (1u << 19)
#define SIG_FLAG_ALERT (1u << 20) /* `alert;`: a pass rule that alerts too */
#define SIG_FLAG_FRAME (1u << 21) /* frames: a frame keyword; one alert per matching frame */
#define SIG_FLAG_TXBOTHDIR (1u << 24) /* `=>`: one transaction, buffers of both directions */
#define SIG_FLAG_CONFIG (1u << 22) /* `config` action: changes settings, never alerts */
#define SIG_FLAG_NOLOG_TX (1u << 23) /* `config: logging disable, type tx, scope tx` */
/* stream rule that inspects each packet's payload too, even once its data
 * went to the stream: a payload content with depth/offset (Suricata's
 * SIG_FLAG_REQUIRE_PACKET next to REQUIRE_STREAM) */
#define SIG_FLAG_STREAM_AND_PACKET (1u << 25)
/* files: a protocol-less rule with file buffers only, run on the files of
 * every protocol that carries them (file-protocols.h) */
#define SIG_FLAG_FILE_ANY_PROTO (1u << 26)
/* the header said `http1`: HTTP/1 flows only, where `http` also means
 * HTTP/2 (file-protocols.h) */
#define SIG_FLAG_HTTP1_ONLY (1u << 27)

typedef struct Signature {
    uint32_t num; /* position in the engine's signature array */
    uint32_t gid, sid, rev;
    int priority; /* from priority:, else classtype, else 3 */
    SigAction action;
    uint32_t flags;

    char *msg;
    char *classtype; /* short name, NULL when none */
    char *class_desc; /* description shown as alert.category */
    SigReference *refs;
    uint16_t ref_count;
    SigMetadata *meta;
    uint16_t meta_count;

    /* header */
    uint8_t proto[32]; /* bitmap of IP protocols the rule applies to */
    bool proto_any; /* `ip` / `pkthdr` */
    uint16_t app_proto; /* 0 = none, else AppProto value (app-layer protocol rules) */
    struct AddressSet *src, *dst;
    struct PortSet *sp, *dp;

    /* options */
    SigMatchList *lists; /* indexed by position; see detect_sig_list() */
    uint16_t list_count;

    /* the content used for prefiltering (set by the engine builder) */
    const SigMatch *fast_pattern;
    uint16_t fast_pattern_list;

    int line; /* where it starts in its rule file (the file is named in load errors) */
} Signature;

/* The list with id `list_id`, or NULL when the signature has none. */
const SigMatchList *sig_list(const Signature *s, uint16_t list_id);

/* --- added by the detection core (signature.c) --- */
/* A zeroed signature with gid 1 and priority unset (0 = not given). */
Signature *signature_new(void);
/* Frees the signature, every keyword's ctx (through KeywordDef.free) and
 * every string it owns. NULL is fine. */
void signature_free(Signature *s);
/* The list with id `list_id`, created (empty) when missing; NULL when out of
 * memory or when the signature already holds SIG_MAX_LISTS lists. */
#define SIG_MAX_LISTS 64
SigMatchList *sig_list_get_or_add(Signature *s, uint16_t list_id);

#endif
