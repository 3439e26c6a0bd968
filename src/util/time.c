/*
 * Formatting of packet timestamps for EVE and fast.log, in local time as
 * Suricata writes them (tests set TZ=UTC to get +0000).
 */
#include "util/time.h"

#include <stdio.h>
#include <time.h>

static struct tm od_localtime(OdTime t)
{
    time_t secs = (time_t)OD_TIME_SEC(t);
    struct tm tm;
    localtime_r(&secs, &tm);
    return tm;
}

char *od_time_format(OdTime t, char *buf, size_t size)
{
    struct tm tm = od_localtime(t);
    char date[32], zone[8];
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
    strftime(zone, sizeof(zone), "%z", &tm);
    snprintf(buf, size, "%s.%06lld%s", date, (long long)OD_TIME_USEC(t), zone);
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
