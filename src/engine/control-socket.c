/*
 * The unix control socket (contract in control-socket.h): a thread that
 * polls the listening socket and up to CTL_MAX_CLIENTS connections, reads
 * each client's bytes into its buffer until a whole JSON object is there
 * (control-socket-json.h), and answers it. A blocking `reload-rules` holds
 * this thread until the reload ends, as Suricata's does; packets keep
 * flowing meanwhile.
 */
#include "engine/control-socket.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "engine/control-socket-json.h"
#include "odlar-build.h"
#include "util/log.h"

#define CTL_MAX_CLIENTS 16
#define CTL_BUF_MAX 65536
#define CTL_POLL_MS 200

typedef struct CtlClient {
    int fd;
    bool greeted; /* the version handshake was done */
    uint8_t buf[CTL_BUF_MAX];
    size_t len;
} CtlClient;

struct ControlSocket {
    ControlHandlers h;
    int listen_fd;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    CtlClient *clients[CTL_MAX_CLIENTS];
    pthread_t thread;
    bool started;
    atomic_bool stop;
};

static const char *const command_names[] = {
    "command-list", "version", "uptime", "running-mode", "capture-mode", "reload-rules", "ruleset-reload-rules",
    "ruleset-reload-nonblocking", "ruleset-reload-time", "ruleset-stats", "ruleset-failed-rules", "iface-list",
    "iface-stat", "dump-counters", "shutdown",
};

static void reply_text(JsonBuf *j, bool ok, const char *message)
{
    jb_open_object(j, NULL);
    jb_str(j, "return", ok ? "OK" : "NOK");
    jb_str(j, "message", message);
    jb_close_object(j);
}

static void format_time(time_t t, char *out, size_t outlen)
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, outlen, "%Y-%m-%dT%H:%M:%S+0000", &tm);
}

static void reply_reload(const ControlHandlers *h, JsonBuf *j, bool wait)
{
    char why[512];
    uint64_t ticket = 0;
    if (!h->reloader || !reloader_request(h->reloader, &ticket, why, sizeof(why))) {
        reply_text(j, false, h->reloader ? why : "detection is disabled");
        return;
    }
    if (!wait) {
        reply_text(j, true, "done");
        return;
    }
    bool ok = reloader_wait(h->reloader, ticket, why, sizeof(why));
    reply_text(j, ok, why);
}

static void reply_ruleset(const ControlHandlers *h, JsonBuf *j, const char *cmd)
{
    if (!h->reloader) {
        reply_text(j, false, "detection is disabled");
        return;
    }
    RulesetInfo info;
    reloader_info(h->reloader, &info);
    jb_open_object(j, NULL);
    jb_str(j, "return", "OK");
    if (strcmp(cmd, "ruleset-failed-rules") == 0) {
        reloader_failed_rules_json(h->reloader, j, "message");
        jb_close_object(j);
        return;
    }
    jb_open_array(j, "message");
    jb_open_object(j, NULL);
    jb_uint(j, "id", info.id);
    if (strcmp(cmd, "ruleset-reload-time") == 0) {
        char when[64];
        format_time(info.last_reload, when, sizeof(when));
        jb_str(j, "last_reload", when);
    } else {
        jb_int(j, "rules_loaded", info.loaded);
        jb_int(j, "rules_failed", info.failed);
        jb_int(j, "rules_skipped", info.skipped);
    }
    jb_close_object(j);
    jb_close_array(j);
    jb_close_object(j);
}

