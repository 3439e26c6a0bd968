/*
 * EVE `flow` records: one per flow when it ends (timeout, eviction or end of
 * input), as Suricata 8 writes them: app_proto (and app_proto_ts /
 * app_proto_tc when a direction detected another protocol, app_proto_orig
 * after a protocol change, app_proto_expected when that change brought
 * another protocol than the one it expected), the `flow` object (counts,
 * start/end, age, state, reason, alerted, action, the parser's transaction
 * count tx_cnt when it made any, and the exception
 * policies that fired on the flow as `exception_policy`: {target, policy}
 * objects in Suricata's target order, unless the flow type's option
 * `exception-policy` is off) and for TCP the `tcp` object with the flags
 * seen per direction and the session state.
 */
#include "output/eve.h"
#include "output/eve-metadata.h"

#include <string.h>

#include "detect/app-proto.h"
#include "stream/stream.h"

/* "%02x" without snprintf (three calls a TCP flow record: 0.8% of an ET
 * Open run's instructions went to formatting them) */
static void eve_hex_flags(JsonBuf *j, const char *key, uint8_t flags)
{
    static const char digits[] = "0123456789abcdef";
    const char hex[3] = { digits[flags >> 4], digits[flags & 0x0f], '\0' };
    jb_str(j, key, hex);
}

static void eve_tcp_flag_bools(JsonBuf *j, uint8_t flags)
{
    static const struct { uint8_t bit; const char *name; } names[] = {
        { TH_SYN, "syn" }, { TH_FIN, "fin" }, { TH_RST, "rst" }, { TH_PUSH, "psh" },
        { TH_ACK, "ack" }, { TH_URG, "urg" }, { TH_ECN, "ecn" }, { TH_CWR, "cwr" },
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (flags & names[i].bit)
            jb_bool(j, names[i].name, true);
}

/* The flow type's `exception-policy` option (default on); read only for
 * flows an exception policy fired on, which are rare. */
static bool log_exception_policy(const Eve *eve)
{
    ConfNode *opts = NULL;
    bool on = true;
    if (eve_type_enabled(&eve->cfg, "flow", &opts) && opts)
        conf_node_get_bool(opts, "exception-policy", &on);
    return on;
}

static void eve_exception_policies(JsonBuf *j, const FlowExceptions *fe)
{
    jb_open_array(j, "exception_policy");
    for (int t = 0; t < EXC_TARGET_MAX; t++) {
        if (!(fe->fired & (1u << t)))
            continue;
        jb_open_object(j, NULL);
        jb_str(j, "target", exception_target_name((ExceptionTarget)t));
        jb_str(j, "policy", exception_policy_name((ExceptionPolicy)fe->policy[t]));
        jb_close_object(j);
    }
    jb_close_array(j);
}

void eve_log_flow(Eve *eve, JsonBuf *j, const Flow *f, OdTime ts)
{
    char tbuf[64];
    if (!eve->file || !eve->cfg.flow)
        return;
    eve_open_flow_record(eve, j, f, ts, "flow");
    /* Suricata's EveAddAppProto: only when known (including "failed") */
    const char *ap = app_proto_name(f->app_proto);
    if (ap)
        jb_str(j, "app_proto", ap);
    /* each direction's detected protocol when it differs (a client talking
     * HTTP to an SSH server: app_proto http, app_proto_tc ssh) */
    const char *ap_ts = f->app_proto_ts != f->app_proto ? app_proto_name(f->app_proto_ts) : NULL;
    const char *ap_tc = f->app_proto_tc != f->app_proto ? app_proto_name(f->app_proto_tc) : NULL;
    if (ap_ts)
        jb_str(j, "app_proto_ts", ap_ts);
    if (ap_tc)
        jb_str(j, "app_proto_tc", ap_tc);
    const char *ap_orig = f->app_proto_orig != f->app_proto ? app_proto_name(f->app_proto_orig) : NULL;
    if (ap_orig)
        jb_str(j, "app_proto_orig", ap_orig);
    const char *ap_expect = f->app_proto_expect != f->app_proto ? app_proto_name(f->app_proto_expect) : NULL;
    if (ap_expect)
        jb_str(j, "app_proto_expected", ap_expect);
    jb_open_object(j, "flow");
    jb_uint(j, "pkts_toserver", f->pkts_toserver);
    jb_uint(j, "pkts_toclient", f->pkts_toclient);
    jb_uint(j, "bytes_toserver", f->bytes_toserver);
    jb_uint(j, "bytes_toclient", f->bytes_toclient);
    jb_str(j, "start", od_time_format(f->start, tbuf, sizeof(tbuf)));
    jb_str(j, "end", od_time_format(f->last, tbuf, sizeof(tbuf)));
    jb_uint(j, "age", (uint64_t)(OD_TIME_SEC(f->last) - OD_TIME_SEC(f->start)));
    jb_str(j, "state", flow_state_name(f->state));
    jb_str(j, "reason", flow_end_reason_name(f->end_reason));
    jb_bool(j, "alerted", f->alerted);
    if (f->action == FLOW_ACTION_DROP)
        jb_str(j, "action", "drop");
    else if (f->action == FLOW_ACTION_PASS)
        jb_str(j, "action", "pass");
    if (f->app_tx_cnt)
        jb_uint(j, "tx_cnt", f->app_tx_cnt);
    if (f->exceptions.fired && log_exception_policy(eve))
        eve_exception_policies(j, &f->exceptions);
    jb_close_object(j);
    eve_flow_metadata(j, f);
    if (f->proto == 6) {
        /* as Suricata: the flags are the TCP session's; a flow that never got
         * a session prints zeros and no flag names */
        TcpFlowSummary sum;
        memset(&sum, 0, sizeof(sum));
        if (f->tcp)
            stream_tcp_summary(f, &sum);
        jb_open_object(j, "tcp");
        eve_hex_flags(j, "tcp_flags", sum.has_session ? sum.flags : 0);
        eve_hex_flags(j, "tcp_flags_ts", sum.has_session ? sum.flags_ts : 0);
        eve_hex_flags(j, "tcp_flags_tc", sum.has_session ? sum.flags_tc : 0);
        if (sum.has_session) {
            eve_tcp_flag_bools(j, sum.flags);
            if (sum.state)
                jb_str(j, "state", sum.state);
            if (sum.tc_gap)
                jb_bool(j, "tc_gap", true);
            if (sum.ts_gap)
                jb_bool(j, "ts_gap", true);
            jb_uint(j, "ts_max_regions", sum.ts_max_regions);
            jb_uint(j, "tc_max_regions", sum.tc_max_regions);
        }
        jb_close_object(j);
    }
    eve_write_record(eve, j, true);
}
