/*
 * Segment and content storage of a TcpStream (stream-store.c), with the
 * reassembly memory accounting. Offsets are 64-bit stream offsets.
 */
#ifndef ODLAR_STREAM_STREAM_STORE_H
#define ODLAR_STREAM_STREAM_STORE_H

#include "stream/stream-private.h"

/* Charges/credits reassembly memory (false: stream.reassembly.memcap). */
bool store_reserve(StreamThread *st, uint64_t size);
void store_release(StreamThread *st, uint64_t size);

/* Records a segment [off, off+len). Returns 0 with *out = the new record,
 * 2 with *dup = an existing record of the same offset and length (nothing
 * added), -1 when memory is refused. */
int store_seg_insert(StreamThread *st, TcpStream *stream, uint64_t off, uint32_t len, TcpSeg **out,
        TcpSeg **dup);
void store_seg_remove(StreamThread *st, TcpStream *stream, TcpSeg *s);

/* Writes bytes at `off`, overwriting what is there. 0, or -1 on memory. */
int store_write(StreamThread *st, TcpStream *stream, uint64_t off, const uint8_t *data, uint32_t len);
/* The first block with content at or after `off`, NULL when none. */
const TcpBlock *store_block_at_or_after(const TcpStream *stream, uint64_t off);
/* Whether any content lies in [off, end). */
bool store_has_content(const TcpStream *stream, uint64_t off, uint64_t end);
/* Copies [off, off+len) out; false when part of it has no content. */
bool store_read_exact(const TcpStream *stream, uint64_t off, uint8_t *out, uint32_t len);
/* Frees segments entirely before `left_edge` and content before it. */
void store_trim(StreamThread *st, TcpStream *stream, uint64_t left_edge);
void store_clear(StreamThread *st, TcpStream *stream);

#endif
