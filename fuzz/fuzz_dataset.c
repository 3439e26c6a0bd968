/*
 * libFuzzer harness for the dataset file readers: the input is parsed by
 * the datajson JSON reader (then walked, trimmed and written back), and
 * loaded as a dataset file through the real loader. The first byte picks
 * the set's type, whether it is a datarep set and the file format (csv
 * lines, a JSON document or JSON lines); the rest is the file's content,
 * written to a scratch file the loader reads.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "detect/dataset-json.h"
#include "detect/dataset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char scratch[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    char err[256];
    JsonNode *n = json_read(data + 1, size - 1, err, sizeof(err));
    if (n) {
        (void)json_node_path(n, "a.b");
        JsonBuf j;
        jb_init(&j);
        json_node_write(&j, NULL, n);
        jb_free(&j);
        (void)json_node_remove_path(n, "a");
        json_node_free(n);
    }
    if (!scratch[0])
        snprintf(scratch, sizeof(scratch), "/tmp/fuzz-dataset-%d.txt", (int)getpid());
    FILE *f = fopen(scratch, "wb");
    if (!f)
        return 0;
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    static const DatasetType types[] = { DATASET_TYPE_STRING, DATASET_TYPE_MD5, DATASET_TYPE_SHA256,
                                         DATASET_TYPE_IPV4, DATASET_TYPE_IPV6 };
    DatasetSpec spec = {
        .name = "fuzz",
        .type = types[data[0] % 5],
        .load = scratch,
        .rep = (data[0] >> 3) & 1,
        .format = (DatasetFormat)((data[0] >> 4) % 3),
        .value_key = "v",
        .array_key = (data[0] & 0x80) ? "list" : NULL,
        .remove_key = (data[0] & 0x40) != 0,
    };
    if (spec.format != DATASET_FORMAT_CSV)
        spec.rep = false;
    Dataset *set = dataset_get(&spec, err, sizeof(err));
    if (set) {
        uint16_t rep;
        char *json = NULL;
        (void)dataset_lookup(set, data, size < 16 ? (uint32_t)size : 16, &rep, &json);
        free(json);
    }
    dataset_registry_free_all();
    return 0;
}
