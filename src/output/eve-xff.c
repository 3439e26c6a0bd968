/*
 * X-Forwarded-For addresses for EVE alerts (see eve-xff.h). The header
 * value is read as Suricata reads it: 7 to 255 bytes, the reverse
 * deployment taking what follows the last space, the forward one what
 * precedes the first comma; the candidate must then be an IPv4 or IPv6
 * address (RFC 7239 §6 form "[v6]:port" and "v4:port" accepted).
 */
#include "output/eve-xff.h"

#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "app/app-layer.h"
#include "app/http/http.h"

#define XFF_CHAIN_MINLEN 7
#define XFF_CHAIN_MAXLEN 256
#define APP_PROTO_HTTP 1

void eve_xff_config_read(ConfNode *xff, EveXffConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    strcpy(cfg->header, "X-Forwarded-For");
    if (!xff)
        return;
    const char *v = NULL;
    bool b = false;
    if (conf_node_get_str(xff, "enabled", &v) && conf_parse_bool(v, &b))
        cfg->enabled = b;
    if (conf_node_get_str(xff, "mode", &v) && v)
        cfg->overwrite = strcasecmp(v, "overwrite") == 0;
    if (conf_node_get_str(xff, "deployment", &v) && v)
        cfg->reverse = strcasecmp(v, "reverse") == 0;
    if (conf_node_get_str(xff, "header", &v) && v && v[0] && strlen(v) < sizeof(cfg->header))
        strcpy(cfg->header, v);
}

bool eve_xff_parse(const uint8_t *value, size_t n, bool reverse, char out[EVE_XFF_IP_MAX])
{
    if (n < XFF_CHAIN_MINLEN || n >= XFF_CHAIN_MAXLEN)
        return false;
    char chain[XFF_CHAIN_MAXLEN];
    memcpy(chain, value, n);
    chain[n] = '\0';
    char *ip = chain;
    if (reverse) {
        char *sp = strrchr(chain, ' ');
        if (sp)
            ip = sp + 1;
    } else {
        char *comma = strchr(chain, ',');
        if (comma)
            *comma = '\0';
    }
    /* a port after the address */
    char *colon = strchr(ip, ':');
    if (ip[0] == '[') {
        char *end = strchr(ip, ']');
        if (!end)
            return false;
        *end = '\0';
        ip++;
    } else if (colon && strchr(colon + 1, ':') == NULL) {
        *colon = '\0'; /* one colon: IPv4 with a port */
    }
    unsigned char bin[16];
    if (inet_pton(AF_INET, ip, bin) != 1 && inet_pton(AF_INET6, ip, bin) != 1)
        return false;
    size_t len = strlen(ip);
    if (len >= EVE_XFF_IP_MAX)
        return false;
    memcpy(out, ip, len + 1);
    return true;
}

static bool from_tx(const EveXffConfig *cfg, HttpState *s, uint64_t id, char out[EVE_XFF_IP_MAX])
{
    HttpTx *tx = http_tx_get(s, id);
    const uint8_t *v = NULL;
    uint32_t n = 0;
    if (!tx || !http_tx_header_value(tx, true, cfg->header, &v, &n))
        return false;
    return eve_xff_parse(v, n, cfg->reverse, out);
}

bool eve_xff_ip(const EveXffConfig *cfg, const Flow *f, bool has_tx, uint64_t tx_id, char out[EVE_XFF_IP_MAX])
{
    if (!cfg->enabled || !f || f->app_proto != APP_PROTO_HTTP)
        return false;
    HttpState *s = app_layer_state(f, APP_PROTO_HTTP);
    if (!s)
        return false;
    if (has_tx)
        return from_tx(cfg, s, tx_id, out);
    uint64_t total = http_tx_count(s);
    for (uint64_t id = 0; id < total; id++)
        if (from_tx(cfg, s, id, out))
            return true;
    return false;
}
