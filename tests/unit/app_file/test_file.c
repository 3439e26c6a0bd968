/*
 * Unit tests of the application-layer file tracker (src/app/file.c): size
 * and digests over data fed in pieces (checked against known MD5/SHA-1/
 * SHA-256 values), gaps (hashing skips the hole, TRUNCATED at close,
 * MD5/SHA-1 not reported), explicit truncation, a file whose stream
 * reached the reassembly depth (its close is TRUNCATED, its content kept),
 * several files per container, the memory
 * cap and its counter, the configuration reader (force-hash lists,
 * file-store), and the file store (content under its SHA-256 name, the
 * .json beside it), including storing on request (the filestore keyword):
 * content kept until a rule asks, even after close, per-flow file ids,
 * containers whose later files are all stored, and the keep limit; and
 * the fileinfo object and the alerts' files array (stored / storing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app/file.h"
#include "conf/conf.h"
#include "output/eve-fileinfo.h"
#include "output/filestore.h"

static void hex(const uint8_t *d, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

static void set_hashes(uint32_t h, uint64_t memcap)
{
    AppFileConfig c = { .hashes = h, .memcap = memcap };
    app_file_config_set(&c);
}

static void test_hashes_in_pieces(void **st)
{
    (void)st;
    set_hashes(APP_FILE_MD5 | APP_FILE_SHA1 | APP_FILE_SHA256, 0);
    AppFileContainer c = { 0 };
    AppFile *f = app_file_open(&c, (const uint8_t *)"a.txt", 5);
    assert_non_null(f);
    assert_ptr_equal(app_file_current(&c), f);
    app_file_append(f, (const uint8_t *)"ab", 2);
    app_file_append(f, (const uint8_t *)"c", 1);
    assert_false(app_file_hash_ready(f, APP_FILE_MD5));
    app_file_close(f, APP_FILE_CLOSED);
    assert_null(app_file_current(&c));
    assert_int_equal(f->state, APP_FILE_CLOSED);
    assert_int_equal(f->size, 3);
    char s[65];
    assert_true(app_file_hash_ready(f, APP_FILE_MD5));
    hex(f->md5, 16, s);
    assert_string_equal(s, "900150983cd24fb0d6963f7d28e17f72");
    hex(f->sha1, 20, s);
    assert_string_equal(s, "a9993e364706816aba3e25717850c26c9cd0d89d");
    hex(f->sha256, 32, s);
    assert_string_equal(s, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    /* data after close is ignored */
    app_file_append(f, (const uint8_t *)"d", 1);
    assert_int_equal(f->size, 3);
    app_file_container_free(&c);
    assert_int_equal(app_file_memuse(), 0);
}

static void test_gap_truncates(void **st)
{
    (void)st;
    set_hashes(APP_FILE_MD5 | APP_FILE_SHA256, 0);
    AppFileContainer c = { 0 };
    AppFile *f = app_file_open(&c, (const uint8_t *)"g", 1);
    app_file_gap(f, 10);
    app_file_append(f, (const uint8_t *)"xy", 2);
    app_file_close(f, APP_FILE_CLOSED);
    assert_true(f->gaps);
    assert_int_equal(f->size, 12);
    assert_int_equal(f->state, APP_FILE_TRUNCATED);
    assert_false(app_file_hash_ready(f, APP_FILE_MD5));
    assert_true(app_file_hash_ready(f, APP_FILE_SHA256));
    char s[65];
    hex(f->sha256, 32, s); /* the bytes around the hole, as Suricata 8 */
    assert_string_equal(s, "769a4e6d0003189c7e96c5d9b7e810a0d11c3a12832527ec94b0f86d277f51ca");
    assert_string_equal(app_file_state_name(f->state), "TRUNCATED");
    app_file_container_free(&c);
}

static void test_depth_cut_truncates(void **st)
{
    (void)st;
    set_hashes(0, 0);
    AppFileContainer c = { 0 };
    AppFile *f = app_file_open(&c, (const uint8_t *)"d", 1);
    AppFile *g = app_file_open(&c, (const uint8_t *)"e", 1);
    app_file_append(f, (const uint8_t *)"abc", 3);
    f->depth_cut = true; /* app-layer.c: the stream reached its depth */
    app_file_append(f, (const uint8_t *)"de", 2); /* what the parser still held */
    app_file_close(f, APP_FILE_CLOSED);
    app_file_close(g, APP_FILE_CLOSED);
    assert_int_equal(f->size, 5);
    assert_false(f->gaps);
    assert_int_equal(f->state, APP_FILE_TRUNCATED);
    assert_int_equal(g->state, APP_FILE_CLOSED);
    app_file_container_free(&c);
}

