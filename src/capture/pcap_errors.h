/*
 * Messages for people out of libpcap's error strings.
 *
 * libpcap reports a file that is not a capture as "unknown file format" and
 * an empty file as "truncated dump file; tried to read 4 file header bytes,
 * only got 0" — accurate, but it names neither the file nor the problem in
 * the user's terms. These helpers turn such strings into one-line messages
 * that name the file and say what is wrong with it, and tell a file cut
 * short mid-record (worth a warning, the packets before the cut are good)
 * from other read errors.
 */
#ifndef ODLAR_CAPTURE_PCAP_ERRORS_H
#define ODLAR_CAPTURE_PCAP_ERRORS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Writes into out (outlen bytes) why `path` could not be opened as a
 * capture, given libpcap's message and the first bytes of the file
 * (`head`, `head_len` of them, which may be 0) and the file's size
 * (-1 when unknown). The message starts with the path.
 */
void pcap_describe_open_error(const char *path, const char *libpcap_msg, const uint8_t *head, size_t head_len,
                              long long file_size, char *out, size_t outlen);

/* True when a pcap_next_ex error means the file ends in the middle of a record. */
bool pcap_error_is_truncation(const char *libpcap_msg);

#endif
