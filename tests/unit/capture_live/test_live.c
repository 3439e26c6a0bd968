/*
 * Unit tests for live capture (src/capture/live-config.c, afpacket.c,
 * pcap-live.c).
 *
 * The configuration tests read `af-packet:` and `pcap:` lists the way
 * suricata.yaml writes them: an interface's own entry, the `default` entry
 * filling in what it leaves out, Suricata's built-in values, and the
 * messages for values that cannot work. The capture tests need root: each
 * moves the test process into a fresh network namespace (unshare), brings
 * its loopback up, sends UDP datagrams to 127.0.0.1 and reads them back
 * through an AF_PACKET ring or libpcap, checking bytes, link type, that
 * live packets have no pcap_cnt, the BPF filter and the kernel counters.
 * Without root they are skipped, not passed. The ring-block walker is also
 * tested on hand-built blocks, including corrupt ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture/afpacket-block.h"
#include "capture/live.h"
#include "decode/packet.h"

static Conf *conf_from(const char *yaml)
{
    Conf *c = conf_new_empty();
    char err[256];
    assert_non_null(c);
    assert_true(conf_load_string(c, yaml, "test", err, sizeof(err)));
    return c;
}

static void test_defaults_when_section_is_absent(void **state)
{
    (void)state;
    Conf *c = conf_new_empty();
    LiveOptions o;
    char err[256];
    assert_true(live_options_read(c, LIVE_AF_PACKET, "eth7", &o, err, sizeof(err)));
    assert_string_equal(o.iface, "eth7");
    assert_int_equal(o.threads, 1);
    assert_int_equal(o.cluster_id, 99);
    assert_int_equal(o.fanout_type, PACKET_FANOUT_HASH);
    assert_true(o.fanout_defrag);
    assert_int_equal(o.block_size, (uint32_t)getpagesize() << 3);
    assert_int_equal(o.block_timeout_ms, 10);
    assert_int_equal(o.ring_size, 2048);
    assert_true(o.promisc);
    assert_null(o.bpf_filter);
    assert_int_equal(o.checksum, LIVE_CSUM_KERNEL);
    conf_free(c);
}

static void test_interface_entry_and_default_entry(void **state)
{
    (void)state;
    Conf *c = conf_from("af-packet:\n"
                        "  - interface: eth1\n"
                        "    threads: 4\n"
                        "    cluster-id: 98\n"
                        "    cluster-type: cluster_qm\n"
                        "    bpf-filter: tcp port 80\n"
                        "  - interface: eth2\n"
                        "    cluster-id: 97\n"
                        "  - interface: default\n"
                        "    threads: 2\n"
                        "    block-size: 65536\n"
                        "    block-timeout: 50\n"
                        "    ring-size: 4096\n"
                        "    buffer-size: 1mb\n"
                        "    checksum-checks: no\n"
                        "    cluster-type: cluster_cpu\n");
    LiveOptions o;
    char err[256];
    assert_true(live_options_read(c, LIVE_AF_PACKET, "eth1", &o, err, sizeof(err)));
    assert_int_equal(o.threads, 4);
    assert_int_equal(o.cluster_id, 98);
    assert_int_equal(o.fanout_type, PACKET_FANOUT_QM);
    assert_string_equal(o.bpf_filter, "tcp port 80");
    assert_int_equal(o.block_size, 65536); /* from default */
    assert_int_equal(o.block_timeout_ms, 50);
    assert_int_equal(o.ring_size, 4096);
    assert_int_equal(o.buffer_size, 1024 * 1024);
    assert_int_equal(o.checksum, LIVE_CSUM_NO);

    assert_true(live_options_read(c, LIVE_AF_PACKET, "eth2", &o, err, sizeof(err)));
    assert_int_equal(o.threads, 2);
    assert_int_equal(o.cluster_id, 97);
    assert_int_equal(o.fanout_type, PACKET_FANOUT_CPU);
    assert_null(o.bpf_filter);

    /* no interface named: the first entry's (not "default") */
    assert_true(live_options_read(c, LIVE_AF_PACKET, NULL, &o, err, sizeof(err)));
    assert_string_equal(o.iface, "eth1");
    conf_free(c);
}

static void test_pcap_section_is_one_thread(void **state)
{
    (void)state;
    Conf *c = conf_from("pcap:\n  - interface: eth3\n    threads: 8\n    snaplen: 1518\n    promisc: no\n");
    LiveOptions o;
    char err[256];
    assert_true(live_options_read(c, LIVE_PCAP, "eth3", &o, err, sizeof(err)));
    assert_int_equal(o.kind, LIVE_PCAP);
    assert_int_equal(o.threads, 1);
    assert_int_equal(o.snaplen, 1518);
    assert_false(o.promisc);
    conf_free(c);
}

static void expect_error(const char *yaml, const char *iface, const char *want)
{
    Conf *c = conf_from(yaml);
    LiveOptions o;
    char err[256] = "";
    assert_false(live_options_read(c, LIVE_AF_PACKET, iface, &o, err, sizeof(err)));
    if (!strstr(err, want))
        fail_msg("error '%s' does not mention '%s'", err, want);
    conf_free(c);
}

