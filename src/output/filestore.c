/*
 * File store v2 (see filestore.h): a handle per stored file with its
 * temporary file, the move to the content-addressed name at close, the
 * optional .json fileinfo record (the EVE record, written when it is
 * logged), and the error counter. The file id is given by the tracker
 * (app/file.c: per flow, in store order) once `stored` is set here.
 * `stream-depth` is the reassembly depth a filestore rule's match gives its
 * TCP session (kw-filestore.c); as in Suricata it only takes effect when
 * larger than stream.reassembly.depth, and 0 or `no` leaves depths alone.
 */
#include "output/filestore.h"

#include <errno.h>
#include <inttypes.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/file.h"
#include "output/eve.h"
#include "util/log.h"
#include "util/time.h"

typedef struct StoreCfg {
    char dir[4096];
    bool write_fileinfo;
} StoreCfg;

typedef struct StoreHandle {
    FILE *fp;
    char tmp[4130];
    bool error;
} StoreHandle;

static StoreCfg g_store;
static _Atomic uint32_t g_next_tmp;
static _Atomic uint64_t g_fs_errors;
static _Atomic bool g_enabled; /* filestore_configure found it enabled */
static _Atomic uint32_t g_stream_depth; /* file-store.stream-depth in effect, 0: none */

bool filestore_enabled(void)
{
    return atomic_load(&g_enabled);
}

uint32_t filestore_stream_depth(void)
{
    return atomic_load(&g_stream_depth);
}

/* file-store.stream-depth: a size, 0 or `no` (none). */
static void configure_stream_depth(Conf *conf, ConfNode *fs)
{
    atomic_store(&g_stream_depth, 0);
    const char *v = NULL;
    if (!conf_node_get_str(fs, "stream-depth", &v) || !v || strcmp(v, "no") == 0)
        return;
    uint64_t depth = 0;
    if (!conf_parse_size(v, &depth) || depth > UINT32_MAX) {
        od_error("file-store.stream-depth: invalid value '%s'", v);
        return;
    }
    if (depth == 0)
        return;
    uint64_t stream_depth = 1024 * 1024; /* stream.reassembly.depth's default */
    conf_get_size(conf, "stream.reassembly.depth", &stream_depth);
    if (depth <= stream_depth) {
        od_warn("file-store.stream-depth value %" PRIu64 " has no effect since it's less than "
                "stream.reassembly.depth %" PRIu64,
                depth, stream_depth);
        return;
    }
    atomic_store(&g_stream_depth, (uint32_t)depth);
}

uint64_t filestore_fs_errors(void)
{
    return atomic_load(&g_fs_errors);
}

static bool mkdir_one(const char *path)
{
    return mkdir(path, 0755) == 0 || errno == EEXIST;
}

static void *store_open(const AppFile *f)
{
    (void)f;
    StoreHandle *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    char tmpdir[4110];
    snprintf(tmpdir, sizeof(tmpdir), "%s/tmp", g_store.dir);
    if (!mkdir_one(g_store.dir) || !mkdir_one(tmpdir)) {
        atomic_fetch_add(&g_fs_errors, 1);
        free(h);
        return NULL;
    }
    snprintf(h->tmp, sizeof(h->tmp), "%s/file.%u", tmpdir, atomic_fetch_add(&g_next_tmp, 1) + 1);
    h->fp = fopen(h->tmp, "wb");
    if (!h->fp) {
        atomic_fetch_add(&g_fs_errors, 1);
        free(h);
        return NULL;
    }
    return h;
}

static void store_write(void *handle, const uint8_t *data, uint32_t len)
{
    StoreHandle *h = handle;
    if (!h->error && fwrite(data, 1, len, h->fp) != len)
        h->error = true;
}

void filestore_write_fileinfo(const AppFile *f, const char *text, size_t len)
{
    if (!g_store.write_fileinfo || !f->stored)
        return;
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", f->sha256[i]);
    char path[4300];
    long long sec = (long long)(f->last_time / OD_USEC_PER_SEC);
    snprintf(path, sizeof(path), "%s/%.2s/%s.%lld.%u.json", g_store.dir, hex, hex, sec, f->file_id);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        atomic_fetch_add(&g_fs_errors, 1);
        return;
    }
    if (fwrite(text, 1, len, fp) != len)
        atomic_fetch_add(&g_fs_errors, 1);
    fclose(fp);
}

static void store_finish(void *handle, AppFile *f)
{
    StoreHandle *h = handle;
    bool ok = fclose(h->fp) == 0 && !h->error && f->state != APP_FILE_OPEN &&
              app_file_hash_ready(f, APP_FILE_SHA256);
    if (!ok) {
        if (h->error || f->state != APP_FILE_OPEN)
            atomic_fetch_add(&g_fs_errors, h->error ? 1 : 0);
        unlink(h->tmp);
        free(h);
        return;
    }
    char hex[65];
    for (int i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", f->sha256[i]);
    char sub[4110], final[4180];
    snprintf(sub, sizeof(sub), "%s/%.2s", g_store.dir, hex);
    snprintf(final, sizeof(final), "%s/%s", sub, hex);
    struct stat st;
    if (!mkdir_one(sub)) {
        atomic_fetch_add(&g_fs_errors, 1);
        unlink(h->tmp);
    } else if (stat(final, &st) == 0) {
        unlink(h->tmp); /* the same content is stored already */
        ok = true;
    } else if (rename(h->tmp, final) != 0) {
        atomic_fetch_add(&g_fs_errors, 1);
        unlink(h->tmp);
        ok = false;
    }
    if (ok)
        f->stored = true;
    free(h);
}

static const AppFileStoreOps store_ops = {
    .open = store_open,
    .write = store_write,
    .finish = store_finish,
};

bool filestore_configure(Conf *conf)
{
    ConfNode *fs = conf ? output_find(conf, "file-store") : NULL;
    bool on = false;
    const char *v = NULL;
    if (!fs || !conf_node_get_str(fs, "enabled", &v) || !conf_parse_bool(v, &on) || !on) {
        app_file_set_store(NULL, false);
        atomic_store(&g_enabled, false);
        return false;
    }
    atomic_store(&g_enabled, true);
    const char *log_dir = ".";
    conf_get_str(conf, "default-log-dir", &log_dir);
    const char *dir = "filestore";
    conf_node_get_str(fs, "dir", &dir);
    if (dir[0] == '/')
        snprintf(g_store.dir, sizeof(g_store.dir), "%s", dir);
    else
        snprintf(g_store.dir, sizeof(g_store.dir), "%s/%s", log_dir, dir);
    bool b = false;
    g_store.write_fileinfo = conf_node_get_str(fs, "write-fileinfo", &v) && conf_parse_bool(v, &b) && b;
    bool force = conf_node_get_str(fs, "force-filestore", &v) && conf_parse_bool(v, &b) && b;
    app_file_set_store(&store_ops, force);
    configure_stream_depth(conf, fs);
    return true;
}
