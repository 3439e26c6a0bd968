/*
 * Locating card numbers, IBANs and SSNs in untrusted bytes (see sd-find.h).
 *
 * Card numbers (ISO/IEC 7812) are read as runs of digit groups joined by a
 * single space or dash. A run glued on the left to a letter, a digit or a
 * decimal point belongs to something else (an IBAN, a hash, a float) and is
 * skipped whole. In a run, a number is one group of 13-19 digits, or a few
 * consecutive groups in a layout cards are printed in (4-4-4-4, 4-6-5, ...)
 * with one separator throughout; the last group of a run may not be glued
 * on the right. IBANs (ISO 13616) are an upper-case word: country code,
 * check digits, and the country's length of letters and digits, either
 * compact or printed in groups of four separated by single spaces. SSNs are
 * 3-2-4 digits with dashes, or 9 digits, not glued to other digits.
 *
 * Digits of a candidate are copied to a small stack buffer to validate them
 * and wiped afterwards; only the masked form and a digest leave this file.
 */
#include "detect/sd-find.h"

#include <stddef.h>
#include <string.h>

#include "detect/sd-validate.h"
#include "util/bytes.h"

static const char *const type_names[] = { "credit_card", "iban", "us_social", "us_social_nodashes", "custom" };

const char *sd_type_name(SdType type)
{
    return (unsigned)type <= SD_TYPE_CUSTOM ? type_names[type] : "unknown";
}

int sd_type_lookup(const char *name)
{
    for (int t = 0; t < SD_TYPE_BUILTIN_COUNT; t++)
        if (strcmp(name, type_names[t]) == 0)
            return t;
    return -1;
}

uint64_t sd_digest(const uint8_t *d, uint32_t n, uint64_t seed)
{
    uint64_t h = 1469598103934665603ull ^ seed;
    for (uint32_t i = 0; i < n; i++) {
        h ^= d[i];
        h *= 1099511628211ull;
    }
    return h;
}

/* Overwrites a buffer that held a full number (not optimised away). */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n--)
        *v++ = 0;
}

/* ---- bounds-checked character access ---- */

/* The byte at i, or -1 outside the buffer. */
static int peek(const ByteReader *r, int64_t i)
{
    if (i < 0 || (uint64_t)i >= r->len)
        return -1;
    return rd_u8(r->data + i);
}

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static bool is_alnum(int c) { return is_digit(c) || is_upper(c) || (c >= 'a' && c <= 'z'); }
static bool is_card_sep(int c) { return c == ' ' || c == '-'; }

/* Is the number starting at s glued to what precedes it? */
static bool glued_left(const ByteReader *r, int64_t s)
{
    int c = peek(r, s - 1);
    if (is_alnum(c))
        return true;
    return (c == '.' || c == '-') && is_digit(peek(r, s - 2));
}

/* Is the number ending before e glued to what follows it? */
static bool glued_right(const ByteReader *r, int64_t e)
{
    int c = peek(r, e);
    if (is_alnum(c))
        return true;
    return (c == '.' || c == '-') && is_digit(peek(r, e + 1));
}

typedef struct FindCtx {
    const ByteReader *r;
    SdFoundCb cb;
    void *user;
    uint32_t count;
    bool stop;
} FindCtx;

static void report(FindCtx *fc, SdFound *f)
{
    fc->count++;
    if (!fc->cb(f, fc->user))
        fc->stop = true;
}

/* ---- payment cards ---- */

typedef struct Group {
    uint32_t start, len;
} Group;

/* Printed layouts of 2+ groups, tried in this order (16 digits first, so
 * that a card followed by a 3-digit code reads as the card). */
static const uint8_t card_layouts[][6] = {
    { 4, 4, 4, 4, 4, 4 }, /* first byte: group count */
    { 3, 4, 6, 5 },
    { 3, 4, 6, 4 },
    { 5, 4, 4, 4, 4, 3 },
    { 4, 4, 4, 4, 3 },
    { 4, 4, 4, 4, 2 },
    { 3, 4, 4, 5 },
};

