/*
 * The meta keywords: msg, sid, rev, gid, classtype, priority, reference,
 * metadata, target, requires, noalert, alert and config (conditional
 * logging of a `config` rule), one file each (kw-msg.c ... kw-config-keyword.c).
 *
 * They describe a rule rather than match traffic: they fill the Signature's
 * identity (gid:sid:rev), the text alerts show (msg, classtype description,
 * priority/severity), references and metadata for EVE, the `target` side for
 * alert.source/alert.target, and noalert. This file holds what several of
 * them share (the number parser) and the family's registration.
 */
#include "detect/kw-meta.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

bool meta_parse_u32(const char *v, uint32_t *out)
{
    if (!v || !isdigit((unsigned char)*v))
        return false;
    errno = 0;
    char *end;
    unsigned long long x = strtoull(v, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (*end || errno || x > UINT32_MAX)
        return false;
    *out = (uint32_t)x;
    return true;
}

void keywords_register_meta(void)
{
    meta_register_msg();
    meta_register_sid();
    meta_register_rev();
    meta_register_gid();
    meta_register_classtype();
    meta_register_priority();
    meta_register_reference();
    meta_register_metadata();
    meta_register_target();
    meta_register_requires();
    meta_register_noalert();
    meta_register_alert();
    meta_register_config();
}
