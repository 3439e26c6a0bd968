/*
 * Unit tests of the packet headers kept with stored TCP segments for
 * pcap-log's conditional modes (stream-segment-dump.c): nothing is kept
 * unless the thread asks; kept, the session's segments come back with
 * their packet's headers, time and bytes, both directions merged by packet
 * time; the memory they take is charged and given back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "stream_test_util.h"

/* A packet whose bytes are a 4-byte header ("H" and a digit) then `data`. */
typedef struct HPkt {
    TPkt tp;
    uint8_t bytes[256];
} HPkt;

static void hsend(TestCtx *t, HPkt *hp, bool to_server, uint8_t flags, uint32_t seq, uint32_t ack, const char *data,
                  int64_t sec, char tag)
{
    uint32_t len = data ? (uint32_t)strlen(data) : 0;
    Packet *p = tpkt(&hp->tp, to_server, flags, seq, ack, data, len);
    memcpy(hp->bytes, "HDR", 3);
    hp->bytes[3] = (uint8_t)tag;
    if (len)
        memcpy(hp->bytes + 4, data, len);
    p->buf = hp->bytes;
    p->len = 4 + len;
    p->payload_off = 4;
    p->ts = OD_TIME_FROM_SEC(sec);
    stream_tcp_packet(&t->st, &t->f, p);
}

typedef struct Seen {
    int count;
    int64_t sec[8];
    char tag[8];
    char data[8][16];
} Seen;

static void collect(void *ctx, OdTime ts, const uint8_t *hdr, uint32_t hdr_len, const uint8_t *data, uint32_t len)
{
    Seen *s = ctx;
    assert_int_equal(hdr_len, 4);
    assert_memory_equal(hdr, "HDR", 3);
    assert_true(s->count < 8 && len < 16);
    s->sec[s->count] = OD_TIME_SEC(ts);
    s->tag[s->count] = (char)hdr[3];
    memcpy(s->data[s->count], data, len);
    s->data[s->count][len] = '\0';
    s->count++;
}

/* handshake, then the client's "GET" (t=11), the server's "HTTP" (t=12)
 * and the client's "more" (t=13), none acknowledged yet */
static void run_exchange(TestCtx *t)
{
    HPkt hp;
    hsend(t, &hp, C2S, TH_SYN, 1000, 0, NULL, 10, '0');
    hsend(t, &hp, S2C, TH_SYN | TH_ACK, 5000, 1001, NULL, 10, '1');
    hsend(t, &hp, C2S, TH_ACK, 1001, 5001, NULL, 10, '2');
    hsend(t, &hp, C2S, TH_ACK | TH_PUSH, 1001, 5001, "GET", 11, '3');
    hsend(t, &hp, S2C, TH_ACK | TH_PUSH, 5001, 1001, "HTTP", 12, '4');
    hsend(t, &hp, C2S, TH_ACK | TH_PUSH, 1004, 5001, "more", 13, '5');
}

static void test_nothing_kept_by_default(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    run_exchange(t);
    Seen seen = { 0 };
    assert_int_equal(stream_tcp_for_each_segment(&t->f, collect, &seen), 0);
    assert_int_equal(seen.count, 0);
    tctx_free(t);
}

static void test_segments_merged_by_time(void **state)
{
    (void)state;
    TestCtx *t = tctx_new();
    t->st.keep_segment_headers = true;
    run_exchange(t);
    Seen seen = { 0 };
    assert_int_equal(stream_tcp_for_each_segment(&t->f, collect, &seen), 3);
    assert_int_equal(seen.count, 3);
    assert_int_equal(seen.sec[0], 11);
    assert_int_equal(seen.tag[0], '3');
    assert_string_equal(seen.data[0], "GET");
    assert_int_equal(seen.sec[1], 12);
    assert_int_equal(seen.tag[1], '4');
    assert_string_equal(seen.data[1], "HTTP");
    assert_int_equal(seen.sec[2], 13);
    assert_int_equal(seen.tag[2], '5');
    assert_string_equal(seen.data[2], "more");
    stream_tcp_free(&t->st, &t->f);
    assert_int_equal(t->st.reassembly_memuse, 0); /* headers given back too */
    assert_int_equal(stream_tcp_for_each_segment(&t->f, collect, &seen), 0); /* no session */
    tctx_free(t);
}

int main(void)
{
    (void)tctr; /* shared helpers unused here */
    (void)tev;
    (void)thandshake;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nothing_kept_by_default),
        cmocka_unit_test(test_segments_merged_by_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
