/*
 * Datasets: the lookup3 hash against the reference vectors, the table's
 * ordering and memcap, the datajson reader, value conversions, option
 * parsing and path rules, loading and saving files, the keywords'
 * evaluation (set, isset, isnotset, unset, datarep comparisons, datajson
 * context) and their rule forms with dns.query and ip.src.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf/conf.h"
#include "detect/dataset-alert.h"
#include "detect/dataset-json.h"
#include "detect/dataset-options.h"
#include "detect/dataset-table.h"
#include "detect/dataset.h"
#include "detect/keyword.h"
#include "detect/kw-dataset.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

static char tmpdir[64];

static int make_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof(tmpdir), "/tmp/odlar-dataset-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int cleanup(void **state)
{
    (void)state;
    dataset_registry_free_all();
    dataset_alert_reset();
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static char *read_back(const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    static char buf[4096];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static Conf *conf_with_dirs(void)
{
    Conf *c = conf_new_defaults();
    conf_set_value(c, "default-data-dir", tmpdir, "test");
    conf_set_value(c, "default-rule-path", tmpdir, "test");
    return c;
}

/* ---- lookup3 ---- */

static void test_lookup3_vectors(void **state)
{
    (void)state;
    const uint8_t *four = (const uint8_t *)"Four score and seven years ago";
    assert_int_equal(lookup3_hashlittle((const uint8_t *)"", 0, 0), 0xdeadbeefu);
    assert_int_equal(lookup3_hashlittle((const uint8_t *)"", 0, 0xdeadbeefu), 0xbd5b7ddeu);
    assert_int_equal(lookup3_hashlittle(four, 30, 0), 0x17770551u);
    assert_int_equal(lookup3_hashlittle(four, 30, 1), 0xcd628161u);
    /* on whole words hashword and hashlittle agree (same initial value) */
    for (size_t n = 1; n <= 7; n++)
        assert_int_equal(lookup3_hashword(four, n, 7), lookup3_hashlittle(four, 4 * n, 7));
}

/* ---- table ---- */

static void collect(const DatasetEntry *e, void *user)
{
    char *out = user;
    strncat(out, (const char *)e->key, e->len);
    strcat(out, " ");
}

static void test_table_ops(void **state)
{
    (void)state;
    DatasetTable t;
    assert_true(dataset_table_init(&t, 1, 0, false, 16, true));
    assert_int_equal(dataset_table_add(&t, (const uint8_t *)"a", 1, 0, NULL, NULL), 1);
    assert_int_equal(dataset_table_add(&t, (const uint8_t *)"b", 1, 0, NULL, NULL), 1);
    assert_int_equal(dataset_table_add(&t, (const uint8_t *)"c", 1, 0, NULL, NULL), 1);
    assert_int_equal(dataset_table_add(&t, (const uint8_t *)"b", 1, 0, NULL, NULL), 0);
    assert_int_equal(t.count, 3);
    char order[32] = "";
    dataset_table_walk(&t, collect, order);
    assert_string_equal(order, "b a c "); /* found again: moved to the head */
    assert_non_null(dataset_table_lookup(&t, (const uint8_t *)"c", 1));
    assert_null(dataset_table_lookup(&t, (const uint8_t *)"d", 1));
    assert_null(dataset_table_lookup(&t, (const uint8_t *)"ab", 2));
    assert_int_equal(dataset_table_remove(&t, (const uint8_t *)"a", 1), 1);
    assert_int_equal(dataset_table_remove(&t, (const uint8_t *)"a", 1), 0);
    order[0] = '\0';
    dataset_table_walk(&t, collect, order);
    assert_string_equal(order, "c b ");
    dataset_table_free(&t);
}

static void test_table_memcap(void **state)
{
    (void)state;
    DatasetTable t;
    /* one row (64), the preallocated records (1000 x (80 + 24)) and room
     * for exactly 3 more string bytes: datasets-memcap-02's arithmetic */
    assert_true(dataset_table_init(&t, 1, 104064 + 3, false, 24, true));
    assert_int_equal(t.memuse, 104064);
    assert_int_equal(dataset_table_add(&t, (const uint8_t *)"abc", 3, 0, NULL, NULL), 1);
    assert_int_equal(dataset_table_add(&t, (const uint8_t *)"abd", 3, 0, NULL, NULL), -1);
    assert_int_equal(dataset_table_remove(&t, (const uint8_t *)"abc", 3), 1);
    assert_int_equal(dataset_table_add(&t, (const uint8_t *)"abd", 3, 0, NULL, NULL), 1);
    dataset_table_free(&t);
}

