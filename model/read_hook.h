#pragma once

// A test hook of the loader: a function called with each file's path just before the file is
// read, after the directory walk, so a test can change the file system in between (a file that
// disappears or changes while the inputs are being read). Called from the reading threads.
// Production code never sets it.

#include <functional>
#include <string>

namespace istio_lint::model::testing {

using ReadHook = std::function<void(const std::string& path)>;

/// Installs `hook` (an empty function removes it); returns the previous one.
ReadHook setReadHook(ReadHook hook);

}  // namespace istio_lint::model::testing