static void test_bad_values_are_refused(void **state)
{
    (void)state;
    expect_error("af-packet:\n  - interface: e\n    cluster-type: cluster_ebpf\n", "e", "cluster-type");
    expect_error("af-packet:\n  - interface: e\n    block-size: 5000\n", "e", "power of two");
    expect_error("af-packet:\n  - interface: e\n    threads: 0\n", "e", "threads");
    expect_error("af-packet:\n  - interface: e\n    checksum-checks: maybe\n", "e", "checksum-checks");
    expect_error("af-packet:\n  - interface: default\n", NULL, "names none");
    expect_error("outputs: []\n", "an-interface-name-far-too-long-for-any-kernel-to-accept-it-at-all-x", "too long");
}

/* ---- TPACKET_V3 blocks built by hand ---- */

#define BLOCK_SIZE 4096u
#define FIRST_PKT 48u

/* Writes a packet header at `off` with `len` bytes of 'A'+i at tp_mac 80. */
static void put_packet(uint8_t *block, uint32_t off, uint32_t next, uint32_t len, uint8_t fill, bool vlan)
{
    struct tpacket3_hdr h;
    memset(&h, 0, sizeof(h));
    h.tp_next_offset = next;
    h.tp_sec = 1700000000;
    h.tp_nsec = 123456789;
    h.tp_snaplen = len;
    h.tp_len = len + 10;
    h.tp_mac = 80;
    if (vlan) {
        h.tp_status = TP_STATUS_VLAN_VALID;
        h.hv1.tp_vlan_tci = 42;
    }
    memcpy(block + off, &h, sizeof(h));
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof(sll));
    sll.sll_pkttype = PACKET_HOST;
    memcpy(block + off + TPACKET_ALIGN(sizeof(h)), &sll, sizeof(sll));
    memset(block + off + 80, fill, len);
}

static void put_desc(uint8_t *block, uint32_t num_pkts)
{
    struct tpacket_block_desc bd;
    memset(&bd, 0, sizeof(bd));
    bd.hdr.bh1.num_pkts = num_pkts;
    bd.hdr.bh1.offset_to_first_pkt = FIRST_PKT;
    memcpy(block, &bd, sizeof(bd));
}

static void test_block_walk(void **state)
{
    (void)state;
    static uint8_t block[BLOCK_SIZE];
    memset(block, 0, sizeof(block));
    put_desc(block, 2);
    put_packet(block, FIRST_PKT, 256, 60, 'A', false);
    put_packet(block, FIRST_PKT + 256, 0, 100, 'B', true);
    AfpBlockCursor c;
    AfpFrame f;
    assert_true(afp_block_begin(block, sizeof(block), &c));
    assert_int_equal(afp_block_next(block, sizeof(block), &c, &f), 1);
    assert_int_equal(f.len, 60);
    assert_int_equal(f.wire_len, 70);
    assert_int_equal(f.data[0], 'A');
    assert_ptr_equal(f.data, block + FIRST_PKT + 80);
    assert_int_equal(f.ts, 1700000000LL * 1000000 + 123456);
    assert_false(f.has_vlan);
    assert_false(f.outgoing);
    assert_int_equal(afp_block_next(block, sizeof(block), &c, &f), 1);
    assert_int_equal(f.data[99], 'B');
    assert_true(f.has_vlan);
    assert_int_equal(f.vlan_tci, 42);
    assert_int_equal(f.vlan_tpid, 0x8100);
    assert_int_equal(afp_block_next(block, sizeof(block), &c, &f), 0);
}

static void test_block_walk_stops_at_corruption(void **state)
{
    (void)state;
    static uint8_t block[BLOCK_SIZE];
    memset(block, 0, sizeof(block));
    AfpBlockCursor c;
    AfpFrame f;
    /* a packet whose bytes run past the block */
    put_desc(block, 3);
    put_packet(block, FIRST_PKT, 256, 60, 'A', false);
    put_packet(block, FIRST_PKT + 256, 256, 60, 'B', false);
    struct tpacket3_hdr h;
    memcpy(&h, block + FIRST_PKT + 256, sizeof(h));
    h.tp_snaplen = BLOCK_SIZE;
    memcpy(block + FIRST_PKT + 256, &h, sizeof(h));
    assert_true(afp_block_begin(block, sizeof(block), &c));
    assert_int_equal(afp_block_next(block, sizeof(block), &c, &f), 1);
    assert_int_equal(afp_block_next(block, sizeof(block), &c, &f), -1);
    assert_int_equal(afp_block_next(block, sizeof(block), &c, &f), 0);

    /* a huge packet count and a next offset pointing back: the walk ends */
    memset(block, 0, sizeof(block));
    put_desc(block, 4000000000u);
    put_packet(block, FIRST_PKT, 0, 60, 'A', false);
    assert_true(afp_block_begin(block, sizeof(block), &c));
    assert_int_equal(afp_block_next(block, sizeof(block), &c, &f), 1);
    assert_int_equal(afp_block_next(block, sizeof(block), &c, &f), 0);

    /* the first packet offset beyond the block; a block smaller than its
     * descriptor */
    put_desc(block, 1);
    struct tpacket_block_desc bd;
    memcpy(&bd, block, sizeof(bd));
    bd.hdr.bh1.offset_to_first_pkt = BLOCK_SIZE - 8;
    memcpy(block, &bd, sizeof(bd));
    assert_true(afp_block_begin(block, sizeof(block), &c));
    assert_int_equal(afp_block_next(block, sizeof(block), &c, &f), -1);
    assert_false(afp_block_begin(block, 8, &c));
    assert_int_equal(afp_block_next(block, 8, &c, &f), 0);
}

