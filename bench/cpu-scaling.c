/*
 * cpu-scaling: how much faster this machine runs two threads than one, for
 * work that shares nothing (not a test).
 *
 * Odlar's 2-worker figure is a ratio against its own single-thread run, and
 * on a virtual machine that ratio is bounded by the machine before any
 * program is: the host may clock one busy core higher than two (turbo), or
 * give the second virtual core's time to another guest. This tool measures
 * that bound in the same run as the benchmark: a fixed amount of pure
 * arithmetic (a dependent chain of multiplies and shifts on registers: no
 * memory, no locks, no system calls) run once on one thread, then once on
 * each of two threads at the same time. Two threads of such work should
 * take as long as one; "scaling" is 2 x (one thread's time) / (two threads'
 * time), 2.00 on an ideal 2-core machine, and no program's two-thread
 * speed-up can beat it at that moment.
 *
 *   cpu-scaling [ROUNDS]      prints: seconds-1-thread seconds-2-threads scaling
 *   cpu-scaling --memory MB   the same for a walk of memory (below)
 *
 * ROUNDS (default 400,000,000) sets the work per thread; the default takes
 * about 0.5-0.9 s per measurement here. Wall-clock time is what is
 * measured: it is what the benchmark's run times are.
 *
 * Odlar's workers are not pure arithmetic: they miss the caches (flow
 * tables, stream buffers, Hyperscan's tables) and two of them share the
 * last-level cache and the memory bus. `--memory MB` measures what the
 * machine gives two threads of that kind of work: each thread follows a
 * random cycle of pointers through an array of its own of MB megabytes
 * for 8 M steps (every step a dependent load, mostly missed in cache when
 * MB is larger than the last-level cache), once alone and then both at
 * once.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rounds = 400000000ull;
static volatile uint64_t sink;
static size_t memory_slots; /* --memory: pointers per thread's array; 0: arithmetic */
#define MEMORY_STEPS (8u << 20) /* loads per thread and measurement: 1-2 s when most miss */
static uint32_t *memory_arrays[2];

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *spin(void *arg)
{
    uint64_t a = (uintptr_t)arg + 1, b = 2, c = 3;
    for (uint64_t i = 0; i < rounds; i++) {
        a = a * 6364136223846793005ull + i;
        b ^= a >> 7;
        c += b * 3;
    }
    sink = a ^ b ^ c;
    return NULL;
}

/* A random cyclic permutation (Sattolo's shuffle) of n slots: following
 * next[i] from any slot visits every slot once before coming back. */
static uint32_t *random_cycle(size_t n, uint64_t seed)
{
    uint32_t *next = malloc(n * sizeof(*next));
    if (!next) {
        perror("cpu-scaling: malloc");
        exit(1);
    }
    for (size_t i = 0; i < n; i++)
        next[i] = (uint32_t)i;
    for (size_t i = n - 1; i > 0; i--) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        size_t j = (size_t)((seed >> 33) % i);
        uint32_t t = next[i];
        next[i] = next[j];
        next[j] = t;
    }
    return next;
}

static void *walk(void *arg)
{
    const uint32_t *next = memory_arrays[(uintptr_t)arg];
    uint32_t at = 0;
    for (size_t i = 0; i < MEMORY_STEPS; i++)
        at = next[at];
    sink = at;
    return NULL;
}

/* Wall seconds for `threads` threads each running the loop once. */
static double run(unsigned threads)
{
    pthread_t t[2];
    double start = wall();
    for (unsigned k = 0; k < threads; k++)
        if (pthread_create(&t[k], NULL, memory_slots ? walk : spin, (void *)(uintptr_t)k) != 0) {
            perror("cpu-scaling: pthread_create");
            exit(1);
        }
    for (unsigned k = 0; k < threads; k++)
        pthread_join(t[k], NULL);
    return wall() - start;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--memory") == 0) {
        char *end;
        unsigned long mb = strtoul(argv[2], &end, 10);
        if (*end != '\0' || mb == 0 || mb > 4096) {
            fprintf(stderr, "usage: cpu-scaling --memory MB (1..4096)\n");
            return 2;
        }
        memory_slots = (size_t)mb * 1024 * 1024 / sizeof(uint32_t);
        for (unsigned k = 0; k < 2; k++) {
            memory_arrays[k] = random_cycle(memory_slots, 0x9e3779b97f4a7c15ull * (k + 1));
            for (size_t i = 0; i < memory_slots; i += 1024) /* every page in place before timing */
                sink += memory_arrays[k][i];
        }
    } else if (argc > 1) {
        char *end;
        unsigned long long n = strtoull(argv[1], &end, 10);
        if (*end != '\0' || n == 0) {
            fprintf(stderr, "usage: cpu-scaling [ROUNDS]\n");
            return 2;
        }
        rounds = n;
    }
    double one = run(1), two = run(2);
    printf("%.3f %.3f %.2f\n", one, two, 2.0 * one / two);
    return 0;
}