static void test_several_files_and_close_all(void **st)
{
    (void)st;
    set_hashes(0, 0);
    AppFileContainer c = { 0 };
    AppFile *a = app_file_open(&c, (const uint8_t *)"a", 1);
    app_file_append(a, (const uint8_t *)"1234", 4);
    app_file_close(a, APP_FILE_CLOSED);
    AppFile *b = app_file_open(&c, (const uint8_t *)"b", 1);
    app_file_append(b, (const uint8_t *)"12", 2);
    assert_int_equal(c.count, 2);
    app_file_close_all(&c, APP_FILE_TRUNCATED);
    assert_int_equal(a->state, APP_FILE_CLOSED);
    assert_int_equal(b->state, APP_FILE_TRUNCATED);
    assert_false(app_file_hash_ready(a, APP_FILE_SHA256)); /* not computed */
    app_file_container_free(&c);
    assert_null(c.head);
}

static void test_memcap(void **st)
{
    (void)st;
    set_hashes(0, sizeof(AppFile) + 64);
    uint64_t hits = app_file_memcap_hits();
    AppFileContainer c = { 0 };
    assert_non_null(app_file_open(&c, (const uint8_t *)"x", 1));
    assert_null(app_file_open(&c, (const uint8_t *)"y", 1));
    assert_int_equal(app_file_memcap_hits(), hits + 1);
    assert_true(app_file_memuse() > 0);
    app_file_container_free(&c);
    assert_int_equal(app_file_memuse(), 0);
    set_hashes(0, 0);
}

static void test_configure(void **st)
{
    (void)st;
    set_hashes(0, 0);
    Conf *conf = conf_new_empty();
    char err[256];
    assert_true(conf_load_string(conf,
                                 "%YAML 1.1\n---\noutputs:\n  - eve-log:\n      types:\n        - alert\n"
                                 "        - files:\n            force-hash: [md5, sha1]\n"
                                 "  - file-store:\n      enabled: yes\n",
                                 "t", err, sizeof(err)));
    app_file_configure(conf);
    assert_int_equal(app_file_config()->hashes, APP_FILE_MD5 | APP_FILE_SHA1 | APP_FILE_SHA256);
    conf_free(conf);
    set_hashes(0, 0);
    app_file_configure(NULL);
    assert_int_equal(app_file_config()->hashes, 0);
    app_file_config_add_hashes(APP_FILE_MD5);
    app_file_configure(NULL); /* rules' digests survive a re-read */
    assert_int_equal(app_file_config()->hashes, APP_FILE_MD5);
    set_hashes(0, 0);
}

