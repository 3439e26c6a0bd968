/*
 * Ordered output records (contract in record-queue.h).
 *
 * A queue is one growing byte buffer of records, each a fixed header (key,
 * target, length) followed by the line. Writing builds an index of every
 * record of every queue, sorts it by (key, queue index, position) -- a total
 * order, so the result never depends on the sort algorithm -- and writes the
 * lines in that order. A record's flags (record-queue.h) ride in the upper
 * half of its target word; control records are answered by the writer's
 * callback as they come in that order, and the answer gates or amends the
 * same queue's flagged records that follow.
 */
#include "output/record-queue.h"

#include <stdlib.h>
#include <string.h>

typedef struct RecordHeader {
    RecordKey key;
    uint32_t target; /* RecordTarget | flags << 16 */
    uint32_t len;
} RecordHeader;

#define TARGET_OF(word) ((word) & 0xffffu)
#define FLAGS_OF(word) ((word) >> 16)

void record_queue_init(RecordQueue *q)
{
    memset(q, 0, sizeof(*q));
}

void record_queue_free(RecordQueue *q)
{
    free(q->buf);
    memset(q, 0, sizeof(*q));
}

/* An emptied queue gives its memory back. The memory returns to the
 * allocator arena of the thread that grew it -- the worker -- which takes
 * it again for its next round's queue, so the memory in use follows the
 * rounds in flight, not the length of the ring: keeping each queue's
 * buffer (up to 256 KiB) made the 1 GB corpus run with two workers touch
 * 38 MB more and take 8,000 more page faults. */
void record_queue_clear(RecordQueue *q)
{
    free(q->buf);
    q->buf = NULL;
    q->cap = 0;
    q->len = 0;
    q->count = 0;
    q->add_flags = 0;
    q->out_of_memory = false;
}

void record_queue_set_key(RecordQueue *q, uint64_t seq, RecordPhase phase, uint64_t sub, uint64_t tiebreak)
{
    q->key.seq = seq;
    q->key.phase = (uint32_t)phase;
    q->key.sub = sub;
    q->key.tiebreak = tiebreak;
}

static bool reserve(RecordQueue *q, size_t extra)
{
    if (q->cap - q->len >= extra)
        return true;
    size_t cap = q->cap ? q->cap : 65536;
    while (cap - q->len < extra) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    uint8_t *nb = realloc(q->buf, cap);
    if (nb == NULL)
        return false;
    q->buf = nb;
    q->cap = cap;
    return true;
}

void record_queue_add(RecordQueue *q, RecordTarget target, const void *data, size_t len)
{
    RecordHeader h = { .key = q->key, .target = (uint32_t)target | q->add_flags << 16, .len = (uint32_t)len };
    if (len > UINT32_MAX || !reserve(q, sizeof(h) + len)) {
        q->out_of_memory = true;
        return;
    }
    memcpy(q->buf + q->len, &h, sizeof(h));
    memcpy(q->buf + q->len + sizeof(h), data, len);
    q->len += sizeof(h) + len;
    q->count++;
}

typedef struct RecordRef {
    RecordKey key;
    int queue;
    size_t offset; /* of the header in its queue */
} RecordRef;

static int key_cmp(uint64_t a, uint64_t b)
{
    return a < b ? -1 : a > b;
}

static int ref_cmp(const void *va, const void *vb)
{
    const RecordRef *a = va, *b = vb;
    int c = key_cmp(a->key.seq, b->key.seq);
    if (c == 0)
        c = key_cmp(a->key.phase, b->key.phase);
    if (c == 0)
        c = key_cmp(a->key.sub, b->key.sub);
    if (c == 0)
        c = key_cmp(a->key.tiebreak, b->key.tiebreak);
    if (c == 0)
        c = key_cmp((uint64_t)a->queue, (uint64_t)b->queue);
    if (c == 0)
        c = key_cmp(a->offset, b->offset);
    return c;
}

static const char ALERTED_FALSE[] = "\"alerted\":false";
static const char ALERTED_TRUE[] = "\"alerted\":true";

/* Writes a flow record with its first "alerted":false made true. */
static bool write_alerted(FILE *out, const uint8_t *data, size_t len)
{
    const size_t n = sizeof(ALERTED_FALSE) - 1;
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(data + i, ALERTED_FALSE, n) != 0)
            continue;
        const size_t tail = len - i - n;
        return fwrite(data, 1, i, out) == i && fputs(ALERTED_TRUE, out) >= 0 &&
               fwrite(data + i + n, 1, tail, out) == tail;
    }
    return fwrite(data, 1, len, out) == len;
}

