/*
 * Reading the `app-layer.protocols.http.libhtp` settings into HttpConfig
 * (app-http-config.c): a parameter block (default-config or one
 * server-config entry), libhtp personalities, and the server-config table
 * that picks a flow's configuration by its server address.
 */
#ifndef ODLAR_APP_APP_HTTP_CONFIG_H
#define ODLAR_APP_APP_HTTP_CONFIG_H

#include <stdbool.h>

#include "app/http/http.h"
#include "conf/conf.h"
#include "decode/packet.h"

/* Applies the keys of block d to cfg; inline_mode decides
 * `http-body-inline: auto`. */
void app_http_config_block(const ConfNode *d, HttpConfig *cfg, bool inline_mode);
/* Sets the normalizer switches of a libhtp personality name
 * (case-insensitive); false when the name is unknown. */
bool app_http_personality(HttpConfig *cfg, const char *name);
/* Reads the server-config list; each entry starts from base. */
void app_http_servers_configure(const ConfNode *list, const HttpConfig *base, bool inline_mode);
void app_http_servers_free(void);
/* The configuration of the entry covering server most narrowly, or NULL. */
const HttpConfig *app_http_server_config(const Address *server);

#endif
