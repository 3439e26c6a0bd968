/*
 * The unix control socket of a live run: Suricata's unix-command protocol
 * (suricatasc, odlarctl) on a stream socket, served by its own thread.
 *
 * Configuration, as Suricata's `unix-command:` section: `enabled` (yes,
 * no, or auto: on for live capture; an absent section is off) and
 * `filename` (default odlar-command.socket; a relative name is placed in
 * ODLAR_RUN_DIR, /var/run/odlar, made when missing). The socket is
 * created before privileges are dropped and removed at the end of the run.
 * A socket that cannot be made stops the run when `enabled` is yes; with
 * auto the run goes on without it, after a warning.
 *
 * Protocol: a client sends {"version": "0.2"} and gets {"return": "OK"};
 * then each {"command": NAME, "arguments": {...}} gets one
 * {"return": "OK"|"NOK", "message": ...} reply, each reply followed by a
 * newline. Commands: command-list, version, uptime, running-mode,
 * capture-mode, reload-rules (waits for the reload), ruleset-reload-rules
 * (the same), ruleset-reload-nonblocking, ruleset-reload-time,
 * ruleset-stats, ruleset-failed-rules, iface-list, iface-stat (argument
 * iface), dump-counters, shutdown.
 */
#ifndef ODLAR_ENGINE_CONTROL_SOCKET_H
#define ODLAR_ENGINE_CONTROL_SOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "conf/conf.h"
#include "engine/reload.h"
#include "util/json.h"

#define ODLAR_RUN_DIR "/var/run/odlar"
#define ODLAR_DEFAULT_COMMAND_SOCKET "odlar-command.socket"

/* What the commands ask of the run; called from the socket's thread. */
typedef struct ControlHandlers {
    void *ctx;
    /* appends the interface names (strings, inside an open array) */
    void (*iface_names)(void *ctx, JsonBuf *j);
    /* packets and kernel drops of `iface`; false when it is not captured */
    bool (*iface_counters)(void *ctx, const char *iface, uint64_t *pkts, uint64_t *drops);
    /* appends the merged counters as members of an open object */
    void (*counters)(void *ctx, JsonBuf *j);
    const char *running_mode; /* "workers", "single" */
    const char *capture_mode; /* "AF_PACKET_DEV", "PCAP_DEV" */
    RuleReloader *reloader;
    time_t start;
} ControlHandlers;

typedef struct ControlSocket ControlSocket;

/* Opens the listening socket when the configuration enables it.
 * Returns NULL with *failed false when it is off, NULL with *failed true
 * after a message when it cannot be opened. */
ControlSocket *control_socket_open(Conf *conf, const ControlHandlers *h, bool *failed);
/* Starts serving (after the privilege drop, so the thread starts with
 * the reduced rights); cs may be NULL. False after a message. */
bool control_socket_start(ControlSocket *cs);
/* Stops serving, closes the clients and removes the socket file. */
void control_socket_close(ControlSocket *cs);

/* Handles one request (after the handshake): writes the reply object
 * into j. Exposed for the unit tests. */
typedef struct CtlRequest CtlRequest;
void control_socket_dispatch(const ControlHandlers *h, const CtlRequest *req, JsonBuf *j);

#endif
