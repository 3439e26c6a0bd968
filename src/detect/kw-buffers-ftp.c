/*
 * FTP rule buffers: ftp.command (the command verb) and ftp.command_data
 * (its argument), on the client side, read through the FTP parser's
 * getters as soon as the command was parsed.
 */
#include <stdbool.h>
#include <stdint.h>

#include "app/ftp/ftp.h"
#include "detect/kw-buffers.h"

#define FTP_PROTO 7

static bool ready_now(const void *tx, bool ts)
{
    (void)tx;
    (void)ts;
    return true;
}

static bool g_command(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return i == 0 && ftp_tx_get_command(tx, d, l);
}

static bool g_command_data(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return i == 0 && ftp_tx_get_command_data(tx, d, l);
}

BUF_STICKY(s_command, "ftp.command", "ftp.command")
BUF_STICKY(s_command_data, "ftp.command_data", "ftp.command_data")

void keywords_register_buffers_ftp(void)
{
    static const BufferDef bufs[] = {
        { "ftp.command", FTP_PROTO, BUF_DIR_TOSERVER, false, g_command, ready_now },
        { "ftp.command_data", FTP_PROTO, BUF_DIR_TOSERVER, false, g_command_data, ready_now },
    };
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
    buffer_register_sticky("ftp.command", NULL, "sticky buffer: FTP command", s_command);
    buffer_register_sticky("ftp.command_data", NULL, "sticky buffer: FTP command argument", s_command_data);
}
