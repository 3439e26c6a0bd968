/*
 * odlar: the command line.
 *
 * Takes Suricata's flags where they overlap so pipelines written for
 * `suricata -r` work with `odlar -r`: reads the configuration (built-in
 * defaults, then `-c FILE` with its `--include` files, then each `--set`), checks the output folder,
 * runs the engine over the capture and prints a short summary of what it saw.
 * Exit status: 0 success, 1 run-time or configuration error, 2 usage error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf/conf.h"
#include "detect/dataset.h" /* dataset: sets saved at shutdown */
#include "detect/detect-engine.h"
#include "detect/keyword-list.h"
#include "detect/keyword.h"
#include "detect/rule-load.h"
#include "detect/rule-profile.h"
#include "engine/engine-live.h"
#include "engine/engine.h"
#include "engine/reload.h"
#include "odlar-build.h"
#include "util/exit-teardown.h"
#include "util/heap-pages.h"
#include "util/log.h"

typedef struct Options {
    const char *read_path;
    const char *log_dir;
    const char *config_file;
    const char *sets[256];
    int set_count;
    const char *includes[64]; /* --include files, after -c */
    int include_count;
    const char *checksum_mode;
    const char *runmode;
    const char *rule_file_exclusive; /* -S */
    const char *rule_files[64]; /* -s */
    int rule_file_count;
    const char *bpf_filter;
    const char *data_dir; /* --data-dir: where datasets and state files live */
    bool live; /* -i, --af-packet, --pcap */
    LiveKind live_kind;
    const char *live_iface; /* NULL: the first interface of the section */
    uint16_t nfq_queues[NFQ_MAX_QUEUES]; /* -q N (live_kind LIVE_NFQ) */
    uint32_t nfq_count;
    const char *pidfile;
    const char *run_as_user; /* --user */
    const char *run_as_group; /* --group */
    bool init_errors_fatal;
    bool disable_detection;
    bool simulate_ips;
    bool dump_config;
    bool test_config;
    bool quiet;
    bool profile_rules;
    int verbose;
} Options;

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: odlar [options] -r <capture file or folder>\n"
            "\n"
            "  -r <path>                    read a pcap/pcapng file, or every capture in a folder\n"
            "  -i <iface>                   capture live on an interface with AF_PACKET\n"
            "  --af-packet[=<iface>]        the same (no interface: the first one of af-packet:)\n"
            "  --pcap[=<iface>]             capture live with libpcap (see pcap:)\n"
            "  -q <queue>                   run inline on NFQUEUE queue <queue> (repeatable; see nfq:)\n"
            "  --pidfile <file>             write the process id to this file while running\n"
            "  --user <name>, --group <name>\n"
            "                               run as this user and group once the capture is open\n"
            "  -l <dir>                     write logs (eve.json, fast.log) into this folder\n"
            "  -c <file>                    configuration file (suricata.yaml format)\n"
            "  --include <file>             more configuration, read as if at the end of -c (repeatable)\n"
            "  --set <key>=<value>          set a configuration value (repeatable, dotted keys)\n"
            "  -S <file>                    load only the rules in this file\n"
            "  -s <file>                    load rules from this file in addition to the configured ones\n"
            "  -k [all|none|auto]           checksum checks (default: pcap-file.checksum-checks)\n"
            "  --runmode <single|workers|autofp>\n"
            "                               one thread (the default), or N workers by flow\n"
            "                               (autofp: the same as workers; see threading.*)\n"
            "  --simulate-ips               act as an inline IPS while reading a capture\n"
            "  --init-errors-fatal          stop when a rule or setting fails to load\n"
            "  --disable-detection          decode, track and log only; no rules\n"
            "  --data-dir <dir>             folder for dataset and state files\n"
            "  --profile-rules              time every rule; write the top rules to rule_perf.log\n"
            "                               in the log folder (see profiling.rules.*)\n"
            "  --no-random                  accepted for compatibility (Odlar is always reproducible)\n"
            "  -T                           test the configuration and rules, then exit\n"
            "  --engine-analysis            load the rules as -T does (a rule that fails is fatal), then exit\n"
            "  --dump-config                print the effective configuration as key = value\n"
            "  --list-keywords[=all|csv|<keyword>]\n"
            "                               list the rule keywords (or describe one), then exit\n"
            "  -v                           more output (repeat for more)\n"
            "  -V                           print the version\n"
            "  --build-info                 print build details and features\n"
            "  -h, --help                   this help\n");
}

