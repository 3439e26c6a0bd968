/*
 * Unit tests of the application-layer file tracker (src/app/file.c): size
 * and digests over data fed in pieces (checked against known MD5/SHA-1/
 * SHA-256 values), gaps (no more hashing, TRUNCATED at close, MD5/SHA-1 not
 * reported), explicit truncation, several files per container, the memory
 * cap and its counter, the configuration reader (force-hash lists,
 * file-store), and the file store (content under its SHA-256 name, the
 * .json beside it).
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
    hex(f->sha256, 32, s); /* nothing was hashed after the gap */
    assert_string_equal(s, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_string_equal(app_file_state_name(f->state), "TRUNCATED");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hashes_in_pieces),
        cmocka_unit_test(test_gap_truncates),
        cmocka_unit_test(test_several_files_and_close_all),
        cmocka_unit_test(test_memcap),
        cmocka_unit_test(test_configure),
        cmocka_unit_test(test_filestore_force),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
