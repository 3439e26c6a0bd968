/*
 * Unit tests of alert stream payloads with holes written in: the holes a
 * flow's detection window records as the stream stage reports them
 * (detect_stream_gap), how they move when the window drops inspected
 * bytes, and the text eve_stream_with_gaps makes of them. Also the
 * eve-log alert payload-buffer-size that caps stream payloads: 4 KiB by
 * default, Suricata's size units, a 0 refused (the default kept).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "detect/detect.h"
#include "conf/conf.h"
#include "output/eve-alert.h"
#include "output/eve-stream-gaps.h"

static char *shown(const DetectStreamDir *d, uint32_t base)
{
    uint32_t n = d->len - base;
    uint8_t *out = eve_stream_with_gaps(d->buf + base, &n, d->gaps, d->gap_count, base);
    if (out == NULL) {
        char *plain = calloc(1, d->len - base + 1);
        memcpy(plain, d->buf + base, d->len - base);
        return plain;
    }
    char *s = calloc(1, n + 1);
    memcpy(s, out, n);
    free(out);
    return s;
}

static void test_middle_and_leading_gaps(void **state)
{
    (void)state;
    Flow f;
    memset(&f, 0, sizeof(f));
    detect_stream_gap(&f, true, 4); /* first segment never seen */
    detect_stream_data(&f, true, (const uint8_t *)"GOOD", 4);
    detect_stream_gap(&f, true, 2); /* two holes in a row are one */
    detect_stream_gap(&f, true, 2);
    detect_stream_data(&f, true, (const uint8_t *)"DATA", 4);
    const DetectStreamDir *d = &f.detect->dir[0];
    assert_int_equal(d->gap_count, 2);
    char *s = shown(d, 0);
    assert_string_equal(s, "[4 bytes missing]GOOD[4 bytes missing]DATA");
    free(s);
    /* a window starting after the first hole shows only the second */
    s = shown(d, 2);
    assert_string_equal(s, "OD[4 bytes missing]DATA");
    free(s);
    /* the other direction has no holes: no copy */
    detect_stream_data(&f, false, (const uint8_t *)"REPLY", 5);
    uint32_t n = 5;
    assert_null(eve_stream_with_gaps(f.detect->dir[1].buf, &n, f.detect->dir[1].gaps, f.detect->dir[1].gap_count, 0));
    assert_int_equal(n, 5);
    detect_flow_free(&f);
}

static void test_gaps_follow_dropped_bytes(void **state)
{
    (void)state;
    Flow f;
    memset(&f, 0, sizeof(f));
    static uint8_t chunk[4096];
    memset(chunk, 'a', sizeof(chunk));
    detect_stream_data(&f, true, (const uint8_t *)"VERY", 4);
    detect_stream_gap(&f, true, 7);
    detect_stream_data(&f, true, chunk, 100);
    DetectStreamDir *d = &f.detect->dir[0];
    d->inspected = d->len; /* everything inspected: the next growth drops it */
    detect_stream_gap(&f, true, 9);
    detect_stream_data(&f, true, chunk, sizeof(chunk));
    assert_int_equal(d->inspected, 0);
    assert_int_equal(d->gap_count, 1); /* the hole after VERY went with it */
    assert_int_equal(d->gaps[0].pos, 0);
    assert_int_equal(d->gaps[0].len, 9);
    char *s = shown(d, 0);
    assert_memory_equal(s, "[9 bytes missing]aaaa", 21);
    assert_int_equal(strlen(s), 17 + sizeof(chunk));
    free(s);
    detect_flow_free(&f);
}

static uint32_t buffer_size_of(const char *alert_options)
{
    char yaml[512], err[256];
    snprintf(yaml, sizeof(yaml),
             "outputs:\n  - eve-log:\n      enabled: yes\n      types:\n        - alert:\n%s", alert_options);
    Conf *c = conf_new_empty();
    assert_non_null(c);
    assert_true(conf_load_string(c, yaml, "test", err, sizeof(err)));
    EveAlertConfig cfg;
    eve_alert_config_read(c, &cfg);
    conf_free(c);
    return cfg.payload_buffer_size;
}

static void test_payload_buffer_size_read(void **st)
{
    (void)st;
    EveAlertConfig cfg;
    eve_alert_config_read(NULL, &cfg);
    assert_int_equal(cfg.payload_buffer_size, 4096);
    assert_int_equal(buffer_size_of("            payload: yes\n"), 4096);
    assert_int_equal(buffer_size_of("            payload-buffer-size: 1kb\n"), 1024);
    assert_int_equal(buffer_size_of("            payload-buffer-size: 100\n"), 100);
    assert_int_equal(buffer_size_of("            payload-buffer-size: 0\n"), 4096);
    assert_int_equal(eve_stream_payload_limit(buffer_size_of("            payload-buffer-size: 2kb\n")), 2047);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_middle_and_leading_gaps),
        cmocka_unit_test(test_gaps_follow_dropped_bytes),
        cmocka_unit_test(test_payload_buffer_size_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
