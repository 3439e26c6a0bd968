/*
 * File rules without an application protocol, as Suricata 8 treats them.
 *
 * Suricata's file keywords (file.data, file.name / filename / fileext,
 * filesize, filemd5 / filesha1 / filesha256, filestore) belong to no single
 * protocol: a rule such as `alert tcp any any -> any any (file.data;
 * content:"42";)` inspects the files of every protocol that carries files
 * (HTTP, SMTP, FTP data, ...), each through that protocol's own buffers.
 * Odlar's buffers are registered per protocol (buffer-registry.h), and a
 * rule's keywords resolve a protocol-less file buffer to the first one
 * registered (HTTP). After parsing, a rule whose header names no
 * application protocol and whose only transaction buffers are file buffers
 * is marked SIG_FLAG_FILE_ANY_PROTO; detection then runs it on a flow of
 * any protocol that registers each of those buffers, reading the flow
 * protocol's buffer of the same name in place of HTTP's.
 *
 * The same mapping serves `http` rules on HTTP/2 flows: in Suricata 8
 * `http` means HTTP/1 or HTTP/2, and a rule runs on HTTP/2 when every
 * buffer it reads has an HTTP/2 form (detect/kw-buffers-http2.c); it then
 * reads HTTP/2's buffers of the same names.
 */
#ifndef ODLAR_DETECT_FILE_PROTOCOLS_H
#define ODLAR_DETECT_FILE_PROTOCOLS_H

#include <stdbool.h>
#include <stdint.h>

#include "detect/buffer-registry.h"
#include "detect/signature.h"

/* Is b one of a file's buffers (file.name, file.data, file#tx, ...)? */
bool is_file_buffer(const BufferDef *b);

/* Marks s SIG_FLAG_FILE_ANY_PROTO when its header named no application
 * protocol (header_app_proto 0), a file keyword gave it one, and all its
 * transaction buffers are file buffers (file.*, file#*). */
void file_rule_mark_any_proto(Signature *s, uint16_t header_app_proto);

/* Does s read its buffer lists from flow_proto's buffers of the same
 * names? A SIG_FLAG_FILE_ANY_PROTO rule on any protocol, and an `http`
 * rule on an HTTP/2 flow (Suricata 8: `http` is HTTP/1 or HTTP/2; a rule
 * applies to HTTP/2 when every buffer it reads exists there). */
bool file_rule_reads_mapped(const Signature *s, uint16_t flow_proto);

/* Does s apply to a flow of application protocol flow_proto? Its own
 * protocol (app_proto_sig_matches), or, when it reads mapped buffers, a
 * protocol that registers every transaction buffer the rule inspects. */
bool file_rule_applies(const Signature *s, uint16_t flow_proto);

/* The buffer list `list_id` (any instance) of s reads on a flow of
 * flow_proto: the list's own buffer, or, when s reads mapped buffers
 * there, the buffer of the same name registered for flow_proto (NULL:
 * none). */
const BufferDef *file_rule_buffer(const Signature *s, uint16_t list_id, uint16_t flow_proto);

/* The plain list of the buffer registered for proto under the name of
 * list_id's buffer, or 0 when that protocol has no such buffer. */
uint16_t file_rule_list_for_proto(uint16_t list_id, uint16_t proto);

#endif
