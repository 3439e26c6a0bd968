/*
 * EVE `fileinfo` records: see eve-fileinfo.h. Digests are written in lower
 * case hex; MD5 and SHA-1 only for CLOSED files, SHA-256 whenever it was
 * computed (file.c decides what is final through app_file_hash_ready).
 */
#include "output/eve-fileinfo.h"

#include <stddef.h>

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

void eve_fileinfo_object(JsonBuf *j, const AppFile *f, uint64_t tx_id)
{
    jb_open_object(j, "fileinfo");
    jb_strn(j, "filename", f->name, f->name_len);
    jb_bool(j, "gaps", f->gaps);
    jb_str(j, "state", app_file_state_name(f->state));
    if (app_file_hash_ready(f, APP_FILE_MD5))
        hex(j, "md5", f->md5, sizeof(f->md5));
    if (app_file_hash_ready(f, APP_FILE_SHA1))
        hex(j, "sha1", f->sha1, sizeof(f->sha1));
    if (app_file_hash_ready(f, APP_FILE_SHA256))
        hex(j, "sha256", f->sha256, sizeof(f->sha256));
    jb_bool(j, "stored", f->stored);
    if (f->stored)
        jb_uint(j, "file_id", f->file_id);
    jb_uint(j, "size", f->size);
    if (f->has_range) {
        jb_uint(j, "start", f->range_start);
        jb_uint(j, "end", f->range_end);
    }
    jb_uint(j, "tx_id", tx_id);
    jb_close_object(j);
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
