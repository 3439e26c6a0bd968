/*
 * The block pcap reader (src/capture/pcap-blocks.h) against libpcap: every
 * packet read in place must be the one libpcap reads -- bytes, lengths,
 * time stamp, link type, packet number -- and files with something unusual
 * must end the same way, with the same counters and message. Each file is
 * read with the default block size and with tiny blocks, so that records
 * straddle every block boundary. Checked on files written byte by byte
 * (both byte orders, both time units, a record over the snapshot length in
 * the middle, a cut record, a cut record header, an old version) and, when
 * the shared test data is beside the checkout, on every capture of
 * Suricata's regression suite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/capture.h"
#include "decode/packet.h"

/* ---- writing files byte by byte ------------------------------------------ */

typedef struct Out {
    uint8_t b[8192];
    size_t n;
    bool big; /* write fields big-endian */
} Out;

static void put32(Out *o, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        o->b[o->n++] = (uint8_t)(o->big ? v >> (24 - 8 * i) : v >> (8 * i));
}

static void put16(Out *o, uint16_t v)
{
    o->b[o->n++] = (uint8_t)(o->big ? v >> 8 : v);
    o->b[o->n++] = (uint8_t)(o->big ? v : v >> 8);
}

static void file_header(Out *o, bool nsec, uint16_t minor, uint32_t snaplen)
{
    put32(o, nsec ? 0xa1b23c4du : 0xa1b2c3d4u);
    put16(o, 2);
    put16(o, minor);
    put32(o, 0);
    put32(o, 0);
    put32(o, snaplen);
    put32(o, 1); /* Ethernet */
}

static void record(Out *o, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t len)
{
    put32(o, sec);
    put32(o, frac);
    put32(o, caplen);
    put32(o, len);
    for (uint32_t i = 0; i < caplen; i++)
        o->b[o->n++] = (uint8_t)(i * 7 + sec);
}

static void write_file(const char *path, const Out *o, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(o->b, 1, n, fp), n);
    fclose(fp);
}

/* ---- comparing the two readers ------------------------------------------- */

typedef struct Reading {
    uint64_t packets;
    uint64_t digest; /* over every packet's fields and bytes */
    CaptureStats stats;
    char error[512];
} Reading;

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v;
    return h * 0x100000001b3ull;
}

/* Reads with libpcap alone (blocks false) or block by block, `block`
 * bytes at a time (0: the default). */
static bool read_all(const char *path, bool blocks, size_t block, Reading *out)
{
    memset(out, 0, sizeof(*out));
    pcap_file_set_block_reading(blocks, block);
    char err[512];
    CaptureSource *cs = capture_open_offline(path, err, sizeof(err));
    pcap_file_set_block_reading(true, 0);
    if (!cs)
        return false;
    Packet *p = packet_new();
    assert_non_null(p);
    uint64_t h = 0xcbf29ce484222325ull;
    while (capture_next(cs, p) == 1) {
        out->packets++;
        h = mix(h, (uint64_t)p->ts);
        h = mix(h, p->len);
        h = mix(h, p->wire_len);
        h = mix(h, (uint64_t)p->datalink);
        h = mix(h, p->pcap_cnt);
        for (uint32_t i = 0; i < p->len; i++)
            h = mix(h, p->buf[i]);
    }
    out->digest = h;
    out->stats = *capture_stats(cs);
    snprintf(out->error, sizeof(out->error), "%s", capture_error(cs));
    packet_free(p);
    capture_close(cs);
    return true;
}

static void assert_same_reading_with(const char *path, size_t block)
{
    Reading a, b;
    bool oka = read_all(path, false, 0, &a), okb = read_all(path, true, block, &b);
    assert_int_equal(oka, okb);
    if (!oka)
        return;
    if (a.packets != b.packets || a.digest != b.digest || strcmp(a.error, b.error) != 0)
        fail_msg("%s: libpcap %llu packets \"%s\", blocks of %zu: %llu packets \"%s\"", path,
                 (unsigned long long)a.packets, a.error, block, (unsigned long long)b.packets, b.error);
    assert_memory_equal(&a.stats, &b.stats, sizeof(a.stats));
}

/* 1000-byte reads: a typical capture's records cross block boundaries
 * every few packets; the written files' snapshot length (128) makes the
 * buffer 144 bytes, so most of their records move and refill. */
static void assert_same_reading(const char *path)
{
    assert_same_reading_with(path, 0);
    assert_same_reading_with(path, 1000);
}

/* ---- tests ----------------------------------------------------------------- */

static void test_written_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/odlar-pcapblocks-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    static Out o;
    for (int big = 0; big < 2; big++) {
        for (int nsec = 0; nsec < 2; nsec++) {
            memset(&o, 0, sizeof(o));
            o.big = big;
            file_header(&o, nsec, 4, 128);
            record(&o, 10, nsec ? 123456789u : 123456u, 60, 60);
            record(&o, 11, 999999, 100, 1500); /* shorter than on the wire */
            record(&o, 12, 5, 0, 0); /* empty */
            size_t whole = o.n;
            record(&o, 13, 7, 200, 200); /* over the snapshot length */
            record(&o, 14, 8, 40, 40);
            snprintf(path, sizeof(path), "%s/f-%d-%d.pcap", dir, big, nsec);
            write_file(path, &o, o.n);
            assert_same_reading(path);
            snprintf(path, sizeof(path), "%s/plain-%d-%d.pcap", dir, big, nsec);
            write_file(path, &o, whole);
            assert_same_reading(path);
            snprintf(path, sizeof(path), "%s/cut-data-%d-%d.pcap", dir, big, nsec);
            write_file(path, &o, whole - 30); /* inside the second record's bytes */
            assert_same_reading(path);
            snprintf(path, sizeof(path), "%s/cut-hdr-%d-%d.pcap", dir, big, nsec);
            write_file(path, &o, whole + 9); /* inside the fourth record's header */
            assert_same_reading(path);
        }
    }
    memset(&o, 0, sizeof(o));
    file_header(&o, false, 3, 65535); /* version 2.3: libpcap's alone */
    record(&o, 1, 2, 20, 30);
    snprintf(path, sizeof(path), "%s/v23.pcap", dir);
    write_file(path, &o, o.n);
    assert_same_reading(path);
    memset(&o, 0, sizeof(o));
    file_header(&o, false, 4, 0); /* snapshot length 0: libpcap's largest */
    record(&o, 1, 2, 3000, 3000);
    snprintf(path, sizeof(path), "%s/snap0.pcap", dir);
    write_file(path, &o, o.n);
    assert_same_reading(path);
    char cmd[300];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* Every capture under `dir` (recursively), compared; returns how many. */
static int compare_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            n += compare_tree(path);
        } else if (S_ISREG(st.st_mode) && (strstr(e->d_name, ".pcap") || strstr(e->d_name, ".cap"))) {
            assert_same_reading(path);
            n++;
        }
    }
    closedir(d);
    return n;
}

static void test_regression_suite_captures(void **state)
{
    (void)state;
    int n = compare_tree(ODLAR_SOURCE_ROOT "/../shared/verify/tests");
    n += compare_tree(ODLAR_SOURCE_ROOT "/tests/regress");
    if (n < 10)
        skip(); /* no shared test data beside the checkout */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_written_files),
        cmocka_unit_test(test_regression_suite_captures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
