/*
 * odlarctl: the command-line client of Odlar's unix control socket.
 *
 *   odlarctl [-s SOCKET] COMMAND [ARG...]
 *
 * Connects to the socket (default /var/run/odlar/odlar-command.socket),
 * does the protocol's handshake ({"version": "0.2"}), sends the command
 * and prints the JSON reply on one line. Arguments are KEY=VALUE pairs, or
 * a bare value for the commands that take one (iface-stat IFACE). Exit
 * status: 0 when the reply says "OK", 1 when it says "NOK", 2 on a usage
 * or connection error. The protocol is Suricata's unix-command one, so
 * odlarctl can also talk to a Suricata socket.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define DEFAULT_SOCKET "/var/run/odlar/odlar-command.socket"
#define REPLY_MAX (4u * 1024u * 1024u)

static void usage(FILE *out)
{
    fprintf(out, "Usage: odlarctl [-s SOCKET] COMMAND [KEY=VALUE | VALUE]...\n"
                 "  -s SOCKET   the control socket (default " DEFAULT_SOCKET ")\n"
                 "Commands: command-list, version, uptime, running-mode, capture-mode, reload-rules,\n"
                 "  ruleset-reload-nonblocking, ruleset-reload-time, ruleset-stats, ruleset-failed-rules,\n"
                 "  iface-list, iface-stat IFACE, dump-counters, shutdown\n");
}

/* Appends s to buf as a JSON string; false when it does not fit. */
static bool put_json_string(char *buf, size_t cap, size_t *len, const char *s)
{
    if (*len + 1 >= cap)
        return false;
    buf[(*len)++] = '"';
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        int n;
        if (*p == '"' || *p == '\\')
            n = snprintf(esc, sizeof(esc), "\\%c", *p);
        else if (*p < 0x20)
            n = snprintf(esc, sizeof(esc), "\\u%04x", *p);
        else
            n = snprintf(esc, sizeof(esc), "%c", *p);
        if (*len + (size_t)n + 2 >= cap)
            return false;
        memcpy(buf + *len, esc, (size_t)n);
        *len += (size_t)n;
    }
    buf[(*len)++] = '"';
    buf[*len] = '\0';
    return true;
}

static bool put_raw(char *buf, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n + 1 >= cap)
        return false;
    memcpy(buf + *len, s, n + 1);
    *len += n;
    return true;
}

/* The argument name a bare value stands for. */
static const char *default_arg_name(const char *command)
{
    if (strcmp(command, "iface-stat") == 0)
        return "iface";
    return NULL;
}

static bool build_request(char *buf, size_t cap, const char *command, char **args, int nargs)
{
    size_t len = 0;
    bool ok = put_raw(buf, cap, &len, "{\"command\":") && put_json_string(buf, cap, &len, command);
    if (ok && nargs > 0) {
        ok = put_raw(buf, cap, &len, ",\"arguments\":{");
        for (int i = 0; ok && i < nargs; i++) {
            char key[128];
            const char *value = args[i];
            const char *eq = strchr(args[i], '=');
            if (eq && (size_t)(eq - args[i]) < sizeof(key)) {
                memcpy(key, args[i], (size_t)(eq - args[i]));
                key[eq - args[i]] = '\0';
                value = eq + 1;
            } else if (default_arg_name(command)) {
                snprintf(key, sizeof(key), "%s", default_arg_name(command));
            } else {
                fprintf(stderr, "odlarctl: %s takes KEY=VALUE arguments, not '%s'\n", command, args[i]);
                return false;
            }
            ok = (i == 0 || put_raw(buf, cap, &len, ",")) && put_json_string(buf, cap, &len, key) &&
                 put_raw(buf, cap, &len, ":") && put_json_string(buf, cap, &len, value);
        }
        ok = ok && put_raw(buf, cap, &len, "}");
    }
    ok = ok && put_raw(buf, cap, &len, "}\n");
    if (!ok)
        fprintf(stderr, "odlarctl: the command is too long\n");
    return ok;
}

static bool send_all(int fd, const char *s, size_t len)
{
    while (len) {
        ssize_t n = send(fd, s, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        s += n;
        len -= (size_t)n;
    }
    return true;
}

/* Reads one reply line into buf (without the newline); false on error. */
static bool read_reply(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    while (len + 1 < cap) {
        ssize_t n = recv(fd, buf + len, 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (buf[len] == '\n') {
            buf[len] = '\0';
            return true;
        }
        len++;
    }
    buf[len] = '\0';
    return len > 0;
}

int main(int argc, char **argv)
{
    const char *path = DEFAULT_SOCKET;
    int opt;
    while ((opt = getopt(argc, argv, "+s:h")) != -1) {
        switch (opt) {
        case 's': path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    const char *command = argv[optind];
    static char request[65536];
    if (!build_request(request, sizeof(request), command, argv + optind + 1, argc - optind - 1))
        return 2;

    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof(addr.sun_path)) {
        fprintf(stderr, "odlarctl: socket path too long: %s\n", path);
        return 2;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        fprintf(stderr, "odlarctl: cannot connect to %s: %s\n", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return 2;
    }
    char *reply = malloc(REPLY_MAX);
    if (!reply) {
        close(fd);
        return 2;
    }
    static const char hello[] = "{\"version\":\"0.2\"}\n";
    int rc = 2;
    if (!send_all(fd, hello, sizeof(hello) - 1) || !read_reply(fd, reply, REPLY_MAX)) {
        fprintf(stderr, "odlarctl: no answer to the handshake from %s\n", path);
    } else if (!strstr(reply, "\"return\":\"OK\"")) {
        fprintf(stderr, "odlarctl: handshake refused: %s\n", reply);
    } else if (!send_all(fd, request, strlen(request)) || !read_reply(fd, reply, REPLY_MAX)) {
        fprintf(stderr, "odlarctl: no answer to %s\n", command);
    } else {
        printf("%s\n", reply);
        rc = strstr(reply, "\"return\":\"OK\"") ? 0 : 1;
    }
    free(reply);
    close(fd);
    return rc;
}
