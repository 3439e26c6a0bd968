/*
 * POP3 parsing: stream bytes to lines to transactions (see pop3.h).
 *
 * Each direction keeps the bytes of its unfinished line (bounded by
 * POP3_LINE_MAX; a longer line is dropped up to its end). Lines end with
 * LF, a CR before it is removed (RFC 1939 section 3 says CRLF; bare LF is
 * taken as Suricata's parser does not fail on it either). Length limits
 * are RFC 2449's: a command with its CRLF at most 255 octets, the first
 * line of a reply at most 512; longer ones raise request_too_long /
 * response_too_long but are still parsed. Transactions are kept in id
 * order in a growing array; ids are never reused.
 */
#include "app/pop3/pop3-internal.h"

#include "util/bytes.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define POP3_LINE_MAX 8192
#define POP3_REQUEST_MAX 255 /* RFC 2449 section 4 */
#define POP3_RESPONSE_MAX 512 /* RFC 2449 section 4 */

static uint32_t pop3_max_tx = 256; /* Suricata's default max-tx */

void pop3_config_set_max_tx(uint32_t max_tx) { pop3_max_tx = max_tx ? max_tx : 1; }

typedef struct Pop3LineBuf {
    uint8_t *buf;
    uint32_t len, cap;
    bool skipping; /* dropping bytes up to the next LF (too long, or after a gap) */
} Pop3LineBuf;

struct Pop3State {
    Pop3Tx **txs; /* live transactions, ids base_id .. base_id+count-1 */
    uint32_t count, cap;
    uint64_t base_id, next_id;
    Pop3LineBuf line[2]; /* 0 = to server */
    bool failed[2];
    bool auth_data_next; /* next client line is a SASL response */
    bool tls_upgrade;
    /* multi-line reply in progress for transaction ml_id */
    bool ml_active, ml_keep;
    uint64_t ml_id;
};

/* Commands of RFC 1939, RFC 2449 (CAPA), RFC 2595 (STLS), RFC 5034 (AUTH),
 * RFC 6856 (UTF8, LANG) with their argument counts. */
typedef struct Pop3Command {
    const char *name;
    uint8_t min_args, max_args;
} Pop3Command;

static const Pop3Command pop3_commands[] = {
    { "USER", 1, 1 }, { "PASS", 1, 255 }, { "APOP", 2, 2 }, { "STAT", 0, 0 }, { "LIST", 0, 1 },
    { "RETR", 1, 1 }, { "DELE", 1, 1 },   { "NOOP", 0, 0 }, { "RSET", 0, 0 }, { "QUIT", 0, 0 },
    { "TOP", 2, 2 },  { "UIDL", 0, 1 },   { "CAPA", 0, 0 }, { "STLS", 0, 0 }, { "AUTH", 0, 2 },
    { "UTF8", 0, 0 }, { "LANG", 0, 1 },
};

static const char *const pop3_event_names[POP3_EV_COUNT] = {
    "too_many_transactions", "request_too_long", "incorrect_argument_count", "unknown_command",
    "response_too_long",
};

const char *pop3_event_name(int ev) { return ev >= 0 && ev < POP3_EV_COUNT ? pop3_event_names[ev] : NULL; }

Pop3State *pop3_state_new(void) { return calloc(1, sizeof(Pop3State)); }

static void tx_free(Pop3Tx *tx)
{
    if (!tx)
        return;
    for (uint32_t i = 0; i < tx->arg_count; i++)
        free(tx->args[i].p);
    for (uint32_t i = 0; i < tx->data_count; i++)
        free(tx->data[i].p);
    free(tx->header.p);
    free(tx);
}

void pop3_state_free(Pop3State *s)
{
    if (!s)
        return;
    for (uint32_t i = 0; i < s->count; i++)
        tx_free(s->txs[i]);
    free(s->txs);
    free(s->line[0].buf);
    free(s->line[1].buf);
    free(s);
}

