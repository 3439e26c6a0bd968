/*
 * The dataset registry, value conversions, file loading and saving (see
 * dataset.h). Values in files: RFC 4648 base64 for strings, hex for md5
 * (RFC 1321) and sha256 (FIPS 180-4), dotted quads for IPv4 (RFC 791) and
 * RFC 4291 text for IPv6. Error messages are Suricata 8's.
 */
#include "detect/dataset.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/dataset-json.h"
#include "util/log.h"
#include "util/base64.h"

#define VALUE_MAX 65536u /* longest string value a file line may give */
#define REP_MAX 65535u

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static Dataset *registry;
static bool config_claimed;

DatasetType dataset_type_parse(const char *s)
{
    if (strcmp(s, "string") == 0)
        return DATASET_TYPE_STRING;
    if (strcmp(s, "md5") == 0)
        return DATASET_TYPE_MD5;
    if (strcmp(s, "sha256") == 0)
        return DATASET_TYPE_SHA256;
    if (strcmp(s, "ipv4") == 0)
        return DATASET_TYPE_IPV4;
    if (strcmp(s, "ipv6") == 0 || strcmp(s, "ip") == 0)
        return DATASET_TYPE_IPV6;
    return DATASET_TYPE_NONE;
}

const char *dataset_type_name(DatasetType t)
{
    switch (t) {
    case DATASET_TYPE_STRING: return "string";
    case DATASET_TYPE_MD5: return "md5";
    case DATASET_TYPE_SHA256: return "sha256";
    case DATASET_TYPE_IPV4: return "ipv4";
    case DATASET_TYPE_IPV6: return "ipv6";
    default: return "none";
    }
}

/* ---- base64 (RFC 4648 section 4) ---- */

/* Decodes; padding is optional but only at the end. */
static bool b64_decode(const char *in, size_t n, uint8_t *out, uint32_t *out_len, size_t cap)
{
    while (n > 0 && in[n - 1] == '=')
        n--;
    uint32_t acc = 0, bits = 0, o = 0;
    for (size_t i = 0; i < n; i++) {
        int v = base64_value((uint8_t)in[i]);
        if (v < 0)
            return false;
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= cap)
                return false;
            out[o++] = (uint8_t)(acc >> bits);
        }
    }
    if (n % 4 == 1)
        return false;
    *out_len = o;
    return true;
}

static void b64_encode(const uint8_t *in, uint32_t n, FILE *f)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (uint32_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)in[i + 1] << 8;
        if (i + 2 < n)
            v |= in[i + 2];
        fputc(tbl[(v >> 18) & 63], f);
        fputc(tbl[(v >> 12) & 63], f);
        fputc(i + 1 < n ? tbl[(v >> 6) & 63] : '=', f);
        fputc(i + 2 < n ? tbl[v & 63] : '=', f);
    }
}

static bool hex_decode(const char *in, size_t n, uint8_t *out, uint32_t want)
{
    if (n != (size_t)want * 2)
        return false;
    for (uint32_t i = 0; i < want; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = in[2 * i + (uint32_t)k];
            unsigned d;
            if (c >= '0' && c <= '9')
                d = (unsigned)(c - '0');
            else if (c >= 'a' && c <= 'f')
                d = (unsigned)(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                d = (unsigned)(c - 'A' + 10);
            else
                return false;
            v = (v << 4) | d;
        }
        out[i] = (uint8_t)v;
    }
    return true;
}

/* An IPv6 set's key of address text: IPv4 text or an IPv4-mapped IPv6
 * address (::ffff:a.b.c.d) gives the IPv4 bytes followed by zeros, the
 * way the packet's ip.src of an IPv4 packet is stored. */
static bool ipv6_key(const char *text, uint8_t out[16])
{
    memset(out, 0, 16);
    if (strchr(text, ':') == NULL)
        return inet_pton(AF_INET, text, out) == 1;
    if (inet_pton(AF_INET6, text, out) != 1)
        return false;
    static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    if (memcmp(out, mapped, 12) == 0) {
        memmove(out, out + 12, 4);
        memset(out + 4, 0, 12);
    }
    return true;
}

