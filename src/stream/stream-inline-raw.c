/*
 * Read-only accessors for the detection engine's raw stream inspection in
 * inline (IPS) mode, Suricata's StreamReassembleRawInline: there every
 * packet that added data inspects the contiguous stream data around its own
 * payload (cut to the direction's chunk size), whether or not that data was
 * acknowledged or handed on yet, and nothing else. The detection engine
 * keeps the bytes already handed on (its stream window); these functions
 * tell it how far that goes and copy out stored bytes not handed on yet,
 * e.g. those behind a hole. They live in src/stream because only the stream
 * stage knows TcpSession's layout.
 */
#include "stream/stream-private.h"
#include "stream/stream-store.h"
#include "stream/stream.h"

static const TcpStream *direction(const Flow *f, bool to_server)
{
    const TcpSession *ssn = f ? (const TcpSession *)f->tcp : NULL;
    if (!ssn)
        return NULL;
    return to_server ? &ssn->client : &ssn->server;
}

bool stream_tcp_inline_raw(const Flow *f, bool to_server, uint64_t *delivered, uint32_t *chunk)
{
    const TcpSession *ssn = f ? (const TcpSession *)f->tcp : NULL;
    const TcpStream *s = direction(f, to_server);
    if (!s || ssn->inline_chunk[to_server ? 0 : 1] == 0 || (s->flags & STF_NOREASSEMBLY))
        return false;
    *delivered = s->app_off;
    *chunk = ssn->inline_chunk[to_server ? 0 : 1];
    return true;
}

uint32_t stream_tcp_copy_stored(const Flow *f, bool to_server, uint64_t need_left, uint64_t need_right, uint64_t lo,
                                uint64_t hi, uint8_t *out, uint64_t *start)
{
    const TcpStream *s = direction(f, to_server);
    if (!s || need_left >= need_right || lo > need_left || hi < need_right)
        return 0;
    /* the run of adjacent blocks holding [need_left, need_right) */
    uint64_t run_start = 0, run_end = 0;
    bool in_run = false, found = false;
    for (const TcpBlock *b = s->blk_head; b; b = b->next) {
        if (!in_run || b->off != run_end) {
            if (in_run && run_start <= need_left && run_end >= need_right) {
                found = true;
                break;
            }
            run_start = b->off;
            in_run = true;
        }
        run_end = b->off + b->len;
    }
    if (!found && !(in_run && run_start <= need_left && run_end >= need_right))
        return 0;
    uint64_t from = run_start > lo ? run_start : lo;
    uint64_t to = run_end < hi ? run_end : hi;
    if (!store_read_exact(s, from, out, (uint32_t)(to - from)))
        return 0;
    *start = from;
    return (uint32_t)(to - from);
}
