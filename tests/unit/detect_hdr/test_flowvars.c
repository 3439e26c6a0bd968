/*
 * Unit tests for flowbits, flowint, the flow doubles of entropy and xbits:
 * parsing, conditions and
 * actions across a sequence of packets of one flow, OR groups, toggles,
 * flowint arithmetic and comparisons, xbits expiry in packet time, and the
 * keyword setups (list placement, noalert, contradicting flowbits).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/keyword.h"
#include "detect/kw-flowvars.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"
#include "flow/flow.h"

static char err[512];

static FlowbitsCtx *fb(const char *v)
{
    bool noalert;
    FlowbitsCtx *c = flowbits_parse(v, &noalert, err, sizeof(err));
    assert_non_null(c);
    return c;
}

static void test_flowbits_parse(void **state)
{
    (void)state;
    bool noalert = false;
    FlowbitsCtx *c = flowbits_parse("set, userlogin", &noalert, err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->cmd, FLOWBITS_SET);
    assert_string_equal(c->names[0].name, "userlogin");
    flowbits_free(c);
    c = flowbits_parse("isset,a|b | c", &noalert, err, sizeof(err));
    assert_non_null(c);
    assert_int_equal(c->count, 3);
    assert_string_equal(c->names[2].name, "c");
    flowbits_free(c);
    assert_null(flowbits_parse("noalert", &noalert, err, sizeof(err)));
    assert_true(noalert);
    /* errors */
    assert_null(flowbits_parse("noalert,x", &noalert, err, sizeof(err)));
    assert_false(noalert);
    assert_null(flowbits_parse("set", &noalert, err, sizeof(err)));
    assert_null(flowbits_parse("frob,x", &noalert, err, sizeof(err)));
    assert_non_null(strstr(err, "frob"));
    assert_null(flowbits_parse("Set,x", &noalert, err, sizeof(err)));
    assert_null(flowbits_parse("set,a b", &noalert, err, sizeof(err)));
    assert_null(flowbits_parse("set,a|b", &noalert, err, sizeof(err)));
    assert_null(flowbits_parse("isset,|", &noalert, err, sizeof(err)));
    assert_null(flowbits_parse("", &noalert, err, sizeof(err)));
}

static void test_flowbits_sequence(void **state)
{
    (void)state;
    Flow f;
    memset(&f, 0, sizeof(f));
    Packet p;
    memset(&p, 0, sizeof(p));
    FlowbitsCtx *set = fb("set,login"), *isset = fb("isset,login"), *isnot = fb("isnotset,login");
    FlowbitsCtx *unset = fb("unset,login"), *toggle = fb("toggle,login");
    FlowbitsCtx *orset = fb("isset,other|login"), *ornot = fb("isnotset,login|other");

    /* no flow: conditions are false, actions do nothing */
    assert_false(flowbits_match(&p, isset));
    assert_false(flowbits_match(&p, isnot));
    flowbits_post(&p, set);

    p.flow = &f;
    assert_false(flowbits_match(&p, isset));
    assert_true(flowbits_match(&p, isnot));
    assert_false(flowbits_match(&p, orset));
    flowbits_post(&p, set); /* packet 1 */
    assert_true(flowbits_match(&p, isset)); /* packet 2 */
    assert_false(flowbits_match(&p, isnot));
    assert_true(flowbits_match(&p, orset));
    assert_true(flowbits_match(&p, ornot)); /* "other" is not set */
    flowbits_post(&p, set); /* setting twice keeps one entry */
    assert_int_equal(flow_vars_count(&f), 1);
    flowbits_post(&p, toggle);
    assert_false(flowbits_match(&p, isset));
    flowbits_post(&p, toggle);
    assert_true(flowbits_match(&p, isset));
    flowbits_post(&p, unset);
    assert_false(flowbits_match(&p, isset));
    assert_int_equal(flow_vars_count(&f), 0);

    assert_true(flowbits_conflict(isset, isnot));
    assert_false(flowbits_conflict(isset, set));
    FlowbitsCtx *isnot2 = fb("isnotset,x");
    assert_false(flowbits_conflict(isset, isnot2));

    flowbits_free(set);
    flowbits_free(isset);
    flowbits_free(isnot);
    flowbits_free(unset);
    flowbits_free(toggle);
    flowbits_free(orset);
    flowbits_free(ornot);
    flowbits_free(isnot2);
    flow_vars_free(&f);
    assert_null(f.vars);
}

