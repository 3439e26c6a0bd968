/*
 * iprep (Suricata 8): IP reputation, `iprep:<src|dst|any|both>,<category>,<op>,<value>`
 * compares the reputation score (0-127) that the configured reputation
 * lists give the packet's source and/or destination address in a category
 * (`any`: either address, `both`: each of them); op is a uint comparison
 * (`<`, `>`, `=`, `<=`, `>=`, `!=`). An address without an entry in that
 * category does not match.
 *
 * The lists come from the configuration, as Suricata reads them:
 * `reputation-categories-file` (lines `<id>,<short name>,<description>`,
 * id 1-59), and every file of `reputation-files` (lines
 * `<ip or cidr>,<category id>,<score>`; relative names are taken under
 * `default-reputation-path`). `#` starts a comment line. They are loaded
 * once, the first time a rule uses iprep, and are read-only afterwards;
 * a rule naming an unknown category fails to load, as in Suricata. An
 * address's score is that of its host entry (found by binary search; the
 * last line wins), else of the most specific network entry holding it.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "detect/keyword.h"
#include "detect/kw-hdrkw.h"
#include "detect/kw-header.h"
#include "detect/rule-parse.h"
#include "util/log.h"

#define IPREP_MAX_CATEGORIES 60
#define IPREP_MAX_SCORE 127

typedef struct IprepEntry {
    Address net; /* network address (host bits zero) */
    uint8_t prefix; /* bits: 32/128 for a host */
    uint8_t cat;
    uint8_t score;
    uint32_t seq; /* order read: the last line for a host and category wins */
} IprepEntry;

struct IprepTable {
    char *cat_names[IPREP_MAX_CATEGORIES];
    /* entries as read; iprep_table_finish() sorts them by (host first,
     * family, address, category) and counts the host entries, which are
     * then found by binary search; network (CIDR) entries follow them and
     * are scanned, the most specific one winning */
    IprepEntry *entries;
    size_t count, cap;
    size_t hosts;
};

typedef enum IprepSide {
    IPREP_ANY = 0,
    IPREP_BOTH,
    IPREP_SRC,
    IPREP_DST,
} IprepSide;

typedef struct IprepCtx {
    uint8_t side; /* IprepSide */
    uint8_t cat;
    DetectUint u;
} IprepCtx;

static uint16_t kw_iprep;
static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;
static IprepTable *loaded; /* the configuration's table, loaded on first use */
static bool load_tried;

IprepTable *iprep_table_new(void)
{
    return calloc(1, sizeof(IprepTable));
}

void iprep_table_free(IprepTable *t)
{
    if (t == NULL)
        return;
    for (int i = 0; i < IPREP_MAX_CATEGORIES; i++)
        free(t->cat_names[i]);
    free(t->entries);
    free(t);
}

int iprep_category_id(const IprepTable *t, const char *name)
{
    for (int i = 1; t && i < IPREP_MAX_CATEGORIES; i++)
        if (t->cat_names[i] && strcmp(t->cat_names[i], name) == 0)
            return i;
    return 0;
}

/* Splits `line` in place at commas into at most n trimmed fields. */
static int split_fields(char *line, char **f, int n)
{
    int k = 0;
    char *p = line;
    while (k < n) {
        while (isspace((unsigned char)*p))
            p++;
        f[k++] = p;
        char *c = strchr(p, ',');
        char *end = c ? c : p + strlen(p);
        while (end > p && isspace((unsigned char)end[-1]))
            end--;
        if (c == NULL) {
            *end = '\0';
            break;
        }
        *end = '\0';
        p = c + 1;
    }
    return k;
}

static bool parse_small_uint(const char *s, unsigned max, unsigned *out)
{
    if (!isdigit((unsigned char)*s))
        return false;
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 10);
    if (*end != '\0' || v > max)
        return false;
    *out = (unsigned)v;
    return true;
}

bool iprep_add_category_line(IprepTable *t, const char *line)
{
    char buf[512];
    if (strlen(line) >= sizeof(buf))
        return false;
    strcpy(buf, line);
    char *f[3];
    unsigned id = 0;
    if (split_fields(buf, f, 3) < 2 || !parse_small_uint(f[0], IPREP_MAX_CATEGORIES - 1, &id) || id == 0 ||
        f[1][0] == '\0')
        return false;
    char *name = strdup(f[1]);
    if (name == NULL)
        return false;
    free(t->cat_names[id]);
    t->cat_names[id] = name;
    return true;
}

/* `ip[/prefix]` into a network address with its host bits cleared. */
static bool parse_net(const char *s, Address *a, uint8_t *prefix)
{
    char ip[64];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n == 0 || n >= sizeof(ip))
        return false;
    memcpy(ip, s, n);
    ip[n] = '\0';
    memset(a, 0, sizeof(*a));
    unsigned bits;
    if (inet_pton(AF_INET, ip, a->addr) == 1) {
        a->family = 4;
        bits = 32;
    } else if (inet_pton(AF_INET6, ip, a->addr) == 1) {
        a->family = 6;
        bits = 128;
    } else {
        return false;
    }
    unsigned p = bits;
    if (slash && !parse_small_uint(slash + 1, bits, &p))
        return false;
    for (unsigned i = p; i < 128; i++)
        a->addr[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
    *prefix = (uint8_t)p;
    return true;
}

