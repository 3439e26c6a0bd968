/*
 * Unit tests of the SSH parser (src/app/ssh/): banners, record framing,
 * KEXINIT/HASSH (hashes checked against the values Suricata's regression
 * suite expects for the same algorithm lists), every event, chunking
 * independence (whole, byte by byte, every two-way split) and EVE output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/ssh/ssh.h"

static const char *CLI_BANNER = "SSH-2.0-OpenSSH_for_Windows_7.7\r\n";
static const char *SRV_BANNER = "SSH-2.0-OpenSSH_7.4\r\n";

static const char *KEX_C =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
    "diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha1,"
    "diffie-hellman-group14-sha256,diffie-hellman-group14-sha1,ext-info-c";
static const char *ENC_C =
    "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
    "aes256-gcm@openssh.com";
static const char *MAC =
    "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
    "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,"
    "umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1";
static const char *KEX_S =
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
    "diffie-hellman-group18-sha512,diffie-hellman-group-exchange-sha1,"
    "diffie-hellman-group14-sha256,diffie-hellman-group14-sha1,diffie-hellman-group1-sha1";
static const char *ENC_S =
    "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
    "aes256-gcm@openssh.com,aes128-cbc,aes192-cbc,aes256-cbc,blowfish-cbc,cast128-cbc,3des-cbc";

#define CLI_HASSH "2dd6531c7e89d3c925db9214711be76a"
#define SRV_HASSH "6832f1ce43d4397c2c0a3e2f8c94334e"

typedef struct Bytes {
    uint8_t d[16384];
    uint32_t n;
} Bytes;

static void put(Bytes *b, const void *p, uint32_t n)
{
    assert_true(b->n + n <= sizeof(b->d));
    if (n == 0)
        return;
    memcpy(b->d + b->n, p, n);
    b->n += n;
}
static void put32(Bytes *b, uint32_t v)
{
    uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    put(b, x, 4);
}
static void putstr(Bytes *b, const char *s) { put(b, s, (uint32_t)strlen(s)); }
static void putlist(Bytes *b, const char *s)
{
    put32(b, (uint32_t)strlen(s));
    putstr(b, s);
}

/* A binary packet with message code msg and body, 4 bytes of padding. */
static void put_record(Bytes *b, uint8_t msg, const uint8_t *body, uint32_t blen)
{
    uint8_t pad = 4;
    put32(b, 1 + 1 + blen + pad);
    put(b, &pad, 1);
    put(b, &msg, 1);
    put(b, body, blen);
    put(b, "\0\0\0\0", 4);
}

static void put_kexinit(Bytes *b, const char *kex, const char *enc_cs, const char *enc_sc,
                        const char *mac, const char *comp)
{
    Bytes body = { .n = 0 };
    put(&body, "0123456789abcdef", 16);
    putlist(&body, kex);
    putlist(&body, "ssh-ed25519,rsa-sha2-512");
    putlist(&body, enc_cs);
    putlist(&body, enc_sc);
    putlist(&body, mac);
    putlist(&body, mac);
    putlist(&body, comp);
    putlist(&body, comp);
    putlist(&body, "");
    putlist(&body, "");
    put(&body, "\0\0\0\0\0", 5);
    put_record(b, 20, body.d, body.n);
}

static void put_newkeys(Bytes *b) { put_record(b, 21, NULL, 0); }

static void session(Bytes *cli, Bytes *srv)
{
    cli->n = srv->n = 0;
    putstr(cli, CLI_BANNER);
    put_kexinit(cli, KEX_C, ENC_C, ENC_C, MAC, "none");
    put_newkeys(cli);
    put(cli, "\x99\x98\x97 encrypted garbage", 20);
    putstr(srv, SRV_BANNER);
    put_kexinit(srv, KEX_S, ENC_S, ENC_S, MAC, "none,zlib@openssh.com");
    put_newkeys(srv);
    put(srv, "\x01\x02\x03 encrypted garbage", 20);
}

static void feed(SshState *s, bool ts, const Bytes *b, uint32_t chunk)
{
    for (uint32_t off = 0; off < b->n; off += chunk) {
        uint32_t n = b->n - off < chunk ? b->n - off : chunk;
        ssh_parse(s, ts, b->d + off, n, 0);
    }
}

