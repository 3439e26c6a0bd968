/*
 * The engine side of port grouping (port-groups.h): its settings, read
 * from the configuration with Suricata 8's keys and defaults, and the
 * split of the TCP and UDP signature groups built from the rules' ports.
 *
 * Settings: `detect.profile` bounds the unique groups per direction (low:
 * 15 to-client / 25 to-server, medium (default): 20 / 40, high: 75 / 75,
 * custom: detect.custom-values.toclient-groups / toserver-groups, default
 * 20 / 40); detect.grouping.tcp-whitelist (default 53, 80, 139, 443, 445,
 * 1433, 3306, 3389, 6666, 6667, 8080) and udp-whitelist (53, 135, 5060)
 * name single ports that, when a rule names exactly that port, are
 * preferred for a group of their own. An invalid value is reported with
 * its key and the default is used.
 *
 * The key port of a direction is the destination port to the server and
 * the source port to the client (a `<>` rule is keyed on both of its port
 * sets, since it matches the packet either way round).
 */
#ifndef ODLAR_DETECT_PORT_GROUPING_H
#define ODLAR_DETECT_PORT_GROUPING_H

#include <stdbool.h>
#include <stdint.h>

#include "conf/conf.h"
#include "detect/port-groups.h"
#include "detect/signature.h"

typedef struct PortGroupingConfig {
    uint32_t max_groups[2]; /* [dir]: 0 to server, 1 to client */
    uint16_t *whitelist[2]; /* [0] TCP, [1] UDP */
    uint32_t whitelist_count[2];
} PortGroupingConfig;

/* Reads the settings (conf NULL: the defaults). False on out of memory. */
bool port_grouping_config_load(PortGroupingConfig *c, Conf *conf);
void port_grouping_config_free(PortGroupingConfig *c);

/* Splits the signatures nums[0..count) (ascending) of the group of IP
 * protocol `proto` (6 or 17) and direction `dir` by port. NULL on out of
 * memory. */
PortGroups *port_grouping_split(const PortGroupingConfig *c, Signature *const *sigs, const uint32_t *nums,
                                uint32_t count, uint8_t proto, int dir);

#endif
