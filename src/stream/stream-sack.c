/*
 * Selective acknowledgements (RFC 2018). A SACK block in a packet says the
 * packet's sender holds peer bytes [left, right) beyond the cumulative ACK.
 * Like Suricata, the stream stage records those ranges on the acknowledged
 * stream to widen its acceptable window (next_win = last_ack + window +
 * sacked bytes) and to recognise outdated duplicate ACKs.
 *
 * At most STREAM_SACK_MAX disjoint ranges are kept per stream; when a new
 * range does not fit, the two closest ranges are merged (the window can only
 * grow a little, memory stays fixed). Ranges at or below last_ack are
 * dropped as the ACK moves.
 */
#include <string.h>

#include "stream/stream-private.h"

static void sack_remove(TcpStream *s, int i)
{
    memmove(&s->sack[i], &s->sack[i + 1], (size_t)(s->sack_count - i - 1) * sizeof(s->sack[0]));
    s->sack_count--;
}

/* Inserts [le, re) keeping ranges sorted and disjoint. */
static void sack_insert(TcpStream *s, uint32_t le, uint32_t re)
{
    int i = 0;
    /* absorb every range that overlaps or touches */
    while (i < s->sack_count) {
        uint32_t l = s->sack[i][0], r = s->sack[i][1];
        if (SEQ_LT(r, le) || SEQ_GT(l, re)) {
            i++;
            continue;
        }
        if (SEQ_LT(l, le))
            le = l;
        if (SEQ_GT(r, re))
            re = r;
        sack_remove(s, i);
    }
    if (s->sack_count == STREAM_SACK_MAX) {
        /* merge the two neighbours with the smallest hole between them */
        int best = 0;
        uint32_t best_hole = UINT32_MAX;
        for (int k = 0; k + 1 < s->sack_count; k++) {
            uint32_t hole = s->sack[k + 1][0] - s->sack[k][1];
            if (hole < best_hole) {
                best_hole = hole;
                best = k;
            }
        }
        s->sack[best][1] = s->sack[best + 1][1];
        sack_remove(s, best + 1);
    }
    int pos = 0;
    while (pos < s->sack_count && SEQ_LT(s->sack[pos][0], le))
        pos++;
    memmove(&s->sack[pos + 1], &s->sack[pos], (size_t)(s->sack_count - pos) * sizeof(s->sack[0]));
    s->sack[pos][0] = le;
    s->sack[pos][1] = re;
    s->sack_count++;
}

void stream_sack_update(TcpStream *stream, const Packet *p)
{
    for (int i = 0; i < p->tcp.sack_count && i < 4; i++) {
        uint32_t le = p->tcp.sack[i][0], re = p->tcp.sack[i][1];
        if (!SEQ_LT(le, re))
            continue; /* empty or reversed block */
        if (SEQ_LEQ(re, stream->last_ack))
            continue; /* already covered by the cumulative ACK */
        if (SEQ_GT(re, stream->next_win))
            continue; /* beyond anything the peer may have sent */
        if (SEQ_LT(le, stream->last_ack))
            le = stream->last_ack;
        sack_insert(stream, le, re);
    }
}

void stream_sack_prune(TcpStream *stream)
{
    int i = 0;
    while (i < stream->sack_count) {
        if (SEQ_LEQ(stream->sack[i][1], stream->last_ack)) {
            sack_remove(stream, i);
            continue;
        }
        if (SEQ_LT(stream->sack[i][0], stream->last_ack))
            stream->sack[i][0] = stream->last_ack;
        i++;
    }
}

uint32_t stream_sacked_size(const TcpStream *stream)
{
    uint32_t total = 0;
    for (int i = 0; i < stream->sack_count; i++)
        total += stream->sack[i][1] - stream->sack[i][0];
    return total;
}

/* True when every SACK block of p is already known: the packet tells
 * nothing new. */
bool stream_sack_is_outdated(const TcpStream *stream, const Packet *p)
{
    for (int i = 0; i < p->tcp.sack_count && i < 4; i++) {
        uint32_t le = p->tcp.sack[i][0], re = p->tcp.sack[i][1];
        if (SEQ_LEQ(re, stream->last_ack))
            continue;
        bool known = false;
        for (int k = 0; k < stream->sack_count; k++) {
            if (SEQ_LEQ(stream->sack[k][0], le) && SEQ_GEQ(stream->sack[k][1], re)) {
                known = true;
                break;
            }
        }
        if (!known)
            return false;
    }
    return true;
}
