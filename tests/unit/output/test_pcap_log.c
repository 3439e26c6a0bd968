/*
 * Unit tests of the pcap-log output: files named by their first packet's
 * second, packets written back as read (lengths, timestamps, bytes, link
 * type), a new file when the size limit would be passed, bpf-filter
 * writing only the packets it accepts (and counting both kinds), the
 * unsupported modes leaving the output off, and the conditional modes:
 * which packets they take, and their records written in order through the
 * record queue (first file named by the first packet read, segments of a
 * first alert as headers plus bytes, neither filtered nor counted, no file
 * when nothing qualifies).
 */
#include <pcap/pcap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "output/pcap-log.h"

static Conf *conf_from(const char *yaml)
{
    Conf *c = conf_new_empty();
    char err[256];
    assert_true(conf_load_string(c, yaml, "test", err, sizeof(err)));
    return c;
}

static void set_packet(Packet *p, OdTime ts, uint32_t len, uint8_t fill)
{
    uint8_t data[2048];
    memset(data, fill, sizeof(data));
    packet_set_data(p, data, len);
    p->wire_len = len + 10;
    p->ts = ts;
    p->datalink = LINKTYPE_ETHERNET;
}

static int count_packets(const char *path, int64_t first_sec, uint32_t first_len)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *h = pcap_open_offline(path, err);
    assert_non_null(h);
    assert_int_equal(pcap_datalink(h), DLT_EN10MB);
    assert_int_equal(pcap_snapshot(h), 262144);
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int n = 0;
    while (pcap_next_ex(h, &hdr, &data) == 1) {
        if (n == 0) {
            assert_int_equal(hdr->ts.tv_sec, first_sec);
            assert_int_equal(hdr->caplen, first_len);
            assert_int_equal(hdr->len, first_len + 10);
        }
        n++;
    }
    pcap_close(h);
    return n;
}

static void test_written_as_read_and_rotated(void **state)
{
    (void)state;
    char dir[] = "/tmp/odlar-pcap-log-XXXXXX";
    assert_non_null(mkdtemp(dir));
    Conf *c = conf_from("%YAML 1.1\n---\noutputs:\n  - pcap-log:\n      enabled: yes\n      limit: 4mb\n");
    PcapLog log;
    char err[256] = "";
    assert_true(pcap_log_open(&log, c, dir, err, sizeof(err)));
    assert_true(log.enabled);
    Packet *p = packet_new();
    /* 2100 packets of 2000 bytes pass 4 MiB: the rest goes to a second file */
    for (int i = 0; i < 2100; i++) {
        set_packet(p, OD_TIME_FROM_SEC(1000 + i) + 250, i == 0 ? 60 : 2000, (uint8_t)i);
        pcap_log_packet(&log, p);
    }
    pcap_log_close(&log);
    char first[512], second[512];
    snprintf(first, sizeof(first), "%s/log.pcap.1000", dir);
    int n1 = count_packets(first, 1000, 60);
    assert_true(n1 > 2000 && n1 < 2100);
    snprintf(second, sizeof(second), "%s/log.pcap.%d", dir, 1000 + n1);
    assert_int_equal(count_packets(second, 1000 + n1, 2000), 2100 - n1);
    unlink(first);
    unlink(second);
    rmdir(dir);
    packet_free(p);
    conf_free(c);
}

/* A minimal Ethernet + IPv4 frame carrying IP protocol `proto`. */
static void set_ip_packet(Packet *p, OdTime ts, uint8_t proto)
{
    uint8_t frame[60];
    memset(frame, 0, sizeof(frame));
    frame[12] = 0x08; /* ethertype IPv4 */
    frame[14] = 0x45; /* version 4, 20-byte header */
    frame[17] = 46; /* total length */
    frame[22] = 64; /* ttl */
    frame[23] = proto;
    packet_set_data(p, frame, sizeof(frame));
    p->wire_len = sizeof(frame);
    p->ts = ts;
    p->datalink = LINKTYPE_ETHERNET;
}

