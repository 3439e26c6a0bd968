/*
 * libFuzzer harness for the hdrkw family's handling of untrusted bytes:
 * the gunzip transform's decompression (the first input byte picks the
 * output limit, the rest is the compressed buffer), the entropy measure
 * over the same bytes, and, up to the first NUL, the text parsers of the
 * entropy, vlan.id, hostbits and gunzip options, which read rule text, and
 * of the iprep list lines (categories and reputation files), with a lookup
 * of the packet-less addresses they may have added.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/kw-flowvars.h"
#include "detect/kw-hdrkw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint32_t max = 1u + (uint32_t)data[0] * 64u;
    uint8_t *out = malloc(max);
    if (out == NULL)
        return 0;
    uint32_t n = gunzip_decompress(data + 1, (uint32_t)(size - 1), out, max);
    if (n > max)
        abort();
    double h = entropy_of(out, n);
    if (h < 0.0 || h > 8.0001)
        abort();
    free(out);
    h = entropy_of(data, (uint32_t)size);
    if (h < 0.0 || h > 8.0001)
        abort();

    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char err[256];
    free(entropy_parse(text, err, sizeof(err)));
    free(vlan_id_parse(text, err, sizeof(err)));
    bool noalert = false;
    XbitsCtx *x = hostbits_parse(text, &noalert, err, sizeof(err));
    if (x)
        xbits_free(x);
    uint32_t m = 0;
    (void)gunzip_parse_max(text, &m, err, sizeof(err));
    IprepTable *t = iprep_table_new();
    if (t) {
        (void)iprep_add_category_line(t, text);
        (void)iprep_add_entry_line(t, text);
        iprep_table_finish(t);
        Address a;
        memset(&a, 0, sizeof(a));
        a.family = 4;
        memcpy(a.addr, data, size < 16 ? size : 16);
        (void)iprep_lookup(t, &a, (uint8_t)(data[0] % 60));
        uint8_t side, cat;
        DetectUint u;
        (void)iprep_parse(t, text, &side, &cat, &u, err, sizeof(err));
        iprep_table_free(t);
    }
    free(text);
    return 0;
}
