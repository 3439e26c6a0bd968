/*
 * SSH rule buffers: ssh.proto and ssh.software (the banner's protocol and
 * software versions) and the HASSH fingerprints (ssh.hassh,
 * ssh.hassh.string for the client; ssh.hassh.server[.string] for the
 * server), read through the SSH parser's getters. ssh.proto and
 * ssh.software apply to either side; a buffer is inspected as soon as the
 * parser has it; a rule using a HASSH buffer enables HASSH.
 */
#include <stdbool.h>
#include <stdint.h>

#include "app/ssh/ssh.h"
#include "detect/kw-buffers.h"

#define SSH_PROTO 5

#define GETTER(fn, f)                                                                       \
    static bool fn(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)   \
    {                                                                                       \
        return i == 0 && f(tx, ts, d, l);                                                   \
    }
GETTER(g_proto, ssh_tx_get_protover)
GETTER(g_software, ssh_tx_get_swver)
GETTER(g_hassh, ssh_tx_get_hassh)
GETTER(g_hassh_string, ssh_tx_get_hassh_string)

static const BufferDef bufs[] = {
    { "ssh.proto", SSH_PROTO, BUF_DIR_BOTH, false, g_proto, buffer_ready_always },
    { "ssh.software", SSH_PROTO, BUF_DIR_BOTH, false, g_software, buffer_ready_always },
    { "ssh.hassh", SSH_PROTO, BUF_DIR_TOSERVER, false, g_hassh, buffer_ready_always },
    { "ssh.hassh.string", SSH_PROTO, BUF_DIR_TOSERVER, false, g_hassh_string, buffer_ready_always },
    { "ssh.hassh.server", SSH_PROTO, BUF_DIR_TOCLIENT, false, g_hassh, buffer_ready_always },
    { "ssh.hassh.server.string", SSH_PROTO, BUF_DIR_TOCLIENT, false, g_hassh_string, buffer_ready_always },
};

#define ST(n, kw) BUF_STICKY(s_##n, kw, kw)
ST(proto, "ssh.proto")
ST(software, "ssh.software")
/* As in Suricata, a rule using a HASSH buffer turns HASSH computation on. */
#define HASSH(n, kw)                                                   \
    static bool s_##n(RuleParseCtx *rp, Signature *s, const char *v)  \
    {                                                                  \
        (void)v;                                                       \
        ssh_config_set_hassh(true);                                    \
        return buffer_sticky_setup(rp, s, kw, kw);                     \
    }
HASSH(hassh, "ssh.hassh")
HASSH(hassh_string, "ssh.hassh.string")
HASSH(hassh_server, "ssh.hassh.server")
HASSH(hassh_server_string, "ssh.hassh.server.string")

void keywords_register_buffers_ssh(void)
{
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
    buffer_register_sticky("ssh.proto", "ssh_proto", "sticky buffer: SSH protocol version", s_proto);
    buffer_register_sticky("ssh.software", "ssh_software", "sticky buffer: SSH software version", s_software);
    buffer_register_sticky("ssh.hassh", "ssh_hassh", "sticky buffer: client HASSH", s_hassh);
    buffer_register_sticky("ssh.hassh.string", "ssh_hassh_string", "sticky buffer: client HASSH string",
                           s_hassh_string);
    buffer_register_sticky("ssh.hassh.server", "ssh_hassh_server", "sticky buffer: server HASSH", s_hassh_server);
    buffer_register_sticky("ssh.hassh.server.string", "ssh_hassh_server_string",
                           "sticky buffer: server HASSH string", s_hassh_server_string);
}
