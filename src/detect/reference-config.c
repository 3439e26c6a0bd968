/*
 * Reads reference.config into a small hash table keyed by the lower case
 * system name, following Suricata 8's line pattern
 * `^\s*config\s+reference\s*:\s*NAME\s+(.+)\s*$` written out by hand (the
 * prefix keeps everything after the blanks that follow the name).
 */
#include "detect/reference-config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text-lines.h"

#ifndef ODLAR_SYSCONFDIR
#define ODLAR_SYSCONFDIR "/etc/odlar/"
#endif

#define REF_BUCKETS 64

typedef struct RefNode {
    char *name;
    char *url;
    struct RefNode *next;
} RefNode;

struct ReferenceConfig {
    RefNode *buckets[REF_BUCKETS];
    size_t count;
    unsigned errors;
    bool missing;
};

/* Longest problem message, as logged and as kept in err. */
#define REF_MSG_MAX 1024

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)tolower((unsigned char)*s)) * 16777619u;
    return h;
}

ReferenceConfig *reference_config_new(void)
{
    return calloc(1, sizeof(ReferenceConfig));
}

const char *reference_config_lookup(const ReferenceConfig *rc, const char *name)
{
    if (!rc || !name)
        return NULL;
    for (const RefNode *n = rc->buckets[name_hash(name) % REF_BUCKETS]; n; n = n->next)
        if (strcasecmp(n->name, name) == 0)
            return n->url;
    return NULL;
}

static const char *skip_ws(const char *p)
{
    while (*p && isspace((unsigned char)*p))
        p++;
    return p;
}

/* Parses one line; false when it does not have the expected shape. */
static bool parse_line(const char *line, char **name_out, char **url_out)
{
    const char *p = skip_ws(line);
    if (strncmp(p, "config", 6) != 0 || !isspace((unsigned char)p[6]))
        return false;
    p = skip_ws(p + 6);
    if (strncmp(p, "reference", 9) != 0)
        return false;
    p = skip_ws(p + 9);
    if (*p != ':')
        return false;
    p = skip_ws(p + 1);
    if (!isalpha((unsigned char)*p))
        return false;
    const char *name = p;
    while (isalnum((unsigned char)*p) || *p == '-' || *p == '_')
        p++;
    size_t name_len = (size_t)(p - name);
    if (!isspace((unsigned char)*p))
        return false;
    p = skip_ws(p);
    if (!*p)
        return false;
    char *n = strndup(name, name_len);
    char *url = strdup(p);
    if (!n || !url) {
        free(n);
        free(url);
        return false;
    }
    for (char *c = n; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    *name_out = n;
    *url_out = url;
    return true;
}

static void add_line(ReferenceConfig *rc, const char *line, const char *file, int lineno, char *err, size_t errlen)
{
    char *name = NULL, *url = NULL;
    if (!parse_line(line, &name, &url)) {
        od_text_report(&rc->errors, REF_MSG_MAX, false, err, errlen, "%s:%d: invalid reference line \"%s\" "
                       "(expected 'config reference: system url'), skipped", file, lineno, line);
        return;
    }
    if (reference_config_lookup(rc, name) || rc->count >= REFERENCE_CONFIG_MAX_ENTRIES) {
        if (rc->count >= REFERENCE_CONFIG_MAX_ENTRIES)
            od_text_report(&rc->errors, REF_MSG_MAX, false, err, errlen,
                           "%s:%d: more than %d reference systems, '%s' skipped", file, lineno,
                           REFERENCE_CONFIG_MAX_ENTRIES, name);
        free(name);
        free(url);
        return;
    }
    RefNode *node = calloc(1, sizeof(*node));
    if (!node) {
        free(name);
        free(url);
        return;
    }
    node->name = name;
    node->url = url;
    uint32_t b = name_hash(name) % REF_BUCKETS;
    node->next = rc->buckets[b];
    rc->buckets[b] = node;
    rc->count++;
}

typedef struct LineCtx {
    ReferenceConfig *rc;
    const char *name;
    char *err;
    size_t errlen;
} LineCtx;

static void on_line(void *ctx, char *line, int lineno)
{
    LineCtx *lc = ctx;
    if (!od_text_is_blank_or_comment(line))
        add_line(lc->rc, line, lc->name, lineno, lc->err, lc->errlen);
}

static void parse_text(ReferenceConfig *rc, const char *text, const char *name, char *err, size_t errlen)
{
    LineCtx lc = {rc, name, err, errlen};
    od_text_for_each_line(text, on_line, &lc);
}

ReferenceConfig *reference_config_load_string(const char *text, const char *name, char *err, size_t errlen)
{
    ReferenceConfig *rc = reference_config_new();
    if (!rc)
        return NULL;
    if (err && errlen)
        err[0] = '\0';
    parse_text(rc, text ? text : "", name ? name : "<string>", err, errlen);
    return rc;
}

ReferenceConfig *reference_config_load(const char *path, char *err, size_t errlen)
{
    ReferenceConfig *rc = reference_config_new();
    if (!rc)
        return NULL;
    if (err && errlen)
        err[0] = '\0';
    int open_errno = 0;
    char *buf = od_read_text_file(path, NULL, &open_errno);
    if (!buf && open_errno) {
        rc->missing = true;
        od_text_report(&rc->errors, REF_MSG_MAX, true, err, errlen, "could not open reference file \"%s\": %s; "
                       "please check the \"reference-config-file\" option", path, strerror(open_errno));
        return rc;
    }
    if (buf) {
        parse_text(rc, buf, path, err, errlen);
        free(buf);
    }
    return rc;
}

const char *reference_config_path(Conf *c)
{
    const char *v = NULL;
    if (c && conf_get_str(c, "reference-config-file", &v) && v && *v)
        return v;
    return ODLAR_SYSCONFDIR "reference.config";
}

size_t reference_config_count(const ReferenceConfig *rc) { return rc ? rc->count : 0; }
unsigned reference_config_errors(const ReferenceConfig *rc) { return rc ? rc->errors : 0; }
bool reference_config_missing(const ReferenceConfig *rc) { return rc && rc->missing; }

void reference_config_free(ReferenceConfig *rc)
{
    if (!rc)
        return;
    for (int i = 0; i < REF_BUCKETS; i++) {
        RefNode *n = rc->buckets[i];
        while (n) {
            RefNode *next = n->next;
            free(n->name);
            free(n->url);
            free(n);
            n = next;
        }
    }
    free(rc);
}
