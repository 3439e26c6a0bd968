/*
 * detect.guess-applayer-tx (Suricata 8): a packet or stream rule that alerts
 * on a flow with an application layer reports a transaction, so the alert
 * carries its tx_id and application-layer object, when Odlar can tell which
 * one the packet belongs to the way Suricata 8 does (detect.c,
 * IsOnlyTxInDirection):
 *
 *  - the candidate is the transaction at the packet direction's inspect id,
 *    the first one that was not complete in that direction when detection
 *    last ran there (or the first one still held, if that is later);
 *  - it is taken when it is the last transaction, or when the only one after
 *    it is a one-way transaction of the other direction (a DNS response
 *    after the request on the request side: AppParserDef.tx_dirs).
 *
 * Such an alert is marked tx_guessed in EVE. A UDP rule of the flow's
 * protocol (`alert dns` with a plain content) takes the transaction at the
 * inspect id without the second condition and without that mark, guessing
 * on or not. Either way a transaction gets at most detect.stream-tx-log-limit
 * (4) alerts attributed (detect_guess_count).
 *
 * The inspect id moves on after each packet's detection. Below Suricata's
 * min_id are the transactions Suricata has freed by then: complete in both
 * directions, logged (Odlar logs a transaction once it is complete), and
 * inspected by each direction that has a rule group -- by one of them for
 * protocols with one-way transactions. Odlar's own release of transactions
 * follows other rules (detect-app.c), so min_id is tracked here on its own.
 */
#include "detect/tx-guess.h"

#include "app/app-layer.h"

/* The parser state and definition of f's application layer, or false. */
static bool app_state(const Flow *f, void **state, const AppParserDef **def)
{
    if (!f || f->app_proto == APP_PROTO_UNKNOWN)
        return false;
    *state = app_layer_state(f, f->app_proto); /* NULL unless a parser runs */
    *def = *state ? app_layer_parser(f->app_proto) : NULL;
    return *def && (*def)->tx_count && (*def)->tx_get;
}

static uint8_t tx_dirs(const AppParserDef *def, const void *tx)
{
    return def->tx_dirs ? def->tx_dirs(tx) : (uint8_t)(APP_TX_DIR_TOSERVER | APP_TX_DIR_TOCLIENT);
}

static bool tx_complete(const AppParserDef *def, const void *tx, int dir, bool flow_end)
{
    return flow_end || !def->tx_done || def->tx_done(tx, dir == 0);
}

/* Whether direction dir's detection inspected transaction id to its end: it
 * ran past it, and the transaction is not one-way to the other side. */
static bool tx_inspected(const DetectTxGuess *g, const AppParserDef *def, const void *tx, uint64_t id, int dir)
{
    return id < g->inspect_id[dir] && (tx_dirs(def, tx) & (1u << dir));
}

/* Whether Suricata frees transaction id (AppLayerParserTransactionsCleanup). */
static bool tx_gone(const DetectTxGuess *g, const AppParserDef *def, const void *tx, uint64_t id, bool flow_end)
{
    if (!tx_complete(def, tx, 0, flow_end) || !tx_complete(def, tx, 1, flow_end))
        return false;
    bool missing = false, any = false;
    for (int dir = 0; dir < 2; dir++) {
        if (!(g->seen & (1u << dir)))
            continue; /* no packet of that direction: no rule group to wait for */
        if (tx_inspected(g, def, tx, id, dir))
            any = true;
        else
            missing = true;
    }
    return !missing || (def->tx_dirs && any);
}

void detect_guess_after(DetectTxGuess *g, Flow *f, int dir, bool flow_end)
{
    void *state;
    const AppParserDef *def;
    if (!g || !app_state(f, &state, &def))
        return;
    const uint64_t count = def->tx_count(state);
    if (g->state != state || g->min_id > count) { /* a new parser state: its ids start at 0 */
        g->inspect_id[0] = g->inspect_id[1] = g->min_id = 0;
        g->logged_count = 0;
        g->state = state;
    }
    g->seen |= (uint8_t)(1u << dir);
    uint64_t id = g->inspect_id[dir];
    for (; id < count; id++) {
        const void *tx = def->tx_get(state, id);
        if (tx && !tx_complete(def, tx, dir, flow_end))
            break;
    }
    g->inspect_id[dir] = id;
    uint64_t min = g->min_id;
    for (; min < count; min++) {
        const void *tx = def->tx_get(state, min);
        if (tx && !tx_gone(g, def, tx, min, flow_end))
            break;
    }
    g->min_id = min;
    for (int d = 0; d < 2; d++)
        if (g->inspect_id[d] < min)
            g->inspect_id[d] = min;
}

bool detect_guess_tx(const DetectTxGuess *g, const Flow *f, int dir, bool only, uint64_t *tx_id)
{
    void *state;
    const AppParserDef *def;
    if (!app_state(f, &state, &def))
        return false;
    const uint64_t count = def->tx_count(state);
    const uint64_t id = g && g->state == state ? g->inspect_id[dir] : 0;
    if (only) {
        bool alone = id + 1 == count;
        if (!alone && id + 2 == count) { /* one after it: fine when the other direction's alone */
            const void *next = def->tx_get(state, id + 1);
            alone = next && !(tx_dirs(def, next) & (1u << dir));
        }
        if (!alone)
            return false;
    }
    if (id >= count || !def->tx_get(state, id))
        return false;
    *tx_id = id;
    return true;
}

bool detect_guess_count(DetectTxGuess *g, uint64_t tx_id, uint8_t limit)
{
    uint32_t i = 0;
    while (i < g->logged_count && g->logged[i].tx_id != tx_id)
        i++;
    if (i == g->logged_count) { /* a new one: it takes the oldest one's place when full */
        if (g->logged_count < DETECT_TX_GUESS_LOGGED_KEEP) {
            g->logged_count++;
        } else {
            i = 0;
            for (uint32_t k = 1; k < g->logged_count; k++)
                if (g->logged[k].tx_id < g->logged[i].tx_id)
                    i = k;
        }
        g->logged[i].tx_id = tx_id;
        g->logged[i].alerts = 0;
    }
    if (g->logged[i].alerts >= limit)
        return false;
    g->logged[i].alerts++;
    return true;
}