bool iprep_add_entry_line(IprepTable *t, const char *line)
{
    char buf[512];
    if (strlen(line) >= sizeof(buf))
        return false;
    strcpy(buf, line);
    char *f[3];
    IprepEntry e;
    memset(&e, 0, sizeof(e));
    unsigned cat = 0, score = 0;
    if (split_fields(buf, f, 3) != 3 || !parse_net(f[0], &e.net, &e.prefix) ||
        !parse_small_uint(f[1], IPREP_MAX_CATEGORIES - 1, &cat) || cat == 0 ||
        !parse_small_uint(f[2], IPREP_MAX_SCORE, &score))
        return false;
    e.cat = (uint8_t)cat;
    e.score = (uint8_t)score;
    e.seq = (uint32_t)t->count;
    if (t->count == t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        IprepEntry *ne = realloc(t->entries, ncap * sizeof(*ne));
        if (ne == NULL)
            return false;
        t->entries = ne;
        t->cap = ncap;
    }
    t->entries[t->count++] = e;
    return true;
}

static bool is_host(const IprepEntry *e)
{
    return e->prefix == (e->net.family == 4 ? 32 : 128);
}

/* Orders hosts before networks, then by family, address, category and
 * prefix (the entry's identity, without the read order). */
static int entry_key_cmp(const IprepEntry *x, const IprepEntry *y)
{
    bool hx = is_host(x), hy = is_host(y);
    if (hx != hy)
        return hx ? -1 : 1;
    if (x->net.family != y->net.family)
        return x->net.family < y->net.family ? -1 : 1;
    int c = memcmp(x->net.addr, y->net.addr, sizeof(x->net.addr));
    if (c != 0)
        return c;
    if (x->cat != y->cat)
        return x->cat < y->cat ? -1 : 1;
    return x->prefix < y->prefix ? -1 : x->prefix > y->prefix;
}

static int entry_cmp(const void *a, const void *b)
{
    const IprepEntry *x = a, *y = b;
    int c = entry_key_cmp(x, y);
    if (c != 0)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void iprep_table_finish(IprepTable *t)
{
    if (t == NULL)
        return;
    if (t->count > 1)
        qsort(t->entries, t->count, sizeof(IprepEntry), entry_cmp);
    t->hosts = 0;
    while (t->hosts < t->count && is_host(&t->entries[t->hosts]))
        t->hosts++;
}

static bool in_net(const IprepEntry *e, const Address *a)
{
    if (e->net.family != a->family)
        return false;
    unsigned full = e->prefix / 8, rest = e->prefix % 8;
    if (memcmp(e->net.addr, a->addr, full) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xffu << (8 - rest));
    return (a->addr[full] & mask) == e->net.addr[full];
}

int iprep_lookup(const IprepTable *t, const Address *a, uint8_t cat)
{
    if (t == NULL || a->family == 0)
        return -1;
    /* a host entry is the most specific there is */
    IprepEntry key;
    memset(&key, 0, sizeof(key));
    key.net = *a;
    key.prefix = a->family == 4 ? 32 : 128;
    key.cat = cat;
    key.seq = UINT32_MAX; /* after every equal entry: lo - 1 is the last read */
    size_t lo = 0, hi = t->hosts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (entry_cmp(&t->entries[mid], &key) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0 && entry_key_cmp(&t->entries[lo - 1], &key) == 0)
        return t->entries[lo - 1].score;
    /* else the most specific network entry of the category */
    int best = -1, best_prefix = -1;
    for (size_t i = t->hosts; i < t->count; i++) {
        const IprepEntry *e = &t->entries[i];
        if (e->cat == cat && (int)e->prefix > best_prefix && in_net(e, a)) {
            best = e->score;
            best_prefix = e->prefix;
        }
    }
    return best;
}

static bool load_file(const char *path, IprepTable *t, bool categories)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL) {
        od_error("iprep: cannot open %s file %s", categories ? "categories" : "reputation", path);
        return false;
    }
    char line[1024];
    int lineno = 0;
    bool ok = true;
    while (fgets(line, sizeof(line), fp)) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        const char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == '\0' || *p == '#')
            continue;
        if (!(categories ? iprep_add_category_line(t, p) : iprep_add_entry_line(t, p))) {
            od_error("iprep: invalid line %d of %s: %s", lineno, path, line);
            ok = false;
        }
    }
    fclose(fp);
    return ok;
}

