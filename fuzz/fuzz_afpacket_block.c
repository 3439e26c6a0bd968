/*
 * Fuzz harness for the TPACKET_V3 ring-block walker
 * (capture/afpacket-block.c): the input is one block, copied to a buffer of
 * exactly its length so any read past the block is caught. Every packet the
 * walk yields must lie inside the block, and the packet's bytes are copied
 * into a Packet as the capture does.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture/afpacket-block.h"
#include "decode/packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *block = malloc(size ? size : 1);
    Packet *p = packet_new();
    if (!block || !p) {
        free(block);
        packet_free(p);
        return 0;
    }
    memcpy(block, data, size);
    AfpBlockCursor c;
    AfpFrame f;
    if (afp_block_begin(block, size, &c)) {
        while (afp_block_next(block, size, &c, &f) == 1) {
            if (f.data < block || f.data + f.len > block + size)
                abort();
            packet_set_data(p, f.data, f.len);
        }
    }
    packet_free(p);
    free(block);
    return 0;
}