static void card_masked(const char *digits, size_t n, char out[SD_MASKED_MAX])
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        out[o++] = (i < 6 || i >= n - 4) ? digits[i] : '*';
    out[o] = '\0';
}

/* Copies groups [0, k) of the window into digits; false if over 19. */
static bool card_digits(const ByteReader *r, const Group *g, int k, char digits[SD_CARD_MAX_DIGITS + 1], size_t *n)
{
    size_t o = 0;
    for (int i = 0; i < k; i++) {
        if (o + g[i].len > SD_CARD_MAX_DIGITS)
            return false;
        for (uint32_t j = 0; j < g[i].len; j++)
            digits[o++] = (char)peek(r, (int64_t)g[i].start + j);
    }
    *n = o;
    return true;
}

/* Tries a number starting at window group 0 made of k groups. */
static bool card_try(FindCtx *fc, const Group *win, int k, bool last_is_run_end)
{
    const uint32_t end = win[k - 1].start + win[k - 1].len;
    if (last_is_run_end && glued_right(fc->r, end))
        return false;
    char digits[SD_CARD_MAX_DIGITS + 1];
    size_t n = 0;
    bool ok = card_digits(fc->r, win, k, digits, &n) && n >= SD_CARD_MIN_DIGITS && sd_card_valid(digits, n);
    if (ok) {
        SdFound f = { .start = win[0].start, .end = end };
        card_masked(digits, n, f.masked);
        f.digest = sd_digest((const uint8_t *)digits, (uint32_t)n, SD_TYPE_CREDIT_CARD);
        wipe(digits, sizeof(digits));
        report(fc, &f);
        return true;
    }
    wipe(digits, sizeof(digits));
    return false;
}

/* The window's group 0: how many groups a number starting there uses (0:
 * none). `more`: the run continues past the window. */
static int card_at(FindCtx *fc, const Group *win, int nwin, bool more, uint8_t sep)
{
    if (win[0].len >= SD_CARD_MIN_DIGITS && win[0].len <= SD_CARD_MAX_DIGITS &&
        card_try(fc, win, 1, !more && nwin == 1))
        return 1;
    if (win[0].len != 4 || sep == 0)
        return 0;
    for (size_t l = 0; l < sizeof(card_layouts) / sizeof(card_layouts[0]); l++) {
        const int k = card_layouts[l][0];
        if (k > nwin)
            continue;
        bool fits = true;
        for (int i = 0; i < k && fits; i++)
            fits = win[i].len == card_layouts[l][i + 1];
        if (fits && card_try(fc, win, k, !more && nwin == k))
            return k;
    }
    return 0;
}

/* Reads the run of groups starting at s; returns where it ends. */
static uint32_t card_run(FindCtx *fc, uint32_t s)
{
    const ByteReader *r = fc->r;
    const bool skip = glued_left(r, s);
    Group win[6];
    int nwin = 0;
    bool more = true;
    uint32_t pos = s;
    uint8_t sep = 0; /* the run's separator: one kind only */
    bool mixed = false;
    while (!fc->stop) {
        while (more && nwin < 6) {
            Group g = { .start = pos };
            while (is_digit(peek(r, pos)))
                pos++;
            g.len = pos - g.start;
            win[nwin++] = g;
            int c = peek(r, pos);
            if (is_card_sep(c) && is_digit(peek(r, (int64_t)pos + 1))) {
                if (sep && c != sep)
                    mixed = true;
                sep = (uint8_t)c;
                pos++;
            } else {
                more = false;
            }
        }
        if (nwin == 0)
            break;
        int used = skip ? 0 : card_at(fc, win, nwin, more, mixed ? 0 : sep);
        if (used == 0)
            used = 1;
        memmove(win, win + used, (size_t)(nwin - used) * sizeof(Group));
        nwin -= used;
        if (!more && nwin == 0)
            break;
    }
    return pos;
}

