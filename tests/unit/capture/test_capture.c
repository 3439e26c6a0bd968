/*
 * Unit tests for offline capture (src/capture/).
 *
 * Each test writes small capture files into a fresh temporary folder — pcap
 * through libpcap's own dump writer, pcapng and damaged files byte by byte —
 * and reads them back through the public capture API, checking what the
 * engine relies on: packet bytes and lengths, microsecond timestamps, link
 * types, the running packet number across the files of a folder, the order
 * of those files, and the messages and counters for files that are empty,
 * cut short, oversized or not captures at all, and BPF filtering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/capture.h"
#include "decode/packet.h"

/* ---- temporary folder ---------------------------------------------------- */

typedef struct Fixture {
    char dir[64];
    Packet *p;
} Fixture;

static int setup(void **state)
{
    Fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/odlar-capture-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    f->p = packet_new();
    assert_non_null(f->p);
    *state = f;
    return 0;
}

/* Removes a folder tree made by the tests (two levels at most). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char path[512];
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            unlink(path);
    }
    closedir(d);
    rmdir(dir);
}

static int teardown(void **state)
{
    Fixture *f = *state;
    remove_tree(f->dir);
    packet_free(f->p);
    free(f);
    return 0;
}

static const char *path_in(const Fixture *f, const char *name, char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", f->dir, name);
    return buf;
}

/* ---- writing captures ----------------------------------------------------- */

typedef struct TestPkt {
    uint32_t sec, frac; /* frac in microseconds, or nanoseconds for ns files */
    uint32_t caplen, len;
    const uint8_t *data; /* NULL: bytes are i * 7 + index */
} TestPkt;

static void fill_bytes(uint8_t *buf, uint32_t n, unsigned seed)
{
    for (uint32_t i = 0; i < n; i++)
        buf[i] = (uint8_t)(i * 7 + seed);
}

