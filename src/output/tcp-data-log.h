/*
 * tcp-data.log: every byte of reassembled TCP data as a hex dump, one
 * chunk at a time, each headed by the flow and direction it belongs to
 * (Suricata's `tcp-data` streaming output, `type: file`):
 *
 *   10.16.1.11_59733-104.131.202.103_80-ts:
 *    0000  47 45 54 20 2F 62 61 73  65 36 34 2D 68 65 6C 6C   GET /bas e64-hell
 *
 * "ts" is client to server, "tc" the other way; the addresses and ports are
 * the flow's, client first. Chunks are what the stream stage hands on in
 * order (acknowledged data, or all of it at the flow's end). Workers queue
 * their chunks as RECORD_TARGET_TCP_DATA records, so the file comes out in
 * packet order whatever the runmode.
 */
#ifndef ODLAR_OUTPUT_TCP_DATA_LOG_H
#define ODLAR_OUTPUT_TCP_DATA_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "conf/conf.h"
#include "flow/flow.h"
#include "output/record-queue.h"

typedef struct TcpDataLog {
    FILE *file;
    char path[4096];
} TcpDataLog;

/* Is `outputs.tcp-data.enabled` on? */
bool tcp_data_log_enabled(Conf *conf);
/* Opens the file when the output is enabled (log->file stays NULL
 * otherwise). `type: dir` (a file per flow) is not supported: it is
 * reported and the output left off. False with a message when the file
 * cannot be opened. */
bool tcp_data_log_open(TcpDataLog *log, Conf *conf, const char *log_dir, char *err, size_t errlen);
void tcp_data_log_close(TcpDataLog *log);

/* Formats one chunk (header line and hex dump) and queues it. */
void tcp_data_log_chunk(RecordQueue *q, const Flow *f, bool to_server, const uint8_t *data, uint32_t len);
/* The formatted chunk into buf (size bytes); returns its length, or the
 * length it needs when larger than size (nothing written then). */
size_t tcp_data_log_format(char *buf, size_t size, const Flow *f, bool to_server, const uint8_t *data,
                           uint32_t len);

#endif
