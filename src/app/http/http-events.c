/*
 * Names of the HTTP app-layer events, exactly as Suricata's rules
 * (app-layer-event:http.<name>) and EVE anomaly records spell them, plus
 * the per-transaction event list (bounded, duplicates kept once).
 */
#include <ctype.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

#include "app/http/http-private.h"

#define HTTP_EV_NAME(n) #n,
static const char *const g_names[HTTP_EV_MAX] = { HTTP_EVENT_LIST(HTTP_EV_NAME) };
#undef HTTP_EV_NAME

/* The lower-case names, made once for all worker threads. */
static char g_lower[HTTP_EV_MAX][48];
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void names_make(void)
{
    for (int i = 0; i < HTTP_EV_MAX; i++) {
        size_t k = 0;
        for (; g_names[i][k] && k < sizeof(g_lower[i]) - 1; k++)
            g_lower[i][k] = (char)tolower((unsigned char)g_names[i][k]);
        g_lower[i][k] = '\0';
    }
}

const char *http_event_name(int ev)
{
    if (ev < 0 || ev >= HTTP_EV_MAX)
        return NULL;
    pthread_once(&g_once, names_make);
    return g_lower[ev];
}

int http_event_by_name(const char *name)
{
    for (int i = 0; i < HTTP_EV_MAX; i++)
        if (strcasecmp(name, g_names[i]) == 0)
            return i;
    return -1;
}

void http_tx_event_set(HttpTx *tx, HttpEvent ev)
{
    if (tx == NULL)
        return;
    for (uint32_t i = 0; i < tx->n_events; i++)
        if (tx->events[i] == ev)
            return;
    if (tx->n_events < HTTP_TX_MAX_EVENTS)
        tx->events[tx->n_events++] = (uint8_t)ev;
}

uint32_t http_tx_event_count(const HttpTx *tx) { return tx->n_events; }
HttpEvent http_tx_event(const HttpTx *tx, uint32_t i) { return i < tx->n_events ? (HttpEvent)tx->events[i] : HTTP_EV_MAX; }

bool http_tx_has_event(const HttpTx *tx, HttpEvent ev)
{
    for (uint32_t i = 0; i < tx->n_events; i++)
        if (tx->events[i] == ev)
            return true;
    return false;
}