static void test_flow_vars_cap(void **state)
{
    (void)state;
    Flow f;
    memset(&f, 0, sizeof(f));
    char name[32];
    for (int i = 0; i < FLOW_VARS_MAX + 10; i++) {
        snprintf(name, sizeof(name), "bit%d", i);
        FlowVarName n = {name, 0};
        flow_var_name_hash(&n);
        flow_bit_set(&f, &n);
    }
    assert_int_equal(flow_vars_count(&f), FLOW_VARS_MAX);
    assert_int_equal(flow_vars_dropped(&f), 10);
    /* bits and ints are separate name spaces */
    FlowVarName n = {"bit1", 0};
    flow_var_name_hash(&n);
    uint32_t v;
    assert_false(flow_int_get(&f, &n, &v));
    flow_vars_free(&f);
}

static void count_float(const char *name, double value, void *user)
{
    double *sum = user;
    assert_string_equal(name, "file_data");
    *sum += value;
}

/* doubles (entropy values): their own name space, last write wins */
static void test_flow_floats(void **state)
{
    (void)state;
    Flow f;
    memset(&f, 0, sizeof(f));
    FlowVarName n = {"file_data", 0};
    flow_var_name_hash(&n);
    assert_int_equal(flow_floats_each(&f, NULL, NULL), 0);
    assert_true(flow_float_set(&f, &n, 4.5));
    assert_true(flow_float_set(&f, &n, 4.150007324019584));
    flow_int_set(&f, &n, 7);
    assert_int_equal(flow_floats_each(&f, NULL, NULL), 1);
    double sum = 0;
    assert_int_equal(flow_floats_each(&f, count_float, &sum), 1);
    assert_true(sum == 4.150007324019584);
    uint32_t v = 0;
    assert_true(flow_int_get(&f, &n, &v));
    assert_int_equal(v, 7);
    assert_int_equal(flow_vars_count(&f), 2);
    flow_vars_free(&f);
}

static FlowintCtx *fi(const char *v)
{
    FlowintCtx *c = flowint_parse(v, err, sizeof(err));
    if (c == NULL)
        fail_msg("flowint '%s': %s", v, err);
    return c;
}

static void test_flowint_parse(void **state)
{
    (void)state;
    FlowintCtx *c = fi("myvar,=,35");
    assert_int_equal(c->op, FLOWINT_SET);
    assert_int_equal(c->value, 35);
    assert_true(flowint_is_action(c));
    flowint_free(c);
    c = fi(" cnt , <= , other ");
    assert_int_equal(c->op, FLOWINT_LE);
    assert_true(c->target_is_var);
    assert_string_equal(c->target.name, "other");
    assert_false(flowint_is_action(c));
    flowint_free(c);
    c = fi("cnt,+1");
    assert_int_equal(c->op, FLOWINT_ADD);
    flowint_free(c);
    c = fi("cnt,isset");
    assert_int_equal(c->op, FLOWINT_ISSET);
    flowint_free(c);
    c = fi("cnt,isnotset");
    assert_int_equal(c->op, FLOWINT_NOTSET);
    flowint_free(c);
    c = fi("a.b/c_d,==,4294967295");
    assert_int_equal(c->value, UINT32_MAX);
    flowint_free(c);
    /* errors */
    assert_null(flowint_parse("c,=,1", err, sizeof(err))); /* one-letter name */
    assert_null(flowint_parse("1cnt,=,1", err, sizeof(err)));
    assert_null(flowint_parse("cnt,*,1", err, sizeof(err)));
    assert_null(flowint_parse("cnt,=", err, sizeof(err)));
    assert_null(flowint_parse("cnt,=,4294967296", err, sizeof(err)));
    assert_null(flowint_parse("cnt,=,12345678901", err, sizeof(err)));
    assert_null(flowint_parse("cnt", err, sizeof(err)));
    assert_null(flowint_parse("cnt,=,1 2", err, sizeof(err)));
}

