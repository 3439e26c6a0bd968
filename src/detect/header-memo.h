/*
 * The address and port fields of rule headers, parsed once per distinct
 * text while a batch of rules is parsed (rule-load.c).
 *
 * A rule set repeats a handful of header fields over and over: in ET Open
 * 24,787 rules have 49,574 address fields and as many port fields, nearly
 * all of them `$HOME_NET`, `$EXTERNAL_NET`, `any`, `$HTTP_PORTS` and a few
 * dozen lists. Parsing a field resolves its variables and merges and
 * negates ranges: about 3,700 instructions for an address, 1,200 for a
 * port list, 230 million of a warm ET Open load's 1.56 billion. The memo
 * keeps the set parsed from each text and gives every later rule with the
 * same text a copy of it (each rule still owns and frees its own sets).
 *
 * A memo belongs to one thread and one load: the variables a text resolves
 * to do not change while it lives. Texts that failed to parse are not
 * kept, so every rule with a bad field reports it. At most
 * HEADER_MEMO_MAX texts of at most HEADER_MEMO_TEXT_MAX bytes are kept
 * (longer ones are the address lists of reputation rules, each different);
 * other fields are parsed as usual.
 */
#ifndef ODLAR_DETECT_HEADER_MEMO_H
#define ODLAR_DETECT_HEADER_MEMO_H

#include "detect/address.h"
#include "detect/port.h"

#define HEADER_MEMO_MAX 4096u
#define HEADER_MEMO_TEXT_MAX 256u

typedef struct HeaderMemo HeaderMemo;

HeaderMemo *header_memo_new(void); /* NULL when out of memory */
void header_memo_free(HeaderMemo *m); /* NULL is fine */

/* A copy of the set parsed earlier from `text`, or NULL (never seen, or
 * out of memory for the copy). */
AddressSet *header_memo_address(HeaderMemo *m, const char *text);
PortSet *header_memo_port(HeaderMemo *m, const char *text);

/* Keeps a copy of `set`, parsed from `text`, for later rules. */
void header_memo_keep_address(HeaderMemo *m, const char *text, const AddressSet *set);
void header_memo_keep_port(HeaderMemo *m, const char *text, const PortSet *set);

#endif
