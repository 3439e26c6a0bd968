/*
 * libFuzzer harness for the multipart/form-data and Content-Disposition
 * parsers of the HTTP file tracker (src/app/http/http-multipart.c). The
 * first input byte splits the rest: its low 6 bits give the length of a
 * Content-Type value (its boundary parameter is used when present, else
 * those bytes are the boundary itself); the remainder is the body. The
 * same remainder is also parsed as a Content-Disposition value. Every part
 * handed out must lie inside the body and carry a filename inside it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "app/http/http.h"
#include "util/bytes.h"

typedef struct Bounds {
    const uint8_t *body;
    uint32_t len;
} Bounds;

static void inside(const Bounds *b, const uint8_t *p, uint32_t n)
{
    if (n == 0)
        return;
    if (p < b->body || p + n > b->body + b->len)
        abort();
}

static void on_part(void *ctx, const HttpMultipartPart *part)
{
    const Bounds *b = ctx;
    inside(b, part->data, part->data_len);
    if (part->has_filename)
        inside(b, part->filename, part->filename_len);
    inside(b, part->content_type, part->content_type_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ByteReader r = br_init(data, size);
    uint8_t head;
    const uint8_t *ct;
    if (!br_u8(&r, &head) || !br_bytes(&r, head & 0x3f, &ct))
        return 0;
    uint32_t ct_len = head & 0x3f;
    const uint8_t *body = br_cursor(&r);
    uint32_t body_len = (uint32_t)br_remaining(&r);
    const uint8_t *b = ct;
    uint32_t blen = ct_len;
    if (http_multipart_boundary(ct, ct_len, &b, &blen)) {
        if (b < ct || b + blen > ct + ct_len)
            abort();
    }
    Bounds bounds = { body, body_len };
    http_multipart_parse(b, blen, body, body_len, on_part, &bounds);
    const uint8_t *name;
    uint32_t name_len;
    if (http_disposition_filename(body, body_len, &name, &name_len))
        inside(&bounds, name, name_len);
    return 0;
}
