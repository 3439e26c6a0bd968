/*
 * Unit tests of the libhtp settings (app-http-config.c) and what they do
 * to the parser: keys read from a suricata.yaml-format text
 * (meta-field-limit, the minimal inspect sizes, http-body-inline,
 * double-decode-path/-query, personalities), server-config entries picked
 * by the most specific address prefix covering the server, and the URI
 * normalization each personality switch and double decoding change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/app-http-config.h"
#include "conf/conf.h"
#include "http_test_util.h"

static const char *YAML = "%YAML 1.1\n---\n"
                          "default-config:\n"
                          "  personality: IDS\n"
                          "  meta-field-limit: 9000\n"
                          "  request-body-minimal-inspect-size: 1000\n"
                          "  response-body-inspect-window: 2kb\n"
                          "  http-body-inline: auto\n"
                          "  double-decode-path: yes\n"
                          "  swf-decompression:\n"
                          "    enabled: no\n"
                          "server-config:\n"
                          "  - apache:\n"
                          "      address: [192.168.1.0/24, \"::1\"]\n"
                          "      personality: Apache_2\n"
                          "      request-body-limit: 4096\n"
                          "  - iis7:\n"
                          "      address: 192.168.1.7\n"
                          "      personality: IIS_7_0\n"
                          "      double-decode-query: yes\n";

static Conf *load(void)
{
    Conf *c = conf_new_empty();
    assert_non_null(c);
    char err[256] = "";
    if (!conf_load_string(c, YAML, "t.yaml", err, sizeof(err)))
        fail_msg("%s", err);
    return c;
}

static Address v4(uint8_t a, uint8_t b, uint8_t cc, uint8_t d)
{
    Address x = { .family = 4 };
    x.addr[0] = a, x.addr[1] = b, x.addr[2] = cc, x.addr[3] = d;
    return x;
}

static void test_default_block(void **st)
{
    (void)st;
    Conf *c = load();
    HttpConfig cfg;
    http_config_default(&cfg);
    app_http_config_block(conf_node(c, "default-config"), &cfg, true);
    assert_int_equal(cfg.field_limit, 9000);
    assert_int_equal(cfg.request_inspect_min_size, 1000);
    assert_int_equal(cfg.response_inspect_window, 2048);
    assert_int_equal(cfg.response_inspect_min_size, 32768);
    assert_true(cfg.body_inline); /* auto, inline mode */
    assert_true(cfg.double_decode_path);
    assert_false(cfg.double_decode_query);
    http_config_default(&cfg);
    app_http_config_block(conf_node(c, "default-config"), &cfg, false);
    assert_false(cfg.body_inline); /* auto, IDS mode */
    conf_free(c);
}

static void test_server_config_match(void **st)
{
    (void)st;
    Conf *c = load();
    HttpConfig base;
    http_config_default(&base);
    app_http_servers_configure(conf_node(c, "server-config"), &base, false);
    Address a = v4(192, 168, 1, 20), i = v4(192, 168, 1, 7), o = v4(10, 0, 0, 1);
    const HttpConfig *ca = app_http_server_config(&a);
    const HttpConfig *ci = app_http_server_config(&i);
    assert_non_null(ca);
    assert_non_null(ci);
    assert_null(app_http_server_config(&o));
    assert_int_equal(ca->request_body_limit, 4096);
    assert_false(ca->path_backslash_separators); /* Apache */
    assert_false(ca->path_u_decode);
    assert_true(ca->path_compress_separators);
    /* the /32 entry is more specific than the /24 one */
    assert_true(ci->path_backslash_separators);
    assert_true(ci->double_decode_query);
    assert_int_equal(ci->request_body_limit, base.request_body_limit);
    Address six = { .family = 6 };
    six.addr[15] = 1;
    assert_ptr_equal(app_http_server_config(&six), ca);
    app_http_servers_free();
    assert_null(app_http_server_config(&a));
    conf_free(c);
}

static const char *uri_with(const HttpConfig *cfg, const char *req, char *out, size_t cap)
{
    HttpState *s = http_state_new(cfg);
    feeds(s, true, req, 0);
    const uint8_t *d;
    uint32_t n;
    assert_true(http_tx_buffer(http_tx_get(s, 0), HTTP_BUF_URI, true, &d, &n));
    snprintf(out, cap, "%.*s", (int)n, d);
    http_state_free(s);
    return out;
}

static void test_normalization_switches(void **st)
{
    (void)st;
    char b[256];
    const char *req = "GET /a\\\\b//c/%u0041%2541?q=%2541 HTTP/1.1\r\nHost: h\r\n\r\n";
    HttpConfig cfg;
    http_config_default(&cfg); /* IDS */
    assert_string_equal(uri_with(&cfg, req, b, sizeof(b)), "/a/b/c/A%41?q=%41");
    assert_true(app_http_personality(&cfg, "apache_2"));
    assert_string_equal(uri_with(&cfg, req, b, sizeof(b)), "/a\\\\b/c/%u0041%41?q=%41");
    assert_true(app_http_personality(&cfg, "MINIMAL"));
    assert_string_equal(uri_with(&cfg, req, b, sizeof(b)), "/a\\\\b//c/%u0041%41?q=%41");
    assert_false(app_http_personality(&cfg, "NGINX"));

    http_config_default(&cfg);
    cfg.double_decode_path = true;
    assert_string_equal(uri_with(&cfg, req, b, sizeof(b)), "/a/b/c/AA?q=%41");
    cfg.double_decode_query = true;
    assert_string_equal(uri_with(&cfg, req, b, sizeof(b)), "/a/b/c/AA?q=A");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_block),
        cmocka_unit_test(test_server_config_match),
        cmocka_unit_test(test_normalization_switches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
