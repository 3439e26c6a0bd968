/*
 * Writer of fast.log alert lines (see fast-log.h for the format).
 */
#include "output/fast-log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flow.h"
#include "output/eve.h"
#include "util/log.h"
#include "util/time.h"


bool fast_log_open(FastLog *log, Conf *conf, const char *log_dir, char *err, size_t errlen)
{
    memset(log, 0, sizeof(*log));
    ConfNode *fast = output_find(conf, "fast");
    bool enabled = false;
    if (!fast || !conf_node_get_bool(fast, "enabled", &enabled) || !enabled)
        return true;
    const char *filename = "fast.log";
    conf_node_get_str(fast, "filename", &filename);
    bool append = true;
    conf_node_get_bool(fast, "append", &append);
    if (filename[0] == '/')
        snprintf(log->path, sizeof(log->path), "%s", filename);
    else
        snprintf(log->path, sizeof(log->path), "%s/%s", log_dir, filename);
    log->file = fopen(log->path, append ? "a" : "w");
    if (!log->file) {
        snprintf(err, errlen, "cannot open %s: %s", log->path, strerror(errno));
        return false;
    }
    return true;
}

void fast_log_close(FastLog *log)
{
    if (log->file)
        fclose(log->file);
    log->file = NULL;
}

/* Formats the alert line into buf (size bytes, terminated when size > 0)
 * and returns its full length, as snprintf does: a longer line is cut. */
static size_t format_line(char *buf, size_t size, const Packet *p, const FastLogAlert *a)
{
    size_t pos = 0;
#define LINE_ADD(...)                                                                      \
    do {                                                                                   \
        size_t room = pos < size ? size - pos : 0;                                         \
        int n = snprintf(room ? buf + pos : NULL, room, __VA_ARGS__);                      \
        if (n > 0)                                                                         \
            pos += (size_t)n;                                                              \
    } while (0)
    char tbuf[64], src[64], dst[64], proto[16];
    od_time_format_fast(p->ts, tbuf, sizeof(tbuf));
    LINE_ADD("%s  %s[**] [%u:%u:%u] %s [**] ", tbuf, a->action_prefix ? a->action_prefix : "", a->gid, a->sid,
             a->rev, a->msg);
    if (a->classification)
        LINE_ADD("[Classification: %s] ", a->classification);
    LINE_ADD("[Priority: %d] {%s} ", a->priority, flow_proto_name(p->proto, proto, sizeof(proto)));
    address_format(&p->src_addr, src, sizeof(src));
    address_format(&p->dst_addr, dst, sizeof(dst));
    if (p->proto == 6 || p->proto == 17 || p->proto == 132)
        LINE_ADD("%s:%u -> %s:%u\n", src, p->sp, dst, p->dp);
    else
        LINE_ADD("%s -> %s\n", src, dst);
#undef LINE_ADD
    return pos;
}

void fast_log_alert(FastLog *log, const Packet *p, const FastLogAlert *a)
{
    if (!log->file)
        return;
    char stack_line[2048];
    char *line = stack_line;
    size_t len = format_line(stack_line, sizeof(stack_line), p, a);
    if (len >= sizeof(stack_line)) {
        line = malloc(len + 1);
        if (line == NULL) {
            od_error("no memory for a fast.log line");
            return;
        }
        format_line(line, len + 1, p, a);
    }
    if (log->queue)
        record_queue_add(log->queue, RECORD_TARGET_FAST, line, len);
    else if (fwrite(line, 1, len, log->file) != len)
        od_error("writing %s failed: %s", log->path, strerror(errno));
    if (line != stack_line)
        free(line);
}
