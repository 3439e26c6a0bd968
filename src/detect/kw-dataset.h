/*
 * The `dataset` and `datarep` keywords (Suricata 8) and the ip.src /
 * ip.dst sticky buffers they are often used with.
 *
 *   dataset:<set|isset|isnotset|unset>,<name>[,<options>];
 *   datarep:<name>,<\>|<|=>,<value>[,<options>];
 *
 * Both inspect the current sticky buffer (after its transforms) as one
 * value of the named set (options: dataset-options.h). `set` matches when
 * it added the value, `unset` when it removed it, `isset` / `isnotset`
 * when the value is / is not there; an `isset` on a datajson set hands
 * the value's JSON to the alert (dataset-alert.h). `datarep` matches when
 * the value is in the set and its reputation compares as asked.
 *
 * The parse and evaluation functions are exposed for unit tests.
 */
#ifndef ODLAR_DETECT_KW_DATASET_H
#define ODLAR_DETECT_KW_DATASET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"
#include "decode/packet.h"
#include "detect/dataset.h"
#include "detect/signature.h"

typedef enum DatasetCmd { DATASET_CMD_SET = 1, DATASET_CMD_ISSET, DATASET_CMD_ISNOTSET, DATASET_CMD_UNSET } DatasetCmd;

typedef struct DatasetKwCtx {
    DatasetCmd cmd;
    Dataset *set; /* owned by the registry */
    char *context_key; /* datajson: the alert's context member, or NULL */
} DatasetKwCtx;

typedef enum DatarepOp { DATAREP_OP_GT = 1, DATAREP_OP_LT, DATAREP_OP_EQ } DatarepOp;

typedef struct DatarepKwCtx {
    Dataset *set;
    DatarepOp op;
    uint16_t value;
} DatarepKwCtx;

DatasetKwCtx *dataset_kw_parse(const char *value, Conf *conf, const char *rule_file, char *err, size_t errlen);
void dataset_kw_free(void *ctx);
/* s and p may be NULL (no alert context is recorded then). */
bool dataset_kw_eval(const DatasetKwCtx *k, const Signature *s, const Packet *p, const uint8_t *data, uint32_t len);

DatarepKwCtx *datarep_kw_parse(const char *value, Conf *conf, const char *rule_file, char *err, size_t errlen);
bool datarep_kw_eval(const DatarepKwCtx *k, const uint8_t *data, uint32_t len);

void datarep_register(void);
void ip_addr_buffers_register(void);
void keywords_register_dataset(void);

#endif
