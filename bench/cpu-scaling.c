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
 *
 * ROUNDS (default 400,000,000) sets the work per thread; the default takes
 * about 0.5-0.9 s per measurement here. Wall-clock time is what is
 * measured: it is what the benchmark's run times are.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t rounds = 400000000ull;
static volatile uint64_t sink;

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

/* Wall seconds for `threads` threads each running the loop once. */
static double run(unsigned threads)
{
    pthread_t t[2];
    double start = wall();
    for (unsigned k = 0; k < threads; k++)
        if (pthread_create(&t[k], NULL, spin, (void *)(uintptr_t)k) != 0) {
            perror("cpu-scaling: pthread_create");
            exit(1);
        }
    for (unsigned k = 0; k < threads; k++)
        pthread_join(t[k], NULL);
    return wall() - start;
}

int main(int argc, char **argv)
{
    if (argc > 1) {
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
