/*
 * Transaction inspection: how the detect loop evaluates a signature's
 * application-layer buffer lists (http.uri, dns.query, ...) against the
 * transactions of the flow's parser state.
 *
 * For a signature tied to an application protocol that has buffer lists,
 * each transaction of the flow (app_layer_state) that the signature did not
 * match yet is inspected: every buffer list must match on the buffer (one
 * of the instances of a multi-buffer) in a direction the buffer belongs to,
 * once the transaction progressed far enough for that buffer (at flow end,
 * whatever exists), after the list's transforms. A streaming buffer (an
 * HTTP body, file.data) is inspected on its own direction's packets in
 * the window its parser gives for the run, moved on after each run
 * (AppParserDef.tx_inspected); a body list that matched stays matched for
 * the transaction (DetectAppListMatch). As in Suricata a signature
 * alerts at most once per transaction and direction. Per flow and direction, a watermark
 * records the transactions complete on both sides that the direction's
 * packets already inspected; transactions below both watermarks are never
 * looked at again and the app-layer framework may release them (the
 * release hold registered by detect_app_init).
 */
#ifndef ODLAR_DETECT_DETECT_APP_H
#define ODLAR_DETECT_DETECT_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"
#include "detect/signature.h"
#include "detect/tx-guess.h"
#include "flow/flow.h"

struct DetectThread;

typedef struct DetectAppMatch {
    uint64_t tx_id;
    uint32_t sig;
    uint8_t dir; /* Suricata keeps detection state per direction */
    uint32_t files; /* file rules: the direction's files when it matched (newer ones are inspected again) */
} DetectAppMatch;

/* A streaming buffer list (an HTTP body window, BufferDef window) that
 * matched a transaction in an earlier run while the rest of the signature
 * did not: as Suricata keeps an engine's match in the transaction's detect
 * state, the list counts as matched in later runs (whose windows hold
 * newer bytes only), and the signature stays a candidate of the app
 * prefilter for that direction whatever the newer bytes hold. */
typedef struct DetectAppListMatch {
    uint64_t tx_id;
    uint32_t sig;
    uint16_t list; /* index in the signature's lists */
    uint8_t dir; /* of the packets the signature was evaluated on */
} DetectAppListMatch;

/* The app prefilter's last answer for one direction (prefilter-app.h),
 * valid while the parser generation, state and transaction range stay. */
typedef struct DetectAppPfCache {
    bool valid;
    bool flow_end; /* the flow's last run: every body is ready (streaming buffers) */
    uint32_t gen;
    const void *state;
    uint64_t lo, hi;
    uint32_t *nums; /* candidate signature nums, ascending */
    uint32_t count, cap;
} DetectAppPfCache;

/* Transactions marked unlogged kept per flow; a transaction is logged soon
 * after detection finished on it, so only the latest marks matter. */
#define DETECT_APP_NOLOG_KEEP 16

/* Per-flow transaction inspection progress (DetectFlow.app). */
typedef struct DetectAppFlow {
    uint64_t done[2]; /* per direction: transactions below were fully inspected */
    DetectAppMatch *matched; /* (tx, signature) pairs that alerted, tx >= min(done) */
    uint32_t count, cap;
    DetectAppListMatch *list_matched; /* streaming lists matched in earlier runs, tx >= min(done) */
    uint32_t list_count, list_cap;
    DetectAppPfCache pf[2];
    uint8_t filestore_flow; /* filestore flow scope: directions whose files are all stored (kw-filestore.h) */
    uint64_t filestore_from; /* ... in the transactions from this one on */
    /* transactions a `config` rule took out of logging (the last ones) */
    uint64_t nolog[DETECT_APP_NOLOG_KEEP];
    int32_t nolog_dns_id[DETECT_APP_NOLOG_KEEP]; /* DNS: the message id (-1: none) */
    uint32_t nolog_count;
    DetectTxGuess guess; /* detect.guess-applayer-tx (tx-guess.h) */
} DetectAppFlow;

/* Most transactions one signature can match on one packet. */
#define DETECT_APP_MAX_TX 32

struct AppParserDef;
struct BufferDef;
struct InspectBuffer;

/* Registers the app-layer release hold and logging filter; called once at
 * start-up. */
void detect_app_init(void);
/* Takes the transactions txs (count n) of f out of logging (config rules). */
void detect_app_nolog(Flow *f, const uint64_t *txs, uint32_t n);
/* True when s inspects application-layer buffers. */
bool detect_app_sig(const Signature *s);
/* Inspects the transactions of f for s on packet p of direction `dir`
 * (0 to server); records and returns the ids of the transactions that
 * matched (at most max) in txs. */
uint32_t detect_app_match(struct DetectThread *dt, const Signature *s, const Packet *p, Flow *f, int dir,
                          bool flow_end, uint64_t *txs, uint32_t max);
/* After every signature ran for a packet of direction `dir` (or at flow
 * end): advances the direction's watermark. */
void detect_app_after(Flow *f, int dir, bool flow_end);
/* True when f has transactions detection did not finish inspecting. */
bool detect_app_pending(const Flow *f, int dir);
/* First transaction id of f detection still needs (UINT64_MAX: none). */
uint64_t detect_app_hold(const Flow *f);
void detect_app_flow_free(DetectAppFlow *af);

/* --- for the app prefilter (prefilter-app.c) --- */
/* f's detection progress record, created when missing (NULL: no memory or
 * no detection state on the flow). */
DetectAppFlow *detect_app_flow(Flow *f);
/* The transactions of f detection still has to look at for direction dir:
 * the parser state and definition, ids [*lo, *hi). False when there are
 * none (no parser, no state, nothing pending). */
bool detect_app_tx_range(Flow *f, int dir, void **state, const struct AppParserDef **def, uint64_t *lo,
                         uint64_t *hi);
/* Applies list l's transforms to (*data, *len), leaving the result there
 * (in scratch when a transform ran). False when a transform failed. */
bool detect_app_transform(const SigMatchList *l, const uint8_t **data, uint32_t *len, struct InspectBuffer *scratch);
/* Runs list l of s on one buffer instance after the list's transforms (the
 * worker's transform scratch reused); true when it matches. */
bool detect_app_inspect_one(struct DetectThread *dt, const Signature *s, const SigMatchList *l, const uint8_t *data,
                            uint32_t len, const Packet *p);
/* detect_app_inspect_one on a window starting window_base bytes into the
 * buffer (inspect_buffer_window: an inline frame window, kw-frame.c). */
bool detect_app_inspect_window(struct DetectThread *dt, const Signature *s, const SigMatchList *l, const uint8_t *data,
                               uint32_t len, const Packet *p, uint32_t window_base);
/* The packet directions s is evaluated on (bit 0 to server, bit 1 to
 * client), as tx_match decides. */
uint8_t detect_app_sig_dirs(const Signature *s);
/* The sides (BUF_DIR_* bits) of buffer b that list l of s is inspected on
 * when s runs on a packet of direction pdir (BUF_DIR_TOSERVER or
 * BUF_DIR_TOCLIENT): the packet's side when b has one, else b's own
 * side(s) (or the one a `=>` rule pins it to). */
unsigned detect_app_list_sides(const Signature *s, const SigMatchList *l, const struct BufferDef *b, unsigned pdir);
/* Whether buffer b of tx on side ts (true: to server) may be inspected
 * whole: its parser says it is complete (b->ready, else the side of the
 * transaction is done), or the flow ends. Buffers read in windows do not
 * wait for it. */
bool detect_app_buffer_ready(const struct BufferDef *b, const struct AppParserDef *def, void *tx, bool ts,
                             bool flow_end);

#endif