/* ---- real capture on the loopback of a private network namespace ---- */

static bool private_loopback(void)
{
    if (geteuid() != 0 || unshare(CLONE_NEWNET) != 0)
        return false;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, "lo", 3);
    bool ok = fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0;
    ifr.ifr_flags |= IFF_UP;
    ok = ok && ioctl(fd, SIOCSIFFLAGS, &ifr) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

static void send_udp(uint16_t port, const char *payload)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ssize_t sent = sendto(fd, payload, strlen(payload), 0, (struct sockaddr *)&to, sizeof(to));
    assert_int_equal(sent, (ssize_t)strlen(payload));
    close(fd);
}

/* Reads packets for up to ~2 s until one ends with `payload`. */
static bool read_until(CaptureSource *cs, Packet *p, const char *payload)
{
    size_t n = strlen(payload);
    for (int i = 0; i < 40; i++) {
        int r = live_capture_next(cs, p, 50);
        assert_true(r >= 0);
        if (r == 1 && p->len >= n && memcmp(p->buf + p->len - n, payload, n) == 0)
            return true;
    }
    return false;
}

static void capture_on_loopback(LiveKind kind)
{
    if (!private_loopback())
        skip();
    LiveOptions o;
    char err[256];
    Conf *c = conf_new_empty();
    assert_true(live_options_read(c, kind, "lo", &o, err, sizeof(err)));
    o.bpf_filter = "udp port 5555";
    CaptureSource *cs = kind == LIVE_AF_PACKET ? capture_open_afpacket(&o, err, sizeof(err))
                                               : capture_open_pcap_live(&o, err, sizeof(err));
    if (!cs)
        fail_msg("%s", err);
    assert_string_equal(live_capture_iface(cs), "lo");
    Packet *p = packet_new();
    send_udp(5556, "filtered-out");
    send_udp(5555, "odlar-live-unit");
    assert_true(read_until(cs, p, "odlar-live-unit"));
    assert_int_equal(p->datalink, 1); /* Ethernet: loopback has an all-zero header */
    assert_int_equal(p->len, 14 + 20 + 8 + strlen("odlar-live-unit"));
    assert_int_equal(p->wire_len, p->len);
    assert_int_equal(p->pcap_cnt, 0);
    assert_int_equal(p->src, PKT_SRC_WIRE);
    assert_true(p->ts > 0);
    /* the filter kept the other datagram out: nothing else comes */
    assert_int_equal(live_capture_next(cs, p, 100), 0);
    uint64_t pk = 0, dr = 0;
    assert_true(live_capture_kernel_stats(cs, &pk, &dr));
    assert_true(pk >= 1);
    assert_int_equal(dr, 0);
    assert_int_equal(capture_stats(cs)->packets, 1);
    packet_free(p);
    capture_close(cs);
    conf_free(c);
}

static void test_afpacket_ring_reads_loopback(void **state)
{
    (void)state;
    capture_on_loopback(LIVE_AF_PACKET);
}

static void test_pcap_live_reads_loopback(void **state)
{
    (void)state;
    capture_on_loopback(LIVE_PCAP);
}

static void test_open_missing_interface_fails(void **state)
{
    (void)state;
    if (geteuid() != 0)
        skip();
    LiveOptions o;
    char err[256] = "";
    Conf *c = conf_new_empty();
    assert_true(live_options_read(c, LIVE_AF_PACKET, "nosuchif9", &o, err, sizeof(err)));
    assert_null(capture_open_afpacket(&o, err, sizeof(err)));
    assert_non_null(strstr(err, "nosuchif9"));
    conf_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_when_section_is_absent),
        cmocka_unit_test(test_interface_entry_and_default_entry),
        cmocka_unit_test(test_pcap_section_is_one_thread),
        cmocka_unit_test(test_bad_values_are_refused),
        cmocka_unit_test(test_block_walk),
        cmocka_unit_test(test_block_walk_stops_at_corruption),
        cmocka_unit_test(test_open_missing_interface_fails),
        cmocka_unit_test(test_afpacket_ring_reads_loopback),
        cmocka_unit_test(test_pcap_live_reads_loopback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
