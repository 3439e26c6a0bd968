/*
 * Turning the path given to `-r` into the list of files to read.
 *
 * Offline capture accepts a single file or a folder. For a folder, Suricata's
 * directory mode reads every regular file in it; Odlar does the same but
 * leaves out hidden files (names starting with '.') and orders the files by
 * name (byte order, not locale order) so that a run is reproducible. The
 * folder is listed once, when capture is opened; subfolders are not entered.
 */
#ifndef ODLAR_CAPTURE_FILE_LIST_H
#define ODLAR_CAPTURE_FILE_LIST_H

#include <stdbool.h>
#include <stddef.h>

typedef struct FileList {
    char **paths; /* each "<folder>/<name>" for a folder, else the path given */
    size_t count;
    bool is_folder;
} FileList;

/*
 * Fills `out` with the files `path` stands for: itself when it is not a
 * folder (including "-", standard input, which is not checked), or the
 * folder's regular, non-hidden files sorted by name. Returns 0, or -1 with a
 * message naming `path` in err when the path does not exist, cannot be read,
 * or is a folder holding no such files; `out` is then empty.
 */
int file_list_build(const char *path, FileList *out, char *err, size_t errlen);

/* Frees the list's contents (not `fl` itself); safe on an empty list. */
void file_list_free(FileList *fl);

#endif
