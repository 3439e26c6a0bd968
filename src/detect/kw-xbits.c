/*
 * xbits: bits stored per host or per IP pair instead of per flow,
 * `xbits:<set|unset|toggle|isset|isnotset>,<name>,track <ip_src|ip_dst|ip_pair|tx>[,expire <seconds>]`.
 * `ip_src`/`ip_dst` select which of the packet's addresses names the host
 * (both refer to the same host table, so a bit set with `track ip_dst` on a
 * request is seen with `track ip_src` on the reply); `ip_pair` is the
 * unordered address pair. A set bit lives `expire` seconds (default 30) of
 * packet time. `track tx` (per-transaction bits) is accepted for rule
 * compatibility but not kept: it sets nothing and never matches.
 *
 * Storage is an XbitsStore per worker thread (see kw-flowvars.h): a chained
 * hash table with a cap, purging expired bits when it fills up.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-flowvars.h"
#include "detect/rule-parse.h"

void xbits_free(void *ctx)
{
    XbitsCtx *c = ctx;
    if (c == NULL)
        return;
    free(c->name.name);
    free(c);
}

static const char *skip_ws(const char *p)
{
    while (isspace((unsigned char)*p))
        p++;
    return p;
}

XbitsCtx *xbits_parse(const char *value, char *err, size_t errlen)
{
    const char *v = value ? value : "";
    const char *p = v;
    const char *cs = p;
    while (*p >= 'a' && *p <= 'z')
        p++;
    size_t cl = (size_t)(p - cs);
    static const struct {
        const char *s;
        uint8_t cmd;
    } cmds[] = {
        {"set", XBITS_SET}, {"unset", XBITS_UNSET}, {"toggle", XBITS_TOGGLE},
        {"isset", XBITS_ISSET}, {"isnotset", XBITS_ISNOTSET},
    };
    uint8_t cmd = 0;
    for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
        if (strlen(cmds[i].s) == cl && strncmp(cs, cmds[i].s, cl) == 0)
            cmd = cmds[i].cmd;
    if (cmd == 0) {
        snprintf(err, errlen, "xbits command \"%.*s\" is not supported (set, unset, toggle, isset, isnotset)",
                (int)cl, cs);
        return NULL;
    }
    if (*p != ',') {
        snprintf(err, errlen, "xbits needs <command>,<name>,track <ip_src|ip_dst|ip_pair|tx> in \"%s\"", v);
        return NULL;
    }
    p = skip_ws(p + 1);
    const char *ns = p;
    while (*p && *p != ',')
        p++;
    const char *ne = p;
    while (ne > ns && isspace((unsigned char)ne[-1]))
        ne--;
    if (ne == ns) {
        snprintf(err, errlen, "xbits needs a bit name in \"%s\"", v);
        return NULL;
    }
    for (const char *c = ns; c < ne; c++)
        if (isspace((unsigned char)*c)) {
            snprintf(err, errlen, "spaces are not allowed in xbits names (\"%.*s\")", (int)(ne - ns), ns);
            return NULL;
        }
    if (*p != ',') {
        snprintf(err, errlen, "xbits: 'track <ip_src|ip_dst|ip_pair|tx>' is mandatory in \"%s\"", v);
        return NULL;
    }
    p = skip_ws(p + 1);
    if (strncmp(p, "track", 5) != 0 || !isspace((unsigned char)p[5])) {
        snprintf(err, errlen, "xbits: expected 'track <ip_src|ip_dst|ip_pair|tx>' in \"%s\"", v);
        return NULL;
    }
    p = skip_ws(p + 5);
    static const struct {
        const char *s;
        uint8_t t;
    } tracks[] = {
        {"ip_src", XBITS_TRACK_IP_SRC}, {"ip_dst", XBITS_TRACK_IP_DST},
        {"ip_pair", XBITS_TRACK_IP_PAIR}, {"tx", XBITS_TRACK_TX},
    };
    const char *ts = p;
    while (*p && *p != ',' && !isspace((unsigned char)*p))
        p++;
    size_t tl = (size_t)(p - ts);
    uint8_t track = 0;
    for (size_t i = 0; i < sizeof(tracks) / sizeof(tracks[0]); i++)
        if (strlen(tracks[i].s) == tl && strncmp(ts, tracks[i].s, tl) == 0)
            track = tracks[i].t;
    if (track == 0) {
        snprintf(err, errlen, "xbits: invalid track '%.*s' (ip_src, ip_dst, ip_pair or tx)", (int)tl, ts);
        return NULL;
    }
    p = skip_ws(p);
    uint64_t expire = XBITS_EXPIRE_DEFAULT;
    if (*p == ',') {
        p = skip_ws(p + 1);
        if (strncmp(p, "expire", 6) != 0 || !isspace((unsigned char)p[6])) {
            snprintf(err, errlen, "xbits: expected 'expire <seconds>' after the track in \"%s\"", v);
            return NULL;
        }
        p = skip_ws(p + 6);
        if (!isdigit((unsigned char)*p)) {
            snprintf(err, errlen, "xbits: invalid expire value in \"%s\"", v);
            return NULL;
        }
        expire = 0;
        while (isdigit((unsigned char)*p)) {
            expire = expire * 10 + (uint64_t)(*p - '0');
            if (expire > UINT32_MAX) {
                snprintf(err, errlen, "xbits: expire value too large in \"%s\"", v);
                return NULL;
            }
            p++;
        }
        if (expire == 0) {
            snprintf(err, errlen, "xbits: expire must be at least 1 second");
            return NULL;
        }
        p = skip_ws(p);
    }
    if (*p != '\0') {
        snprintf(err, errlen, "xbits: unexpected '%s' in \"%s\"", p, v);
        return NULL;
    }
    XbitsCtx *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->cmd = cmd;
    c->track = track;
    c->expire = (uint32_t)expire;
    c->name.name = strndup(ns, (size_t)(ne - ns));
    if (c->name.name == NULL) {
        free(c);
        return NULL;
    }
    flow_var_name_hash(&c->name);
    return c;
}

/* ---- the store ---- */