/* Writes a pcap with libpcap's dump writer; `nano` selects the ns format. */
static void write_pcap(const char *path, int dlt, int snaplen, int nano, const TestPkt *pkts, size_t n)
{
    pcap_t *dead = pcap_open_dead_with_tstamp_precision(dlt, snaplen,
                                                        nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
    assert_non_null(dead);
    pcap_dumper_t *d = pcap_dump_open(dead, path);
    assert_non_null(d);
    for (size_t i = 0; i < n; i++) {
        struct pcap_pkthdr h;
        memset(&h, 0, sizeof(h));
        h.ts.tv_sec = pkts[i].sec;
        h.ts.tv_usec = pkts[i].frac;
        h.caplen = pkts[i].caplen;
        h.len = pkts[i].len;
        uint8_t buf[2048];
        assert_true(pkts[i].caplen <= sizeof(buf));
        if (pkts[i].data)
            memcpy(buf, pkts[i].data, pkts[i].caplen);
        else
            fill_bytes(buf, pkts[i].caplen, (unsigned)i);
        pcap_dump((u_char *)d, &h, buf);
    }
    pcap_dump_close(d);
    pcap_close(dead);
}

static void write_bytes(const char *path, const void *data, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    if (n > 0)
        assert_int_equal(fwrite(data, 1, n, fp), n);
    fclose(fp);
}

/* Little-endian byte builder for hand-made files. */
typedef struct Bytes {
    uint8_t buf[8192];
    size_t len;
} Bytes;

static void put_le16(Bytes *b, uint16_t v)
{
    assert_true(b->len + 2 <= sizeof(b->buf));
    b->buf[b->len++] = (uint8_t)v;
    b->buf[b->len++] = (uint8_t)(v >> 8);
}
static void put_le32(Bytes *b, uint32_t v)
{
    put_le16(b, (uint16_t)v);
    put_le16(b, (uint16_t)(v >> 16));
}
static void put_raw(Bytes *b, const uint8_t *d, size_t n)
{
    assert_true(b->len + n <= sizeof(b->buf));
    memcpy(b->buf + b->len, d, n);
    b->len += n;
}

/* A pcap file header, for hand-made pcaps. */
static void put_pcap_header(Bytes *b, uint32_t snaplen, uint32_t dlt)
{
    put_le32(b, 0xa1b2c3d4);
    put_le16(b, 2);
    put_le16(b, 4);
    put_le32(b, 0);
    put_le32(b, 0);
    put_le32(b, snaplen);
    put_le32(b, dlt);
}

static void put_pcap_record(Bytes *b, uint32_t sec, uint32_t usec, uint32_t caplen, uint32_t len, const uint8_t *d,
                            size_t dlen)
{
    put_le32(b, sec);
    put_le32(b, usec);
    put_le32(b, caplen);
    put_le32(b, len);
    put_raw(b, d, dlen);
}

/*
 * Writes a pcapng file: one section, one interface of link type `dlt`
 * (with if_tsresol = 9 when `nano`), and the packets as enhanced packet
 * blocks with timestamps in that resolution.
 */
static void write_pcapng(const char *path, uint16_t dlt, int nano, const TestPkt *pkts, size_t n)
{
    static Bytes b;
    b.len = 0;
    /* section header block */
    put_le32(&b, 0x0A0D0D0A);
    put_le32(&b, 28);
    put_le32(&b, 0x1A2B3C4D);
    put_le16(&b, 1);
    put_le16(&b, 0);
    put_le32(&b, 0xffffffff);
    put_le32(&b, 0xffffffff);
    put_le32(&b, 28);
    /* interface description block */
    uint32_t idb_len = nano ? 32 : 20;
    put_le32(&b, 1);
    put_le32(&b, idb_len);
    put_le16(&b, dlt);
    put_le16(&b, 0);
    put_le32(&b, 262144);
    if (nano) {
        put_le16(&b, 9); /* if_tsresol */
        put_le16(&b, 1);
        put_le32(&b, 9); /* 10^-9, padded to 4 bytes */
        put_le32(&b, 0); /* opt_endofopt */
    }
    put_le32(&b, idb_len);
    /* enhanced packet blocks */
    for (size_t i = 0; i < n; i++) {
        uint32_t pad = (4 - pkts[i].caplen % 4) % 4;
        uint32_t blen = 32 + pkts[i].caplen + pad;
        uint64_t ts = (uint64_t)pkts[i].sec * (nano ? 1000000000ULL : 1000000ULL) + pkts[i].frac;
        uint8_t data[2048] = { 0 };
        assert_true(pkts[i].caplen <= sizeof(data) - 4);
        if (pkts[i].data)
            memcpy(data, pkts[i].data, pkts[i].caplen);
        else
            fill_bytes(data, pkts[i].caplen, (unsigned)i);
        put_le32(&b, 6);
        put_le32(&b, blen);
        put_le32(&b, 0);
        put_le32(&b, (uint32_t)(ts >> 32));
        put_le32(&b, (uint32_t)ts);
        put_le32(&b, pkts[i].caplen);
        put_le32(&b, pkts[i].len);
        put_raw(&b, data, pkts[i].caplen + pad);
        put_le32(&b, blen);
    }
    write_bytes(path, b.buf, b.len);
}

/* Ethernet + IPv4 + UDP/TCP frame of 54 bytes, proto 17 or 6. */
static void make_ipv4_frame(uint8_t *f, uint8_t proto)
{
    static const uint8_t eth[14] = { 0, 1, 2, 3, 4, 5, 0, 6, 7, 8, 9, 10, 0x08, 0x00 };
    memset(f, 0, 54);
    memcpy(f, eth, 14);
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    ip[3] = 40; /* total length */
    ip[8] = 64;
    ip[9] = proto;
    ip[12] = 10, ip[15] = 1;
    ip[16] = 10, ip[19] = 2;
    uint8_t *l4 = ip + 20;
    l4[0] = 0x04, l4[1] = 0xd2; /* port 1234 */
    l4[2] = 0x00, l4[3] = 0x35; /* port 53 */
}

/* ---- helpers for reading ------------------------------------------------- */

static CaptureSource *open_ok(const char *path)
{
    char err[512] = "";
    CaptureSource *cs = capture_open_offline(path, err, sizeof(err));
    if (cs == NULL)
        fail_msg("open %s: %s", path, err);
    return cs;
}

static size_t count_all(CaptureSource *cs, Packet *p)
{
    size_t n = 0;
    int r;
    while ((r = capture_next(cs, p)) == 1)
        n++;
    assert_int_equal(r, 0);
    return n;
}

/* ---- tests ---------------------------------------------------------------- */

static void test_pcap_basic(void **state)
{
    Fixture *f = *state;
    char path[256];
    path_in(f, "basic.pcap", path, sizeof(path));
    const TestPkt pkts[] = {
        { 1231006505, 0, 60, 60, NULL },
        { 1231006505, 999999, 100, 1514, NULL }, /* cut by the snapshot length */
        { 1700000000, 123456, 1, 1, NULL },
    };
    write_pcap(path, DLT_EN10MB, 65535, 0, pkts, 3);

    CaptureSource *cs = open_ok(path);
    assert_string_equal(capture_kind(cs), "pcap-file");
    assert_string_equal(capture_current_file(cs), path);
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(capture_next(cs, f->p), 1);
        assert_int_equal(f->p->pcap_cnt, i + 1);
        assert_int_equal(f->p->len, pkts[i].caplen);
        assert_int_equal(f->p->wire_len, pkts[i].len);
        assert_int_equal(f->p->datalink, DLT_EN10MB);
        assert_int_equal(f->p->src, PKT_SRC_WIRE);
        assert_true(f->p->ts == (OdTime)pkts[i].sec * 1000000 + pkts[i].frac);
        uint8_t expect[128];
        fill_bytes(expect, pkts[i].caplen, (unsigned)i);
        assert_memory_equal(f->p->buf, expect, pkts[i].caplen);
        assert_string_equal(capture_current_file(cs), path);
    }
    assert_int_equal(capture_next(cs, f->p), 0);
    assert_int_equal(capture_next(cs, f->p), 0); /* stays at the end */
    const CaptureStats *st = capture_stats(cs);
    assert_int_equal(st->packets, 3);
    assert_int_equal(st->bytes, 161);
    assert_int_equal(st->files, 1);
    assert_int_equal(st->truncated, 0);
    assert_int_equal(st->files_failed, 0);
    assert_string_equal(capture_current_file(cs), path); /* kept after the end */
    capture_close(cs);
}

