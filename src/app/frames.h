/*
 * Frames (Suricata 8's app-layer frames): the protocol data units a parser
 * marks in a TCP stream -- an SSH record, an SMTP command line, an HTTP/1
 * request -- each a range of stream offsets with a protocol-defined type,
 * which the `frame:<proto>.<type>` rule buffer inspects and EVE alerts
 * describe (`frame` object).
 *
 * An AppFrames container belongs to one flow. The app-layer framework hands
 * it every byte of each direction before the parser sees them
 * (app_frames_feed_begin/_end around the parse call), so it knows the
 * stream offset of the data being parsed and keeps the bytes the open frames
 * still need (plus a short tail, for frames a parser opens at the start of a
 * line it buffered). While a parse call runs, the parser marks frames
 * through the app_frame_* functions, which act on that container (a
 * per-thread "current parse" context, so parsers need no extra plumbing;
 * outside a parse call they do nothing). Each direction also has a `stream`
 * frame: the whole direction, open-ended, whose bytes are the kept tail.
 *
 * Inline (IPS), as Suricata's frame inspection in inline mode, a frame is
 * not waited for: on every packet that brought new data to its direction
 * (and at flow end) each frame not yet fully inspected is inspected from
 * its progress point to the last byte that arrived (app_frame_inline_window),
 * and afterwards (app_frames_mark_inspected_inline) a complete frame is done
 * while an open one keeps a sliding window: its progress moves to
 * APP_FRAMES_INLINE_WINDOW bytes before the end of what was inspected, so
 * the next packet inspects those bytes again with the new ones.
 *
 * Frames are kept until detection inspected them (app_frames_mark_inspected)
 * and the direction's next data arrives (so the alerts of the packet that
 * inspected them can still describe them); the rest go with the container. Frames exist only when enabled
 * (app_frames_enable: a rule uses the frame keyword), so a run without frame
 * rules copies nothing.
 */
#ifndef ODLAR_APP_FRAMES_H
#define ODLAR_APP_FRAMES_H

#include <stdbool.h>
#include <stdint.h>

/* Frame type shared by every protocol: the direction's whole stream. */
#define APP_FRAME_TYPE_STREAM 0xffu
/* Most bytes kept per direction; older bytes are dropped (a frame whose
 * start fell out is inspected from the oldest kept byte). */
#define APP_FRAMES_KEEP_MAX (1024u * 1024u)
/* Inline: bytes of an open frame inspected again with the next data. */
#define APP_FRAMES_INLINE_WINDOW 2500u
/* Bytes kept behind the parse position when no frame needs them. */
#define APP_FRAMES_TAIL 65536u

typedef struct AppFrame {
    int64_t id; /* per flow, from 1 */
    uint8_t type; /* protocol frame type, or APP_FRAME_TYPE_STREAM */
    bool to_server;
    uint64_t offset; /* stream offset of the first byte */
    int64_t len; /* -1: not known yet */
    int64_t tx_id; /* -1: none */
    bool inspected; /* detection is done with it */
    uint64_t inline_progress; /* inline: bytes from its start not to inspect again */
} AppFrame;

typedef struct AppFramesDir {
    AppFrame *frames;
    uint32_t count, cap;
    uint8_t *keep; /* bytes [keep_off, keep_off + keep_len) of the stream */
    uint64_t keep_off;
    uint32_t keep_len, keep_cap;
    uint64_t end; /* stream offset after the last byte handed over */
    bool ended; /* the direction ended: every frame is as complete as it gets */
    uint64_t inline_seen; /* inline: `end` when detection last inspected the frames */
} AppFramesDir;

typedef struct AppFrames {
    AppFramesDir dir[2]; /* 0: to server */
    int64_t next_id;
    uint16_t proto; /* the flow's application protocol */
} AppFrames;

/* Turns frames on for the whole run (a rule uses them). */
void app_frames_enable(void);
bool app_frames_enabled(void);

AppFrames *app_frames_new(uint16_t proto);
void app_frames_free(AppFrames *fr);

/* The framework: bytes of a direction about to be parsed; sets the current
 * parse context until app_frames_feed_end. */
void app_frames_feed_begin(AppFrames *fr, bool to_server, const uint8_t *data, uint32_t len);
void app_frames_feed_end(void);
/* A hole of `len` bytes in a direction: frames lose those bytes. */
void app_frames_gap(AppFrames *fr, bool to_server, uint32_t len);
/* The direction ended. */
void app_frames_end(AppFrames *fr, bool to_server);

/* Parsers, during a parse call: opens a frame of `type` starting `rel`
 * bytes from the first byte of the data being parsed (negative: in data
 * of an earlier call), `len` bytes long (-1: unknown yet). Returns its id,
 * or -1 (frames off, no parse call, no memory). */
int64_t app_frame_open(uint8_t type, int64_t rel, int64_t len);
/* Sets the length of frame `id` of the direction being parsed. */
void app_frame_set_len(int64_t id, int64_t len);
/* Sets the length of frame `id` so that it ends `rel` bytes from the first
 * byte of the data being parsed. */
void app_frame_set_end(int64_t id, int64_t rel);
/* Ties frame `id` to transaction `tx_id`. */
void app_frame_set_tx(int64_t id, uint64_t tx_id);

/* Detection: frame `i` of direction `to_server` (NULL past the end). */
AppFrame *app_frames_get(AppFrames *fr, bool to_server, uint32_t i);
/* The frame with id `id` in either direction, or NULL. */
const AppFrame *app_frames_find(const AppFrames *fr, int64_t id);
/* True when all of the frame's bytes arrived (length known). */
bool app_frame_complete(const AppFrames *fr, const AppFrame *frm);
/* True when detection should inspect the frame now: not inspected yet and
 * complete, or the direction ended / the flow ends. */
bool app_frame_ready(const AppFrames *fr, const AppFrame *frm, bool flow_end);
/* True when a frame of direction `to_server` is ready at flow end. */
bool app_frames_pending(const AppFrames *fr, bool to_server);
/* The frame's bytes that are kept (may be fewer than its length). */
bool app_frame_data(const AppFrames *fr, const AppFrame *frm, const uint8_t **data, uint32_t *len);
/* After detection of a packet of direction `to_server` (or flow end):
 * marks the ready frames inspected (dropped when the direction's next data
 * comes). */
void app_frames_mark_inspected(AppFrames *fr, bool to_server, bool flow_end);

/* Inline (IPS) detection of a packet of the frame's direction (or at flow
 * end): true when the frame is due -- the direction got new data since the
 * last inspection or the flow ends, and the frame is not fully inspected --
 * with *data and *len the kept bytes from its progress point on and
 * *window_base their offset from the frame's start. */
bool app_frame_inline_window(const AppFrames *fr, const AppFrame *frm, bool flow_end, const uint8_t **data,
                             uint32_t *len, uint32_t *window_base);
/* Inline: after detection of a packet of direction `to_server` (or flow
 * end): the due frames move their progress (complete: done and marked
 * inspected; open: to APP_FRAMES_INLINE_WINDOW bytes before the end of
 * what was inspected). */
void app_frames_mark_inspected_inline(AppFrames *fr, bool to_server, bool flow_end);

#endif
