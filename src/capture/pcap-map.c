/*
 * Walking a mapped classic pcap file (contract in pcap-map.h).
 *
 * Layout (pcap-savefile(5)): a 24-byte file header -- magic, version
 * major and minor (16 bits each), time zone, sigfigs, snapshot length,
 * link type -- then records of a 16-byte header (seconds, microseconds or
 * nanoseconds, captured length, original length) and the captured bytes.
 * Fields are in the writer's byte order, which the magic tells. Every read
 * goes through the bounds-checked helpers of util/bytes.h.
 *
 * The map is asked to be filled ahead of the reader (MADV_POPULATE_READ
 * where the kernel has it) in windows, so that the pages come in a few
 * calls rather than one fault each, and released behind it
 * (MADV_DONTNEED) once the reader is a window further on.
 */
#include "capture/pcap-map.h"

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "util/bytes.h"

#define PCAP_FILE_HEADER 24u
#define PCAP_RECORD_HEADER 16u
#define PCAP_MAX_CAPLEN 262144u /* libpcap's largest snapshot length */
#define MAP_WINDOW (1024u * 1024u) /* populate / release granularity */
#define PAGE_MASK_4K ((size_t)4095)

#define MAGIC_USEC 0xa1b2c3d4u
#define MAGIC_NSEC 0xa1b23c4du

static uint32_t rd32(const uint8_t *p, bool swapped)
{
    /* the fields are little-endian on the machines that write most files;
     * `swapped` means the other order than this (little-endian) host's */
    return swapped ? rd_be32(p) : rd_le32(p);
}

bool pcap_map_classic_header(const uint8_t *hdr, size_t len, bool *swapped, bool *nsec)
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

bool pcap_map_open(PcapMap *m, int fd, uint32_t snapshot)
{
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
    (void)fd;
    (void)snapshot;
    memset(m, 0, sizeof(*m));
    return false; /* rd32's notion of "swapped" assumes a little-endian host */
#else
    memset(m, 0, sizeof(*m));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)PCAP_FILE_HEADER)
        return false;
    size_t size = (size_t)st.st_size;
    void *base = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (base == MAP_FAILED)
        return false;
    if (!pcap_map_classic_header(base, size, &m->swapped, &m->nsec)) {
        munmap(base, size);
        return false;
    }
    (void)madvise(base, size, MADV_SEQUENTIAL);
    m->base = base;
    m->size = size;
    m->off = PCAP_FILE_HEADER;
    m->snaplen = snapshot < PCAP_MAX_CAPLEN ? snapshot : PCAP_MAX_CAPLEN;
    return true;
#endif
}

/* Keeps the pages around the reading position mapped, and no others. */
static void follow_reader(PcapMap *m)
{
    if (m->off + MAP_WINDOW > m->populated && m->populated < m->size) {
        size_t from = m->populated & ~PAGE_MASK_4K;
        size_t to = m->off + 2 * (size_t)MAP_WINDOW;
        if (to > m->size)
            to = m->size;
#ifdef MADV_POPULATE_READ
        (void)madvise((void *)(m->base + from), to - from, MADV_POPULATE_READ);
#else
        (void)madvise((void *)(m->base + from), to - from, MADV_WILLNEED);
#endif
        m->populated = to;
    }
    if (m->off > m->released + 2 * (size_t)MAP_WINDOW) {
        size_t to = (m->off - MAP_WINDOW) & ~PAGE_MASK_4K;
        (void)madvise((void *)(m->base + m->released), to - m->released, MADV_DONTNEED);
        m->released = to;
    }
}

PcapMapResult pcap_map_next(PcapMap *m, PacketRef *ref)
{
    if (!m->base || m->off >= m->size)
        return PCAP_MAP_HANDOVER;
    follow_reader(m);
    ByteReader r = br_init(m->base + m->off, m->size - m->off);
    const uint8_t *h;
    if (!br_bytes(&r, PCAP_RECORD_HEADER, &h))
        return PCAP_MAP_HANDOVER; /* a cut header: libpcap says so */
    uint32_t sec = rd32(h, m->swapped), frac = rd32(h + 4, m->swapped);
    uint32_t caplen = rd32(h + 8, m->swapped), len = rd32(h + 12, m->swapped);
    const uint8_t *data;
    if (caplen > m->snaplen || !br_bytes(&r, caplen, &data))
        return PCAP_MAP_HANDOVER; /* oversized or cut: libpcap's rules */
    ref->data = data;
    ref->caplen = caplen;
    ref->wire_len = len;
    ref->ts = (OdTime)sec * OD_USEC_PER_SEC + (OdTime)(m->nsec ? frac / 1000u : frac);
    m->off += PCAP_RECORD_HEADER + caplen;
    return PCAP_MAP_RECORD;
}

void pcap_map_close(PcapMap *m)
{
    if (m->base)
        munmap((void *)m->base, m->size);
    memset(m, 0, sizeof(*m));
}