static void usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "odlar: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n\n");
    usage(stderr);
    exit(2);
}

static void print_version(void)
{
    printf("This is Odlar version %s (emulating Suricata %s)\n", ODLAR_VERSION, ODLAR_EMULATES);
}

static void print_build_info(void)
{
    print_version();
    printf("Features: PCAP_SET_BUFF HAVE_JA3 HAVE_JA4 HAVE_LIBJANSSON\n");
    printf("Emulates: Suricata %s\n", ODLAR_EMULATES);
    printf("Capture: pcap and pcapng files (libpcap %s)\n", "system");
    printf("Compiled with: C11, libpcap, libyaml, PCRE2, Hyperscan, zlib\n");
}

enum {
    OPT_SET = 1000,
    OPT_INCLUDE,
    OPT_RUNMODE,
    OPT_INIT_ERRORS_FATAL,
    OPT_DISABLE_DETECTION,
    OPT_BUILD_INFO,
    OPT_DUMP_CONFIG,
    OPT_LIST_KEYWORDS,
    OPT_SIMULATE_IPS,
    OPT_PCAP,
    OPT_AF_PACKET,
    OPT_DATA_DIR,
    OPT_NO_RANDOM,
    OPT_PIDFILE,
    OPT_PROFILE_RULES,
    OPT_USER,
    OPT_GROUP,
};

/* -q N: one more NFQUEUE queue (one capture thread each). */
static void add_nfq_queue(Options *o, const char *arg)
{
    if (o->live && o->live_kind != LIVE_NFQ)
        usage_error("-q cannot be combined with another live capture source (-q %s)", arg);
    char *end = NULL;
    errno = 0;
    long q = strtol(arg, &end, 10);
    if (errno || !end || *end || end == arg || q < 0 || q > 65535)
        usage_error("-q takes a queue number from 0 to 65535, not '%s'", arg);
    if (o->nfq_count >= NFQ_MAX_QUEUES)
        usage_error("at most 16 NFQUEUE queues (-q %s)", arg);
    o->live = true;
    o->live_kind = LIVE_NFQ;
    o->nfq_queues[o->nfq_count++] = (uint16_t)q;
}

/* The engine runs inline (IPS mode): NFQUEUE, or AF_PACKET copy-mode ips. */
static bool runs_inline(const Options *o, Conf *conf)
{
    return o->live && (o->live_kind == LIVE_NFQ ||
                       (o->live_kind == LIVE_AF_PACKET && live_config_is_inline(conf, o->live_iface)));
}

