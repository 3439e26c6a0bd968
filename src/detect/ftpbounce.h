/*
 * The check behind the `ftpbounce` keyword: an FTP PORT command (RFC 959
 * section 4.1.2: "PORT h1,h2,h3,h4,p1,p2") naming an IPv4 address other
 * than the client's own -- the FTP bounce attack (RFC 2577 section 3),
 * where the server is told to open its data connection to a third host.
 */
#ifndef ODLAR_DETECT_FTPBOUNCE_H
#define ODLAR_DETECT_FTPBOUNCE_H

#include <stdbool.h>
#include <stdint.h>

/* `line` is client data starting with the command. True when it is a PORT
 * command whose four address numbers (each 0..255) form an IPv4 address
 * different from `client` (4 bytes, network order). A line that is not a
 * PORT command, or whose address does not parse, does not match. */
bool ftpbounce_check(const uint8_t *line, uint32_t len, const uint8_t client[4]);

#endif
