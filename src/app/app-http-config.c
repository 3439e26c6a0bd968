/*
 * The `app-layer.protocols.http.libhtp` settings, read as Suricata 8's
 * HTPConfigParseParameters reads them: one parameter block for
 * `default-config`, and one per `server-config` entry
 * (`- name: {address: [...], personality: ..., request-body-limit: ...}`),
 * each entry starting from the built-in defaults as in Suricata, bound to
 * the server addresses it lists (IPv4/IPv6 with an optional prefix length).
 * A flow gets the entry whose address prefix covers its server (the flow's
 * destination) most narrowly -- Suricata's radix best match -- else the
 * default configuration.
 *
 * Personalities: libhtp's names are accepted (IDS, the default; MINIMAL,
 * GENERIC, IIS_4_0 ... IIS_7_5, APACHE_2, APACHE_2_2, TOMCAT_6_0); what
 * Odlar's URI normalizer expresses of them is whether backslashes become
 * path separators, whether %uHHHH is decoded and whether repeated
 * separators are compressed (IDS and IIS: all three; Apache and Tomcat:
 * compression only; MINIMAL and GENERIC: none). The same three switches
 * can be set one by one (path-convert-backslash-separators,
 * path-u-encoding-decode, path-separators-compress).
 */
#include "app/app-http-config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/log.h"
#include "util/net-prefix.h"

typedef struct HttpServerEntry {
    uint8_t family, prefix;
    uint8_t addr[16];
    const HttpConfig *cfg; /* into servers_cfg */
} HttpServerEntry;

static HttpServerEntry *servers;
static uint32_t n_servers;
static HttpConfig *servers_cfg;
static uint32_t n_servers_cfg;

static void size_opt(const ConfNode *n, const char *key, uint32_t *out)
{
    const char *v = NULL;
    uint64_t sz;
    if (n && conf_node_get_str(n, key, &v) && conf_parse_size(v, &sz))
        *out = sz > UINT32_MAX ? UINT32_MAX : (uint32_t)sz;
}

static void bool_opt(const ConfNode *n, const char *key, bool *out)
{
    const char *v = NULL;
    bool b;
    if (n && conf_node_get_str(n, key, &v) && conf_parse_bool(v, &b))
        *out = b;
}

typedef struct Personality {
    const char *name;
    bool backslash, u_decode, compress;
} Personality;

static const Personality personalities[] = {
    { "MINIMAL", false, false, false },   { "GENERIC", false, false, false },  { "IDS", true, true, true },
    { "IIS_4_0", true, true, true },      { "IIS_5_0", true, true, true },     { "IIS_5_1", true, true, true },
    { "IIS_6_0", true, true, true },      { "IIS_7_0", true, true, true },     { "IIS_7_5", true, true, true },
    { "TOMCAT_6_0", false, false, true }, { "APACHE_2", false, false, true },  { "APACHE_2_2", false, false, true },
};

bool app_http_personality(HttpConfig *cfg, const char *name)
{
    for (size_t i = 0; i < sizeof(personalities) / sizeof(personalities[0]); i++) {
        if (strcasecmp(personalities[i].name, name) == 0) {
            cfg->path_backslash_separators = personalities[i].backslash;
            cfg->path_u_decode = personalities[i].u_decode;
            cfg->path_compress_separators = personalities[i].compress;
            return true;
        }
    }
    return false;
}

