/*
 * Pinning a worker thread to its CPUs (threading.set-cpu-affinity; the
 * CPU list and mode come from threading-config.c).
 */
#ifndef ODLAR_ENGINE_CPU_PIN_H
#define ODLAR_ENGINE_CPU_PIN_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/engine.h"

/* Pins the calling thread, worker k, as `tc` says: to the k-th CPU of the
 * list (round robin) in exclusive mode, to all of them in balanced mode.
 * Nothing to do (true) when the list is empty. False, with a warning, when
 * the system refuses (a CPU outside the process's allowed set, say); the
 * worker then runs unpinned. */
bool cpu_pin_worker(const ThreadingConfig *tc, uint32_t k);

#endif
