/*
 * Unit tests of tcp-data.log chunks: the header naming flow and direction,
 * the hex dump's columns for full, half and short lines, and chunks going
 * through the record queue to their own target file.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "output/tcp-data-log.h"

static Flow make_flow(void)
{
    Flow f;
    memset(&f, 0, sizeof(f));
    f.src.family = f.dst.family = 4;
    inet_pton(AF_INET, "10.16.1.11", f.src.addr);
    inet_pton(AF_INET, "104.131.202.103", f.dst.addr);
    f.sp = 59733;
    f.dp = 80;
    f.proto = 6;
    return f;
}

static char *format(const Flow *f, bool to_server, const char *data, uint32_t len)
{
    size_t need = tcp_data_log_format(NULL, 0, f, to_server, (const uint8_t *)data, len);
    char *buf = calloc(1, need + 1);
    size_t n = tcp_data_log_format(buf, need, f, to_server, (const uint8_t *)data, len);
    assert_true(n <= need);
    buf[n] = '\0';
    return buf;
}

static void test_full_and_short_lines(void **state)
{
    (void)state;
    Flow f = make_flow();
    char *s = format(&f, true, "GET /base64-hello-world.txt\r\n", 29);
    assert_string_equal(s, "10.16.1.11_59733-104.131.202.103_80-ts:\n"
                           " 0000  47 45 54 20 2F 62 61 73  65 36 34 2D 68 65 6C 6C   GET /bas e64-hell\n"
                           " 0010  6F 2D 77 6F 72 6C 64 2E  74 78 74 0D 0A            o-world. txt..\n");
    free(s);
    /* fewer than eight bytes: one more space where the middle one would be */
    s = format(&f, false, "ok\n", 3);
    assert_string_equal(s, "10.16.1.11_59733-104.131.202.103_80-tc:\n"
                           " 0000  6F 6B 0A                                           ok.\n");
    free(s);
    /* exactly sixteen bytes: no extra newline */
    s = format(&f, true, "0123456789abcdef", 16);
    assert_string_equal(s, "10.16.1.11_59733-104.131.202.103_80-ts:\n"
                           " 0000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66   01234567 89abcdef\n");
    free(s);
}

static void test_chunks_to_their_file(void **state)
{
    (void)state;
    Flow f = make_flow();
    RecordQueue q;
    record_queue_init(&q);
    record_queue_set_key(&q, 2, RECORD_PHASE_PACKET, 0, 0);
    tcp_data_log_chunk(&q, &f, false, (const uint8_t *)"B", 1);
    record_queue_set_key(&q, 1, RECORD_PHASE_PACKET, 0, 0);
    tcp_data_log_chunk(&q, &f, true, (const uint8_t *)"A", 1);
    tcp_data_log_chunk(&q, &f, true, (const uint8_t *)"", 0); /* nothing */
    record_queue_add(&q, RECORD_TARGET_EVE, "{}\n", 3);
    char *text = NULL, *eve_text = NULL;
    size_t text_len = 0, eve_len = 0;
    FILE *tcp = open_memstream(&text, &text_len), *eve = open_memstream(&eve_text, &eve_len);
    FILE *files[RECORD_TARGET_COUNT] = { [RECORD_TARGET_EVE] = eve, [RECORD_TARGET_TCP_DATA] = tcp };
    RecordQueue *qs[1] = { &q };
    assert_true(record_queues_write_targets(qs, 1, files));
    fclose(tcp);
    fclose(eve);
    assert_string_equal(text, "10.16.1.11_59733-104.131.202.103_80-ts:\n"
                              " 0000  41                                                 A\n"
                              "10.16.1.11_59733-104.131.202.103_80-tc:\n"
                              " 0000  42                                                 B\n");
    assert_string_equal(eve_text, "{}\n");
    free(text);
    free(eve_text);
    record_queue_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_and_short_lines),
        cmocka_unit_test(test_chunks_to_their_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
