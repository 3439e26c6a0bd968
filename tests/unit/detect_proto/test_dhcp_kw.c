/*
 * Unit tests of the DHCP rule keywords dhcp.leasetime, dhcp.rebinding_time
 * and dhcp.renewal_time: each loads with an unsigned-integer expression
 * and ties the rule to dhcp, a bad value or a rule of another protocol is
 * a parse error, and against transactions built by the real parser from a
 * DHCPACK it compares the option's value (option 51, 59, 58), only in the
 * direction the message came, and never matches a message without the
 * option.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/dhcp/dhcp.h"
#include "detect/app-proto.h"
#include "detect/buffer-registry.h"
#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

#include "../rule-parse-helper.h"

/* Whether `alert dhcp ... (<opts>)` matches tx inspected in direction ts. */
static bool rule_matches(const char *opts, const void *tx, bool ts)
{
    char rule[512], err[1024] = "";
    snprintf(rule, sizeof(rule), "alert dhcp any any -> any any (%s sid:1;)", opts);
    Signature *s = parse_rule(rule, err, sizeof(err));
    if (!s)
        fail_msg("%s: %s", rule, err);
    assert_string_equal(app_proto_name(s->app_proto), "dhcp");
    const SigMatchList *list = NULL;
    const BufferDef *b = NULL;
    for (uint16_t i = 0; i < s->list_count && !list; i++) {
        const BufferDef *d = buffer_by_list(s->lists[i].list_id);
        if (d && s->lists[i].count) {
            list = &s->lists[i];
            b = d;
        }
    }
    assert_non_null(list);
    bool matched = false;
    const uint8_t *d;
    uint32_t len;
    if (b->dirs & (ts ? BUF_DIR_TOSERVER : BUF_DIR_TOCLIENT))
        for (uint32_t i = 0; !matched && b->get(tx, ts, i, &d, &len); i++)
            matched = inspect_buffer(NULL, s, list, d, len, INSPECT_BUF_APP, NULL);
    signature_free(s);
    return matched;
}

/* A BOOTP reply with the given options after the cookie. */
static DhcpState *reply_with(const uint8_t *opts, uint32_t n)
{
    uint8_t b[DHCP_MIN_LEN + 64];
    memset(b, 0, sizeof(b));
    b[0] = DHCP_OP_REPLY;
    b[2] = 6;
    memcpy(b + DHCP_MIN_LEN, opts, n);
    DhcpState *s = dhcp_state_new();
    assert_true(dhcp_parse(s, false, b, DHCP_MIN_LEN + n));
    return s;
}

static void test_time_keywords(void **st)
{
    (void)st;
    const uint8_t ack[] = { DHCP_OPT_MESSAGE_TYPE, 1, 5, DHCP_OPT_LEASE_TIME, 4, 0, 0, 0x0e, 0x10,
                            DHCP_OPT_RENEWAL_TIME, 4, 0, 0, 0x06, 0x91, DHCP_OPT_REBINDING_TIME, 4, 0, 0, 0x0b, 0xd7,
                            DHCP_OPT_END };
    DhcpState *s = reply_with(ack, sizeof(ack));
    const void *tx = dhcp_tx_get(s, 0);
    assert_true(rule_matches("dhcp.leasetime:<7200;", tx, false));
    assert_false(rule_matches("dhcp.leasetime:>3600;", tx, false));
    assert_true(rule_matches("dhcp.leasetime:3600;", tx, false));
    assert_false(rule_matches("dhcp.leasetime:<7200;", tx, true)); /* a reply: to client only */
    assert_true(rule_matches("dhcp.rebinding_time:>3000;", tx, false));
    assert_false(rule_matches("dhcp.rebinding_time:<3000;", tx, false));
    assert_true(rule_matches("dhcp.renewal_time:1000<>2000;", tx, false));
    assert_false(rule_matches("dhcp.renewal_time:1681<>2000;", tx, false));
    dhcp_state_free(s);

    const uint8_t none[] = { DHCP_OPT_MESSAGE_TYPE, 1, 5, DHCP_OPT_END };
    s = reply_with(none, sizeof(none));
    tx = dhcp_tx_get(s, 0);
    assert_false(rule_matches("dhcp.leasetime:<4294967295;", tx, false));
    assert_false(rule_matches("dhcp.renewal_time:<4294967295;", tx, false));
    dhcp_state_free(s);
}

static void test_syntax(void **st)
{
    (void)st;
    char err[1024] = "";
    assert_null(parse_rule("alert dhcp any any -> any any (dhcp.leasetime:abc; sid:1;)", err, sizeof(err)));
    assert_non_null(strstr(err, "dhcp.leasetime"));
    err[0] = 0;
    assert_null(parse_rule("alert dns any any -> any any (dhcp.renewal_time:5; sid:1;)", err, sizeof(err)));
    assert_true(err[0] != 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_keywords),
        cmocka_unit_test(test_syntax),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