static void parse_args(int argc, char **argv, Options *o)
{
    static const struct option longopts[] = {
        { "set", required_argument, NULL, OPT_SET },
        { "include", required_argument, NULL, OPT_INCLUDE },
        { "runmode", required_argument, NULL, OPT_RUNMODE },
        { "init-errors-fatal", no_argument, NULL, OPT_INIT_ERRORS_FATAL },
        { "disable-detection", no_argument, NULL, OPT_DISABLE_DETECTION },
        { "build-info", no_argument, NULL, OPT_BUILD_INFO },
        { "dump-config", no_argument, NULL, OPT_DUMP_CONFIG },
        { "list-keywords", optional_argument, NULL, OPT_LIST_KEYWORDS },
        { "simulate-ips", no_argument, NULL, OPT_SIMULATE_IPS },
        { "pcap", optional_argument, NULL, OPT_PCAP },
        { "af-packet", optional_argument, NULL, OPT_AF_PACKET },
        { "data-dir", required_argument, NULL, OPT_DATA_DIR },
        { "no-random", no_argument, NULL, OPT_NO_RANDOM },
        { "pidfile", required_argument, NULL, OPT_PIDFILE },
        { "profile-rules", no_argument, NULL, OPT_PROFILE_RULES },
        { "user", required_argument, NULL, OPT_USER },
        { "group", required_argument, NULL, OPT_GROUP },
        { "engine-analysis", no_argument, NULL, 'T' }, /* as -T: check the rules, exit */
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof(*o));
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":r:l:c:k:S:s:i:q:vVhT", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': o->read_path = optarg; break;
        case 'l': o->log_dir = optarg; break;
        case 'c': o->config_file = optarg; break;
        case 'k':
            if (strcmp(optarg, "all") && strcmp(optarg, "none") && strcmp(optarg, "auto"))
                usage_error("-k takes all, none or auto, not '%s'", optarg);
            o->checksum_mode = optarg;
            break;
        case 'S': o->rule_file_exclusive = optarg; break;
        case 's':
            if (o->rule_file_count >= (int)(sizeof(o->rule_files) / sizeof(o->rule_files[0])))
                usage_error("too many -s rule files (%s)", optarg);
            o->rule_files[o->rule_file_count++] = optarg;
            break;
        case 'v': o->verbose++; break;
        case 'V': print_version(); exit(0);
        case 'h': usage(stdout); exit(0);
        case 'T': o->test_config = true; break;
        case 'i':
        case OPT_AF_PACKET:
        case OPT_PCAP:
            if (o->live)
                usage_error("only one live capture source may be given (%s)", argv[optind - 1]);
            o->live = true;
            o->live_kind = c == OPT_PCAP ? LIVE_PCAP : LIVE_AF_PACKET;
            o->live_iface = optarg;
            break;
        case 'q': add_nfq_queue(o, optarg); break;
        case OPT_PIDFILE: o->pidfile = optarg; break;
        case OPT_PROFILE_RULES: o->profile_rules = true; break;
        case OPT_USER: o->run_as_user = optarg; break;
        case OPT_GROUP: o->run_as_group = optarg; break;
        case OPT_SET:
            if (o->set_count >= (int)(sizeof(o->sets) / sizeof(o->sets[0])))
                usage_error("too many --set options (%s)", optarg);
            o->sets[o->set_count++] = optarg;
            break;
        case OPT_INCLUDE:
            if (o->include_count >= (int)(sizeof(o->includes) / sizeof(o->includes[0])))
                usage_error("too many --include options (%s)", optarg);
            o->includes[o->include_count++] = optarg;
            break;
        case OPT_RUNMODE:
            if (strcmp(optarg, "single") && strcmp(optarg, "workers") && strcmp(optarg, "autofp"))
                usage_error("--runmode takes single, workers or autofp, not '%s'", optarg);
            o->runmode = optarg;
            break;
        case OPT_INIT_ERRORS_FATAL: o->init_errors_fatal = true; break;
        case OPT_DISABLE_DETECTION: o->disable_detection = true; break;
        case OPT_BUILD_INFO: print_build_info(); exit(0);
        case OPT_DUMP_CONFIG: o->dump_config = true; break;
        case OPT_LIST_KEYWORDS:
            if (!keyword_list_print(stdout, optarg)) {
                fprintf(stderr, "odlar: no rule keyword '%s' (--list-keywords lists them all)\n", optarg);
                exit(1);
            }
            exit(0);
        case OPT_SIMULATE_IPS: o->simulate_ips = true; break;
        case OPT_DATA_DIR: o->data_dir = optarg; break;
        case OPT_NO_RANDOM: break; /* Odlar uses no randomness: always reproducible */
        case ':':
            usage_error("option '%s' needs an argument", argv[optind - 1]);
            break;
        default:
            usage_error("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    /* Suricata takes a trailing BPF expression after the options. */
    if (optind < argc) {
        static char bpf[4096];
        size_t used = 0;
        for (int i = optind; i < argc; i++) {
            int n = snprintf(bpf + used, sizeof(bpf) - used, "%s%s", used ? " " : "", argv[i]);
            if (n < 0 || (size_t)n >= sizeof(bpf) - used)
                usage_error("BPF filter too long: %s", argv[i]);
            used += (size_t)n;
        }
        o->bpf_filter = bpf;
    }
    if (o->live && o->read_path)
        usage_error("-r cannot be combined with live capture (%s)", o->read_path);
}

/* --pidfile: the process id, one line; false after a message. */
static bool write_pidfile(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
        od_error("cannot write pidfile %s: %s", path, strerror(errno));
        return false;
    }
    return true;
}

