/*
 * The table of application-layer protocol names rules may use, with the
 * implemented flag the rule parser checks (see app-proto.h). Names and
 * transports follow Suricata 8's app-layer list; "http1" is an alias of
 * "http" and "ikev2" one of "ike", as in Suricata (lookups by id find the
 * main name first).
 */
#include "detect/app-proto.h"

#include <string.h>

static const AppProtoInfo protos[] = {
    { "http", 1, 6, true },      { "http1", 1, 6, true },      { "http2", 2, 6, true },
    { "dns", 3, 0, true },       { "tls", 4, 6, true },        { "ssh", 5, 6, true },
    { "smtp", 6, 6, true },       { "ftp", 7, 6, true },        { "ftp-data", 8, 6, true },
    { "smb", 9, 6, true },        { "dcerpc", 10, 0, true },    { "nfs", 11, 0, false },
    { "tftp", 12, 17, false },    { "ike", 13, 17, true },      { "krb5", 14, 0, false },
    { "dhcp", 15, 17, true },    { "snmp", 16, 17, false },     { "sip", 17, 0, false },
    { "rfb", 18, 6, false },      { "mqtt", 19, 6, false },      { "modbus", 20, 6, false },
    { "dnp3", 21, 6, false },     { "enip", 22, 0, false },      { "ntp", 23, 17, false },
    { "quic", 24, 17, false },    { "rdp", 25, 6, false },       { "imap", 26, 6, false },
    { "pop3", 27, 6, true },     { "ldap", 28, 0, false },      { "websocket", 29, 6, false },
    { "bittorrent-dht", 30, 17, false }, { "pgsql", 31, 6, false }, { "telnet", 32, 6, true },
    { "mdns", 33, 17, false },    { "doh2", 34, 6, false },      { "failed", 35, 0, false },
    { "ikev2", 13, 17, true }, /* Suricata's alias of ike */
};

const AppProtoInfo *app_proto_by_name(const char *name)
{
    for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
        if (strcmp(protos[i].name, name) == 0)
            return &protos[i];
    return NULL;
}

const AppProtoInfo *app_proto_by_id(AppProto id)
{
    for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]); i++)
        if (protos[i].id == id)
            return &protos[i];
    return NULL;
}

const char *app_proto_name(AppProto id)
{
    const AppProtoInfo *p = app_proto_by_id(id);
    return p ? p->name : NULL;
}
