#include "model/shared_library.h"

#include <dlfcn.h>

namespace istio_lint::model {

SharedLibrary::SharedLibrary(const char* soname) : soname_(soname) {
  handle_ = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (handle_ == nullptr) {
    const char* why = dlerror();
    error_ = std::string("cannot open ") + soname + ": " + (why != nullptr ? why : "unknown error");
  }
}

void* SharedLibrary::symbol(const char* name) {
  if (handle_ == nullptr) return nullptr;
  void* p = dlsym(handle_, name);
  if (p == nullptr && error_.empty()) error_ = std::string(soname_) + " has no function " + name;
  return p;
}

}  // namespace istio_lint::model
