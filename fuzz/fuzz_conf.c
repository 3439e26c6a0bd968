/*
 * Fuzz harness for the configuration reader: arbitrary bytes as YAML text,
 * laid over an empty tree and then over the built-in defaults (which runs
 * the merge against a real tree), then dumped and read back through the
 * typed getters, and finally used as a --set argument. Includes are turned
 * off so the input cannot open files.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf.h"
#include "util/log.h"

static void exercise(Conf *c, const char *text)
{
    char err[512];
    conf_allow_includes(c, false);
    if (!conf_load_string(c, text, "<fuzz>", err, sizeof(err)))
        return;
    FILE *devnull = fopen("/dev/null", "w");
    if (devnull) {
        conf_dump(c, devnull);
        fclose(devnull);
    }
    /* Walk the top of the tree through every getter. */
    for (ConfNode *n = conf_root(c)->first_child; n; n = n->next) {
        const char *s;
        bool b;
        int64_t i;
        uint64_t u;
        char path[64]; /* small on purpose: exercises truncation */
        conf_node_path(n, path, sizeof(path));
        conf_node_get_str(conf_root(c), n->name, &s);
        conf_node_get_bool(conf_root(c), n->name, &b);
        conf_node_get_int(conf_root(c), n->name, &i);
        conf_node_get_size(conf_root(c), n->name, &u);
        if (n->first_child && n->first_child->name)
            conf_node_get_size(n, n->first_child->name, &u);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Type errors are expected; run with -close_fd_mask=2 to hide them. */
    od_log_set_level(LOG_LVL_ERROR);

    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    Conf *c = conf_new_empty();
    if (c) {
        exercise(c, text);
        conf_free(c);
    }
    c = conf_new_defaults();
    if (c) {
        exercise(c, text);
        char err[256];
        conf_set(c, text, err, sizeof(err)); /* the bytes as a --set argument, too */
        conf_free(c);
    }
    free(text);
    return 0;
}
