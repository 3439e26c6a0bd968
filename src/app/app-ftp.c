/*
 * FTP integration: the AppParserDef wrappers around src/app/ftp (control
 * channel). One transaction per command with its reply; the `ftp` record
 * is written in flow direction with the transaction id once the reply is
 * complete (or at flow end). Settings: `app-layer.protocols.ftp.memcap`,
 * `max-tx` and `max-line-length`.
 *
 * Data channels: after each parse the transactions that carry one
 * (RETR/STOR/... after PORT/EPRT/PASV/EPSV, ftp_tx_data_channel) are put in
 * a small process-wide expectation table (control flow addresses, port,
 * command, file). A new TCP flow between the same two hosts whose
 * destination port matches takes the entry (app_ftp_data_claim): it gets
 * app_proto ftp-data and, at its end, one `ftp_data` record (enabled by the
 * eve-log `ftp` type, as in Suricata). The table is bounded (oldest entry
 * replaced) and guarded by a mutex.
 *
 * Files on data channels, as Suricata 8's ftp-data parser tracks them: a
 * STOR or RETR transfer is one file (app/file.h) named by the command's
 * argument, in the direction its bytes travel (STOR: from the FTP client,
 * RETR: from the server; whichever side opened the data connection),
 * opened with the first bytes of that direction, which alone are taken,
 * and closed when that direction ends (FIN), so it is logged as a
 * `fileinfo` record of transaction 0 and may be stored.
 */
#include "app/app-internal.h"

#include "app/file.h"
#include "app/ftp/ftp.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static void *w_new(bool tcp)
{
    (void)tcp;
    return ftp_state_new();
}
static bool w_parse(void *s, bool ts, const uint8_t *d, uint32_t n, OdTime t) { return ftp_parse(s, ts, d, n, t); }
static void w_gap(void *s, bool ts, uint32_t n) { ftp_gap(s, ts, n); }
static void w_end(void *s, bool ts) { ftp_end(s, ts); }
static uint64_t w_tx_count(const void *s) { return ftp_tx_count(s); }
static void *w_tx_get(void *s, uint64_t id) { return ftp_tx_get(s, id); }
static bool w_tx_done(const void *tx, bool ts) { return ftp_tx_done(tx, ts); }
static void w_tx_release(void *s, uint64_t upto) { ftp_tx_release(s, upto); }
static int w_ev_count(const void *tx) { return ftp_tx_event_count(tx); }
static int w_ev_get(const void *tx, int i) { return ftp_tx_event_get(tx, i); }

static bool w_log_tx(JsonBuf *j, const void *tx, const void *cfg, uint32_t part)
{
    (void)cfg;
    if (part)
        return false;
    FtpLogConfig c = { 0 };
    ftp_log_tx(j, tx, &c);
    return true;
}

/* --- data channel expectations --- */
#define FTP_EXP_MAX 64
#define FTP_EXP_FILE_MAX 512
typedef struct FtpExpEntry {
    bool used;
    bool claimed; /* taken by a data flow (kept so it is not added again) */
    const void *ctl; /* control state and tx id: registered once */
    uint64_t tx_id;
    Address a, b;
    uint16_t port;
    FtpCommandCode cmd;
    uint32_t file_len;
    uint8_t file[FTP_EXP_FILE_MAX];
} FtpExpEntry;
static FtpExpEntry exp_tab[FTP_EXP_MAX];
static unsigned exp_next;
static pthread_mutex_t exp_lock = PTHREAD_MUTEX_INITIALIZER;

static bool addr_eq(const Address *x, const Address *y)
{
    return x->family == y->family && memcmp(x->addr, y->addr, sizeof(x->addr)) == 0;
}