static void test_bpf_filter_writes_accepted_only(void **state)
{
    (void)state;
    char dir[] = "/tmp/odlar-pcap-log-XXXXXX";
    assert_non_null(mkdtemp(dir));
    Conf *c = conf_from("%YAML 1.1\n---\noutputs:\n  - pcap-log:\n      enabled: yes\n      bpf-filter: udp\n");
    PcapLog log;
    char err[256] = "";
    assert_true(pcap_log_open(&log, c, dir, err, sizeof(err)));
    assert_true(log.enabled);
    Packet *p = packet_new();
    /* TCP first: it names the file although it is not written */
    static const uint8_t protos[] = { 6, 17, 6, 17, 17, 1 };
    for (int i = 0; i < 6; i++) {
        set_ip_packet(p, OD_TIME_FROM_SEC(2000 + i), protos[i]);
        pcap_log_packet(&log, p);
    }
    assert_int_equal(log.packets_written, 3);
    assert_int_equal(log.packets_filtered, 3);
    pcap_log_close(&log);
    char path[512];
    snprintf(path, sizeof(path), "%s/log.pcap.2000", dir);
    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *h = pcap_open_offline(path, perr);
    assert_non_null(h);
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int n = 0;
    while (pcap_next_ex(h, &hdr, &data) == 1) {
        assert_int_equal(data[23], 17);
        n++;
    }
    pcap_close(h);
    assert_int_equal(n, 3);
    unlink(path);
    rmdir(dir);
    packet_free(p);
    conf_free(c);
    /* a filter that does not compile stops the run */
    c = conf_from("%YAML 1.1\n---\noutputs:\n  - pcap-log:\n      enabled: yes\n      bpf-filter: \"port port\"\n");
    assert_false(pcap_log_open(&log, c, "/tmp", err, sizeof(err)));
    assert_non_null(strstr(err, "bpf-filter"));
    conf_free(c);
}

static void test_unsupported_modes_off(void **state)
{
    (void)state;
    static const char *const yamls[] = {
        "%YAML 1.1\n---\noutputs:\n  - pcap-log:\n      enabled: yes\n      compression: lz4\n",
        "%YAML 1.1\n---\noutputs:\n  - pcap-log:\n      enabled: yes\n      mode: multi\n",
        "%YAML 1.1\n---\noutputs:\n  - pcap-log:\n      enabled: no\n",
    };
    for (size_t i = 0; i < sizeof(yamls) / sizeof(yamls[0]); i++) {
        Conf *c = conf_from(yamls[i]);
        PcapLog log;
        char err[256] = "";
        assert_true(pcap_log_open(&log, c, "/nonexistent", err, sizeof(err)));
        assert_false(log.enabled);
        conf_free(c);
    }
    Conf *c = conf_from("%YAML 1.1\n---\noutputs:\n  - pcap-log:\n      enabled: yes\n      limit: lots\n");
    PcapLog log;
    char err[256] = "";
    assert_false(pcap_log_open(&log, c, "/tmp", err, sizeof(err)));
    assert_non_null(strstr(err, "limit"));
    conf_free(c);
}

static void test_conditional_setting(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        PcapLogCondition want;
    } cases[] = { { "all", PCAP_LOG_COND_ALL }, { "alerts", PCAP_LOG_COND_ALERTS }, { "Tag", PCAP_LOG_COND_TAG } };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char yaml[256];
        snprintf(yaml, sizeof(yaml), "%%YAML 1.1\n---\noutputs:\n  - pcap-log:\n      enabled: yes\n      conditional: %s\n",
                 cases[i].value);
        Conf *c = conf_from(yaml);
        PcapLog log;
        char err[256] = "";
        assert_true(pcap_log_open(&log, c, "/tmp", err, sizeof(err)));
        assert_true(log.enabled);
        assert_int_equal(log.conditional, cases[i].want);
        pcap_log_close(&log);
        conf_free(c);
    }
    Conf *c = conf_from("%YAML 1.1\n---\noutputs:\n  - pcap-log:\n      enabled: yes\n      conditional: flows\n");
    PcapLog log;
    char err[256] = "";
    assert_false(pcap_log_open(&log, c, "/tmp", err, sizeof(err)));
    assert_non_null(strstr(err, "conditional"));
    conf_free(c);
}

static void test_conditional_wants(void **state)
{
    (void)state;
    /* (alerted, flow alerted before, tagged) */
    assert_true(pcap_log_wants(PCAP_LOG_COND_ALL, false, false, false));
    assert_false(pcap_log_wants(PCAP_LOG_COND_ALERTS, false, false, false));
    assert_true(pcap_log_wants(PCAP_LOG_COND_ALERTS, true, false, false));
    assert_true(pcap_log_wants(PCAP_LOG_COND_ALERTS, false, true, false));
    assert_false(pcap_log_wants(PCAP_LOG_COND_ALERTS, false, false, true));
    assert_false(pcap_log_wants(PCAP_LOG_COND_TAG, false, false, false));
    assert_true(pcap_log_wants(PCAP_LOG_COND_TAG, true, false, false));
    assert_true(pcap_log_wants(PCAP_LOG_COND_TAG, false, false, true));
    assert_false(pcap_log_wants(PCAP_LOG_COND_TAG, false, true, false));
}

