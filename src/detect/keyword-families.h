/*
 * Every keyword family's registration function. keyword-table.c calls them
 * in this order at start-up; each lives in the family's own file
 * (kw-<family>.c). A family is added here, one line, once its
 * keywords_register_<family>() exists.
 *
 * Families: meta (msg sid rev gid classtype priority reference metadata
 * target requires noalert), content (content and its modifiers), flow, pcre,
 * byte (byte_test byte_jump byte_extract byte_math), payload (isdataat bsize
 * dsize base64_decode base64_data prefilter), transforms, header (flags ack
 * seq window ttl tos ip_proto ipopts fragbits fragoffset id itype icode
 * icmp_id icmp_seq sameip stream_size), events (decode-event stream-event
 * app-layer-event app-layer-protocol), flowvars (flowbits xbits flowint),
 * threshold (threshold detection_filter), tag, asn1, ftpbounce, ftpdata
 * (ftpdata_command), dataset, buffers (sticky buffers and legacy modifiers
 * of the application layers), frame (frame), sd_pattern
 * (sensitive data: payment cards, IBANs, SSNs), file (file.name filename
 * fileext filesize filemd5 filesha1 filesha256), filestore, hdrkw (header
 * buffers, tcp.*, checksums, vlan, hostbits, flow counters, entropy,
 * absent, gunzip, iprep, bypass: see kw-hdrkw.h).
 */
#ifndef ODLAR_DETECT_KEYWORD_FAMILIES_H
#define ODLAR_DETECT_KEYWORD_FAMILIES_H

#define KEYWORD_FAMILIES(X) \
    X(meta) \
    X(content) \
    X(flow) \
    X(threshold) \
    X(header) \
    X(events) \
    X(flowvars) \
    X(pcre) \
    X(byte) \
    X(payload) \
    X(transforms) \
    X(buffers) \
    X(file) \
    X(filestore) \
    X(sd_pattern) \
    X(tag) \
    X(asn1) \
    X(ftpbounce) \
    X(ftpdata) \
    X(hdrkw) \
    X(dataset) \
    X(frame) \
    /* families, one per line: X(meta) \ */

#define KEYWORD_FAMILY_DECLARE(name) void keywords_register_##name(void);
KEYWORD_FAMILIES(KEYWORD_FAMILY_DECLARE)
#undef KEYWORD_FAMILY_DECLARE

#endif
