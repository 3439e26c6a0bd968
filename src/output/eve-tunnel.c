/*
 * EVE `tunnel` object of alerts on derived packets (see eve-tunnel.h).
 *
 * As Suricata 8 writes it: the 5-tuple of the wire packet the alerted packet
 * was found in (`p->root`, addresses in the order it travelled, ports 0 for
 * a transport without ports), its protocol name, `depth` (how many tunnel
 * layers down the alerted packet sits; 0 for a datagram rebuilt from
 * fragments of the wire packet), the wire packet's `pcap_cnt` when it has
 * one, and its `pkt_src`.
 */
#include "output/eve-tunnel.h"

#include "flow/flow.h"

void eve_alert_tunnel(JsonBuf *j, const Packet *p)
{
    const Packet *root = p->root;
    if (root == NULL)
        return;
    char a[64], b[64], proto[16];
    bool ports = root->proto == 6 || root->proto == 17 || root->proto == 132;
    jb_open_object(j, "tunnel");
    jb_str(j, "src_ip", address_format(&root->src_addr, a, sizeof(a)));
    jb_uint(j, "src_port", ports ? root->sp : 0);
    jb_str(j, "dest_ip", address_format(&root->dst_addr, b, sizeof(b)));
    jb_uint(j, "dest_port", ports ? root->dp : 0);
    jb_str(j, "proto", flow_proto_name(root->proto, proto, sizeof(proto)));
    jb_uint(j, "depth", p->tunnel_depth);
    if (root->pcap_cnt)
        jb_uint(j, "pcap_cnt", root->pcap_cnt);
    jb_str(j, "pkt_src", packet_source_name(root->src));
    jb_close_object(j);
}
