/*
 * EVE `fileinfo` records: see eve-fileinfo.h. Digests are written in lower
 * case hex; MD5 and SHA-1 only for CLOSED files, SHA-256 whenever it was
 * computed (file.c decides what is final through app_file_hash_ready).
 */
#include "output/eve-fileinfo.h"

#include <stddef.h>
#include <string.h>

#include "app/app-layer.h"
#include "output/filestore.h"

static void hex(JsonBuf *j, const char *key, const uint8_t *d, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    char s[2 * 32 + 1];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 2 < sizeof(s); i++) {
        s[k++] = digits[d[i] >> 4];
        s[k++] = digits[d[i] & 15];
    }
    s[k] = 0;
    jb_str(j, key, s);
}

bool eve_fileinfo_enabled(const Eve *eve)
{
    ConfNode *opts = NULL;
    return eve && eve->file && eve_type_enabled(&eve->cfg, "files", &opts);
}

/* The fileinfo fields as an object under key (NULL: an array element).
 * In an alert (in_alert) a file counts as stored once its fileinfo record
 * is out: Suricata writes alerts before the file store and fileinfo
 * loggers run, so a file asked for by this packet's rules is `storing`. */
static void fileinfo_fields(JsonBuf *j, const char *key, const AppFile *f, uint64_t tx_id, bool in_alert)
{
    const bool stored = f->stored && (!in_alert || f->logged);
    jb_open_object(j, key);
    jb_strn(j, "filename", f->name, f->name_len);
    jb_bool(j, "gaps", f->gaps);
    jb_str(j, "state", app_file_state_name(f->state));
    if (app_file_hash_ready(f, APP_FILE_MD5))
        hex(j, "md5", f->md5, sizeof(f->md5));
    if (app_file_hash_ready(f, APP_FILE_SHA1))
        hex(j, "sha1", f->sha1, sizeof(f->sha1));
    if (app_file_hash_ready(f, APP_FILE_SHA256))
        hex(j, "sha256", f->sha256, sizeof(f->sha256));
    jb_bool(j, "stored", stored);
    if (stored)
        jb_uint(j, "file_id", f->file_id);
    else if (f->stored || f->store || f->store_asked) /* asked for, not written out yet */
        jb_bool(j, "storing", true);
    jb_uint(j, "size", f->size);
    if (f->has_range) {
        jb_uint(j, "start", f->range_start);
        jb_uint(j, "end", f->range_end);
    }
    jb_uint(j, "tx_id", tx_id);
    jb_close_object(j);
}

void eve_fileinfo_object(JsonBuf *j, const AppFile *f, uint64_t tx_id)
{
    fileinfo_fields(j, "fileinfo", f, tx_id, false);
}

/* HTTP: a file that is closed, logged and stored is gone from the
 * transaction, as Suricata prunes its file container after the file loggers
 * ran (an alert on a later file of a multipart upload lists that file only).
 * SMTP keeps them: a later alert still lists a stored attachment. */
static bool pruned(const AppFile *f, bool prune_done)
{
    return prune_done && f->state != APP_FILE_OPEN && f->logged && f->stored;
}

static void files_array(JsonBuf *j, const AppFileContainer *c, uint64_t tx_id, bool prune_done)
{
    const AppFile *f = c ? c->head : NULL;
    while (f && pruned(f, prune_done))
        f = f->next;
    if (!f)
        return;
    jb_open_array(j, "files");
    for (; f; f = f->next)
        if (!pruned(f, prune_done))
            fileinfo_fields(j, NULL, f, tx_id, true);
    jb_close_array(j);
}

void eve_fileinfo_array(JsonBuf *j, const AppFileContainer *c, uint64_t tx_id)
{
    files_array(j, c, tx_id, false);
}

void eve_log_fileinfo(Eve *eve, JsonBuf *j, const EveFileinfo *fi, const AppFile *f)
{
    eve_open_record_dir(eve, j, fi->p, "fileinfo", fi->to_server);
    if (fi->app_object)
        fi->app_object(j, fi->tx, fi->app_cfg, 0);
    if (fi->app_proto)
        jb_str(j, "app_proto", fi->app_proto);
    eve_fileinfo_object(j, f, fi->tx_id);
    eve_write_record(eve, j, true);
    filestore_write_fileinfo(f, j->buf, j->len); /* the same record, when stored */
}

void eve_fileinfo_alert_files(JsonBuf *j, const Flow *f, uint64_t tx_id, bool to_server)
{
    const AppParserDef *def = f ? app_layer_parser(f->app_proto) : NULL;
    void *state = def ? app_layer_state(f, f->app_proto) : NULL;
    if (!state || !def->tx_files || !def->tx_get)
        return;
    void *tx = def->tx_get(state, tx_id);
    if (tx)
        files_array(j, def->tx_files(tx, to_server), tx_id, def->name && strcmp(def->name, "http") == 0);
}
