/*
 * What the defrag files share among themselves: the tracker and fragment
 * structures and the functions that work on one tracker.
 *
 * A tracker holds the fragments of one datagram in a list sorted by offset;
 * fragments with equal offsets keep their arrival order (the later one sits
 * after), which is the order Suricata's fragment tree gives them and the
 * order reassembly copies them in. Each fragment keeps only what reassembly
 * needs: its data, and for the fragment at offset 0 the IP header bytes
 * (IPv4 header with options, or IPv6 header plus unfragmentable extension
 * headers).
 */
#ifndef ODLAR_DEFRAG_DEFRAG_INTERNAL_H
#define ODLAR_DEFRAG_DEFRAG_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "defrag/defrag.h"

typedef struct DefragFrag {
    struct DefragFrag *prev, *next; /* list sorted by offset */
    uint32_t offset; /* byte offset of data[0] in the fragmentable part */
    uint32_t data_len; /* bytes in data */
    uint32_t ltrim; /* leading data bytes a later fragment took over */
    uint32_t l2_len; /* link-layer bytes before the IP header, only when offset == 0 */
    uint16_t hdr_len; /* bytes of IP header before data, only when offset == 0 */
    uint8_t frag_nh; /* IPv6: next header of the fragment header */
    bool more_frags;
    bool skip; /* dropped by an overlap policy (removed at once, kept for fidelity) */
    int datalink; /* of the packet it came from */
    uint8_t *bytes; /* l2_len link bytes, hdr_len header bytes, data_len data bytes */
} DefragFrag;

static inline const uint8_t *defrag_frag_data(const DefragFrag *f) { return f->bytes + f->l2_len + f->hdr_len; }
static inline const uint8_t *defrag_frag_hdr(const DefragFrag *f) { return f->bytes + f->l2_len; }

typedef struct DefragKey {
    uint8_t af; /* 4 or 6 */
    uint8_t proto; /* IPv4 protocol; 0 for IPv6 */
    uint32_t id;
    Address src, dst;
    uint16_t vlan_id[PACKET_MAX_VLANS];
} DefragKey;

typedef struct DefragTracker {
    DefragKey key;
    DefragPolicy policy;
    OdTime host_timeout;
    OdTime timeout; /* expires when packet time reaches this; 0 = never fed */
    bool seen_last; /* a fragment with MF = 0 was stored */
    bool removed; /* reassembled or abandoned: holds nothing, awaits reuse */
    DefragFrag *head, *tail;
    uint32_t frag_count;
    uint32_t max_end; /* largest offset + data_len stored */

    uint32_t hash; /* of the key; picks the bucket */
    struct DefragTracker *hnext; /* hash chain */
    struct DefragTracker *lru_prev, *lru_next; /* front = first to reuse or expire */
} DefragTracker;

/* What defrag_insert learnt about a fragment from its packet. */
typedef struct DefragFragInfo {
    uint8_t af;
    bool more_frags;
    uint32_t offset; /* bytes */
    const uint8_t *l2; /* packet bytes before the IP header */
    uint32_t l2_len;
    int datalink;
    const uint8_t *hdr; /* l3 start */
    uint16_t hdr_len; /* IPv4 hlen, IPv6 offset of the fragment header */
    const uint8_t *data;
    uint32_t data_len;
    uint8_t frag_nh; /* IPv6 */
    uint16_t prev_nh_off; /* IPv6: offset from l3 of the next-header byte naming the fragment header */
} DefragFragInfo;

/* Storage the tracker functions ask the table for, so caps and counters
 * stay in one place (defrag-table.c). */
DefragFrag *defrag_table_frag_alloc(DefragTable *t, Packet *p, uint8_t af, uint32_t nbytes);
void defrag_table_frag_free(DefragTable *t, DefragFrag *f);

/* Inserts the fragment per the tracker's overlap policy (defrag-insert.c).
 * Sets *overlap when it overlapped stored data. Returns false when the
 * fragment was not stored (covered by what is there, empty, or refused for
 * lack of room), true when it was. */
bool defrag_tracker_insert(DefragTable *t, DefragTracker *tr, Packet *p, const DefragFragInfo *fi, bool *overlap);

/* Frees every fragment of the tracker. */
void defrag_tracker_clear(DefragTable *t, DefragTracker *tr);

/* Result of a reassembly attempt (defrag-reassemble.c). */
typedef enum DefragReasm {
    DEFRAG_REASM_WAIT, /* not complete yet */
    DEFRAG_REASM_DONE, /* *out holds the datagram */
    DEFRAG_REASM_FAIL, /* complete but unusable: the tracker must be dropped */
} DefragReasm;

/* Builds the datagram from the tracker's fragments when the last fragment has
 * been seen and nothing is missing; `p` is the fragment that completed it. */
DefragReasm defrag_reassemble(DefragTracker *tr, const Packet *p, Packet **out);

#endif
