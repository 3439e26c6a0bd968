/*
 * File tracking for the application layer: the files a transaction carries
 * (an HTTP request or response body, each multipart/form-data part with a
 * filename, SMTP attachments and FTP data transfers). Protocol parsers own one
 * `AppFileContainer` per transaction direction, open a file when its data
 * starts (with its name), append the bytes as they arrive (after
 * dechunking and decompression), report holes (gaps) and close it when the
 * message ends. The tracker counts the size, notes gaps, computes the
 * MD5/SHA-1/SHA-256 digests the configuration asks for incrementally with
 * OpenSSL's libcrypto, and keeps the state EVE `fileinfo` prints (OPEN,
 * CLOSED, TRUNCATED, ERROR), as Suricata 8's util-file.c does: a file with a
 * gap ends TRUNCATED, its digests covering the bytes around the holes (the
 * SHA-256 values of Suricata's tcp-rst-unacked-stream cases); MD5 and SHA-1
 * are reported for CLOSED files only, SHA-256 for every file that had it on.
 *
 * The settings are global (one per process, like Suricata's force-hash
 * switches): which digests to compute, and a memory cap on the tracker's own
 * allocations (the file records and names) with a counter of files refused
 * by it.
 *
 * Storing on request (the `filestore` rule keyword): when a file store is
 * installed and rules may ask for files (app_file_set_store_rules), every
 * new file keeps its content (up to APP_FILE_KEEP_MAX bytes) until
 * detection has decided; app_file_store() then hands what was kept, and
 * everything after, to the store, even when the file is already closed.
 * A container may be flagged so every file opened in it later is stored
 * from its first byte (filestore scopes tx and flow). The file-store id of a
 * stored file is taken from a counter of the flow (AppFileContainer.id_seq,
 * owned by the parser's flow state) so it does not depend on threads.
 */
#ifndef ODLAR_APP_FILE_H
#define ODLAR_APP_FILE_H

#include <stdbool.h>
#include <stdint.h>

typedef enum AppFileState {
    APP_FILE_OPEN = 0,
    APP_FILE_CLOSED,
    APP_FILE_TRUNCATED,
    APP_FILE_ERROR,
} AppFileState;

/* AppFileConfig.hashes / AppFile.hashes */
#define APP_FILE_MD5 (1u << 0)
#define APP_FILE_SHA1 (1u << 1)
#define APP_FILE_SHA256 (1u << 2)

typedef struct AppFileConfig {
    uint32_t hashes; /* digests computed for every file (force-hash) */
    uint64_t memcap; /* bytes of tracker memory (0 = unlimited) */
} AppFileConfig;

/* Sets the process-wide settings (call before traffic is parsed). */
void app_file_config_set(const AppFileConfig *cfg);
const AppFileConfig *app_file_config(void);
/* Reads the settings from the configuration (file-config.c). */
struct Conf;
void app_file_configure(struct Conf *conf);
/* Adds digests to compute (rules using filemd5/filesha1/filesha256). */
void app_file_config_add_hashes(uint32_t hashes);

struct AppFileHashCtx; /* libcrypto digest contexts (file.c) */

typedef struct AppFile {
    struct AppFile *next;
    uint8_t *name;
    uint32_t name_len;
    AppFileState state;
    uint64_t size; /* bytes seen, gaps included */
    bool gaps;
    /* Content-Range of a partial response (has_range), logged as start/end */
    bool has_range;
    uint64_t range_start, range_end;
    uint32_t hashes; /* digests still being computed, then those finished */
    uint8_t md5[16], sha1[20], sha256[32];
    struct AppFileHashCtx *hash;
    bool logged; /* an EVE fileinfo record was written */
    bool stored; /* written to the file store */
    uint32_t file_id; /* file-store id when stored */
    uint64_t mem_cost; /* bytes charged to the memory cap */
    int64_t last_time; /* packet time (OdTime, microseconds) of the last data */
    uint64_t tx_id; /* transaction of the protocol that carried it */
    void *store; /* file-store handle while the content is being written */
    /* filestore keyword: content kept until detection decides */
    uint8_t *kept;
    uint64_t kept_len, kept_cap;
    bool kept_overflow; /* more than APP_FILE_KEEP_MAX: cannot be stored later */
    bool store_asked; /* a rule asked to store it (app_file_store) */
    uint32_t *id_seq; /* the flow's file-store id counter (may be NULL) */
    /* its stream reached the reassembly depth: closing it is a truncation
     * (Suricata marks such files TRUNCATED) */
    bool depth_cut;
} AppFile;