bool dataset_value_parse(DatasetType type, const char *text, size_t n, bool raw_string, uint8_t *out,
                         uint32_t *out_len, size_t cap)
{
    char addr[64];
    switch (type) {
    case DATASET_TYPE_STRING:
        if (raw_string) {
            if (n > cap)
                return false;
            memcpy(out, text, n);
            *out_len = (uint32_t)n;
            return true;
        }
        return b64_decode(text, n, out, out_len, cap);
    case DATASET_TYPE_MD5:
    case DATASET_TYPE_SHA256: {
        uint32_t want = type == DATASET_TYPE_MD5 ? 16 : 32;
        if (cap < want || !hex_decode(text, n, out, want))
            return false;
        *out_len = want;
        return true;
    }
    case DATASET_TYPE_IPV4:
    case DATASET_TYPE_IPV6:
        if (n == 0 || n >= sizeof(addr) || cap < 16)
            return false;
        memcpy(addr, text, n);
        addr[n] = '\0';
        if (type == DATASET_TYPE_IPV4) {
            if (inet_pton(AF_INET, addr, out) != 1)
                return false;
            *out_len = 4;
            return true;
        }
        if (!ipv6_key(addr, out))
            return false;
        *out_len = 16;
        return true;
    default: return false;
    }
}

/* The key of inspected bytes: fixed-size types need their exact length
 * (an IPv6 set also takes a 4-byte IPv4 address, zero-padded). */
static bool inspected_key(const Dataset *set, const uint8_t *data, uint32_t len, uint8_t pad[16],
                          const uint8_t **key, uint32_t *klen)
{
    switch (set->type) {
    case DATASET_TYPE_STRING: *key = data; *klen = len; return true;
    case DATASET_TYPE_MD5: *key = data; *klen = len; return len == 16;
    case DATASET_TYPE_SHA256: *key = data; *klen = len; return len == 32;
    case DATASET_TYPE_IPV4: *key = data; *klen = len; return len == 4;
    case DATASET_TYPE_IPV6:
        if (len == 16) {
            *key = data;
        } else if (len == 4) {
            memset(pad, 0, 16);
            memcpy(pad, data, 4);
            *key = pad;
        } else {
            return false;
        }
        *klen = 16;
        return true;
    default: return false;
    }
}

int dataset_add(Dataset *set, const uint8_t *data, uint32_t len)
{
    uint8_t pad[16];
    const uint8_t *key;
    uint32_t klen;
    if (!inspected_key(set, data, len, pad, &key, &klen))
        return -1;
    pthread_mutex_lock(&set->lock);
    int r = dataset_table_add(&set->table, key, klen, 0, NULL, NULL);
    pthread_mutex_unlock(&set->lock);
    return r;
}

bool dataset_lookup(Dataset *set, const uint8_t *data, uint32_t len, uint16_t *rep, char **json)
{
    uint8_t pad[16];
    const uint8_t *key;
    uint32_t klen;
    if (json)
        *json = NULL;
    if (!inspected_key(set, data, len, pad, &key, &klen))
        return false;
    pthread_mutex_lock(&set->lock);
    DatasetEntry *e = dataset_table_lookup(&set->table, key, klen);
    if (e && rep)
        *rep = e->rep;
    if (e && json && e->json)
        *json = strdup(e->json);
    pthread_mutex_unlock(&set->lock);
    return e != NULL;
}

int dataset_remove(Dataset *set, const uint8_t *data, uint32_t len)
{
    uint8_t pad[16];
    const uint8_t *key;
    uint32_t klen;
    if (!inspected_key(set, data, len, pad, &key, &klen))
        return 0;
    pthread_mutex_lock(&set->lock);
    int r = dataset_table_remove(&set->table, key, klen);
    pthread_mutex_unlock(&set->lock);
    return r;
}

/* ---- loading ---- */

static bool set_err(char *err, size_t errlen, const char *fmt, const char *a)
{
    snprintf(err, errlen, fmt, a);
    return false;
}

