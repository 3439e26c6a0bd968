/*
 * The application-layer prefilter: which app-layer rules (`alert http ...
 * http.uri; content:...`) are worth inspecting on a flow's transactions.
 *
 * ET Open is mostly such rules (about 20,000 of 25,000), so walking all of
 * them for every packet of an HTTP or DNS flow is what a naive engine
 * spends its time on. As Suricata does with its per-buffer MPM engines, a
 * rule whose fast pattern lies in an application buffer (prefilter-fp.c
 * chooses it) is taken out of the packet groups and put in its protocol's
 * app group, in the database of the "mpm list" its pattern belongs to: one
 * buffer together with one chain of transforms (`dns.query; dotprefix;` is
 * a different list from plain `dns.query`), since the pattern must be
 * searched in exactly the bytes the rule inspects.
 *
 * Per packet of a flow with transactions left to inspect, every mpm list of
 * the flow's protocol is scanned on every instance of its buffer, in both
 * directions the buffer exists in, of every transaction detection has not
 * finished (readiness is ignored: the scan only has to be a superset of
 * what the inspection can match) -- except that a streaming buffer (an
 * HTTP body, file.data) of the packet's direction is scanned in the window
 * this run inspects, and not at all while it has none (BufferDef.window). The hits -- filtered by the directions
 * each rule can be evaluated on -- become candidates next to the packet
 * prefilter's. The result is cached per flow and direction until the
 * parser state moves (app_layer_generation) or the range of transactions
 * changes, so a body arriving in 500 packets does not rescan the headers
 * 500 times.
 *
 * Threads: an AppPrefilter is immutable after building; its databases share
 * the prefilter's scratch (prefilter.h), cloned per worker.
 */
#ifndef ODLAR_DETECT_PREFILTER_APP_H
#define ODLAR_DETECT_PREFILTER_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/mpm.h"
#include "detect/signature.h"
#include "flow/flow.h"

/* One buffer + transform chain with the fast patterns that live in it. */
typedef struct AppPfList {
    uint16_t list_id; /* SIG_LIST_BUFFER_BASE + buffer id */
    const SigMatchList *tmpl; /* a rule's list holding the transforms to apply (borrowed) */
    MpmDb *db;
    MpmBuilder *pending; /* its patterns until compiled (app_prefilter_built) */
    /* which of the buffer's sides (BUF_DIR_* bits) to scan on a packet to
     * the server [0] and to the client [1]: the sides its signatures
     * inspect that list on when they run on such a packet (detect-app.c
     * tx_match); 0 when none of them runs on it */
    uint8_t scan_dirs[2];
} AppPfList;

/* The mpm lists of one application protocol. */
typedef struct AppPfGroup {
    AppPfList *lists;
    uint32_t count;
} AppPfGroup;

#define APP_PF_PROTO_MAX 64 /* app-layer.h APP_PROTO_MAX */

typedef struct AppPrefilter {
    AppPfGroup groups[APP_PF_PROTO_MAX];
    bool *in_app; /* per signature num: prefiltered here, not in the packet groups */
    uint8_t *dirs; /* per signature num: packet directions it runs on (bit 0 to server, bit 1 to client) */
    uint32_t sig_count, app_sigs, list_count;
} AppPrefilter;

struct PrefilterThread;
struct MpmScratch;

/* True when s's fast pattern is in an application buffer (set by
 * prefilter_choose_app_fast_pattern), i.e. s belongs to an app group. */
bool app_prefilter_wants(const Signature *s);

/* Builds the app groups for sigs[0..n) (numbered, fast patterns chosen),
 * queueing every database on `jobs` (mpm-cache.h); once the jobs ran,
 * app_prefilter_built() drops the builders. Returns NULL on out of
 * memory. */
struct MpmJobs;
AppPrefilter *app_prefilter_build(Signature *const *sigs, uint32_t n, struct MpmJobs *jobs);
void app_prefilter_built(AppPrefilter *ap);
void app_prefilter_free(AppPrefilter *ap);

/* The app candidates of flow f for a packet of direction dir (0 to
 * server): ascending signature numbers in pt->app_cand / the return value.
 * Uses the per-flow cache (detect-app.h) when still valid. */
uint32_t app_prefilter_run(const AppPrefilter *ap, struct PrefilterThread *pt, Flow *f, int dir, bool flow_end);

#endif