/* ---- JSON reader ---- */

static JsonNode *parse(const char *text)
{
    char err[128];
    return json_read((const uint8_t *)text, strlen(text), err, sizeof(err));
}

static char *write_node(const JsonNode *n)
{
    JsonBuf j;
    jb_init(&j);
    json_node_write(&j, NULL, n);
    char *s = strdup(j.buf);
    jb_free(&j);
    return s;
}

static void test_json_reader(void **state)
{
    (void)state;
    JsonNode *n = parse(" {\"a\": [1, -2.5e3, true, false, null], \"b\": {\"c\": \"x\\u00e9\\ud83d\\ude00\\n\"}} ");
    assert_non_null(n);
    char *w = write_node(n);
    assert_string_equal(w, "{\"a\":[1,-2.5e3,true,false,null],\"b\":{\"c\":\"x\xc3\xa9\xf0\x9f\x98\x80\\n\"}}");
    free(w);
    const JsonNode *c = json_node_path(n, "b.c");
    assert_non_null(c);
    assert_int_equal(c->kind, JSON_STRING);
    assert_null(json_node_path(n, "b.d"));
    assert_null(json_node_path(n, "a.b"));
    assert_true(json_node_remove_path(n, "b.c"));
    assert_false(json_node_remove_path(n, "b.c"));
    w = write_node(n);
    assert_string_equal(w, "{\"a\":[1,-2.5e3,true,false,null],\"b\":{}}");
    free(w);
    json_node_free(n);
    static const char *bad[] = { "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "\"abc", "\"\\x\"", "[1] 2",
                                 "\"\\ud800\"", "tru", "{1:2}", "\"a\x01\"" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        JsonNode *b = parse(bad[i]);
        if (b)
            fail_msg("accepted invalid JSON %s", bad[i]);
    }
    char deep[200];
    memset(deep, '[', sizeof(deep) - 1);
    deep[sizeof(deep) - 1] = '\0';
    assert_null(parse(deep));
}

/* ---- values ---- */

static void test_value_parse(void **state)
{
    (void)state;
    uint8_t out[64];
    uint32_t n = 0;
    assert_true(dataset_value_parse(DATASET_TYPE_STRING, "ZXhhbXBsZS5jb20=", 16, false, out, &n, sizeof(out)));
    assert_int_equal(n, 11);
    assert_memory_equal(out, "example.com", 11);
    assert_false(dataset_value_parse(DATASET_TYPE_STRING, "Z29vZ2xlLm;NvbQ==", 17, false, out, &n, sizeof(out)));
    assert_true(dataset_value_parse(DATASET_TYPE_STRING, "plain", 5, true, out, &n, sizeof(out)));
    assert_int_equal(n, 5);
    assert_true(dataset_value_parse(DATASET_TYPE_MD5, "b65d49730d16e5a8a7b2ab95350848b8", 32, false, out, &n,
                                    sizeof(out)));
    assert_int_equal(n, 16);
    assert_int_equal(out[0], 0xb6);
    assert_false(dataset_value_parse(DATASET_TYPE_MD5, "b65d", 4, false, out, &n, sizeof(out)));
    assert_false(dataset_value_parse(DATASET_TYPE_SHA256, "zz", 2, false, out, &n, sizeof(out)));
    assert_true(dataset_value_parse(DATASET_TYPE_IPV4, "10.16.1.11", 10, false, out, &n, sizeof(out)));
    assert_int_equal(n, 4);
    assert_memory_equal(out, "\x0a\x10\x01\x0b", 4);
    assert_false(dataset_value_parse(DATASET_TYPE_IPV4, "10.16.1", 7, false, out, &n, sizeof(out)));
    /* an ip set stores IPv4 (plain or mapped) in the first 4 bytes */
    static const uint8_t v4key[16] = { 82, 165, 177, 154 };
    assert_true(dataset_value_parse(DATASET_TYPE_IPV6, "::ffff:82.165.177.154", 21, false, out, &n, sizeof(out)));
    assert_int_equal(n, 16);
    assert_memory_equal(out, v4key, 16);
    assert_true(dataset_value_parse(DATASET_TYPE_IPV6, "82.165.177.154", 14, false, out, &n, sizeof(out)));
    assert_memory_equal(out, v4key, 16);
    assert_true(dataset_value_parse(DATASET_TYPE_IPV6, "4:5::6", 6, false, out, &n, sizeof(out)));
    assert_int_equal(out[1], 4);
    assert_int_equal(out[15], 6);
}

