/*
 * Worker threads and the round ring (contract in worker-pool.h).
 *
 * One mutex guards the ring's bookkeeping: for each slot, the last round
 * written out of it and how many workers finished the round in it; plus the
 * highest round any worker started and the stop round. Two condition
 * variables wake workers when a slot is given back and the writer when a
 * round is finished. A worker fills only its own queue of a round, and the
 * writer reads the queues only after every worker finished the round, both
 * handed over through that mutex.
 *
 * The writer waits with a timeout so that it can notice a stop request
 * (a signal handler only sets a flag) while the workers are busy.
 *
 * The writer is woken for a batch of rounds, not for each: when the round
 * it needs is not finished yet, it sleeps until WRITER_BATCH rounds from
 * there are (or the last round is). With two workers on two cores every
 * wake-up of the writer takes a core from a worker; waking it once a round
 * (512 packets) cost about 7,600 context switches on the 1 GB corpus.
 * The batch never outlasts the byte bound: once the finished rounds hold
 * more than WORKER_POOL_HELD_BYTES, only the round the writer needs next may
 * start, so the writer takes what is finished instead of waiting for rounds
 * that cannot come (a worker far ahead of the others fills the bound while
 * the one behind still owes rounds of the batch).
 */
#include "engine/worker-pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/heap-pages.h"
#include "util/log.h"
#include "util/time.h"

/* How often the waiting writer looks at the stop flag. */
#define STOP_POLL_NS 50000000L
/* Rounds the writer lets finish before it is woken (at most the ring). */
#define WRITER_BATCH 32u

typedef struct SlotState {
    int64_t released; /* last round written out of the slot, -1 before */
    uint32_t done; /* workers finished with the round now in the slot */
    size_t bytes; /* record bytes the finished workers left in the slot */
} SlotState;

typedef struct WorkerThread {
    WorkerPool *pool;
    uint32_t index;
    pthread_t thread;
    bool started;
    double ring_wait_seconds; /* blocked because the ring was full (writer behind) */
} WorkerThread;

struct WorkerPool {
    uint32_t count;
    Round *slots;
    uint32_t nslots;
    bool threaded;
    RoundFn fn;
    void *ctx;
    SlotState *state;
    WorkerThread *threads;
    uint64_t started; /* rounds started by at least one worker: 0 .. started-1 */
    uint64_t stop_round; /* first round every worker ends at (UINT64_MAX: none) */
    uint64_t finished_rounds; /* rounds every worker finished: 0 .. finished_rounds-1 */
    bool ended; /* the last round is finished */
    uint64_t wake_at; /* the writer sleeps until this round is finished */
    size_t held_bytes; /* record bytes in finished rounds not written yet */
    uint64_t written_rounds; /* rounds written and given back: 0 .. written_rounds-1 */
    size_t held_max; /* the most held_bytes reached (for -v) */
    pthread_mutex_t lock;
    pthread_cond_t released;
    pthread_cond_t finished;
    bool abandon; /* set when starting the threads failed: they exit */
};

bool round_init(Round *r, uint32_t workers)
{
    memset(r, 0, sizeof(*r));
    r->out = od_calloc_apart(workers, sizeof(*r->out));
    if (!r->out)
        return false;
    for (uint32_t k = 0; k < workers; k++)
        record_queue_init(&r->out[k].q);
    return true;
}

void round_free(Round *r, uint32_t workers)
{
    if (r->out) {
        for (uint32_t k = 0; k < workers; k++)
            record_queue_free(&r->out[k].q);
    }
    free(r->out);
    memset(r, 0, sizeof(*r));
}

/* Whether the finished, unwritten rounds hold more record bytes than the
 * bound lets workers run ahead with. Called with the lock held. */
static bool held_over_bound(const WorkerPool *wp)
{
    return wp->held_bytes > WORKER_POOL_HELD_BYTES;
}

/* Whether a worker must wait before starting round `next` in `slot`: the
 * slot still holds an unwritten round, or the finished rounds hold more
 * than WORKER_POOL_HELD_BYTES of records and the writer is not waiting for
 * this round (the round the writer needs next always goes ahead, so the
 * bound cannot stall the run). Called with the lock held. */
static bool must_wait(const WorkerPool *wp, uint32_t slot, int64_t before, uint64_t next)
{
    if (wp->abandon)
        return false;
    if (wp->state[slot].released < before)
        return true;
    return held_over_bound(wp) && next > wp->written_rounds;
}

static void *worker_thread_main(void *arg)
{
    WorkerThread *t = arg;
    WorkerPool *wp = t->pool;
    heap_thread_use_large_pages();
    for (uint64_t next = 0;; next++) {
        uint32_t slot = (uint32_t)(next % wp->nslots);
        int64_t before = (int64_t)next - (int64_t)wp->nslots; /* the slot's previous round */
        pthread_mutex_lock(&wp->lock);
        if (must_wait(wp, slot, before, next)) {
            struct timespec t0, t1;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            if (held_over_bound(wp))
                pthread_cond_broadcast(&wp->finished); /* the writer's batch ends here */
            while (must_wait(wp, slot, before, next))
                pthread_cond_wait(&wp->released, &wp->lock);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            t->ring_wait_seconds += od_seconds_between(t0, t1);
        }
        bool abandon = wp->abandon;
        bool stop = next >= wp->stop_round;
        if (next + 1 > wp->started)
            wp->started = next + 1;
        pthread_mutex_unlock(&wp->lock);
        if (abandon)
            break;

        bool last = wp->fn(wp->ctx, t->index, &wp->slots[slot], next, stop);

        pthread_mutex_lock(&wp->lock);
        size_t bytes = record_queue_bytes(&wp->slots[slot].out[t->index].q);
        wp->state[slot].bytes += bytes;
        wp->held_bytes += bytes;
        if (wp->held_bytes > wp->held_max)
            wp->held_max = wp->held_bytes;
        /* workers finish rounds in order, so the last one to finish round
         * `next` is the last to finish every round before it too */
        if (++wp->state[slot].done == wp->count) {
            wp->finished_rounds = next + 1;
            wp->ended |= last;
            if (next >= wp->wake_at || last)
                pthread_cond_broadcast(&wp->finished);
        }
        pthread_mutex_unlock(&wp->lock);
        if (last)
            break;
    }
    return NULL;
}

