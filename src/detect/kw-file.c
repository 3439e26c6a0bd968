/*
 * File keywords, as Suricata 8 defines them over the files the application
 * layer tracks (app/file.h), for HTTP and SMTP attachments (whose buffers
 * kw-buffers-smtp.c registers, after HTTP's, for SMTP rules):
 *
 *  - `file.name` is a sticky multi-buffer: one instance per file of the
 *    transaction direction, so content matches stay within one file name;
 *  - `filename:"x"` (legacy) is `file.name; content:"x"; nocase;` and
 *    `fileext:"pdf"` is `file.name; content:".pdf"; nocase; endswith;`,
 *    both negatable with `!`, without moving the rule's current buffer;
 *  - `filesize` (unsigned-integer syntax, optionally after `to_client,` or
 *    `to_server,` to look at one direction's files) and `filemd5`/`filesha1`/
 *    `filesha256` (a file of hex digests, one per line, looked up next to
 *    the rule file, in default-rule-path, or as given; `!list` negates) live
 *    on the internal multi-buffer "file#tx" whose instances are the files
 *    themselves (data = the AppFile, length 0), so all of them judge the
 *    same file. They match closed files; the digest keywords also turn the
 *    digest on in the file tracker.
 *
 * HTTP's file.name and file#tx are inspectable as soon as the direction
 * has a file (filesize and the digests still wait for it to close), or
 * once the message is complete; detect-app.c re-runs a file rule that
 * matched on the files that arrive later in the transaction.
 *
 * FTP data channels (ftp-data rules) carry at most one file, in the
 * direction of the transfer (app-ftp.c); file.name and file#tx read it
 * through the parser's tx_files as soon as it is open, as Suricata inspects
 * open files (filesize and the digests wait for it to close; a filestore
 * rule matches at once, so its file-store.stream-depth applies to the rest
 * of the transfer).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app-layer.h"
#include "app/file.h"
#include "app/http/http.h"
#include "detect/inspect.h"
#include "detect/kw-buffers.h"
#include "detect/uint-match.h"

#define HTTP_PROTO 1
#define FTP_DATA_PROTO 8

static bool ready_complete(const void *tx, bool ts)
{
    return http_tx_progress(tx, ts) >= HTTP_PROGRESS_COMPLETE;
}

/* file.name and file#tx: as soon as the direction has a file (Suricata
 * inspects open files), or once the message is complete */
static bool ready_file_open(const void *tx, bool ts)
{
    return http_tx_files_const(tx, ts)->head != NULL || ready_complete(tx, ts);
}

static const AppFile *nth_file(const void *tx, bool ts, uint32_t idx)
{
    const AppFileContainer *c = http_tx_files_const(tx, ts);
    const AppFile *f = c->head;
    for (uint32_t i = 0; f && i < idx; i++)
        f = f->next;
    return f;
}

static bool g_file_name(const void *tx, bool ts, uint32_t idx, const uint8_t **d, uint32_t *l)
{
    const AppFile *f = nth_file(tx, ts, idx);
    if (!f)
        return false;
    *d = f->name;
    *l = f->name_len;
    return true;
}

static bool g_file_tx(const void *tx, bool ts, uint32_t idx, const uint8_t **d, uint32_t *l)
{
    const AppFile *f = nth_file(tx, ts, idx);
    if (!f)
        return false;
    *d = (const uint8_t *)f;
    *l = 0;
    return true;
}

/* ---- ftp-data: the transfer's file ---- */

static const AppFile *ftp_data_file(const void *tx, bool ts, uint32_t idx)
{
    const AppParserDef *def = app_layer_parser(FTP_DATA_PROTO);
    const AppFileContainer *c = def && def->tx_files ? def->tx_files((void *)tx, ts) : NULL;
    const AppFile *f = c ? c->head : NULL;
    for (uint32_t i = 0; f && i < idx; i++)
        f = f->next;
    return f;
}

static bool ready_ftp_data(const void *tx, bool ts)
{
    return ftp_data_file(tx, ts, 0) != NULL;
}

static bool g_ftp_data_name(const void *tx, bool ts, uint32_t idx, const uint8_t **d, uint32_t *l)
{
    const AppFile *f = ftp_data_file(tx, ts, idx);
    if (!f)
        return false;
    *d = f->name;
    *l = f->name_len;
    return true;
}