/* ---- options and paths ---- */

static void test_options(void **state)
{
    (void)state;
    assert_true(dataset_path_has_traversal("../x"));
    assert_true(dataset_path_has_traversal("a/../x"));
    assert_true(dataset_path_has_traversal("a/.."));
    assert_false(dataset_path_has_traversal("a..b/x"));
    assert_false(dataset_path_has_traversal("x.txt"));
    char err[512];
    Conf *c = conf_with_dirs();
    assert_null(dataset_kw_parse("bogus,x,type string", c, NULL, err, sizeof(err)));
    assert_null(dataset_kw_parse("set", c, NULL, err, sizeof(err)));
    assert_null(dataset_kw_parse("set,x", c, NULL, err, sizeof(err))); /* no type */
    assert_null(dataset_kw_parse("set,x,type blob", c, NULL, err, sizeof(err)));
    assert_null(dataset_kw_parse("set,x,type string,key ip", c, NULL, err, sizeof(err)));
    assert_null(dataset_kw_parse("isset,x,type string,context_key a", c, NULL, err, sizeof(err)));
    assert_null(dataset_kw_parse("set,x,type string,state /abs.csv", c, NULL, err, sizeof(err)));
    assert_string_equal(err, "Absolute paths not allowed: /abs.csv");
    assert_null(dataset_kw_parse("set,x,type string,save ../up.csv", c, NULL, err, sizeof(err)));
    assert_string_equal(err, "Directory traversals not allowed: ../up.csv");
    assert_null(dataset_kw_parse("set,x,type string,save ns/../up.csv", c, NULL, err, sizeof(err)));
    assert_string_equal(err, "Directory traversals not allowed: ns/../up.csv");
    conf_set_value(c, "datasets.rules.allow-write", "no", "test");
    assert_null(dataset_kw_parse("set,x,type string,state s.csv", c, NULL, err, sizeof(err)));
    assert_string_equal(err, "Rules containing save/state datasets have been disabled");
    conf_set_value(c, "datasets.rules.allow-write", "yes", "test");
    conf_set_value(c, "datasets.rules.allow-absolute-filenames", "yes", "test");
    char abs[128];
    snprintf(abs, sizeof(abs), "set,absset,type string,save %s/abs.csv", tmpdir);
    DatasetKwCtx *k = dataset_kw_parse(abs, c, NULL, err, sizeof(err));
    assert_non_null(k);
    dataset_kw_free(k);
    /* same name, other type */
    assert_null(dataset_kw_parse("isset,absset,type md5", c, NULL, err, sizeof(err)));
    assert_int_equal(dataset_registry_count(), 1);
    conf_free(c);
    dataset_registry_free_all();
}

/* ---- files and evaluation ---- */

