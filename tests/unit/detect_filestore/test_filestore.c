/*
 * Unit tests of the filestore rule keyword (src/detect/kw-filestore.c):
 * option parsing (directions, scopes, errors), which files a match stores
 * for each direction/scope combination, rule loading (the keyword sits on
 * the file list of an HTTP rule; a protocol without files refuses it), and
 * the post-match step on a real HTTP transaction parsed by the HTTP parser:
 * the matched file, the whole transaction, and nothing for a rule without
 * filestore.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "app/app-layer.h"
#include "app/file.h"
#include "conf/conf.h"
#include "detect/buffer-registry.h"
#include "detect/keyword.h"
#include "detect/kw-filestore.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

#include "../rule-parse-helper.h"

static Signature *parse(const char *text, char *err, size_t errlen)
{
    return parse_rule(text, err, errlen);
}

static void test_options(void **st)
{
    (void)st;
    FilestoreOptions o;
    assert_true(filestore_parse_options(NULL, &o));
    assert_int_equal(o.dir, FILESTORE_DIR_DEFAULT);
    assert_int_equal(o.scope, FILESTORE_SCOPE_DEFAULT);
    assert_true(filestore_parse_options("request", &o));
    assert_int_equal(o.dir, FILESTORE_DIR_TOSERVER);
    assert_true(filestore_parse_options(" to_client , tx ", &o));
    assert_int_equal(o.dir, FILESTORE_DIR_TOCLIENT);
    assert_int_equal(o.scope, FILESTORE_SCOPE_TX);
    assert_true(filestore_parse_options("both,ssn", &o));
    assert_int_equal(o.dir, FILESTORE_DIR_BOTH);
    assert_int_equal(o.scope, FILESTORE_SCOPE_FLOW);
    assert_true(filestore_parse_options("to_server,flow", &o));
    assert_int_equal(o.scope, FILESTORE_SCOPE_FLOW);
    assert_true(filestore_parse_options("response,file", &o));
    assert_int_equal(o.scope, FILESTORE_SCOPE_DEFAULT);
    assert_false(filestore_parse_options("sideways", &o));
    assert_false(filestore_parse_options("both,everything", &o));
    assert_false(filestore_parse_options("both,tx,extra", &o));
    assert_false(filestore_parse_options("", &o));
}

static void test_targets(void **st)
{
    (void)st;
    FilestoreOptions o = { FILESTORE_DIR_DEFAULT, FILESTORE_SCOPE_DEFAULT };
    FilestoreTargets t = filestore_targets(&o, 1);
    assert_true(t.matched_file);
    assert_int_equal(t.tx_dirs | t.flow_dirs, 0);
    o.dir = FILESTORE_DIR_TOSERVER; /* a file scope in the other direction: nothing */
    assert_false(filestore_targets(&o, 1).matched_file);
    assert_true(filestore_targets(&o, 0).matched_file);
    o = (FilestoreOptions){ FILESTORE_DIR_DEFAULT, FILESTORE_SCOPE_TX };
    t = filestore_targets(&o, 0);
    assert_false(t.matched_file);
    assert_int_equal(t.tx_dirs, 3);
    o = (FilestoreOptions){ FILESTORE_DIR_TOSERVER, FILESTORE_SCOPE_FLOW };
    t = filestore_targets(&o, 1);
    assert_int_equal(t.flow_dirs, 1);
    assert_int_equal(t.tx_dirs, 0);
}

static void test_rule_loading(void **st)
{
    (void)st;
    char err[1024];
    Signature *s = parse("alert http any any -> any any (filestore; sid:1;)", err, sizeof(err));
    assert_non_null(s);
    int id = buffer_lookup_for("file#tx", s->app_proto);
    assert_true(id >= 0);
    const SigMatchList *l = sig_list(s, buffer_list_id(id));
    assert_non_null(l);
    assert_int_equal(l->count, 1);
    assert_int_equal(l->items[0].kw, keyword_lookup("filestore"));
    signature_free(s);
    s = parse("alert http any any -> any any (filestore:response,tx; sid:2;)", err, sizeof(err));
    assert_non_null(s);
    signature_free(s);
    assert_null(parse("alert http any any -> any any (filestore:up,tx; sid:3;)", err, sizeof(err)));
    assert_non_null(strstr(err, "filestore"));
    assert_null(parse("alert dns any any -> any any (filestore; sid:4;)", err, sizeof(err)));
}

static const char POST[] = "POST /up.cgi HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc";
static const char RESP[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nxyz";

/* A real HTTP transaction with a request file and a response file. */
static void *http_tx(const AppParserDef **def, void **state)
{
    app_layer_register_builtin();
    *def = app_layer_parser(1);
    assert_non_null(*def);
    *state = (*def)->state_new(true);
    assert_true((*def)->parse(*state, true, (const uint8_t *)POST, sizeof(POST) - 1, 0));
    assert_true((*def)->parse(*state, false, (const uint8_t *)RESP, sizeof(RESP) - 1, 0));
    void *tx = (*def)->tx_get(*state, 0);
    assert_non_null(tx);
    assert_non_null((*def)->tx_files(tx, true)->head);
    assert_non_null((*def)->tx_files(tx, false)->head);
    return tx;
}

static void test_after_match(void **st)
{
    (void)st;
    const AppParserDef *def;
    void *state;
    void *tx = http_tx(&def, &state);
    AppFile *req = def->tx_files(tx, true)->head;
    AppFile *resp = def->tx_files(tx, false)->head;
    int id = buffer_lookup_for("file#tx", 1);
    assert_true(id >= 0);

    /* a rule without filestore stores nothing and collects nothing */
    Signature *plain = parse("alert http any any -> any any (filesize:3; sid:10;)", NULL, 0);
    assert_non_null(plain);
    assert_false(filestore_collect(sig_list(plain, buffer_list_id(id)), (const uint8_t *)resp));
    assert_int_equal(filestore_after_match(plain, NULL, def, tx, 0, 1), 0);
    assert_false(resp->store_asked);

    /* default: the file the list matched, in the match direction */
    Signature *s = parse("alert http any any -> any any (filestore; sid:11;)", NULL, 0);
    assert_non_null(s);
    filestore_reset();
    assert_true(filestore_collect(sig_list(s, buffer_list_id(id)), (const uint8_t *)resp));
    assert_int_equal(filestore_after_match(s, NULL, def, tx, 0, 1), 0);
    assert_true(resp->store_asked);
    assert_false(req->store_asked);

    /* tx scope: every file of the transaction; flow scope reports its dirs */
    Signature *t = parse("alert http any any -> any any (filestore:both,tx; sid:12;)", NULL, 0);
    assert_non_null(t);
    filestore_reset();
    assert_int_equal(filestore_after_match(t, NULL, def, tx, 0, 1), 0);
    assert_true(req->store_asked);
    assert_true(def->tx_files(tx, true)->store_new);
    Signature *f = parse("alert http any any -> any any (filestore:to_server,flow; sid:13;)", NULL, 0);
    assert_non_null(f);
    assert_int_equal(filestore_after_match(f, NULL, def, tx, 0, 0), 1);

    signature_free(plain);
    signature_free(s);
    signature_free(t);
    signature_free(f);
    def->state_free(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options),
        cmocka_unit_test(test_targets),
        cmocka_unit_test(test_rule_loading),
        cmocka_unit_test(test_after_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
