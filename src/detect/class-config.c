/*
 * Reads classification.config into a small hash table keyed by the lower
 * case short name. Parsing follows Suricata 8's line pattern
 * `^\s*config\s*classification\s*:\s*NAME\s*,\s*(.+)\s*,\s*(\d+)\s*$`, written
 * out by hand: the description runs from after the first comma (leading
 * blanks dropped) to the comma that precedes the final number.
 */
#include "detect/class-config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/text-lines.h"

#ifndef ODLAR_SYSCONFDIR
#define ODLAR_SYSCONFDIR "/etc/odlar/"
#endif

#define CLASS_BUCKETS 128

typedef struct ClassNode {
    ClassType ct;
    struct ClassNode *next;
} ClassNode;

struct ClassConfig {
    ClassNode *buckets[CLASS_BUCKETS];
    size_t count;
    unsigned errors;
    bool missing;
};

/* Longest problem message, as logged and as kept in err. */
#define CLASS_MSG_MAX 1024

static uint32_t name_hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (uint8_t)tolower((unsigned char)*s)) * 16777619u;
    return h;
}

ClassConfig *class_config_new(void)
{
    return calloc(1, sizeof(ClassConfig));
}

const ClassType *class_config_lookup(const ClassConfig *cc, const char *name)
{
    if (!cc || !name)
        return NULL;
    for (const ClassNode *n = cc->buckets[name_hash(name) % CLASS_BUCKETS]; n; n = n->next)
        if (strcasecmp(n->ct.name, name) == 0)
            return &n->ct;
    return NULL;
}

static const char *skip_ws(const char *p)
{
    while (*p && isspace((unsigned char)*p))
        p++;
    return p;
}

static const char *expect_word(const char *p, const char *word)
{
    size_t n = strlen(word);
    return strncmp(p, word, n) == 0 ? p + n : NULL;
}

/* Parses one non-blank, non-comment line. Returns false when it does not
 * have the expected shape; on success fills name/desc (malloc'd) and prio. */
