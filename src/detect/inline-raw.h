/*
 * Inline (IPS) raw stream inspection window of a TCP packet (see
 * inline-raw.c): which stream bytes a packet inspects when the session runs
 * inline, instead of the bytes handed on since the last packet.
 */
#ifndef ODLAR_DETECT_INLINE_RAW_H
#define ODLAR_DETECT_INLINE_RAW_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/detect.h"

/* False when p's flow does not run inline (use the IDS window). Otherwise
 * true with *out and *out_len the bytes p inspects (NULL/0: none); they stay
 * valid until the next call or the window changes. */
bool detect_inline_raw_window(DetectThread *dt, const DetectStreamDir *sd, const Packet *p, const uint8_t **out,
                              uint32_t *out_len);

#endif
