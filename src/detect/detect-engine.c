/*
 * Building the detection engine from parsed signatures, and a worker's
 * detection state (see detect-engine.h).
 *
 * Building happens once, before packets flow: duplicate gid:sid are
 * resolved as Suricata does (the higher rev wins, the first on a tie), signatures are sorted into
 * Suricata's order (action as `action-order` says, by default pass, drop,
 * reject, alert; then priority; then load order), each signature's payload
 * fast pattern is chosen as Suricata 8 does (prefilter-fp.c), the
 * signatures are grouped by IP protocol and direction so a packet only
 * looks at rules that can apply to it, the TCP and UDP groups are split
 * further by port (port-grouping.h, as Suricata's RulesGroupByPorts), and
 * the groups' fast-pattern databases are compiled (prefilter.c). Caps: DETECT_MAX_SIGNATURES rules.
 */
#include "detect/detect-engine.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "detect/address.h"
#include "detect/content.h"
#include "detect/detect-app.h"
#include "detect/keyword.h"
#include "detect/pcre-match.h"
#include "detect/port-grouping.h"
#include "detect/rule-profile.h"
#include "util/log.h"

#define DETECT_MAX_SIGNATURES 2000000u

static void load_action_order(DetectEngine *de, Conf *conf); /* verdict */

/* threshold.config: read when `threshold-file` is set (a missing file is
 * then a warning) or when the default file exists. */
static void load_thresholds(DetectEngine *de, Conf *conf)
{
    de->thresh_hash_size = THRESHOLD_DEFAULT_HASH_SIZE;
    de->thresh_memcap = THRESHOLD_DEFAULT_MEMCAP;
    int64_t hs;
    if (conf_get_int(conf, "detect.thresholds.hash-size", &hs) && hs > 0 && hs <= (1 << 24))
        de->thresh_hash_size = (uint32_t)hs;
    uint64_t memcap;
    if (conf_get_size(conf, "detect.thresholds.memcap", &memcap) && memcap > 0)
        de->thresh_memcap = memcap;
    const char *path = NULL;
    struct stat st;
    if (!conf_get_str(conf, "threshold-file", &path)) {
        path = threshold_config_path(conf);
        if (!path || stat(path, &st) != 0)
            return;
    }
    static const ThresholdAddrOps ops = { address_set_parse, address_set_match, address_set_free };
    char err[512] = "";
    de->thresholds = threshold_config_load(path, conf, &ops, err, sizeof(err));
}

extern const char odlar_default_classification[];

/* classification-file; when it does not exist, the classification.config
 * bundled with Odlar (rules/classification.config, compiled in) is used so
 * rule sets such as ET Open load without extra set-up. */
static ClassConfig *load_classifications(Conf *conf)
{
    const char *path = class_config_path(conf);
    struct stat st;
    if (path && stat(path, &st) == 0)
        return class_config_load(path, NULL, 0);
    od_notice("classification file %s not found; using the classifications bundled with Odlar",
              path ? path : "(none)");
    return class_config_load_string(odlar_default_classification, "<bundled classification.config>", NULL, 0);
}

DetectEngine *detect_engine_new(Conf *conf)
{
    DetectEngine *de = calloc(1, sizeof(*de));
    if (!de)
        return NULL;
    de->conf = conf;
    if (!port_grouping_config_load(&de->port_grouping, conf)) {
        free(de);
        return NULL;
    }
    de->packet_alert_max = 15;
    de->recursion_limit = 3000;
    de->stream_tx_log_limit = 4;
    load_action_order(de, conf);
    if (conf) {
        int64_t v;
        if (conf_get_int(conf, "packet-alert-max", &v)) {
            if (v <= 0 || v > 256) {
                od_warn("packet-alert-max %lld is out of range (1-256); using 15", (long long)v);
            } else {
                de->packet_alert_max = (uint32_t)v;
            }
        }
        if (conf_get_int(conf, "detect.inspection-recursion-limit", &v) && v > 0 && v < 1000000000)
            de->recursion_limit = (uint32_t)v;
        conf_get_bool(conf, "detect.guess-applayer-tx", &de->guess_applayer_tx);
        if (conf_get_int(conf, "detect.stream-tx-log-limit", &v)) {
            if (v >= 0 && v <= UINT8_MAX)
                de->stream_tx_log_limit = (uint8_t)v;
            else
                od_warn("detect.stream-tx-log-limit %lld is out of range (0-255); using 4", (long long)v);
        }
        de->classes = load_classifications(conf);
        load_thresholds(de, conf);
        /* pcre.match-limit / match-limit-recursion: process-wide, set before
         * any worker starts */
        int64_t limit = 3500, recursion = 1500;
        conf_get_int(conf, "pcre.match-limit", &limit);
        conf_get_int(conf, "pcre.match-limit-recursion", &recursion);
        if (limit > 0 && recursion > 0)
            pcre_set_default_limits((uint32_t)limit, (uint32_t)recursion);
    }
    return de;
}

