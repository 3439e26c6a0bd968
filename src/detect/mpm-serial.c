/*
 * MPM database (de)serialisation, for an on-disk cache of compiled
 * prefilter databases.
 *
 * Layout, all integers little-endian:
 *   header (32 bytes): magic "ODLRMPM\x1a", u32 format version, u32 backend
 *     (MpmBackend), u64 payload length, u32 CRC-32 (zlib) of header bytes
 *     0..23 followed by the payload, u32 reserved (0);
 *   payload: u32 literal count, u32 id count, u32 map count; the ids (u32,
 *     strictly ascending); per literal: u32 length, u8 nocase, the bytes, u32
 *     number of ids, that many u32 dense id indexes; then u64 length of the
 *     backend's compiled form and its bytes (Hyperscan's serialised database;
 *     none for the naive backend, which is rebuilt from the literals).
 *
 * Reading never trusts the blob: the CRC must match, every count is checked
 * against the bytes actually left before anything is allocated, every index
 * is bounds-checked, and nothing may follow the payload. A Hyperscan blob
 * read where Hyperscan cannot run is rebuilt with the naive backend; one
 * that Hyperscan refuses (other version or platform) is an error, so the
 * cache's owner recompiles.
 */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "detect/mpm-int.h"

#define MPM_SER_MAGIC "ODLRMPM\x1a"
#define MPM_SER_VERSION 1u
#define MPM_SER_HDR 32u

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* CRC-32 of header bytes 0..23 then the payload; zlib takes uInt lengths. */
static uint32_t blob_crc(const uint8_t *hdr, const uint8_t *payload, size_t len)
{
    uLong c = crc32(0L, Z_NULL, 0);
    c = crc32(c, hdr, 24);
    while (len > 0) {
        uInt chunk = len > (1u << 30) ? (1u << 30) : (uInt)len;
        c = crc32(c, payload, chunk);
        payload += chunk;
        len -= chunk;
    }
    return (uint32_t)c;
}

bool mpm_db_serialize(const MpmDb *db, uint8_t **out, size_t *len)
{
    if (!db || !out || !len)
        return false;
    uint8_t *be = NULL;
    size_t be_len = 0;
    if (db->impl && db->ops->serialize && !db->ops->serialize(db->impl, &be, &be_len))
        return false;

    size_t plen = 12 + (size_t)db->id_count * 4 + 8 + be_len;
    for (uint32_t i = 0; i < db->pat_count; i++)
        plen += 9 + (size_t)db->pats[i].len + (size_t)db->pats[i].map_count * 4;
    uint8_t *b = malloc(MPM_SER_HDR + plen);
    if (!b) {
        free(be);
        return false;
    }
    uint8_t *p = b + MPM_SER_HDR;
    put32(p, db->pat_count);
    put32(p + 4, db->id_count);
    put32(p + 8, db->map_count);
    p += 12;
    for (uint32_t i = 0; i < db->id_count; i++, p += 4)
        put32(p, db->ids[i]);
    for (uint32_t i = 0; i < db->pat_count; i++) {
        const MpmPattern *pt = &db->pats[i];
        put32(p, pt->len);
        p[4] = pt->nocase;
        memcpy(p + 5, pt->bytes, pt->len);
        p += 5 + pt->len;
        put32(p, pt->map_count);
        p += 4;
        for (uint32_t k = 0; k < pt->map_count; k++, p += 4)
            put32(p, db->map[pt->map_first + k]);
    }
    put64(p, be_len);
    if (be_len)
        memcpy(p + 8, be, be_len);
    free(be);

    memcpy(b, MPM_SER_MAGIC, 8);
    put32(b + 8, MPM_SER_VERSION);
    put32(b + 12, (uint32_t)(db->ops ? db->ops->kind : MPM_BACKEND_NAIVE));
    put64(b + 16, plen);
    put32(b + 24, blob_crc(b, b + MPM_SER_HDR, plen));
    put32(b + 28, 0);
    *out = b;
    *len = MPM_SER_HDR + plen;
    return true;
}

/* A bounds-checked reader over the payload. */
typedef struct Rd {
    const uint8_t *p;
    size_t left;
} Rd;

static bool rd32(Rd *r, uint32_t *v)
{
    if (r->left < 4)
        return false;
    *v = get32(r->p);
    r->p += 4;
    r->left -= 4;
    return true;
}

static bool rd_bytes(Rd *r, const uint8_t **v, size_t n)
{
    if (r->left < n)
        return false;
    *v = r->p;
    r->p += n;
    r->left -= n;
    return true;
}