static void test_pcap_nanosecond(void **state)
{
    Fixture *f = *state;
    char path[256];
    path_in(f, "nano.pcap", path, sizeof(path));
    const TestPkt pkts[] = {
        { 1500000000, 123456789, 42, 42, NULL },
        { 1500000001, 999, 42, 42, NULL },
    };
    write_pcap(path, DLT_EN10MB, 65535, 1, pkts, 2);
    CaptureSource *cs = open_ok(path);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_true(f->p->ts == 1500000000LL * 1000000 + 123456);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_true(f->p->ts == 1500000001LL * 1000000 + 0);
    assert_int_equal(capture_next(cs, f->p), 0);
    capture_close(cs);
}

static void test_pcapng_micro_and_nano(void **state)
{
    Fixture *f = *state;
    char path[256];
    const TestPkt us[] = {
        { 1600000000, 654321, 30, 30, NULL },
        { 1600000002, 1, 17, 1000, NULL },
    };
    path_in(f, "micro.pcapng", path, sizeof(path));
    write_pcapng(path, DLT_LINUX_SLL, 0, us, 2);
    CaptureSource *cs = open_ok(path);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(capture_next(cs, f->p), 1);
        assert_true(f->p->ts == (OdTime)us[i].sec * 1000000 + us[i].frac);
        assert_int_equal(f->p->len, us[i].caplen);
        assert_int_equal(f->p->wire_len, us[i].len);
        assert_int_equal(f->p->datalink, LINKTYPE_LINUX_SLL);
        uint8_t expect[64];
        fill_bytes(expect, us[i].caplen, (unsigned)i);
        assert_memory_equal(f->p->buf, expect, us[i].caplen);
    }
    assert_int_equal(capture_next(cs, f->p), 0);
    capture_close(cs);

    const TestPkt ns[] = { { 1600000000, 987654321, 20, 20, NULL } };
    path_in(f, "nano.pcapng", path, sizeof(path));
    write_pcapng(path, DLT_EN10MB, 1, ns, 1);
    cs = open_ok(path);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_true(f->p->ts == 1600000000LL * 1000000 + 987654);
    assert_int_equal(f->p->datalink, DLT_EN10MB);
    assert_int_equal(capture_next(cs, f->p), 0);
    capture_close(cs);
}

static void test_empty_pcap(void **state)
{
    Fixture *f = *state;
    char path[256];
    path_in(f, "empty.pcap", path, sizeof(path));
    write_pcap(path, DLT_EN10MB, 65535, 0, NULL, 0);
    CaptureSource *cs = open_ok(path);
    assert_int_equal(capture_next(cs, f->p), 0);
    assert_int_equal(capture_stats(cs)->packets, 0);
    assert_int_equal(capture_stats(cs)->files, 1);
    capture_close(cs);
}

