/*
 * Engine messages for people: errors, warnings, info and debug lines on
 * stderr, with a level set once at start-up from -v/-q. Messages are plain
 * sentences; the caller names the file, key or rule the message is about.
 */
#ifndef ODLAR_UTIL_LOG_H
#define ODLAR_UTIL_LOG_H

typedef enum { LOG_LVL_ERROR = 0, LOG_LVL_WARNING, LOG_LVL_NOTICE, LOG_LVL_INFO, LOG_LVL_DEBUG } LogLevel;

void od_log_set_level(LogLevel level);
LogLevel od_log_get_level(void);
void od_log(LogLevel level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define od_error(...) od_log(LOG_LVL_ERROR, __VA_ARGS__)
#define od_warn(...) od_log(LOG_LVL_WARNING, __VA_ARGS__)
#define od_notice(...) od_log(LOG_LVL_NOTICE, __VA_ARGS__)
#define od_info(...) od_log(LOG_LVL_INFO, __VA_ARGS__)
#define od_debug(...) od_log(LOG_LVL_DEBUG, __VA_ARGS__)

#endif
