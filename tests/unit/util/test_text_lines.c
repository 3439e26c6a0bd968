/*
 * Unit tests of the shared line-file helpers in util/text-lines: reading a
 * whole file (present, empty, missing), walking lines with CR stripping and
 * 1-based numbers (no final newline, blank lines, an embedded NUL ending the
 * text), the blank-or-comment test, and the reporting helper that counts
 * problems, keeps the first message and bounds its length.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/log.h"
#include "util/text-lines.h"

typedef struct Seen {
    char lines[8][64];
    int linenos[8];
    int n;
} Seen;

static void collect(void *ctx, char *line, int lineno)
{
    Seen *s = ctx;
    if (s->n < 8) {
        snprintf(s->lines[s->n], sizeof(s->lines[0]), "%s", line);
        s->linenos[s->n] = lineno;
        s->n++;
    }
    line[0] = 'X'; /* the line is the callback's own copy */
}

static void test_for_each_line(void **state)
{
    (void)state;
    Seen s = {0};
    const char *text = "a\r\n\nb c\rd\r\n  # x\r\r\nlast";
    od_text_for_each_line(text, collect, &s);
    assert_int_equal(s.n, 5);
    assert_string_equal(s.lines[0], "a");
    assert_string_equal(s.lines[1], "");
    assert_string_equal(s.lines[2], "b c\rd");
    assert_string_equal(s.lines[3], "  # x\r"); /* only one CR is dropped */
    assert_string_equal(s.lines[4], "last");
    for (int i = 0; i < 5; i++)
        assert_int_equal(s.linenos[i], i + 1);
    assert_string_equal(text, "a\r\n\nb c\rd\r\n  # x\r\r\nlast");

    memset(&s, 0, sizeof(s));
    od_text_for_each_line("one\n", collect, &s); /* no empty line after the last \n */
    assert_int_equal(s.n, 1);
    assert_string_equal(s.lines[0], "one");

    memset(&s, 0, sizeof(s));
    od_text_for_each_line("", collect, &s);
    od_text_for_each_line(NULL, collect, &s);
    assert_int_equal(s.n, 0);

    memset(&s, 0, sizeof(s));
    od_text_for_each_line("\r\n\n", collect, &s);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.lines[0], "");
    assert_int_equal(s.linenos[1], 2);
}

static void test_blank_or_comment(void **state)
{
    (void)state;
    assert_true(od_text_is_blank_or_comment(""));
    assert_true(od_text_is_blank_or_comment(" \t\r"));
    assert_true(od_text_is_blank_or_comment("#x"));
    assert_true(od_text_is_blank_or_comment("   # config x"));
    assert_false(od_text_is_blank_or_comment("config # x"));
    assert_false(od_text_is_blank_or_comment(" a"));
}

static void test_read_text_file(void **state)
{
    (void)state;
    char path[] = "/tmp/odlar-text-lines-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    /* larger than one read chunk and the first buffer, with a NUL inside */
    size_t total = 20000;
    char *data = malloc(total);
    assert_non_null(data);
    for (size_t i = 0; i < total; i++)
        data[i] = (char)('a' + i % 26);
    data[15000] = '\0';
    assert_int_equal(write(fd, data, total), (ssize_t)total);
    close(fd);

    size_t len = 1;
    int err = -1;
    char *buf = od_read_text_file(path, &len, &err);
    assert_non_null(buf);
    assert_int_equal(err, 0);
    assert_int_equal(len, total);
    assert_memory_equal(buf, data, total);
    assert_int_equal(buf[total], '\0');
    assert_int_equal(strlen(buf), 15000);
    free(buf);

    FILE *f = fopen(path, "w"); /* empty file: "" rather than NULL */
    assert_non_null(f);
    fclose(f);
    buf = od_read_text_file(path, &len, &err);
    assert_non_null(buf);
    assert_int_equal(len, 0);
    assert_string_equal(buf, "");
    free(buf);

    unlink(path);
    buf = od_read_text_file(path, &len, &err);
    assert_null(buf);
    assert_int_equal(err, ENOENT);
    assert_null(od_read_text_file(path, NULL, NULL));
    free(data);
}

static void test_report(void **state)
{
    (void)state;
    od_log_set_level(LOG_LVL_ERROR);
    unsigned errors = 0;
    char err[64] = "untouched";
    od_text_report(&errors, 1024, true, err, sizeof(err), "%s:%d: first", "f", 3);
    assert_int_equal(errors, 1);
    assert_string_equal(err, "f:3: first");
    od_text_report(&errors, 1024, false, err, sizeof(err), "second");
    assert_int_equal(errors, 2);
    assert_string_equal(err, "f:3: first"); /* only the first is kept */

    errors = 0;
    od_text_report(&errors, 1024, false, NULL, 0, "no buffer");
    assert_int_equal(errors, 1);

    /* the message is bounded by msg_max before it is copied */
    errors = 0;
    od_text_report(&errors, 5, false, err, sizeof(err), "abcdefgh");
    assert_string_equal(err, "abcd");
    char big[OD_TEXT_REPORT_MAX + 100];
    memset(big, 'y', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    char out[OD_TEXT_REPORT_MAX + 100];
    errors = 0;
    od_text_report(&errors, 0, false, out, sizeof(out), "%s", big);
    assert_int_equal(strlen(out), OD_TEXT_REPORT_MAX - 1);
    errors = 0;
    od_text_report(&errors, 1024, false, out, sizeof(out), "%s", big);
    assert_int_equal(strlen(out), 1023);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_for_each_line),
        cmocka_unit_test(test_blank_or_comment),
        cmocka_unit_test(test_read_text_file),
        cmocka_unit_test(test_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
