/*
 * SMTP integration: the AppParserDef wrappers around src/app/smtp (the
 * SMTP parser and its MIME decoder). Detection of smtp is the framework's
 * own (the server's 220 greeting / the client's EHLO/HELO); the parser then
 * sees both directions in order. One transaction per mail; the `smtp`
 * record (with `email` when the mail carried a message) is written in flow
 * direction once the transaction is done, or at flow end. Parser events
 * become anomaly records through the framework. STARTTLS answered by 220
 * stops the parser and is reported as a protocol change (proto_change)
 * expecting TLS, so the framework logs what is left and runs detection
 * again on the following data, which finds TLS (app_proto tls,
 * app_proto_orig smtp), as Suricata's AppLayerRequestProtocolTLSUpgrade
 * does; anything else found there raises APPLAYER_NO_TLS_AFTER_STARTTLS. The attachments are
 * the transaction's files (client to server), which the framework logs as
 * fileinfo records with the smtp/email object.
 *
 * Settings: `app-layer.protocols.smtp.memcap`, `raw-extraction` and the
 * MIME decoder options
 * under `app-layer.protocols.smtp.mime` (decode-mime, decode-base64,
 * decode-quoted-printable, header-value-depth, extract-urls,
 * extract-urls-schemes, log-url-scheme, body-md5: yes, no or auto -- auto
 * or unset computes it once a rule uses email.body_md5), applied through
 * smtp_config_set_mime. The eve-log `smtp` type takes `extended`,
 * `custom` (a list of email field names, "x-mailer" or "x_mailer") and
 * `md5` (a list of "subject", "body").
 */
#include "app/app-internal.h"

#include "app/smtp/smtp.h"

#include <stdlib.h>
#include <string.h>

static void *w_new(bool tcp)
{
    (void)tcp;
    return smtp_state_new();
}
static void w_free(void *s) { smtp_state_free(s); }
static bool w_parse(void *s, bool ts, const uint8_t *d, uint32_t n, OdTime t) { return smtp_parse(s, ts, d, n, t); }
static uint64_t w_raw_triggers(const void *s, bool ts) { return smtp_messages_ended(s, ts); }
static void w_gap(void *s, bool ts, uint32_t n) { smtp_gap(s, ts, n); }
static void w_end(void *s, bool ts) { smtp_end(s, ts); }
static uint64_t w_tx_count(const void *s) { return smtp_tx_count(s); }
static void *w_tx_get(void *s, uint64_t id) { return smtp_tx_get(s, id); }
static bool w_tx_done(const void *tx, bool ts) { return smtp_tx_done(tx, ts); }
static void w_tx_release(void *s, uint64_t upto) { smtp_tx_release(s, upto); }
static int w_ev_count(const void *tx) { return smtp_tx_event_count(tx); }
static int w_ev_get(const void *tx, int i) { return smtp_tx_event_get(tx, i); }
static bool w_proto_change(const void *s) { return smtp_tls_upgrade(s); }
static void w_proto_change_refused(void *s) { smtp_tls_upgrade_refused(s); }
static struct AppFileContainer *w_tx_files(void *tx, bool ts) { return smtp_tx_files(tx, ts); }

static void *w_log_config(ConfNode *opts)
{
    SmtpLogConfig *c = calloc(1, sizeof(*c));
    if (!c || !opts)
        return c;
    const char *v = NULL;
    bool b;
    if (conf_node_get_str(opts, "extended", &v) && conf_parse_bool(v, &b))
        c->extended = b;
    ConfNode *md5 = conf_node_child(opts, "md5");
    for (ConfNode *n = md5 ? md5->first_child : NULL; n; n = n->next) {
        if (n->value && strcmp(n->value, "subject") == 0)
            c->md5_subject = true;
        else if (n->value && strcmp(n->value, "body") == 0)
            c->md5_body = true;
    }
    ConfNode *custom = conf_node_child(opts, "custom");
    if (custom) {
        for (ConfNode *n = custom->first_child; n; n = n->next) {
            if (!n->value)
                continue;
            char name[64];
            size_t k = 0;
            for (; n->value[k] && k + 1 < sizeof(name); k++)
                name[k] = n->value[k] == '-' ? '_' : n->value[k];
            name[k] = 0;
            int f = smtp_email_field_by_name(name);
            if (f >= 0 && f < 32)
                c->custom_mask |= 1u << f;
        }
    }
    return c;
}

