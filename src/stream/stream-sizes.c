/*
 * Read-only size accessor for the detection engine's stream_size keyword:
 * how far each side's sequence space has advanced since its ISN. It lives in
 * src/stream because only the stream stage knows TcpSession's layout.
 */
#include "stream/stream-private.h"
#include "stream/stream.h"

bool stream_tcp_seq_sizes(const Flow *f, uint32_t *client, uint32_t *server)
{
    if (f == NULL || f->tcp == NULL)
        return false;
    const TcpSession *ssn = f->tcp;
    *client = ssn->client.next_seq - ssn->client.isn;
    *server = ssn->server.next_seq - ssn->server.isn;
    return true;
}