/* Reads the tables into db; a message in err on failure. */
static bool read_tables(MpmDb *db, Rd *r, char *err, size_t errlen)
{
    uint32_t npat, nid, nmap;
    if (!rd32(r, &npat) || !rd32(r, &nid) || !rd32(r, &nmap))
        goto trunc;
    /* every literal takes >= 10 bytes, every id and map entry 4 */
    if (npat > r->left / 10 || nid > r->left / 4 || nmap > r->left / 4 || (npat && !nmap) ||
        (nmap && (!npat || !nid)))
        goto bad;
    db->ids = malloc(((size_t)nid + 1) * sizeof(uint32_t));
    db->map = malloc(((size_t)nmap + 1) * sizeof(uint32_t));
    db->pats = calloc((size_t)npat + 1, sizeof(MpmPattern));
    if (!db->ids || !db->map || !db->pats) {
        mpm_set_err(err, errlen, "mpm: out of memory");
        return false;
    }
    for (uint32_t i = 0; i < nid; i++) {
        if (!rd32(r, &db->ids[i]))
            goto trunc;
        if (i && db->ids[i] <= db->ids[i - 1])
            goto bad;
    }
    db->id_count = nid;
    uint32_t used = 0;
    for (uint32_t i = 0; i < npat; i++) {
        MpmPattern *pt = &db->pats[i];
        uint32_t plen, cnt;
        const uint8_t *nc, *bytes;
        if (!rd32(r, &plen) || !rd_bytes(r, &nc, 1))
            goto trunc;
        if (plen == 0 || *nc > 1)
            goto bad;
        if (!rd_bytes(r, &bytes, plen) || !rd32(r, &cnt))
            goto trunc;
        if (cnt == 0 || cnt > nmap - used)
            goto bad;
        pt->bytes = malloc(plen);
        if (!pt->bytes) {
            mpm_set_err(err, errlen, "mpm: out of memory");
            return false;
        }
        db->pat_count = i + 1;
        memcpy(pt->bytes, bytes, plen);
        pt->len = plen;
        pt->nocase = *nc;
        if (pt->nocase)
            for (uint32_t k = 0; k < plen; k++)
                if (mpm_fold(bytes[k]) != bytes[k])
                    goto bad; /* nocase literals are stored folded */
        pt->map_first = used;
        pt->map_count = cnt;
        for (uint32_t k = 0; k < cnt; k++) {
            if (!rd32(r, &db->map[used]))
                goto trunc;
            if (db->map[used++] >= nid)
                goto bad;
        }
    }
    if (used != nmap)
        goto bad;
    db->map_count = nmap;
    return true;
trunc:
    mpm_set_err(err, errlen, "mpm: serialised database is truncated");
    return false;
bad:
    mpm_set_err(err, errlen, "mpm: serialised database is inconsistent");
    return false;
}

MpmDb *mpm_db_deserialize(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
    if (!buf || len < MPM_SER_HDR || memcmp(buf, MPM_SER_MAGIC, 8) != 0) {
        mpm_set_err(err, errlen, "mpm: not a serialised MPM database");
        return NULL;
    }
    if (get32(buf + 8) != MPM_SER_VERSION) {
        mpm_set_err(err, errlen, "mpm: serialised database has format version %u, want %u",
            get32(buf + 8), MPM_SER_VERSION);
        return NULL;
    }
    uint64_t plen = get64(buf + 16);
    uint32_t kind = get32(buf + 12);
    if (plen != len - MPM_SER_HDR || get32(buf + 28) != 0 ||
        (kind != MPM_BACKEND_HS && kind != MPM_BACKEND_NAIVE)) {
        mpm_set_err(err, errlen, "mpm: serialised database header is invalid");
        return NULL;
    }
    if (blob_crc(buf, buf + MPM_SER_HDR, (size_t)plen) != get32(buf + 24)) {
        mpm_set_err(err, errlen, "mpm: serialised database checksum mismatch");
        return NULL;
    }

    MpmDb *db = mpm_db_alloc();
    if (!db) {
        mpm_set_err(err, errlen, "mpm: out of memory");
        return NULL;
    }
    Rd r = { .p = buf + MPM_SER_HDR, .left = (size_t)plen };
    if (!read_tables(db, &r, err, errlen))
        goto fail;
    if (r.left < 8) {
        mpm_set_err(err, errlen, "mpm: serialised database is truncated");
        goto fail;
    }
    uint64_t be_len = get64(r.p);
    r.p += 8;
    r.left -= 8;
    bool want_be = kind == MPM_BACKEND_HS && db->pat_count > 0;
    if (be_len != r.left || (want_be != (be_len > 0))) {
        mpm_set_err(err, errlen, "mpm: serialised database is inconsistent");
        goto fail;
    }
    if (want_be && mpm_hs_usable()) {
        mpm_db_set_lengths(db);
        db->ops = &mpm_ops_hs;
        if (!mpm_ops_hs.deserialize(db, r.p, (size_t)be_len, err, errlen))
            goto fail;
        return db;
    }
    /* naive blob, empty db, or Hyperscan blob on a CPU Hyperscan refuses */
    const MpmOps *ops =
        kind == MPM_BACKEND_HS && mpm_hs_usable() ? &mpm_ops_hs : &mpm_ops_naive;
    if (!mpm_db_compile(db, ops, err, errlen))
        goto fail;
    return db;
fail:
    mpm_db_free(db);
    return NULL;
}
