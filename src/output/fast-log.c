/*
 * Writer of fast.log alert lines (see fast-log.h for the format).
 */
#include "output/fast-log.h"

#include <errno.h>
#include <string.h>

#include "flow/flow.h"
#include "output/eve.h"
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

void fast_log_alert(FastLog *log, const Packet *p, const FastLogAlert *a)
{
    if (!log->file)
        return;
    char tbuf[64], src[64], dst[64], proto[16];
    od_time_format_fast(p->ts, tbuf, sizeof(tbuf));
    fprintf(log->file, "%s  %s[**] [%u:%u:%u] %s [**] ", tbuf, a->action_prefix ? a->action_prefix : "", a->gid,
            a->sid, a->rev, a->msg);
    if (a->classification)
        fprintf(log->file, "[Classification: %s] ", a->classification);
    fprintf(log->file, "[Priority: %d] {%s} ", a->priority, flow_proto_name(p->proto, proto, sizeof(proto)));
    address_format(&p->src_addr, src, sizeof(src));
    address_format(&p->dst_addr, dst, sizeof(dst));
    if (p->proto == 6 || p->proto == 17 || p->proto == 132)
        fprintf(log->file, "%s:%u -> %s:%u\n", src, p->sp, dst, p->dp);
    else
        fprintf(log->file, "%s -> %s\n", src, dst);
}