WorkerPool *worker_pool_start(uint32_t count, Round *slots, uint32_t nslots, bool threaded, RoundFn fn, void *ctx)
{
    if (count == 0 || nslots == 0 || (!threaded && count != 1))
        return NULL;
    WorkerPool *wp = calloc(1, sizeof(*wp));
    if (!wp)
        return NULL;
    wp->count = count;
    wp->slots = slots;
    wp->nslots = nslots;
    wp->threaded = threaded;
    wp->fn = fn;
    wp->ctx = ctx;
    wp->stop_round = UINT64_MAX;
    wp->state = calloc(nslots, sizeof(*wp->state));
    wp->threads = calloc(count, sizeof(*wp->threads));
    if (!wp->state || !wp->threads) {
        free(wp->state);
        free(wp->threads);
        free(wp);
        return NULL;
    }
    for (uint32_t s = 0; s < nslots; s++)
        wp->state[s].released = -1;
    pthread_mutex_init(&wp->lock, NULL);
    pthread_cond_init(&wp->released, NULL);
    pthread_cond_init(&wp->finished, NULL);
    if (!threaded)
        return wp;
    for (uint32_t k = 0; k < count; k++) {
        wp->threads[k].pool = wp;
        wp->threads[k].index = k;
        if (pthread_create(&wp->threads[k].thread, NULL, worker_thread_main, &wp->threads[k]) != 0) {
            od_error("cannot start worker thread %u", k + 1);
            pthread_mutex_lock(&wp->lock);
            wp->abandon = true;
            pthread_cond_broadcast(&wp->released);
            pthread_mutex_unlock(&wp->lock);
            worker_pool_stop(wp);
            return NULL;
        }
        wp->threads[k].started = true;
    }
    return wp;
}

void worker_pool_request_stop(WorkerPool *wp)
{
    pthread_mutex_lock(&wp->lock);
    if (wp->stop_round == UINT64_MAX)
        wp->stop_round = wp->started;
    pthread_mutex_unlock(&wp->lock);
}

void worker_pool_wait(WorkerPool *wp, uint64_t round_no, bool (*should_stop)(void))
{
    uint32_t slot = (uint32_t)(round_no % wp->nslots);
    if (!wp->threaded) {
        bool stop = should_stop && should_stop();
        if (stop)
            wp->stop_round = round_no;
        wp->fn(wp->ctx, 0, &wp->slots[slot], round_no, round_no >= wp->stop_round);
        wp->state[slot].done = 1;
        return;
    }
    bool asked = false;
    pthread_mutex_lock(&wp->lock);
    if (wp->state[slot].done < wp->count) {
        uint32_t batch = WRITER_BATCH < wp->nslots ? WRITER_BATCH : wp->nslots;
        wp->wake_at = round_no + batch - 1;
    }
    while (wp->state[slot].done < wp->count ||
           (wp->finished_rounds <= wp->wake_at && !wp->ended && wp->stop_round == UINT64_MAX &&
            !held_over_bound(wp))) {
        if (!asked && should_stop && should_stop()) {
            asked = true;
            if (wp->stop_round == UINT64_MAX)
                wp->stop_round = wp->started;
        }
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += STOP_POLL_NS;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        (void)pthread_cond_timedwait(&wp->finished, &wp->lock, &until); /* 0 or ETIMEDOUT */
    }
    pthread_mutex_unlock(&wp->lock);
}

void worker_pool_release(WorkerPool *wp, uint64_t round_no)
{
    uint32_t slot = (uint32_t)(round_no % wp->nslots);
    if (!wp->threaded) {
        wp->state[slot].done = 0;
        wp->state[slot].released = (int64_t)round_no;
        return;
    }
    pthread_mutex_lock(&wp->lock);
    wp->state[slot].done = 0;
    wp->state[slot].released = (int64_t)round_no;
    wp->held_bytes -= wp->state[slot].bytes;
    wp->state[slot].bytes = 0;
    wp->written_rounds = round_no + 1;
    pthread_cond_broadcast(&wp->released);
    pthread_mutex_unlock(&wp->lock);
}

size_t worker_pool_held_max(WorkerPool *wp)
{
    if (!wp || !wp->threaded)
        return 0;
    pthread_mutex_lock(&wp->lock);
    size_t max = wp->held_max;
    pthread_mutex_unlock(&wp->lock);
    return max;
}

double worker_pool_ring_wait_seconds(WorkerPool *wp, uint32_t k)
{
    if (!wp || !wp->threaded || k >= wp->count)
        return 0.0;
    pthread_mutex_lock(&wp->lock); /* the worker adds to it under the lock */
    double seconds = wp->threads[k].ring_wait_seconds;
    pthread_mutex_unlock(&wp->lock);
    return seconds;
}

void worker_pool_stop(WorkerPool *wp)
{
    if (!wp)
        return;
    for (uint32_t k = 0; k < wp->count; k++) {
        if (wp->threads[k].started)
            pthread_join(wp->threads[k].thread, NULL);
    }
    pthread_mutex_destroy(&wp->lock);
    pthread_cond_destroy(&wp->released);
    pthread_cond_destroy(&wp->finished);
    free(wp->state);
    free(wp->threads);
    free(wp);
}
