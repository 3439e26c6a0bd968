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

/* Transactions whose attributed alerts are counted (only the one or two at
 * the inspect ids are candidates at a time). */
#define DETECT_TX_GUESS_LOGGED_KEEP 4

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
    /* alerts logged with a transaction they were attributed to here, for
     * the last few transactions (Suricata's guessed_applayer_logged) */
    struct {
        uint64_t tx_id;
        uint8_t alerts;
    } logged[DETECT_TX_GUESS_LOGGED_KEEP];
    uint8_t logged_count;
} DetectTxGuess;

/* After the detection of a packet (or flow end, `flow_end`) of direction
 * `dir` on f: moves g's inspect id of that direction and its min_id on. */
void detect_guess_after(DetectTxGuess *g, Flow *f, int dir, bool flow_end);

/* True with *tx_id when an alert of a packet of direction `dir` on f may be
 * attributed to that transaction: the one at the direction's inspect id,
 * when it exists and, with `only`, when it is the last one or the only one
 * after it belongs to the other direction alone (detect.guess-applayer-tx;
 * without `only`: a UDP rule of the flow's protocol). g may be NULL
 * (nothing inspected yet). */
bool detect_guess_tx(const DetectTxGuess *g, const Flow *f, int dir, bool only, uint64_t *tx_id);

/* Counts one more alert logged with transaction tx_id; false, counting
 * nothing, once `limit` were (detect.stream-tx-log-limit). */
bool detect_guess_count(DetectTxGuess *g, uint64_t tx_id, uint8_t limit);

#endif
