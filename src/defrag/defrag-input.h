/*
 * Reading a fragment's key and data from its packet (defrag-input.c).
 */
#ifndef ODLAR_DEFRAG_DEFRAG_INPUT_H
#define ODLAR_DEFRAG_DEFRAG_INPUT_H

#include <stdbool.h>

#include "defrag/defrag-internal.h"

/* Fills fi and key from the IP header at p->l3_off (p->ip_version says
 * which). For IPv6 it also needs p->ip6.frag_hdr_offset and takes
 * p->ip6.frag_prev_nh_off. False when the header or the fragment data do not
 * fit the captured bytes; fi->data then is not usable. Pointers in fi point
 * into p->buf. */
bool defrag_read_fragment(const Packet *p, DefragFragInfo *fi, DefragKey *key);

#endif
