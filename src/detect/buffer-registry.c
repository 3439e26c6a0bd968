/*
 * The application-layer buffer registry (see buffer-registry.h): a small
 * fixed table filled at start-up by the kw-buffers-*.c families, looked up
 * by name (and the rule's application protocol, for names such as
 * file.data that several protocols provide) when rules are parsed and by
 * list id when they are inspected.
 */
#include "detect/buffer-registry.h"

#include <string.h>

static BufferDef table[BUFFER_MAX];
static int table_count;

int buffer_register(const BufferDef *def)
{
    int id = buffer_lookup_proto(def->name, def->proto);
    if (id >= 0)
        return id;
    if (table_count >= BUFFER_MAX)
        return -1;
    table[table_count] = *def;
    return table_count++;
}

int buffer_lookup(const char *name)
{
    for (int i = 0; i < table_count; i++)
        if (strcmp(table[i].name, name) == 0)
            return i;
    return -1;
}

int buffer_lookup_proto(const char *name, AppProto proto)
{
    for (int i = 0; i < table_count; i++)
        if (table[i].proto == proto && strcmp(table[i].name, name) == 0)
            return i;
    return -1;
}

int buffer_lookup_for(const char *name, AppProto proto)
{
    int id = proto != APP_PROTO_UNKNOWN ? buffer_lookup_proto(name, proto) : -1;
    return id >= 0 ? id : buffer_lookup(name);
}

const BufferDef *buffer_by_list(uint16_t list_id)
{
    list_id = sig_list_plain(list_id); /* any instance of the buffer's list */
    if (list_id < SIG_LIST_BUFFER_BASE)
        return NULL;
    int id = list_id - SIG_LIST_BUFFER_BASE;
    return id < table_count ? &table[id] : NULL;
}

/* hdrkw: the getters of packet buffers, by buffer id (NULL: app-layer) */
static BufferPacketGetFn packet_getters[BUFFER_MAX];

int buffer_register_packet(const BufferDef *def, BufferPacketGetFn get)
{
    int id = buffer_register(def);
    if (id >= 0)
        packet_getters[id] = get;
    return id;
}

/* streaming buffers' window functions, by buffer id */
static BufferWindowFn window_fns[BUFFER_MAX];

int buffer_register_streaming(const BufferDef *def, BufferWindowFn window)
{
    int id = buffer_register(def);
    if (id >= 0)
        window_fns[id] = window;
    return id;
}

BufferWindowFn buffer_window_fn(const BufferDef *b)
{
    if (b < table || b >= table + table_count)
        return NULL;
    return window_fns[b - table];
}

/* frames: frame buffers, by buffer id */
static bool frame_buffers[BUFFER_MAX];

int buffer_register_frame(const BufferDef *def)
{
    int id = buffer_register(def);
    if (id >= 0)
        frame_buffers[id] = true;
    return id;
}

bool buffer_is_packet_list(uint16_t list_id)
{
    list_id = sig_list_plain(list_id);
    if (list_id < SIG_LIST_BUFFER_BASE || list_id - SIG_LIST_BUFFER_BASE >= table_count)
        return false;
    return packet_getters[list_id - SIG_LIST_BUFFER_BASE] != NULL || frame_buffers[list_id - SIG_LIST_BUFFER_BASE];
}

bool buffer_is_app_list(uint16_t list_id)
{
    return buffer_by_list(list_id) != NULL && !buffer_is_packet_list(list_id);
}

bool buffer_ready_always(const void *tx, bool ts)
{
    (void)tx;
    (void)ts;
    return true;
}

bool buffer_get_tx_itself(const void *tx, bool ts, uint32_t i, const uint8_t **d, uint32_t *l)
{
    (void)ts;
    if (i)
        return false;
    *d = tx;
    *l = 0;
    return true;
}
