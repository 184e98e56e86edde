#include "cli/libedit.h"

#ifndef IL_LIBEDIT_SONAME
#error "IL_LIBEDIT_SONAME (the SONAME of the libedit built against) is set by cli/CMakeLists.txt"
#endif

namespace istio_lint::cli::libedit {

const Api* api(std::string* error) { return model::openLibrary<Api>(IL_LIBEDIT_SONAME, error); }

}  // namespace istio_lint::cli::libedit
