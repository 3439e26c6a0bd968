/*
 * Dropping privileges with libcap-ng (contract in privileges.h).
 */
#include "engine/privileges.h"

#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"

void run_as_read(Conf *conf, RunAs *ra)
{
    ra->user = NULL;
    ra->group = NULL;
    conf_get_str(conf, "run-as.user", &ra->user);
    conf_get_str(conf, "run-as.group", &ra->group);
    if (ra->user && !ra->user[0])
        ra->user = NULL;
    if (ra->group && !ra->group[0])
        ra->group = NULL;
}

/* A user or group given by name or number. */
static bool lookup_ids(const RunAs *ra, uid_t *uid, gid_t *gid, char *err, size_t errlen)
{
    *uid = getuid();
    *gid = getgid();
    if (ra->user) {
        struct passwd *pw = getpwnam(ra->user);
        char *end = NULL;
        unsigned long n = strtoul(ra->user, &end, 10);
        if (!pw && end && *end == '\0' && end != ra->user)
            pw = getpwuid((uid_t)n);
        if (!pw) {
            snprintf(err, errlen, "run-as: no such user '%s'", ra->user);
            return false;
        }
        *uid = pw->pw_uid;
        *gid = pw->pw_gid;
    }
    if (ra->group) {
        struct group *gr = getgrnam(ra->group);
        char *end = NULL;
        unsigned long n = strtoul(ra->group, &end, 10);
        if (!gr && end && *end == '\0' && end != ra->group)
            gr = getgrgid((gid_t)n);
        if (!gr) {
            snprintf(err, errlen, "run-as: no such group '%s'", ra->group);
            return false;
        }
        *gid = gr->gr_gid;
    }
    return true;
}

bool privileges_drop(const RunAs *ra, char *err, size_t errlen)
{
    if (!ra->user && !ra->group)
        return true;
    uid_t uid;
    gid_t gid;
    if (!lookup_ids(ra, &uid, &gid, err, errlen))
        return false;
    capng_clear(CAPNG_SELECT_BOTH);
    if (capng_updatev(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_RAW, CAP_NET_ADMIN, -1) != 0) {
        snprintf(err, errlen, "run-as: cannot prepare the capability set");
        return false;
    }
    int rc = capng_change_id((int)uid, (int)gid, CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
    if (rc != 0) {
        snprintf(err, errlen, "run-as: cannot change to uid %u gid %u (libcap-ng error %d%s%s)", (unsigned)uid,
                 (unsigned)gid, rc, errno ? ": " : "", errno ? strerror(errno) : "");
        return false;
    }
    od_notice("running as uid %u gid %u with CAP_NET_RAW and CAP_NET_ADMIN only", (unsigned)uid, (unsigned)gid);
    return true;
}