void control_socket_dispatch(const ControlHandlers *h, const CtlRequest *req, JsonBuf *j)
{
    const char *cmd = req->command;
    char text[256];
    if (strcmp(cmd, "command-list") == 0) {
        jb_open_object(j, NULL);
        jb_str(j, "return", "OK");
        jb_open_object(j, "message");
        jb_open_array(j, "commands");
        for (size_t i = 0; i < sizeof(command_names) / sizeof(command_names[0]); i++)
            jb_str(j, NULL, command_names[i]);
        jb_close_array(j);
        jb_uint(j, "count", sizeof(command_names) / sizeof(command_names[0]));
        jb_close_object(j);
        jb_close_object(j);
    } else if (strcmp(cmd, "version") == 0) {
        snprintf(text, sizeof(text), "%s RELEASE (Odlar, emulating Suricata %s)", ODLAR_VERSION, ODLAR_EMULATES);
        reply_text(j, true, text);
    } else if (strcmp(cmd, "uptime") == 0) {
        jb_open_object(j, NULL);
        jb_str(j, "return", "OK");
        time_t now = time(NULL);
        jb_uint(j, "message", now > h->start ? (uint64_t)(now - h->start) : 0);
        jb_close_object(j);
    } else if (strcmp(cmd, "running-mode") == 0) {
        reply_text(j, true, h->running_mode ? h->running_mode : "workers");
    } else if (strcmp(cmd, "capture-mode") == 0) {
        reply_text(j, true, h->capture_mode ? h->capture_mode : "unknown");
    } else if (strcmp(cmd, "reload-rules") == 0 || strcmp(cmd, "ruleset-reload-rules") == 0) {
        reply_reload(h, j, true);
    } else if (strcmp(cmd, "ruleset-reload-nonblocking") == 0) {
        reply_reload(h, j, false);
    } else if (strncmp(cmd, "ruleset-", 8) == 0 &&
               (strcmp(cmd + 8, "reload-time") == 0 || strcmp(cmd + 8, "stats") == 0 ||
                strcmp(cmd + 8, "failed-rules") == 0)) {
        reply_ruleset(h, j, cmd);
    } else if (strcmp(cmd, "iface-list") == 0) {
        jb_open_object(j, NULL);
        jb_str(j, "return", "OK");
        jb_open_object(j, "message");
        jb_open_array(j, "ifaces");
        if (h->iface_names)
            h->iface_names(h->ctx, j);
        jb_close_array(j);
        jb_close_object(j);
        jb_close_object(j);
    } else if (strcmp(cmd, "iface-stat") == 0) {
        const char *iface = ctl_request_arg(req, "iface");
        uint64_t pkts = 0, drops = 0;
        if (!iface) {
            reply_text(j, false, "No interface name given (argument iface)");
        } else if (!h->iface_counters || !h->iface_counters(h->ctx, iface, &pkts, &drops)) {
            reply_text(j, false, "Interface not found");
        } else {
            jb_open_object(j, NULL);
            jb_str(j, "return", "OK");
            jb_open_object(j, "message");
            jb_uint(j, "pkts", pkts);
            jb_uint(j, "invalid-checksums", 0);
            jb_uint(j, "drop", drops);
            jb_uint(j, "bypassed", 0);
            jb_close_object(j);
            jb_close_object(j);
        }
    } else if (strcmp(cmd, "dump-counters") == 0) {
        jb_open_object(j, NULL);
        jb_str(j, "return", "OK");
        jb_open_object(j, "message");
        time_t now = time(NULL);
        jb_uint(j, "uptime", now > h->start ? (uint64_t)(now - h->start) : 0);
        if (h->counters)
            h->counters(h->ctx, j);
        jb_close_object(j);
        jb_close_object(j);
    } else if (strcmp(cmd, "shutdown") == 0) {
        reply_text(j, true, "Closing Odlar");
        kill(getpid(), SIGTERM); /* the controlling thread stops the run */
    } else {
        reply_text(j, false, "Unknown command");
    }
}

