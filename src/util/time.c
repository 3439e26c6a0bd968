/*
 * Formatting of packet timestamps for EVE and fast.log, in local time as
 * Suricata writes them (tests set TZ=UTC to get +0000).
 */
#include "util/time.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
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
/* The date part of recently formatted seconds, per thread: records mostly
 * share their seconds (a flow record has its start, end and log time), and
 * localtime_r + strftime would otherwise dominate the cost of a timestamp. */
#define TIME_CACHE_SLOTS 4
typedef struct TimeCacheSlot {
    int64_t sec;
    bool valid;
    size_t date_len, zone_len;
    char date[32];
    char zone[8];
} TimeCacheSlot;
static __thread TimeCacheSlot time_cache[TIME_CACHE_SLOTS];

static const TimeCacheSlot *time_cache_get(int64_t sec)
{
    TimeCacheSlot *slot = &time_cache[(uint64_t)sec % TIME_CACHE_SLOTS];
    if (!slot->valid || slot->sec != sec) {
        struct tm tm = od_localtime(OD_TIME_FROM_SEC(sec));
        slot->date_len = strftime(slot->date, sizeof(slot->date), "%Y-%m-%dT%H:%M:%S", &tm);
        slot->zone_len = strftime(slot->zone, sizeof(slot->zone), "%z", &tm);
        slot->sec = sec;
        slot->valid = true;
    }
    return slot;
}

char *od_time_format(OdTime t, char *buf, size_t size)
{
    int64_t sec = OD_TIME_SEC(t);
    int64_t usec = OD_TIME_USEC(t);
    if (usec < 0) {
        sec -= 1;
        usec += OD_USEC_PER_SEC;
    }
    const TimeCacheSlot *c = time_cache_get(sec);
    if (size < c->date_len + 7 + c->zone_len + 1) {
        if (size)
            buf[0] = '\0';
        return buf;
    }
    char *p = buf;
    memcpy(p, c->date, c->date_len);
    p += c->date_len;
    *p++ = '.';
    for (int i = 5; i >= 0; i--) {
        p[i] = (char)('0' + usec % 10);
        usec /= 10;
    }
    p += 6;
    memcpy(p, c->zone, c->zone_len);
    p[c->zone_len] = '\0';
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