static void test_flowint_ops(void **state)
{
    (void)state;
    Flow f;
    memset(&f, 0, sizeof(f));
    Packet p;
    memset(&p, 0, sizeof(p));
    p.flow = &f;
    FlowintCtx *isset = fi("cnt,isset"), *notset = fi("cnt,notset"), *add = fi("cnt,+,2");
    FlowintCtx *sub = fi("cnt,-,1"), *gt = fi("cnt,>,2"), *eq = fi("cnt,==,3");
    FlowintCtx *set = fi("cnt,=,10"), *lt_var = fi("cnt,<,max"), *set_max = fi("max,=,11");
    FlowintCtx *ne = fi("cnt,!=,10"), *ge = fi("cnt,>=,10"), *copy = fi("other,=,cnt");

    assert_false(flowint_match(&p, isset));
    assert_true(flowint_match(&p, notset));
    assert_false(flowint_match(&p, gt)); /* missing variable: comparisons fail */
    flowint_post(&p, sub); /* - on a missing variable does nothing */
    assert_true(flowint_match(&p, notset));
    flowint_post(&p, add); /* + creates it: 2 */
    assert_true(flowint_match(&p, isset));
    assert_false(flowint_match(&p, gt));
    flowint_post(&p, add); /* 4 */
    assert_true(flowint_match(&p, gt));
    flowint_post(&p, sub); /* 3 */
    assert_true(flowint_match(&p, eq));
    /* missing target variable counts as 0 */
    assert_false(flowint_match(&p, lt_var));
    flowint_post(&p, set_max);
    assert_true(flowint_match(&p, lt_var));
    flowint_post(&p, set); /* 10 */
    assert_false(flowint_match(&p, ne));
    assert_true(flowint_match(&p, ge));
    flowint_post(&p, copy);
    FlowVarName other = {"other", 0};
    flow_var_name_hash(&other);
    uint32_t v = 0;
    assert_true(flow_int_get(&f, &other, &v));
    assert_int_equal(v, 10);
    /* wrap-around */
    FlowintCtx *big = fi("cnt,-,11");
    flowint_post(&p, big);
    FlowVarName cnt = {"cnt", 0};
    flow_var_name_hash(&cnt);
    assert_true(flow_int_get(&f, &cnt, &v));
    assert_int_equal(v, UINT32_MAX);
    /* no flow */
    p.flow = NULL;
    assert_false(flowint_match(&p, notset));

    FlowintCtx *all[] = {isset, notset, add, sub, gt, eq, set, lt_var, set_max, ne, ge, copy, big};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        flowint_free(all[i]);
    flow_vars_free(&f);
}

static XbitsCtx *xb(const char *v)
{
    XbitsCtx *c = xbits_parse(v, err, sizeof(err));
    if (c == NULL)
        fail_msg("xbits '%s': %s", v, err);
    return c;
}

