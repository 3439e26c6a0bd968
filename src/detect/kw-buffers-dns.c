/*
 * DNS rule buffers: dns.query (legacy dns_query; the question names of
 * requests), dns.queries.rrname (question names, requests to server and
 * responses to client), dns.answers.rrname, dns.authorities.rrname,
 * dns.additionals.rrname (owner names of a response's records) and
 * dns.response.rrname (every name of a response). All are multi-buffers
 * read through the DNS parser's getters; each DNS message is its own
 * transaction, complete as soon as it is parsed. Registering them also
 * registers the host-name transforms domain and tld (kw-domain.c).
 */
#include <stdbool.h>
#include <stdint.h>

#include "app/dns/dns.h"
#include "detect/kw-buffers.h"
#include "detect/kw-domain.h"

#define DNS_PROTO 3

static bool get_query(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return dns_tx_is_request(tx) && dns_tx_query_name(tx, i, d, l);
}

static bool get_queries(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    return dns_tx_is_request(tx) == ts && dns_tx_query_name(tx, i, d, l);
}

static bool get_answers(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    return dns_tx_is_request(tx) == ts && dns_tx_answer_name(tx, i, d, l);
}

static bool get_authorities(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    return dns_tx_is_request(tx) == ts && dns_tx_authority_name(tx, i, d, l);
}

static bool get_additionals(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    return dns_tx_is_request(tx) == ts && dns_tx_additional_name(tx, i, d, l);
}

static bool get_response(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    return !dns_tx_is_request(tx) && dns_tx_response_name(tx, i, d, l);
}

BUF_STICKY(setup_query, "dns.query", "dns.query")
BUF_STICKY(setup_queries, "dns.queries.rrname", "dns.queries.rrname")
BUF_STICKY(setup_answers, "dns.answers.rrname", "dns.answers.rrname")
BUF_STICKY(setup_authorities, "dns.authorities.rrname", "dns.authorities.rrname")
BUF_STICKY(setup_additionals, "dns.additionals.rrname", "dns.additionals.rrname")
BUF_STICKY(setup_response, "dns.response.rrname", "dns.response.rrname")

void keywords_register_buffers_dns(void)
{
    static const BufferDef bufs[] = {
        { "dns.query", DNS_PROTO, BUF_DIR_TOSERVER, true, get_query, NULL },
        { "dns.queries.rrname", DNS_PROTO, BUF_DIR_BOTH, true, get_queries, NULL },
        { "dns.answers.rrname", DNS_PROTO, BUF_DIR_BOTH, true, get_answers, NULL },
        { "dns.authorities.rrname", DNS_PROTO, BUF_DIR_BOTH, true, get_authorities, NULL },
        { "dns.additionals.rrname", DNS_PROTO, BUF_DIR_BOTH, true, get_additionals, NULL },
        { "dns.response.rrname", DNS_PROTO, BUF_DIR_TOCLIENT, true, get_response, NULL },
    };
    for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
        buffer_register(&bufs[i]);
    buffer_register_sticky("dns.query", "dns_query", "sticky buffer: DNS query names", setup_query);
    buffer_register_sticky("dns.queries.rrname", NULL, "sticky buffer: DNS question names", setup_queries);
    buffer_register_sticky("dns.answers.rrname", NULL, "sticky buffer: DNS answer names", setup_answers);
    buffer_register_sticky("dns.authorities.rrname", NULL, "sticky buffer: DNS authority names", setup_authorities);
    buffer_register_sticky("dns.additionals.rrname", NULL, "sticky buffer: DNS additional names", setup_additionals);
    buffer_register_sticky("dns.response.rrname", NULL, "sticky buffer: DNS response names", setup_response);
    keywords_register_domain();
}
