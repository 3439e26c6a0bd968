/*
 * fast.log: one line per alert in Suricata's classic format,
 *   MM/DD/YYYY-HH:MM:SS.uuuuuu  [**] [gid:sid:rev] msg [**]
 *   [Classification: text] [Priority: n] {PROTO} src:port -> dst:port
 *
 * As with EVE, a worker's copy of the FastLog has `queue` set and its lines
 * go there, to be written in the run's deterministic order.
 */
#ifndef ODLAR_OUTPUT_FAST_LOG_H
#define ODLAR_OUTPUT_FAST_LOG_H

#include <stdbool.h>
#include <stdio.h>

#include "conf/conf.h"
#include "decode/packet.h"
#include "output/record-queue.h"

typedef struct FastLog {
    FILE *file;
    char path[4096];
    RecordQueue *queue; /* when set, lines are queued here instead of written */
} FastLog;

/* Opens fast.log when `outputs.fast.enabled` is on; a disabled output leaves
 * log->file NULL. Returns false with a message on an open failure. */
bool fast_log_open(FastLog *log, Conf *conf, const char *log_dir, char *err, size_t errlen);
void fast_log_close(FastLog *log);

typedef struct FastLogAlert {
    uint32_t gid, sid, rev;
    const char *msg;
    const char *classification; /* NULL when the rule has no classtype */
    int priority;
    const char *action_prefix; /* "[Drop] " / "[wDrop] " or "" */
} FastLogAlert;

void fast_log_alert(FastLog *log, const Packet *p, const FastLogAlert *a);

#endif
