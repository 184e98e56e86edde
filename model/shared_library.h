#pragma once

// Opening a shared library at run time (dlopen) and resolving its functions into typed pointers:
// for the libraries only some runs use (libcrypto for certificates, libedit for the simulate
// prompt), which then cost nothing at start-up.

#include <string>

namespace istio_lint::model {

class SharedLibrary {
 public:
  /// dlopen(soname) with every symbol bound at once and none made global. Never closed: objects
  /// it made may live until the process ends.
  explicit SharedLibrary(const char* soname);

  /// Whether the library opened and every resolve() so far found its function.
  bool ok() const { return error_.empty(); }
  /// Why not: "cannot open libx.so.1: ..." or "libx.so.1 has no function f".
  const std::string& error() const { return error_; }

  /// Sets `fn` to the function `name` of the library; on failure, leaves it null and sets error().
  template <class F>
  void resolve(const char* name, F*& fn) {
    fn = reinterpret_cast<F*>(symbol(name));
  }

 private:
  void* symbol(const char* name);
  const char* soname_;
  void* handle_ = nullptr;
  std::string error_;
};

/// A table of a library's functions, filled on the first call for its type: `Api` has one pointer
/// member per function and `void resolveAll(SharedLibrary&)` resolving each. `init`, when given,
/// runs once after that and returns an error message, or "" when the library is ready. Returns
/// null when the library cannot be used; `error` (optional) then says why. Thread-safe.
template <class Api>
const Api* openLibrary(const char* soname, std::string* error, std::string (*init)(const Api&) = nullptr) {
  struct Opened {
    Api api;
    std::string error;  // empty: ready
  };
  static const Opened opened = [&] {
    Opened o;
    SharedLibrary lib(soname);
    o.api.resolveAll(lib);
    o.error = lib.error();
    if (o.error.empty() && init != nullptr) o.error = init(o.api);
    return o;
  }();
  if (!opened.error.empty() && error != nullptr) *error = opened.error;
  return opened.error.empty() ? &opened.api : nullptr;
}

/// For the function lists of the tables: a member `name` of the function's own type, and the
/// statement resolving it (in resolveAll).
#define IL_LIBRARY_FUNCTION_MEMBER(name) decltype(&::name) name = nullptr;
#define IL_LIBRARY_FUNCTION_RESOLVE(name) lib.resolve(#name, name);

}  // namespace istio_lint::model
