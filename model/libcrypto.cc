#include "model/libcrypto.h"

#ifndef IL_LIBCRYPTO_SONAME
#error "IL_LIBCRYPTO_SONAME (the SONAME of the libcrypto built against) is set by model/CMakeLists.txt"
#endif

namespace istio_lint::model::libcrypto {

const Api* api(std::string* error) {
  return openLibrary<Api>(IL_LIBCRYPTO_SONAME, error, [](const Api& api) -> std::string {
    // No configuration file: istio-lint reads certificates and keys with the default provider
    // only. No exit handler: the process ends without freeing OpenSSL's tables one by one.
    if (api.OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ATEXIT, nullptr) != 1) {
      return std::string(IL_LIBCRYPTO_SONAME) + " failed to initialize";
    }
    return "";
  });
}

const char* libraryName() { return IL_LIBCRYPTO_SONAME; }

}  // namespace istio_lint::model::libcrypto
