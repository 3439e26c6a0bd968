/*
 * Rewrites libpcap's open errors into messages that name the file and say,
 * in plain words, what is wrong with it (see pcap_errors.h). Where we cannot
 * do better than libpcap, its own words are kept after the file name.
 */
#include "capture/pcap_errors.h"

#include <stdio.h>
#include <string.h>

#include "util/bytes.h"

/* A guess at what a non-capture file is, from its first bytes, or NULL. */
static const char *guess_format(const uint8_t *head, size_t head_len)
{
    if (head_len >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        return "it looks gzip-compressed; decompress it first";
    if (head_len >= 3 && memcmp(head, "BZh", 3) == 0)
        return "it looks bzip2-compressed; decompress it first";
    if (head_len >= 6 && memcmp(head, "\xfd" "7zXZ\0", 6) == 0)
        return "it looks xz-compressed; decompress it first";
    if (head_len >= 4 && memcmp(head, "\x28\xb5\x2f\xfd", 4) == 0)
        return "it looks zstd-compressed; decompress it first";
    if (head_len >= 4 && memcmp(head, "PK\x03\x04", 4) == 0)
        return "it looks like a zip archive; extract it first";
    if (head_len >= 8 && memcmp(head, "\x00\x00\x00\x02\x00\x00\x00\x04", 8) == 0)
        return "it looks like a snoop capture, which is not supported";
    return NULL;
}

void pcap_describe_open_error(const char *path, const char *libpcap_msg, const uint8_t *head, size_t head_len,
                              long long file_size, char *out, size_t outlen)
{
    if (file_size == 0) {
        snprintf(out, outlen, "%s: not a pcap or pcapng file (the file is empty)", path);
        return;
    }
    if (strstr(libpcap_msg, "unknown file format") != NULL && head_len >= 4) {
        const char *guess = guess_format(head, head_len);
        uint32_t magic = rd_be32(head);
        if (guess != NULL)
            snprintf(out, outlen, "%s: not a pcap or pcapng file (%s)", path, guess);
        else
            snprintf(out, outlen, "%s: not a pcap or pcapng file (unknown magic number 0x%08x)", path, magic);
        return;
    }
    if (strncmp(libpcap_msg, "truncated", 9) == 0 && strstr(libpcap_msg, "file header") != NULL) {
        if (file_size > 0)
            snprintf(out, outlen, "%s: not a pcap or pcapng file (only %lld bytes, too short for a capture file header)",
                     path, file_size);
        else
            snprintf(out, outlen, "%s: not a pcap or pcapng file (too short for a capture file header: %s)", path,
                     libpcap_msg);
        return;
    }
    snprintf(out, outlen, "%s: cannot read as a pcap or pcapng file: %s", path, libpcap_msg);
}

bool pcap_error_is_truncation(const char *libpcap_msg)
{
    return strstr(libpcap_msg, "truncated") != NULL;
}
