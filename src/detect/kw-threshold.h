/*
 * The threshold keyword family (kw-threshold.c, kw-detection-filter.c):
 * what threshold and detection_filter share.
 */
#ifndef ODLAR_DETECT_KW_THRESHOLD_H
#define ODLAR_DETECT_KW_THRESHOLD_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/signature.h"
#include "detect/threshold-config.h"

/* The spec already on the rule's SIG_LIST_SUPPRESS list, or NULL. */
const ThresholdSpec *threshold_spec_of_rule(const Signature *s);

/* KeywordDef free/hash/equal of a rule's spec. Rule specs carry no
 * addresses, so the numeric fields are the identity. */
void threshold_kw_spec_free(void *ctx);
uint32_t threshold_kw_spec_hash(const void *ctx);
bool threshold_kw_spec_equal(const void *a, const void *b);

/* detection_filter's registration (the family's calls it). */
void threshold_register_detection_filter(void);

#endif
