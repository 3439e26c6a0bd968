/*
 * Packet time. Odlar keeps every timestamp as signed microseconds since the
 * Unix epoch (`OdTime`); capture time, flow start/end and timeouts all use it.
 * `od_time_format` renders Suricata's EVE timestamp: local time with
 * microseconds and a numeric offset, e.g. 2009-01-03T19:20:35.577706+0000.
 * `od_seconds_between` is for the engine's own clocks (timings for -v).
 */
#ifndef ODLAR_UTIL_TIME_H
#define ODLAR_UTIL_TIME_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef int64_t OdTime;

#define OD_USEC_PER_SEC 1000000LL
#define OD_TIME_SEC(t) ((t) / OD_USEC_PER_SEC)
#define OD_TIME_USEC(t) ((t) % OD_USEC_PER_SEC)
#define OD_TIME_FROM_SEC(s) ((OdTime)(s) * OD_USEC_PER_SEC)

/* Writes the EVE form of `t` into buf (at least 32 bytes); returns buf. */
char *od_time_format(OdTime t, char *buf, size_t size);

/* Seconds from t0 to t1, two readings of one clock_gettime clock. */
static inline double od_seconds_between(struct timespec t0, struct timespec t1)
{
    return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

/* fast.log form: 01/03/2009-19:20:35.577706 (local time). */
char *od_time_format_fast(OdTime t, char *buf, size_t size);

#endif
