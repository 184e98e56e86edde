#pragma once

// Certificates held in Secrets, parsed with OpenSSL (model/libcrypto.h).
//
// A Secret serves a gateway as istiod reads it: `data` base64-decoded with `stringData` written
// over it; the certificate chain and key from `cert`/`key` (generic Secret) or `tls.crt`/`tls.key`
// (kubernetes.io/tls); the client CA from `cacert` or `ca.crt`. model/credential_store.h parses
// each distinct credential once per run and shares it.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/resources/kube.h"

namespace istio_lint::model {

/// Seconds since 1970-01-01T00:00:00Z.
using UnixTime = int64_t;

/// One X.509 certificate, as much of it as the analyzers need.
struct Certificate {
  std::string subject;                    // RFC 2253 one-line form, e.g. "CN=shop.example.com,O=Shop"
  std::string common_name;                // the subject CN, or empty
  std::vector<std::string> dns_names;     // subjectAltName dNSName entries, as written
  std::vector<std::string> ip_addresses;  // subjectAltName iPAddress entries, printed
  UnixTime not_before = 0, not_after = 0;
  bool is_ca = false;  // basicConstraints CA:TRUE
};

/// What a Secret offers as a gateway credential. Entries that are absent leave their fields empty.
struct Credential {
  /// Why the Secret cannot serve as a server credential (bad base64, no cert/key entries, no PEM
  /// certificate, no usable key, key not matching the certificate); nullopt when it can.
  std::optional<std::string> error;
  std::string cert_entry, key_entry;  // the entries read: "tls.crt"/"tls.key" or "cert"/"key"
  std::vector<Certificate> chain;     // leaf first; empty when the certificate does not parse
  bool key_matches = false;           // the private key belongs to chain.front()

  std::string ca_entry;               // "ca.crt" or "cacert" when the Secret has one (non-empty)
  std::vector<Certificate> ca;        // the CA bundle, when ca_entry is set
  std::optional<std::string> ca_error;  // the CA entry holds no PEM certificate

  const Certificate* leaf() const { return chain.empty() ? nullptr : &chain.front(); }
  bool hasCa() const { return !ca_entry.empty(); }
};

/// Whether the Secret has an entry a credential is read from (cert, tls.crt, cacert, ca.crt): the
/// Secrets worth parsing before anyone asks.
bool holdsCredential(const Secret& secret);

/// Parses a Secret without caching (CredentialCache, model/credential_store.h, caches it).
Credential parseCredential(const Secret& secret);

/// Standard base64 as Kubernetes writes `data` values; whitespace is ignored. nullopt when invalid.
std::optional<std::string> base64Decode(std::string_view in);

/// "2026-06-01", "2026-06-01T12:00:00Z" or seconds since the epoch; nullopt otherwise.
std::optional<UnixTime> parseTimestamp(std::string_view text);
/// "2026-06-01 12:00:00 UTC".
std::string formatTimestamp(UnixTime t);

/// Whether a certificate name (a dNSName SAN) covers a host a client connects to, as RFC 6125
/// §6.4 matches them: case-insensitive; a wildcard only as the whole leftmost label ("*.example.com"
/// covers "a.example.com", not "example.com" nor "a.b.example.com"). A wildcard `host` (a gateway
/// server host such as "*.example.com") is covered only by the same wildcard name.
bool certificateNameCovers(std::string_view name, std::string_view host);

}  // namespace istio_lint::model
