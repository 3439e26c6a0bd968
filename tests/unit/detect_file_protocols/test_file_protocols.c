/*
 * Unit tests of protocol-less file rules (src/detect/file-protocols.c) and
 * of the file-store stream depth (output/filestore.c): which parsed rules
 * are marked to run on every file protocol, the protocols such a rule
 * applies to (those registering each of its file buffers), the buffer it
 * reads on each, and when file-store.stream-depth takes effect (larger than
 * stream.reassembly.depth, an unlimited one included).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "detect/app-proto.h"
#include "detect/buffer-registry.h"
#include "detect/file-protocols.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"
#include "output/filestore.h"

static Signature *parse(const char *text)
{
    keywords_init();
    static Conf *c;
    if (!c)
        c = conf_new_empty();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, c, "t.rules", 1);
    return rule_parse(&rp, text);
}

static uint16_t proto(const char *name)
{
    const AppProtoInfo *ap = app_proto_by_name(name);
    assert_non_null(ap);
    return ap->id;
}

static void test_file_data_any_protocol(void **st)
{
    (void)st;
    Signature *s = parse("alert tcp any any -> any any (file.data; content:\"42\"; sid:1;)");
    assert_non_null(s);
    assert_true(s->flags & SIG_FLAG_FILE_ANY_PROTO);
    assert_true(file_rule_applies(s, proto("http")));
    assert_true(file_rule_applies(s, proto("smtp")));
    assert_false(file_rule_applies(s, proto("dns")));
    assert_false(file_rule_applies(s, 0));
    /* the file.data list reads SMTP's file.data on an SMTP flow */
    int http_id = buffer_lookup_proto("file.data", proto("http"));
    assert_true(http_id >= 0);
    const SigMatchList *l = sig_list(s, buffer_list_id(http_id));
    assert_non_null(l);
    const BufferDef *b = file_rule_buffer(s, l->list_id, proto("smtp"));
    assert_non_null(b);
    assert_int_equal(b->proto, proto("smtp"));
    assert_string_equal(b->name, "file.data");
    assert_null(file_rule_buffer(s, l->list_id, proto("dns")));
    signature_free(s);
}

static void test_filestore_any_protocol(void **st)
{
    (void)st;
    Signature *s = parse("alert tcp any any -> any any (filestore; sid:2;)");
    assert_non_null(s);
    assert_true(s->flags & SIG_FLAG_FILE_ANY_PROTO);
    assert_true(file_rule_applies(s, proto("ftp-data")));
    assert_true(file_rule_applies(s, proto("smtp")));
    assert_false(file_rule_applies(s, proto("tls")));
    signature_free(s);
}

static void test_pinned_rules_are_not_marked(void **st)
{
    (void)st;
    /* the header names the protocol */
    Signature *a = parse("alert http any any -> any any (file.data; content:\"42\"; sid:3;)");
    assert_non_null(a);
    assert_false(a->flags & SIG_FLAG_FILE_ANY_PROTO);
    assert_false(file_rule_applies(a, proto("smtp")));
    assert_true(file_rule_applies(a, proto("http")));
    /* a protocol buffer next to the file one pins the rule to it */
    Signature *b = parse("alert tcp any any -> any any (file.data; content:\"x\"; http.method; content:\"GET\"; "
                         "sid:4;)");
    assert_non_null(b);
    assert_false(b->flags & SIG_FLAG_FILE_ANY_PROTO);
    assert_false(file_rule_applies(b, proto("smtp")));
    /* no application buffer at all */
    Signature *c = parse("alert tcp any any -> any any (content:\"x\"; sid:5;)");
    assert_non_null(c);
    assert_false(c->flags & SIG_FLAG_FILE_ANY_PROTO);
    signature_free(a);
    signature_free(b);
    signature_free(c);
}

static uint32_t stream_depth_with(const char *yaml)
{
    Conf *c = conf_new_empty();
    char err[256];
    assert_true(conf_load_string(c, yaml, "t.yaml", err, sizeof(err)));
    filestore_configure(c);
    uint32_t depth = filestore_stream_depth();
    conf_free(c);
    return depth;
}

static void test_stream_depth(void **st)
{
    (void)st;
    /* larger than an unlimited stream depth: in effect */
    assert_int_equal(stream_depth_with("outputs:\n  - file-store:\n      enabled: yes\n      stream-depth: 100000\n"
                                       "stream:\n  reassembly:\n    depth: 0\n"),
                     100000);
    /* not larger than stream.reassembly.depth: no effect */
    assert_int_equal(stream_depth_with("outputs:\n  - file-store:\n      enabled: yes\n      stream-depth: 100kb\n"
                                       "stream:\n  reassembly:\n    depth: 1mb\n"),
                     0);
    assert_int_equal(stream_depth_with("outputs:\n  - file-store:\n      enabled: yes\n      stream-depth: 2mb\n"
                                       "stream:\n  reassembly:\n    depth: 1mb\n"),
                     2 * 1024 * 1024);
    /* 0 and no: none */
    assert_int_equal(stream_depth_with("outputs:\n  - file-store:\n      enabled: yes\n      stream-depth: 0\n"), 0);
    assert_int_equal(stream_depth_with("outputs:\n  - file-store:\n      enabled: yes\n      stream-depth: no\n"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_data_any_protocol),
        cmocka_unit_test(test_filestore_any_protocol),
        cmocka_unit_test(test_pinned_rules_are_not_marked),
        cmocka_unit_test(test_stream_depth),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
