/*
 * Storing one fragment in its tracker, resolving overlaps per policy.
 *
 * Overlapping IP fragments (RFC 791 leaves the choice open, RFC 8200 and
 * RFC 5722 say to drop the datagram) are reassembled differently by
 * different stacks, which attackers use to show an IDS other bytes than the
 * target sees (Novak, "Target-Based Fragmentation Reassembly", 2005). Like
 * Suricata we imitate the target's stack: each tracker has a policy (first,
 * last, bsd, bsd-right, linux, windows, solaris) and a new fragment either
 * gets its front trimmed ("ltrim"), trims the front of a stored fragment,
 * replaces stored fragments, or is dropped.
 *
 * The walk over stored fragments, the order in which they are looked at and
 * the arithmetic of every policy follow Suricata 8's DefragInsertFrag step
 * for step, quirks included, because the bytes a rule sees depend on them:
 *  - the walk starts at the fragment before the first one whose offset is at
 *    least the new offset, or at the lowest fragment when there is none;
 *  - trimming is done by offsets, not by comparing data;
 *  - a fragment whose front was trimmed away entirely stays stored until a
 *    later walk stops on it.
 * Two shortcuts skip walks that could not change anything: when the new
 * fragment starts at or after the end of everything stored, and (for the
 * linux, windows and bsd-right policies, whose walks do not stop early)
 * once the stored fragments start at or after the new fragment's end.
 */
#include <stdlib.h>
#include <string.h>

#include "defrag/defrag-internal.h"
#include "util/bytes.h"

static void list_unlink(DefragTracker *tr, DefragFrag *f)
{
    if (f->prev)
        f->prev->next = f->next;
    else
        tr->head = f->next;
    if (f->next)
        f->next->prev = f->prev;
    else
        tr->tail = f->prev;
    f->prev = f->next = NULL;
    tr->frag_count--;
    if (!tr->head)
        tr->max_end = 0;
}

/* Links f after the last fragment whose offset is <= f->offset. */
static void list_insert_sorted(DefragTracker *tr, DefragFrag *f)
{
    DefragFrag *after = tr->tail;
    while (after && after->offset > f->offset)
        after = after->prev;
    f->prev = after;
    f->next = after ? after->next : tr->head;
    if (f->next)
        f->next->prev = f;
    else
        tr->tail = f;
    if (after)
        after->next = f;
    else
        tr->head = f;
    tr->frag_count++;
    if (f->offset + f->data_len > tr->max_end)
        tr->max_end = f->offset + f->data_len;
}

void defrag_tracker_clear(DefragTable *t, DefragTracker *tr)
{
    DefragFrag *f = tr->head;
    while (f) {
        DefragFrag *n = f->next;
        defrag_table_frag_free(t, f);
        f = n;
    }
    tr->head = tr->tail = NULL;
    tr->frag_count = 0;
    tr->max_end = 0;
}

/* Finds the offset (from l3) of the next-header byte that names the IPv6
 * fragment header at frag_hdr_off, walking the extension headers before it
 * (RFC 8200 section 4: each starts with Next Header and Hdr Ext Len; AH
 * counts 4-byte units minus 2, the others 8-byte units minus 1). Returns 0
 * when the chain does not land exactly on the fragment header. */
static uint16_t ipv6_find_prev_nh(const uint8_t *l3, uint16_t frag_hdr_off)
{
    if (frag_hdr_off < 40)
        return 0;
    uint32_t nh_off = 6, pos = 40;
    uint8_t nh = rd_u8(l3 + 6);
    while (pos < frag_hdr_off) {
        if (nh == 44 || pos + 2 > frag_hdr_off)
            return 0;
        uint32_t len = nh == 51 ? ((uint32_t)rd_u8(l3 + pos + 1) + 2) * 4 : ((uint32_t)rd_u8(l3 + pos + 1) + 1) * 8;
        nh_off = pos;
        nh = rd_u8(l3 + pos);
        pos += len;
    }
    return (pos == frag_hdr_off && nh == 44) ? (uint16_t)nh_off : 0;
}

enum walk_result { WALK_NEXT, WALK_INSERT, WALK_DROP };

