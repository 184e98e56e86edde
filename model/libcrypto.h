#pragma once

// OpenSSL's libcrypto, opened on first use (dlopen) instead of at program start.
//
// Mapping and relocating libcrypto costs about 1.2 ms before main(), a fifth of the start-up of
// every run, also of the runs that read no certificate. Opened here, that cost is paid only by a
// run with credentials, and on the thread that parses them (CredentialCache), beside the loading.
// The functions keep their OpenSSL names and types: `api->X509_free(x)`.

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <string>

#include "model/shared_library.h"

namespace istio_lint::model::libcrypto {

// Every libcrypto function istio-lint calls. The inline helpers of OpenSSL's headers that call
// into the library (sk_*_num, BIO_get_mem_data) are written with the functions they wrap.
#define IL_LIBCRYPTO_FUNCTIONS(X)                                                                    \
  X(OPENSSL_init_crypto) X(ERR_clear_error)                                                          \
  X(BIO_new) X(BIO_s_mem) X(BIO_new_mem_buf) X(BIO_ctrl) X(BIO_free)                                 \
  X(PEM_read_bio_X509) X(PEM_read_bio_PrivateKey) X(X509_free) X(EVP_PKEY_free)                      \
  X(X509_get0_pubkey) X(EVP_PKEY_get0_type_name) X(X509_check_private_key) X(X509_check_ca)          \
  X(OSSL_DECODER_CTX_new_for_pkey) X(OSSL_DECODER_CTX_get_num_decoders) X(OSSL_DECODER_from_data)   \
  X(OSSL_DECODER_CTX_free)                                                                           \
  X(X509_get_subject_name) X(X509_NAME_print_ex) X(X509_NAME_get_index_by_NID)                       \
  X(X509_NAME_get_entry) X(X509_NAME_ENTRY_get_data) X(ASN1_STRING_get0_data) X(ASN1_STRING_length)  \
  X(X509_get0_notBefore) X(X509_get0_notAfter) X(ASN1_TIME_to_tm)                                    \
  X(X509_get_ext_d2i) X(GENERAL_NAMES_free) X(OPENSSL_sk_num) X(OPENSSL_sk_value)

struct Api {
  IL_LIBCRYPTO_FUNCTIONS(IL_LIBRARY_FUNCTION_MEMBER)
  void resolveAll(SharedLibrary& lib) { IL_LIBCRYPTO_FUNCTIONS(IL_LIBRARY_FUNCTION_RESOLVE) }
};

/// The library's functions, opening and initializing it on the first call (thread-safe; later
/// calls return at once). Null when it cannot be opened; `error` (optional) then says why.
const Api* api(std::string* error = nullptr);

/// The file name opened: the SONAME of the libcrypto istio-lint was built against.
const char* libraryName();

}  // namespace istio_lint::model::libcrypto