bool pop3_tls_upgrade(const Pop3State *s) { return s->tls_upgrade; }
uint64_t pop3_tx_count(const Pop3State *s) { return s->next_id; }

Pop3Tx *pop3_tx_get(Pop3State *s, uint64_t id)
{
    if (id < s->base_id || id - s->base_id >= s->count)
        return NULL;
    return s->txs[id - s->base_id];
}

bool pop3_tx_done(const Pop3Tx *tx, bool to_server)
{
    /* Suricata's progress: request side once there is a request, reply
     * side once the reply is complete; a finished transaction is both */
    return to_server ? (tx->has_request || tx->complete) : tx->complete;
}

void pop3_tx_release(Pop3State *s, uint64_t upto_id)
{
    uint32_t n = 0;
    while (n < s->count && s->base_id + n < upto_id) {
        tx_free(s->txs[n]);
        n++;
    }
    if (!n)
        return;
    memmove(s->txs, s->txs + n, (s->count - n) * sizeof(*s->txs));
    s->count -= n;
    s->base_id += n;
}

int pop3_tx_event_count(const Pop3Tx *tx) { return __builtin_popcount(tx->events); }

int pop3_tx_event_get(const Pop3Tx *tx, int i)
{
    for (int ev = 0; ev < POP3_EV_COUNT; ev++)
        if ((tx->events >> ev) & 1u)
            if (i-- == 0)
                return ev;
    return -1;
}

const char *pop3_tx_command(const Pop3Tx *tx) { return tx->has_request ? tx->keyword : NULL; }

static bool bytes_set(Pop3Bytes *b, const uint8_t *p, uint32_t n)
{
    b->p = malloc(n ? n : 1);
    if (!b->p)
        return false;
    if (n)
        memcpy(b->p, p, n);
    b->n = n;
    return true;
}

/* A new transaction at the end, or NULL (out of memory, or too many: then,
 * as Suricata, every unfinished one is closed with too_many_transactions). */
static Pop3Tx *tx_new(Pop3State *s)
{
    if (s->count > pop3_max_tx) {
        for (uint32_t i = 0; i < s->count; i++)
            if (!s->txs[i]->complete) {
                s->txs[i]->complete = true;
                s->txs[i]->events |= 1u << POP3_EV_TOO_MANY_TRANSACTIONS;
            }
        return NULL;
    }
    if (s->count == s->cap) {
        uint32_t cap = s->cap ? s->cap * 2 : 8;
        Pop3Tx **t = realloc(s->txs, cap * sizeof(*t));
        if (!t)
            return NULL;
        s->txs = t;
        s->cap = cap;
    }
    Pop3Tx *tx = calloc(1, sizeof(*tx));
    if (!tx)
        return NULL;
    s->txs[s->count++] = tx;
    s->next_id++;
    return tx;
}

/* The oldest transaction with a command still waiting for its reply. */
static Pop3Tx *tx_awaiting_reply(Pop3State *s)
{
    for (uint32_t i = 0; i < s->count; i++)
        if (s->txs[i]->has_request && !s->txs[i]->has_response && !s->txs[i]->complete)
            return s->txs[i];
    return NULL;
}