static void test_state_roundtrip(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_with_dirs();
    DatasetKwCtx *set = dataset_kw_parse("set,seen,type string,state seen.csv", c, NULL, err, sizeof(err));
    assert_non_null(set);
    DatasetKwCtx *isset = dataset_kw_parse("isset,seen,type string", c, NULL, err, sizeof(err));
    DatasetKwCtx *isnot = dataset_kw_parse("isnotset, seen , type string", c, NULL, err, sizeof(err));
    DatasetKwCtx *unset = dataset_kw_parse("unset,seen,type string", c, NULL, err, sizeof(err));
    assert_non_null(isset);
    assert_non_null(isnot);
    assert_non_null(unset);
    assert_ptr_equal(set->set, isset->set);
    DatasetKwCtx *bare = dataset_kw_parse("set,seen", c, NULL, err, sizeof(err)); /* defined above */
    assert_non_null(bare);
    assert_ptr_equal(bare->set, set->set);
    dataset_kw_free(bare);
    const uint8_t *ex = (const uint8_t *)"example.com";
    assert_true(dataset_kw_eval(isnot, NULL, NULL, ex, 11));
    assert_false(dataset_kw_eval(isset, NULL, NULL, ex, 11));
    assert_true(dataset_kw_eval(set, NULL, NULL, ex, 11));
    assert_false(dataset_kw_eval(set, NULL, NULL, ex, 11)); /* already there */
    assert_true(dataset_kw_eval(isset, NULL, NULL, ex, 11));
    assert_false(dataset_kw_eval(isnot, NULL, NULL, ex, 11));
    assert_true(dataset_kw_eval(set, NULL, NULL, (const uint8_t *)"gone", 4));
    assert_true(dataset_kw_eval(unset, NULL, NULL, (const uint8_t *)"gone", 4));
    assert_false(dataset_kw_eval(unset, NULL, NULL, (const uint8_t *)"gone", 4));
    dataset_registry_save_all();
    assert_string_equal(read_back("seen.csv"), "ZXhhbXBsZS5jb20=\n");
    dataset_kw_free(set);
    dataset_kw_free(isset);
    dataset_kw_free(isnot);
    dataset_kw_free(unset);
    dataset_registry_free_all();
    /* the next run loads the state */
    isset = dataset_kw_parse("isset,seen,type string,state seen.csv", c, NULL, err, sizeof(err));
    assert_non_null(isset);
    assert_true(dataset_kw_eval(isset, NULL, NULL, ex, 11));
    dataset_kw_free(isset);
    conf_free(c);
    dataset_registry_free_all();
}

static void test_ip_sets(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_with_dirs();
    write_file("ips.csv", "::ffff:82.165.177.154\n82.165.177.154\n# comment\n\n4:5::6\n");
    DatasetKwCtx *ip = dataset_kw_parse("isset,ips,type ip,load ips.csv", c, NULL, err, sizeof(err));
    assert_non_null(ip);
    assert_int_equal(ip->set->table.count, 2);
    assert_true(dataset_kw_eval(ip, NULL, NULL, (const uint8_t *)"\x52\xa5\xb1\x9a", 4));
    assert_false(dataset_kw_eval(ip, NULL, NULL, (const uint8_t *)"\x52\xa5\xb1\x9b", 4));
    assert_false(dataset_kw_eval(ip, NULL, NULL, (const uint8_t *)"\x52\xa5\xb1", 3));
    DatasetKwCtx *v4 = dataset_kw_parse("set,v4,type ipv4,state v4.csv", c, NULL, err, sizeof(err));
    DatasetKwCtx *v6 = dataset_kw_parse("set,v6,type ipv6,state v6.csv", c, NULL, err, sizeof(err));
    assert_non_null(v4);
    assert_non_null(v6);
    assert_true(dataset_kw_eval(v4, NULL, NULL, (const uint8_t *)"\x01\x02\x03\x04", 4));
    assert_false(dataset_kw_eval(v4, NULL, NULL, (const uint8_t *)"0123456789abcdef", 16));
    static const uint8_t a6[16] = { 0, 4, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6 };
    assert_true(dataset_kw_eval(v6, NULL, NULL, a6, 16));
    dataset_registry_save_all();
    assert_string_equal(read_back("v4.csv"), "1.2.3.4\n");
    assert_string_equal(read_back("v6.csv"), "0004:0005:0000:0000:0000:0000:0000:0006\n");
    dataset_kw_free(ip);
    dataset_kw_free(v4);
    dataset_kw_free(v6);
    write_file("bad.csv", "10.0.0.300\n");
    assert_null(dataset_kw_parse("isset,bad,type ipv4,load bad.csv", c, NULL, err, sizeof(err)));
    assert_null(dataset_kw_parse("isset,missing,type ipv4,load nothere.csv", c, NULL, err, sizeof(err)));
    conf_free(c);
    dataset_registry_free_all();
}

