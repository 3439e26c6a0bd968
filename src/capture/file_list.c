/*
 * Lists the files behind an offline capture path (see file_list.h): stat the
 * path, and for a folder read its entries, keep regular non-hidden files
 * (following symbolic links, as opening them would) and sort them by name.
 */
#include "capture/file_list.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends a copy of `s`; returns false when out of memory. */
static bool list_push(FileList *fl, size_t *cap, char *s)
{
    if (fl->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        char **n = realloc(fl->paths, ncap * sizeof(*n));
        if (n == NULL)
            return false;
        fl->paths = n;
        *cap = ncap;
    }
    fl->paths[fl->count++] = s;
    return true;
}

/* Joins folder and entry name the way Suricata does: "<folder>/<name>". */
static char *join_path(const char *folder, const char *name)
{
    size_t n = strlen(folder) + 1 + strlen(name) + 1;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s/%s", folder, name);
    return s;
}

static int list_folder(const char *path, FileList *out, char *err, size_t errlen)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        snprintf(err, errlen, "%s: cannot read folder: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 0;
    struct dirent *e;
    int rc = 0;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue; /* hidden files, "." and ".." */
        char *full = join_path(path, e->d_name);
        if (full == NULL) {
            snprintf(err, errlen, "%s: out of memory listing the folder", path);
            rc = -1;
            break;
        }
        struct stat st;
        if (stat(full, &st) != 0 || !S_ISREG(st.st_mode)) {
            free(full);
            continue;
        }
        if (!list_push(out, &cap, full)) {
            free(full);
            snprintf(err, errlen, "%s: out of memory listing the folder", path);
            rc = -1;
            break;
        }
        errno = 0;
    }
    if (rc == 0 && e == NULL && errno != 0) {
        snprintf(err, errlen, "%s: cannot read folder: %s", path, strerror(errno));
        rc = -1;
    }
    closedir(d);
    if (rc == 0 && out->count == 0) {
        snprintf(err, errlen, "%s: folder holds no capture files (no regular, non-hidden files)", path);
        rc = -1;
    }
    if (rc != 0) {
        file_list_free(out);
        return -1;
    }
    qsort(out->paths, out->count, sizeof(*out->paths), compare_paths);
    return 0;
}

int file_list_build(const char *path, FileList *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    struct stat st;
    if (strcmp(path, "-") != 0) {
        if (stat(path, &st) != 0) {
            snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
            return -1;
        }
        if (S_ISDIR(st.st_mode)) {
            out->is_folder = true;
            return list_folder(path, out, err, errlen);
        }
    }
    size_t cap = 0;
    char *copy = strdup(path);
    if (copy == NULL || !list_push(out, &cap, copy)) {
        free(copy);
        snprintf(err, errlen, "%s: out of memory", path);
        file_list_free(out);
        return -1;
    }
    return 0;
}

void file_list_free(FileList *fl)
{
    for (size_t i = 0; i < fl->count; i++)
        free(fl->paths[i]);
    free(fl->paths);
    fl->paths = NULL;
    fl->count = 0;
}
