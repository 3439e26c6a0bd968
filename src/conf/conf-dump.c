/*
 * --dump-config: the whole tree as "dotted.key = value" lines, the way
 * Suricata's ConfDump prints it -- every node, parents included, in tree
 * order, and "(null)" for nodes without a value (glibc's printf of NULL,
 * which is what Suricata's output shows). Tests grep these lines, e.g.
 * `af-packet.0 = interface` for a sequence item that is a mapping.
 */
#include <string.h>

#include "conf/conf-internal.h"

static void dump_children(const ConfNode *n, char *path, size_t used, size_t cap, FILE *out)
{
    for (const ConfNode *ch = n->first_child; ch; ch = ch->next) {
        const char *name = ch->name ? ch->name : "";
        size_t len = strlen(name);
        size_t add = (used ? 1 : 0) + len;
        if (used + add + 1 > cap) {
            fprintf(out, "%.*s.%s = %s\n", (int)used, path, name, ch->value ? ch->value : "(null)");
            continue; /* too deep to extend the buffer further; children are skipped */
        }
        size_t at = used;
        if (used)
            path[at++] = '.';
        memcpy(path + at, name, len + 1);
        fprintf(out, "%s = %s\n", path, ch->value ? ch->value : "(null)");
        dump_children(ch, path, at + len, cap, out);
        path[used] = '\0';
    }
}

void conf_dump(Conf *c, FILE *out)
{
    char path[8192];
    path[0] = '\0';
    dump_children(&c->root, path, 0, sizeof(path), out);
}