/* Content kept per file while storing is undecided. */
#define APP_FILE_KEEP_MAX (64u * 1024u * 1024u)

/* A file store (output/filestore.c) receives the content of the files it
 * takes: open returns a handle (NULL: not stored), write gets the bytes in
 * order, finish is called once the file is closed (digests final; it sets
 * `stored`/`file_id` on success) or freed while still open. */
typedef struct AppFileStoreOps {
    void *(*open)(const AppFile *f);
    void (*write)(void *handle, const uint8_t *data, uint32_t len);
    void (*finish)(void *handle, AppFile *f);
} AppFileStoreOps;
/* Installs the store; with `force` every new file is offered to it
 * (file-store.force-filestore). NULL removes it. */
void app_file_set_store(const AppFileStoreOps *ops, bool force);
/* Rules with the filestore keyword are loaded: files keep their content
 * until detection decides (only while a store is installed). */
void app_file_set_store_rules(bool on);
/* Whether files wait for detection's decision before they are logged. */
bool app_file_store_by_rules(void);

typedef struct AppFileContainer {
    AppFile *head, *tail;
    uint32_t count;
    bool store_new; /* files opened from now on are stored (tx/flow scope) */
    uint32_t *id_seq; /* per-flow file-store id counter, set by the parser */
    uint32_t own_seq; /* used when id_seq is NULL */
} AppFileContainer;

/* Opens a new file at the end of the container; NULL when the memory cap
 * refused it (counted in app_file_memcap_hits). */
AppFile *app_file_open(AppFileContainer *c, const uint8_t *name, uint32_t name_len);
/* The last file of the container while it is open, else NULL. */
AppFile *app_file_current(const AppFileContainer *c);
/* Adds content to an open file (ignored once closed). */
void app_file_append(AppFile *f, const uint8_t *data, uint32_t len);
/* A hole of len bytes in an open file: counted in size, stops hashing. */
void app_file_gap(AppFile *f, uint64_t len);
/* Ends an open file: CLOSED (TRUNCATED when it had gaps), or the given
 * state when it is TRUNCATED or ERROR. Finishes the digests. */
void app_file_close(AppFile *f, AppFileState how);
/* Closes every still-open file of the container as `how`. */
void app_file_close_all(AppFileContainer *c, AppFileState how);
void app_file_container_free(AppFileContainer *c);

/* filestore: stores f (what was kept, then the rest as it arrives); a
 * closed file is written out at once. Without a store it only notes the
 * request. */
void app_file_store(AppFile *f);
/* Stores every file of c, and with `future` every file opened in c later. */
void app_file_store_all(AppFileContainer *c, bool future);
/* Drops the kept content of a file no rule asked for (once it is logged). */
void app_file_drop_kept(AppFile *f);

/* "OPEN", "CLOSED", "TRUNCATED", "ERROR". */
const char *app_file_state_name(AppFileState st);
/* Whether digest h (APP_FILE_MD5...) of f is final and may be reported. */
bool app_file_hash_ready(const AppFile *f, uint32_t h);

/* Tracker memory in use, and files refused by the cap. */
uint64_t app_file_memuse(void);
uint64_t app_file_memcap_hits(void);

#endif
