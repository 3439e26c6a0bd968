/*
 * Walking a classic pcap file block by block (contract in pcap-blocks.h).
 *
 * Layout (pcap-savefile(5)): a 24-byte file header -- magic, version
 * major and minor (16 bits each), time zone, sigfigs, snapshot length,
 * link type -- then records of a 16-byte header (seconds, microseconds or
 * nanoseconds, captured length, original length) and the captured bytes.
 * Fields are in the writer's byte order, which the magic tells. Every read
 * goes through the bounds-checked helpers of util/bytes.h.
 *
 * The buffer holds at least one whole record of the largest allowed size
 * after its header. When the next record is not wholly in it, the bytes
 * not yet handed out move to its start and the rest is filled from the
 * file; a record still not whole then is cut by the end of the file.
 */
#include "capture/pcap-blocks.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/bytes.h"

#define PCAP_FILE_HEADER 24u
#define PCAP_RECORD_HEADER 16u
#define PCAP_MAX_CAPLEN 262144u /* libpcap's largest snapshot length */

#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du

static uint32_t rd32(const uint8_t *p, bool swapped)
{
    /* the fields are little-endian on the machines that write most files;
     * `swapped` means the other order than this (little-endian) host's */
    return swapped ? rd_be32(p) : rd_le32(p);
}

bool pcap_blocks_classic_header(const uint8_t *hdr, size_t len, bool *swapped, bool *nsec)
{
    ByteReader r = br_init(hdr, len);
    uint32_t magic_le;
    uint16_t major, minor;
    if (!br_le32(&r, &magic_le))
        return false;
    if (magic_le == MAGIC_USEC || magic_le == MAGIC_NSEC) {
        *swapped = false;
        *nsec = magic_le == MAGIC_NSEC;
        if (!br_le16(&r, &major) || !br_le16(&r, &minor))
            return false;
    } else {
        uint32_t magic_be = rd_be32(hdr);
        if (magic_be != MAGIC_USEC && magic_be != MAGIC_NSEC)
            return false;
        *swapped = true;
        *nsec = magic_be == MAGIC_NSEC;
        if (!br_be16(&r, &major) || !br_be16(&r, &minor))
            return false;
    }
    return major == 2 && minor == 4 && len >= PCAP_FILE_HEADER;
}

bool pcap_blocks_open(PcapBlocks *b, int fd, uint32_t snapshot, size_t block)
{
    memset(b, 0, sizeof(*b));
    b->fd = -1;
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
    (void)fd;
    (void)snapshot;
    (void)block;
    return false; /* rd32's notion of "swapped" assumes a little-endian host */
#else
    struct stat st;
    uint8_t hdr[PCAP_FILE_HEADER];
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
        pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr) ||
        !pcap_blocks_classic_header(hdr, sizeof(hdr), &b->swapped, &b->nsec))
        return false;
    b->snaplen = snapshot < PCAP_MAX_CAPLEN ? snapshot : PCAP_MAX_CAPLEN;
    b->block = block ? block : PCAP_BLOCKS_DEFAULT;
    size_t whole_record = PCAP_RECORD_HEADER + (size_t)b->snaplen;
    b->cap = b->block > whole_record ? b->block : whole_record;
    if (!(b->buf = malloc(b->cap)))
        return false;
    b->fd = fd;
    b->buf_off = PCAP_FILE_HEADER;
    return true;
#endif
}

/* Moves the bytes not handed out yet to the buffer's start and fills the
 * rest from the file, a block at most. False on a read error. */
static bool refill(PcapBlocks *b)
{
    size_t keep = b->len - b->pos;
    memmove(b->buf, b->buf + b->pos, keep);
    b->buf_off += (off_t)b->pos;
    b->pos = 0;
    b->len = keep;
    size_t want = b->cap - keep;
    if (want > b->block)
        want = b->block;
    while (want > 0) {
        ssize_t got = pread(b->fd, b->buf + b->len, want, b->buf_off + (off_t)b->len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return false;
        if (got == 0) {
            b->at_end = true;
            break;
        }
        b->len += (size_t)got;
        want -= (size_t)got;
    }
    return true;
}

/* True when `n` bytes from the next record are in the buffer, reading
 * more when they are not and the file has them. */
static bool have(PcapBlocks *b, size_t n)
{
    if (b->len - b->pos >= n)
        return true;
    if (b->at_end || !refill(b))
        return false;
    return b->len - b->pos >= n;
}

PcapBlocksResult pcap_blocks_next(PcapBlocks *b, PacketRef *ref)
{
    if (b->fd < 0 || !have(b, PCAP_RECORD_HEADER))
        return PCAP_BLOCKS_HANDOVER; /* the end, a cut header or an error: libpcap says which */
    uint32_t caplen = rd32(b->buf + b->pos + 8, b->swapped);
    if (caplen > b->snaplen)
        return PCAP_BLOCKS_HANDOVER; /* oversized: libpcap's rules */
    if (!have(b, PCAP_RECORD_HEADER + (size_t)caplen))
        return PCAP_BLOCKS_HANDOVER; /* cut by the end of the file */
    ByteReader r = br_init(b->buf + b->pos, b->len - b->pos); /* a refill may have moved it */
    const uint8_t *h, *data;
    if (!br_bytes(&r, PCAP_RECORD_HEADER, &h) || !br_bytes(&r, caplen, &data))
        return PCAP_BLOCKS_HANDOVER;
    uint32_t sec = rd32(h, b->swapped), frac = rd32(h + 4, b->swapped);
    ref->data = data;
    ref->caplen = caplen;
    ref->wire_len = rd32(h + 12, b->swapped);
    ref->ts = (OdTime)sec * OD_USEC_PER_SEC + (OdTime)(b->nsec ? frac / 1000u : frac);
    b->pos += r.pos;
    return PCAP_BLOCKS_RECORD;
}

off_t pcap_blocks_offset(const PcapBlocks *b)
{
    return b->buf_off + (off_t)b->pos;
}

void pcap_blocks_close(PcapBlocks *b)
{
    free(b->buf);
    memset(b, 0, sizeof(*b));
    b->fd = -1;
}
