/*
 * File-tracking settings from the configuration, as Suricata 8 reads them:
 * the digests to compute come from the `force-hash` lists (md5, sha1,
 * sha256) of the eve-log `files` type and of the `file-store` output; an
 * enabled file-store always needs SHA-256, which names the stored files.
 * Suricata has no memory cap of its own for file records; Odlar's is
 * `file-tracking.memcap` (default: none).
 */
#include "app/app-internal.h"
#include "app/file.h"
#include "output/filestore.h"

#include <string.h>
#include <strings.h>

static uint32_t hash_bit(const char *name)
{
    if (strcasecmp(name, "md5") == 0)
        return APP_FILE_MD5;
    if (strcasecmp(name, "sha1") == 0)
        return APP_FILE_SHA1;
    if (strcasecmp(name, "sha256") == 0)
        return APP_FILE_SHA256;
    return 0;
}

/* force-hash: [md5, sha1] (a sequence) or force-hash: md5 (a scalar). */
static uint32_t force_hash(const ConfNode *opts)
{
    ConfNode *fh = opts ? conf_node_child(opts, "force-hash") : NULL;
    if (!fh)
        return 0;
    uint32_t bits = fh->value ? hash_bit(fh->value) : 0;
    for (ConfNode *n = fh->first_child; n; n = n->next)
        if (n->value)
            bits |= hash_bit(n->value);
    return bits;
}

void app_file_configure(Conf *conf)
{
    AppFileConfig fc;
    memset(&fc, 0, sizeof(fc));
    if (conf) {
        ConfNode *eve = output_find(conf, "eve-log");
        ConfNode *types = eve ? conf_node_child(eve, "types") : NULL;
        for (ConfNode *t = types ? types->first_child : NULL; t; t = t->next)
            if (t->value && strcmp(t->value, "files") == 0)
                fc.hashes |= force_hash(conf_node_child(t, "files"));
        ConfNode *fs = output_find(conf, "file-store");
        bool on = false;
        if (fs) {
            fc.hashes |= force_hash(fs);
            const char *v = NULL;
            if (conf_node_get_str(fs, "enabled", &v) && conf_parse_bool(v, &on) && on)
                fc.hashes |= APP_FILE_SHA256;
        }
        uint64_t cap;
        if (conf_get_size(conf, "file-tracking.memcap", &cap))
            fc.memcap = cap;
    }
    if (conf)
        filestore_configure(conf); /* installs the store when enabled */
    uint32_t keep = app_file_config()->hashes; /* added by rules already */
    fc.hashes |= keep;
    app_file_config_set(&fc);
}
