/*
 * Command-line overrides: `--set key=value` and the engine's own settings
 * from options such as -l or -k.
 *
 * Like Suricata's SCConfSetFromString, the key ends at the first '=', so
 * the value may hold more '='; spaces at the end of the key and the start of
 * the value are dropped. The dotted key is walked from the root, creating
 * what is missing; numeric components are sequence item names, so
 * `outputs.1.eve-log.types.0=alert` reaches into the outputs list. Only the
 * value changes: children stay, as in Suricata.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf-internal.h"
#include "util/log.h"

static bool valid_key(const char *key)
{
    if (key[0] == '\0' || key[0] == '.')
        return false;
    size_t len = strlen(key);
    return key[len - 1] != '.' && !strstr(key, "..");
}

void conf_set_value(Conf *c, const char *key, const char *value, const char *origin)
{
    if (!key || !valid_key(key)) {
        od_error("config: %s: invalid key '%s'", origin ? origin : "<command line>", key ? key : "");
        return;
    }
    const char *file = conf_origin(c, origin ? origin : "<command line>");
    ConfNode *n = conf_node_get_or_create(&c->root, key, file, 0);
    if (!n || !conf_node_set_value(n, value)) {
        od_error("config: %s: out of memory setting '%s'", file, key);
        return;
    }
    n->file = file;
    n->line = 0;
    n->implicit = false;
}

bool conf_set(Conf *c, const char *key_equals_value, char *err, size_t errlen)
{
    const char *arg = key_equals_value ? key_equals_value : "";
    const char *eq = strchr(arg, '=');
    if (!eq) {
        snprintf(err, errlen, "--set %s: missing '=' (expected key=value)", arg);
        return false;
    }
    size_t keylen = (size_t)(eq - arg);
    while (keylen > 0 && isspace((unsigned char)arg[keylen - 1]))
        keylen--;
    const char *value = eq + 1;
    while (isspace((unsigned char)*value))
        value++;
    char *key = strndup(arg, keylen);
    if (!key) {
        snprintf(err, errlen, "--set %s: out of memory", arg);
        return false;
    }
    bool ok = valid_key(key);
    if (!ok)
        snprintf(err, errlen, "--set %s: invalid key '%s'", arg, key);
    else
        conf_set_value(c, key, value, "<command line>");
    free(key);
    return ok;
}