/* Loads the configured lists once; the table is then shared read-only. */
static const IprepTable *iprep_configured(Conf *conf)
{
    pthread_mutex_lock(&load_lock);
    if (!load_tried && conf != NULL) {
        load_tried = true;
        const char *cats = NULL;
        if (conf_get_str(conf, "reputation-categories-file", &cats) && cats && *cats) {
            IprepTable *t = iprep_table_new();
            if (t && load_file(cats, t, true)) {
                const char *dir = NULL;
                conf_get_str(conf, "default-reputation-path", &dir);
                ConfNode *files = conf_node(conf, "reputation-files");
                for (ConfNode *n = files ? files->first_child : NULL; n; n = n->next) {
                    if (n->value == NULL)
                        continue;
                    char path[4096];
                    if (n->value[0] == '/' || dir == NULL || *dir == '\0')
                        snprintf(path, sizeof(path), "%s", n->value);
                    else
                        snprintf(path, sizeof(path), "%s/%s", dir, n->value);
                    load_file(path, t, false);
                }
                iprep_table_finish(t);
                loaded = t;
            } else {
                iprep_table_free(t);
            }
        }
    }
    const IprepTable *t = loaded;
    pthread_mutex_unlock(&load_lock);
    return t;
}

bool iprep_parse(const IprepTable *t, const char *value, uint8_t *side, uint8_t *cat, DetectUint *u, char *err,
                 size_t errlen)
{
    char buf[256];
    if (value == NULL || strlen(value) >= sizeof(buf)) {
        snprintf(err, errlen, "iprep needs <src|dst|any|both>,<category>,<op>,<value>");
        return false;
    }
    strcpy(buf, value);
    char *f[4];
    if (split_fields(buf, f, 4) != 4) {
        snprintf(err, errlen, "iprep needs <src|dst|any|both>,<category>,<op>,<value> (got '%s')", value);
        return false;
    }
    static const char *const sides[] = {"any", "both", "src", "dst"};
    int s = -1;
    for (int i = 0; i < 4; i++)
        if (strcmp(f[0], sides[i]) == 0)
            s = i;
    if (s < 0) {
        snprintf(err, errlen, "iprep: invalid side '%s' (src, dst, any or both)", f[0]);
        return false;
    }
    int c = iprep_category_id(t, f[1]);
    if (c == 0) {
        snprintf(err, errlen, "iprep: unknown category '%s' (see reputation-categories-file)", f[1]);
        return false;
    }
    char expr[80];
    snprintf(expr, sizeof(expr), "%s%s", f[2], f[3]);
    if (f[2][0] == '\0' || !strchr("<>=!", f[2][0]) || !detect_uint_parse(expr, IPREP_MAX_SCORE, u)) {
        snprintf(err, errlen, "iprep: invalid comparison '%s,%s' (op <, >, =, ... and a value 0-127)", f[2], f[3]);
        return false;
    }
    *side = (uint8_t)s;
    *cat = (uint8_t)c;
    return true;
}

static bool iprep_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    const IprepTable *t = iprep_configured(rp->conf);
    if (t == NULL)
        return rule_error(rp, "iprep needs reputation-categories-file (and reputation-files) in the configuration");
    IprepCtx c;
    memset(&c, 0, sizeof(c));
    char err[256] = "";
    if (!iprep_parse(t, value, &c.side, &c.cat, &c.u, err, sizeof(err)))
        return rule_error(rp, "%s", err);
    IprepCtx *out = malloc(sizeof(*out));
    if (out == NULL)
        return rule_error(rp, "out of memory");
    *out = c;
    if (rule_append(rp, s, SIG_LIST_MATCH, kw_iprep, out) == NULL) {
        free(out);
        return rule_error(rp, "out of memory");
    }
    return true;
}

bool iprep_match_table(const IprepTable *t, const Packet *p, uint8_t side, uint8_t cat, const DetectUint *u)
{
    int src = -2, dst = -2;
    if (side != IPREP_DST)
        src = iprep_lookup(t, &p->src_addr, cat);
    if (side != IPREP_SRC)
        dst = iprep_lookup(t, &p->dst_addr, cat);
    const bool sm = src >= 0 && detect_uint_match(u, (uint64_t)src);
    const bool dm = dst >= 0 && detect_uint_match(u, (uint64_t)dst);
    switch (side) {
    case IPREP_SRC:
        return sm;
    case IPREP_DST:
        return dm;
    case IPREP_BOTH:
        return sm && dm;
    default:
        return sm || dm;
    }
}

static bool iprep_match(struct DetectThread *dt, const Packet *p, const Signature *s, const void *ctx)
{
    (void)dt;
    (void)s;
    const IprepCtx *c = ctx;
    return iprep_match_table(loaded, p, c->side, c->cat, &c->u);
}

static uint32_t iprep_hash(const void *ctx)
{
    return hdr_hash_bytes(ctx, sizeof(IprepCtx), 0x19e9u);
}

static bool iprep_equal(const void *a, const void *b)
{
    return memcmp(a, b, sizeof(IprepCtx)) == 0;
}

void hdrkw_register_iprep(void)
{
    KeywordDef d;
    memset(&d, 0, sizeof(d));
    d.name = "iprep";
    d.help = "match IP reputation: <src|dst|any|both>,<category>,<op>,<score>";
    d.setup = iprep_setup;
    d.match_packet = iprep_match;
    d.free = free;
    d.hash = iprep_hash;
    d.equal = iprep_equal;
    kw_iprep = keyword_register(&d);
}
