/*
 * The `ftpdata_command` keyword: `ftpdata_command:stor;` or
 * `ftpdata_command:retr;` matches an ftp-data flow by the FTP command that
 * announced it on the control channel (app-ftp.c keeps it in the data
 * flow's state). As in Suricata, the value is one of the lowercase words
 * stor and retr (blanks around it allowed), the keyword ties the rule to
 * protocol ftp-data, and it matches only in the direction the transfer's
 * bytes are named for: STOR on to_server packets, RETR on to_client ones
 * (flow direction, whichever side opened the data connection). It sits on
 * an internal buffer ("ftpdata_command#tx") whose getter hands the data
 * flow's single transaction to inspect(), like kw-buffers-txkw.c.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "app/ftp/ftp.h"
#include "detect/app-proto.h"
#include "detect/inspect.h"
#include "detect/kw-buffers.h"

#define FTPDATA_BUFFER "ftpdata_command#tx"

static AppProto ftpdata_proto;
static uint16_t kw_ftpdata_command;

typedef struct FtpdataCommand {
    FtpCommandCode command; /* FTP_COMMAND_STOR or FTP_COMMAND_RETR */
} FtpdataCommand;

static InspectResult ftpdata_inspect(struct DetectThread *dt, struct InspectCursor *cur, const Signature *s,
                                     const void *ctx)
{
    (void)dt;
    (void)s;
    const FtpdataCommand *k = ctx;
    if (!cur->buf || ftp_data_tx_command(cur->buf) != k->command)
        return INSPECT_NO_MATCH;
    bool want_to_server = k->command == FTP_COMMAND_STOR;
    return cur->to_server == want_to_server ? INSPECT_MATCH : INSPECT_NO_MATCH;
}

/* "stor" or "retr" with optional blanks around, as Suricata's
 * ^\s*(stor|retr)\s*$. */
static bool parse_command(const char *v, FtpCommandCode *out)
{
    if (!v)
        return false;
    while (isspace((unsigned char)*v))
        v++;
    size_t n = strlen(v);
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    if (n == 4 && memcmp(v, "stor", 4) == 0)
        *out = FTP_COMMAND_STOR;
    else if (n == 4 && memcmp(v, "retr", 4) == 0)
        *out = FTP_COMMAND_RETR;
    else
        return false;
    return true;
}

static bool ftpdata_setup(RuleParseCtx *rp, Signature *s, const char *value)
{
    FtpCommandCode cmd;
    if (!parse_command(value, &cmd))
        return rule_error(rp, "ftpdata_command: invalid value '%s' (stor or retr)", value ? value : "");
    int id = buffer_lookup(FTPDATA_BUFFER);
    if (id < 0 || ftpdata_proto == APP_PROTO_UNKNOWN)
        return rule_error(rp, "internal error: ftpdata_command is not registered");
    FtpdataCommand *k = malloc(sizeof(*k));
    if (!k)
        return rule_error(rp, "out of memory");
    k->command = cmd;
    if (!buffer_set_proto(rp, s, ftpdata_proto, "ftpdata_command") ||
        !rule_append(rp, s, buffer_list_id(id), kw_ftpdata_command, k)) {
        free(k);
        return false;
    }
    return true;
}

static uint32_t ftpdata_hash(const void *ctx)
{
    return (uint32_t)((const FtpdataCommand *)ctx)->command;
}

static bool ftpdata_equal(const void *a, const void *b)
{
    return ((const FtpdataCommand *)a)->command == ((const FtpdataCommand *)b)->command;
}

void keywords_register_ftpdata(void)
{
    const AppProtoInfo *info = app_proto_by_name("ftp-data");
    ftpdata_proto = info ? info->id : APP_PROTO_UNKNOWN;
    /* the data flow's command is known from its first byte on */
    const BufferDef buf = { FTPDATA_BUFFER, ftpdata_proto, BUF_DIR_BOTH, false, buffer_get_tx_itself,
                            buffer_ready_always };
    buffer_register(&buf);
    static const KeywordDef def = {
        .name = "ftpdata_command",
        .help = "FTP command that opened the ftp-data flow (stor|retr)",
        .setup = ftpdata_setup,
        .inspect = ftpdata_inspect,
        .free = free,
        .hash = ftpdata_hash,
        .equal = ftpdata_equal,
    };
    kw_ftpdata_command = keyword_register(&def);
}
