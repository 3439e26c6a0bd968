/*
 * The domain and tld transforms (Suricata 8): `dns.query; domain;` turns a
 * host name into its registrable domain (public suffix plus one label,
 * "www.bbc.co.uk" -> "bbc.co.uk"), `tld;` into its public suffix
 * ("co.uk"), from the Public Suffix List (public-suffix.c). A name that
 * has no registrable domain (it is a public suffix itself) becomes an
 * empty buffer for `domain`. A rule using them fails to load when the
 * list cannot be read. Like the other transforms they need a sticky
 * buffer before them and apply, in rule order, before inspection.
 */
#include "detect/kw-domain.h"

#include <stdlib.h>
#include <string.h>

#include "detect/inspect.h"
#include "detect/keyword.h"
#include "detect/public-suffix.h"
#include "detect/rule-parse.h"
#include "detect/transforms.h"

static int kw_domain = -1, kw_tld = -1;

/* Out = in[off, len): the result is a tail of the input, so it points
 * into the input (the transaction's buffer or the previous transform's
 * output, both alive during the inspection) and copies nothing. */
static bool keep_tail(const uint8_t *in, uint32_t len, uint32_t off, InspectBuffer *out)
{
    out->data = in ? in + off : NULL;
    out->len = len - off;
    return true;
}

static bool xform(const uint8_t *in, uint32_t len, InspectBuffer *out, bool want_domain)
{
    int64_t suffix, domain;
    if (!public_suffix_split(in, len, &suffix, &domain))
        return keep_tail(in, len, len, out); /* nothing to keep */
    if (len > 0 && in[len - 1] == '.')
        len--;
    int64_t off = want_domain ? domain : suffix;
    return keep_tail(in, len, off < 0 ? len : (uint32_t)off, out);
}

static bool xform_domain(const uint8_t *in, uint32_t len, InspectBuffer *out, const void *ctx)
{
    (void)ctx;
    return xform(in, len, out, true);
}

static bool xform_tld(const uint8_t *in, uint32_t len, InspectBuffer *out, const void *ctx)
{
    (void)ctx;
    return xform(in, len, out, false);
}

static bool add(RuleParseCtx *rp, Signature *s, const char *name, int kw)
{
    if (rp->current_list == SIG_LIST_PMATCH)
        return rule_error(rp, "transform '%s' needs a sticky buffer before it (e.g. 'dns.query; %s;')", name, name);
    if (kw < 0)
        return rule_error(rp, "internal error: '%s' is not registered", name);
    if (!public_suffix_load())
        return rule_error(rp, "%s: the public suffix list %s cannot be read (Debian package publicsuffix)", name,
                          PUBLIC_SUFFIX_FILE);
    SigMatchList *l = rule_transform_list(rp, s, name); /* after a content: a new buffer instance */
    if (!l)
        return false;
    SigMatch *n = realloc(l->transforms, (size_t)(l->transform_count + 1) * sizeof(SigMatch));
    if (!n)
        return rule_error(rp, "out of memory");
    l->transforms = n;
    n[l->transform_count].kw = (uint16_t)kw;
    n[l->transform_count].ctx = NULL;
    l->transform_count++;
    return true;
}

static bool setup_domain(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)v;
    return add(rp, s, "domain", kw_domain);
}

static bool setup_tld(RuleParseCtx *rp, Signature *s, const char *v)
{
    (void)v;
    return add(rp, s, "tld", kw_tld);
}

void keywords_register_domain(void)
{
    const KeywordDef d = { .name = "domain",
                          .help = "transform: the registrable domain of a host name",
                          .flags = KW_NOOPT | KW_TRANSFORM,
                          .setup = setup_domain,
                          .transform = xform_domain };
    const KeywordDef t = { .name = "tld",
                          .help = "transform: the public suffix of a host name",
                          .flags = KW_NOOPT | KW_TRANSFORM,
                          .setup = setup_tld,
                          .transform = xform_tld };
    kw_domain = keyword_register(&d);
    kw_tld = keyword_register(&t);
}
