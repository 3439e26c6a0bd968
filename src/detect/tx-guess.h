/*
 * detect.guess-applayer-tx: the transaction a packet/stream alert is
 * attributed to (see tx-guess.c), and the per-flow bookkeeping it reads:
 * Suricata's per-direction inspect id and the lowest transaction Suricata
 * would still hold.
 */
#ifndef ODLAR_DETECT_TX_GUESS_H
#define ODLAR_DETECT_TX_GUESS_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow.h"

/* Per flow (DetectAppFlow.guess). */
typedef struct DetectTxGuess {
    /* per direction (0 to server): the first transaction not complete in
     * that direction when its last detection ran (Suricata's inspect_id) */
    uint64_t inspect_id[2];
    /* transactions below are gone in Suricata's model (its min_id): complete,
     * inspected and logged */
    uint64_t min_id;
    const void *state; /* the parser state the ids count in (a protocol change restarts them) */
    uint8_t seen; /* directions detection ran in (bit 0 to server, bit 1 to client) */
} DetectTxGuess;

/* After the detection of a packet (or flow end, `flow_end`) of direction
 * `dir` on f: moves g's inspect id of that direction and its min_id on. */
void detect_guess_after(DetectTxGuess *g, Flow *f, int dir, bool flow_end);

/* True with *tx_id when an alert of a packet of direction `dir` on f is
 * attributed to that transaction: the one at the direction's inspect id,
 * when it is the last one or the only one after it belongs to the other
 * direction alone. g may be NULL (nothing inspected yet). */
bool detect_guess_tx(const DetectTxGuess *g, const Flow *f, int dir, uint64_t *tx_id);

#endif
