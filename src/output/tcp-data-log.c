/*
 * tcp-data.log writer (format in tcp-data-log.h). The hex dump is the one
 * Suricata prints raw data with: per 16 bytes an offset in four upper-case
 * hex digits, the bytes in upper-case hex with an extra space after the
 * eighth, then the same bytes as text (non-printable ones as '.') with a
 * space after the eighth; a short last line is padded so its text lines up.
 */
#include "output/tcp-data-log.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/eve.h"
#include "util/log.h"

bool tcp_data_log_enabled(Conf *conf)
{
    ConfNode *n = conf ? output_find(conf, "tcp-data") : NULL;
    bool enabled = false;
    if (!n || !conf_node_get_bool(n, "enabled", &enabled) || !enabled)
        return false;
    const char *type = "file";
    conf_node_get_str(n, "type", &type);
    return strcmp(type, "file") == 0;
}

bool tcp_data_log_open(TcpDataLog *log, Conf *conf, const char *log_dir, char *err, size_t errlen)
{
    memset(log, 0, sizeof(*log));
    ConfNode *n = output_find(conf, "tcp-data");
    bool enabled = false;
    if (!n || !conf_node_get_bool(n, "enabled", &enabled) || !enabled)
        return true;
    if (!tcp_data_log_enabled(conf)) {
        od_warn("outputs.tcp-data: only `type: file` is supported; output left off");
        return true;
    }
    const char *filename = "tcp-data.log";
    conf_node_get_str(n, "filename", &filename);
    if (filename[0] == '/')
        snprintf(log->path, sizeof(log->path), "%s", filename);
    else
        snprintf(log->path, sizeof(log->path), "%s/%s", log_dir, filename);
    log->file = fopen(log->path, "a");
    if (!log->file) {
        snprintf(err, errlen, "cannot open %s: %s", log->path, strerror(errno));
        return false;
    }
    return true;
}

void tcp_data_log_close(TcpDataLog *log)
{
    if (log->file)
        fclose(log->file);
    log->file = NULL;
}

static void format_addr(const Address *a, char *buf, size_t size)
{
    if (a->family != 6 || inet_ntop(AF_INET6, a->addr, buf, (socklen_t)size) == NULL)
        if (inet_ntop(AF_INET, a->addr, buf, (socklen_t)size) == NULL)
            snprintf(buf, size, "?");
}

/* Bytes of the dump of `len` bytes: per full or partial 16-byte line, 7
 * (offset) + 49 (hex) + 2 + 17 (text) + 1 (newline) at most. */
static size_t dump_size(uint32_t len)
{
    return ((size_t)len / 16 + 1) * 80;
}

static size_t hex_dump(char *out, const uint8_t *d, uint32_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t o = 0;
    uint32_t ch = 0;
    for (uint32_t u = 0; u < len; u += 16) {
        o += (size_t)sprintf(out + o, " %04X  ", u & 0xffffu);
        for (ch = 0; u + ch < len && ch < 16; ch++) {
            out[o++] = hex[d[u + ch] >> 4];
            out[o++] = hex[d[u + ch] & 15];
            out[o++] = ' ';
            if (ch == 7)
                out[o++] = ' ';
        }
        /* pad a short line: three columns per missing byte, one more when
         * the middle space was not reached */
        size_t pad = ch == 16 ? 2 : (16u - ch) * 3u + 2u + (ch < 8 ? 1u : 0u);
        memset(out + o, ' ', pad);
        o += pad;
        for (ch = 0; u + ch < len && ch < 16; ch++) {
            out[o++] = isprint(d[u + ch]) ? (char)d[u + ch] : '.';
            if (ch == 7)
                out[o++] = ' ';
            if (ch == 15)
                out[o++] = '\n';
        }
    }
    if (ch != 16)
        out[o++] = '\n';
    return o;
}

size_t tcp_data_log_format(char *buf, size_t size, const Flow *f, bool to_server, const uint8_t *data,
                           uint32_t len)
{
    char src[64], dst[64], head[200];
    format_addr(&f->src, src, sizeof(src));
    format_addr(&f->dst, dst, sizeof(dst));
    int h = snprintf(head, sizeof(head), "%s_%u-%s_%u-%s:\n", src, f->sp, dst, f->dp, to_server ? "ts" : "tc");
    size_t need = (size_t)h + dump_size(len);
    if (need > size)
        return need;
    memcpy(buf, head, (size_t)h);
    return (size_t)h + hex_dump(buf + h, data, len);
}

void tcp_data_log_chunk(RecordQueue *q, const Flow *f, bool to_server, const uint8_t *data, uint32_t len)
{
    if (q == NULL || len == 0)
        return;
    size_t need = tcp_data_log_format(NULL, 0, f, to_server, data, len);
    char *buf = malloc(need);
    if (buf == NULL)
        return;
    size_t n = tcp_data_log_format(buf, need, f, to_server, data, len);
    record_queue_add(q, RECORD_TARGET_TCP_DATA, buf, n);
    free(buf);
}
