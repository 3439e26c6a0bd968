/*
 * Writing a TLS side's certificate chain to disk, as Suricata's tls-store
 * output does for the `tls.store` keyword: "<dir>/[client-]<sec>.<usec>-<id>.pem"
 * holds every certificate the side sent, in order, each as a PEM block
 * (RFC 7468: base64 of the DER in 64-character lines between BEGIN/END
 * CERTIFICATE), and the ".meta" file next to it the time, the addresses,
 * ports and protocol of the packet, and the first certificate's subject,
 * issuer and fingerprint. Each side of a transaction is written once
 * (tls_tx_mark_stored); the folder is created when missing.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "app/tls/tls-int.h"

bool tls_tx_mark_stored(TlsTx *tx, bool client_side)
{
    TlsSide *s = client_side ? &tx->client : &tx->server;
    if (s->stored || s->ncerts == 0)
        return false;
    s->stored = true;
    return true;
}

static bool write_pem(FILE *fp, const uint8_t *der, uint32_t len)
{
    if (fputs("-----BEGIN CERTIFICATE-----\n", fp) == EOF)
        return false;
    for (uint32_t off = 0; off < len; off += 48) { /* 48 bytes: one 64-character line */
        unsigned char line[65];
        uint32_t n = len - off < 48 ? len - off : 48;
        int w = EVP_EncodeBlock(line, der + off, (int)n);
        if (w < 0 || fwrite(line, 1, (size_t)w, fp) != (size_t)w || fputc('\n', fp) == EOF)
            return false;
    }
    return fputs("-----END CERTIFICATE-----\n", fp) != EOF;
}

static void dn_print(FILE *fp, const char *label, const char *v, uint32_t n)
{
    fprintf(fp, "%-19s", label);
    if (v)
        fwrite(v, 1, n, fp);
    fputc('\n', fp);
}

bool tls_store_write(const TlsTx *tx, bool client_side, const char *dir, OdTime ts, uint32_t file_id,
                     const TlsStoreMeta *meta)
{
    const TlsSide *s = client_side ? &tx->client : &tx->server;
    if (!dir || s->ncerts == 0)
        return false;
    if (mkdir(dir, 0750) != 0 && errno != EEXIST)
        return false;
    long long sec = (long long)(ts / OD_USEC_PER_SEC), usec = (long long)(ts % OD_USEC_PER_SEC);
    char base[4096];
    int bl = snprintf(base, sizeof(base), "%s/%s%lld.%lld-%" PRIu32, dir, client_side ? "client-" : "", sec, usec,
                      file_id);
    if (bl < 0 || (size_t)bl + 6 > sizeof(base))
        return false;
    char path[4096 + 8];
    snprintf(path, sizeof(path), "%s.pem", base);
    FILE *fp = fopen(path, "w");
    if (!fp)
        return false;
    bool ok = true;
    for (uint32_t i = 0; i < s->ncerts && ok; i++)
        ok = write_pem(fp, s->cert_der[i], s->cert_len[i]);
    ok = fclose(fp) == 0 && ok;
    snprintf(path, sizeof(path), "%s.meta", base);
    fp = fopen(path, "w");
    if (!fp)
        return false;
    char tbuf[64];
    fprintf(fp, "%-19s%s\n", "TIME:", od_time_format(ts, tbuf, sizeof(tbuf)));
    if (meta) {
        fprintf(fp, "%-19s%s\n", "SRC IP:", meta->src_ip);
        fprintf(fp, "%-19s%s\n", "DST IP:", meta->dst_ip);
        fprintf(fp, "%-19s%u\n", "PROTO:", meta->proto);
        fprintf(fp, "%-19s%u\n", "SRC PORT:", meta->sp);
        fprintf(fp, "%-19s%u\n", "DST PORT:", meta->dp);
    }
    dn_print(fp, "TLS SUBJECT:", s->subject, s->subject_len);
    dn_print(fp, "TLS ISSUERDN:", s->issuer, s->issuer_len);
    dn_print(fp, "TLS FINGERPRINT:", s->fingerprint, s->fingerprint ? (uint32_t)strlen(s->fingerprint) : 0);
    return fclose(fp) == 0 && ok;
}
