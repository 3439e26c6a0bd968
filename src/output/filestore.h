/*
 * File store, version 2 layout (Suricata 8's output-filestore.c): the
 * content of stored files is written to <dir>/tmp/file.<n> while it
 * arrives and, once the file is closed, moved to <dir>/<xx>/<sha256>
 * (xx = the first two hex digits; a file already there is kept). With
 * `write-fileinfo` a <sha256>.<seconds>.<file_id>.json next to it holds the
 * file's EVE fileinfo record (written when eve-log logs it). <dir> is `file-store.dir` (default "filestore")
 * under the log directory. `force-filestore` stores every file; otherwise
 * the files that `filestore` rules ask for (detect/kw-filestore.c).
 */
#ifndef ODLAR_OUTPUT_FILESTORE_H
#define ODLAR_OUTPUT_FILESTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/conf.h"

/* Reads outputs.file-store and installs the store in the file tracker when
 * it is enabled. Returns whether it is. */
bool filestore_configure(Conf *conf);
struct AppFile;
/* write-fileinfo: writes `text` (the file's EVE fileinfo record) to
 * <dir>/<xx>/<sha256>.<seconds>.<file_id>.json when f was stored. */
void filestore_write_fileinfo(const struct AppFile *f, const char *text, size_t len);
/* Files that could not be written (file_store.fs_errors). */
uint64_t filestore_fs_errors(void);
/* Whether the last filestore_configure enabled the store (the stats record
 * then carries file_store.*, as Suricata's does only with file-store on). */
bool filestore_enabled(void);
/* file-store.stream-depth when it takes effect (larger than
 * stream.reassembly.depth), else 0: the reassembly depth a filestore match
 * gives the session (Suricata's FileReassemblyDepth). */
uint32_t filestore_stream_depth(void);

#endif
