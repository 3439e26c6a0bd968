/*
 * The stored data of one direction of a TCP session, walked for output:
 * the payload of an IDS alert that matched in the raw stream. Suricata
 * (StreamReassembleLog from the stream's base offset, called by its EVE
 * alert logger) shows all the data it still holds for the alerting
 * packet's direction -- from the left edge of what is not yet released to
 * the right edge of what is stored, the alerting packet's not yet
 * acknowledged bytes included -- with the holes between stored regions
 * marked. The walk reads only the stream store's blocks (stream-store.c),
 * which keep the bytes in stream order; a hole is the distance between
 * one block's end (or the stream's base) and the next block's start.
 * The caller stops the walk when it has what it shows (the payload's size
 * limit).
 */
#include "stream/stream-private.h"

uint64_t stream_tcp_for_each_stored(const Flow *f, bool to_server, StreamStoredFn fn, void *ctx)
{
    const TcpSession *ssn = f ? (const TcpSession *)f->tcp : NULL;
    if (!ssn)
        return 0;
    const TcpStream *stream = to_server ? &ssn->client : &ssn->server;
    if (stream->flags & STF_NOREASSEMBLY)
        return 0;
    uint64_t at = stream->base_off, passed = 0;
    for (const TcpBlock *b = stream->blk_head; b; b = b->next) {
        if (b->len == 0 || b->off + b->len <= at)
            continue;
        uint64_t skip = b->off < at ? at - b->off : 0;
        uint64_t hole = b->off > at ? b->off - at : 0;
        passed += b->len - skip;
        at = b->off + b->len;
        if (!fn(ctx, hole, b->data + skip, (uint32_t)(b->len - skip)))
            break;
    }
    return passed;
}
