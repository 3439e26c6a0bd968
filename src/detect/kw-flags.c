/*
 * flags (legacy alias tcp.flags): the TCP flags of the packet, with
 * Suricata 8's syntax. An optional modifier (`!` not all of, `+` at least,
 * `*` any of; none: exactly), the flag letters S A F R P U C/1 (CWR) E/2
 * (ECE) or 0 (no flag), and after a comma the flags to ignore:
 * `flags:S,CE`, `flags:+AP`. Letters are upper case as in Suricata's
 * grammar. Only real TCP packets match.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/kw-header.h"

static int flag_bit(char c)
{
    switch (c) {
    case 'S':
        return TH_SYN;
    case 'A':
        return TH_ACK;
    case 'F':
        return TH_FIN;
    case 'R':
        return TH_RST;
    case 'P':
        return TH_PUSH;
    case 'U':
        return TH_URG;
    case '1':
    case 'C':
        return TH_CWR;
    case '2':
    case 'E':
        return TH_ECN;
    default:
        return -1;
    }
}

static int modifier_of(char c)
{
    switch (c) {
    case '!':
        return HDR_FLAGS_MOD_NOT;
    case '+':
        return HDR_FLAGS_MOD_PLUS;
    case '*':
        return HDR_FLAGS_MOD_ANY;
    default:
        return 0;
    }
}

void *hdr_parse_flags(const char *value, char *err, size_t errlen)
{
    if (value == NULL)
        value = "";
    const char *p = value;
    while (isspace((unsigned char)*p))
        p++;
    HdrFlags f = {.flags = 0, .ignored = 0xff, .modifier = 0};
    if (modifier_of(*p)) {
        f.modifier = (uint8_t)modifier_of(*p);
        p++;
        while (isspace((unsigned char)*p))
            p++;
    }
    /* the flag set: letters, 0, and (once) a modifier */
    const char *start = p;
    int found = 0;
    for (; *p && strchr("SAPRFU120CE+*!", *p); p++) {
        int m = modifier_of(*p);
        if (m) {
            if (f.modifier != 0) {
                snprintf(err, errlen, "flags: only one modifier (! + *) is allowed in '%s'", value);
                return NULL;
            }
            f.modifier = (uint8_t)m;
        } else if (*p == '0') {
            f.flags = 0;
            found++;
        } else {
            f.flags |= (uint8_t)flag_bit(*p);
            found++;
        }
    }
    if (p == start || found == 0) {
        snprintf(err, errlen,
                "invalid flags value '%s': expected [!+*] and upper-case flags from "
                "S A F R P U C E 1 2 0, optionally ',<flags to ignore>'",
                value);
        return NULL;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p == ',') {
        p++;
        while (isspace((unsigned char)*p))
            p++;
        const char *istart = p;
        for (; *p && strchr("SAPRFU12CE", *p); p++)
            f.ignored &= (uint8_t)~flag_bit(*p);
        if (p == istart) {
            snprintf(err, errlen, "invalid flags value '%s': nothing to ignore after ','", value);
            return NULL;
        }
    }
    while (isspace((unsigned char)*p))
        p++;
    if (*p != '\0') {
        snprintf(err, errlen, "invalid flags value '%s': unexpected '%s'", value, p);
        return NULL;
    }
    HdrFlags *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->flags = f.flags;
    c->ignored = f.ignored;
    c->modifier = f.modifier;
    return c;
}

bool hdr_match_flags(const Packet *p, const void *ctx)
{
    const HdrFlags *f = ctx;
    if (!hdr_packet_is_tcp(p))
        return false;
    uint8_t pflags = p->tcp.flags;
    if (f->flags == 0 && pflags != 0)
        return f->modifier == HDR_FLAGS_MOD_NOT;
    uint8_t flags = pflags & f->ignored;
    switch (f->modifier) {
    case HDR_FLAGS_MOD_ANY:
        return (flags & f->flags) != 0;
    case HDR_FLAGS_MOD_PLUS:
        return (flags & f->flags) == f->flags;
    case HDR_FLAGS_MOD_NOT:
        return (flags & f->flags) != f->flags;
    default:
        return flags == f->flags;
    }
}

HDR_KEYWORD_CALLBACKS(flags, HdrFlags, hdr_parse_flags, hdr_match_flags)

void hdr_register_flags(void)
{
    flags_kw_id = keyword_register(&(const KeywordDef){
            .name = "flags",
            .alias = "tcp.flags",
            .help = "match TCP flags: [!+*]SAPRFU12CE0[,ignored]",
            .flags = KW_PACKET_OPTION,
            HDR_KEYWORD_CALLBACKS_OF(flags),
    });
}