static void w_log_config_free(void *p) { free(p); }

static bool w_log_tx(JsonBuf *j, const void *tx, const void *cfg, uint32_t part)
{
    if (part)
        return false;
    SmtpLogConfig def = { 0 };
    smtp_log_tx(j, tx, cfg ? cfg : &def);
    return true;
}

const AppParserDef app_smtp_def = {
    .proto = 6,
    .name = "smtp",
    .state_new = w_new,
    .state_free = w_free,
    .parse = w_parse,
    .gap = w_gap,
    .end = w_end,
    .tx_count = w_tx_count,
    .tx_get = w_tx_get,
    .tx_done = w_tx_done,
    .tx_release = w_tx_release,
    .tx_event_count = w_ev_count,
    .tx_event_get = w_ev_get,
    .event_name = smtp_event_name,
    .log_config = w_log_config,
    .log_config_free = w_log_config_free,
    .log_tx = w_log_tx,
    .proto_change = w_proto_change,
    .change_expect = APP_PROTO_TLS,
    .proto_change_refused = w_proto_change_refused,
    .tx_files = w_tx_files,
    .raw_triggers = w_raw_triggers,
};

static void bool_opt(ConfNode *n, const char *key, bool *out)
{
    const char *v = NULL;
    bool b;
    if (n && conf_node_get_str(n, key, &v) && conf_parse_bool(v, &b))
        *out = b;
}

void app_smtp_configure(Conf *conf)
{
    SmtpMimeConfig mc;
    smtp_config_defaults(&mc);
    ConfNode *sm = conf ? conf_node(conf, "app-layer.protocols.smtp") : NULL;
    const char *v = NULL;
    uint64_t sz;
    if (sm && conf_node_get_str(sm, "memcap", &v) && conf_parse_size(v, &sz))
        smtp_config_set_memcap(sz);
    bool_opt(sm, "raw-extraction", &mc.raw_extraction);
    ConfNode *m = sm ? conf_node_child(sm, "mime") : NULL;
    if (m) {
        bool_opt(m, "decode-mime", &mc.decode_mime);
        bool_opt(m, "decode-base64", &mc.decode_base64);
        bool_opt(m, "decode-quoted-printable", &mc.decode_quoted_printable);
        bool_opt(m, "extract-urls", &mc.extract_urls);
        bool_opt(m, "log-url-scheme", &mc.log_url_scheme);
        bool_opt(m, "body-md5", &mc.body_md5);
        const char *md5v = NULL;
        bool md5b;
        mc.body_md5_never = conf_node_get_str(m, "body-md5", &md5v) && conf_parse_bool(md5v, &md5b) && !md5b;
        if (conf_node_get_str(m, "header-value-depth", &v) && conf_parse_size(v, &sz))
            mc.header_value_depth = sz > UINT32_MAX ? UINT32_MAX : (uint32_t)sz;
        ConfNode *sch = conf_node_child(m, "extract-urls-schemes");
        if (sch && sch->first_child) {
            mc.nschemes = 0;
            for (ConfNode *n = sch->first_child; n && mc.nschemes < SMTP_MAX_SCHEMES; n = n->next) {
                if (!n->value)
                    continue;
                size_t k = strlen(n->value);
                if (k >= sizeof(mc.schemes[0]))
                    continue;
                memcpy(mc.schemes[mc.nschemes++], n->value, k + 1);
            }
        }
    }
    smtp_config_set_mime(&mc);
}
