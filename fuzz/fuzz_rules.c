/*
 * Fuzz harness for the rule parser: arbitrary bytes as one rule line,
 * parsed with every registered keyword (variables come from an empty
 * configuration). A parsed signature is then freed, and its payload list is
 * run against the input bytes through the inspection engine so content
 * matching sees hostile patterns and buffers too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/detect-engine.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Conf *conf;
    if (!conf) {
        od_log_set_level(LOG_LVL_ERROR);
        keywords_init();
        conf = conf_new_empty();
    }
    if (size > 65536)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, conf, "<fuzz>", 1);
    Signature *s = rule_parse(&rp, text);
    if (s) {
        inspect_buffer(NULL, s, sig_list(s, SIG_LIST_PMATCH), data, (uint32_t)size, INSPECT_BUF_PACKET, NULL);
        signature_free(s);
    }
    free(text);
    return 0;
}