static void test_datarep(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_with_dirs();
    write_file("rep.csv", "Z29vZ2xlLmNvbQ==,255\nY3VybA==,100\n");
    DatarepKwCtx *gt = datarep_kw_parse("rep, >, 200, load rep.csv, type string", c, NULL, err, sizeof(err));
    DatarepKwCtx *lt = datarep_kw_parse("rep,<,200,load rep.csv,type string", c, NULL, err, sizeof(err));
    DatarepKwCtx *eq = datarep_kw_parse("rep,=,100,type string", c, NULL, err, sizeof(err));
    assert_non_null(gt);
    assert_non_null(lt);
    assert_non_null(eq);
    assert_true(datarep_kw_eval(gt, (const uint8_t *)"google.com", 10));
    assert_false(datarep_kw_eval(lt, (const uint8_t *)"google.com", 10));
    assert_true(datarep_kw_eval(lt, (const uint8_t *)"curl", 4));
    assert_true(datarep_kw_eval(eq, (const uint8_t *)"curl", 4));
    assert_false(datarep_kw_eval(gt, (const uint8_t *)"other", 5));
    free(gt);
    free(lt);
    free(eq);
    assert_null(datarep_kw_parse("rep,>=,1,type string", c, NULL, err, sizeof(err)));
    assert_null(datarep_kw_parse("rep,>,70000,type string", c, NULL, err, sizeof(err)));
    /* a dataset of the same name cannot use the reputation set */
    assert_null(dataset_kw_parse("isset,rep,type string", c, NULL, err, sizeof(err)));
    assert_string_equal(err, "Cannot mix dataset and datarep values for set rep");
    write_file("mix.csv", "Z29vZ2xlLmNvbQ==,1\nYmxhaA==\n");
    assert_null(datarep_kw_parse("mix,>,1,load mix.csv,type string", c, NULL, err, sizeof(err)));
    assert_string_equal(err, "Cannot mix dataset and datarep values for set mix");
    write_file("badrep.csv", "Z29vZ2xlLmNvbQ==,-1\n");
    assert_null(datarep_kw_parse("badrep,>,1,load badrep.csv,type string", c, NULL, err, sizeof(err)));
    assert_string_equal(err, "invalid datarep value badrep");
    write_file("bad64.csv", "Z29vZ2xlLm;NvbQ==,1\n");
    assert_null(datarep_kw_parse("bad64,>,1,load bad64.csv,type string", c, NULL, err, sizeof(err)));
    assert_string_equal(err, "bad base64 encoding bad64");
    conf_free(c);
    dataset_registry_free_all();
}

static void test_datajson(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_with_dirs();
    write_file("hosts.json", "{\"info\": {\"threat\": [ {\"year\": 2005, \"host\": {\"fqdn\": \"www.x.com\"}} ]}}");
    write_file("hosts.ndjson", "{\"host\": \"a.com\", \"year\": 1}\n{\"host\": \"a.com\", \"year\": 2}\n");
    write_file("nonstring.ndjson", "{\"value\": 12345, \"extra\": \"ctx\"}\n");
    DatasetKwCtx *nested = dataset_kw_parse("isset,nested,type string,load hosts.json,format json,"
                                            "context_key bad,value_key host.fqdn,array_key info.threat",
                                            c, NULL, err, sizeof(err));
    assert_non_null(nested);
    DatasetKwCtx *lines = dataset_kw_parse("isset,lines,type string,load hosts.ndjson,format ndjson,"
                                           "context_key h,value_key host,remove_key",
                                           c, NULL, err, sizeof(err));
    assert_non_null(lines);
    Signature s;
    memset(&s, 0, sizeof(s));
    s.num = 3;
    Packet p;
    memset(&p, 0, sizeof(p));
    p.pcap_cnt = 9;
    assert_true(dataset_kw_eval(nested, &s, &p, (const uint8_t *)"www.x.com", 9));
    assert_true(dataset_kw_eval(lines, &s, &p, (const uint8_t *)"a.com", 5));
    assert_false(dataset_kw_eval(lines, &s, &p, (const uint8_t *)"b.com", 5));
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    dataset_alert_json(&j, &s, &p);
    jb_close_object(&j);
    /* first entry wins; remove_key drops the value from the context */
    assert_string_equal(j.buf, "{\"context\":{\"bad\":{\"year\":2005,\"host\":{\"fqdn\":\"www.x.com\"}},"
                               "\"h\":{\"year\":1}}}");
    /* another packet: nothing recorded for it */
    Packet q;
    memset(&q, 0, sizeof(q));
    q.pcap_cnt = 10;
    jb_reset(&j);
    jb_open_object(&j, NULL);
    dataset_alert_json(&j, &s, &q);
    jb_close_object(&j);
    assert_string_equal(j.buf, "{}");
    jb_free(&j);
    dataset_kw_free(nested);
    dataset_kw_free(lines);
    assert_null(dataset_kw_parse("isset,ns,type md5,load nonstring.ndjson,format ndjson,context_key e,value_key value",
                                 c, NULL, err, sizeof(err)));
    assert_non_null(strstr(err, "failed to get value because it is not a string"));
    assert_null(dataset_kw_parse("isset,nv,type string,load hosts.ndjson,format ndjson,context_key e",
                                 c, NULL, err, sizeof(err)));
    conf_free(c);
    dataset_registry_free_all();
}

