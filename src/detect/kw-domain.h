/*
 * The domain and tld transforms (see kw-domain.c); registered from
 * keywords_register_buffers_dns().
 */
#ifndef ODLAR_DETECT_KW_DOMAIN_H
#define ODLAR_DETECT_KW_DOMAIN_H

void keywords_register_domain(void);

#endif