static void test_folder_in_name_order(void **state)
{
    Fixture *f = *state;
    char path[256], sub[256];
    /* written out of order; read as a, b, c */
    const TestPkt b_pkts[] = { { 20, 0, 10, 10, NULL }, { 21, 0, 11, 11, NULL } };
    const TestPkt a_pkts[] = { { 10, 5, 12, 12, NULL } };
    const TestPkt c_pkts[] = { { 30, 0, 13, 13, NULL }, { 31, 0, 14, 14, NULL }, { 32, 0, 15, 15, NULL } };
    const TestPkt hidden[] = { { 99, 0, 16, 16, NULL } };
    write_pcap(path_in(f, "b.pcap", path, sizeof(path)), DLT_LINUX_SLL, 65535, 0, b_pkts, 2);
    write_pcapng(path_in(f, "c.pcapng", path, sizeof(path)), 276, 0, c_pkts, 3);
    write_pcap(path_in(f, "a.pcap", path, sizeof(path)), DLT_EN10MB, 65535, 0, a_pkts, 1);
    write_pcap(path_in(f, ".hidden.pcap", path, sizeof(path)), DLT_EN10MB, 65535, 0, hidden, 1);
    assert_int_equal(mkdir(path_in(f, "sub", sub, sizeof(sub)), 0700), 0);
    write_pcap(path_in(f, "sub/inner.pcap", path, sizeof(path)), DLT_EN10MB, 65535, 0, hidden, 1);

    CaptureSource *cs = open_ok(f->dir);
    assert_string_equal(capture_current_file(cs), "");
    static const struct {
        const char *file;
        int dlt;
        uint32_t len;
        OdTime ts;
    } want[] = {
        { "a.pcap", DLT_EN10MB, 12, 10000005 },  { "b.pcap", DLT_LINUX_SLL, 10, 20000000 },
        { "b.pcap", DLT_LINUX_SLL, 11, 21000000 }, { "c.pcapng", 276, 13, 30000000 },
        { "c.pcapng", 276, 14, 31000000 },       { "c.pcapng", 276, 15, 32000000 },
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        assert_int_equal(capture_next(cs, f->p), 1);
        assert_int_equal(f->p->pcap_cnt, i + 1);
        assert_int_equal(f->p->datalink, want[i].dlt);
        assert_int_equal(f->p->len, want[i].len);
        assert_true(f->p->ts == want[i].ts);
        assert_string_equal(capture_current_file(cs), path_in(f, want[i].file, path, sizeof(path)));
    }
    assert_int_equal(capture_next(cs, f->p), 0);
    assert_int_equal(capture_stats(cs)->files, 3);
    assert_int_equal(capture_file_count(cs), 3);
    assert_int_equal(capture_stats(cs)->packets, 6);
    capture_close(cs);
}

static void test_empty_folder_is_error(void **state)
{
    Fixture *f = *state;
    char err[512] = "";
    char path[256];
    assert_null(capture_open_offline(f->dir, err, sizeof(err)));
    assert_non_null(strstr(err, f->dir));
    assert_non_null(strstr(err, "no capture files"));

    /* hidden files and subfolders do not count */
    const TestPkt one[] = { { 1, 0, 10, 10, NULL } };
    write_pcap(path_in(f, ".only-hidden.pcap", path, sizeof(path)), DLT_EN10MB, 65535, 0, one, 1);
    assert_int_equal(mkdir(path_in(f, "sub", path, sizeof(path)), 0700), 0);
    err[0] = '\0';
    assert_null(capture_open_offline(f->dir, err, sizeof(err)));
    assert_non_null(strstr(err, "no capture files"));
}

static void test_missing_path(void **state)
{
    Fixture *f = *state;
    char err[512] = "";
    char path[256];
    path_in(f, "does-not-exist.pcap", path, sizeof(path));
    assert_null(capture_open_offline(path, err, sizeof(err)));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "No such file"));
    /* errlen 0 and NULL err are allowed */
    assert_null(capture_open_offline(path, NULL, 0));
}