static bool parse_line(const char *line, char **name_out, char **desc_out, int *prio_out)
{
    const char *p = skip_ws(line);
    if (!(p = expect_word(p, "config")))
        return false;
    p = skip_ws(p);
    if (!(p = expect_word(p, "classification")))
        return false;
    p = skip_ws(p);
    if (*p != ':')
        return false;
    p = skip_ws(p + 1);
    if (!isalpha((unsigned char)*p))
        return false;
    const char *name = p;
    while (isalnum((unsigned char)*p) || *p == '-' || *p == '_')
        p++;
    size_t name_len = (size_t)(p - name);
    p = skip_ws(p);
    if (*p != ',')
        return false;
    p = skip_ws(p + 1);
    /* p .. end: "description , digits" with trailing blanks */
    const char *end = p + strlen(p);
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    const char *digits = end;
    while (digits > p && isdigit((unsigned char)digits[-1]))
        digits--;
    if (digits == end)
        return false;
    const char *comma = digits;
    while (comma > p && isspace((unsigned char)comma[-1]))
        comma--;
    if (comma == p || comma[-1] != ',')
        return false;
    comma--;
    if (comma == p) /* (.+) needs at least one character */
        return false;
    /* priority: an unsigned 32-bit number, as Suricata's StringParseUint32 */
    unsigned long long prio = 0;
    for (const char *d = digits; d < end; d++) {
        prio = prio * 10 + (unsigned)(*d - '0');
        if (prio > 0xffffffffull)
            return false;
    }
    char *n = strndup(name, name_len);
    char *desc = strndup(p, (size_t)(comma - p));
    if (!n || !desc) {
        free(n);
        free(desc);
        return false;
    }
    for (char *c = n; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    *name_out = n;
    *desc_out = desc;
    *prio_out = (int)(uint32_t)prio;
    return true;
}

/* Adds one line's classtype; duplicates keep the first definition. */
static void add_line(ClassConfig *cc, const char *line, const char *file, int lineno, char *err, size_t errlen)
{
    char *name = NULL, *desc = NULL;
    int prio = 0;
    if (!parse_line(line, &name, &desc, &prio)) {
        od_text_report(&cc->errors, CLASS_MSG_MAX, false, err, errlen, "%s:%d: invalid classtype line \"%s\" "
                       "(expected 'config classification: shortname,description,priority'), skipped", file,
                       lineno, line);
        return;
    }
    if (class_config_lookup(cc, name)) {
        free(name);
        free(desc);
        return;
    }
    if (cc->count >= CLASS_CONFIG_MAX_ENTRIES) {
        od_text_report(&cc->errors, CLASS_MSG_MAX, false, err, errlen, "%s:%d: more than %d classtypes, '%s' skipped",
                       file, lineno, CLASS_CONFIG_MAX_ENTRIES, name);
        free(name);
        free(desc);
        return;
    }
    ClassNode *node = calloc(1, sizeof(*node));
    if (!node) {
        free(name);
        free(desc);
        return;
    }
    node->ct.name = name;
    node->ct.desc = desc;
    node->ct.priority = prio;
    node->ct.id = (uint16_t)(cc->count + 1);
    uint32_t b = name_hash(name) % CLASS_BUCKETS;
    node->next = cc->buckets[b];
    cc->buckets[b] = node;
    cc->count++;
}

typedef struct LineCtx {
    ClassConfig *cc;
    const char *name;
    char *err;
    size_t errlen;
} LineCtx;

static void on_line(void *ctx, char *line, int lineno)
{
    LineCtx *lc = ctx;
    if (!od_text_is_blank_or_comment(line))
        add_line(lc->cc, line, lc->name, lineno, lc->err, lc->errlen);
}

static void parse_text(ClassConfig *cc, const char *text, const char *name, char *err, size_t errlen)
{
    LineCtx lc = {cc, name, err, errlen};
    od_text_for_each_line(text, on_line, &lc);
}

ClassConfig *class_config_load_string(const char *text, const char *name, char *err, size_t errlen)
{
    ClassConfig *cc = class_config_new();
    if (!cc)
        return NULL;
    if (err && errlen)
        err[0] = '\0';
    parse_text(cc, text ? text : "", name ? name : "<string>", err, errlen);
    return cc;
}

ClassConfig *class_config_load(const char *path, char *err, size_t errlen)
{
    ClassConfig *cc = class_config_new();
    if (!cc)
        return NULL;
    if (err && errlen)
        err[0] = '\0';
    int open_errno = 0;
    char *buf = od_read_text_file(path, NULL, &open_errno);
    if (!buf && open_errno) {
        cc->missing = true;
        od_text_report(&cc->errors, CLASS_MSG_MAX, true, err, errlen, "could not open classification file \"%s\": "
                       "%s; please check the \"classification-file\" option", path, strerror(open_errno));
        return cc;
    }
    if (buf) {
        /* a NUL inside the file ends the text, as fgets-based reading would
         * misread it anyway */
        parse_text(cc, buf, path, err, errlen);
        free(buf);
    }
    return cc;
}

const char *class_config_path(Conf *c)
{
    const char *v = NULL;
    if (c && conf_get_str(c, "classification-file", &v) && v && *v)
        return v;
    return ODLAR_SYSCONFDIR "classification.config";
}

size_t class_config_count(const ClassConfig *cc) { return cc ? cc->count : 0; }
unsigned class_config_errors(const ClassConfig *cc) { return cc ? cc->errors : 0; }
bool class_config_missing(const ClassConfig *cc) { return cc && cc->missing; }

void class_config_free(ClassConfig *cc)
{
    if (!cc)
        return;
    for (int i = 0; i < CLASS_BUCKETS; i++) {
        ClassNode *n = cc->buckets[i];
        while (n) {
            ClassNode *next = n->next;
            free(n->ct.name);
            free(n->ct.desc);
            free(n);
            n = next;
        }
    }
    free(cc);
}