static bool g_ftp_data_tx(const void *tx, bool ts, uint32_t idx, const uint8_t **d, uint32_t *l)
{
    const AppFile *f = ftp_data_file(tx, ts, idx);
    if (!f)
        return false;
    *d = (const uint8_t *)f;
    *l = 0;
    return true;
}

/* ---- filename / fileext: content on file.name ---- */

static const KeywordDef *kw_by_name(const char *name)
{
    int id = keyword_lookup(name);
    return id >= 0 ? keyword_get((uint16_t)id) : NULL;
}

/* Runs content (and modifiers) on file.name, then restores the list. */
static bool name_content(RuleParseCtx *rp, Signature *s, const char *kw, const char *content_value, bool endswith)
{
    const KeywordDef *content = kw_by_name("content");
    const KeywordDef *nocase = kw_by_name("nocase");
    const KeywordDef *ends = kw_by_name("endswith");
    if (!content || !nocase || !ends)
        return rule_error(rp, "%s: content keywords unavailable", kw);
    uint16_t saved = rp->current_list;
    if (!buffer_sticky_setup(rp, s, kw, "file.name"))
        return false;
    bool ok = content->setup(rp, s, content_value) && nocase->setup(rp, s, NULL) &&
              (!endswith || ends->setup(rp, s, NULL));
    rp->current_list = saved;
    return ok;
}

static bool setup_filename(RuleParseCtx *rp, Signature *s, const char *value)
{
    if (!value || !*value)
        return rule_error(rp, "filename needs a value");
    return name_content(rp, s, "filename", value, false);
}

/* fileext:[!]"ext" -> content:[!]".ext" */
static bool setup_fileext(RuleParseCtx *rp, Signature *s, const char *value)
{
    const char *v = value ? value : "";
    while (isspace((unsigned char)*v))
        v++;
    bool neg = *v == '!';
    if (neg)
        v++;
    while (isspace((unsigned char)*v))
        v++;
    size_t n = strlen(v);
    if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
        v++;
        n -= 2;
    }
    if (n == 0 || memchr(v, '"', n))
        return rule_error(rp, "fileext: invalid value '%s'", value ? value : "");
    char *buf = malloc(n + 5);
    if (!buf)
        return rule_error(rp, "out of memory");
    snprintf(buf, n + 5, "%s\".%.*s\"", neg ? "!" : "", (int)n, v);
    bool ok = name_content(rp, s, "fileext", buf, true);
    free(buf);
    return ok;
}

/* ---- filesize and digest lists on file#tx ---- */

typedef enum FileField { FF_SIZE, FF_MD5, FF_SHA1, FF_SHA256 } FileField;

typedef struct FileKw {
    FileField field;
    DetectUint size;
    bool negated;
    uint32_t hash_len; /* bytes per digest */
    uint32_t n; /* digests, sorted */
    uint8_t *digests;
} FileKw;

static void filekw_free(void *p)
{
    FileKw *k = p;
    if (k)
        free(k->digests);
    free(k);
}

static int cmp_md5(const void *a, const void *b) { return memcmp(a, b, 16); }
static int cmp_sha1(const void *a, const void *b) { return memcmp(a, b, 20); }
static int cmp_sha256(const void *a, const void *b) { return memcmp(a, b, 32); }

static int (*cmp_for(uint32_t len))(const void *, const void *)
{
    return len == 16 ? cmp_md5 : len == 20 ? cmp_sha1 : cmp_sha256;
}

