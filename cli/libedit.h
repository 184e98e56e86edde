#pragma once

// libedit, the line editor of `simulate -i`, opened when the prompt starts (dlopen) instead of at
// program start: with the libraries it needs (libtinfo, libbsd, libmd) it would add four
// libraries to map and relocate before main() in every run, for a prompt few runs open.
// The functions keep their names and types: `api->el_gets(el, &count)`.

#include <histedit.h>

#include <string>

#include "model/shared_library.h"

namespace istio_lint::cli::libedit {

#define IL_LIBEDIT_FUNCTIONS(X)                                                                  \
  X(el_init) X(el_end) X(el_set) X(el_get) X(el_gets) X(el_source) X(el_line) X(el_insertstr)   \
  X(el_deletestr) X(history_init) X(history_end) X(history)

struct Api {
  IL_LIBEDIT_FUNCTIONS(IL_LIBRARY_FUNCTION_MEMBER)
  void resolveAll(model::SharedLibrary& lib) { IL_LIBEDIT_FUNCTIONS(IL_LIBRARY_FUNCTION_RESOLVE) }
};

/// The library's functions, opening it on the first call. Null when it cannot be opened; `error`
/// (optional) then says why.
const Api* api(std::string* error = nullptr);

}  // namespace istio_lint::cli::libedit