static char *eve(SshState *s)
{
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    ssh_log_tx(&j, ssh_tx_get(s, 0), NULL);
    jb_close_object(&j);
    char *out = strdup(j.buf);
    jb_free(&j);
    return out;
}

static void assert_buf(const SshTx *tx, bool ts,
                       bool (*get)(const SshTx *, bool, const uint8_t **, uint32_t *),
                       const char *want)
{
    const uint8_t *p = NULL;
    uint32_t n = 0;
    if (!want) {
        assert_false(get(tx, ts, &p, &n));
        return;
    }
    assert_true(get(tx, ts, &p, &n));
    assert_int_equal(n, strlen(want));
    assert_memory_equal(p, want, n);
}

static const char *EVE_HASSH =
    "{\"ssh\":{\"client\":{\"proto_version\":\"2.0\",\"software_version\":\"OpenSSH_for_Windows_7.7\","
    "\"hassh\":{\"hash\":\"" CLI_HASSH "\",\"string\":\"";

static void check_full_session(SshState *s, bool hassh)
{
    SshTx *tx = ssh_tx_get(s, 0);
    assert_non_null(tx);
    assert_false(ssh_failed(s));
    assert_int_equal(ssh_tx_event_count(tx), 0);
    assert_true(ssh_tx_done(tx, true));
    assert_true(ssh_tx_done(tx, false));
    assert_true(ssh_encrypted(s));
    assert_buf(tx, true, ssh_tx_get_protover, "2.0");
    assert_buf(tx, false, ssh_tx_get_protover, "2.0");
    assert_buf(tx, true, ssh_tx_get_swver, "OpenSSH_for_Windows_7.7");
    assert_buf(tx, false, ssh_tx_get_swver, "OpenSSH_7.4");
    assert_buf(tx, true, ssh_tx_get_comments, NULL);
    char *e = eve(s);
    if (hassh) {
        assert_buf(tx, true, ssh_tx_get_hassh, CLI_HASSH);
        assert_buf(tx, false, ssh_tx_get_hassh, SRV_HASSH);
        char want[2048];
        snprintf(want, sizeof(want), "%s;%s;%s;%s", KEX_C, ENC_C, MAC, "none");
        assert_buf(tx, true, ssh_tx_get_hassh_string, want);
        snprintf(want, sizeof(want), "%s;%s;%s;%s", KEX_S, ENC_S, MAC, "none,zlib@openssh.com");
        assert_buf(tx, false, ssh_tx_get_hassh_string, want);
        assert_memory_equal(e, EVE_HASSH, strlen(EVE_HASSH));
        assert_non_null(strstr(e, "\"server\":{\"proto_version\":\"2.0\",\"software_version\":"
                                  "\"OpenSSH_7.4\",\"hassh\":{\"hash\":\"" SRV_HASSH "\""));
    } else {
        assert_buf(tx, true, ssh_tx_get_hassh, NULL);
        assert_buf(tx, false, ssh_tx_get_hassh_string, NULL);
        assert_string_equal(e,
            "{\"ssh\":{\"client\":{\"proto_version\":\"2.0\",\"software_version\":"
            "\"OpenSSH_for_Windows_7.7\"},\"server\":{\"proto_version\":\"2.0\","
            "\"software_version\":\"OpenSSH_7.4\"}}}");
    }
    free(e);
}

static void test_session_no_hassh(void **st)
{
    (void)st;
    Bytes c, s;
    session(&c, &s);
    SshState *ss = ssh_state_new();
    assert_false(ssh_tx_done(ssh_tx_get(ss, 0), true));
    feed(ss, true, &c, c.n);
    feed(ss, false, &s, s.n);
    check_full_session(ss, false);
    ssh_state_free(ss);
}

static void test_session_hassh_chunkings(void **st)
{
    (void)st;
    Bytes c, s;
    session(&c, &s);
    uint32_t chunks[] = { 1, 2, 3, 5, 7, 64, 100000 };
    for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
        SshState *ss = ssh_state_new();
        ssh_state_set_hassh(ss, true);
        feed(ss, true, &c, chunks[i]);
        feed(ss, false, &s, chunks[i]);
        check_full_session(ss, true);
        ssh_state_free(ss);
    }
}