#define XBITS_BUCKETS 4096

typedef struct XbitEntry {
    struct XbitEntry *next;
    bool pair;
    Address a, b; /* host: a only; pair: ordered so that a <= b */
    uint32_t name_hash;
    char *name;
    OdTime expire; /* set while now < expire */
} XbitEntry;

struct XbitsStore {
    XbitEntry *buckets[XBITS_BUCKETS];
    uint32_t count;
    uint64_t dropped;
};

XbitsStore *xbits_store_new(void)
{
    return calloc(1, sizeof(XbitsStore));
}

void xbits_store_free(XbitsStore *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < XBITS_BUCKETS; i++) {
        XbitEntry *e = st->buckets[i];
        while (e) {
            XbitEntry *n = e->next;
            free(e->name);
            free(e);
            e = n;
        }
    }
    free(st);
}

uint32_t xbits_store_count(const XbitsStore *st)
{
    return st ? st->count : 0;
}

uint64_t xbits_store_dropped(const XbitsStore *st)
{
    return st ? st->dropped : 0;
}

static _Thread_local XbitsStore *tls_store;

XbitsStore *xbits_thread_store(void)
{
    if (tls_store == NULL)
        tls_store = xbits_store_new();
    return tls_store;
}

void xbits_thread_cleanup(void)
{
    xbits_store_free(tls_store);
    tls_store = NULL;
}

typedef struct XbitKey {
    bool pair;
    Address a, b;
} XbitKey;

static bool make_key(const Packet *p, uint8_t track, XbitKey *k)
{
    memset(k, 0, sizeof(*k));
    if (p->src_addr.family == 0 || p->dst_addr.family == 0)
        return false;
    switch (track) {
    case XBITS_TRACK_IP_SRC:
        k->a = p->src_addr;
        return true;
    case XBITS_TRACK_IP_DST:
        k->a = p->dst_addr;
        return true;
    case XBITS_TRACK_IP_PAIR:
        k->pair = true;
        if (memcmp(&p->src_addr, &p->dst_addr, sizeof(Address)) <= 0) {
            k->a = p->src_addr;
            k->b = p->dst_addr;
        } else {
            k->a = p->dst_addr;
            k->b = p->src_addr;
        }
        return true;
    default:
        return false; /* tx: no transactions yet */
    }
}

static uint32_t key_bucket(const XbitKey *k, uint32_t name_hash)
{
    uint32_t h = name_hash ^ (k->pair ? 0x9e3779b9u : 0);
    const uint8_t *b = (const uint8_t *)&k->a;
    for (size_t i = 0; i < sizeof(Address); i++)
        h = (h ^ b[i]) * 16777619u;
    b = (const uint8_t *)&k->b;
    for (size_t i = 0; i < sizeof(Address); i++)
        h = (h ^ b[i]) * 16777619u;
    return h % XBITS_BUCKETS;
}

static XbitEntry **find_slot(XbitsStore *st, const XbitKey *k, const FlowVarName *n)
{
    XbitEntry **pp = &st->buckets[key_bucket(k, n->hash)];
    for (; *pp; pp = &(*pp)->next) {
        XbitEntry *e = *pp;
        if (e->pair == k->pair && e->name_hash == n->hash && memcmp(&e->a, &k->a, sizeof(Address)) == 0 &&
                memcmp(&e->b, &k->b, sizeof(Address)) == 0 && strcmp(e->name, n->name) == 0)
            return pp;
    }
    return pp; /* *pp == NULL: the end of the chain */
}

static void remove_at(XbitsStore *st, XbitEntry **pp)
{
    XbitEntry *e = *pp;
    *pp = e->next;
    free(e->name);
    free(e);
    st->count--;
}

