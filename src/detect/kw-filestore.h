/*
 * The `filestore` rule keyword (kw-filestore.c): option parsing, which
 * files a match stores, and the post-match step detect-app.c runs for each
 * transaction a filestore rule matched.
 */
#ifndef ODLAR_DETECT_KW_FILESTORE_H
#define ODLAR_DETECT_KW_FILESTORE_H

#include <stdbool.h>
#include <stdint.h>

#include "app/app-layer.h"
#include "detect/signature.h"

typedef enum FilestoreDir {
    FILESTORE_DIR_DEFAULT = 0, /* no option: the direction of the match */
    FILESTORE_DIR_TOSERVER,
    FILESTORE_DIR_TOCLIENT,
    FILESTORE_DIR_BOTH,
} FilestoreDir;

typedef enum FilestoreScope {
    FILESTORE_SCOPE_DEFAULT = 0, /* the matched file */
    FILESTORE_SCOPE_TX,
    FILESTORE_SCOPE_FLOW,
} FilestoreScope;

typedef struct FilestoreOptions {
    FilestoreDir dir;
    FilestoreScope scope;
} FilestoreOptions;

/* What one match stores: the matched file, the files of the transaction in
 * tx_dirs, those of the flow in flow_dirs (bit 0 to server, bit 1 to
 * client). */
typedef struct FilestoreTargets {
    bool matched_file;
    uint8_t tx_dirs;
    uint8_t flow_dirs;
} FilestoreTargets;

/* Parses the keyword's value (NULL: no options). False when invalid. */
bool filestore_parse_options(const char *value, FilestoreOptions *out);
/* What a match in direction match_dir (0 to server, 1 to client) stores. */
FilestoreTargets filestore_targets(const FilestoreOptions *o, int match_dir);

/* Before a signature is evaluated on a transaction: forgets collected files. */
void filestore_reset(void);
/* The file list l matched `file` (an AppFile, instance of "file#tx"): when
 * l holds filestore, notes the file and returns true (the caller then goes
 * on with the other files); false when l has no filestore. */
bool filestore_collect(const SigMatchList *l, const uint8_t *file);
/* Post-match for transaction tx (id tx_id) of flow `flow` that s matched in
 * direction dir: stores what the rule's filestore asks for (nothing when s
 * has none) and, when files matched, gives the flow's TCP session the reassembly
 * depth file-store.stream-depth (filestore_stream_depth).
 * Returns the flow scope's directions (bits as flow_dirs), which the caller
 * keeps for the flow and applies with filestore_flow_apply. */
uint8_t filestore_after_match(const Signature *s, Flow *flow, const AppParserDef *def, void *tx, uint64_t tx_id,
                              int dir);
/* Flow scope: stores every file, now and later, of the transactions
 * [from, to) in the directions of flow_dirs (from: after the transaction
 * the rule matched). */
void filestore_flow_apply(const AppParserDef *def, void *state, uint64_t from, uint64_t to, uint8_t flow_dirs);

#endif