static void test_session_every_split(void **st)
{
    (void)st;
    Bytes c, s;
    session(&c, &s);
    for (uint32_t cut = 1; cut < c.n; cut++) {
        SshState *ss = ssh_state_new();
        ssh_state_set_hassh(ss, true);
        ssh_parse(ss, true, c.d, cut, 0);
        ssh_parse(ss, false, s.d, cut < s.n ? cut : s.n, 0);
        ssh_parse(ss, true, c.d + cut, c.n - cut, 0);
        if (cut < s.n)
            ssh_parse(ss, false, s.d + cut, s.n - cut, 0);
        check_full_session(ss, true);
        ssh_state_free(ss);
    }
}

static void test_global_hassh_config(void **st)
{
    (void)st;
    Bytes c, s;
    session(&c, &s);
    ssh_config_set_hassh(true);
    assert_true(ssh_config_hassh());
    SshState *ss = ssh_state_new();
    ssh_config_set_hassh(false);
    feed(ss, true, &c, c.n);
    feed(ss, false, &s, s.n);
    check_full_session(ss, true);
    ssh_state_free(ss);
}

static SshState *one(bool ts, const char *data, bool hassh)
{
    SshState *ss = ssh_state_new();
    ssh_state_set_hassh(ss, hassh);
    ssh_parse(ss, ts, (const uint8_t *)data, (uint32_t)strlen(data), 0);
    return ss;
}

static void assert_events(SshState *ss, int ev)
{
    SshTx *tx = ssh_tx_get(ss, 0);
    if (ev < 0) {
        assert_int_equal(ssh_tx_event_count(tx), 0);
        return;
    }
    assert_int_equal(ssh_tx_event_count(tx), 1);
    assert_int_equal(ssh_tx_event_get(tx, 0), ev);
}

static void test_banner_variants(void **st)
{
    (void)st;
    SshState *ss = one(true, "SSH-1.99-Cisco-1.25 some comment here\r\n", false);
    SshTx *tx = ssh_tx_get(ss, 0);
    assert_buf(tx, true, ssh_tx_get_protover, "1.99");
    assert_buf(tx, true, ssh_tx_get_swver, "Cisco-1.25");
    assert_buf(tx, true, ssh_tx_get_comments, "some comment here");
    assert_int_equal(ssh_tx_progress(tx, true), SSH_STATE_BANNER_DONE);
    assert_int_equal(ssh_tx_progress(tx, false), SSH_STATE_IN_PROGRESS);
    assert_events(ss, -1);
    char *e = eve(ss);
    assert_string_equal(e, "{\"ssh\":{\"client\":{\"proto_version\":\"1.99\",\"software_version\":\"Cisco-1.25\"}}}");
    free(e);
    ssh_state_free(ss);

    /* LF only; empty software version is not logged */
    ss = one(false, "SSH-2.0-\n", false);
    tx = ssh_tx_get(ss, 0);
    assert_buf(tx, false, ssh_tx_get_protover, "2.0");
    assert_buf(tx, false, ssh_tx_get_swver, NULL);
    e = eve(ss);
    assert_string_equal(e, "{\"ssh\":{\"server\":{\"proto_version\":\"2.0\"}}}");
    free(e);
    ssh_state_free(ss);

    /* empty software version followed by text: the remainder is taken */
    ss = one(true, "SSH-2.0- odd\r\n", false);
    assert_buf(ssh_tx_get(ss, 0), true, ssh_tx_get_swver, " odd");
    ssh_state_free(ss);

    /* nothing seen: no EVE */
    ss = ssh_state_new();
    JsonBuf j;
    jb_init(&j);
    assert_false(ssh_log_tx(&j, ssh_tx_get(ss, 0), NULL));
    assert_int_equal(j.len, 0);
    jb_free(&j);
    ssh_state_free(ss);
}