static void find_cards(FindCtx *fc, uint32_t from)
{
    const ByteReader *r = fc->r;
    int64_t i = from;
    /* back up to the start of a run that reaches `from` */
    if (is_card_sep(peek(r, i)) && is_digit(peek(r, i - 1)))
        i--;
    if (is_digit(peek(r, i)))
        while (i > 0 && (is_digit(peek(r, i - 1)) || (is_card_sep(peek(r, i - 1)) && is_digit(peek(r, i - 2)))))
            i--;
    while ((uint64_t)i < r->len && !fc->stop) {
        if (!is_digit(peek(r, i))) {
            i++;
            continue;
        }
        i = card_run(fc, (uint32_t)i);
    }
}

/* ---- IBAN ---- */

/* Tries an IBAN starting at s; returns its end or 0. */
static uint32_t iban_at(FindCtx *fc, uint32_t s)
{
    const ByteReader *r = fc->r;
    char cc[2] = { (char)peek(r, s), (char)peek(r, (int64_t)s + 1) };
    if (!is_upper(cc[0]) || !is_upper(cc[1]) || !is_digit(peek(r, (int64_t)s + 2)) ||
        !is_digit(peek(r, (int64_t)s + 3)))
        return 0;
    const unsigned want = sd_iban_country_length(cc);
    if (want == 0)
        return 0;
    char iban[SD_IBAN_MAX_LEN + 1];
    unsigned n = 0;
    int64_t pos = s;
    const bool grouped = peek(r, (int64_t)s + 4) == ' ';
    while (n < want) {
        if (grouped && n > 0 && n % 4 == 0) {
            if (peek(r, pos) != ' ')
                break;
            pos++;
        }
        int c = peek(r, pos);
        if (!is_upper(c) && !is_digit(c))
            break;
        iban[n++] = (char)c;
        pos++;
    }
    uint32_t end = 0;
    if (n == want && !glued_right(r, pos) && sd_iban_valid(iban, n)) {
        SdFound f = { .start = s, .end = (uint32_t)pos };
        size_t o = 0;
        for (unsigned i = 0; i < n; i++)
            f.masked[o++] = (i < 2 || i >= n - 4) ? iban[i] : '*';
        f.masked[o] = '\0';
        f.digest = sd_digest((const uint8_t *)iban, n, SD_TYPE_IBAN);
        report(fc, &f);
        end = (uint32_t)pos;
    }
    wipe(iban, sizeof(iban));
    return end;
}

static void find_ibans(FindCtx *fc, uint32_t from)
{
    const ByteReader *r = fc->r;
    for (uint64_t i = from; i < r->len && !fc->stop;) {
        if (is_upper(peek(r, (int64_t)i)) && !is_alnum(peek(r, (int64_t)i - 1))) {
            uint32_t end = iban_at(fc, (uint32_t)i);
            i = end ? end : i + 1;
        } else {
            i++;
        }
    }
}

/* ---- US social security numbers ---- */

static uint32_t ssn_at(FindCtx *fc, uint32_t s, bool dashes)
{
    const ByteReader *r = fc->r;
    static const char shape_dashed[] = "ddd-dd-dddd", shape_plain[] = "ddddddddd";
    const char *shape = dashes ? shape_dashed : shape_plain;
    const uint32_t span = (uint32_t)strlen(shape);
    if (glued_left(r, s))
        return 0;
    char digits[10];
    int n = 0;
    for (uint32_t i = 0; i < span; i++) {
        int c = peek(r, (int64_t)s + i);
        if (shape[i] == 'd') {
            if (!is_digit(c))
                return 0;
            digits[n++] = (char)c;
        } else if (c != shape[i]) {
            return 0;
        }
    }
    digits[n] = '\0';
    uint32_t end = 0;
    if (!glued_right(r, (int64_t)s + span) && sd_ssn_valid(digits)) {
        SdFound f = { .start = s, .end = s + span };
        memcpy(f.masked, dashes ? "***-**-" : "*****", dashes ? 7 : 5);
        memcpy(f.masked + (dashes ? 7 : 5), digits + 5, 4);
        f.masked[dashes ? 11 : 9] = '\0';
        f.digest = sd_digest((const uint8_t *)digits, 9, SD_TYPE_US_SOCIAL);
        report(fc, &f);
        end = s + span;
    }
    wipe(digits, sizeof(digits));
    return end;
}

