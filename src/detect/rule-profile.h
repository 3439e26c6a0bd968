/*
 * Rule profiling: which rule costs what (`--profile-rules`).
 *
 * When profiling is on, every full evaluation of a signature after the
 * prefilter (a "check") is timed in CPU ticks (the time-stamp counter on
 * x86, nanoseconds elsewhere) and counted, with whether it matched. Each
 * detection thread keeps its own counters, indexed by signature number, so
 * the hot path takes no lock; a thread's counters are folded into one
 * process-wide table keyed by gid:sid:rev when the thread ends or moves to
 * a new engine (numbers change between engines). At the end of the run the
 * table is written to `rule_perf.log` in the log folder -- Suricata's
 * format: one JSON object per sort order (ticks, average ticks, average
 * ticks on match and on no match, checks, matches, max ticks) with the top
 * `limit` rules, or Suricata's text table with `json: no` -- and the top
 * rules by time and by checks are printed for the rule writer.
 *
 * Configuration (Suricata's `profiling.rules` keys): filename, append,
 * limit, json, sort. Suricata needs a profiling build for this and its
 * shipped suricata.yaml says `enabled: yes`; Odlar always has it and turns
 * it on only with --profile-rules, so that a stock configuration does not
 * slow every run.
 */
#ifndef ODLAR_DETECT_RULE_PROFILE_H
#define ODLAR_DETECT_RULE_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

struct Conf;
struct DetectEngine;

typedef struct RuleProfile RuleProfile;

/* Turns profiling on for the detection threads made from now on. */
void rule_profile_enable(void);
bool rule_profile_enabled(void);

/* Counters for one thread on engine `de`; NULL when profiling is off or
 * out of memory (the thread then runs unprofiled). */
RuleProfile *rule_profile_thread_new(const struct DetectEngine *de);
/* Folds the thread's counters into the process-wide table and frees them
 * (NULL is fine). `de` must be the engine they were counted on. */
void rule_profile_thread_end(RuleProfile *rp);

/* The tick counter and one check's result. */
uint64_t rule_profile_ticks(void);
void rule_profile_add(RuleProfile *rp, uint32_t sig_num, uint64_t ticks, bool matched);

/* Writes the report (see above) into log_dir and prints the summary to
 * stderr unless quiet. False (after a message) when the file cannot be
 * written. Does nothing when profiling is off. */
bool rule_profile_report(const struct Conf *conf, const char *log_dir, bool quiet);

/* Forgets the process-wide table (tests). */
void rule_profile_reset(void);

#endif