static void test_invalid_banner(void **st)
{
    (void)st;
    const char *bad[] = { "HTTP/1.1 200 OK\r\n", "SSH-2.0\r\n", "SSH--x\r\n", "SSH-2.0-a\rb\r\n",
                          "SSH\n" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        SshState *ss = one(true, bad[i], false);
        assert_true(ssh_failed(ss));
        assert_events(ss, SSH_EVENT_INVALID_BANNER);
        /* further data is ignored */
        assert_false(ssh_parse(ss, false, (const uint8_t *)"SSH-2.0-x\r\n", 11, 0));
        assert_buf(ssh_tx_get(ss, 0), false, ssh_tx_get_protover, NULL);
        ssh_state_free(ss);
    }
}

static void test_long_banner_with_eol(void **st)
{
    (void)st;
    char line[400];
    memset(line, 0, sizeof(line));
    strcpy(line, "SSH-2.0-");
    memset(line + 8, 'A', 300);
    strcat(line, "\r\n");
    SshState *ss = ssh_state_new();
    for (size_t i = 0; i < strlen(line); i++)
        ssh_parse(ss, true, (const uint8_t *)line + i, 1, 0);
    assert_events(ss, SSH_EVENT_LONG_BANNER);
    const uint8_t *p;
    uint32_t n;
    assert_true(ssh_tx_get_swver(ssh_tx_get(ss, 0), true, &p, &n));
    assert_int_equal(n, 300);
    assert_int_equal(ssh_tx_progress(ssh_tx_get(ss, 0), true), SSH_STATE_BANNER_DONE);
    ssh_state_free(ss);

    /* 255 bytes is fine */
    memset(line, 0, sizeof(line));
    strcpy(line, "SSH-2.0-");
    memset(line + 8, 'B', 255 - 8);
    strcat(line, "\r\n");
    ss = one(true, line, false);
    assert_events(ss, -1);
    ssh_state_free(ss);
}

static void test_long_banner_without_eol(void **st)
{
    (void)st;
    uint32_t total = SSH_BANNER_BUFFER_MAX + 500;
    uint8_t *buf = malloc(total + 64);
    memcpy(buf, "SSH-2.0-Long", 12);
    memset(buf + 12, 'x', total - 12);
    memcpy(buf + total, "\r\n", 2);
    Bytes rec = { .n = 0 };
    put_newkeys(&rec);
    memcpy(buf + total + 2, rec.d, rec.n);
    uint32_t all = total + 2 + rec.n;
    uint32_t chunks[] = { 1, 1000, all };
    for (size_t i = 0; i < 3; i++) {
        SshState *ss = ssh_state_new();
        for (uint32_t off = 0; off < all; off += chunks[i])
            ssh_parse(ss, true, buf + off, all - off < chunks[i] ? all - off : chunks[i], 0);
        SshTx *tx = ssh_tx_get(ss, 0);
        assert_events(ss, SSH_EVENT_LONG_BANNER);
        assert_false(ssh_failed(ss));
        const uint8_t *p;
        uint32_t n;
        assert_true(ssh_tx_get_swver(tx, true, &p, &n));
        assert_int_equal(n, SSH_BANNER_BUFFER_MAX - 8);
        assert_int_equal(ssh_tx_progress(tx, true), SSH_STATE_FINISHED);
        ssh_state_free(ss);
    }
    free(buf);
}

static void test_invalid_record(void **st)
{
    (void)st;
    SshState *ss = one(true, "SSH-2.0-x\r\n", false);
    const uint8_t rec[] = { 0, 0, 0, 1, 0, 0 };
    assert_false(ssh_parse(ss, true, rec, sizeof(rec), 0));
    assert_true(ssh_failed(ss));
    assert_events(ss, SSH_EVENT_INVALID_RECORD);
    ssh_state_free(ss);
}

static void test_long_kex_record(void **st)
{
    (void)st;
    SshState *ss = one(true, "SSH-2.0-x\r\n", true);
    const uint8_t rec[] = { 0, 1, 0, 0, 4, 20 }; /* 65536 bytes */
    ssh_parse(ss, true, rec, sizeof(rec), 0);
    assert_events(ss, SSH_EVENT_LONG_KEX_RECORD);
    /* the body is skipped, the next record is framed */
    uint8_t *body = calloc(1, 65534);
    ssh_parse(ss, true, body, 65534, 0);
    free(body);
    Bytes nk = { .n = 0 };
    put_newkeys(&nk);
    ssh_parse(ss, true, nk.d, nk.n, 0);
    assert_int_equal(ssh_tx_progress(ssh_tx_get(ss, 0), true), SSH_STATE_FINISHED);
    assert_buf(ssh_tx_get(ss, 0), true, ssh_tx_get_hassh, NULL);
    ssh_state_free(ss);

    /* without hassh the record is just skipped */
    ss = one(true, "SSH-2.0-x\r\n", false);
    ssh_parse(ss, true, rec, sizeof(rec), 0);
    assert_events(ss, -1);
    ssh_state_free(ss);
}

