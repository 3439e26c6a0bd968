/*
 * Formatting of packet timestamps for EVE and fast.log, in local time as
 * Suricata writes them (tests set TZ=UTC to get +0000).
 */
#include "util/time.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

static struct tm od_localtime(OdTime t)
{
    time_t secs = (time_t)OD_TIME_SEC(t);
    struct tm tm;
    localtime_r(&secs, &tm);
    return tm;
}

/* The date part of the last second formatted, per thread: consecutive
 * records mostly share their second, and localtime_r + strftime dominate
 * the cost of a timestamp otherwise. */
static __thread struct {
    int64_t sec;
    bool valid;
    char date[32];
    char zone[8];
} time_cache;

char *od_time_format(OdTime t, char *buf, size_t size)
{
    int64_t sec = OD_TIME_SEC(t);
    int64_t usec = OD_TIME_USEC(t);
    if (usec < 0) {
        sec -= 1;
        usec += OD_USEC_PER_SEC;
    }
    if (!time_cache.valid || time_cache.sec != sec) {
        struct tm tm = od_localtime(OD_TIME_FROM_SEC(sec));
        strftime(time_cache.date, sizeof(time_cache.date), "%Y-%m-%dT%H:%M:%S", &tm);
        strftime(time_cache.zone, sizeof(time_cache.zone), "%z", &tm);
        time_cache.sec = sec;
        time_cache.valid = true;
    }
    char frac[8];
    for (int i = 5; i >= 0; i--) {
        frac[i] = (char)('0' + usec % 10);
        usec /= 10;
    }
    frac[6] = '\0';
    snprintf(buf, size, "%s.%s%s", time_cache.date, frac, time_cache.zone);
    return buf;
}

char *od_time_format_fast(OdTime t, char *buf, size_t size)
{
    struct tm tm = od_localtime(t);
    char date[32];
    strftime(date, sizeof(date), "%m/%d/%Y-%H:%M:%S", &tm);
    snprintf(buf, size, "%s.%06lld", date, (long long)OD_TIME_USEC(t));
    return buf;
}