void detect_engine_free(DetectEngine *de)
{
    if (!de)
        return;
    threshold_plan_free(de->tplan); /* borrows the signatures' specs */
    de->tplan = NULL;
    for (uint32_t i = 0; i < de->sig_count; i++)
        signature_free(de->sigs[i]);
    free(de->sigs);
    free(de->by_id);
    for (int p = 0; p < 256; p++)
        for (int d = 0; d < 2; d++)
            free(de->groups[p][d].nums);
    prefilter_free(de->prefilter);
    port_grouping_config_free(&de->port_grouping);
    if (de->classes)
        class_config_free(de->classes);
    threshold_plan_free(de->tplan);
    threshold_config_free(de->thresholds);
    free(de->sig_app_proto);
    free(de->prev_num_map);
    free(de);
}

const ClassConfig *detect_engine_classes(const DetectEngine *de)
{
    return de ? de->classes : NULL;
}

static uint32_t id_slot(const DetectEngine *de, uint32_t gid, uint32_t sid)
{
    uint64_t h = (((uint64_t)gid << 32) | sid) * 0x9e3779b97f4a7c15ull;
    uint32_t mask = de->by_id_cap - 1, i = (uint32_t)(h >> 32) & mask;
    while (de->by_id[i] && (de->by_id[i]->gid != gid || de->by_id[i]->sid != sid))
        i = (i + 1) & mask;
    return i;
}

/* Rebuilds the gid:sid index from sigs with room for twice as many. */
static bool id_index_rebuild(DetectEngine *de, uint32_t want)
{
    uint32_t cap = 1024;
    while (cap < want * 2)
        cap *= 2;
    free(de->by_id);
    de->by_id = calloc(cap, sizeof(*de->by_id));
    de->by_id_cap = de->by_id ? cap : 0;
    if (!de->by_id)
        return false;
    for (uint32_t i = 0; i < de->sig_count; i++)
        de->by_id[id_slot(de, de->sigs[i]->gid, de->sigs[i]->sid)] = de->sigs[i];
    return true;
}

DetectAddResult detect_engine_add(DetectEngine *de, Signature *s)
{
    DetectAddResult result = DETECT_ADD_OK;
    if ((de->sig_count + 1) * 2 > de->by_id_cap && !id_index_rebuild(de, de->sig_count + 1)) {
        signature_free(s);
        return DETECT_ADD_FAILED;
    }
    uint32_t slot = id_slot(de, s->gid, s->sid);
    if (de->by_id[slot] && s->rev <= de->by_id[slot]->rev) { /* the loaded one stays */
        signature_free(s);
        return DETECT_ADD_DUPLICATE;
    }
    if (de->by_id[slot]) { /* a newer rev replaces it and takes the new load position */
        for (uint32_t i = 0; i < de->sig_count; i++) {
            if (de->sigs[i] == de->by_id[slot]) {
                signature_free(de->sigs[i]);
                memmove(&de->sigs[i], &de->sigs[i + 1], (de->sig_count - i - 1) * sizeof(de->sigs[0]));
                de->sig_count--;
                break;
            }
        }
        de->by_id[slot] = NULL;
        result = DETECT_ADD_REPLACED;
        if (!id_index_rebuild(de, de->sig_count + 1)) { /* removal breaks probe chains */
            signature_free(s);
            return DETECT_ADD_FAILED;
        }
        slot = id_slot(de, s->gid, s->sid);
    }
    if (de->sig_count >= DETECT_MAX_SIGNATURES) {
        od_error("too many rules (more than %u); rule %u:%u dropped", DETECT_MAX_SIGNATURES, s->gid, s->sid);
        signature_free(s);
        return DETECT_ADD_FAILED;
    }
    if (de->sig_count == de->sig_cap) {
        uint32_t ncap = de->sig_cap ? de->sig_cap * 2 : 64;
        Signature **n = realloc(de->sigs, ncap * sizeof(*n));
        if (!n) {
            signature_free(s);
            return DETECT_ADD_FAILED;
        }
        de->sigs = n;
        de->sig_cap = ncap;
    }
    s->num = de->sig_count; /* load order, until the sort */
    de->sigs[de->sig_count++] = s;
    de->by_id[slot] = s;
    return result;
}