/* Builds the configuration tree: defaults, then -c with its --include files
 * (conf_load_files), then --set, then the
 * flags that are shorthands for settings. */
/* Suricata's logging.outputs `file` output: engine messages also go to a
 * file in the log folder (suricata.log by default), text or JSON, at the
 * output's level (else logging.default-log-level). Only when the folder
 * exists: a missing -l folder is reported later, once. */
static void open_log_file(Conf *conf, const char *log_dir)
{
    ConfNode *outs = conf_node(conf, "logging.outputs");
    for (ConfNode *t = outs ? outs->first_child : NULL; t; t = t->next) {
        if (!t->value || strcmp(t->value, "file") != 0)
            continue;
        ConfNode *opts = conf_node_child(t, "file");
        bool enabled = true;
        const char *filename = "suricata.log", *type = "regular", *level_name = NULL;
        if (opts) {
            conf_node_get_bool(opts, "enabled", &enabled);
            conf_node_get_str(opts, "filename", &filename);
            conf_node_get_str(opts, "type", &type);
            conf_node_get_str(opts, "level", &level_name);
        }
        if (!enabled)
            return;
        if (!level_name)
            conf_get_str(conf, "logging.default-log-level", &level_name);
        LogLevel level = LOG_LVL_NOTICE;
        if (level_name && !od_log_level_parse(level_name, &level))
            od_warn("logging.outputs file.level: unknown level '%s', using notice", level_name);
        char path[4096];
        int n = filename[0] == '/' ? snprintf(path, sizeof(path), "%s", filename)
                                   : snprintf(path, sizeof(path), "%s/%s", log_dir, filename);
        if (n < 0 || (size_t)n >= sizeof(path)) {
            od_warn("logging.outputs file.filename: the path is too long");
            return;
        }
        struct stat st;
        if (filename[0] != '/' && (stat(log_dir, &st) != 0 || !S_ISDIR(st.st_mode)))
            return;
        if (!od_log_open_file(path, strcmp(type, "json") == 0, level))
            od_warn("cannot open the log file %s: %s", path, strerror(errno));
        return;
    }
}

static Conf *load_config(const Options *o)
{
    char err[1024];
    Conf *conf = conf_new_defaults();
    if (!conf) {
        od_error("cannot build the default configuration");
        return NULL;
    }
    if ((o->config_file || o->include_count) &&
        !conf_load_files(conf, o->config_file, o->includes, o->include_count, err, sizeof(err))) {
        od_error("%s", err);
        conf_free(conf);
        return NULL;
    }
    for (int i = 0; i < o->set_count; i++) {
        if (!conf_set(conf, o->sets[i], err, sizeof(err))) {
            od_error("--set %s: %s", o->sets[i], err);
            conf_free(conf);
            return NULL;
        }
    }
    if (o->checksum_mode) {
        const char *v = strcmp(o->checksum_mode, "none") == 0 ? "no" : strcmp(o->checksum_mode, "all") == 0 ? "yes" : "auto";
        conf_set_value(conf, "pcap-file.checksum-checks", v, "<command line -k>");
        /* as in Suricata, -k also decides the stream engine's checksum checks */
        if (strcmp(o->checksum_mode, "auto") != 0)
            conf_set_value(conf, "stream.checksum-validation", strcmp(o->checksum_mode, "all") == 0 ? "yes" : "no",
                           "<command line -k>");
    }
    if (o->runmode)
        conf_set_value(conf, "runmode", o->runmode, "<command line --runmode>");
    /* --simulate-ips puts the engine in IPS mode: stream.inline "auto" (the
     * default) then means inline, as in Suricata */
    const char *inl = NULL;
    if ((o->simulate_ips || runs_inline(o, conf)) &&
        (!conf_get_str(conf, "stream.inline", &inl) || !inl || strcmp(inl, "auto") == 0))
        conf_set_value(conf, "stream.inline", "yes", o->simulate_ips ? "<command line --simulate-ips>" : "<inline mode>");
    if (o->log_dir)
        conf_set_value(conf, "default-log-dir", o->log_dir, "<command line -l>");
    if (o->data_dir)
        conf_set_value(conf, "default-data-dir", o->data_dir, "<command line --data-dir>");
    if (o->run_as_user)
        conf_set_value(conf, "run-as.user", o->run_as_user, "<command line --user>");
    if (o->run_as_group)
        conf_set_value(conf, "run-as.group", o->run_as_group, "<command line --group>");
    return conf;
}

