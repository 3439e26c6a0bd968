/*
 * libFuzzer harness for sd_pattern's finder over untrusted bytes: every
 * built-in type (credit_card, iban, us_social, us_social_nodashes) is
 * searched from every starting point the first input byte selects, each
 * reported number is checked to lie inside the buffer with a masked form
 * that hides its middle, and the buffer is masked in place (raw and as
 * JSON string values), which may only turn characters into '*'.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/sd-alert.h"
#include "detect/sd-find.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Bounds {
    uint32_t len;
} Bounds;

static bool check_found(const SdFound *f, void *user)
{
    const Bounds *b = user;
    if (f->start >= f->end || f->end > b->len || strlen(f->masked) >= SD_MASKED_MAX || !strchr(f->masked, '*'))
        abort();
    return true;
}

static void check_only_stars_added(const uint8_t *orig, const uint8_t *masked, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (orig[i] != masked[i] && masked[i] != '*')
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 1 << 16)
        return 0;
    const uint32_t from = data[0];
    data++;
    size--;
    Bounds b = { (uint32_t)size };
    for (int t = 0; t < SD_TYPE_BUILTIN_COUNT; t++) {
        sd_find((SdType)t, data, (uint32_t)size, 0, check_found, &b);
        sd_find((SdType)t, data, (uint32_t)size, from, check_found, &b);
    }
    uint8_t *copy = malloc(size + 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    sd_mask_builtin(copy, (uint32_t)size);
    check_only_stars_added(data, copy, size);
    memcpy(copy, data, size);
    sd_alert_mask_json(NULL, (char *)copy, size);
    check_only_stars_added(data, copy, size);
    free(copy);
    return 0;
}
