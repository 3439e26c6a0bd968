/*
 * Worker CPU pinning (contract in cpu-pin.h), with sched_setaffinity on
 * the calling thread (pthread_setaffinity_np), as Suricata's
 * threading.cpu-affinity worker-cpu-set does for its workers.
 */
#include "engine/cpu-pin.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>

#include "util/log.h"

bool cpu_pin_worker(const ThreadingConfig *tc, uint32_t k)
{
    if (tc->cpu_count == 0)
        return true;
    cpu_set_t set;
    CPU_ZERO(&set);
    if (tc->cpu_exclusive) {
        CPU_SET(tc->cpus[k % tc->cpu_count], &set);
    } else {
        for (uint32_t i = 0; i < tc->cpu_count; i++)
            CPU_SET(tc->cpus[i], &set);
    }
    int rc = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
    if (rc != 0) {
        od_warn("worker %u: cannot set its CPU affinity (threading.cpu-affinity): %s; it runs unpinned", k,
                strerror(rc));
        return false;
    }
    if (tc->cpu_exclusive)
        od_info("worker %u: pinned to CPU %u", k, tc->cpus[k % tc->cpu_count]);
    else
        od_info("worker %u: pinned to the %u CPUs of worker-cpu-set", k, tc->cpu_count);
    return true;
}
