/*
 * Data-connection announcements of FTP:
 *   PORT h1,h2,h3,h4,p1,p2            (RFC 959 section 4.1.2, active)
 *   EPRT |af|addr|port|               (RFC 2428 section 2, active)
 *   227 Entering Passive Mode (h1,h2,h3,h4,p1,p2)   (RFC 959 PASV reply)
 *   229 Entering Extended Passive Mode (|||port|)    (RFC 2428 EPSV reply)
 * Each returns the port (0 when the text does not parse or the port is 0)
 * and, when present, the address.
 */
#include "app/ftp/ftp-internal.h"
#include "util/bytes.h"

#include <arpa/inet.h>
#include <string.h>

/* Reads a decimal number of at most max; false if none or too large. */
static bool rd_num(ByteReader *r, uint32_t max, uint32_t *out)
{
    uint32_t v = 0;
    size_t digits = 0;
    uint8_t c;
    while (br_has(r, 1) && (c = rd_u8(br_cursor(r))) >= '0' && c <= '9') {
        v = v * 10 + (uint32_t)(c - '0');
        if (v > max)
            return false;
        br_skip(r, 1);
        digits++;
    }
    *out = v;
    return digits > 0;
}

static bool rd_char(ByteReader *r, uint8_t want)
{
    uint8_t c;
    if (!br_has(r, 1) || rd_u8(br_cursor(r)) != want)
        return false;
    br_u8(r, &c);
    return true;
}

/* h1,h2,h3,h4,p1,p2 at the reader's position. */
static uint16_t six_numbers(ByteReader *r, FtpExpect *e)
{
    uint32_t v[6];
    for (int i = 0; i < 6; i++) {
        if ((i > 0 && !rd_char(r, ',')) || !rd_num(r, 255, &v[i]))
            return 0;
    }
    uint16_t port = (uint16_t)(v[4] * 256 + v[5]);
    if (port && e) {
        e->has_addr = true;
        e->addr_len = 4;
        for (int i = 0; i < 4; i++)
            e->addr[i] = (uint8_t)v[i];
    }
    return port;
}

uint16_t ftp_parse_port_arg(const uint8_t *a, uint32_t n, FtpExpect *e)
{
    ByteReader r = br_init(a, n);
    while (br_has(&r, 1) && rd_u8(br_cursor(&r)) == ' ')
        br_skip(&r, 1);
    return six_numbers(&r, e);
}

uint16_t ftp_parse_eprt_arg(const uint8_t *a, uint32_t n, FtpExpect *e)
{
    ByteReader r = br_init(a, n);
    uint8_t d, c = 0; /* c stays 0 when the data ends before the closing delimiter */
    if (!br_u8(&r, &d) || d < 33 || d > 126)
        return 0;
    uint32_t af;
    if (!rd_num(&r, 2, &af) || (af != 1 && af != 2) || !rd_char(&r, d))
        return 0;
    char addr[64];
    size_t al = 0;
    while (br_u8(&r, &c) && c != d) {
        if (al + 1 >= sizeof(addr))
            return 0;
        addr[al++] = (char)c;
    }
    if (c != d)
        return 0;
    addr[al] = '\0';
    uint32_t port;
    if (!rd_num(&r, 65535, &port) || !rd_char(&r, d) || port == 0)
        return 0;
    uint8_t bin[16];
    if (inet_pton(af == 1 ? AF_INET : AF_INET6, addr, bin) != 1)
        return 0;
    if (e) {
        e->has_addr = true;
        e->addr_len = af == 1 ? 4 : 16;
        memcpy(e->addr, bin, e->addr_len);
    }
    return (uint16_t)port;
}

uint16_t ftp_parse_pasv_reply(const uint8_t *l, uint32_t n, FtpExpect *e)
{
    /* the six numbers follow the first '(' or, without one, the first
     * digit after the reply code */
    uint32_t i = 4;
    const uint8_t *paren = n > 4 ? memchr(l + 4, '(', n - 4) : NULL;
    if (paren) {
        i = (uint32_t)(paren - l) + 1;
    } else {
        while (i < n && (l[i] < '0' || l[i] > '9'))
            i++;
    }
    if (i >= n)
        return 0;
    ByteReader r = br_init(l + i, n - i);
    return six_numbers(&r, e);
}

uint16_t ftp_parse_epsv_reply(const uint8_t *l, uint32_t n)
{
    const uint8_t *paren = n > 4 ? memchr(l + 4, '(', n - 4) : NULL;
    if (!paren)
        return 0;
    ByteReader r = br_init(paren + 1, n - (uint32_t)(paren + 1 - l));
    uint8_t d;
    if (!br_u8(&r, &d) || !rd_char(&r, d) || !rd_char(&r, d))
        return 0;
    uint32_t port;
    if (!rd_num(&r, 65535, &port) || !rd_char(&r, d))
        return 0;
    return (uint16_t)port;
}
