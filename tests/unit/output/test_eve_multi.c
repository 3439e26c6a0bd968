/*
 * Unit tests of several eve-log outputs: each record goes to the outputs
 * whose `types` list its event type (fileinfo to `files`), directly or
 * through a worker's record queue, while the types of all outputs are
 * switched on; a single output keeps every record.
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

#include "output/eve.h"

static const char *const YAML = "%YAML 1.1\n---\noutputs:\n"
                                "  - eve-log:\n      enabled: yes\n      filename: a.json\n"
                                "      types:\n        - alert\n        - drop\n"
                                "  - fast:\n      enabled: no\n"
                                "  - eve-log:\n      enabled: yes\n      filename: b.json\n"
                                "      types:\n        - flow\n        - files\n        - alert\n"
                                "  - eve-log:\n      enabled: no\n      filename: c.json\n"
                                "      types:\n        - stats\n";

static void write_raw(Eve *eve, const char *record)
{
    JsonBuf j;
    jb_init(&j);
    jb_append(&j, record, strlen(record));
    eve_write_record(eve, &j, false);
    jb_free(&j);
}

static long lines_of(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[512];
    long n = 0;
    while (fgets(line, sizeof(line), f))
        if (strstr(line, needle))
            n++;
    fclose(f);
    return n;
}

static void test_routes(void **state)
{
    (void)state;
    char dir[] = "/tmp/odlar-eve-multi-XXXXXX";
    assert_non_null(mkdtemp(dir));
    Conf *c = conf_new_empty();
    char err[256] = "";
    assert_true(conf_load_string(c, YAML, "test", err, sizeof(err)));
    EveConfig cfg;
    assert_true(eve_config_read(c, dir, &cfg, err, sizeof(err)));
    assert_int_equal(cfg.output_count, 2);
    assert_true(cfg.alert && cfg.flow);
    assert_false(cfg.stats); /* only the disabled output wanted it */
    assert_true(eve_type_enabled(&cfg, "files", NULL));
    Eve eve;
    assert_true(eve_open(&eve, &cfg, err, sizeof(err)));
    write_raw(&eve, "{\"timestamp\":\"x\",\"event_type\":\"alert\"");
    write_raw(&eve, "{\"timestamp\":\"x\",\"event_type\":\"drop\"");
    write_raw(&eve, "{\"timestamp\":\"x\",\"event_type\":\"flow\"");
    write_raw(&eve, "{\"timestamp\":\"x\",\"event_type\":\"fileinfo\"");
    /* through a queue, as workers write */
    RecordQueue q;
    record_queue_init(&q);
    Eve worker = eve;
    worker.queue = &q;
    write_raw(&worker, "{\"event_type\":\"flow\",\"queued\":1");
    FILE *files[RECORD_TARGET_COUNT] = { [RECORD_TARGET_EVE] = eve.file, [RECORD_TARGET_EVE_MORE] = eve.more[0] };
    RecordQueue *qs[1] = { &q };
    assert_true(record_queues_write_targets(qs, 1, files));
    record_queue_free(&q);
    eve_close(&eve);

    char a[512], b[512];
    snprintf(a, sizeof(a), "%s/a.json", dir);
    snprintf(b, sizeof(b), "%s/b.json", dir);
    assert_int_equal(lines_of(a, "\"alert\""), 1);
    assert_int_equal(lines_of(a, "\"drop\""), 1);
    assert_int_equal(lines_of(a, "\"flow\""), 0);
    assert_int_equal(lines_of(b, "\"alert\""), 1);
    assert_int_equal(lines_of(b, "\"drop\""), 0);
    assert_int_equal(lines_of(b, "\"flow\""), 2);
    assert_int_equal(lines_of(b, "\"fileinfo\""), 1);
    unlink(a);
    unlink(b);
    rmdir(dir);
    conf_free(c);
}

static void test_single_output_keeps_all(void **state)
{
    (void)state;
    Conf *c = conf_new_empty();
    char err[256] = "";
    assert_true(conf_load_string(c, "%YAML 1.1\n---\noutputs:\n  - eve-log:\n      enabled: yes\n"
                                    "      types:\n        - alert\n",
                                 "test", err, sizeof(err)));
    EveConfig cfg;
    assert_true(eve_config_read(c, "/tmp", &cfg, err, sizeof(err)));
    assert_true(cfg.output_count <= 1);
    conf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes),
        cmocka_unit_test(test_single_output_keeps_all),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