static void test_not_a_capture(void **state)
{
    Fixture *f = *state;
    char err[512] = "";
    char path[256];

    path_in(f, "notes.txt", path, sizeof(path));
    const char text[] = "this is a text file, not a capture\n";
    write_bytes(path, text, sizeof(text) - 1);
    assert_null(capture_open_offline(path, err, sizeof(err)));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "not a pcap or pcapng file"));
    assert_non_null(strstr(err, "0x74686973")); /* "this" */

    path_in(f, "zero.pcap", path, sizeof(path));
    write_bytes(path, "", 0);
    assert_null(capture_open_offline(path, err, sizeof(err)));
    assert_non_null(strstr(err, path));
    assert_non_null(strstr(err, "not a pcap or pcapng file (the file is empty)"));

    path_in(f, "short.pcap", path, sizeof(path));
    write_bytes(path, "\xd4\xc3\xb2\xa1\x02\x00", 6);
    assert_null(capture_open_offline(path, err, sizeof(err)));
    assert_non_null(strstr(err, "only 6 bytes"));

    path_in(f, "capture.pcap.gz", path, sizeof(path));
    write_bytes(path, "\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10);
    assert_null(capture_open_offline(path, err, sizeof(err)));
    assert_non_null(strstr(err, "gzip"));
}

static void test_folder_skips_non_capture(void **state)
{
    Fixture *f = *state;
    char path[256];
    const TestPkt one[] = { { 1, 0, 10, 10, NULL } };
    write_pcap(path_in(f, "a.pcap", path, sizeof(path)), DLT_EN10MB, 65535, 0, one, 1);
    write_bytes(path_in(f, "b.txt", path, sizeof(path)), "hello, world", 12);
    write_pcap(path_in(f, "c.pcap", path, sizeof(path)), DLT_EN10MB, 65535, 0, one, 1);
    CaptureSource *cs = open_ok(f->dir);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_int_equal(f->p->pcap_cnt, 2);
    assert_string_equal(capture_current_file(cs), path_in(f, "c.pcap", path, sizeof(path)));
    assert_non_null(strstr(capture_error(cs), "b.txt: not a pcap or pcapng file"));
    assert_int_equal(capture_next(cs, f->p), 0);
    assert_int_equal(capture_stats(cs)->files_failed, 1);
    assert_int_equal(capture_stats(cs)->files, 2);
    capture_close(cs);
}

/* Writes a 3-packet pcap and cuts it `cut_back` bytes before its end. */
static void write_cut_pcap(const char *path, long cut_back)
{
    const TestPkt pkts[] = {
        { 1, 0, 40, 40, NULL },
        { 2, 0, 40, 40, NULL },
        { 3, 0, 40, 40, NULL },
    };
    write_pcap(path, DLT_EN10MB, 65535, 0, pkts, 3);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 24 + 3 * (16 + 40));
    assert_int_equal(truncate(path, st.st_size - cut_back), 0);
}

static void test_truncated_file(void **state)
{
    Fixture *f = *state;
    char path[256];

    /* cut in the middle of the third packet's data */
    path_in(f, "cut-data.pcap", path, sizeof(path));
    write_cut_pcap(path, 25);
    CaptureSource *cs = open_ok(path);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_int_equal(f->p->pcap_cnt, 2);
    assert_int_equal(capture_next(cs, f->p), 0);
    assert_int_equal(capture_stats(cs)->truncated, 1);
    assert_int_equal(capture_stats(cs)->files, 1);
    assert_int_equal(capture_stats(cs)->read_errors, 0);
    assert_non_null(strstr(capture_error(cs), path));
    assert_non_null(strstr(capture_error(cs), "cut short after 2 packets"));
    capture_close(cs);

    /* cut in the middle of the third record header */
    path_in(f, "cut-header.pcap", path, sizeof(path));
    write_cut_pcap(path, 40 + 6);
    cs = open_ok(path);
    assert_int_equal(count_all(cs, f->p), 2);
    assert_int_equal(capture_stats(cs)->truncated, 1);
    capture_close(cs);
}

static void test_truncated_file_in_folder_continues(void **state)
{
    Fixture *f = *state;
    char path[256];
    write_cut_pcap(path_in(f, "1-cut.pcap", path, sizeof(path)), 10);
    const TestPkt more[] = { { 9, 0, 20, 20, NULL }, { 10, 0, 20, 20, NULL } };
    write_pcap(path_in(f, "2-good.pcap", path, sizeof(path)), DLT_EN10MB, 65535, 0, more, 2);
    CaptureSource *cs = open_ok(f->dir);
    assert_int_equal(count_all(cs, f->p), 4);
    assert_int_equal(f->p->pcap_cnt, 4);
    assert_true(f->p->ts == 10 * 1000000LL);
    assert_int_equal(capture_stats(cs)->truncated, 1);
    assert_int_equal(capture_stats(cs)->files, 2);
    capture_close(cs);
}