/* verdict: the action-order slot of an action: 0 pass, 1 drop, 2 reject
 * (all reject forms), 3 alert. */
static int action_slot(SigAction a)
{
    switch (a) {
    case SIG_ACTION_PASS: return 0;
    case SIG_ACTION_DROP: return 1;
    case SIG_ACTION_REJECT:
    case SIG_ACTION_REJECTSRC:
    case SIG_ACTION_REJECTDST:
    case SIG_ACTION_REJECTBOTH: return 2;
    default: return 3;
    }
}

/* verdict: ranks of the engine being sorted (qsort has no context; the
 * build runs once, before any worker starts) */
static uint8_t sort_action_rank[4] = { 0, 1, 2, 3 };

static int action_rank(SigAction a)
{
    return sort_action_rank[action_slot(a)];
}

/* verdict: `action-order:` -- a list of pass, drop, reject, alert, each
 * once, as Suricata's util-action.c reads it; anything else keeps the
 * default order with a warning. */
static void load_action_order(DetectEngine *de, Conf *conf)
{
    for (int i = 0; i < 4; i++)
        de->action_rank[i] = (uint8_t)i;
    ConfNode *n = conf ? conf_node(conf, "action-order") : NULL;
    if (!n)
        return;
    static const char *const names[4] = { "pass", "drop", "reject", "alert" };
    uint8_t rank[4];
    bool seen[4] = { false, false, false, false };
    int count = 0;
    for (ConfNode *c = n->first_child; c; c = c->next) {
        int slot = -1;
        for (int k = 0; k < 4 && c->value; k++)
            if (strcmp(c->value, names[k]) == 0)
                slot = k;
        if (slot < 0 || seen[slot] || count >= 4) {
            od_warn("action-order: invalid entry '%s'; using the default order", c->value ? c->value : "");
            return;
        }
        seen[slot] = true;
        rank[slot] = (uint8_t)count++;
    }
    if (count != 4) {
        od_warn("action-order must list pass, drop, reject and alert; using the default order");
        return;
    }
    memcpy(de->action_rank, rank, sizeof(rank));
}

const char *detect_drop_reason_name(uint8_t reason)
{
    switch (reason) {
    case DETECT_DROP_REASON_RULES: return "rules";
    case DETECT_DROP_REASON_FLOW: return "flow drop";
    case DETECT_DROP_REASON_THRESHOLD: return "threshold detection_filter";
    case DETECT_DROP_REASON_DEFRAG_MEMCAP: return "defrag memcap";
    case DETECT_DROP_REASON_STREAM_MEMCAP: return "stream memcap";
    case DETECT_DROP_REASON_STREAM_REASSEMBLY: return "stream reassembly";
    case DETECT_DROP_REASON_FLOW_MEMCAP: return "flow memcap";
    case DETECT_DROP_REASON_STREAM_MIDSTREAM: return "stream midstream";
    case DETECT_DROP_REASON_APPLAYER_ERROR: return "applayer error";
    case DETECT_DROP_REASON_EXCEPTION_FLOW_DROP: return "exception policy flow drop";
    case DETECT_DROP_REASON_STREAM_ERROR: return "stream error";
    case DETECT_DROP_REASON_STREAM_URGENT: return "stream urgent";
    default: return NULL;
    }
}

static int sig_cmp(const void *a, const void *b)
{
    const Signature *x = *(Signature *const *)a, *y = *(Signature *const *)b;
    int ra = action_rank(x->action), rb = action_rank(y->action);
    if (ra != rb)
        return ra - rb;
    if (x->priority != y->priority)
        return x->priority - y->priority;
    return x->num < y->num ? -1 : x->num > y->num;
}

static bool group_add(SigGroup *g, uint32_t num)
{
    if ((g->count & (g->count - 1)) == 0) { /* 0, 1, 2, 4...: grow to next power of two */
        uint32_t ncap = g->count ? g->count * 2 : 4;
        uint32_t *n = realloc(g->nums, ncap * sizeof(*n));
        if (!n)
            return false;
        g->nums = n;
    }
    g->nums[g->count++] = num;
    return true;
}

