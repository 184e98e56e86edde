#pragma once

#include "model/glob.h"

namespace istio_lint::cli {

/// `*` matches any run of characters (go-glob semantics, as istioctl's --suppress uses).
using model::globMatch;

}  // namespace istio_lint::cli