/* reload: the configuration read again for a rule reload (reload.h). */
static Conf *reload_config(void *ctx)
{
    return load_config(ctx);
}

static bool check_log_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        od_error("log directory '%s' does not exist (create it, or choose another with -l)", dir);
        return false;
    }
    if (!S_ISDIR(st.st_mode)) {
        od_error("log directory '%s' is not a directory", dir);
        return false;
    }
    return true;
}

static void print_summary(const RunSummary *s, const EngineConfig *ec, const char *input)
{
    if (od_log_get_level() < LOG_LVL_NOTICE)
        return;
    fprintf(stderr, "odlar: read %llu packets (%llu bytes) from %s%s",
            (unsigned long long)s->packets, (unsigned long long)s->bytes, input,
            s->files > 1 ? "" : "\n");
    if (s->files > 1)
        fprintf(stderr, " (%u files)\n", s->files);
    fprintf(stderr, "odlar: %llu flows (TCP %llu, UDP %llu, ICMP %llu, other %llu); %llu invalid packets; %llu anomalies\n",
            (unsigned long long)s->flows, (unsigned long long)s->flows_tcp, (unsigned long long)s->flows_udp,
            (unsigned long long)s->flows_icmp, (unsigned long long)s->flows_other, (unsigned long long)s->invalid,
            (unsigned long long)s->anomalies);
    fprintf(stderr, "odlar: %llu alerts\n", (unsigned long long)s->alerts);
    if (ec->eve.enabled)
        fprintf(stderr, "odlar: events written to %s\n", ec->eve.path);
}

/* Loads the rules (-S, else the configured rule-files, plus -s) into a new
 * detection engine and builds it. NULL (after a message) when a rule failed
 * and --init-errors-fatal or -T asks for that to be fatal, or on no memory. */
static DetectEngine *load_rules(Conf *conf, const Options *o)
{
    keywords_init();
    DetectEngine *de = detect_engine_new(conf);
    if (!de) {
        od_error("out of memory building the detection engine");
        return NULL;
    }
    de->ips = o->simulate_ips || runs_inline(o, conf);
    RuleLoadOptions ro = { .exclusive = o->rule_file_exclusive, .extra = o->rule_files,
                           .extra_count = o->rule_file_count };
    RuleLoadStats st;
    if (o->live)
        reload_initial_failure_hook(); /* the control socket's ruleset-failed-rules */
    rules_load_all(de, conf, &ro, &st);
    rules_set_failure_hook(NULL, NULL);
    RuleSource src = { .conf = conf, .exclusive = o->rule_file_exclusive, .extra = o->rule_files,
                       .extra_count = o->rule_file_count, .ips = de->ips,
                       .errors_fatal = o->init_errors_fatal, .reload_conf = reload_config,
                       .reload_conf_ctx = (void *)o };
    reload_set_rule_source(&src, &st); /* for reloads of a live run */
    bool fatal = o->init_errors_fatal || o->test_config;
    if (fatal && (st.failed > 0 || (o->rule_file_exclusive && st.missing_files > 0))) {
        od_error("%d rule(s) failed to load%s", st.failed,
                 o->test_config ? "" : " and --init-errors-fatal is set");
        detect_engine_free(de);
        return NULL;
    }
    if (!detect_engine_build(de)) {
        od_error("out of memory building the detection engine");
        detect_engine_free(de);
        return NULL;
    }
    return de;
}