/* Writes one record, or answers it when it is a control record; `answer`
 * is its queue's last answer. */
static bool write_record(const RecordQueue *q, size_t offset, const RecordOutputs *files, uint32_t *answer)
{
    RecordHeader h;
    memcpy(&h, q->buf + offset, sizeof(h));
    const uint32_t target = TARGET_OF(h.target), flags = FLAGS_OF(h.target);
    const uint8_t *data = q->buf + offset + sizeof(h);
    if (target == RECORD_TARGET_CONTROL) {
        *answer = files->control ? files->control(files->control_ctx, data, h.len) : RECORD_ANSWER_KEEP;
        return true;
    }
    if (target >= RECORD_TARGET_COUNT)
        return true;
    if ((flags & RECORD_FLAG_GATED) && files->control && !(*answer & RECORD_ANSWER_KEEP))
        return true;
    if (files->sinks[target])
        return files->sinks[target](files->sink_ctx[target], data, h.len);
    FILE *out = files->files[target];
    if (out == NULL)
        return true;
    if ((flags & RECORD_FLAG_ALERTED_FILL) && files->control && (*answer & RECORD_ANSWER_ALERTED))
        return write_alerted(out, data, h.len);
    return fwrite(data, 1, h.len, out) == h.len;
}

bool record_queues_write(RecordQueue *const *queues, int n, FILE *eve, FILE *fast)
{
    FILE *files[RECORD_TARGET_COUNT] = { [RECORD_TARGET_EVE] = eve, [RECORD_TARGET_FAST] = fast };
    return record_queues_write_targets(queues, n, files);
}

bool record_queues_write_targets(RecordQueue *const *queues, int n, FILE *const files[RECORD_TARGET_COUNT])
{
    RecordOutputs out;
    memset(&out, 0, sizeof(out));
    memcpy(out.files, files, sizeof(out.files));
    return record_queues_write_outputs(queues, n, &out);
}

bool record_queues_write_outputs(RecordQueue *const *queues, int n, const RecordOutputs *files)
{
    bool ok = true;
    size_t total = 0;
    for (int i = 0; i < n; i++) {
        total += queues[i]->count;
        if (queues[i]->out_of_memory)
            ok = false;
    }
    RecordRef *refs = total ? malloc(total * sizeof(*refs)) : NULL;
    uint32_t *answers = n > 0 ? malloc((size_t)n * sizeof(*answers)) : NULL;
    if (n > 0 && answers == NULL) {
        free(refs);
        refs = NULL;
    }
    for (int i = 0; answers && i < n; i++)
        answers[i] = RECORD_ANSWER_KEEP;
    if (total && (refs == NULL || answers == NULL)) {
        /* no room to sort: keep each queue's own order */
        for (int i = 0; i < n; i++) {
            uint32_t answer = RECORD_ANSWER_KEEP;
            for (size_t off = 0; off < queues[i]->len;) {
                RecordHeader h;
                memcpy(&h, queues[i]->buf + off, sizeof(h));
                ok = write_record(queues[i], off, files, &answer) && ok;
                off += sizeof(h) + h.len;
            }
            record_queue_clear(queues[i]);
        }
        free(answers);
        return false;
    }
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        for (size_t off = 0; off < queues[i]->len && k < total;) {
            RecordHeader h;
            memcpy(&h, queues[i]->buf + off, sizeof(h));
            refs[k++] = (RecordRef){ .key = h.key, .queue = i, .offset = off };
            off += sizeof(h) + h.len;
        }
    }
    /* a single queue whose keys already ascend needs no sort */
    bool sorted = true;
    for (size_t i = 1; i < k && sorted; i++)
        sorted = ref_cmp(&refs[i - 1], &refs[i]) < 0;
    if (!sorted)
        qsort(refs, k, sizeof(*refs), ref_cmp);
    for (size_t i = 0; i < k; i++)
        ok = write_record(queues[refs[i].queue], refs[i].offset, files, &answers[refs[i].queue]) && ok;
    free(refs);
    free(answers);
    for (int i = 0; i < n; i++)
        record_queue_clear(queues[i]);
    return ok;
}