static void test_filestore_force(void **st)
{
    (void)st;
    char dir[] = "/tmp/odlar-fs-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char yaml[1024];
    snprintf(yaml, sizeof(yaml),
             "%%YAML 1.1\n---\ndefault-log-dir: %s\noutputs:\n  - file-store:\n      version: 2\n"
             "      enabled: yes\n      force-filestore: yes\n      write-fileinfo: yes\n",
             dir);
    Conf *conf = conf_new_empty();
    char err[256];
    assert_true(conf_load_string(conf, yaml, "t", err, sizeof(err)));
    set_hashes(0, 0);
    app_file_configure(conf);
    assert_true(app_file_config()->hashes & APP_FILE_SHA256);
    AppFileContainer c = { 0 };
    AppFile *f = app_file_open(&c, (const uint8_t *)"abc.txt", 7);
    f->last_time = (int64_t)1515441287 * 1000000;
    app_file_append(f, (const uint8_t *)"a", 1);
    app_file_append(f, (const uint8_t *)"bc", 2);
    app_file_close(f, APP_FILE_CLOSED);
    assert_true(f->stored);
    assert_true(f->file_id >= 1);
    char path[512];
    snprintf(path, sizeof(path), "%s/filestore/ba/ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
             dir);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char got[8] = { 0 };
    assert_int_equal(fread(got, 1, sizeof(got), fp), 3);
    fclose(fp);
    assert_string_equal(got, "abc");
    filestore_write_fileinfo(f, "{}\n", 3);
    snprintf(path + strlen(path), sizeof(path) - strlen(path), ".1515441287.%u.json", f->file_id);
    fp = fopen(path, "rb");
    assert_non_null(fp);
    fclose(fp);
    assert_int_equal(filestore_fs_errors(), 0);
    app_file_container_free(&c);
    conf_free(conf);
    app_file_set_store(NULL, false);
    set_hashes(0, 0);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* A file-store configuration under a fresh folder (dir gets its path). */
static Conf *store_conf(char *dir, bool force)
{
    assert_non_null(mkdtemp(dir));
    char yaml[1024];
    snprintf(yaml, sizeof(yaml),
             "%%YAML 1.1\n---\ndefault-log-dir: %s\noutputs:\n  - file-store:\n      version: 2\n"
             "      enabled: yes\n      force-filestore: %s\n",
             dir, force ? "yes" : "no");
    Conf *conf = conf_new_empty();
    char err[256];
    assert_true(conf_load_string(conf, yaml, "t", err, sizeof(err)));
    set_hashes(0, 0);
    app_file_configure(conf);
    return conf;
}

static void store_cleanup(Conf *conf, const char *dir)
{
    conf_free(conf);
    app_file_set_store(NULL, false);
    app_file_set_store_rules(false);
    set_hashes(0, 0);
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

static bool stored_as(const char *dir, const char *sha256, const char *want)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/filestore/%.2s/%s", dir, sha256, sha256);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    char got[64] = { 0 };
    size_t n = fread(got, 1, sizeof(got) - 1, fp);
    fclose(fp);
    return n == strlen(want) && memcmp(got, want, n) == 0;
}

#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
/* sha256("xyz") */
#define SHA256_XYZ "3608bca1e44ea6c4d268eb6db02260269892c0b42b86bbf1e77a6fa16c3c9282"

static void test_store_on_request_after_close(void **st)
{
    (void)st;
    char dir[] = "/tmp/odlar-fs-XXXXXX";
    Conf *conf = store_conf(dir, false);
    assert_false(app_file_store_by_rules());
    app_file_set_store_rules(true);
    assert_true(app_file_store_by_rules());
    uint32_t flow_ids = 0;
    AppFileContainer a = { .id_seq = &flow_ids }, b = { .id_seq = &flow_ids };
    AppFile *f = app_file_open(&a, (const uint8_t *)"abc.txt", 7);
    AppFile *g = app_file_open(&b, (const uint8_t *)"xyz.txt", 7);
    AppFile *h = app_file_open(&b, (const uint8_t *)"no.txt", 6);
    assert_non_null(f);
    assert_non_null(g);
    assert_non_null(h);
    app_file_append(f, (const uint8_t *)"a", 1);
    app_file_append(f, (const uint8_t *)"bc", 2);
    app_file_close(f, APP_FILE_CLOSED);
    assert_false(f->stored); /* nobody asked yet */
    assert_int_equal(f->kept_len, 3);
    app_file_append(g, (const uint8_t *)"x", 1);
    app_file_store(g); /* asked while open: the rest goes straight to the store */
    assert_int_equal(g->kept_len, 0);
    app_file_append(g, (const uint8_t *)"yz", 2);
    app_file_store(f); /* asked after close: written out at once */
    assert_true(f->stored);
    assert_int_equal(f->file_id, 1);
    assert_true(stored_as(dir, SHA256_ABC, "abc"));
    app_file_close(g, APP_FILE_CLOSED);
    assert_true(g->stored);
    assert_int_equal(g->file_id, 2); /* the flow's second stored file */
    assert_true(stored_as(dir, SHA256_XYZ, "xyz"));
    app_file_append(h, (const uint8_t *)"zzz", 3);
    app_file_close(h, APP_FILE_CLOSED);
    app_file_drop_kept(h);
    assert_int_equal(h->kept_len, 0);
    assert_false(h->stored);
    app_file_store(f); /* asking twice changes nothing */
    assert_int_equal(f->file_id, 1);
    app_file_container_free(&a);
    app_file_container_free(&b);
    assert_int_equal(app_file_memuse(), 0);
    store_cleanup(conf, dir);
}

static void test_store_all_and_later_files(void **st)
{
    (void)st;
    char dir[] = "/tmp/odlar-fs-XXXXXX";
    Conf *conf = store_conf(dir, false);
    app_file_set_store_rules(true);
    AppFileContainer c = { 0 };
    AppFile *f = app_file_open(&c, (const uint8_t *)"one", 3);
    app_file_append(f, (const uint8_t *)"abc", 3);
    app_file_store_all(&c, true);
    AppFile *g = app_file_open(&c, (const uint8_t *)"two", 3);
    assert_true(g->store_asked);
    app_file_append(g, (const uint8_t *)"xyz", 3);
    app_file_close_all(&c, APP_FILE_CLOSED);
    assert_true(f->stored);
    assert_true(g->stored);
    assert_int_equal(f->file_id, 1); /* no flow counter: the container's own */
    assert_int_equal(g->file_id, 2);
    assert_true(stored_as(dir, SHA256_XYZ, "xyz"));
    app_file_container_free(&c);
    store_cleanup(conf, dir);
}

static void test_keep_refused_by_memcap(void **st)
{
    (void)st;
    char dir[] = "/tmp/odlar-fs-XXXXXX";
    Conf *conf = store_conf(dir, false);
    app_file_set_store_rules(true);
    AppFileConfig cfg = *app_file_config();
    cfg.memcap = 2048; /* room for the record, not for 4 KiB of content */
    app_file_config_set(&cfg);
    AppFileContainer c = { 0 };
    AppFile *f = app_file_open(&c, (const uint8_t *)"big", 3);
    assert_non_null(f);
    app_file_append(f, (const uint8_t *)"abc", 3);
    assert_true(f->kept_overflow);
    assert_int_equal(f->kept_len, 0);
    app_file_close(f, APP_FILE_CLOSED);
    app_file_store(f);
    assert_false(f->stored); /* the start is gone: not stored */
    app_file_container_free(&c);
    assert_int_equal(app_file_memuse(), 0);
    store_cleanup(conf, dir);
}

static void test_no_keeping_without_rules_or_with_force(void **st)
{
    (void)st;
    char dir[] = "/tmp/odlar-fs-XXXXXX";
    Conf *conf = store_conf(dir, true);
    app_file_set_store_rules(true);
    assert_false(app_file_store_by_rules()); /* force-filestore stores all anyway */
    AppFileContainer c = { 0 };
    AppFile *f = app_file_open(&c, (const uint8_t *)"a", 1);
    app_file_append(f, (const uint8_t *)"abc", 3);
    assert_int_equal(f->kept_len, 0);
    app_file_close(f, APP_FILE_CLOSED);
    assert_true(f->stored);
    app_file_container_free(&c);
    store_cleanup(conf, dir);
    AppFileContainer d = { 0 };
    f = app_file_open(&d, (const uint8_t *)"a", 1);
    app_file_append(f, (const uint8_t *)"abc", 3);
    assert_int_equal(f->kept_len, 0); /* no store installed */
    app_file_container_free(&d);
}

static void test_fileinfo_json(void **st)
{
    (void)st;
    set_hashes(0, 0);
    AppFileContainer c = { 0 };
    AppFile *f = app_file_open(&c, (const uint8_t *)"a.exe", 5);
    app_file_append(f, (const uint8_t *)"MZ", 2);
    app_file_close(f, APP_FILE_CLOSED);
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    eve_fileinfo_array(&j, &c, 3);
    jb_close_object(&j);
    assert_non_null(strstr(j.buf, "\"files\":[{\"filename\":\"a.exe\""));
    assert_non_null(strstr(j.buf, "\"stored\":false,\"size\":2,\"tx_id\":3}]"));
    /* asked for by a rule, fileinfo not out yet: storing in alerts */
    f->store_asked = true;
    f->stored = true;
    f->file_id = 7;
    jb_reset(&j);
    jb_open_object(&j, NULL);
    eve_fileinfo_array(&j, &c, 3);
    jb_close_object(&j);
    assert_non_null(strstr(j.buf, "\"stored\":false,\"storing\":true"));
    /* the fileinfo record itself says stored, with the id */
    jb_reset(&j);
    jb_open_object(&j, NULL);
    eve_fileinfo_object(&j, f, 3);
    jb_close_object(&j);
    assert_non_null(strstr(j.buf, "\"stored\":true,\"file_id\":7"));
    f->logged = true;
    jb_reset(&j);
    jb_open_object(&j, NULL);
    eve_fileinfo_array(&j, &c, 3);
    jb_close_object(&j);
    assert_non_null(strstr(j.buf, "\"stored\":true,\"file_id\":7"));
    /* no files: no array */
    AppFileContainer empty = { 0 };
    jb_reset(&j);
    eve_fileinfo_array(&j, &empty, 0);
    assert_int_equal(j.len, 0);
    jb_free(&j);
    app_file_container_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hashes_in_pieces),
        cmocka_unit_test(test_gap_truncates),
        cmocka_unit_test(test_depth_cut_truncates),
        cmocka_unit_test(test_several_files_and_close_all),
        cmocka_unit_test(test_memcap),
        cmocka_unit_test(test_configure),
        cmocka_unit_test(test_filestore_force),
        cmocka_unit_test(test_store_on_request_after_close),
        cmocka_unit_test(test_store_all_and_later_files),
        cmocka_unit_test(test_keep_refused_by_memcap),
        cmocka_unit_test(test_no_keeping_without_rules_or_with_force),
        cmocka_unit_test(test_fileinfo_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