static void test_truncated_pcapng(void **state)
{
    Fixture *f = *state;
    char path[256];
    const TestPkt pkts[] = { { 1, 0, 40, 40, NULL }, { 2, 0, 40, 40, NULL } };
    path_in(f, "cut.pcapng", path, sizeof(path));
    write_pcapng(path, DLT_EN10MB, 0, pkts, 2);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(truncate(path, st.st_size - 20), 0);
    CaptureSource *cs = open_ok(path);
    assert_int_equal(count_all(cs, f->p), 1);
    assert_int_equal(capture_stats(cs)->truncated, 1);
    assert_non_null(strstr(capture_error(cs), "cut short after 1 packet ("));
    capture_close(cs);
}

static void test_unusual_linktype(void **state)
{
    Fixture *f = *state;
    char path[256];
    const TestPkt one[] = { { 5, 0, 8, 8, NULL } };
    write_pcap(path_in(f, "user0.pcap", path, sizeof(path)), 147, 65535, 0, one, 1);
    CaptureSource *cs = open_ok(path);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_int_equal(f->p->datalink, 147);
    capture_close(cs);

    write_pcap(path_in(f, "null.pcap", path, sizeof(path)), DLT_NULL, 65535, 0, one, 1);
    cs = open_ok(path);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_int_equal(f->p->datalink, LINKTYPE_NULL);
    capture_close(cs);
}

static void test_caplen_over_snaplen(void **state)
{
    Fixture *f = *state;
    char path[256];
    static Bytes b;
    uint8_t data[300];
    fill_bytes(data, sizeof(data), 1);
    b.len = 0;
    put_pcap_header(&b, 100, 1);
    put_pcap_record(&b, 1, 0, 200, 200, data, 200); /* longer than the snapshot length */
    put_pcap_record(&b, 2, 0, 30, 30, data, 30);
    write_bytes(path_in(f, "oversnap.pcap", path, sizeof(path)), b.buf, b.len);
    CaptureSource *cs = open_ok(path);
    /* libpcap keeps the first snaplen bytes and skips the rest of the record */
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_true(f->p->len <= 200);
    assert_int_equal(f->p->wire_len, 200);
    assert_memory_equal(f->p->buf, data, f->p->len);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_int_equal(f->p->len, 30);
    assert_true(f->p->ts == 2000000);
    assert_int_equal(capture_next(cs, f->p), 0);
    capture_close(cs);
}

static void test_caplen_huge_stops_file(void **state)
{
    Fixture *f = *state;
    char path[256];
    static Bytes b;
    uint8_t data[64];
    fill_bytes(data, sizeof(data), 2);
    b.len = 0;
    put_pcap_header(&b, 65535, 1);
    put_pcap_record(&b, 1, 0, 64, 64, data, 64);
    put_pcap_record(&b, 2, 0, 300000, 300000, data, 64); /* > 256 KiB: bogus */
    put_pcap_record(&b, 3, 0, 64, 64, data, 64);
    write_bytes(path_in(f, "a-huge.pcap", path, sizeof(path)), b.buf, b.len);
    const TestPkt one[] = { { 7, 0, 10, 10, NULL } };
    write_pcap(path_in(f, "b-next.pcap", path, sizeof(path)), DLT_EN10MB, 65535, 0, one, 1);

    CaptureSource *cs = open_ok(path_in(f, "a-huge.pcap", path, sizeof(path)));
    assert_int_equal(count_all(cs, f->p), 1);
    assert_int_equal(capture_stats(cs)->read_errors, 1);
    assert_int_equal(capture_stats(cs)->truncated, 0);
    assert_non_null(strstr(capture_error(cs), "a-huge.pcap: stopped reading after 1 packet:"));
    assert_non_null(strstr(capture_error(cs), "300000"));
    capture_close(cs);

    /* in a folder, reading goes on with the next file */
    cs = open_ok(f->dir);
    assert_int_equal(count_all(cs, f->p), 2);
    assert_true(f->p->ts == 7000000);
    capture_close(cs);
}