static void keyword_set(Pop3Tx *tx, const uint8_t *p, uint32_t n)
{
    for (size_t i = 0; i < sizeof(pop3_commands) / sizeof(pop3_commands[0]); i++) {
        const Pop3Command *c = &pop3_commands[i];
        if (strlen(c->name) == n && strncasecmp(c->name, (const char *)p, n) == 0) {
            strcpy(tx->keyword, c->name);
            if (tx->arg_count < c->min_args || tx->arg_count > c->max_args)
                tx->events |= 1u << POP3_EV_INCORRECT_ARGUMENT_COUNT;
            return;
        }
    }
    uint32_t k = n < sizeof(tx->keyword) - 1 ? n : (uint32_t)sizeof(tx->keyword) - 1;
    for (uint32_t i = 0; i < k; i++)
        tx->keyword[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? (char)p[i] : '?';
    tx->keyword[k] = 0;
    tx->events |= 1u << POP3_EV_UNKNOWN_COMMAND;
}

static bool is_command(const Pop3Tx *tx, const char *name) { return tx && tx->has_request && strcmp(tx->keyword, name) == 0; }

/* RFC 1939 section 3: keyword, then arguments separated by single spaces. */
static bool handle_command(Pop3State *s, const uint8_t *line, uint32_t len)
{
    if (len == 0)
        return true;
    Pop3Tx *tx = tx_new(s);
    if (!tx)
        return false;
    tx->has_request = true;
    if (len + 2 > POP3_REQUEST_MAX)
        tx->events |= 1u << POP3_EV_REQUEST_TOO_LONG;
    if (s->auth_data_next) {
        /* RFC 5034 section 4: the client's base64 SASL response */
        s->auth_data_next = false;
        strcpy(tx->keyword, "<SASL DATA>");
        return true;
    }
    ByteReader r = br_init(line, len);
    const uint8_t *kw = br_cursor(&r);
    uint32_t kw_len = 0;
    while (br_has(&r, 1) && rd_u8(br_cursor(&r)) != ' ') {
        br_skip(&r, 1);
        kw_len++;
    }
    while (br_skip(&r, 1)) { /* the space before an argument */
        const uint8_t *a = br_cursor(&r);
        uint32_t an = 0;
        while (br_has(&r, 1) && rd_u8(br_cursor(&r)) != ' ') {
            br_skip(&r, 1);
            an++;
        }
        if (tx->arg_count < POP3_MAX_ARGS && !bytes_set(&tx->args[tx->arg_count++], a, an))
            return false;
    }
    keyword_set(tx, kw, kw_len);
    return true;
}

/* Is the +OK reply to this transaction multi-line (RFC 1939 sections 5
 * and 7, RFC 2449 section 5)? */
static bool reply_is_multiline(const Pop3Tx *tx)
{
    if (!tx || !tx->has_request)
        return false;
    if (is_command(tx, "LIST") || is_command(tx, "UIDL"))
        return tx->arg_count == 0;
    return is_command(tx, "TOP") || is_command(tx, "RETR") || is_command(tx, "CAPA");
}

static bool handle_multiline(Pop3State *s, const uint8_t *line, uint32_t len)
{
    Pop3Tx *tx = pop3_tx_get(s, s->ml_id);
    if (len == 1 && line[0] == '.') {
        s->ml_active = false;
        if (tx)
            tx->complete = true;
        return true;
    }
    if (len && line[0] == '.') { /* byte-stuffed line (RFC 1939 section 3) */
        line++;
        len--;
    }
    if (tx && s->ml_keep && tx->data_count < POP3_MAX_DATA_LINES)
        return bytes_set(&tx->data[tx->data_count++], line, len);
    return true;
}

/* "+OK [text]", "-ERR [text]" (RFC 1939 section 3) or a "+ [challenge]"
 * continuation (RFC 5034 section 4). false: not a POP3 reply. */
static bool handle_reply(Pop3State *s, const uint8_t *line, uint32_t len)
{
    if (s->ml_active)
        return handle_multiline(s, line, len);
    ByteReader r = br_init(line, len);
    Pop3Status status;
    bool challenge = false;
    if (len >= 3 && memcmp(line, "+OK", 3) == 0) {
        status = POP3_STATUS_OK;
        br_skip(&r, 3);
    } else if (len >= 4 && memcmp(line, "-ERR", 4) == 0) {
        status = POP3_STATUS_ERR;
        br_skip(&r, 4);
    } else if (len >= 1 && line[0] == '+' && (len == 1 || line[1] == ' ')) {
        status = POP3_STATUS_OK;
        challenge = true;
        br_skip(&r, 1);
    } else {
        return false;
    }
    if (br_has(&r, 1) && rd_u8(br_cursor(&r)) != ' ')
        return false; /* "+OKAY" and the like */
    br_skip(&r, 1);
    Pop3Tx *tx = tx_awaiting_reply(s);
    if (!tx) {
        tx = tx_new(s); /* the greeting, or a reply nobody asked for */
        if (!tx)
            return false;
    }
    tx->has_response = true;
    tx->status = status;
    if (len + 2 > POP3_RESPONSE_MAX)
        tx->events |= 1u << POP3_EV_RESPONSE_TOO_LONG;
    free(tx->header.p);
    if (!bytes_set(&tx->header, br_cursor(&r), (uint32_t)br_remaining(&r)))
        return false;
    /* RFC 5034 section 4: after a challenge (or Suricata's +OK) to AUTH
     * or to a SASL response, the client's next line is SASL data */
    if (status == POP3_STATUS_OK && (is_command(tx, "AUTH") || is_command(tx, "<SASL DATA>")) &&
        (challenge || tx->arg_count > 0))
        s->auth_data_next = true;
    if (status == POP3_STATUS_OK && !challenge && reply_is_multiline(tx)) {
        s->ml_active = true;
        s->ml_keep = !is_command(tx, "RETR"); /* the message itself is not kept */
        for (uint32_t i = 0; i < s->count; i++)
            if (s->txs[i] == tx)
                s->ml_id = s->base_id + i;
        return true;
    }
    tx->complete = true;
    if (status == POP3_STATUS_OK && is_command(tx, "STLS"))
        s->tls_upgrade = true; /* RFC 2595 section 4: TLS negotiation starts */
    return true;
}

static bool handle_line(Pop3State *s, bool to_server, const uint8_t *line, uint32_t len)
{
    if (len && line[len - 1] == '\r')
        len--;
    return to_server ? handle_command(s, line, len) : handle_reply(s, line, len);
}

static bool line_append(Pop3LineBuf *lb, const uint8_t *p, uint32_t n)
{
    if (lb->len + n > POP3_LINE_MAX) {
        lb->len = 0;
        lb->skipping = true;
        return true;
    }
    if (lb->len + n > lb->cap) {
        uint32_t cap = lb->cap ? lb->cap : 256;
        while (cap < lb->len + n)
            cap *= 2;
        uint8_t *b = realloc(lb->buf, cap);
        if (!b)
            return false;
        lb->buf = b;
        lb->cap = cap;
    }
    memcpy(lb->buf + lb->len, p, n);
    lb->len += n;
    return true;
}

bool pop3_parse(Pop3State *s, bool to_server, const uint8_t *data, uint32_t len)
{
    int d = to_server ? 0 : 1;
    if (s->failed[d] || s->tls_upgrade)
        return false;
    Pop3LineBuf *lb = &s->line[d];
    ByteReader r = br_init(data, len);
    while (br_has(&r, 1) && !s->tls_upgrade) {
        const uint8_t *p = br_cursor(&r);
        const uint8_t *lf = memchr(p, '\n', br_remaining(&r));
        uint32_t n = lf ? (uint32_t)(lf - p) + 1 : (uint32_t)br_remaining(&r);
        br_skip(&r, n);
        if (lb->skipping) {
            if (lf)
                lb->skipping = false;
            continue;
        }
        if (!lf) {
            if (!line_append(lb, p, n))
                s->failed[d] = true;
            break;
        }
        bool ok;
        if (lb->len) {
            ok = line_append(lb, p, n - 1);
            if (ok && !lb->skipping)
                ok = handle_line(s, to_server, lb->buf, lb->len);
            lb->len = 0;
            lb->skipping = false;
        } else {
            ok = handle_line(s, to_server, p, n - 1);
        }
        if (!ok) {
            s->failed[d] = true;
            return false;
        }
    }
    return !s->failed[d] && !s->tls_upgrade;
}

void pop3_gap(Pop3State *s, bool to_server)
{
    Pop3LineBuf *lb = &s->line[to_server ? 0 : 1];
    lb->len = 0;
    lb->skipping = true;
    if (!to_server)
        s->ml_active = false;
}