static InspectResult filekw_inspect(struct DetectThread *dt, struct InspectCursor *cur, const Signature *s,
                                    const void *ctx)
{
    (void)dt;
    (void)s;
    const FileKw *k = ctx;
    const AppFile *f = (const AppFile *)cur->buf;
    if (!f || f->state == APP_FILE_OPEN)
        return INSPECT_NO_MATCH;
    if (k->field == FF_SIZE)
        return detect_uint_match(&k->size, f->size) ? INSPECT_MATCH : INSPECT_NO_MATCH;
    const uint8_t *d = NULL;
    uint32_t bit = 0;
    switch (k->field) {
    case FF_MD5: d = f->md5; bit = APP_FILE_MD5; break;
    case FF_SHA1: d = f->sha1; bit = APP_FILE_SHA1; break;
    case FF_SHA256: d = f->sha256; bit = APP_FILE_SHA256; break;
    case FF_SIZE: break;
    }
    if (!app_file_hash_ready(f, bit))
        return INSPECT_NO_MATCH;
    bool found = k->n && bsearch(d, k->digests, k->n, k->hash_len, cmp_for(k->hash_len)) != NULL;
    return found != k->negated ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

static bool append_filekw(RuleParseCtx *rp, Signature *s, const char *kw, FileKw *k, uint8_t dir)
{
    int id = buffer_lookup_for("file#tx", s->app_proto);
    int kid = keyword_lookup(kw);
    if (id < 0 || kid < 0) {
        filekw_free(k);
        return rule_error(rp, "internal error: '%s' is not registered", kw);
    }
    const BufferDef *b = buffer_by_list(buffer_list_id(id));
    uint16_t list = buffer_set_proto(rp, s, b->proto, kw) ? rule_list_instance(rp, s, buffer_list_id(id), dir) : 0;
    if (!list || !rule_append(rp, s, list, (uint16_t)kid, k)) {
        filekw_free(k);
        return false;
    }
    return true;
}

static bool setup_filesize(RuleParseCtx *rp, Signature *s, const char *value)
{
    FileKw *k = calloc(1, sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    k->field = FF_SIZE;
    /* Suricata 8: `filesize: to_client, <100;` looks at one direction's files */
    uint8_t dir = 0;
    const char *v = value ? value : "";
    if (strncmp(v, "to_client", 9) == 0 || strncmp(v, "to_server", 9) == 0) {
        const char *rest = v + 9;
        while (isspace((unsigned char)*rest))
            rest++;
        if (*rest == ',') {
            dir = v[3] == 'c' ? BUF_DIR_TOCLIENT : BUF_DIR_TOSERVER;
            v = rest + 1;
            while (isspace((unsigned char)*v))
                v++;
        }
    }
    if (!detect_uint_parse(v, UINT64_MAX, &k->size)) {
        filekw_free(k);
        return rule_error(rp, "filesize: invalid value '%s' (%s)", value ? value : "", detect_uint_syntax_help());
    }
    return append_filekw(rp, s, "filesize", k, dir);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Opens the list: absolute, next to the rule file, under default-rule-path,
 * or as given (relative to the working directory). */
static FILE *open_list(RuleParseCtx *rp, const char *name)
{
    char path[4096];
    if (name[0] != '/') {
        if (rp->file) {
            const char *slash = strrchr(rp->file, '/');
            if (slash) {
                snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - rp->file), rp->file, name);
                FILE *fp = fopen(path, "r");
                if (fp)
                    return fp;
            }
        }
        const char *dir = NULL;
        if (rp->conf && conf_get_str(rp->conf, "default-rule-path", &dir) && dir) {
            snprintf(path, sizeof(path), "%s/%s", dir, name);
            FILE *fp = fopen(path, "r");
            if (fp)
                return fp;
        }
    }
    return fopen(name, "r");
}

/* Reads hex digests of hash_len bytes, one per line (first field);
 * blank lines and # comments are skipped. */
static bool load_digests(RuleParseCtx *rp, const char *kw, const char *name, FileKw *k)
{
    FILE *fp = open_list(rp, name);
    if (!fp)
        return rule_error(rp, "%s: cannot open '%s'", kw, name);
    char line[1024];
    uint32_t cap = 0;
    bool ok = true;
    int lineno = 0;
    while (fgets(line, sizeof(line), fp)) {
        lineno++;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (*p == 0 || *p == '#')
            continue;
        size_t hl = 0;
        while (p[hl] && !isspace((unsigned char)p[hl]))
            hl++;
        if (hl != 2 * (size_t)k->hash_len) {
            ok = rule_error(rp, "%s: '%s' line %d is not a %u-byte hex digest", kw, name, lineno, k->hash_len);
            break;
        }
        if (k->n == cap) {
            uint32_t nc = cap ? cap * 2 : 64;
            uint8_t *nd = realloc(k->digests, (size_t)nc * k->hash_len);
            if (!nd) {
                ok = rule_error(rp, "out of memory");
                break;
            }
            k->digests = nd;
            cap = nc;
        }
        uint8_t *out = k->digests + (size_t)k->n * k->hash_len;
        for (uint32_t i = 0; i < k->hash_len && ok; i++) {
            int hi = hexval((unsigned char)p[2 * i]), lo = hexval((unsigned char)p[2 * i + 1]);
            if (hi < 0 || lo < 0)
                ok = rule_error(rp, "%s: '%s' line %d is not hex", kw, name, lineno);
            else
                out[i] = (uint8_t)(hi << 4 | lo);
        }
        if (!ok)
            break;
        k->n++;
    }
    fclose(fp);
    if (ok && k->n)
        qsort(k->digests, k->n, k->hash_len, cmp_for(k->hash_len));
    return ok;
}

static bool setup_hash(RuleParseCtx *rp, Signature *s, const char *kw, const char *value, FileField field,
                       uint32_t hash_len, uint32_t bit)
{
    const char *v = value ? value : "";
    while (isspace((unsigned char)*v))
        v++;
    FileKw *k = calloc(1, sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    k->field = field;
    k->hash_len = hash_len;
    if (*v == '!') {
        k->negated = true;
        v++;
    }
    char name[1024];
    snprintf(name, sizeof(name), "%s", v);
    size_t n = strlen(name);
    while (n && isspace((unsigned char)name[n - 1]))
        name[--n] = 0;
    if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
        name[n - 1] = 0;
        memmove(name, name + 1, n - 1);
    }
    if (!name[0]) {
        filekw_free(k);
        return rule_error(rp, "%s needs a file name", kw);
    }
    if (!load_digests(rp, kw, name, k)) {
        filekw_free(k);
        return false;
    }
    app_file_config_add_hashes(bit);
    return append_filekw(rp, s, kw, k, 0);
}

static bool setup_md5(RuleParseCtx *rp, Signature *s, const char *v)
{
    return setup_hash(rp, s, "filemd5", v, FF_MD5, 16, APP_FILE_MD5);
}
static bool setup_sha1(RuleParseCtx *rp, Signature *s, const char *v)
{
    return setup_hash(rp, s, "filesha1", v, FF_SHA1, 20, APP_FILE_SHA1);
}
static bool setup_sha256(RuleParseCtx *rp, Signature *s, const char *v)
{
    return setup_hash(rp, s, "filesha256", v, FF_SHA256, 32, APP_FILE_SHA256);
}

BUF_STICKY(s_file_name, "file.name", "file.name")

void keywords_register_file(void)
{
    static const BufferDef bufs[] = {
        { "file.name", HTTP_PROTO, BUF_DIR_BOTH, true, g_file_name, ready_file_open },
        { "file#tx", HTTP_PROTO, BUF_DIR_BOTH, true, g_file_tx, ready_file_open },
    };
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
    keywords_register_file_buffers_smtp(); /* SMTP attachments, after HTTP's */
    static const BufferDef ftp_data_bufs[] = {
        { "file.name", FTP_DATA_PROTO, BUF_DIR_BOTH, true, g_ftp_data_name, ready_ftp_data },
        { "file#tx", FTP_DATA_PROTO, BUF_DIR_BOTH, true, g_ftp_data_tx, ready_ftp_data },
    };
    for (size_t i = 0; i < sizeof(ftp_data_bufs) / sizeof(ftp_data_bufs[0]); i++)
        buffer_register(&ftp_data_bufs[i]);
    buffer_register_sticky("file.name", NULL, "sticky buffer: file name", s_file_name);
    const KeywordDef kws[] = {
        { .name = "filename", .help = "file name contains (legacy: file.name; content; nocase)",
          .setup = setup_filename },
        { .name = "fileext", .help = "file name extension (case-insensitive)", .setup = setup_fileext },
        { .name = "filesize", .help = "file size (uint)", .setup = setup_filesize, .inspect = filekw_inspect,
          .free = filekw_free },
        { .name = "filemd5", .help = "file MD5 in a list file", .setup = setup_md5, .inspect = filekw_inspect,
          .free = filekw_free },
        { .name = "filesha1", .help = "file SHA-1 in a list file", .setup = setup_sha1, .inspect = filekw_inspect,
          .free = filekw_free },
        { .name = "filesha256", .help = "file SHA-256 in a list file", .setup = setup_sha256,
          .inspect = filekw_inspect, .free = filekw_free },
    };
    for (size_t i = 0; i < sizeof(kws) / sizeof(kws[0]); i++)
        keyword_register(&kws[i]);
}