static void test_xbits_parse(void **state)
{
    (void)state;
    XbitsCtx *c = xb("set,badip,track ip_src,expire 60");
    assert_int_equal(c->cmd, XBITS_SET);
    assert_int_equal(c->track, XBITS_TRACK_IP_SRC);
    assert_int_equal(c->expire, 60);
    assert_string_equal(c->name.name, "badip");
    xbits_free(c);
    c = xb("isset, badip, track ip_pair");
    assert_int_equal(c->expire, XBITS_EXPIRE_DEFAULT);
    assert_int_equal(c->track, XBITS_TRACK_IP_PAIR);
    xbits_free(c);
    c = xb("toggle,x,track tx");
    xbits_free(c);
    assert_null(xbits_parse("set,badip", err, sizeof(err)));
    assert_non_null(strstr(err, "track"));
    assert_null(xbits_parse("set,badip,track ip_foo", err, sizeof(err)));
    assert_null(xbits_parse("frob,badip,track ip_src", err, sizeof(err)));
    assert_null(xbits_parse("set,,track ip_src", err, sizeof(err)));
    assert_null(xbits_parse("set,a b,track ip_src", err, sizeof(err)));
    assert_null(xbits_parse("set,a,track ip_src,expire x", err, sizeof(err)));
    assert_null(xbits_parse("set,a,track ip_src,expire 0", err, sizeof(err)));
    assert_null(xbits_parse("set,a,track ip_src,bogus 5", err, sizeof(err)));
}

static void v4(Address *a, uint8_t last)
{
    memset(a, 0, sizeof(*a));
    a->family = 4;
    a->addr[0] = 10;
    a->addr[3] = last;
}

static void test_xbits_store(void **state)
{
    (void)state;
    XbitsStore *st = xbits_store_new();
    Packet req, rsp;
    memset(&req, 0, sizeof(req));
    v4(&req.src_addr, 1);
    v4(&req.dst_addr, 2);
    rsp = req;
    rsp.src_addr = req.dst_addr;
    rsp.dst_addr = req.src_addr;
    req.ts = OD_TIME_FROM_SEC(1000);

    XbitsCtx *set_dst = xb("set,seen,track ip_dst,expire 10");
    XbitsCtx *isset_src = xb("isset,seen,track ip_src");
    XbitsCtx *isnot_src = xb("isnotset,seen,track ip_src");
    XbitsCtx *isset_dst = xb("isset,seen,track ip_dst");
    xbits_post_store(st, &req, set_dst);
    assert_int_equal(xbits_store_count(st), 1);
    /* the reply, from the host the bit was set on */
    rsp.ts = OD_TIME_FROM_SEC(1005);
    assert_true(xbits_match_store(st, &rsp, isset_src));
    assert_false(xbits_match_store(st, &rsp, isnot_src));
    assert_false(xbits_match_store(st, &rsp, isset_dst)); /* 10.0.0.1 has no bit */
    /* expiry: set at 1000 with expire 10 -> gone at 1010 */
    rsp.ts = OD_TIME_FROM_SEC(1010) - 1;
    assert_true(xbits_match_store(st, &rsp, isset_src));
    rsp.ts = OD_TIME_FROM_SEC(1010);
    assert_false(xbits_match_store(st, &rsp, isset_src));
    assert_true(xbits_match_store(st, &rsp, isnot_src));
    assert_int_equal(xbits_store_count(st), 0);

    /* ip_pair is direction independent; toggle and unset */
    XbitsCtx *pset = xb("set,pair,track ip_pair"), *pisset = xb("isset,pair,track ip_pair");
    XbitsCtx *ptoggle = xb("toggle,pair,track ip_pair"), *punset = xb("unset,pair,track ip_pair");
    req.ts = rsp.ts = OD_TIME_FROM_SEC(2000);
    xbits_post_store(st, &req, pset);
    assert_true(xbits_match_store(st, &rsp, pisset));
    xbits_post_store(st, &rsp, ptoggle);
    assert_false(xbits_match_store(st, &req, pisset));
    xbits_post_store(st, &rsp, ptoggle);
    assert_true(xbits_match_store(st, &req, pisset));
    xbits_post_store(st, &req, punset);
    assert_false(xbits_match_store(st, &rsp, pisset));
    /* default expiry 30s, re-set refreshes */
    xbits_post_store(st, &req, pset);
    req.ts = OD_TIME_FROM_SEC(2020);
    xbits_post_store(st, &req, pset);
    rsp.ts = OD_TIME_FROM_SEC(2040);
    assert_true(xbits_match_store(st, &rsp, pisset));
    rsp.ts = OD_TIME_FROM_SEC(2050);
    assert_false(xbits_match_store(st, &rsp, pisset));

    /* tx tracking: never set, never matches */
    XbitsCtx *txset = xb("set,t,track tx"), *txisset = xb("isset,t,track tx");
    xbits_post_store(st, &req, txset);
    assert_false(xbits_match_store(st, &req, txisset));

    XbitsCtx *all[] = {set_dst, isset_src, isnot_src, isset_dst, pset, pisset, ptoggle, punset, txset, txisset};
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        xbits_free(all[i]);
    xbits_store_free(st);

    /* the thread store */
    assert_non_null(xbits_thread_store());
    assert_ptr_equal(xbits_thread_store(), xbits_thread_store());
    xbits_thread_cleanup();
}