static bool add_loaded(Dataset *set, const uint8_t *key, uint32_t klen, uint16_t rep, const char *json, char *err,
                       size_t errlen)
{
    int r = dataset_table_add(&set->table, key, klen, rep, json, NULL);
    if (r < 0)
        return set_err(err, errlen, "dataset too large for set memcap: %s", set->name);
    return true;
}

/* One line of a csv/rep file: `value` or `value,rep`. */
static bool load_csv_line(Dataset *set, char *line, uint8_t *buf, char *err, size_t errlen)
{
    char *comma = strchr(line, ',');
    if ((comma != NULL) != set->rep)
        return set_err(err, errlen, "Cannot mix dataset and datarep values for set %s", set->name);
    uint16_t rep = 0;
    if (comma) {
        *comma = '\0';
        char *end = NULL;
        const char *r = comma + 1;
        errno = 0;
        unsigned long v = (*r >= '0' && *r <= '9') ? strtoul(r, &end, 10) : 0;
        if (!end || *end || errno || v > REP_MAX)
            return set_err(err, errlen, "invalid datarep value %s", set->name);
        rep = (uint16_t)v;
    }
    uint32_t klen = 0;
    if (!dataset_value_parse(set->type, line, strlen(line), false, buf, &klen, VALUE_MAX)) {
        if (set->type == DATASET_TYPE_STRING)
            return set_err(err, errlen, "bad base64 encoding %s", set->name);
        snprintf(err, errlen, "invalid %s value '%s' in set %s", dataset_type_name(set->type), line, set->name);
        return false;
    }
    return add_loaded(set, buf, klen, rep, NULL, err, errlen);
}

/* One datajson object: its value_key member gives the value, the object
 * (without that member when remove_key) the context. */
static bool load_json_object(Dataset *set, const DatasetSpec *spec, JsonNode *obj, uint8_t *buf, char *err,
                             size_t errlen)
{
    const JsonNode *v = json_node_path(obj, spec->value_key);
    if (!v) /* as Suricata: an entry without the value is skipped */
        return true;
    if (v->kind != JSON_STRING)
        return set_err(err, errlen, "failed to get value because it is not a string (set %s)", set->name);
    uint32_t klen = 0;
    if (!dataset_value_parse(set->type, v->text, v->text_len, true, buf, &klen, VALUE_MAX)) {
        snprintf(err, errlen, "invalid %s value '%s' in set %s", dataset_type_name(set->type), v->text, set->name);
        return false;
    }
    if (spec->remove_key)
        json_node_remove_path(obj, spec->value_key);
    JsonBuf j;
    jb_init(&j);
    json_node_write(&j, NULL, obj);
    bool ok = j.buf != NULL && add_loaded(set, buf, klen, 0, j.buf, err, errlen);
    if (!j.buf)
        set_err(err, errlen, "out of memory loading set %s", set->name);
    jb_free(&j);
    return ok;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        cap *= 2;
        char *b = realloc(buf, cap + 1);
        if (!b) {
            free(buf);
            buf = NULL;
        }
        buf = b;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* Splits text into lines (\n or \r\n) and calls fn on each non-empty one
 * that is not a # comment. */
static bool for_each_line(char *text, bool (*fn)(char *line, void *u), void *u)
{
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        if (n == 0 || line[0] == '#')
            continue;
        if (!fn(line, u))
            return false;
    }
    return true;
}

typedef struct LoadCtx {
    Dataset *set;
    const DatasetSpec *spec;
    uint8_t *buf;
    char *err;
    size_t errlen;
} LoadCtx;

static bool csv_line_cb(char *line, void *u)
{
    LoadCtx *c = u;
    return load_csv_line(c->set, line, c->buf, c->err, c->errlen);
}

static bool ndjson_line_cb(char *line, void *u)
{
    LoadCtx *c = u;
    JsonNode *n = json_read((const uint8_t *)line, strlen(line), c->err, c->errlen);
    if (!n)
        return false;
    bool ok = n->kind == JSON_OBJECT ? load_json_object(c->set, c->spec, n, c->buf, c->err, c->errlen)
                                     : set_err(c->err, c->errlen, "JSON line of set %s is not an object", c->set->name);
    json_node_free(n);
    return ok;
}

