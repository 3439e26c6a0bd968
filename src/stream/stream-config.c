/*
 * Default stream settings: the values Suricata 8 uses when suricata.yaml
 * says nothing (the shipped suricata.yaml sets reassembly.depth to 1mb, and
 * Odlar's built-in configuration mirrors that file).
 */
#include "stream/stream.h"

#include <string.h>

void stream_config_defaults(StreamConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->memcap = 64ull * 1024 * 1024;
    cfg->reassembly_memcap = 256ull * 1024 * 1024;
    cfg->reassembly_depth = 1024 * 1024;
    cfg->midstream = false;
    cfg->async_oneside = false;
    cfg->checksum_validation = true;
    cfg->max_synack_queued = 5;
    cfg->max_syn_queued = 10;
    cfg->drop_invalid = true;
    cfg->inline_mode = false;
    cfg->toserver_chunk_size = 2560;
    cfg->toclient_chunk_size = 2560;
    cfg->check_overlap_different_data = false;
    cfg->liberal_timestamps = true;
    cfg->default_os_policy = STREAM_OS_BSD;
    cfg->urgent_policy = STREAM_URGENT_INLINE;
    cfg->urgent_oob_limit_policy = STREAM_URGENT_INLINE;
}
