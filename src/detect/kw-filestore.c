/*
 * The `filestore` rule keyword, as Suricata 8 defines it: a rule that
 * matches asks the file store (output/filestore.c) to write files out.
 *
 *     filestore;                      the file(s) the rule matched
 *     filestore:<direction>,<scope>;
 *
 * direction is `request`/`to_server`, `response`/`to_client` or `both`;
 * scope is `file` (the matched file, when the match was in that
 * direction), `tx` (every file of the transaction in the direction(s), and
 * those it carries later) or `ssn`/`flow` (every file of the flow in the
 * direction(s), now and later). Without a direction, a tx or flow scope
 * takes both.
 *
 * Like Suricata, the keyword sits on the file list: it is evaluated on each
 * file of the transaction (internal multi-buffer "file#tx", registered by
 * each protocol that tracks files: HTTP in kw-file.c, SMTP in
 * kw-buffers-smtp.c; the stores go through the parser's tx_files), so a rule with
 * filestore only matches a transaction that carries a file in the inspected
 * direction. As Suricata's file inspection does for filestore rules, the
 * list goes on past the first file that matches it: detect-app.c hands
 * every file the whole list matched to filestore_collect (kept per thread),
 * and the post-match step (filestore_after_match, for each transaction the
 * rule matched) stores them. The flow scope stores the files of the matched
 * transaction and of the later ones, not those of earlier transactions
 * (Suricata issue 6390). A match that found files also sets the TCP
 * session's reassembly depth to file-store.stream-depth, as Suricata's
 * post-match does (TcpSessionSetReassemblyDepth: a larger depth, or any
 * depth over an unlimited one), so a long file is stored up to that depth.
 *
 * Loading a filestore rule makes the file tracker keep file content until
 * detection has decided (app_file_set_store_rules); with the file-store
 * output disabled the rule loads with Suricata's warning and stores nothing.
 */
#include "detect/kw-filestore.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "app/app-layer.h"
#include "app/file.h"
#include "detect/buffer-registry.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/kw-buffers.h"
#include "detect/rule-parse.h"
#include "output/eve.h"
#include "output/filestore.h" /* file-store.stream-depth */
#include "stream/stream.h"
#include "util/log.h"

/* Files the file list of the rule being evaluated matched (this thread). */
#define FILESTORE_COLLECT_MAX 64
static _Thread_local const AppFile *t_matched[FILESTORE_COLLECT_MAX];
static _Thread_local uint32_t t_matched_count;

static int g_filestore_kw = -1;

static void *fs_new(FilestoreDir dir, FilestoreScope scope)
{
    FilestoreOptions *o = calloc(1, sizeof(*o));
    if (o) {
        o->dir = dir;
        o->scope = scope;
    }
    return o;
}

static bool word_is(const char *w, size_t n, const char *lit)
{
    return strlen(lit) == n && strncasecmp(w, lit, n) == 0;
}

/* Reads the next comma-separated word of *p into (w, n). */
static bool next_word(const char **p, const char **w, size_t *n)
{
    const char *s = *p;
    while (isspace((unsigned char)*s))
        s++;
    const char *start = s;
    while (*s && *s != ',' && !isspace((unsigned char)*s))
        s++;
    *w = start;
    *n = (size_t)(s - start);
    while (isspace((unsigned char)*s))
        s++;
    if (*s == ',')
        s++;
    *p = s;
    return *n > 0;
}

bool filestore_parse_options(const char *value, FilestoreOptions *out)
{
    out->dir = FILESTORE_DIR_DEFAULT;
    out->scope = FILESTORE_SCOPE_DEFAULT;
    if (!value)
        return true;
    const char *p = value, *w;
    size_t n;
    if (!next_word(&p, &w, &n))
        return false;
    if (word_is(w, n, "request") || word_is(w, n, "to_server"))
        out->dir = FILESTORE_DIR_TOSERVER;
    else if (word_is(w, n, "response") || word_is(w, n, "to_client"))
        out->dir = FILESTORE_DIR_TOCLIENT;
    else if (word_is(w, n, "both"))
        out->dir = FILESTORE_DIR_BOTH;
    else
        return false;
    if (!*p)
        return true;
    if (!next_word(&p, &w, &n))
        return false;
    if (word_is(w, n, "file"))
        out->scope = FILESTORE_SCOPE_DEFAULT;
    else if (word_is(w, n, "tx"))
        out->scope = FILESTORE_SCOPE_TX;
    else if (word_is(w, n, "ssn") || word_is(w, n, "flow"))
        out->scope = FILESTORE_SCOPE_FLOW;
    else
        return false;
    while (isspace((unsigned char)*p))
        p++;
    return *p == 0;
}

/* Suricata's warning when no file-store output would write the files. */
static void warn_no_store(Conf *conf)
{
    static atomic_bool warned;
    ConfNode *fs = conf ? output_find(conf, "file-store") : NULL;
    const char *v = NULL;
    bool on = false;
    if (fs && conf_node_get_str(fs, "enabled", &v) && conf_parse_bool(v, &on) && on)
        return;
    if (!atomic_exchange(&warned, true))
        od_warn("One or more rule(s) depends on the file-store output log which is not enabled. "
                "Enable the output \"file-store\".");
}

