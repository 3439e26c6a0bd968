/*
 * Internal layout of the SMTP parser state shared by the files of
 * src/app/smtp/. Not part of the API. The MIME decoder (RFC 2045/2046)
 * keeps its state inside the transaction it fills.
 */
#ifndef ODLAR_APP_SMTP_INTERNAL_H
#define ODLAR_APP_SMTP_INTERNAL_H

#include <stddef.h>

#include "app/file.h"
#include "app/smtp/smtp.h"

/* A growable byte string charged to the memcap. */
typedef struct SmtpBuf {
    uint8_t *p;
    uint32_t len, cap;
} SmtpBuf;

typedef struct SmtpHeader {
    SmtpBuf name;  /* lower case */
    SmtpBuf value;
} SmtpHeader;

typedef struct SmtpFile {
    SmtpBuf name;
    SmtpBuf data;
    bool closed;
    bool truncated;
    AppFile *tracked; /* its record in SmtpMime.tracked (NULL: refused by the file memcap) */
} SmtpFile;

#define SMTP_MIME_MAX_BOUNDARIES 8
#define SMTP_MIME_MAX_HEADERS 256
#define SMTP_MIME_MAX_URLS 256
#define SMTP_MIME_MAX_FILES 256
#define SMTP_MIME_MAX_FILENAME 255
#define SMTP_MIME_MAX_HEADER_NAME 75
#define SMTP_MIME_MAX_LINE 998
#define SMTP_MIME_MAX_ENC_LINE 76
#define SMTP_MIME_MAX_BOUNDARY 254
#define SMTP_DATA_LINE_CAP 4096       /* message line bytes kept */

enum { MIME_ENC_NONE = 0, MIME_ENC_B64, MIME_ENC_QP };
enum { MIME_ST_HEADER = 0, MIME_ST_BODY, MIME_ST_DONE, MIME_ST_ERROR };

typedef struct SmtpMime {
    int state;
    bool top;                 /* in the message's own header block */
    bool started;
    SmtpHeader *headers;      /* top-level headers */
    uint32_t nheaders, capheaders;
    SmtpBuf cur_name, cur_value; /* header being assembled (folding) */
    bool have_cur;
    /* the part whose headers are being read / whose body follows */
    SmtpBuf ctype, cdisp, cte;
    SmtpBuf text;             /* decoded text awaiting its end of line (URLs) */
    int enc;
    bool is_text;
    int file;                 /* index in files, -1 none */
    uint8_t b64[4];
    int nb64;
    bool eol_pending;
    bool cont;                /* the last piece given did not end its line */         /* the file's last line break, held back (boundary) */
    SmtpBuf bnd[SMTP_MIME_MAX_BOUNDARIES];
    int nbnd;
    SmtpBuf *urls;
    uint32_t nurls, capurls;
    SmtpFile *files;
    uint32_t nfiles, capfiles;
    AppFileContainer tracked; /* the attachments as tracked files (fileinfo, file keywords) */
    void *md5;                /* EVP_MD_CTX of the body MD5 while it runs */
    bool md5_done;
    uint8_t body_md5[16];
    char body_md5_hex[33];    /* the same in hex, once md5_done */
} SmtpMime;

struct SmtpTx {
    uint64_t id;
    SmtpBuf helo;
    bool has_helo;
    SmtpBuf mail_from;
    bool has_mail_from;
    SmtpBuf *rcpt;
    uint32_t nrcpt, caprcpt;
    bool has_mime;
    SmtpMime mime;
    bool done;
    uint8_t events[SMTP_EVENT_MAX];
    int nevents;
};

enum {
    SMTP_CMD_OTHER = 0,
    SMTP_CMD_DATA,
    SMTP_CMD_DATA_MODE,
    SMTP_CMD_BDAT,
    SMTP_CMD_STARTTLS,
    SMTP_CMD_RSET,
};

typedef struct SmtpLineBuf {
    uint8_t *buf;
    uint32_t len, cap;
    bool truncated;
} SmtpLineBuf;

#define SMTP_MAX_CMDS 64