static bool load_json_document(LoadCtx *c, const char *text, size_t len)
{
    JsonNode *doc = json_read((const uint8_t *)text, len, c->err, c->errlen);
    if (!doc)
        return false;
    const JsonNode *arr = c->spec->array_key ? json_node_path(doc, c->spec->array_key) : doc;
    bool ok = true;
    if (!arr || arr->kind != JSON_ARRAY) {
        ok = set_err(c->err, c->errlen, "JSON of set %s has no array of entries", c->set->name);
    } else {
        for (size_t i = 0; ok && i < arr->count; i++) {
            if (arr->items[i]->kind != JSON_OBJECT)
                ok = set_err(c->err, c->errlen, "JSON entry of set %s is not an object", c->set->name);
            else
                ok = load_json_object(c->set, c->spec, arr->items[i], c->buf, c->err, c->errlen);
        }
    }
    json_node_free(doc);
    return ok;
}

static bool dataset_load(Dataset *set, const DatasetSpec *spec, char *err, size_t errlen)
{
    size_t len = 0;
    char *text = read_file(set->load, &len);
    if (!text) {
        snprintf(err, errlen, "fopen '%s' failed: %s", set->load, strerror(errno));
        return false;
    }
    LoadCtx c = { .set = set, .spec = spec, .buf = malloc(VALUE_MAX), .err = err, .errlen = errlen };
    bool ok = c.buf != NULL;
    if (ok) {
        if (spec->format == DATASET_FORMAT_JSON)
            ok = load_json_document(&c, text, len);
        else
            ok = for_each_line(text, spec->format == DATASET_FORMAT_NDJSON ? ndjson_line_cb : csv_line_cb, &c);
    }
    free(c.buf);
    free(text);
    return ok;
}

/* ---- registry ---- */

static void dataset_free(Dataset *s)
{
    dataset_table_free(&s->table);
    pthread_mutex_destroy(&s->lock);
    free(s->load);
    free(s->save);
    free(s);
}

static uint32_t record_size(DatasetType t)
{
    switch (t) {
    case DATASET_TYPE_STRING: return 24;
    case DATASET_TYPE_MD5: return 32;
    case DATASET_TYPE_SHA256: return 48;
    case DATASET_TYPE_IPV4: return 24;
    default: return 32;
    }
}

static Dataset *dataset_new(const DatasetSpec *spec, char *err, size_t errlen)
{
    Dataset *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    snprintf(s->name, sizeof(s->name), "%s", spec->name);
    s->type = spec->type;
    s->rep = spec->rep;
    s->json = spec->format != DATASET_FORMAT_CSV;
    pthread_mutex_init(&s->lock, NULL);
    /* as Suricata: a set loaded from a file without a memcap of its own
     * may grow as large as the file needs */
    uint64_t memcap = spec->memcap ? spec->memcap : spec->load ? 0 : DATASET_DEFAULT_MEMCAP;
    if ((spec->load && !(s->load = strdup(spec->load))) || (spec->save && !(s->save = strdup(spec->save))) ||
        !dataset_table_init(&s->table, spec->hashsize ? spec->hashsize : DATASET_DEFAULT_HASHSIZE, memcap,
                            spec->type != DATASET_TYPE_STRING, record_size(spec->type),
                            spec->type == DATASET_TYPE_STRING)) {
        snprintf(err, errlen, "out of memory creating set %s", spec->name);
        dataset_free(s);
        return NULL;
    }
    if (spec->memcap && s->table.memuse > spec->memcap) {
        snprintf(err, errlen, "dataset too large for set memcap: %s", spec->name);
        dataset_free(s);
        return NULL;
    }
    if (s->load && !dataset_load(s, spec, err, errlen)) {
        dataset_free(s);
        return NULL;
    }
    if (!spec->memcap && spec->load) /* loaded: the budget is what it uses */
        s->table.memcap = s->table.memuse > DATASET_DEFAULT_MEMCAP ? s->table.memuse : DATASET_DEFAULT_MEMCAP;
    return s;
}

Dataset *dataset_find(const char *name)
{
    pthread_mutex_lock(&registry_lock);
    Dataset *s = registry;
    while (s && strcmp(s->name, name) != 0)
        s = s->next;
    pthread_mutex_unlock(&registry_lock);
    return s;
}