static void find_ssns(FindCtx *fc, uint32_t from, bool dashes)
{
    const ByteReader *r = fc->r;
    for (uint64_t i = from; i < r->len && !fc->stop;) {
        if (is_digit(peek(r, (int64_t)i)) && !is_digit(peek(r, (int64_t)i - 1))) {
            uint32_t end = ssn_at(fc, (uint32_t)i, dashes);
            if (end) {
                i = end;
                continue;
            }
        }
        i++;
    }
}

uint32_t sd_find(SdType type, const uint8_t *buf, uint32_t len, uint32_t from, SdFoundCb cb, void *user)
{
    ByteReader r = br_init(buf, len);
    FindCtx fc = { .r = &r, .cb = cb, .user = user };
    if (from >= len)
        return 0;
    switch (type) {
    case SD_TYPE_CREDIT_CARD: find_cards(&fc, from); break;
    case SD_TYPE_IBAN: find_ibans(&fc, from); break;
    case SD_TYPE_US_SOCIAL: find_ssns(&fc, from, true); break;
    case SD_TYPE_US_SOCIAL_NODASHES: find_ssns(&fc, from, false); break;
    case SD_TYPE_CUSTOM: break;
    }
    return fc.count;
}

/* ---- masking in place ---- */

typedef struct MaskCtx {
    uint8_t *buf;
    SdType type;
} MaskCtx;

/* Hides the characters of [start, end) that the masked form hides: the
 * visible ones are kept at the head (`keep_head` alphanumerics) and tail. */
static void mask_span(uint8_t *buf, uint32_t start, uint32_t end, unsigned keep_head, unsigned keep_tail)
{
    unsigned total = 0;
    for (uint32_t i = start; i < end; i++)
        total += is_alnum(buf[i]);
    unsigned k = 0;
    for (uint32_t i = start; i < end; i++) {
        if (!is_alnum(buf[i]))
            continue;
        if (k >= keep_head && k + keep_tail < total)
            buf[i] = '*';
        k++;
    }
}

static bool mask_one(const SdFound *f, void *user)
{
    MaskCtx *mc = user;
    switch (mc->type) {
    case SD_TYPE_CREDIT_CARD: mask_span(mc->buf, f->start, f->end, 6, 4); break;
    case SD_TYPE_IBAN: mask_span(mc->buf, f->start, f->end, 2, 4); break;
    default: mask_span(mc->buf, f->start, f->end, 0, 4); break;
    }
    return true;
}

uint32_t sd_mask_builtin(uint8_t *buf, uint32_t len)
{
    /* IBANs first: their digit groups must not be read as cards once masked */
    static const SdType order[] = { SD_TYPE_IBAN, SD_TYPE_CREDIT_CARD, SD_TYPE_US_SOCIAL };
    uint32_t n = 0;
    for (size_t t = 0; t < sizeof(order) / sizeof(order[0]); t++) {
        MaskCtx mc = { .buf = buf, .type = order[t] };
        n += sd_find(order[t], buf, len, 0, mask_one, &mc);
    }
    return n;
}

void sd_mask_custom_text(const uint8_t *buf, uint32_t start, uint32_t end, char out[SD_MASKED_MAX])
{
    const uint32_t n = end - start;
    const uint32_t keep = n > 4 ? 4 : 0;
    const uint32_t stars = n - keep > SD_MASKED_MAX - 1 - keep ? SD_MASKED_MAX - 1 - keep : n - keep;
    size_t o = 0;
    for (uint32_t i = 0; i < stars; i++)
        out[o++] = '*';
    for (uint32_t i = end - keep; i < end; i++) {
        uint8_t c = buf[i];
        out[o++] = (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') ? (char)c : '.';
    }
    out[o] = '\0';
}

void sd_mask_custom_in_place(uint8_t *buf, uint32_t start, uint32_t end)
{
    const uint32_t n = end - start;
    const uint32_t keep = n > 4 ? 4 : 0;
    for (uint32_t i = start; i < end - keep; i++)
        buf[i] = '*';
}
