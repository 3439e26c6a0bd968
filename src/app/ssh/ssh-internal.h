/*
 * Internal layout of the SSH parser state, shared by the files of
 * src/app/ssh/ (state, banner, record, kexinit, log). Not part of the API.
 */
#ifndef ODLAR_APP_SSH_INTERNAL_H
#define ODLAR_APP_SSH_INTERNAL_H

#include "app/ssh/ssh.h"

#include <stddef.h>

/* A growable byte string charged to the SSH memcap. */
typedef struct SshBuf {
    uint8_t *data;
    uint32_t len;
    uint32_t cap;
} SshBuf;

/* One side of the connection (Suricata's SshHeader). */
typedef struct SshHdr {
    int flags; /* SSH_STATE_* */
    SshBuf protover, swver, comments;
    bool has_comments;
    SshBuf hassh, hassh_string;
    /* banner line / record bytes collected across chunks */
    SshBuf pending;
    /* binary packet framing */
    uint8_t hdr[SSH_RECORD_HEADER_LEN];
    uint32_t hdr_have;
    uint32_t record_left;    /* payload bytes still to skip or collect */
    bool collecting_kex;     /* payload goes to `pending` for HASSH */
    bool stopped;            /* gap or finished: ignore further bytes */
    bool ended;
} SshHdr;

struct SshTx {
    SshHdr cli, srv;
    uint8_t events[SSH_EVENT_MAX];
    int nevents;
};

struct SshState {
    SshTx tx;
    bool released;
    bool failed;
    bool hassh;
};

bool ssh_buf_append(SshBuf *b, const uint8_t *p, uint32_t n);
void ssh_buf_free(SshBuf *b);
void ssh_set_event(SshState *s, int ev);

/* ssh-banner.c: consumes banner bytes; returns bytes used, sets s->failed. */
uint32_t ssh_banner_input(SshState *s, SshHdr *h, const uint8_t *d, uint32_t len);
/* Parses one complete banner line (no EOL) into h; false if invalid. */
bool ssh_banner_parse_line(SshHdr *h, const uint8_t *line, uint32_t len);
/* ssh-record.c: binary packet framing; consumes all bytes. `rel` is the
 * offset of d from the first byte of the parse call (frames). */
void ssh_record_input(SshState *s, SshHdr *h, SshHdr *other, bool to_server,
                      const uint8_t *d, uint32_t len, uint32_t rel);
/* ssh-kex.c: KEXINIT payload (after the message code) to HASSH. */
bool ssh_kex_hassh(SshHdr *h, bool client, const uint8_t *payload, uint32_t len);

#endif