struct SmtpState {
    uint64_t data_ends; /* messages ended (DATA/BDAT): raw stream triggers */
    SmtpTx **txs;
    uint32_t ntx, captx;
    uint64_t next_id;
    SmtpTx *curr;
    SmtpBuf helo;
    bool has_helo;
    SmtpLineBuf line[3];      /* [1] to server, [0] to client, [2] BDAT body */
    uint8_t cmds[SMTP_MAX_CMDS];
    uint64_t cmd_tx[SMTP_MAX_CMDS]; /* RSET: the tx it resets, UINT64_MAX none */
    uint32_t ncmds, cmd_idx;
    bool first_reply_seen;
    bool multiline;
    bool pipelining;
    bool data_mode;
    uint64_t bdat_left;       /* bytes of the current BDAT chunk */
    bool bdat_mode, bdat_last;
    bool bdat_cr;             /* BDAT body: last byte seen was CR */
    bool tls;
    bool failed;
    bool skip[2];             /* after a gap: drop until the next LF */
    bool data_cont;           /* DATA: the line being read continues a piece already decoded */
    uint8_t delim_len;        /* delimiter of the request line being handled: 2 CRLF, 1 LF */
    bool eof[2];              /* direction ended: [1] to server, [0] to client */
    SmtpMimeConfig cfg;
    /* frames (app/frames.h; ids from 1, 0: none), indexed as line[] */
    int64_t frame_line[2];    /* the command / response line being read */
    int64_t frame_data;       /* the DATA message being read */
    bool line_started[2];     /* some bytes of the current line were consumed */
};

/* smtp-state.c */
void *smtp_alloc(size_t n);
void smtp_free(void *p, size_t n);
bool smtp_grow(void **p, uint32_t *cap, uint32_t need, size_t elem);
bool sbuf_append(SmtpBuf *b, const uint8_t *p, uint32_t n);
bool sbuf_set(SmtpBuf *b, const uint8_t *p, uint32_t n);
void sbuf_free(SmtpBuf *b);
void smtp_tx_set_event(SmtpTx *tx, int ev);
void smtp_set_event(SmtpState *s, int ev);
SmtpTx *smtp_tx_new(SmtpState *s);
bool smtp_ieq(const uint8_t *a, const char *b, uint32_t n);

/* smtp-command.c */
void smtp_handle_request(SmtpState *s, const uint8_t *line, uint32_t len, bool truncated);
void smtp_handle_reply(SmtpState *s, const uint8_t *line, uint32_t len, bool truncated);
void smtp_data_end(SmtpState *s);
void smtp_data_piece(SmtpState *s, const uint8_t *piece, uint32_t len);

/* smtp-mime.c */
void smtp_mime_init(SmtpMime *m);
void smtp_mime_free(SmtpMime *m);
void smtp_mime_line(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *line, uint32_t len);
/* A piece of a message line longer than the line buffer; the line goes on
 * in the next piece (smtp_mime_chunk again, or smtp_mime_line for its end). */
void smtp_mime_chunk(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *piece, uint32_t len);
void smtp_mime_finish(SmtpTx *tx, const SmtpMimeConfig *cfg);
void smtp_mime_gap(SmtpTx *tx, uint32_t len);
void smtp_mime_truncate(SmtpTx *tx);
/* raw-extraction: the message as one file "rawmsg" (opened at DATA, fed
 * every line as sent with its line break, closed at the final dot) */
void smtp_raw_open(SmtpTx *tx);
void smtp_raw_data(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *p, uint32_t n);
void smtp_raw_close(SmtpTx *tx);
const char *smtp_mime_status(const SmtpMime *m);

/* smtp-md5.c: body MD5 (call md5_line before smtp_mime_line) */
void smtp_mime_md5_line(SmtpTx *tx, const SmtpMimeConfig *cfg, const uint8_t *line, uint32_t len,
                        uint32_t delim_len);
void smtp_mime_md5_finish(SmtpMime *m);
void smtp_mime_md5_free(SmtpMime *m);

#endif
