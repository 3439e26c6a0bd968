/*
 * detect.guess-applayer-tx: the transaction a packet/stream alert is
 * attributed to (see tx-guess.c).
 */
#ifndef ODLAR_DETECT_TX_GUESS_H
#define ODLAR_DETECT_TX_GUESS_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow.h"

/* True with *tx_id when f's application layer has exactly one live
 * transaction. */
bool detect_guess_tx(const Flow *f, uint64_t *tx_id);

#endif
