/*
 * libFuzzer harness for the control socket's request parser
 * (src/engine/control-socket-json.c): the input is what a client wrote to
 * the socket. Every object found is taken off the front, as the server
 * does, until the rest is incomplete or invalid; the bytes consumed must
 * stay within the input and every kept string must be terminated within
 * its buffer.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/control-socket-json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t off = 0;
    for (int n = 0; n < 64 && off < size; n++) {
        CtlRequest req;
        size_t used = 0;
        char err[128];
        if (ctl_request_parse(data + off, size - off, &req, &used, err, sizeof(err)) != CTL_PARSE_OK)
            break;
        if (used == 0 || used > size - off)
            abort();
        if (strnlen(req.command, sizeof(req.command)) == sizeof(req.command) ||
            strnlen(req.version, sizeof(req.version)) == sizeof(req.version) || req.arg_count > CTL_MAX_ARGS)
            abort();
        for (uint32_t i = 0; i < req.arg_count; i++)
            if (strnlen(req.args[i].value, sizeof(req.args[i].value)) == sizeof(req.args[i].value))
                abort();
        (void)ctl_request_arg(&req, "iface");
        off += used;
    }
    return 0;
}
