/*
 * The stream payload of an EVE alert with the holes of the reassembled
 * stream written into it, as Suricata 8 shows them: "VERY[4 bytes
 * missing]DATA" in both `payload` and `payload_printable`.
 */
#ifndef ODLAR_OUTPUT_EVE_STREAM_GAPS_H
#define ODLAR_OUTPUT_EVE_STREAM_GAPS_H

#include <stdint.h>

#include "detect/detect-engine.h"
#include "flow/flow.h"

/* `data`/`*len` is the window that starts `base` bytes into the flow's
 * stream buffer; gaps[i].pos count from the buffer's start. Returns a
 * malloc'ed copy with "[N bytes missing]" before every byte that follows a
 * hole lying in the window (setting *len to its length), or NULL when no
 * hole lies in it or memory ran out (*len unchanged). */
uint8_t *eve_stream_with_gaps(const uint8_t *data, uint32_t *len, const DetectStreamGap *gaps, uint32_t gap_count,
                              uint32_t base);

/* IDS raw-stream alerts: the data still stored for direction to_server (or
 * the other) of f's TCP session, from the left edge of what is not yet
 * released to the right edge of what is stored, with "[N bytes missing]"
 * where holes lie between stored regions, kept to its first `limit` bytes
 * (markers included; the walk stops there). Returns a malloc'ed buffer and
 * sets *len, or NULL when nothing is stored, limit is 0 or memory ran out. */
uint8_t *eve_stream_stored(const Flow *f, bool to_server, uint32_t limit, uint32_t *len);

/* Suricata 8's eve-log alert `payload-buffer-size` (default 4 KiB) is the
 * size of the buffer its stream payloads (StreamReassembleLog from the
 * stream's base offset) are written into; one byte stays for the buffer's
 * terminator and writing stops when it is full. So a stream payload is
 * the first `size - 1` bytes of the rendering, the start of the stream
 * kept. Returns that many bytes (0 for a size of 0). */
uint32_t eve_stream_payload_limit(uint32_t payload_buffer_size);

#endif
