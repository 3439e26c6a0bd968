/*
 * SSH identification string ("banner"), RFC 4253 section 4.2:
 *
 *   SSH-protoversion-softwareversion SP comments CR LF
 *
 * Emulates Suricata's ssh_parse_line/ssh_parse_banner: the line ends at LF
 * (a CR must directly precede it); it must start with "SSH-", the protocol
 * version runs to the next '-', the software version to the next space (if
 * the software version would be empty but text follows, Suricata takes the
 * whole remainder). A line of 256 bytes or more raises long_banner. Lines
 * are buffered up to SSH_BANNER_BUFFER_MAX bytes; when that fills without an
 * EOL the banner is parsed from what was buffered, long_banner is raised and
 * the rest of the line is skipped (state BANNER_WAIT_EOL). A line that does
 * not parse raises invalid_banner and stops the parser for the flow.
 */
#include "app/ssh/ssh-internal.h"

#include <string.h>

bool ssh_banner_parse_line(SshHdr *h, const uint8_t *line, uint32_t len)
{
    if (len < 4 || memcmp(line, "SSH-", 4) != 0)
        return false;
    const uint8_t *pv = line + 4;
    uint32_t rest = len - 4;
    const uint8_t *dash = memchr(pv, '-', rest);
    if (!dash || dash == pv)
        return false;
    uint32_t pvlen = (uint32_t)(dash - pv);
    const uint8_t *sw = dash + 1;
    uint32_t swrest = rest - pvlen - 1;
    uint32_t swlen = 0;
    while (swlen < swrest && sw[swlen] != ' ' && sw[swlen] != '\r' && sw[swlen] != '\n')
        swlen++;
    const uint8_t *cm = NULL;
    uint32_t cmlen = 0;
    if (swlen == 0) {
        swlen = swrest; /* nom's alt(is_not, rest): the remainder */
    } else if (swlen < swrest && sw[swlen] == ' ') {
        cm = sw + swlen + 1;
        cmlen = swrest - swlen - 1;
        const uint8_t *cr = memchr(cm, '\r', cmlen);
        if (cr)
            cmlen = (uint32_t)(cr - cm);
    }
    if (h->protover.len == 0 && !ssh_buf_append(&h->protover, pv, pvlen))
        return false;
    if (h->swver.len == 0 && !ssh_buf_append(&h->swver, sw, swlen))
        return false;
    if (cm && !h->has_comments) {
        if (!ssh_buf_append(&h->comments, cm, cmlen))
            return false;
        h->has_comments = true;
    }
    return true;
}

static void banner_fail(SshState *s, SshHdr *h)
{
    ssh_set_event(s, SSH_EVENT_INVALID_BANNER);
    ssh_buf_free(&h->pending);
    s->failed = true;
}

uint32_t ssh_banner_input(SshState *s, SshHdr *h, const uint8_t *d, uint32_t len)
{
    if (h->flags == SSH_STATE_BANNER_WAIT_EOL) {
        const uint8_t *nl = memchr(d, '\n', len);
        if (!nl)
            return len;
        h->flags = SSH_STATE_BANNER_DONE;
        return (uint32_t)(nl - d) + 1;
    }
    uint32_t avail = SSH_BANNER_BUFFER_MAX - h->pending.len;
    uint32_t look = len < avail ? len : avail;
    const uint8_t *nl = memchr(d, '\n', look);
    if (nl) {
        uint32_t n = (uint32_t)(nl - d);
        if (!ssh_buf_append(&h->pending, d, n)) {
            s->failed = true;
            return len;
        }
        const uint8_t *line = h->pending.data ? h->pending.data : (const uint8_t *)"";
        uint32_t ll = h->pending.len;
        const uint8_t *cr = memchr(line, '\r', ll);
        if (cr) {
            if ((uint32_t)(cr - line) != ll - 1) {
                banner_fail(s, h);
                return len;
            }
            ll--;
        }
        if (!ssh_banner_parse_line(h, line, ll)) {
            banner_fail(s, h);
            return len;
        }
        if (ll >= SSH_MAX_BANNER_LEN)
            ssh_set_event(s, SSH_EVENT_LONG_BANNER);
        h->flags = SSH_STATE_BANNER_DONE;
        ssh_buf_free(&h->pending);
        return n + 1;
    }
    if (!ssh_buf_append(&h->pending, d, look)) {
        s->failed = true;
        return len;
    }
    if (h->pending.len >= SSH_BANNER_BUFFER_MAX) {
        if (!ssh_banner_parse_line(h, h->pending.data, h->pending.len)) {
            banner_fail(s, h);
            return len;
        }
        ssh_set_event(s, SSH_EVENT_LONG_BANNER);
        h->flags = SSH_STATE_BANNER_WAIT_EOL;
        ssh_buf_free(&h->pending);
    }
    return look;
}
