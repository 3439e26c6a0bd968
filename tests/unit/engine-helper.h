/*
 * For unit tests that run detection: engine_from_rules() builds a
 * detection engine from rule text (one rule a line, no configuration, as
 * `odlar -S` would from a file), failing the test when a rule does not
 * load or the engine does not build. Included by the tests that need only
 * that; tests with a configuration or IPS mode set up their own.
 */
#ifndef ODLAR_TESTS_UNIT_ENGINE_HELPER_H
#define ODLAR_TESTS_UNIT_ENGINE_HELPER_H

#include <string.h>

#include "detect/detect-engine.h"
#include "detect/keyword.h"
#include "detect/rule-load.h"

static inline DetectEngine *engine_from_rules(const char *rules)
{
    keywords_init();
    DetectEngine *de = detect_engine_new(NULL);
    assert_non_null(de);
    RuleLoadStats st;
    memset(&st, 0, sizeof(st));
    assert_true(rules_load_string(de, NULL, rules, "mem.rules", &st));
    assert_int_equal(st.failed, 0);
    assert_true(detect_engine_build(de));
    return de;
}

#endif