static bool setup_filestore(RuleParseCtx *rp, Signature *s, const char *value)
{
    FilestoreOptions opt;
    if (!filestore_parse_options(value, &opt))
        return rule_error(rp, "filestore: invalid options '%s' (expected <request|response|both>[,<file|tx|ssn>])",
                          value ? value : "");
    int id = buffer_lookup_for("file#tx", s->app_proto);
    if (id < 0 || g_filestore_kw < 0)
        return rule_error(rp, "filestore: files are not tracked for this protocol");
    const BufferDef *b = buffer_by_list(buffer_list_id(id));
    if (!buffer_set_proto(rp, s, b->proto, "filestore"))
        return false;
    void *ctx = fs_new(opt.dir, opt.scope);
    if (!ctx)
        return rule_error(rp, "out of memory");
    if (!rule_append(rp, s, buffer_list_id(id), (uint16_t)g_filestore_kw, ctx)) {
        free(ctx);
        return false;
    }
    warn_no_store(rp->conf);
    app_file_set_store_rules(true);
    return true;
}

static InspectResult filestore_inspect(struct DetectThread *dt, struct InspectCursor *cur, const Signature *s,
                                       const void *ctx)
{
    (void)dt;
    (void)s;
    (void)ctx;
    return cur->buf ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

void filestore_reset(void)
{
    t_matched_count = 0;
}

bool filestore_collect(const SigMatchList *l, const uint8_t *file)
{
    if (g_filestore_kw < 0 || !file)
        return false;
    bool has = false;
    for (uint16_t k = 0; k < l->count && !has; k++)
        has = l->items[k].kw == (uint16_t)g_filestore_kw;
    if (!has)
        return false;
    if (t_matched_count < FILESTORE_COLLECT_MAX)
        t_matched[t_matched_count++] = (const AppFile *)file;
    return true;
}

static uint32_t filestore_hash(const void *ctx)
{
    const FilestoreOptions *o = ctx;
    return (uint32_t)o->dir * 7u + (uint32_t)o->scope;
}

static bool filestore_equal(const void *a, const void *b)
{
    const FilestoreOptions *x = a, *y = b;
    return x->dir == y->dir && x->scope == y->scope;
}

/* The options of s's filestore keyword, or NULL when it has none. */
static const FilestoreOptions *sig_filestore(const Signature *s)
{
    if (g_filestore_kw < 0)
        return NULL;
    for (uint16_t i = 0; i < s->list_count; i++) {
        const SigMatchList *l = &s->lists[i];
        for (uint16_t k = 0; k < l->count; k++)
            if (l->items[k].kw == (uint16_t)g_filestore_kw)
                return l->items[k].ctx;
    }
    return NULL;
}

FilestoreTargets filestore_targets(const FilestoreOptions *o, int match_dir)
{
    FilestoreTargets t = { 0 };
    bool ts = o->dir == FILESTORE_DIR_DEFAULT || o->dir == FILESTORE_DIR_BOTH || o->dir == FILESTORE_DIR_TOSERVER;
    bool tc = o->dir == FILESTORE_DIR_DEFAULT || o->dir == FILESTORE_DIR_BOTH || o->dir == FILESTORE_DIR_TOCLIENT;
    switch (o->scope) {
    case FILESTORE_SCOPE_DEFAULT:
        /* the matched file; with an explicit direction only when the
         * match was in it */
        t.matched_file = o->dir == FILESTORE_DIR_DEFAULT || (match_dir == 0 ? ts : tc);
        break;
    case FILESTORE_SCOPE_TX:
        t.tx_dirs = (uint8_t)((ts ? 1 : 0) | (tc ? 2 : 0));
        break;
    case FILESTORE_SCOPE_FLOW:
        t.flow_dirs = (uint8_t)((ts ? 1 : 0) | (tc ? 2 : 0));
        break;
    }
    return t;
}

uint8_t filestore_after_match(const Signature *s, Flow *flow, const AppParserDef *def, void *tx, uint64_t tx_id,
                              int dir)
{
    const FilestoreOptions *o = sig_filestore(s);
    uint32_t n = t_matched_count;
    t_matched_count = 0;
    if (!o || !def || !def->tx_files || !tx)
        return 0;
    uint32_t depth = filestore_stream_depth();
    if (n && depth && flow)
        stream_tcp_set_depth(flow, depth);
    FilestoreTargets t = filestore_targets(o, dir);
    if (t.matched_file && n) {
        /* only files of tx's container of the match direction */
        AppFileContainer *c = def->tx_files(tx, dir == 0);
        for (AppFile *f = c ? c->head : NULL; f; f = f->next)
            for (uint32_t i = 0; i < n; i++)
                if (t_matched[i] == f && f->tx_id == tx_id)
                    app_file_store(f);
    }
    for (int d = 0; d < 2; d++)
        if ((t.tx_dirs | t.flow_dirs) & (1u << d))
            app_file_store_all(def->tx_files(tx, d == 0), true);
    return t.flow_dirs;
}

void filestore_flow_apply(const AppParserDef *def, void *state, uint64_t from, uint64_t to, uint8_t flow_dirs)
{
    if (!flow_dirs || !def || !def->tx_files || !def->tx_get)
        return;
    for (uint64_t id = from; id < to; id++) {
        void *tx = def->tx_get(state, id);
        if (!tx)
            continue;
        for (int d = 0; d < 2; d++)
            if (flow_dirs & (1u << d))
                app_file_store_all(def->tx_files(tx, d == 0), true);
    }
}

void keywords_register_filestore(void)
{
    const KeywordDef kw = {
        .name = "filestore",
        .help = "store the matched file(s): filestore[:<request|response|both>,<file|tx|ssn>]",
        .flags = KW_OPTIONAL_VALUE,
        .setup = setup_filestore,
        .inspect = filestore_inspect,
        .free = free,
        .hash = filestore_hash,
        .equal = filestore_equal,
    };
    g_filestore_kw = keyword_register(&kw);
}