static void exp_add(const void *ctl, const FtpTx *tx, const Flow *f, const FtpExpect *e, const uint8_t *file,
                    uint32_t flen)
{
    uint64_t id = ftp_tx_id(tx);
    for (unsigned i = 0; i < FTP_EXP_MAX; i++)
        if (exp_tab[i].used && exp_tab[i].ctl == ctl && exp_tab[i].tx_id == id)
            return;
    FtpExpEntry *x = &exp_tab[exp_next++ % FTP_EXP_MAX];
    memset(x, 0, sizeof(*x));
    x->used = true;
    x->ctl = ctl;
    x->tx_id = id;
    x->a = f->src;
    x->b = f->dst;
    x->port = e->port;
    x->cmd = ftp_tx_command_code(tx);
    x->file_len = flen < FTP_EXP_FILE_MAX ? flen : FTP_EXP_FILE_MAX;
    if (file && x->file_len)
        memcpy(x->file, file, x->file_len);
}

/* Registers the data channels of the live transactions (the newest ones,
 * down to the first released). */
static void w_after_parse(void *s, const Flow *f)
{
    uint64_t n = ftp_tx_count(s);
    pthread_mutex_lock(&exp_lock);
    for (uint64_t id = n; id > 0; id--) {
        FtpTx *tx = ftp_tx_get(s, id - 1);
        if (!tx)
            break;
        FtpExpect e;
        const uint8_t *file = NULL;
        uint32_t flen = 0;
        if (ftp_tx_data_channel(tx, &e, &file, &flen) && e.port)
            exp_add(s, tx, f, &e, file, flen);
    }
    pthread_mutex_unlock(&exp_lock);
}

/* Drops the entries of a control flow that ends. */
static void w_free_ctl(void *s)
{
    pthread_mutex_lock(&exp_lock);
    for (unsigned i = 0; i < FTP_EXP_MAX; i++)
        if (exp_tab[i].used && exp_tab[i].ctl == s)
            exp_tab[i].used = false;
    pthread_mutex_unlock(&exp_lock);
    ftp_state_free(s);
}

typedef struct FtpDataState {
    FtpCommandCode cmd;
    uint32_t file_len;
    uint8_t file[FTP_EXP_FILE_MAX];
    int file_dir; /* 0: the transfer's bytes go to server, 1: to client, -1: no file (not STOR/RETR) */
    bool file_opened, file_finished;
    AppFileContainer files[2]; /* by direction; only file_dir's is used */
    uint32_t file_ids; /* file-store id counter of this flow */
} FtpDataState;

/* The direction of data flow f that carries the bytes of transfer x. */
static int transfer_dir(const FtpExpEntry *x, const Flow *f)
{
    bool from_client = x->cmd == FTP_COMMAND_STOR;
    const Address *sender = from_client ? &x->a : &x->b; /* a: the control flow's client */
    return addr_eq(sender, &f->src) ? 0 : 1;
}

bool app_ftp_data_claim(const Flow *f, void **state)
{
    if (f->proto != 6)
        return false;
    bool found = false;
    pthread_mutex_lock(&exp_lock);
    for (unsigned i = 0; i < FTP_EXP_MAX && !found; i++) {
        FtpExpEntry *x = &exp_tab[i];
        if (!x->used || x->claimed || x->port != f->dp)
            continue;
        if (!((addr_eq(&x->a, &f->src) && addr_eq(&x->b, &f->dst)) ||
              (addr_eq(&x->a, &f->dst) && addr_eq(&x->b, &f->src))))
            continue;
        FtpDataState *d = calloc(1, sizeof(*d));
        if (d) {
            d->cmd = x->cmd;
            d->file_len = x->file_len;
            memcpy(d->file, x->file, x->file_len);
            d->file_dir = x->cmd == FTP_COMMAND_STOR || x->cmd == FTP_COMMAND_RETR ? transfer_dir(x, f) : -1;
            for (int k = 0; k < 2; k++)
                d->files[k].id_seq = &d->file_ids;
            *state = d;
            found = true;
        }
        x->claimed = true;
    }
    pthread_mutex_unlock(&exp_lock);
    return found;
}

static void fd_free(void *s)
{
    FtpDataState *d = s;
    if (d) {
        app_file_container_free(&d->files[0]);
        app_file_container_free(&d->files[1]);
    }
    free(d);
}

