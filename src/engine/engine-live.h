/*
 * The live run: capture from a network interface until told to stop.
 *
 * `engine_run_live` opens one capture source per worker thread (AF_PACKET:
 * one fanout socket each; libpcap: one handle, one worker), runs each
 * worker's packets through the usual packet path (worker.h) and writes
 * their EVE and fast.log lines as they come, whole lines under one lock.
 * The calling thread handles signals: SIGINT/SIGTERM stop the capture, end
 * every flow, write the final stats record and return 0; SIGHUP reopens
 * eve.json and fast.log (logrotate); SIGUSR2 reloads the rules (reload.h;
 * also the control socket, control-socket.h); and every `stats.interval` seconds it
 * writes a stats record with the kernel's capture counters.
 *
 * The stop request is also what offline runs consult (engine_stop_requested)
 * so that SIGINT/SIGTERM end a long `-r` run cleanly.
 */
#ifndef ODLAR_ENGINE_ENGINE_LIVE_H
#define ODLAR_ENGINE_ENGINE_LIVE_H

#include <stdbool.h>

#include "capture/live.h"
#include "engine/engine.h"

/* The run takes ownership of ec->detect: rule reloads (SIGUSR2, the
 * control socket) replace it, and the run frees the engine in use when it
 * ends. */
/* Captures on opt->iface until SIGINT/SIGTERM. Returns 0 after a clean
 * stop, 1 when the capture could not be opened or failed (after saying
 * why). */
int engine_run_live(Conf *conf, const EngineConfig *ec, const LiveOptions *opt, RunSummary *summary);

/* Installs SIGINT/SIGTERM handlers that make engine_stop_requested true
 * (for offline runs; the live run handles its signals itself). */
void engine_stop_on_signals(void);
bool engine_stop_requested(void);

#endif
