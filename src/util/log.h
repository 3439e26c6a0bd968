/*
 * Engine messages for people: errors on stderr, warnings, notices, info and
 * debug lines on stdout (Suricata's console split), with a level set once at start-up from -v/-q. Messages are plain
 * sentences; the caller names the file, key or rule the message is about.
 *
 * Also, as Suricata's `logging.outputs` `file` output, to a log file in
 * the log folder (suricata.log by default) with a level of its own, as text
 * lines or, with `type: json`, as EVE-style `engine` records
 * ({"timestamp", "log_level", "event_type": "engine", "engine":
 * {"message"}}).
 */
#ifndef ODLAR_UTIL_LOG_H
#define ODLAR_UTIL_LOG_H

typedef enum { LOG_LVL_ERROR = 0, LOG_LVL_WARNING, LOG_LVL_NOTICE, LOG_LVL_INFO, LOG_LVL_DEBUG } LogLevel;

void od_log_set_level(LogLevel level);
LogLevel od_log_get_level(void);
void od_log(LogLevel level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Starts writing messages up to `level` to `path` too (appending); false
 * with errno set when the file cannot be opened. Call before threads start;
 * od_log_close_file at exit. */
#include <stdbool.h>
bool od_log_open_file(const char *path, bool json, LogLevel level);
void od_log_close_file(void);
/* SIGHUP (logrotate): opens the log file again at its path; false with
 * errno set when that fails (messages then stop going to a file). */
bool od_log_reopen_file(void);
/* A level name as Suricata's configuration spells it (error, warning,
 * notice, info, perf, config, debug); false when unknown. */
bool od_log_level_parse(const char *name, LogLevel *out);

#define od_error(...) od_log(LOG_LVL_ERROR, __VA_ARGS__)
#define od_warn(...) od_log(LOG_LVL_WARNING, __VA_ARGS__)
#define od_notice(...) od_log(LOG_LVL_NOTICE, __VA_ARGS__)
#define od_info(...) od_log(LOG_LVL_INFO, __VA_ARGS__)
#define od_debug(...) od_log(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
