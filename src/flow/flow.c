/*
 * Names a flow is written with, and the one operation on a single flow that
 * other stages need (turning it round).
 *
 * EVE's "proto" is Suricata's name for the IP protocol number: the IANA
 * "Keyword" column of the protocol-numbers registry as Suricata spells it
 * for 0-143 (including its "Any" for the unnamed "any host internal
 * protocol"-style entries), and for every other number the number printed
 * with three digits. The state and reason names are those of Suricata 8's
 * flow records.
 */
#include "flow/flow.h"

#include "flow/flow-macs.h"

#include <stdio.h>

/* IANA protocol keywords, Suricata's spelling, indexed by protocol number. */
static const char *const proto_keywords[] = {
    /*   0 */ "HOPOPT", "ICMP", "IGMP", "GGP", "IP-in-IP", "ST", "TCP", "CBT",
    /*   8 */ "EGP", "IGP", "BBN-RCC-MON", "NVP-II", "PUP", "ARGUS", "EMCON", "XNET",
    /*  16 */ "CHAOS", "UDP", "MUX", "DCN-MEAS", "HMP", "PRM", "XNS-IDP", "TRUNK-1",
    /*  24 */ "TRUNK-2", "LEAF-1", "LEAF-2", "RDP", "IRTP", "ISO-TP4", "NETBLT", "MFE-NSP",
    /*  32 */ "MERIT-INP", "DCCP", "3PC", "IDPR", "XTP", "DDP", "IDPR-CMTP", "TP++",
    /*  40 */ "IL", "IPv6", "SDRP", "IPv6-Route", "IPv6-Frag", "IDRP", "RSVP", "GRE",
    /*  48 */ "DSR", "BNA", "ESP", "AH", "I-NLSP", "SwIPe", "NARP", "MOBILE",
    /*  56 */ "TLSP", "SKIP", "IPv6-ICMP", "IPv6-NoNxt", "IPv6-Opts", "Any", "CFTP", "Any",
    /*  64 */ "SAT-EXPAK", "KRYPTOLAN", "RVD", "IPPC", "Any", "SAT-MON", "VISA", "IPCU",
    /*  72 */ "CPNX", "CPHB", "WSN", "PVP", "BR-SAT-MON", "SUN-ND", "WB-MON", "WB-EXPAK",
    /*  80 */ "ISO-IP", "VMTP", "SECURE-VMTP", "VINES", "TTP", "NSFNET-IGP", "DGP", "TCF",
    /*  88 */ "EIGRP", "OSPF", "Sprite-RPC", "LARP", "MTP", "AX.25", "OS", "MICP",
    /*  96 */ "SCC-SP", "ETHERIP", "ENCAP", "Any", "GMTP", "IFMP", "PNNI", "PIM",
    /* 104 */ "ARIS", "SCPS", "QNX", "A/N", "IPComp", "SNP", "Compaq-Peer", "IPX-in-IP",
    /* 112 */ "VRRP", "PGM", "Any", "L2TP", "DDX", "IATP", "STP", "SRP",
    /* 120 */ "UTI", "SMP", "SM", "PTP", "IS-IS", "FIRE", "CRTP", "CRUDP",
    /* 128 */ "SSCOPMCE", "IPLT", "SPS", "PIPE", "SCTP", "FC", "RSVP-E2E-IGNORE", "Mobility",
    /* 136 */ "UDPLite", "MPLS-in-IP", "manet", "HIP", "Shim6", "WESP", "ROHC", "Ethernet",
};

const char *flow_proto_name(uint8_t proto, char *buf, unsigned size)
{
    if (proto < sizeof(proto_keywords) / sizeof(proto_keywords[0]))
        return proto_keywords[proto];
    snprintf(buf, size, "%03u", (unsigned)proto);
    return buf;
}

const char *flow_state_name(FlowState s)
{
    switch (s) {
    case FLOW_STATE_NEW:
        return "new";
    case FLOW_STATE_ESTABLISHED:
        return "established";
    case FLOW_STATE_CLOSED:
        return "closed";
    case FLOW_STATE_LOCAL_BYPASSED:
        return "bypassed";
    }
    return "new";
}

const char *flow_end_reason_name(FlowEndReason r)
{
    switch (r) {
    case FLOW_END_TIMEOUT:
        return "timeout";
    case FLOW_END_FORCED:
        return "forced";
    case FLOW_END_SHUTDOWN:
        return "shutdown";
    case FLOW_END_TCP_REUSE:
        return "tcp_reuse";
    }
    return "unknown";
}

#define SWAP(type, a, b) do { type swap_tmp_ = (a); (a) = (b); (b) = swap_tmp_; } while (0)

void flow_swap(Flow *f)
{
    SWAP(Address, f->src, f->dst);
    SWAP(uint16_t, f->sp, f->dp);
    SWAP(uint64_t, f->pkts_toserver, f->pkts_toclient);
    SWAP(uint64_t, f->bytes_toserver, f->bytes_toclient);
    SWAP(uint8_t, f->tcp_flags_ts, f->tcp_flags_tc);
    SWAP(bool, f->seen_toserver, f->seen_toclient);
    SWAP(uint8_t, f->min_ttl_toserver, f->min_ttl_toclient);
    SWAP(uint8_t, f->max_ttl_toserver, f->max_ttl_toclient);
    flow_macs_swap(f);
}
