/*
 * What a datajson match hands to the alert output: the JSON context of the
 * value a `dataset:isset,...,format json,context_key K` keyword found.
 *
 * Detection and alert writing of a packet run in the same worker thread,
 * so each thread keeps, per signature, the contexts recorded while that
 * signature was inspected on the current packet (a context recorded on an
 * earlier packet is dropped when the next one is recorded). The EVE writer
 * adds them inside the alert object, as Suricata 8 does:
 *     "context": {"K": {...the entry's JSON...}, ...}
 */
#ifndef ODLAR_DETECT_DATASET_ALERT_H
#define ODLAR_DETECT_DATASET_ALERT_H

#include "decode/packet.h"
#include "detect/signature.h"
#include "util/json.h"

/* Records `json` (copied) under `key` for signature s on packet p; a
 * second record of the same key on the same packet replaces the first. */
void dataset_alert_record(const Signature *s, const Packet *p, const char *key, const char *json);
/* Writes s's contexts recorded on p as the `context` object (nothing when
 * there are none). */
void dataset_alert_json(JsonBuf *j, const Signature *s, const Packet *p);
/* Frees this thread's records (tests; threads free theirs at exit). */
void dataset_alert_reset(void);

#endif
