/*
 * The table of frame type names per protocol (see frame-types.h).
 */
#include "app/frame-types.h"

#include <string.h>

#include "app/frames.h"

typedef struct FrameTypeName {
    uint16_t proto;
    uint8_t type;
    const char *name;
} FrameTypeName;

static const FrameTypeName types[] = {
    { 1, HTTP_FRAME_REQUEST, "request" },
    { 1, HTTP_FRAME_RESPONSE, "response" },
    { 5, SSH_FRAME_RECORD_HDR, "record.hdr" },
    { 5, SSH_FRAME_RECORD_DATA, "record.data" },
    { 5, SSH_FRAME_RECORD_PDU, "record.pdu" },
    { 6, SMTP_FRAME_COMMAND_LINE, "command_line" },
    { 6, SMTP_FRAME_DATA, "data" },
    { 6, SMTP_FRAME_RESPONSE_LINE, "response_line" },
};

/* Frame keyword protocol names: Suricata calls HTTP/1's frames http1. */
static const struct {
    const char *name;
    uint16_t proto;
} protos[] = { { "http1", 1 }, { "ssh", 5 }, { "smtp", 6 } };

static bool type_of(uint16_t proto, const char *name, uint8_t *type)
{
    if (strcmp(name, "stream") == 0) {
        *type = APP_FRAME_TYPE_STREAM;
        return true;
    }
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        if (types[i].proto == proto && strcmp(types[i].name, name) == 0) {
            *type = types[i].type;
            return true;
        }
    }
    return false;
}

bool frame_type_lookup(const char *name, uint16_t rule_proto, uint16_t *proto, uint8_t *type)
{
    for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++) {
        size_t n = strlen(protos[i].name);
        if (strncmp(name, protos[i].name, n) == 0 && name[n] == '.' && type_of(protos[i].proto, name + n + 1, type)) {
            *proto = protos[i].proto;
            return true;
        }
    }
    if (rule_proto && type_of(rule_proto, name, type)) {
        *proto = rule_proto;
        return true;
    }
    return false;
}

const char *frame_type_name(uint16_t proto, uint8_t type)
{
    if (type == APP_FRAME_TYPE_STREAM)
        return "stream";
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (types[i].proto == proto && types[i].type == type)
            return types[i].name;
    return NULL;
}