bool detect_engine_build(DetectEngine *de)
{
    memcpy(sort_action_rank, de->action_rank, sizeof(sort_action_rank));
    if (de->sig_count > 1) /* no rules: sigs may be NULL, which qsort may not take */
        qsort(de->sigs, de->sig_count, sizeof(de->sigs[0]), sig_cmp);
    prefilter_free(de->prefilter);
    de->prefilter = NULL;
    for (int p = 0; p < 256; p++)
        for (int d = 0; d < 2; d++)
            de->groups[p][d].count = 0;
    for (uint32_t i = 0; i < de->sig_count; i++) {
        Signature *s = de->sigs[i];
        s->num = i;
        if (detect_app_sig(s))
            prefilter_choose_app_fast_pattern(s);
        else
            prefilter_choose_fast_pattern(s);
        for (int p = 0; p < 256; p++) {
            if (!s->proto_any && !(s->proto[p / 8] & (1u << (p % 8))))
                continue;
            for (int d = 0; d < 2; d++) {
                if (d == 0 && (s->flags & SIG_FLAG_TOCLIENT))
                    continue;
                if (d == 1 && (s->flags & SIG_FLAG_TOSERVER))
                    continue;
                if (!group_add(&de->groups[p][d], i))
                    return false;
            }
        }
    }
    /* the 512 (proto, dir) lists, then the TCP and UDP port groups */
    PortGroups *pg[2][2] = { { NULL, NULL }, { NULL, NULL } };
    PrefilterPortSplit split[2][2];
    memset(split, 0, sizeof(split));
    uint32_t list_count = 512;
    bool ok = true;
    for (int slot = 0; ok && slot < 2; slot++)
        for (int d = 0; ok && d < 2; d++) {
            const SigGroup *g = &de->groups[slot ? 17 : 6][d];
            pg[slot][d] = port_grouping_split(&de->port_grouping, de->sigs, g->nums, g->count, slot ? 17 : 6, d);
            ok = pg[slot][d] != NULL && list_count + pg[slot][d]->count < 65536;
            if (ok) {
                split[slot][d].index = pg[slot][d]->index;
                split[slot][d].first_list = list_count;
                split[slot][d].list_count = pg[slot][d]->count;
                list_count += pg[slot][d]->count;
                split[slot][d].parent = g->nums;
                split[slot][d].parent_count = g->count;
            }
        }
    const uint32_t **nums = calloc(list_count, sizeof(*nums));
    uint32_t *counts = calloc(list_count, sizeof(*counts));
    char err[256] = "out of memory building the port groups";
    if (ok && nums && counts) {
        for (int g = 0; g < 512; g++) { /* TCP and UDP: only through their port groups */
            nums[g] = de->groups[g / 2][g % 2].nums;
            counts[g] = (g / 2 == 6 || g / 2 == 17) ? 0 : de->groups[g / 2][g % 2].count;
        }
        for (int slot = 0; slot < 2; slot++)
            for (int d = 0; d < 2; d++)
                for (uint32_t i = 0; i < pg[slot][d]->count; i++) {
                    nums[split[slot][d].first_list + i] = pg[slot][d]->nums[i];
                    counts[split[slot][d].first_list + i] = pg[slot][d]->sizes[i];
                }
        mpm_cache_init(&de->mpm_cache, de->conf);
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        de->prefilter = prefilter_build(de->sigs, de->sig_count, nums, counts, list_count, split, &de->mpm_cache,
                                        cpus > 0 ? (unsigned)cpus : 1, err, sizeof(err));
        if (de->prefilter)
            od_info("port groups: TCP %u to server, %u to client; UDP %u to server, %u to client",
                    pg[0][0]->count, pg[0][1]->count, pg[1][0]->count, pg[1][1]->count);
    }
    free(nums);
    free(counts);
    for (int slot = 0; slot < 2; slot++)
        for (int d = 0; d < 2; d++) {
            port_groups_free(pg[slot][d]);
        }
    if (de->mpm_cache.enabled)
        od_info("mpm cache %s: %u database(s) loaded, %u compiled, %u stored", de->mpm_cache.dir, de->mpm_cache.hits,
                de->mpm_cache.misses, de->mpm_cache.stored);
    if (!de->prefilter) {
        od_error("%s", err);
        return false;
    }
    if (!option_cache_assign(de->sigs, de->sig_count, &de->options))
        return false;
    od_info("packet options: %u instances in the rules, %u distinct; %u of them in 2+ rules (%u instances) "
            "evaluated once per packet",
            de->options.instances, de->options.distinct, de->options.ids, de->options.shared_instances);
    free(de->sig_app_proto);
    de->sig_app_proto = calloc(de->sig_count ? de->sig_count : 1, sizeof(*de->sig_app_proto));
    if (!de->sig_app_proto)
        return false;
    for (uint32_t i = 0; i < de->sig_count; i++)
        de->sig_app_proto[i] = (de->sigs[i]->flags & SIG_FLAG_FILE_ANY_PROTO) ? 0 : de->sigs[i]->app_proto; /* files */
    threshold_plan_free(de->tplan);
    de->tplan = threshold_plan_build(de->thresholds, de->sigs, de->sig_count);
    de->built = true;
    return true;
}

