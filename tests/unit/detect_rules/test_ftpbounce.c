/*
 * The ftpbounce check: PORT commands naming the client itself or another
 * host, malformed arguments, other commands, and the keyword's rule form
 * (a packet keyword, no value) matched on packets of FTP and other flows.
 */
#include <stdlib.h>

#include "detect/ftpbounce.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"
#include "flow/flow.h"
#include "rules_test.h"

static bool bounce(const char *line, const uint8_t client[4])
{
    return ftpbounce_check((const uint8_t *)line, (uint32_t)strlen(line), client);
}

static void test_ftpbounce_check(void **state)
{
    (void)state;
    static const uint8_t client[4] = { 192, 168, 1, 5 };
    assert_false(bounce("PORT 192,168,1,5,4,1\r\n", client));
    assert_true(bounce("PORT 10,0,0,1,0,25\r\n", client));
    assert_true(bounce("port   192,168,1,6,4,1\r\n", client));
    assert_true(bounce("PORT 192,168,1,50", client));
    assert_false(bounce("PORT 192,168,1,5", client));
    /* not a PORT command, or an address that does not parse */
    assert_false(bounce("PASV\r\n", client));
    assert_false(bounce("EPRT |1|10.0.0.1|25|\r\n", client));
    assert_false(bounce("PORT\r\n", client));
    assert_false(bounce("PORT10,0,0,1,0,25", client));
    assert_false(bounce("PORT 10,0,0\r\n", client));
    assert_false(bounce("PORT 10,0,0,\r\n", client));
    assert_false(bounce("PORT 256,0,0,1,0,25", client));
    assert_false(bounce("PORT 1000,0,0,1,0,25", client));
    assert_false(bounce("PORT a,b,c,d,e,f", client));
    assert_false(ftpbounce_check((const uint8_t *)"POR", 3, client));
}

static void test_ftpbounce_rule(void **state)
{
    (void)state;
    keywords_init();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, NULL, NULL, 1);
    Signature *s = rule_parse(&rp, "alert tcp any any -> any 21 (msg:\"GPL FTP PORT bounce attempt\"; "
                                   "flow:to_server,established; content:\"PORT\"; nocase; ftpbounce; "
                                   "pcre:\"/^PORT/smi\"; sid:2100528;)");
    if (!s)
        fail_msg("rejected: %s", rp.error);
    const SigMatchList *l = sig_list(s, SIG_LIST_MATCH);
    assert_non_null(l);
    int kw = keyword_lookup("ftpbounce");
    bool found = false;
    for (uint16_t i = 0; i < l->count; i++)
        found |= l->items[i].kw == kw;
    assert_true(found);

    /* the packet keyword on an FTP flow from 10.0.0.1 */
    const KeywordDef *def = keyword_get((uint16_t)kw);
    assert_non_null(def->match_packet);
    static uint8_t bounce_line[] = "PORT 10,0,0,9,4,1\r\n", own_line[] = "PORT 10,0,0,1,4,1\r\n";
    Flow f;
    memset(&f, 0, sizeof(f));
    f.app_proto = 7; /* ftp */
    f.src.family = 4;
    f.src.addr[0] = 10;
    f.src.addr[3] = 1;
    Packet p;
    memset(&p, 0, sizeof(p));
    p.flow = &f;
    p.to_server = true;
    p.buf = bounce_line;
    p.len = p.payload_len = sizeof(bounce_line) - 1;
    assert_true(def->match_packet(NULL, &p, s, NULL));
    p.buf = own_line;
    assert_false(def->match_packet(NULL, &p, s, NULL));
    p.buf = bounce_line;
    p.to_server = false;
    assert_false(def->match_packet(NULL, &p, s, NULL));
    p.to_server = true;
    f.app_proto = 1; /* an HTTP flow */
    assert_false(def->match_packet(NULL, &p, s, NULL));
    signature_free(s);
    rule_parse_ctx_init(&rp, NULL, NULL, NULL, 1);
    assert_null(rule_parse(&rp, "alert http any any -> any any (ftpbounce; sid:1;)"));
}

int run_ftpbounce_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ftpbounce_check),
        cmocka_unit_test(test_ftpbounce_rule),
    };
    return cmocka_run_group_tests_name("ftpbounce", tests, NULL, NULL);
}
