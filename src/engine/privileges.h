/*
 * Running as an unprivileged user after the captures are open (--user,
 * --group, the `run-as:` section's `user` and `group`).
 *
 * The process takes the user's uid and the group's gid (the user's primary
 * group when no group is named), drops supplementary groups and every
 * capability except CAP_NET_RAW and CAP_NET_ADMIN, which the open AF_PACKET
 * and NFQUEUE sockets may still need (ring set-up, fanout, verdicts), and
 * clears the bounding set (libcap-ng). Call it before any thread starts:
 * capabilities are per thread, and threads started later inherit the
 * reduced set.
 */
#ifndef ODLAR_ENGINE_PRIVILEGES_H
#define ODLAR_ENGINE_PRIVILEGES_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/conf.h"

/* The user and group to run as (NULL: keep), from run-as.user/run-as.group. */
typedef struct RunAs {
    const char *user, *group;
} RunAs;

void run_as_read(Conf *conf, RunAs *ra);
/* Drops to ra's user and group. True when there was nothing to do or the
 * drop worked; false with the reason in err. */
bool privileges_drop(const RunAs *ra, char *err, size_t errlen);

#endif