static void test_config_sets(void **state)
{
    (void)state;
    char err[512];
    Conf *c = conf_with_dirs();
    write_file("ua.lst", "Y3VybC83LjQzLjA=\n");
    conf_set_value(c, "datasets.ua-seen.type", "string", "test");
    conf_set_value(c, "datasets.ua-seen.state", "ua.lst", "test");
    conf_set_value(c, "datasets.defaults.hashsize", "16", "test");
    DatasetKwCtx *k = dataset_kw_parse("isset,ua-seen", c, NULL, err, sizeof(err));
    assert_non_null(k);
    assert_int_equal(k->set->table.hashsize, 16);
    assert_true(dataset_kw_eval(k, NULL, NULL, (const uint8_t *)"curl/7.43.0", 11));
    assert_null(dataset_kw_parse("isset,unknown-set", c, NULL, err, sizeof(err)));
    dataset_kw_free(k);
    conf_free(c);
    dataset_registry_free_all();
}

/* ---- rule forms ---- */

static void test_rule_forms(void **state)
{
    (void)state;
    keywords_init();
    Conf *c = conf_with_dirs();
    RuleParseCtx rp;
    rule_parse_ctx_init(&rp, NULL, c, NULL, 1);
    Signature *s = rule_parse(&rp, "alert dns any any -> any any (dns.query; dataset:set,dns-seen, type string; sid:1;)");
    assert_non_null(s);
    signature_free(s);
    rule_parse_ctx_init(&rp, NULL, c, NULL, 1);
    s = rule_parse(&rp, "alert ip any any -> any any (ip.dst; dataset:set,ips,type ip; sid:2;)");
    assert_non_null(s);
    assert_non_null(sig_list(s, SIG_LIST_MATCH));
    signature_free(s);
    rule_parse_ctx_init(&rp, NULL, c, NULL, 1);
    s = rule_parse(&rp, "alert dns any any -> any any (dns.query; to_md5; datarep:r,>,1,type md5; sid:3;)");
    assert_non_null(s); /* an empty reputation set: nothing matches until loaded */
    signature_free(s);
    rule_parse_ctx_init(&rp, NULL, c, NULL, 1);
    assert_null(rule_parse(&rp, "alert tcp any any -> any any (dataset:set,x,type string; sid:4;)"));
    assert_non_null(strstr(rp.error, "sticky buffer"));
    conf_free(c);
    dataset_registry_free_all();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup3_vectors), cmocka_unit_test(test_table_ops),
        cmocka_unit_test(test_table_memcap),    cmocka_unit_test(test_json_reader),
        cmocka_unit_test(test_value_parse),     cmocka_unit_test(test_options),
        cmocka_unit_test(test_state_roundtrip), cmocka_unit_test(test_ip_sets),
        cmocka_unit_test(test_datarep),         cmocka_unit_test(test_datajson),
        cmocka_unit_test(test_config_sets),     cmocka_unit_test(test_rule_forms),
    };
    return cmocka_run_group_tests(tests, make_tmpdir, cleanup);
}