/* Writes all of buf; false when the client is gone. */
static bool send_all(int fd, const char *buf, size_t len)
{
    while (len) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

static void client_close(ControlSocket *cs, int slot)
{
    close(cs->clients[slot]->fd);
    free(cs->clients[slot]);
    cs->clients[slot] = NULL;
}

/* Answers every whole request in the client's buffer; false to close. */
static bool client_serve(ControlSocket *cs, CtlClient *c)
{
    JsonBuf j;
    jb_init(&j);
    bool keep = true;
    while (keep && c->len) {
        CtlRequest req;
        size_t used = 0;
        char err[256];
        CtlParseResult pr = ctl_request_parse(c->buf, c->len, &req, &used, err, sizeof(err));
        if (pr == CTL_PARSE_INCOMPLETE) {
            if (c->len == sizeof(c->buf)) {
                reply_text(&j, false, "request too long");
                keep = false;
            }
            break;
        }
        jb_reset(&j);
        if (pr == CTL_PARSE_INVALID) {
            reply_text(&j, false, err[0] ? err : "invalid JSON");
            keep = false;
        } else if (!c->greeted) {
            if (!req.has_version) {
                reply_text(&j, false, "the first message must be {\"version\": \"0.2\"}");
                keep = false;
            } else {
                jb_open_object(&j, NULL);
                jb_str(&j, "return", "OK");
                jb_close_object(&j);
                c->greeted = true;
            }
        } else if (!req.has_command) {
            reply_text(&j, false, "no command given");
        } else {
            control_socket_dispatch(&cs->h, &req, &j);
        }
        jb_append(&j, "\n", 1);
        if (!send_all(c->fd, j.buf, j.len))
            keep = false;
        jb_reset(&j);
        if (pr == CTL_PARSE_OK) {
            memmove(c->buf, c->buf + used, c->len - used);
            c->len -= used;
        }
    }
    if (!keep && j.len) {
        jb_append(&j, "\n", 1);
        send_all(c->fd, j.buf, j.len);
    }
    jb_free(&j);
    return keep;
}

static void accept_client(ControlSocket *cs)
{
    int fd = accept(cs->listen_fd, NULL, NULL);
    if (fd < 0)
        return;
    for (int i = 0; i < CTL_MAX_CLIENTS; i++) {
        if (!cs->clients[i]) {
            cs->clients[i] = calloc(1, sizeof(CtlClient));
            if (!cs->clients[i])
                break;
            cs->clients[i]->fd = fd;
            return;
        }
    }
    static const char busy[] = "{\"return\":\"NOK\",\"message\":\"too many clients\"}\n";
    send_all(fd, busy, sizeof(busy) - 1);
    close(fd);
}

static void *control_socket_main(void *arg)
{
    ControlSocket *cs = arg;
    while (!atomic_load(&cs->stop)) {
        struct pollfd pfd[CTL_MAX_CLIENTS + 1];
        int slot[CTL_MAX_CLIENTS + 1];
        nfds_t n = 0;
        pfd[n] = (struct pollfd){ .fd = cs->listen_fd, .events = POLLIN };
        slot[n++] = -1;
        for (int i = 0; i < CTL_MAX_CLIENTS; i++) {
            if (cs->clients[i]) {
                pfd[n] = (struct pollfd){ .fd = cs->clients[i]->fd, .events = POLLIN };
                slot[n++] = i;
            }
        }
        int ready = poll(pfd, n, CTL_POLL_MS);
        if (ready <= 0)
            continue;
        for (nfds_t k = 1; k < n; k++) {
            if (!(pfd[k].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            CtlClient *c = cs->clients[slot[k]];
            ssize_t got = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
            if (got <= 0) {
                client_close(cs, slot[k]);
                continue;
            }
            c->len += (size_t)got;
            if (!client_serve(cs, c))
                client_close(cs, slot[k]);
        }
        if (pfd[0].revents & POLLIN)
            accept_client(cs);
    }
    for (int i = 0; i < CTL_MAX_CLIENTS; i++)
        if (cs->clients[i])
            client_close(cs, i);
    return NULL;
}

/* The socket path from unix-command.filename; false when too long. */
static bool socket_path(Conf *conf, char *out, size_t outlen)
{
    const char *name = ODLAR_DEFAULT_COMMAND_SOCKET;
    conf_get_str(conf, "unix-command.filename", &name);
    int n = name[0] == '/' ? snprintf(out, outlen, "%s", name) : snprintf(out, outlen, "%s/%s", ODLAR_RUN_DIR, name);
    if (n < 0 || (size_t)n >= outlen)
        return false;
    if (name[0] != '/' && mkdir(ODLAR_RUN_DIR, 0755) != 0 && errno != EEXIST)
        od_warn("unix-command: cannot create %s: %s", ODLAR_RUN_DIR, strerror(errno));
    return true;
}

ControlSocket *control_socket_open(Conf *conf, const ControlHandlers *h, bool *failed)
{
    *failed = false;
    const char *enabled = NULL;
    if (!conf_get_str(conf, "unix-command.enabled", &enabled) || !enabled)
        return NULL;
    const bool is_auto = strcmp(enabled, "auto") == 0;
    bool on = is_auto;
    if (!on && !conf_get_bool(conf, "unix-command.enabled", &on)) {
        od_error("unix-command.enabled must be yes, no or auto, not '%s'", enabled);
        *failed = true;
        return NULL;
    }
    if (!on)
        return NULL;
    ControlSocket *cs = calloc(1, sizeof(*cs));
    if (!cs) {
        *failed = true;
        return NULL;
    }
    cs->h = *h;
    cs->listen_fd = -1;
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (!socket_path(conf, cs->path, sizeof(addr.sun_path))) {
        od_error("unix-command.filename is too long for a unix socket");
        goto fail;
    }
    memcpy(addr.sun_path, cs->path, strlen(cs->path) + 1);
    cs->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (cs->listen_fd < 0) {
        od_error("unix-command: socket: %s", strerror(errno));
        goto fail;
    }
    unlink(cs->path); /* a socket left by a run that did not end cleanly */
    mode_t old = umask(0117); /* rw for owner and group */
    int rc = bind(cs->listen_fd, (struct sockaddr *)&addr, sizeof(addr));
    umask(old);
    if (rc != 0 || listen(cs->listen_fd, 8) != 0) {
        od_error("unix-command: cannot listen on %s: %s", cs->path, strerror(errno));
        goto fail;
    }
    od_notice("unix-command: listening on %s", cs->path);
    return cs;
fail:
    if (cs->listen_fd >= 0)
        close(cs->listen_fd);
    free(cs);
    *failed = !is_auto; /* auto: run on without the socket */
    if (is_auto)
        od_warn("unix-command: enabled is auto; running without the control socket");
    return NULL;
}

bool control_socket_start(ControlSocket *cs)
{
    if (!cs)
        return true;
    if (pthread_create(&cs->thread, NULL, control_socket_main, cs) != 0) {
        od_error("unix-command: cannot start the socket thread");
        return false;
    }
    cs->started = true;
    return true;
}

void control_socket_close(ControlSocket *cs)
{
    if (!cs)
        return;
    atomic_store(&cs->stop, true);
    if (cs->started)
        pthread_join(cs->thread, NULL);
    close(cs->listen_fd);
    unlink(cs->path);
    free(cs);
}
