/*
 * Helpers shared by the application-layer buffer keyword families
 * (kw-buffers-<proto>.c): the setup of a sticky-buffer keyword (`http.uri;`
 * switches the rule's current list to the buffer's list and ties the rule to
 * the buffer's application protocol) and of a legacy content modifier
 * (`content:"x"; http_uri;` moves that content to the buffer's list, as
 * Suricata does). Each family defines one tiny setup per keyword with the
 * BUF_STICKY / BUF_MODIFIER macros and registers its buffers and keywords
 * from its keywords_register_buffers_<proto>() function.
 */
#ifndef ODLAR_DETECT_KW_BUFFERS_H
#define ODLAR_DETECT_KW_BUFFERS_H

#include <stdbool.h>

#include "detect/buffer-registry.h"
#include "detect/keyword.h"
#include "detect/rule-parse.h"

/* Ties s to protocol `proto` for keyword `kw`; false (rule error) when the
 * rule's protocol conflicts. */
bool buffer_set_proto(RuleParseCtx *rp, Signature *s, AppProto proto, const char *kw);
/* Setup of sticky buffer keyword `kw` selecting buffer `buf`. */
bool buffer_sticky_setup(RuleParseCtx *rp, Signature *s, const char *kw, const char *buf);
/* Setup of legacy modifier `kw` moving the previous payload content to `buf`. */
bool buffer_modifier_setup(RuleParseCtx *rp, Signature *s, const char *kw, const char *buf);
/* Registers a sticky keyword (and its legacy alias, may be NULL). */
void buffer_register_sticky(const char *name, const char *alias, const char *help,
                            bool (*setup)(RuleParseCtx *, Signature *, const char *));
void buffer_register_modifier(const char *name, const char *help,
                              bool (*setup)(RuleParseCtx *, Signature *, const char *));

#define BUF_STICKY(fn, kw, buf)                                             \
    static bool fn(RuleParseCtx *rp, Signature *s, const char *value)      \
    {                                                                       \
        (void)value;                                                        \
        return buffer_sticky_setup(rp, s, kw, buf);                         \
    }
#define BUF_MODIFIER(fn, kw, buf)                                           \
    static bool fn(RuleParseCtx *rp, Signature *s, const char *value)      \
    {                                                                       \
        (void)value;                                                        \
        return buffer_modifier_setup(rp, s, kw, buf);                       \
    }

void keywords_register_buffers_dns(void);
void keywords_register_buffers_http(void);
void keywords_register_buffers_tls(void);
void keywords_register_buffers_ssh(void);
void keywords_register_buffers_ftp(void);
void keywords_register_buffers_smtp(void);
/* SMTP's file.name and file#tx, registered by the file family after HTTP's */
void keywords_register_file_buffers_smtp(void);
void keywords_register_buffers_txkw(void);
void keywords_register_buffers_txkw_tls(void);
/* HTTP/2's buffers under the HTTP keywords' names (kw-buffers-http2.c) */
void keywords_register_buffers_http2(void);
/* The http2.* keywords (kw-http2.c). */
void keywords_register_http2(void);

#endif
