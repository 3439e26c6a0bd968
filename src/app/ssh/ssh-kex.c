/*
 * SSH_MSG_KEXINIT (RFC 4253 section 7.1) and HASSH fingerprints.
 *
 * The payload after the message code is: byte[16] cookie, ten name-lists
 * (uint32 length + comma-separated names: kex, server host key, encryption
 * c->s, s->c, MAC c->s, s->c, compression c->s, s->c, languages c->s, s->c),
 * boolean first_kex_packet_follows, uint32 reserved.
 *
 * HASSH (Salesforce; as Suricata computes it): the client string is
 * "kex;enc_c2s;mac_c2s;comp_c2s" from the client's KEXINIT, the server
 * string "kex;enc_s2c;mac_s2c;comp_s2c" from the server's; the hash is the
 * lowercase hex MD5 of the string. A KEXINIT that does not parse leaves both
 * empty, without an event.
 */
#include "app/ssh/ssh-internal.h"
#include "util/bytes.h"

#include <openssl/evp.h>

enum { NL_KEX, NL_HOSTKEY, NL_ENC_CS, NL_ENC_SC, NL_MAC_CS, NL_MAC_SC,
       NL_COMP_CS, NL_COMP_SC, NL_LANG_CS, NL_LANG_SC, NL_COUNT };

bool ssh_kex_hassh(SshHdr *h, bool client, const uint8_t *payload, uint32_t len)
{
    ByteReader r = br_init(payload, len);
    const uint8_t *nl[NL_COUNT];
    uint32_t nlen[NL_COUNT];
    if (!br_skip(&r, 16))
        return false;
    for (int i = 0; i < NL_COUNT; i++) {
        if (!br_be32(&r, &nlen[i]) || !br_bytes(&r, nlen[i], &nl[i]))
            return false;
    }
    uint8_t follows;
    uint32_t reserved;
    if (!br_u8(&r, &follows) || !br_be32(&r, &reserved))
        return false;
    int pick[4] = { NL_KEX, client ? NL_ENC_CS : NL_ENC_SC,
                    client ? NL_MAC_CS : NL_MAC_SC, client ? NL_COMP_CS : NL_COMP_SC };
    SshBuf str = { 0 };
    for (int i = 0; i < 4; i++) {
        if ((i > 0 && !ssh_buf_append(&str, (const uint8_t *)";", 1)) ||
            !ssh_buf_append(&str, nl[pick[i]], nlen[pick[i]])) {
            ssh_buf_free(&str);
            return false;
        }
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdlen = 0;
    if (!EVP_Digest(str.data ? str.data : (const uint8_t *)"", str.len, md, &mdlen, EVP_md5(), NULL) ||
        mdlen != 16) {
        ssh_buf_free(&str);
        return false;
    }
    static const char hex[] = "0123456789abcdef";
    uint8_t out[32];
    for (int i = 0; i < 16; i++) {
        out[2 * i] = (uint8_t)hex[md[i] >> 4];
        out[2 * i + 1] = (uint8_t)hex[md[i] & 15];
    }
    ssh_buf_free(&h->hassh);
    ssh_buf_free(&h->hassh_string);
    h->hassh_string = str;
    if (!ssh_buf_append(&h->hassh, out, 32))
        return false;
    return true;
}