/* One step of the policy walk: compares the new fragment [frag_offset,
 * frag_end) with the stored fragment `prev` (`next` is the one after it).
 * May trim the new fragment (*ltrim), or trim/skip the stored ones. */
static enum walk_result policy_step(DefragPolicy policy, uint32_t frag_offset, uint32_t frag_end, uint32_t *ltrim,
                                    DefragFrag *prev, DefragFrag *next)
{
    uint32_t prev_end = prev->offset + prev->data_len;
    switch (policy) {
    case DEFRAG_POLICY_BSD:
        if (frag_offset < prev_end) {
            if (prev->offset <= frag_offset) {
                /* prefer the stored data: trim what it already holds */
                if (prev_end > frag_end)
                    return WALK_DROP;
                *ltrim = prev_end - frag_offset;
                if (next && frag_end > next->offset)
                    next->ltrim = frag_end - next->offset;
                return WALK_INSERT;
            }
            /* the new fragment starts first: it wins over the front of prev */
            if (frag_offset <= prev->offset && frag_end > prev->offset + prev->ltrim) {
                uint32_t prev_ltrim = frag_end - prev->offset;
                if (prev_ltrim > prev->ltrim)
                    prev->ltrim = prev_ltrim;
            }
            if (next && frag_end > next->offset)
                next->ltrim = frag_end - next->offset;
            return WALK_INSERT;
        }
        return WALK_NEXT;
    case DEFRAG_POLICY_LINUX:
        /* new overlaps the end of prev: trim the new one */
        if (prev->offset + prev->ltrim < frag_offset + *ltrim && prev_end > frag_offset + *ltrim)
            *ltrim += prev_end - frag_offset;
        /* new overlaps the start of prev: trim prev */
        if (frag_offset + *ltrim < prev->offset + prev->ltrim && frag_end > prev->offset + prev->ltrim) {
            prev->ltrim += frag_end - (prev->offset + prev->ltrim);
            return WALK_INSERT;
        }
        /* new covers prev entirely: prev goes */
        if (frag_offset + *ltrim <= prev->offset + prev->ltrim && frag_end >= prev_end) {
            prev->skip = true;
            return WALK_INSERT;
        }
        return WALK_NEXT;
    case DEFRAG_POLICY_WINDOWS:
        /* new fits inside prev: drop it */
        if (frag_offset + *ltrim >= prev->offset + *ltrim && frag_end <= prev_end)
            return WALK_DROP;
        /* new starts before and ends after prev: prev goes */
        if (frag_offset + *ltrim < prev->offset + *ltrim && frag_end > prev_end) {
            prev->skip = true;
            return WALK_INSERT;
        }
        /* new overlaps the end of prev: trim the new one */
        if (frag_offset + *ltrim > prev->offset + prev->ltrim && frag_offset + *ltrim < prev_end) {
            *ltrim += prev_end - frag_offset;
            return WALK_INSERT;
        }
        /* same start, new is longer: trim the new one */
        if (frag_offset + *ltrim == prev->offset + *ltrim && frag_end > prev_end) {
            *ltrim += prev_end - frag_offset;
            return WALK_INSERT;
        }
        return WALK_NEXT;
    case DEFRAG_POLICY_SOLARIS:
        if (frag_offset < prev_end) {
            if (frag_offset >= prev->offset)
                *ltrim = prev_end - frag_offset;
            if (frag_offset < prev->offset && frag_end >= prev_end)
                prev->skip = true;
            return WALK_INSERT;
        }
        return WALK_NEXT;
    case DEFRAG_POLICY_FIRST:
        if (frag_offset >= prev->offset && frag_end <= prev_end)
            return WALK_DROP;
        if (frag_offset < prev->offset)
            return WALK_INSERT;
        if (frag_offset < prev_end) {
            *ltrim = prev_end - frag_offset;
            return WALK_INSERT;
        }
        return WALK_NEXT;
    case DEFRAG_POLICY_LAST:
        if (frag_offset <= prev->offset) {
            if (frag_end > prev->offset)
                prev->ltrim = frag_end - prev->offset;
            return WALK_INSERT;
        }
        return WALK_NEXT;
    case DEFRAG_POLICY_BSD_RIGHT:
        return WALK_NEXT; /* no trimming: copy order decides */
    }
    return WALK_NEXT;
}

