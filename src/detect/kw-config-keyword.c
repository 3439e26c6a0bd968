/*
 * config (Suricata's conditional logging, in a rule with the `config`
 * action): `config: logging disable, type tx, scope tx;` -- the
 * transactions the rule matches are not logged.
 */
#include <stdio.h>
#include <string.h>

#include "detect/keyword.h"
#include "detect/kw-meta.h"
#include "detect/rule-parse.h"

/* `config: logging disable, type tx, scope tx;` (Suricata's conditional
 * logging): the transactions the rule matches are not logged. Other
 * subsystems, types and scopes are refused. */
static bool config_setup(RuleParseCtx *rp, Signature *s, const char *v)
{
    char copy[256];
    snprintf(copy, sizeof(copy), "%s", v);
    const char *subsys = NULL, *type = NULL, *scope = NULL;
    bool disable = false;
    char *save = NULL;
    for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *isave = NULL;
        char *key = strtok_r(item, " \t", &isave), *val = strtok_r(NULL, " \t", &isave);
        if (!key || !val || strtok_r(NULL, " \t", &isave))
            return rule_error(rp, "config: expected 'logging disable, type tx, scope tx', got '%s'", v);
        if (strcmp(key, "type") == 0)
            type = strcmp(val, "tx") == 0 ? "tx" : "";
        else if (strcmp(key, "scope") == 0)
            scope = strcmp(val, "tx") == 0 ? "tx" : "";
        else if (strcmp(key, "logging") == 0 && strcmp(val, "disable") == 0)
            subsys = "logging", disable = true;
        else
            return rule_error(rp, "config: unsupported setting '%s %s' (Odlar supports logging disable)", key, val);
    }
    if (!subsys || !disable || !type || !*type || !scope || !*scope)
        return rule_error(rp, "config: only 'logging disable, type tx, scope tx' is supported, got '%s'", v);
    if (!(s->flags & SIG_FLAG_CONFIG))
        return rule_error(rp, "config: the keyword needs the 'config' action");
    s->flags |= SIG_FLAG_NOLOG_TX;
    return true;
}

void meta_register_config(void)
{
    keyword_register(&(const KeywordDef){
            .name = "config",
            .help = "config rules: 'logging disable, type tx, scope tx'",
            .setup = config_setup,
    });
}
