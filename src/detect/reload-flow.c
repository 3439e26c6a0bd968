/*
 * Moving a flow's detection state onto a reloaded engine (see
 * reload-flow.h).
 */
#include "detect/reload-flow.h"

#include <stdlib.h>

#include "detect/detect-app.h"

void detect_flow_follow_engine(DetectFlow *df, const DetectEngine *de)
{
    DetectAppFlow *af = df->app;
    if (af) {
        for (int d = 0; d < 2; d++) {
            af->pf[d].valid = false;
            af->pf[d].count = 0;
        }
        const bool mappable = de->prev_num_map && df->engine_gen + 1 == de->generation;
        uint32_t kept = 0;
        for (uint32_t i = 0; mappable && i < af->count; i++) {
            uint32_t old = af->matched[i].sig;
            if (old >= de->prev_num_count || de->prev_num_map[old] == UINT32_MAX)
                continue;
            af->matched[kept] = af->matched[i];
            af->matched[kept].sig = de->prev_num_map[old];
            kept++;
        }
        af->count = kept;
    }
    /* signature numbers of another engine: forget the payload matches */
    df->app_payload[0].count = 0;
    df->app_payload[1].count = 0;
    df->engine_gen = de->generation;
}