static void test_truncated_kexinit(void **st)
{
    (void)st;
    SshState *ss = one(true, "SSH-2.0-x\r\n", true);
    Bytes b = { .n = 0 };
    uint8_t body[20] = { 0 };
    body[19] = 200; /* first name-list claims more than the record holds */
    put_record(&b, 20, body, sizeof(body));
    ssh_parse(ss, true, b.d, b.n, 0);
    assert_false(ssh_failed(ss));
    assert_events(ss, -1);
    assert_buf(ssh_tx_get(ss, 0), true, ssh_tx_get_hassh, NULL);
    ssh_state_free(ss);
}

static void test_gap_and_end(void **st)
{
    (void)st;
    SshState *ss = ssh_state_new();
    ssh_parse(ss, true, (const uint8_t *)"SSH-2.0-Op", 10, 0);
    ssh_gap(ss, true, 100);
    ssh_parse(ss, true, (const uint8_t *)"enSSH\r\n", 7, 0);
    SshTx *tx = ssh_tx_get(ss, 0);
    assert_buf(tx, true, ssh_tx_get_protover, NULL);
    assert_false(ssh_failed(ss));
    assert_false(ssh_tx_done(tx, true));
    ssh_end(ss, true);
    ssh_end(ss, false);
    assert_true(ssh_tx_done(tx, true));
    assert_true(ssh_tx_done(tx, false));
    assert_int_equal(ssh_tx_count(ss), 1);
    ssh_tx_release(ss, 0);
    assert_non_null(ssh_tx_get(ss, 0));
    ssh_tx_release(ss, 1);
    assert_null(ssh_tx_get(ss, 0));
    assert_null(ssh_tx_get(ss, 1));
    ssh_state_free(ss);
}

static void test_event_names(void **st)
{
    (void)st;
    assert_string_equal(ssh_event_name(SSH_EVENT_INVALID_BANNER), "invalid_banner");
    assert_string_equal(ssh_event_name(SSH_EVENT_LONG_BANNER), "long_banner");
    assert_string_equal(ssh_event_name(SSH_EVENT_INVALID_RECORD), "invalid_record");
    assert_string_equal(ssh_event_name(SSH_EVENT_LONG_KEX_RECORD), "long_kex_record");
    assert_null(ssh_event_name(SSH_EVENT_MAX));
    assert_null(ssh_event_name(-1));
    assert_int_equal(ssh_event_by_name("long_kex_record"), SSH_EVENT_LONG_KEX_RECORD);
    assert_int_equal(ssh_event_by_name("nope"), -1);
}

static void test_memcap(void **st)
{
    (void)st;
    uint64_t before = ssh_memcap_hits();
    ssh_config_set_memcap(ssh_memuse() + 16);
    SshState *ss = one(true, "SSH-2.0-this-is-a-long-enough-banner-line\r\n", false);
    assert_true(ssh_memcap_hits() > before);
    assert_true(ssh_failed(ss));
    ssh_state_free(ss);
    ssh_config_set_memcap(0);
    assert_int_equal(ssh_memuse(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_no_hassh),
        cmocka_unit_test(test_session_hassh_chunkings),
        cmocka_unit_test(test_session_every_split),
        cmocka_unit_test(test_global_hassh_config),
        cmocka_unit_test(test_banner_variants),
        cmocka_unit_test(test_invalid_banner),
        cmocka_unit_test(test_long_banner_with_eol),
        cmocka_unit_test(test_long_banner_without_eol),
        cmocka_unit_test(test_invalid_record),
        cmocka_unit_test(test_long_kex_record),
        cmocka_unit_test(test_truncated_kexinit),
        cmocka_unit_test(test_gap_and_end),
        cmocka_unit_test(test_event_names),
        cmocka_unit_test(test_memcap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