static void purge_expired(XbitsStore *st, OdTime now)
{
    for (size_t i = 0; i < XBITS_BUCKETS; i++) {
        XbitEntry **pp = &st->buckets[i];
        while (*pp) {
            if ((*pp)->expire <= now)
                remove_at(st, pp);
            else
                pp = &(*pp)->next;
        }
    }
}

static void set_bit(XbitsStore *st, const XbitKey *k, const FlowVarName *n, OdTime now, uint32_t expire)
{
    XbitEntry **pp = find_slot(st, k, n);
    if (*pp) {
        (*pp)->expire = now + OD_TIME_FROM_SEC(expire);
        return;
    }
    if (st->count >= XBITS_MAX_ENTRIES) {
        purge_expired(st, now);
        if (st->count >= XBITS_MAX_ENTRIES) {
            st->dropped++;
            return;
        }
        pp = find_slot(st, k, n);
    }
    XbitEntry *e = calloc(1, sizeof(*e));
    if (e == NULL || (e->name = strdup(n->name)) == NULL) {
        free(e);
        st->dropped++;
        return;
    }
    e->pair = k->pair;
    e->a = k->a;
    e->b = k->b;
    e->name_hash = n->hash;
    e->expire = now + OD_TIME_FROM_SEC(expire);
    *pp = e;
    st->count++;
}

/* The live entry for (k, n) or NULL; an expired one is removed on sight. */
static XbitEntry **live_slot(XbitsStore *st, const XbitKey *k, const FlowVarName *n, OdTime now)
{
    XbitEntry **pp = find_slot(st, k, n);
    if (*pp && (*pp)->expire <= now) {
        remove_at(st, pp);
        return NULL;
    }
    return *pp ? pp : NULL;
}

bool xbits_match_store(XbitsStore *st, const Packet *p, const XbitsCtx *c)
{
    XbitKey k;
    if (st == NULL || !make_key(p, c->track, &k))
        return false;
    bool set = live_slot(st, &k, &c->name, p->ts) != NULL;
    if (c->cmd == XBITS_ISSET)
        return set;
    if (c->cmd == XBITS_ISNOTSET)
        return !set;
    return false;
}

void xbits_post_store(XbitsStore *st, const Packet *p, const XbitsCtx *c)
{
    XbitKey k;
    if (st == NULL || !make_key(p, c->track, &k))
        return;
    XbitEntry **pp;
    switch (c->cmd) {
    case XBITS_SET:
        set_bit(st, &k, &c->name, p->ts, c->expire);
        break;
    case XBITS_UNSET:
        if ((pp = live_slot(st, &k, &c->name, p->ts)) != NULL)
            remove_at(st, pp);
        break;
    case XBITS_TOGGLE:
        if ((pp = live_slot(st, &k, &c->name, p->ts)) != NULL)
            remove_at(st, pp);
        else
            set_bit(st, &k, &c->name, p->ts, c->expire);
        break;
    default:
        break;
    }
}

/* ---- the keyword: setup (conditions on SIG_LIST_MATCH, actions on
 * SIG_LIST_POSTMATCH), evaluation wrappers, hash/equal, descriptor ---- */

static uint16_t kw_xbits;

static bool xbits_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    char err[512] = "";
    XbitsCtx *c = xbits_parse(value, err, sizeof(err));
    if (c == NULL)
        return rule_error(rp, "%s", err[0] ? err : "invalid xbits");
    bool cond = c->cmd == XBITS_ISSET || c->cmd == XBITS_ISNOTSET;
    if (rule_append(rp, s, cond ? SIG_LIST_MATCH : SIG_LIST_POSTMATCH, kw_xbits, c) == NULL) {
        xbits_free(c);
        return rule_error(rp, "out of memory");
    }
    return true;
}

/* xbits use the calling worker's store (per-thread, see kw-flowvars.h). */
static bool xbits_match_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    return xbits_match_store(xbits_thread_store(), p, ctx);
}

static void xbits_post_kw(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    xbits_post_store(xbits_thread_store(), p, ctx);
}

static uint32_t xbits_hash(const void *ctx)
{
    const XbitsCtx *c = ctx;
    return flowvar_name_hash_mix(2166136261u ^ c->cmd ^ ((uint32_t)c->track << 8) ^ (c->expire << 16), &c->name);
}

static bool xbits_equal(const void *a, const void *b)
{
    const XbitsCtx *x = a, *y = b;
    return x->cmd == y->cmd && x->track == y->track && x->expire == y->expire && flowvar_name_equal(&x->name, &y->name);
}

void flowvars_register_xbits(void)
{
    kw_xbits = keyword_register(&(const KeywordDef){
            .name = "xbits",
            .help = "operate on host/ip-pair bits: <cmd>,<name>,track <ip_src|ip_dst|ip_pair>[,expire N]",
            .setup = xbits_setup,
            .match_packet = xbits_match_kw,
            .post_match = xbits_post_kw,
            .free = xbits_free,
            .hash = xbits_hash,
            .equal = xbits_equal,
    });
}
