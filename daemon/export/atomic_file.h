// daemon/export/atomic_file.h
//
// Writes a file so that a reader sees either the old bytes or the new ones,
// never a mix, and a crash never leaves a torn file: temporary file in the
// same directory, fsync, rename over the target, fsync of the directory.

#ifndef FEEDD_DAEMON_EXPORT_ATOMIC_FILE_H_
#define FEEDD_DAEMON_EXPORT_ATOMIC_FILE_H_

#include <filesystem>
#include <string_view>

#include "feeds/core/status.h"

namespace feedd {

/// Temporary files are named ".<name>.feedd-tmp.<pid>"; anything with this
/// marker in its name is a leftover of an interrupted write.
inline constexpr std::string_view kTempMarker = ".feedd-tmp.";

/// Creates missing parent directories. An I/O error naming the path on
/// failure (and no temporary file is left). Without |durable|, the file and the
/// directory are not fsynced: a reader still never sees a torn file, but a
/// crash may lose the write; a batch of many files then calls SyncTree()
/// once at the end instead of paying two fsyncs per file.
Status WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes,
                           bool durable = true);

/// Makes everything written under |dir| durable (syncfs(2) of its
/// filesystem); an I/O error naming |dir| on failure.
Status SyncTree(const std::filesystem::path& dir);

}  // namespace feedd

#endif  // FEEDD_DAEMON_EXPORT_ATOMIC_FILE_H_