/* Through the keyword table: list placement, noalert, conflicts. */
static const SigMatchList *find_list(const Signature *s, uint16_t id)
{
    for (uint16_t i = 0; i < s->list_count; i++)
        if (s->lists[i].list_id == id)
            return &s->lists[i];
    return NULL;
}

static bool setup(Signature *s, RuleParseCtx *rp, const char *kw, const char *value)
{
    int id = keyword_lookup(kw);
    assert_true(id >= 0);
    return keyword_get((uint16_t)id)->setup(rp, s, value);
}

static void test_setup_lists(void **state)
{
    (void)state;
    keywords_init();
    RuleParseCtx rp;
    memset(&rp, 0, sizeof(rp));
    Signature *s = signature_new();
    assert_non_null(s);
    assert_true(setup(s, &rp, "flowbits", "isset,a"));
    assert_true(setup(s, &rp, "flowbits", "set,b"));
    assert_true(setup(s, &rp, "flowint", "cnt,+,1"));
    assert_true(setup(s, &rp, "flowint", "cnt,>,1"));
    assert_true(setup(s, &rp, "xbits", "set,x,track ip_src"));
    assert_true(setup(s, &rp, "xbits", "isset,x,track ip_src"));
    assert_true(setup(s, &rp, "ttl", "<10"));
    assert_true(setup(s, &rp, "flags", "S,12"));
    assert_true(setup(s, &rp, "tcp.flags", "SA"));
    assert_true(setup(s, &rp, "sameip", NULL));
    assert_true(setup(s, &rp, "decode-event", "ipv4.trunc_pkt"));
    assert_false(s->flags & SIG_FLAG_NOALERT);
    assert_true(setup(s, &rp, "flowbits", "noalert"));
    assert_true(s->flags & SIG_FLAG_NOALERT);
    const SigMatchList *m = find_list(s, SIG_LIST_MATCH), *pm = find_list(s, SIG_LIST_POSTMATCH);
    assert_non_null(m);
    assert_non_null(pm);
    assert_int_equal(m->count, 8);
    assert_int_equal(pm->count, 3);
    assert_false(rp.has_error);
    /* isset a + isnotset a contradict */
    assert_false(setup(s, &rp, "flowbits", "isnotset,a"));
    assert_true(rp.has_error);
    assert_non_null(strstr(rp.error, "isset"));
    signature_free(s);

    memset(&rp, 0, sizeof(rp));
    s = signature_new();
    assert_false(setup(s, &rp, "ttl", "999"));
    assert_non_null(strstr(rp.error, "ttl"));
    signature_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flowbits_parse),
        cmocka_unit_test(test_flowbits_sequence),
        cmocka_unit_test(test_flow_vars_cap),
        cmocka_unit_test(test_flow_floats),
        cmocka_unit_test(test_flowint_parse),
        cmocka_unit_test(test_flowint_ops),
        cmocka_unit_test(test_xbits_parse),
        cmocka_unit_test(test_xbits_store),
        cmocka_unit_test(test_setup_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
