/*
 * The verdict of an inline live source on one packet, after the worker has
 * run it through the whole path: accept, or drop when detection dropped it
 * (a `drop` or `reject*` rule in IPS mode, or a packet of a dropped flow)
 * or an exception policy did (engine/exception-verdict.h); for a `reject*`
 * rule or the reject policy also the reset or ICMP unreachable of reject.h, sent
 * through the capture source where it can (AF_PACKET copy mode sends on
 * the right link) or a raw IP socket (NFQUEUE: the host routes it). The
 * outcome is counted in the worker's ips.accepted / ips.blocked /
 * ips.rejected counters, and a drop's reason in ips.drop_reason.*.
 *
 * One RejectVerdict per capture thread. Offline and --simulate-ips runs
 * never come here: they only log the drop, nothing is sent.
 */
#ifndef ODLAR_ENGINE_REJECT_VERDICT_H
#define ODLAR_ENGINE_REJECT_VERDICT_H

#include <stdbool.h>

#include "capture/live.h"
#include "engine/worker.h"

typedef struct RejectVerdict {
    int raw4, raw6; /* raw IP sockets, opened on first use; -1 when not */
    bool raw_tried;
    bool warned_send, warned_verdict;
} RejectVerdict;

void reject_verdict_init(RejectVerdict *rv);
void reject_verdict_free(RejectVerdict *rv);

/* Gives the verdict on `p` (just handled by `w`) to `cs`. False when the
 * source failed to take it (logged once per thread). */
bool reject_verdict_apply(RejectVerdict *rv, CaptureSource *cs, Worker *w, const Packet *p);

#endif
