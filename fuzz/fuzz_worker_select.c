/*
 * Fuzz harness for the reader's choice of worker (engine/worker-select.c):
 * the first byte picks a link type, the rest is the captured frame, copied
 * to a buffer of exactly its length so any over-read is caught. Checks that
 * the worker index is always below the worker count and that the choice
 * does not depend on the count in a way that breaks `hash % workers`.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/packet.h"
#include "engine/worker-select.h"

static const int fuzz_links[] = {
    LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_LOOP,
    LINKTYPE_RAW, LINKTYPE_RAW_ALT, LINKTYPE_RAW_LINKTYPE, LINKTYPE_IPV4, LINKTYPE_IPV6,
    LINKTYPE_GRE_OVER_IP, LINKTYPE_PPP,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int link = fuzz_links[data[0] % (sizeof(fuzz_links) / sizeof(fuzz_links[0]))];
    size_t len = size - 1;
    uint8_t *frame = malloc(len ? len : 1);
    if (!frame)
        return 0;
    memcpy(frame, data + 1, len);
    uint32_t h = worker_select_hash(frame, len, link);
    for (uint32_t workers = 1; workers <= 7; workers++) {
        uint32_t w = worker_select(frame, len, link, workers);
        if (w >= workers || (workers > 1 && w != (h ? h % workers : 0)))
            abort();
    }
    free(frame);
    return 0;
}
