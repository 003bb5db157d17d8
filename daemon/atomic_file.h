// daemon/atomic_file.h
//
// Writes a file so that a reader sees either the old bytes or the new ones,
// never a mix, and a crash never leaves a torn file: temporary file in the
// same directory, fsync, rename over the target, fsync of the directory.

#ifndef FEEDD_DAEMON_ATOMIC_FILE_H_
#define FEEDD_DAEMON_ATOMIC_FILE_H_

#include <filesystem>
#include <string_view>

namespace feedd {

/// Temporary files are named ".<name>.feedd-tmp.<pid>"; anything with this
/// marker in its name is a leftover of an interrupted write.
inline constexpr std::string_view kTempMarker = ".feedd-tmp.";

/// Creates missing parent directories. Throws std::filesystem::filesystem_error
/// naming the path on failure.
void WriteFileAtomically(const std::filesystem::path& path, std::string_view bytes);

}  // namespace feedd

#endif  // FEEDD_DAEMON_ATOMIC_FILE_H_
