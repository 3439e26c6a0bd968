/*
 * detect.guess-applayer-tx (Suricata 8): a packet or stream rule that
 * alerts on a flow whose application layer holds exactly one live
 * transaction (the older ones already released) reports that transaction,
 * so the alert carries its tx_id and application-layer object.
 */
#include "detect/tx-guess.h"

#include "app/app-layer.h"

bool detect_guess_tx(const Flow *f, uint64_t *tx_id)
{
    if (!f || f->app_proto == APP_PROTO_UNKNOWN)
        return false;
    void *state = app_layer_state(f, f->app_proto); /* NULL unless a parser runs */
    const AppParserDef *def = state ? app_layer_parser(f->app_proto) : NULL;
    if (!def || !def->tx_count || !def->tx_get)
        return false;
    const uint64_t count = def->tx_count(state);
    if (count == 0 || !def->tx_get(state, count - 1))
        return false;
    if (count >= 2 && def->tx_get(state, count - 2))
        return false; /* more than one live transaction: no guess */
    *tx_id = count - 1;
    return true;
}
