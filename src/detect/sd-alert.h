/*
 * What an sd_pattern match hands to the alert output, and the masking the
 * output applies to such alerts.
 *
 * The keyword's inspection runs in the worker thread that then writes the
 * packet's alerts, so each thread keeps, per signature, the result of that
 * signature's last matching sd_pattern (its type, the count of distinct
 * valid numbers, up to SD_ALERT_SHOWN_MAX masked numbers). A signature's
 * alert is only queued after its sd_pattern matched on this packet, so the
 * entry the EVE writer finds for the alert's signature is this packet's.
 * Nothing stored here is a full number.
 *
 * In EVE, inside the `alert` object:
 *     "sd_pattern": {"type": "credit_card", "count": 2,
 *                    "matches": ["411111******1111", "555555******4444"]}
 * and the alert's payload, payload_printable, packet and transaction object
 * are written from copies in which every valid number is masked
 * (sd_alert_mask_output).
 */
#ifndef ODLAR_DETECT_SD_ALERT_H
#define ODLAR_DETECT_SD_ALERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "detect/sd-candidates.h"
#include "detect/sd-find.h"
#include "detect/signature.h"
#include "util/json.h"

#define SD_ALERT_SHOWN_MAX 8

typedef struct SdAlertInfo {
    SdType type;
    uint32_t count; /* distinct valid numbers in the inspected buffer */
    uint32_t shown; /* entries used in matches[] */
    char matches[SD_ALERT_SHOWN_MAX][SD_MASKED_MAX];
    const SdDb *custom_db; /* custom patterns: to find the spans to mask */
} SdAlertInfo;

/* Records `info` as signature s's latest match in this thread. */
void sd_alert_record(const Signature *s, const SdAlertInfo *info);
/* This thread's latest sd_pattern match of s, or NULL when s has none. */
const SdAlertInfo *sd_alert_lookup(const Signature *s);

/* Masks, in place, every valid card number, IBAN and SSN in buf, and for a
 * custom pattern every match of it. */
void sd_alert_mask_output(const SdAlertInfo *info, uint8_t *buf, uint32_t len);

/* Masks like sd_alert_mask_output, but only inside the string values (and
 * keys) of JSON text, so that numbers such as flow_id stay intact. `info`
 * may be NULL: then only the built-in types are masked. */
void sd_alert_mask_json(const SdAlertInfo *info, char *text, size_t len);

/* Masks a whole EVE record (one JSON object) as sd_alert_mask_json(NULL, ...)
 * does, skipping at once the records no traffic byte can reach: the event
 * types whose every value the engine writes itself (flow, netflow, stats,
 * anomaly). */
void sd_alert_mask_record(char *text, size_t len);

/* True while rules with sd_pattern are loaded: output writers may then
 * pass every record through sd_alert_mask_record. */
bool sd_pattern_in_use(void);
void sd_pattern_use_changed(int delta);

/* Writes the "sd_pattern" object described above into the open object. */
void sd_alert_json(JsonBuf *j, const SdAlertInfo *info);

#endif
