/*
 * Per-flow variables for the flowbits and flowint keywords, and the
 * floating-point values the entropy keyword records.
 *
 * A FlowVarStore hangs off Flow.vars (created on the first write) and holds
 * named bits, named 32-bit integers and named doubles. Each kind is its own
 * name space, as in Suricata. Names are looked up by a precomputed hash plus the
 * string, so no engine-wide name registry is needed and a store stays valid
 * across rule reloads (each entry owns a copy of its name). A store holds at
 * most FLOW_VARS_MAX entries; writes beyond that are dropped and counted in
 * `dropped` (readable with flow_vars_dropped()).
 *
 * The engine must call flow_vars_free(f) when a flow is freed or recycled
 * (flow end / eviction / TCP reuse), after the last detection on it.
 * Flows belong to one worker thread, so the store needs no locking.
 */
#ifndef ODLAR_DETECT_FLOW_VARS_H
#define ODLAR_DETECT_FLOW_VARS_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow.h"

#define FLOW_VARS_MAX 256

/* A variable name with its hash, as keyword contexts keep it. */
typedef struct FlowVarName {
    char *name;
    uint32_t hash;
} FlowVarName;

/* Fills n->hash for n->name (n->name must be set). */
void flow_var_name_hash(FlowVarName *n);

bool flow_bit_isset(const Flow *f, const FlowVarName *n);
/* Sets the bit; true when it was not set before. False also when the store
 * is full (then counted as dropped) or out of memory. */
bool flow_bit_set(Flow *f, const FlowVarName *n);
void flow_bit_unset(Flow *f, const FlowVarName *n);
void flow_bit_toggle(Flow *f, const FlowVarName *n);

/* true and *out when the integer exists. */
bool flow_int_get(const Flow *f, const FlowVarName *n, uint32_t *out);
/* Creates or updates; false when the store is full or out of memory. */
bool flow_int_set(Flow *f, const FlowVarName *n, uint32_t value);

/* Creates or updates a double; false when the store is full or out of
 * memory. */
bool flow_float_set(Flow *f, const FlowVarName *n, double value);

/* Calls visit for every double of f in the order they were first set (visit
 * may be NULL); returns how many there are. */
typedef void (*FlowFloatVisit)(const char *name, double value, void *user);
uint32_t flow_floats_each(const Flow *f, FlowFloatVisit visit, void *user);

/* Calls visit for every bit and integer of f in the order they were set:
 * bits (is_bit, value 0) and integers (doubles: flow_floats_each). */
typedef void (*FlowVarVisit)(bool is_bit, const char *name, uint32_t value, void *user);
void flow_vars_each(const Flow *f, FlowVarVisit visit, void *user);

/* Number of entries (bits + ints + doubles) currently stored, and writes dropped
 * because the store was full. */
uint32_t flow_vars_count(const Flow *f);
uint64_t flow_vars_dropped(const Flow *f);

/* Releases f->vars and sets it to NULL. Safe on flows without a store. */
void flow_vars_free(Flow *f);

#endif