static void write_queues(RecordQueue *q0, RecordQueue *q1, PcapLog *log)
{
    RecordQueue *qs[2] = { q0, q1 };
    RecordOutputs out;
    memset(&out, 0, sizeof(out));
    out.sinks[RECORD_TARGET_PCAP_LOG] = pcap_log_write_record;
    out.sink_ctx[RECORD_TARGET_PCAP_LOG] = log;
    assert_true(record_queues_write_outputs(qs, 2, &out));
}

static void test_conditional_records_in_order(void **state)
{
    (void)state;
    char dir[] = "/tmp/odlar-pcap-log-XXXXXX";
    assert_non_null(mkdtemp(dir));
    Conf *c = conf_from("%YAML 1.1\n---\noutputs:\n  - pcap-log:\n      enabled: yes\n      conditional: alerts\n"
                        "      bpf-filter: udp\n");
    PcapLog log;
    char err[256] = "";
    assert_true(pcap_log_open(&log, c, dir, err, sizeof(err)));
    assert_int_equal(log.conditional, PCAP_LOG_COND_ALERTS);
    /* nothing queued: no file at all */
    RecordQueue q0, q1;
    record_queue_init(&q0);
    record_queue_init(&q1);
    pcap_log_set_name_time(&log, OD_TIME_FROM_SEC(3000));
    write_queues(&q0, &q1, &log);
    char path[512];
    snprintf(path, sizeof(path), "%s/log.pcap.3000", dir);
    assert_int_equal(access(path, F_OK), -1);

    /* worker 1 has packet 7 (a TCP segment dump, then a UDP packet), worker
     * 0 packet 5 (UDP) and packet 9 (TCP, filtered) */
    Packet *p = packet_new();
    uint8_t hdr[54], seg[5] = { 'h', 'e', 'l', 'l', 'o' };
    memset(hdr, 0xab, sizeof(hdr));
    record_queue_set_key(&q1, 7, RECORD_PHASE_PACKET, 0, 0);
    pcap_log_queue_segment(&q1, OD_TIME_FROM_SEC(3001) + 5, LINKTYPE_ETHERNET, hdr, sizeof(hdr), seg, sizeof(seg));
    set_ip_packet(p, OD_TIME_FROM_SEC(3007), 17);
    PacketRef r7 = { .data = p->buf, .caplen = p->len, .wire_len = p->wire_len, .datalink = p->datalink, .ts = p->ts };
    pcap_log_queue_packet(&q1, &r7);
    record_queue_set_key(&q0, 5, RECORD_PHASE_PACKET, 0, 0);
    set_ip_packet(p, OD_TIME_FROM_SEC(3005), 17);
    PacketRef r5 = { .data = p->buf, .caplen = p->len, .wire_len = p->wire_len, .datalink = p->datalink, .ts = p->ts };
    pcap_log_queue_packet(&q0, &r5);
    record_queue_set_key(&q0, 9, RECORD_PHASE_PACKET, 0, 0);
    set_ip_packet(p, OD_TIME_FROM_SEC(3009), 6);
    PacketRef r9 = { .data = p->buf, .caplen = p->len, .wire_len = p->wire_len, .datalink = p->datalink, .ts = p->ts };
    pcap_log_queue_packet(&q0, &r9);
    write_queues(&q0, &q1, &log);
    assert_int_equal(log.packets_written, 2); /* the segment is not counted */
    assert_int_equal(log.packets_filtered, 1);
    pcap_log_close(&log);

    char perr[PCAP_ERRBUF_SIZE];
    pcap_t *h = pcap_open_offline(path, perr); /* named by the first packet read */
    assert_non_null(h);
    struct pcap_pkthdr *ph;
    const u_char *data;
    static const int64_t want_sec[] = { 3005, 3001, 3007 };
    int n = 0;
    while (pcap_next_ex(h, &ph, &data) == 1) {
        assert_true(n < 3);
        assert_int_equal(ph->ts.tv_sec, want_sec[n]);
        if (n == 1) {
            assert_int_equal(ph->ts.tv_usec, 5);
            assert_int_equal(ph->caplen, sizeof(hdr) + sizeof(seg));
            assert_int_equal(ph->len, sizeof(hdr) + sizeof(seg));
            assert_memory_equal(data, hdr, sizeof(hdr));
            assert_memory_equal(data + sizeof(hdr), seg, sizeof(seg));
        } else {
            assert_int_equal(data[23], 17);
        }
        n++;
    }
    pcap_close(h);
    assert_int_equal(n, 3);
    unlink(path);
    rmdir(dir);
    record_queue_free(&q0);
    record_queue_free(&q1);
    packet_free(p);
    conf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_as_read_and_rotated),
        cmocka_unit_test(test_bpf_filter_writes_accepted_only),
        cmocka_unit_test(test_unsupported_modes_off),
        cmocka_unit_test(test_conditional_setting),
        cmocka_unit_test(test_conditional_wants),
        cmocka_unit_test(test_conditional_records_in_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