static void write_udp_tcp_pcap(const char *path)
{
    uint8_t udp[54], tcp[54];
    make_ipv4_frame(udp, 17);
    make_ipv4_frame(tcp, 6);
    const TestPkt pkts[] = {
        { 1, 0, 54, 54, udp }, { 2, 0, 54, 54, tcp }, { 3, 0, 54, 54, udp },
        { 4, 0, 54, 54, tcp }, { 5, 0, 54, 54, tcp },
    };
    write_pcap(path, DLT_EN10MB, 65535, 0, pkts, 5);
}

static void test_bpf_filter(void **state)
{
    Fixture *f = *state;
    char path[256], err[512];
    write_udp_tcp_pcap(path_in(f, "mix.pcap", path, sizeof(path)));

    CaptureSource *cs = open_ok(path);
    assert_true(capture_set_filter(cs, "udp", err, sizeof(err)));
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_int_equal(f->p->pcap_cnt, 1);
    assert_true(f->p->ts == 1000000);
    assert_int_equal(capture_next(cs, f->p), 1);
    assert_int_equal(f->p->pcap_cnt, 2); /* filtered packets are not numbered */
    assert_true(f->p->ts == 3000000);
    assert_int_equal(capture_next(cs, f->p), 0);
    capture_close(cs);

    /* a bad expression is refused and the previous filter kept */
    cs = open_ok(path);
    assert_true(capture_set_filter(cs, "tcp", err, sizeof(err)));
    assert_false(capture_set_filter(cs, "tcp and and", err, sizeof(err)));
    assert_non_null(strstr(err, "invalid BPF filter \"tcp and and\""));
    assert_string_equal(capture_error(cs), err);
    assert_int_equal(count_all(cs, f->p), 3);
    capture_close(cs);

    /* removing the filter */
    cs = open_ok(path);
    assert_true(capture_set_filter(cs, "udp", err, sizeof(err)));
    assert_true(capture_set_filter(cs, NULL, err, sizeof(err)));
    assert_int_equal(count_all(cs, f->p), 5);
    capture_close(cs);
}

static void test_bpf_filter_per_file(void **state)
{
    Fixture *f = *state;
    char path[256], err[512];
    write_udp_tcp_pcap(path_in(f, "1-mix.pcap", path, sizeof(path)));
    /* the same traffic as raw IP: the filter is compiled for this link type */
    uint8_t udp[54];
    make_ipv4_frame(udp, 17);
    const TestPkt raw[] = { { 10, 0, 40, 40, udp + 14 } };
    write_pcap(path_in(f, "2-raw.pcap", path, sizeof(path)), DLT_RAW, 65535, 0, raw, 1);

    CaptureSource *cs = open_ok(f->dir);
    assert_true(capture_set_filter(cs, "udp", err, sizeof(err)));
    assert_int_equal(count_all(cs, f->p), 3);
    assert_int_equal(f->p->datalink, DLT_RAW);
    assert_int_equal(f->p->pcap_cnt, 3);
    capture_close(cs);

    /* a filter that cannot apply to a file's link type skips that file */
    cs = open_ok(f->dir);
    assert_true(capture_set_filter(cs, "ether src 00:06:07:08:09:0a", err, sizeof(err)));
    assert_int_equal(count_all(cs, f->p), 5);
    assert_int_equal(capture_stats(cs)->files_failed, 1);
    assert_non_null(strstr(capture_error(cs), "2-raw.pcap: BPF filter"));
    capture_close(cs);
}

static void test_stdin(void **state)
{
    Fixture *f = *state;
    char path[256];
    const TestPkt pkts[] = { { 3, 4, 10, 10, NULL }, { 5, 6, 11, 11, NULL } };
    write_pcap(path_in(f, "stdin.pcap", path, sizeof(path)), DLT_EN10MB, 65535, 0, pkts, 2);
    assert_non_null(freopen(path, "rb", stdin));
    CaptureSource *cs = open_ok("-");
    assert_string_equal(capture_current_file(cs), "-");
    assert_int_equal(count_all(cs, f->p), 2);
    assert_true(f->p->ts == 5000006);
    capture_close(cs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pcap_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pcap_nanosecond, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pcapng_micro_and_nano, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_pcap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_in_name_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_folder_is_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_path, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_a_capture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_folder_skips_non_capture, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_file_in_folder_continues, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_pcapng, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unusual_linktype, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caplen_over_snaplen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_caplen_huge_stops_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bpf_filter, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bpf_filter_per_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stdin, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
