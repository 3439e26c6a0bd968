/*
 * Worker threads and the round ring (contract in worker-pool.h).
 *
 * One mutex guards the ring's bookkeeping (which round each slot holds and
 * how many workers finished it); two condition variables wake workers when
 * a round is published and the reader when a round is finished. The round's
 * packets and queues are handed over through that mutex, so a worker reads a
 * slot only after the reader filled it, and the reader reads the queues only
 * after every worker wrote them. A worker touches only its own packets and
 * its own queue of a round.
 */
#include "engine/worker-pool.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"

typedef struct SlotState {
    int64_t published; /* round number in the slot, -1 before the first */
    uint32_t done; /* workers finished with it */
} SlotState;

typedef struct WorkerThread {
    WorkerPool *pool;
    uint32_t index;
    pthread_t thread;
    bool started;
} WorkerThread;

struct WorkerPool {
    Worker *workers;
    uint32_t count;
    Round *slots;
    uint32_t nslots;
    bool threaded;
    SlotState *state;
    WorkerThread *threads;
    pthread_mutex_t lock;
    pthread_cond_t published;
    pthread_cond_t finished;
    bool abandon; /* set when starting the threads failed: they exit */
};

bool round_init(Round *r, uint32_t capacity, uint32_t workers)
{
    memset(r, 0, sizeof(*r));
    r->capacity = capacity;
    r->entries = calloc(capacity, sizeof(*r->entries));
    r->packets = calloc(capacity, sizeof(*r->packets));
    r->out = calloc(workers, sizeof(*r->out));
    if (!r->entries || !r->packets || !r->out)
        return false;
    for (uint32_t i = 0; i < capacity; i++) {
        r->packets[i] = packet_new();
        if (!r->packets[i])
            return false;
    }
    for (uint32_t k = 0; k < workers; k++)
        record_queue_init(&r->out[k]);
    return true;
}

void round_free(Round *r, uint32_t workers)
{
    if (r->packets) {
        for (uint32_t i = 0; i < r->capacity; i++)
            packet_free(r->packets[i]);
    }
    if (r->out) {
        for (uint32_t k = 0; k < workers; k++)
            record_queue_free(&r->out[k]);
    }
    free(r->entries);
    free(r->packets);
    free(r->out);
    memset(r, 0, sizeof(*r));
}

/* Worker `k`'s part of round `r`. */
static void run_round(Worker *w, uint32_t k, Round *r)
{
    worker_set_output(w, &r->out[k]);
    for (uint32_t i = 0; i < r->count; i++) {
        const RoundEntry *e = &r->entries[i];
        uint64_t seq = r->first_seq + i;
        worker_advance_time(w, seq, e->ts, e->pcap_file);
        if (e->worker == k)
            worker_handle_packet(w, seq, e->p);
    }
    if (r->shutdown)
        worker_shutdown(w, r->last_ts, r->last_file);
    worker_set_output(w, NULL);
}

static void *worker_thread_main(void *arg)
{
    WorkerThread *t = arg;
    WorkerPool *wp = t->pool;
    for (uint64_t next = 0;; next++) {
        uint32_t slot = (uint32_t)(next % wp->nslots);
        pthread_mutex_lock(&wp->lock);
        while (wp->state[slot].published != (int64_t)next && !wp->abandon)
            pthread_cond_wait(&wp->published, &wp->lock);
        bool abandon = wp->abandon;
        pthread_mutex_unlock(&wp->lock);
        if (abandon)
            break;

        Round *r = &wp->slots[slot];
        run_round(&wp->workers[t->index], t->index, r);
        bool last = r->shutdown;

        pthread_mutex_lock(&wp->lock);
        if (++wp->state[slot].done == wp->count)
            pthread_cond_broadcast(&wp->finished);
        pthread_mutex_unlock(&wp->lock);
        if (last)
            break;
    }
    return NULL;
}

WorkerPool *worker_pool_start(Worker *workers, uint32_t count, Round *slots, uint32_t nslots, bool threaded)
{
    if (count == 0 || nslots == 0 || (!threaded && count != 1))
        return NULL;
    WorkerPool *wp = calloc(1, sizeof(*wp));
    if (!wp)
        return NULL;
    wp->workers = workers;
    wp->count = count;
    wp->slots = slots;
    wp->nslots = nslots;
    wp->threaded = threaded;
    wp->state = calloc(nslots, sizeof(*wp->state));
    wp->threads = calloc(count, sizeof(*wp->threads));
    if (!wp->state || !wp->threads) {
        free(wp->state);
        free(wp->threads);
        free(wp);
        return NULL;
    }
    for (uint32_t s = 0; s < nslots; s++)
        wp->state[s].published = -1;
    pthread_mutex_init(&wp->lock, NULL);
    pthread_cond_init(&wp->published, NULL);
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
            pthread_cond_broadcast(&wp->published);
            pthread_mutex_unlock(&wp->lock);
            worker_pool_stop(wp);
            return NULL;
        }
        wp->threads[k].started = true;
    }
    return wp;
}

void worker_pool_submit(WorkerPool *wp, uint32_t slot, uint64_t round_no)
{
    if (!wp->threaded) {
        run_round(&wp->workers[0], 0, &wp->slots[slot]);
        wp->state[slot].published = (int64_t)round_no;
        wp->state[slot].done = 1;
        return;
    }
    pthread_mutex_lock(&wp->lock);
    wp->state[slot].done = 0;
    wp->state[slot].published = (int64_t)round_no;
    pthread_cond_broadcast(&wp->published);
    pthread_mutex_unlock(&wp->lock);
}

void worker_pool_wait(WorkerPool *wp, uint32_t slot)
{
    if (!wp->threaded)
        return;
    pthread_mutex_lock(&wp->lock);
    while (wp->state[slot].done < wp->count)
        pthread_cond_wait(&wp->finished, &wp->lock);
    pthread_mutex_unlock(&wp->lock);
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
    pthread_cond_destroy(&wp->published);
    pthread_cond_destroy(&wp->finished);
    free(wp->state);
    free(wp->threads);
    free(wp);
}
