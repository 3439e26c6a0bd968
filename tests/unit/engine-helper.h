/*
 * For unit tests that run detection: engine_from_rules() builds a
 * detection engine from rule text (one rule a line, no configuration, as
 * `odlar -S` would from a file), failing the test when a rule does not
 * load or the engine does not build; engine_from_rules_with() takes a
 * configuration and the IPS mode too.
 */
#ifndef ODLAR_TESTS_UNIT_ENGINE_HELPER_H
#define ODLAR_TESTS_UNIT_ENGINE_HELPER_H

#include <stdbool.h>
#include <string.h>

#include "conf/conf.h"
#include "detect/detect-engine.h"
#include "detect/keyword.h"
#include "detect/rule-load.h"

/* With a configuration (may be NULL), in IPS mode or not. */
static inline DetectEngine *engine_from_rules_with(Conf *conf, bool ips, const char *rules)
{
    keywords_init();
    DetectEngine *de = detect_engine_new(conf);
    assert_non_null(de);
    de->ips = ips;
    RuleLoadStats st;
    memset(&st, 0, sizeof(st));
    assert_true(rules_load_string(de, NULL, rules, "mem.rules", &st));
    assert_int_equal(st.failed, 0);
    assert_true(detect_engine_build(de));
    return de;
}

static inline DetectEngine *engine_from_rules(const char *rules)
{
    return engine_from_rules_with(NULL, false, rules);
}

#endif
