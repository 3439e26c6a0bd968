/*
 * Fuzz harness for the rule parser: arbitrary bytes as one rule line,
 * parsed with every registered keyword (variables come from an empty
 * configuration). A parsed signature is then freed, and its payload list is
 * run against the input bytes through the inspection engine so content
 * matching sees hostile patterns and buffers too. The rule is parsed twice
 * through one header memo (detect/header-memo.h): the second parse takes
 * its address and port sets from the memo, and must fail or succeed as the
 * first did, with sets that match the same addresses and ports.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/address.h"
#include "detect/detect-engine.h"
#include "detect/header-memo.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/port.h"
#include "detect/rule-parse.h"
#include "util/log.h"

/* The memo's copy must answer as the parsed set does. */
static void same_sets(const Signature *a, const Signature *b)
{
    char fa[4096], fb[4096];
    const AddressSet *as[2][2] = { { a->src, b->src }, { a->dst, b->dst } };
    for (int i = 0; i < 2; i++) {
        bool ka = address_set_format(as[i][0], fa, sizeof(fa)), kb = address_set_format(as[i][1], fb, sizeof(fb));
        if (ka != kb || (ka && strcmp(fa, fb) != 0) || address_set_is_any(as[i][0]) != address_set_is_any(as[i][1]))
            abort();
    }
    static const uint16_t ports[] = { 0, 1, 21, 53, 80, 443, 1024, 8080, 49152, 65535 };
    for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++)
        if (port_set_match(a->sp, ports[i]) != port_set_match(b->sp, ports[i]) ||
            port_set_match(a->dp, ports[i]) != port_set_match(b->dp, ports[i]))
            abort();
}

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
    HeaderMemo *memo = header_memo_new();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, conf, "<fuzz>", 1);
    rp.memo = memo;
    Signature *s = rule_parse(&rp, text);
    rule_parse_ctx_init(&rp, NULL, conf, "<fuzz>", 1);
    rp.memo = memo;
    Signature *again = rule_parse(&rp, text);
    if ((s == NULL) != (again == NULL))
        abort();
    if (s) {
        same_sets(s, again);
        inspect_buffer(NULL, s, sig_list(s, SIG_LIST_PMATCH), data, (uint32_t)size, INSPECT_BUF_PACKET, NULL);
        signature_free(s);
        signature_free(again);
    }
    header_memo_free(memo);
    free(text);
    return 0;
}
