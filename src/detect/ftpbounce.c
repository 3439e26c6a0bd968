/*
 * FTP bounce detection (see ftpbounce.h): reads "PORT" (any case), the
 * blanks after it and the first four comma-separated decimal numbers of
 * the argument through a ByteReader, and compares them with the client's
 * address, as Suricata's ftpbounce does with the flow's source address.
 */
#include "detect/ftpbounce.h"

#include <ctype.h>
#include <string.h>

#include "util/bytes.h"

bool ftpbounce_check(const uint8_t *line, uint32_t len, const uint8_t client[4])
{
    ByteReader r = br_init(line, len);
    const uint8_t *verb;
    if (!br_bytes(&r, 4, &verb))
        return false;
    static const char port[] = "PORT";
    for (int i = 0; i < 4; i++)
        if (toupper(verb[i]) != port[i])
            return false;
    uint8_t c;
    bool blank = false;
    while (br_has(&r, 1) && (rd_u8(br_cursor(&r)) == ' ' || rd_u8(br_cursor(&r)) == '\t')) {
        br_skip(&r, 1);
        blank = true;
    }
    if (!blank)
        return false;
    uint8_t addr[4];
    for (int octet = 0; octet < 4; octet++) {
        uint32_t v = 0;
        int digits = 0;
        while (br_has(&r, 1) && isdigit(rd_u8(br_cursor(&r)))) {
            br_u8(&r, &c);
            v = v * 10 + (uint32_t)(c - '0');
            if (++digits > 3 || v > 255)
                return false;
        }
        if (digits == 0)
            return false;
        addr[octet] = (uint8_t)v;
        if (octet < 3 && (!br_u8(&r, &c) || c != ','))
            return false;
    }
    return memcmp(addr, client, 4) != 0;
}
