/*
 * Rule reload and the detection state a flow keeps between packets.
 *
 * A flow outlives detection engines: a reload swaps the engine while the
 * flow is open. What the flow keeps that names rules of one engine is its
 * transaction inspection progress (DetectAppFlow): the (transaction,
 * signature number) pairs that already alerted, and the app prefilter's
 * cached candidate lists, which are signature numbers too. Everything else
 * is engine-independent: flowbits and flowints are keyed by name
 * (flow-vars.h), thresholds and tags by gid:sid, the raw stream window and
 * the pass/drop verdicts are about the traffic.
 *
 * `detect_flow_follow_engine` is called when an engine of another
 * generation inspects the flow: the prefilter caches are dropped (they are
 * rebuilt on the next packet), and the alerted pairs are renumbered by
 * gid:sid when the flow was last inspected by the engine just replaced,
 * so a transaction does not alert twice for a rule both engines have;
 * pairs of removed rules are forgotten. A flow not inspected for two
 * reloads or more forgets all pairs (its open transactions may alert again
 * for a rule that had already alerted on them).
 */
#ifndef ODLAR_DETECT_RELOAD_FLOW_H
#define ODLAR_DETECT_RELOAD_FLOW_H

#include "detect/detect-engine.h"
#include "detect/detect.h"

void detect_flow_follow_engine(DetectFlow *df, const DetectEngine *de);

#endif
