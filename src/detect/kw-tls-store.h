/*
 * The tls.store keyword (see kw-tls-store.c); registered from
 * keywords_register_buffers_txkw_tls().
 */
#ifndef ODLAR_DETECT_KW_TLS_STORE_H
#define ODLAR_DETECT_KW_TLS_STORE_H

void keywords_register_tls_store(void);

#endif