/* The rule set and its engine (ET Open: about 100 MB) fit in this part of
 * the heap prepared for 2 MiB pages (util/heap-pages.h). */
#define HEAP_LARGE_PAGES_BYTES (256u * 1024u * 1024u)

int main(int argc, char **argv)
{
    heap_use_large_pages(HEAP_LARGE_PAGES_BYTES);
    Options o;
    parse_args(argc, argv, &o);
    od_log_set_level(o.verbose >= 2 ? LOG_LVL_DEBUG : o.verbose == 1 ? LOG_LVL_INFO : LOG_LVL_NOTICE);

    Conf *conf = load_config(&o);
    if (!conf)
        return 1;
    if (o.dump_config) {
        conf_dump(conf, stdout);
        conf_free(conf);
        return 0;
    }

    EngineConfig ec;
    char err[1024];
    if (!engine_config_read(conf, &ec, err, sizeof(err))) {
        od_error("%s", err);
        conf_free(conf);
        return 1;
    }
    if (conf_errors(conf) > 0) {
        od_error("configuration has %d invalid value(s); see the messages above", conf_errors(conf));
        conf_free(conf);
        return 1;
    }
    open_log_file(conf, ec.log_dir);
    ec.detection_enabled = !o.disable_detection;
    ec.bpf_filter = o.bpf_filter;

    DetectEngine *de = NULL;
    if (o.profile_rules)
        rule_profile_enable();
    if (ec.detection_enabled) {
        de = load_rules(conf, &o);
        if (!de) {
            conf_free(conf);
            return 1;
        }
        ec.detect = de;
    }
    if (o.test_config) {
        od_notice("Configuration provided was successfully loaded. Exiting.");
        detect_engine_free(de);
        conf_free(conf);
        return 0;
    }
    if (!o.read_path && !o.live) {
        fprintf(stderr, "odlar: nothing to read: give -r <capture file or folder> or -i <interface>\n\n");
        usage(stderr);
        detect_engine_free(de);
        conf_free(conf);
        return 2;
    }
    if (!check_log_dir(ec.log_dir)) {
        detect_engine_free(de);
        conf_free(conf);
        return 1;
    }

    if (o.pidfile && !write_pidfile(o.pidfile)) {
        detect_engine_free(de);
        conf_free(conf);
        return 1;
    }
    RunSummary summary;
    int rc;
    if (o.live) {
        LiveOptions lo;
        bool read_ok;
        if (o.live_kind == LIVE_NFQ) {
            memset(&lo, 0, sizeof(lo));
            memcpy(lo.nfq.queues, o.nfq_queues, sizeof(lo.nfq.queues));
            lo.nfq.queue_count = o.nfq_count;
            read_ok = nfq_options_read(conf, &lo, err, sizeof(err));
        } else {
            read_ok = live_options_read(conf, o.live_kind, o.live_iface, &lo, err, sizeof(err));
        }
        if (!read_ok) {
            od_error("%s", err);
            rc = 1;
        } else {
            rc = engine_run_live(conf, &ec, &lo, &summary);
            de = NULL; /* the live run owned and freed it (rule reloads replace it) */
            if (rc == 0)
                print_summary(&summary, &ec, lo.iface);
        }
        live_options_free(&lo);
    } else {
        engine_stop_on_signals();
        rc = engine_run_offline(conf, &ec, o.read_path, &summary);
        if (rc == 0)
            print_summary(&summary, &ec, o.read_path);
    }
    if (o.pidfile)
        unlink(o.pidfile);
    if (rc == 0 && !rule_profile_report(conf, ec.log_dir, o.quiet))
        rc = 1;
    dataset_registry_save_all(); /* dataset: save/state files, as Suricata at shutdown */
    if (exit_teardown_frees()) { /* else the exit gives the memory back (util/exit-teardown.h) */
        detect_engine_free(de);
        dataset_registry_free_all();
        conf_free(conf);
    }
    od_log_close_file();
    return rc;
}
