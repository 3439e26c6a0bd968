/*
 * libFuzzer harness for offline capture: the input is taken as the whole
 * contents of a capture file. It is written to an anonymous in-memory file
 * (memfd) and read through the public capture API by its /proc/self/fd path,
 * exactly as `-r` would read a file on disk, so the open-error wording, the
 * per-record error handling and the copy into the Packet are all exercised
 * together with libpcap's pcap and pcapng readers -- and, since a memfd is a
 * regular file, the block reader of plain pcap files (capture/pcap-blocks.c)
 * with its hand-over to libpcap.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "capture/capture.h"
#include "decode/packet.h"
#include "util/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static Packet *p;
    if (p == NULL) {
        od_log_set_level(LOG_LVL_ERROR); /* run with -close_fd_mask=2 to hide those too */
        p = packet_new();
    }
    int fd = memfd_create("fuzz-pcap", 0);
    if (fd < 0)
        return 0;
    size_t off = 0;
    while (off < size) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) {
            close(fd);
            return 0;
        }
        off += (size_t)w;
    }
    char path[64];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    char err[256];
    CaptureSource *cs = capture_open_offline(path, err, sizeof(err));
    if (cs != NULL) {
        uint64_t total = 0;
        while (capture_next(cs, p) == 1) {
            /* touch every byte handed out, so a short copy shows up under ASan */
            for (uint32_t i = 0; i < p->len; i++)
                total += p->buf[i];
        }
        (void)total;
        capture_close(cs);
    }
    close(fd);
    return 0;
}
