/*
 * Verdicts and reject replies of inline live sources (contract in
 * reject-verdict.h). Raw sockets are IPPROTO_RAW (the header we build goes
 * out as is, RFC 791 / RFC 8200 fields filled in by reject.c), opened the
 * first time a reply has to go through the host's routing; a send that
 * fails is logged once per thread and traffic goes on.
 */
#include "engine/reject-verdict.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engine/exception-verdict.h"
#include "engine/reject.h"
#include "util/log.h"

void reject_verdict_init(RejectVerdict *rv)
{
    memset(rv, 0, sizeof(*rv));
    rv->raw4 = -1;
    rv->raw6 = -1;
}

void reject_verdict_free(RejectVerdict *rv)
{
    if (!rv->raw_tried)
        return;
    if (rv->raw4 >= 0)
        close(rv->raw4);
    if (rv->raw6 >= 0)
        close(rv->raw6);
    rv->raw4 = rv->raw6 = -1;
}

static void open_raw_sockets(RejectVerdict *rv)
{
    if (rv->raw_tried)
        return;
    rv->raw_tried = true;
    rv->raw4 = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
    rv->raw6 = socket(AF_INET6, SOCK_RAW, IPPROTO_RAW);
    if (rv->raw4 < 0 || rv->raw6 < 0)
        od_warn("reject: cannot open a raw socket (%s): reject rules will only drop", strerror(errno));
}

/* Sends a reply built by reject_build through the host's routing. */
static bool send_raw(RejectVerdict *rv, const uint8_t *ip, size_t len)
{
    open_raw_sockets(rv);
    if ((ip[0] >> 4) == 4) {
        struct sockaddr_in to = { .sin_family = AF_INET };
        memcpy(&to.sin_addr, ip + 16, 4);
        return rv->raw4 >= 0 && sendto(rv->raw4, ip, len, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)len;
    }
    struct sockaddr_in6 to = { .sin6_family = AF_INET6 };
    memcpy(&to.sin6_addr, ip + 24, 16);
    return rv->raw6 >= 0 && sendto(rv->raw6, ip, len, 0, (struct sockaddr *)&to, sizeof(to)) == (ssize_t)len;
}

/* Sends the replies a reject action asks for; true when one went out. */
static bool send_rejects(RejectVerdict *rv, CaptureSource *cs, const Packet *p, SigAction action)
{
    bool to_source = false, to_destination = false;
    if (!reject_action_sides(action, &to_source, &to_destination))
        return false;
    bool sent = false;
    for (int side = 0; side < 2; side++) {
        bool towards_source = side == 0;
        if ((towards_source && !to_source) || (!towards_source && !to_destination))
            continue;
        uint8_t reply[REJECT_MAX_LEN];
        size_t len = reject_build(p, towards_source, reply, sizeof(reply));
        if (len == 0)
            continue;
        bool ok = live_capture_inject(cs, p, reply, len, towards_source) || send_raw(rv, reply, len);
        if (!ok && !rv->warned_send) {
            rv->warned_send = true;
            od_warn("reject: sending the reply failed: %s", strerror(errno));
        }
        sent |= ok;
    }
    return sent;
}

bool reject_verdict_apply(RejectVerdict *rv, CaptureSource *cs, Worker *w, const Packet *p)
{
    /* without detection, exception policies still give verdicts */
    bool drop = w->detect_on ? w->det.drop : w->exc.drop;
    const uint8_t drop_reason = w->detect_on ? w->det.drop_reason : w->exc.drop_reason;
    CounterId outcome = CTR_IPS_ACCEPTED;
    if (drop) {
        outcome = CTR_IPS_BLOCKED;
        bool to_source = false, to_destination = false;
        if (w->detect_on && w->det.drop_sig && reject_action_sides(w->det.drop_action, &to_source, &to_destination)) {
            outcome = CTR_IPS_REJECTED;
            send_rejects(rv, cs, p, w->det.drop_action);
        } else if (w->exc.reject) { /* reject exception policy: as a `reject` rule */
            outcome = CTR_IPS_REJECTED;
            send_rejects(rv, cs, p, SIG_ACTION_REJECT);
        }
    }
    ctr_inc(&w->ctr, outcome);
    CounterId reason = drop ? ips_drop_reason_counter(drop_reason) : CTR_MAX;
    if (reason != CTR_MAX)
        ctr_inc(&w->ctr, reason);
    if (live_capture_verdict(cs, p, drop))
        return true;
    if (!rv->warned_verdict) {
        rv->warned_verdict = true;
        od_warn("%s", capture_error(cs));
    }
    return false;
}