void app_http_config_block(const ConfNode *d, HttpConfig *cfg, bool inline_mode)
{
    if (!d)
        return;
    const char *v = NULL;
    /* first, so the single switches below can refine it */
    if (conf_node_get_str(d, "personality", &v) && v && !app_http_personality(cfg, v))
        od_warn("LIBHTP Unknown personality \"%s\", ignoring", v);
    size_opt(d, "request-body-limit", &cfg->request_body_limit);
    size_opt(d, "response-body-limit", &cfg->response_body_limit);
    /* libhtp's hard limit on a header or request/status line; Suricata
     * refuses 0 */
    uint32_t field_limit = cfg->field_limit;
    size_opt(d, "meta-field-limit", &field_limit);
    if (field_limit == 0)
        od_error("app-layer.protocols.http.libhtp: meta-field-limit cannot be 0, keeping %u", cfg->field_limit);
    else
        cfg->field_limit = field_limit;
    size_opt(d, "max-tx", &cfg->max_tx);
    size_opt(d, "request-body-minimal-inspect-size", &cfg->request_inspect_min_size);
    size_opt(d, "request-body-inspect-window", &cfg->request_inspect_window);
    size_opt(d, "response-body-minimal-inspect-size", &cfg->response_inspect_min_size);
    size_opt(d, "response-body-inspect-window", &cfg->response_inspect_window);
    bool_opt(d, "uri-include-all", &cfg->uri_include_all);
    bool_opt(d, "double-decode-path", &cfg->double_decode_path);
    bool_opt(d, "double-decode-query", &cfg->double_decode_query);
    bool_opt(d, "path-convert-backslash-separators", &cfg->path_backslash_separators);
    bool_opt(d, "path-u-encoding-decode", &cfg->path_u_decode);
    bool_opt(d, "path-separators-compress", &cfg->path_compress_separators);
    if (conf_node_get_str(d, "http-body-inline", &v) && v) {
        bool b;
        if (conf_parse_bool(v, &b)) {
            cfg->body_inline = b;
        } else {
            if (strcasecmp(v, "auto") != 0)
                od_warn("app-layer.protocols.http.libhtp: invalid http-body-inline value '%s', using auto", v);
            cfg->body_inline = inline_mode;
        }
    }
    uint64_t sz;
    if (conf_node_get_str(d, "compression-bomb-limit", &v) && conf_parse_size(v, &sz))
        cfg->compression_bomb_limit = sz;
    size_opt(d, "decompression-layer-limit", &cfg->decompression_layer_limit);
    /* Suricata's name for it */
    size_opt(d, "response-body-decompress-layer-limit", &cfg->decompression_layer_limit);
    bool_opt(d, "lzma-enabled", &cfg->lzma_enabled);
    if (conf_node_get_str(d, "lzma-memlimit", &v) && conf_parse_size(v, &sz))
        cfg->lzma_memlimit = sz;
    /* Suricata 8 no longer decompresses Flash files: the setting is read
     * and ignored, with a warning when it asks for decompression */
    bool swf = false;
    bool_opt(conf_node_child(d, "swf-decompression"), "enabled", &swf);
    if (swf)
        od_warn("app-layer.protocols.http.libhtp: swf-decompression is no longer supported, ignoring it");
}

void app_http_servers_free(void)
{
    free(servers);
    free(servers_cfg);
    servers = NULL;
    servers_cfg = NULL;
    n_servers = n_servers_cfg = 0;
}

static bool add_address(const char *text, const HttpConfig *cfg)
{
    HttpServerEntry e = { .cfg = cfg };
    if (!text || !net_prefix_parse(text, &e.family, &e.prefix, e.addr)) {
        od_warn("LIBHTP failed to add server %s, ignoring", text ? text : "(null)");
        return true;
    }
    HttpServerEntry *n = realloc(servers, (n_servers + 1) * sizeof(*n));
    if (!n)
        return false;
    servers = n;
    servers[n_servers++] = e;
    return true;
}

void app_http_servers_configure(const ConfNode *list, const HttpConfig *base, bool inline_mode)
{
    app_http_servers_free();
    if (!list)
        return;
    uint32_t count = 0;
    for (const ConfNode *n = list->first_child; n; n = n->next)
        count++;
    if (count == 0)
        return;
    servers_cfg = calloc(count, sizeof(*servers_cfg));
    if (!servers_cfg)
        return;
    for (const ConfNode *n = list->first_child; n; n = n->next) {
        /* `- name: {...}`: the item's value is its name, the block its child */
        const ConfNode *block = n->value ? conf_node_child(n, n->value) : NULL;
        if (!block)
            continue;
        HttpConfig *cfg = &servers_cfg[n_servers_cfg++];
        *cfg = *base;
        app_http_config_block(block, cfg, inline_mode);
        const ConfNode *addr = conf_node_child(block, "address");
        if (!addr)
            continue;
        if (addr->value && !addr->first_child) {
            if (!add_address(addr->value, cfg))
                return;
            continue;
        }
        for (const ConfNode *a = addr->first_child; a; a = a->next)
            if (!add_address(a->value, cfg))
                return;
    }
}

const HttpConfig *app_http_server_config(const Address *server)
{
    const HttpServerEntry *best = NULL;
    if (!server)
        return NULL;
    for (uint32_t i = 0; i < n_servers; i++) {
        const HttpServerEntry *e = &servers[i];
        if (!net_prefix_covers(e->family, e->prefix, e->addr, server->family, server->addr))
            continue;
        if (!best || e->prefix > best->prefix)
            best = e;
    }
    return best ? best->cfg : NULL;
}