Dataset *dataset_get(const DatasetSpec *spec, char *err, size_t errlen)
{
    pthread_mutex_lock(&registry_lock);
    Dataset *s;
    for (s = registry; s; s = s->next)
        if (strcmp(s->name, spec->name) == 0)
            break;
    if (s) {
        if (s->type != spec->type) {
            snprintf(err, errlen, "dataset %s already exists with type %s, not %s", spec->name,
                     dataset_type_name(s->type), dataset_type_name(spec->type));
            s = NULL;
        } else if (spec->load && s->load && strcmp(spec->load, s->load) != 0) {
            snprintf(err, errlen, "dataset %s already loads %s, not %s", spec->name, s->load, spec->load);
            s = NULL;
        } else if (spec->save && !s->save) {
            s->save = strdup(spec->save);
        }
    } else if (strlen(spec->name) >= DATASET_NAME_MAX) {
        snprintf(err, errlen, "dataset name too long: %s", spec->name);
    } else if ((s = dataset_new(spec, err, errlen)) != NULL) {
        s->next = registry;
        registry = s;
    }
    pthread_mutex_unlock(&registry_lock);
    return s;
}

/* ---- saving ---- */

typedef struct SaveCtx {
    FILE *f;
    DatasetType type;
} SaveCtx;

static void save_entry(const DatasetEntry *e, void *user)
{
    SaveCtx *c = user;
    char text[INET6_ADDRSTRLEN + 48];
    switch (c->type) {
    case DATASET_TYPE_STRING: b64_encode(e->key, e->len, c->f); break;
    case DATASET_TYPE_MD5:
    case DATASET_TYPE_SHA256:
        for (uint32_t i = 0; i < e->len; i++)
            fprintf(c->f, "%02x", e->key[i]);
        break;
    case DATASET_TYPE_IPV4:
        if (inet_ntop(AF_INET, e->key, text, sizeof(text)))
            fputs(text, c->f);
        break;
    case DATASET_TYPE_IPV6: {
        bool v4 = true;
        for (int i = 4; i < 16; i++)
            v4 = v4 && e->key[i] == 0;
        if (v4) {
            if (inet_ntop(AF_INET, e->key, text, sizeof(text)))
                fputs(text, c->f);
        } else { /* Suricata writes every group in full */
            for (int i = 0; i < 16; i += 2)
                fprintf(c->f, "%s%02x%02x", i ? ":" : "", e->key[i], e->key[i + 1]);
        }
        break;
    }
    default: break;
    }
    fputc('\n', c->f);
}

void dataset_registry_save_all(void)
{
    pthread_mutex_lock(&registry_lock);
    for (Dataset *s = registry; s; s = s->next) {
        if (!s->save)
            continue;
        FILE *f = fopen(s->save, "w");
        if (!f) {
            od_error("failed to open dataset file %s for saving: %s", s->save, strerror(errno));
            continue;
        }
        SaveCtx c = { .f = f, .type = s->type };
        pthread_mutex_lock(&s->lock);
        dataset_table_walk(&s->table, save_entry, &c);
        pthread_mutex_unlock(&s->lock);
        if (fclose(f) != 0)
            od_error("failed to write dataset file %s: %s", s->save, strerror(errno));
    }
    pthread_mutex_unlock(&registry_lock);
}

bool dataset_registry_claim_config(void)
{
    pthread_mutex_lock(&registry_lock);
    bool first = !config_claimed;
    config_claimed = true;
    pthread_mutex_unlock(&registry_lock);
    return first;
}

void dataset_registry_free_all(void)
{
    pthread_mutex_lock(&registry_lock);
    config_claimed = false;
    while (registry) {
        Dataset *n = registry->next;
        dataset_free(registry);
        registry = n;
    }
    pthread_mutex_unlock(&registry_lock);
}

unsigned dataset_registry_count(void)
{
    unsigned n = 0;
    pthread_mutex_lock(&registry_lock);
    for (Dataset *s = registry; s; s = s->next)
        n++;
    pthread_mutex_unlock(&registry_lock);
    return n;
}