/* Policies whose walk never stops on a fragment that lies wholly after the
 * new one, so such fragments can be skipped. */
static bool walk_runs_to_end(DefragPolicy policy)
{
    return policy == DEFRAG_POLICY_LINUX || policy == DEFRAG_POLICY_WINDOWS || policy == DEFRAG_POLICY_BSD_RIGHT;
}

bool defrag_tracker_insert(DefragTable *t, DefragTracker *tr, Packet *p, const DefragFragInfo *fi, bool *overlap)
{
    const uint32_t frag_offset = fi->offset;
    const uint32_t data_len = fi->data_len;
    const uint32_t frag_end = frag_offset + data_len;
    uint32_t ltrim = 0;
    *overlap = false;

    bool beyond_all = tr->tail && tr->tail->offset < frag_offset && tr->max_end <= frag_offset && data_len > 0;
    if (tr->head && !beyond_all) {
        /* next = first stored fragment with offset >= frag_offset */
        DefragFrag *next = NULL;
        for (DefragFrag *f = tr->tail; f && f->offset >= frag_offset; f = f->prev)
            next = f;
        DefragFrag *prev;
        if (!next) {
            prev = tr->head;
            next = prev->next;
        } else {
            prev = next->prev;
            if (!prev) {
                prev = next;
                next = next->next;
            }
        }
        while (prev) {
            if (!prev->skip) {
                if (walk_runs_to_end(tr->policy) && data_len > 0 && prev->offset >= frag_end)
                    break;
                if (frag_offset < prev->offset + prev->data_len && prev->offset < frag_end)
                    *overlap = true;
                enum walk_result r = policy_step(tr->policy, frag_offset, frag_end, &ltrim, prev, next);
                if (r == WALK_DROP)
                    return false;
                if (r == WALK_INSERT) {
                    /* a stored fragment that lost all its data goes now */
                    if (prev->skip || prev->ltrim >= prev->data_len) {
                        list_unlink(tr, prev);
                        defrag_table_frag_free(t, prev);
                    }
                    break;
                }
            }
            prev = next;
            if (next)
                next = next->next;
        }
    }

    if (ltrim >= data_len)
        return false; /* nothing new left (or an empty fragment) */

    /* The fragment that lands at offset 0 keeps its link-layer and IP
     * headers: they start the rebuilt packet. */
    const uint32_t new_offset = frag_offset + ltrim;
    const bool first = new_offset == 0;
    const uint32_t l2_len = first ? fi->l2_len : 0;
    const uint16_t hdr_len = first ? fi->hdr_len : 0;
    const uint32_t new_len = data_len - ltrim;
    DefragFrag *f = defrag_table_frag_alloc(t, p, fi->af, l2_len + hdr_len + new_len);
    if (!f)
        return false;
    f->offset = new_offset;
    f->data_len = new_len;
    f->ltrim = 0;
    f->l2_len = l2_len;
    f->hdr_len = hdr_len;
    f->frag_nh = fi->frag_nh;
    f->more_frags = fi->more_frags;
    f->skip = false;
    f->datalink = fi->datalink;
    if (first) {
        memcpy(f->bytes, fi->l2, l2_len);
        uint8_t *hdr = f->bytes + l2_len;
        memcpy(hdr, fi->hdr, hdr_len);
        if (fi->af == 6 && hdr_len > 40) {
            /* unfragmentable extension headers: the one before the fragment
             * header must name what follows the fragment header */
            uint16_t nh_off = fi->prev_nh_off;
            if (nh_off < 40 || nh_off >= hdr_len)
                nh_off = ipv6_find_prev_nh(fi->hdr, hdr_len);
            if (nh_off >= 40 && nh_off < hdr_len)
                hdr[nh_off] = fi->frag_nh;
        }
    }
    memcpy(f->bytes + l2_len + hdr_len, fi->data + ltrim, new_len);
    list_insert_sorted(tr, f);
    if (!fi->more_frags)
        tr->seen_last = true;
    return true;
}
