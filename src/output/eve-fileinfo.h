/*
 * EVE `fileinfo` records (Suricata 8's output-json-file.c layout): one per
 * tracked file once it is closed, truncated or in error, with the header in
 * the direction the file travelled (a download has the server as source),
 * the application-layer object of its transaction (e.g. "http"), app_proto,
 * and the "fileinfo" object: filename, gaps, state, md5/sha1 (closed
 * files with those digests on), sha256, stored (and file_id, or `storing`
 * while asked for but not written), size, start/end (ranges), tx_id.
 */
#ifndef ODLAR_OUTPUT_EVE_FILEINFO_H
#define ODLAR_OUTPUT_EVE_FILEINFO_H

#include <stdbool.h>
#include <stdint.h>

#include "app/file.h"
#include "output/eve.h"

/* Writes `"<proto>": {...}` for the transaction (AppParserDef.log_tx). */
typedef bool (*EveAppObjectFn)(JsonBuf *j, const void *tx, const void *cfg, uint32_t part);

typedef struct EveFileinfo {
    const Packet *p;        /* packet the record's header comes from */
    bool to_server;         /* file direction */
    const char *app_proto;  /* "http" */
    EveAppObjectFn app_object; /* may be NULL */
    const void *tx, *app_cfg;
    uint64_t tx_id;
} EveFileinfo;

/* Whether the eve-log `types` list has `files` (Suricata's fileinfo). */
bool eve_fileinfo_enabled(const Eve *eve);
/* The "fileinfo" object alone (also used by the file store's .json). */
void eve_fileinfo_object(JsonBuf *j, const AppFile *f, uint64_t tx_id);
/* `"files": [{...}, ...]`, one fileinfo object per file of c (alerts of a
 * transaction, Suricata 8's AlertAddFiles); nothing when c has none. A file
 * whose fileinfo record is not out yet is `stored: false, storing: true`
 * when it is being or will be stored. */
void eve_fileinfo_array(JsonBuf *j, const AppFileContainer *c, uint64_t tx_id);
/* The "files" array of an alert on transaction tx_id of f: the files of
 * the packet's direction. */
void eve_fileinfo_alert_files(JsonBuf *j, const Flow *f, uint64_t tx_id, bool to_server);
/* One whole record. */
void eve_log_fileinfo(Eve *eve, JsonBuf *j, const EveFileinfo *fi, const AppFile *f);

#endif
