/*
 * Writes engine messages to the console, prefixed with their level: errors
 * to stderr, the other levels to stdout (flushed per line), as Suricata's
 * console output does, so scripts that read either stream find them there. The level is a
 * process-wide setting made before threads start, so reading it is safe.
 * Worker threads may log at once: each message is formatted into a local
 * buffer and written with one stdio call, which holds the stream's lock, so
 * lines never interleave. The optional log file (log.h) is written the
 * same way, one stdio call per line.
 */
#include "util/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/json.h"

static LogLevel current_level = LOG_LVL_NOTICE;
static FILE *log_file;
static bool log_file_json;
static LogLevel log_file_level = LOG_LVL_INFO;
static char log_file_path[4096];
static bool log_file_configured; /* set before threads start, cleared at exit */
/* held while writing to or swapping log_file (SIGHUP reopen under traffic) */
static pthread_mutex_t log_file_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *const level_names[] = { "Error", "Warning", "Notice", "Info", "Debug" };

bool od_log_open_file(const char *path, bool json, LogLevel level)
{
    FILE *f = fopen(path, "a");
    if (!f)
        return false;
    setvbuf(f, NULL, _IOLBF, 0);
    od_log_close_file();
    log_file = f;
    log_file_json = json;
    log_file_level = level;
    snprintf(log_file_path, sizeof(log_file_path), "%s", path);
    log_file_configured = true;
    return true;
}

bool od_log_reopen_file(void)
{
    if (!log_file)
        return true;
    FILE *f = fopen(log_file_path, "a");
    if (!f) {
        pthread_mutex_lock(&log_file_lock);
        FILE *old = log_file;
        log_file = NULL;
        pthread_mutex_unlock(&log_file_lock);
        fclose(old);
        return false;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    pthread_mutex_lock(&log_file_lock);
    FILE *old = log_file;
    log_file = f;
    pthread_mutex_unlock(&log_file_lock);
    fclose(old);
    return true;
}

void od_log_close_file(void)
{
    if (log_file)
        fclose(log_file);
    log_file = NULL;
    log_file_configured = false;
}

bool od_log_level_parse(const char *name, LogLevel *out)
{
    static const struct {
        const char *name;
        LogLevel level;
    } map[] = { { "error", LOG_LVL_ERROR }, { "warning", LOG_LVL_WARNING }, { "notice", LOG_LVL_NOTICE },
                { "info", LOG_LVL_INFO },   { "perf", LOG_LVL_INFO },       { "config", LOG_LVL_INFO },
                { "debug", LOG_LVL_DEBUG } };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcasecmp(name, map[i].name) == 0) {
            *out = map[i].level;
            return true;
        }
    return false;
}

/* One line in the log file: "<time> - <Level> -- <message>" or JSON. */
static void write_file_line(LogLevel level, const char *msg)
{
    char ts[64];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm tm;
    gmtime_r(&now.tv_sec, &tm);
    size_t n = strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(ts + n, sizeof(ts) - n, ".%06ld+0000", now.tv_nsec / 1000);
    if (!log_file_json) {
        fprintf(log_file, "%s - <%s> -- %s\n", ts, level_names[level], msg);
        return;
    }
    JsonBuf j;
    jb_init(&j);
    jb_open_object(&j, NULL);
    jb_str(&j, "timestamp", ts);
    jb_str(&j, "log_level", level_names[level]);
    jb_str(&j, "event_type", "engine");
    jb_open_object(&j, "engine");
    jb_str(&j, "message", msg);
    jb_close_object(&j);
    jb_close_object(&j);
    fprintf(log_file, "%.*s\n", (int)j.len, j.buf);
    jb_free(&j);
}

void od_log_set_level(LogLevel level) { current_level = level; }
LogLevel od_log_get_level(void) { return current_level; }

void od_log(LogLevel level, const char *fmt, ...)
{
    bool to_file = log_file_configured && level <= log_file_level;
    if (level > current_level && !to_file)
        return;
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (level <= current_level) {
        FILE *console = level == LOG_LVL_ERROR ? stderr : stdout;
        fprintf(console, "%s: odlar: %s\n", level_names[level], line);
        if (console == stdout)
            fflush(stdout);
    }
    if (to_file) {
        pthread_mutex_lock(&log_file_lock);
        if (log_file)
            write_file_line(level, line);
        pthread_mutex_unlock(&log_file_lock);
    }
}