bool detect_thread_init(DetectThread *dt, const DetectEngine *de, Counters *ctr)
{
    memset(dt, 0, sizeof(*dt));
    dt->de = de;
    dt->ctr = ctr;
    dt->alert_cap = de->packet_alert_max;
    dt->alerts = calloc(dt->alert_cap + 1u, sizeof(*dt->alerts));
    if (!dt->alerts)
        return false;
    if (!prefilter_thread_init(&dt->pf, de->prefilter)) {
        free(dt->alerts);
        dt->alerts = NULL;
        return false;
    }
    if (!option_cache_thread_init(&dt->opt_cache, de->options.ids)) {
        prefilter_thread_free(&dt->pf);
        free(dt->alerts);
        dt->alerts = NULL;
        return false;
    }
    if (de->tplan) {
        dt->thresh = threshold_state_new(de->thresh_hash_size, de->thresh_memcap);
        if (!dt->thresh)
            return false;
    }
    dt->prof = rule_profile_thread_new(de);
    return true;
}

void detect_thread_free(DetectThread *dt)
{
    rule_profile_thread_end(dt->prof);
    free(dt->alerts);
    free(dt->app_xform_owned);
    free(dt->inline_buf);
    if (dt->pf.runs) /* -v: how well the grouping and the prefilter narrow the rules down */
        od_info("prefilter: %llu packet runs, %llu candidates (%.1f per run)", (unsigned long long)dt->pf.runs,
                (unsigned long long)dt->pf.candidates, (double)dt->pf.candidates / (double)dt->pf.runs);
    prefilter_thread_free(&dt->pf);
    option_cache_thread_free(&dt->opt_cache);
    threshold_state_free(dt->thresh);
    free(dt->tickets);
    memset(dt, 0, sizeof(*dt));
}

bool detect_engine_succeed(DetectEngine *de, const DetectEngine *old)
{
    de->generation = old->generation + 1;
    free(de->prev_num_map);
    de->prev_num_map = NULL;
    de->prev_num_count = 0;
    if (old->sig_count == 0)
        return true;
    de->prev_num_map = malloc(old->sig_count * sizeof(*de->prev_num_map));
    if (!de->prev_num_map)
        return false;
    de->prev_num_count = old->sig_count;
    for (uint32_t i = 0; i < old->sig_count; i++) {
        const Signature *s = old->sigs[i];
        const Signature *now = de->by_id_cap ? de->by_id[id_slot(de, s->gid, s->sid)] : NULL;
        de->prev_num_map[i] = now ? now->num : UINT32_MAX;
    }
    return true;
}

bool detect_thread_switch(DetectThread *dt, const DetectEngine *de)
{
    DetectThread next;
    ThresholdState *kept = dt->thresh;
    if (!detect_thread_init(&next, de, dt->ctr)) {
        detect_thread_free(&next); /* what the failed init did allocate */
        return false;
    }
    if (next.thresh && kept) { /* thresholds are keyed by gid:sid: keep counting */
        threshold_state_free(next.thresh);
        next.thresh = kept;
        dt->thresh = NULL;
    }
    next.defer_spanning = dt->defer_spanning; /* the run's choices */
    next.thresh_shared = dt->thresh_shared;
    next.thresh_shared_lock = dt->thresh_shared_lock;
    detect_thread_free(dt);
    *dt = next;
    return true;
}

const char *detect_alert_action_name(const DetectEngine *de, SigAction a)
{
    return de->ips && a != SIG_ACTION_ALERT && a != SIG_ACTION_PASS ? "blocked" : "allowed";
}

const char *detect_action_name(const DetectEngine *de, const Signature *s)
{
    if (de->ips && s->action != SIG_ACTION_ALERT && s->action != SIG_ACTION_PASS)
        return "blocked";
    return "allowed";
}