/* The transfer's file while it takes bytes of direction ts, opening it
 * with the first ones; NULL for the other direction or once it ended. */
static AppFile *transfer_file(FtpDataState *d, bool ts)
{
    if (d->file_dir != (ts ? 0 : 1) || d->file_finished)
        return NULL;
    AppFileContainer *c = &d->files[d->file_dir];
    if (!d->file_opened) {
        d->file_opened = true;
        if (!app_file_open(c, d->file, d->file_len))
            d->file_finished = true; /* refused by the memory cap */
    }
    return app_file_current(c);
}

static bool fd_parse(void *s, bool ts, const uint8_t *data, uint32_t n, OdTime t)
{
    AppFile *f = n ? transfer_file(s, ts) : NULL;
    if (f) {
        f->last_time = t;
        app_file_append(f, data, n);
    }
    return true;
}

static void fd_gap(void *s, bool ts, uint32_t n)
{
    AppFile *f = transfer_file(s, ts);
    if (f)
        app_file_gap(f, n);
}

static void fd_end(void *s, bool ts)
{
    FtpDataState *d = s;
    if (d->file_dir != (ts ? 0 : 1) || d->file_finished)
        return;
    AppFile *f = app_file_current(&d->files[d->file_dir]);
    if (f)
        app_file_close(f, APP_FILE_CLOSED);
    d->file_finished = true;
}

static struct AppFileContainer *fd_tx_files(void *tx, bool ts)
{
    FtpDataState *d = tx;
    return &d->files[ts ? 0 : 1];
}
FtpCommandCode ftp_data_tx_command(const void *tx)
{
    return ((const FtpDataState *)tx)->cmd;
}

static uint64_t fd_tx_count(const void *s) { return s ? 1 : 0; }
static void *fd_tx_get(void *s, uint64_t id) { return id == 0 ? s : NULL; }
static bool fd_tx_done(const void *tx, bool ts)
{
    (void)tx, (void)ts;
    return false; /* logged when the data flow ends */
}
static bool fd_log_tx(JsonBuf *j, const void *tx, const void *cfg, uint32_t part)
{
    (void)cfg;
    const FtpDataState *d = tx;
    if (part)
        return false;
    ftp_data_log(j, d->file, d->file_len, d->cmd);
    return true;
}

const AppParserDef app_ftp_data_def = {
    .proto = 8,
    .name = "ftp_data",
    .conf_name = "ftp",
    .state_free = fd_free,
    .parse = fd_parse,
    .gap = fd_gap,
    .end = fd_end,
    .tx_files = fd_tx_files,
    .tx_count = fd_tx_count,
    .tx_get = fd_tx_get,
    .tx_done = fd_tx_done,
    .log_tx = fd_log_tx,
};

const AppParserDef app_ftp_def = {
    .proto = 7,
    .name = "ftp",
    .state_new = w_new,
    .state_free = w_free_ctl,
    .parse = w_parse,
    .gap = w_gap,
    .end = w_end,
    .tx_count = w_tx_count,
    .tx_get = w_tx_get,
    .tx_done = w_tx_done,
    .tx_release = w_tx_release,
    .tx_event_count = w_ev_count,
    .tx_event_get = w_ev_get,
    .event_name = ftp_event_name,
    .log_tx = w_log_tx,
    .after_parse = w_after_parse,
};

void app_ftp_configure(Conf *conf)
{
    const char *v = NULL;
    uint64_t sz;
    if (conf && conf_get_str(conf, "app-layer.protocols.ftp.memcap", &v) && conf_parse_size(v, &sz))
        ftp_config_set_memcap(sz);
    if (conf && conf_get_str(conf, "app-layer.protocols.ftp.max-tx", &v) && conf_parse_size(v, &sz))
        ftp_config_set_max_tx(sz);
    if (conf && conf_get_str(conf, "app-layer.protocols.ftp.max-line-length", &v) && conf_parse_size(v, &sz))
        ftp_config_set_max_line_len(sz > UINT32_MAX ? UINT32_MAX : (uint32_t)sz);
}
