/*
 * The flow variables of a record's flow, as Suricata adds them to every
 * EVE record of a flow (EveAddMetadata): flowbits named `traffic/id/<x>`
 * and `traffic/label/<x>` become `"traffic": {"id": [x], "label": [x]}`;
 * the other flowbits (in the order they were set) and the flowints go to
 * `"metadata": {"flowbits": [...], "flowints": {name: value}}`. Nothing is
 * written for a flow without variables.
 */
#ifndef ODLAR_OUTPUT_EVE_METADATA_H
#define ODLAR_OUTPUT_EVE_METADATA_H

#include "flow/flow.h"
#include "util/json.h"

void eve_flow_metadata(JsonBuf *j, const Flow *f);

#endif
