/*
 * window: the TCP window size field (unscaled, as the header carries it):
 * `window:55808`, `window:!0`; N is at most 65535. Only real TCP packets
 * match.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "detect/kw-header.h"

/* window: `[!]N`, N at most 65535 */
void *hdr_parse_window(const char *value, char *err, size_t errlen)
{
    const char *p = value ? value : "";
    while (isspace((unsigned char)*p))
        p++;
    bool neg = false;
    if (*p == '!') {
        neg = true;
        p++;
        while (isspace((unsigned char)*p))
            p++;
    }
    unsigned long v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*p) && digits < 10) {
        v = v * 10 + (unsigned long)(*p - '0');
        p++;
        digits++;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (digits == 0 || digits > 9 || *p != '\0') {
        snprintf(err, errlen, "invalid window value '%s': expected [!]N", value ? value : "");
        return NULL;
    }
    if (v > 65535) {
        snprintf(err, errlen, "window value %lu is out of range 0-65535", v);
        return NULL;
    }
    HdrWindow *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->negated = neg;
    c->size = (uint16_t)v;
    return c;
}

bool hdr_match_window(const Packet *p, const void *ctx)
{
    const HdrWindow *w = ctx;
    if (!hdr_packet_is_tcp(p))
        return false;
    return (p->tcp.window == w->size) != w->negated;
}

HDR_KEYWORD_CALLBACKS(window, HdrWindow, hdr_parse_window, hdr_match_window)

void hdr_register_window(void)
{
    window_kw_id = keyword_register(&(const KeywordDef){
            .name = "window",
            .help = "match the TCP window size: [!]N",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(window),
    });
}
