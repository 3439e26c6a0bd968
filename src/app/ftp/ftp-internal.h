/*
 * Internal layout of the FTP parser state shared by the files of
 * src/app/ftp/. Not part of the API.
 */
#ifndef ODLAR_APP_FTP_INTERNAL_H
#define ODLAR_APP_FTP_INTERNAL_H

#include "app/ftp/ftp.h"

typedef struct FtpReplyLine {
    uint8_t code[3];
    bool has_code;
    uint8_t *text;
    uint32_t text_len;
    bool truncated;
} FtpReplyLine;

struct FtpTx {
    uint64_t id;
    FtpCommandCode cmd;
    bool has_request;
    uint8_t *req;
    uint32_t req_len;
    bool req_truncated;
    FtpReplyLine *replies;
    uint32_t nreplies, capreplies;
    bool in_multiline;
    uint8_t ml_code[3];
    uint16_t dyn_port;
    bool active;
    bool done;
    bool is_data_cmd;
    FtpExpect data_exp;
    uint8_t events[FTP_EVENT_MAX];
    int nevents;
};

/* Line assembly for one direction. */
typedef struct FtpLineBuf {
    uint8_t *buf;
    uint32_t len, cap;
    bool truncated;   /* line exceeded max_line_len: rest skipped */
} FtpLineBuf;

struct FtpState {
    FtpTx **txs;
    uint32_t ntx, captx;
    uint64_t next_id;
    FtpLineBuf line[2]; /* [1] to server, [0] to client */
    uint32_t max_line_len;
    uint64_t max_tx;    /* transactions waiting for a reply, at most */
    FtpExpect expect;
    bool tls_upgrade;
    bool failed;
    bool skip[2];       /* after a gap: drop until the next LF */
};

void *ftp_alloc(size_t n);
void *ftp_realloc(void *p, size_t old, size_t n);
void ftp_free(void *p, size_t n);
bool ftp_dup(const uint8_t *p, uint32_t n, uint8_t **out);
void ftp_tx_set_event(FtpTx *tx, int ev);
FtpTx *ftp_tx_new(FtpState *s);

/* ftp-command.c */
FtpCommandCode ftp_command_lookup(const uint8_t *line, uint32_t len, uint32_t *name_len);
void ftp_handle_request(FtpState *s, const uint8_t *line, uint32_t len, bool truncated);
/* ftp-reply.c */
void ftp_handle_reply(FtpState *s, const uint8_t *line, uint32_t len, bool truncated);
/* ftp-port.c: 0 when invalid */
uint16_t ftp_parse_port_arg(const uint8_t *a, uint32_t n, FtpExpect *e);
uint16_t ftp_parse_eprt_arg(const uint8_t *a, uint32_t n, FtpExpect *e);
uint16_t ftp_parse_pasv_reply(const uint8_t *l, uint32_t n, FtpExpect *e);
uint16_t ftp_parse_epsv_reply(const uint8_t *l, uint32_t n);

#endif
