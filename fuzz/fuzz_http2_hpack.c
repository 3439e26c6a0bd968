/*
 * libFuzzer harness for the HPACK decoder (src/app/http2/hpack.c). The
 * first input byte picks the table size (low 3 bits, from a list running
 * from 0 to 64 KiB) and whether the SETTINGS_HEADER_TABLE_SIZE bound drops
 * to half of it after the first block (bit 3); the rest is a series of
 * header blocks `len(2, big endian) bytes(len)` decoded in order with one
 * decoder, as the blocks of one direction of a connection are. Every
 * decoded byte is read in the callback, and after every block the dynamic
 * table is walked and its size accounting checked.
 */
#include <stdint.h>
#include <stdlib.h>

#include "app/http2/hpack.h"
#include "util/bytes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned byte_sum_sink;

static const uint32_t TABLE_SIZES[8] = { 0, 1, 64, 256, 1024, 4096, 16384, 65536 };

static void touch_header(void *ctx, const HpackHeader *h)
{
    unsigned *sum = ctx;
    for (size_t i = 0; i < h->name_len; i++)
        *sum += h->name[i];
    for (size_t i = 0; i < h->value_len; i++)
        *sum += h->value[i];
}

static void check_table(const HpackDecoder *d)
{
    uint64_t total = 0;
    HpackHeader e;
    uint32_t n = 0;
    while (hpack_table_entry(d, n + 1, &e)) {
        total += e.name_len + e.value_len + HPACK_ENTRY_OVERHEAD;
        n++;
    }
    if (n != hpack_table_count(d) || total != hpack_table_size(d) || total > hpack_table_max_size(d))
        abort();
    (void)hpack_result_name(HPACK_OK);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    uint8_t opt;
    if (!br_u8(&r, &opt))
        return 0;
    uint32_t table_size = TABLE_SIZES[opt & 7];
    HpackDecoder d;
    hpack_decoder_init(&d, table_size);
    unsigned sum = 0;
    uint16_t len;
    bool first = true;
    while (br_be16(&r, &len)) {
        size_t n = br_remaining(&r) < len ? br_remaining(&r) : len;
        const uint8_t *block = NULL;
        br_bytes(&r, n, &block);
        HpackResult rc = hpack_decode_block(&d, block, n, touch_header, &sum);
        (void)hpack_result_name(rc);
        check_table(&d);
        if (first && (opt & 8))
            hpack_decoder_set_settings_max(&d, table_size / 2);
        first = false;
    }
    hpack_decoder_free(&d);
    byte_sum_sink = sum;
    return 0;
}
