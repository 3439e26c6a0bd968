/*
 * VLAN keywords (Suricata 8): `vlan.id:<uint>[,<layer>]` compares the IEEE
 * 802.1Q VLAN identifiers (12 bits) of the packet's VLAN tags with the
 * generic uint comparisons; without a layer any tag may match, with a layer
 * only that one does (0 is the outermost tag, -1 the innermost), and with
 * `all` every tag must match. A packet without VLAN tags, or without the
 * requested layer, does not match. `vlan.layers:<uint>` compares the number
 * of VLAN tags (0 included). The decoder keeps at most PACKET_MAX_VLANS
 * tags, outermost first, as Suricata does.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-hdrkw.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"

#define VLAN_ID_MAX 4095

static uint16_t kw_vlan_id, kw_vlan_layers;

VlanIdCtx *vlan_id_parse(const char *value, char *err, size_t errlen)
{
    const char *v = value ? value : "";
    char expr[64];
    const char *comma = strchr(v, ',');
    size_t n = comma ? (size_t)(comma - v) : strlen(v);
    if (n == 0 || n >= sizeof(expr)) {
        snprintf(err, errlen, "vlan.id needs a value: <id or comparison>[,<layer>|all]");
        return NULL;
    }
    memcpy(expr, v, n);
    expr[n] = '\0';
    VlanIdCtx c;
    memset(&c, 0, sizeof(c));
    if (!detect_uint_parse(expr, VLAN_ID_MAX, &c.id)) {
        snprintf(err, errlen, "invalid vlan.id value '%s': %s, ids 0-%d", expr, detect_uint_syntax_help(),
                 VLAN_ID_MAX);
        return NULL;
    }
    c.layer = VLAN_LAYER_ANY;
    if (comma) {
        const char *l = comma + 1;
        while (isspace((unsigned char)*l))
            l++;
        size_t ln = strlen(l);
        while (ln && isspace((unsigned char)l[ln - 1]))
            ln--;
        if (ln == 3 && strncmp(l, "all", 3) == 0) {
            c.layer = VLAN_LAYER_ALL;
        } else {
            char *end = NULL;
            long layer = strtol(l, &end, 10);
            if (ln == 0 || end != l + ln || layer < -PACKET_MAX_VLANS || layer >= PACKET_MAX_VLANS) {
                snprintf(err, errlen, "invalid vlan.id layer '%s': expected %d to %d or 'all'", l,
                         -PACKET_MAX_VLANS, PACKET_MAX_VLANS - 1);
                return NULL;
            }
            c.layer = (int8_t)layer;
        }
    }
    VlanIdCtx *out = calloc(1, sizeof(*out));
    if (out)
        *out = c;
    else
        snprintf(err, errlen, "out of memory");
    return out;
}

bool vlan_id_match(const Packet *p, const VlanIdCtx *c)
{
    int count = p->vlan_count > PACKET_MAX_VLANS ? PACKET_MAX_VLANS : p->vlan_count;
    if (count == 0)
        return false;
    if (c->layer == VLAN_LAYER_ANY || c->layer == VLAN_LAYER_ALL) {
        const bool all = c->layer == VLAN_LAYER_ALL;
        for (int i = 0; i < count; i++) {
            bool m = detect_uint_match(&c->id, p->vlan_id[i]);
            if (m && !all)
                return true;
            if (!m && all)
                return false;
        }
        return all;
    }
    int idx = c->layer < 0 ? count + c->layer : c->layer;
    if (idx < 0 || idx >= count)
        return false;
    return detect_uint_match(&c->id, p->vlan_id[idx]);
}

static void *parse_vlan_id(const char *value, char *err, size_t errlen)
{
    return vlan_id_parse(value, err, errlen);
}

static void *parse_vlan_layers(const char *value, char *err, size_t errlen)
{
    return hdr_parse_uint("vlan.layers", value, DETECT_UINT_MAX_U8, false, err, errlen);
}

static bool setup_vlan_id(RuleParseCtx *rp, Signature *s, const char *value)
{
    return hdr_setup_ctx(rp, s, kw_vlan_id, SIG_LIST_MATCH, parse_vlan_id, value);
}

static bool setup_vlan_layers(RuleParseCtx *rp, Signature *s, const char *value)
{
    return hdr_setup_ctx(rp, s, kw_vlan_layers, SIG_LIST_MATCH, parse_vlan_layers, value);
}

static bool match_vlan_id(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    return !hdr_packet_is_pseudo(p) && vlan_id_match(p, ctx);
}

static bool match_vlan_layers(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    return !hdr_packet_is_pseudo(p) && detect_uint_match(&((const HdrUint *)ctx)->u, p->vlan_count);
}

static uint32_t vlan_id_hash(const void *ctx)
{
    return hdr_hash_bytes(ctx, sizeof(VlanIdCtx), 0x71au);
}

static bool vlan_id_equal(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(VlanIdCtx)) == 0;
}

static uint32_t vlan_layers_hash(const void *ctx)
{
    return hdr_hash_bytes(ctx, sizeof(HdrUint), 0x71bu);
}

static bool vlan_layers_equal(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(HdrUint)) == 0;
}

void hdrkw_register_vlan(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "vlan.id";
    d.help = "match a VLAN id: <id or comparison>[,<layer>|all]";
    d.setup = setup_vlan_id;
    d.flags = KW_PACKET_OPTION;
    d.match_packet = match_vlan_id;
    d.free = free;
    d.hash = vlan_id_hash;
    d.equal = vlan_id_equal;
    kw_vlan_id = keyword_register(&d);
    memset(&d, 0, sizeof(d));
    d.name = "vlan.layers";
    d.help = "match the number of VLAN tags";
    d.setup = setup_vlan_layers;
    d.flags = KW_PACKET_OPTION;
    d.match_packet = match_vlan_layers;
    d.free = free;
    d.hash = vlan_layers_hash;
    d.equal = vlan_layers_equal;
    kw_vlan_layers = keyword_register(&d);
}
